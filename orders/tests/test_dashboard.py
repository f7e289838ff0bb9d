"""The operations dashboard: figures from real decisions and a person's work,
the same numbers on the page, in the CSV and through the API."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from exceptions.fixes import case_fix
from orders import roles
from orders.metrics import Period, dashboard, percentile
from orders.models import InboundDocument, Order
from orders.services.correction import order_correct
from orders.services.execution import INLINE, order_release

pytestmark = pytest.mark.django_db


def send(tmp_path, po, *, customer="C1", sender="b@acme.example", **line) -> Order:
    line = {"quantity": "5", "sku": "SKU-1", **line}
    path = tmp_path / f"{po}.json"
    path.write_text(json.dumps({"sender": sender, "customer_number": customer, "po_number": po,
                                "lines": [line]}))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


@pytest.fixture
def people(make_user):
    return {"cs": make_user("cs", roles.CUSTOMER_SERVICE), "fin": make_user("fin", roles.FINANCE),
            "outsider": make_user("outsider")}


@pytest.fixture
def history(tmp_path, desk_masterdata, people, django_capture_on_commit_callbacks):
    """Three touchless orders, one corrected and released by customer service,
    one whose price finance fixed at the source; the last two a week earlier.
    Confirmations are delivered in this process, as the worker would."""
    token = INLINE.set(True)
    try:
        return _history(tmp_path, people, django_capture_on_commit_callbacks)
    finally:
        INLINE.reset(token)


def _history(tmp_path, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for po in ("T1", "T2", "T3"):
            assert send(tmp_path, po).status == Order.State.EXECUTED
        wrong_sku = send(tmp_path, "X1", customer="C2", sender="b@beta.example", sku="NOPE")
        high_price = send(tmp_path, "X2", unit_price="1.50")
    assert wrong_sku.status == high_price.status == Order.State.EXCEPTION

    line = wrong_sku.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        order_correct(order_id=wrong_sku.pk, actor=people["cs"],
                      reason="customer meant the gadget", header={},
                      lines={line.position: {"sku": "SKU-2"}})
        order_release(order_id=wrong_sku.pk, actor=people["cs"], reason="checked with the buyer")
        case_fix(case_id=high_price.case.pk, actor=people["fin"], kind="price",
                 data={"sku": "SKU-1", "unit_price": "1.50", "replace_agreement": True,
                       "confirm_far_price": True}, reason="new list price agreed")
    # The two exceptions arrived a week before the rest.
    week_ago = timezone.now() - timedelta(days=7)
    InboundDocument.objects.filter(orders__in=[wrong_sku, high_price]).update(
        received_at=week_ago)
    return {"wrong_sku": wrong_sku, "high_price": high_price}


def figure(board, key):
    return {row[0]: row[1:] for row in board[key].rows}


def test_the_figures_count_touchless_orders_people_and_causes(history):
    board = dashboard(Period.recent())
    summary = figure(board, "summary")
    assert summary["Orders"][0] == 5
    assert summary["Completed with no human touch"] == [3, Decimal("60.0")]
    assert summary["Human dependency ratio"] == [2, Decimal("40.0")]
    assert summary["Exceptions still open"][0] == 0
    # Finance fixed the price at the source; customer service released a correction.
    assert summary["Exceptions resolved permanently (master data or rule fixed)"] == [
        1, Decimal("50.0")]
    touches = summary["Manual touches per order"][0]
    assert touches >= 3 and summary["Orders per person"] == [2, Decimal("2.5")]

    causes = figure(board, "exceptions_by_cause")
    assert causes["UNKNOWN_PRODUCT"][2:] == [1, Decimal("20.0")]
    assert causes["PRICE_MISMATCH"][1] == "Finance"
    defects = figure(board, "exceptions_by_defect")
    assert defects["Master data gap"] == [5, 1, Decimal("20.0")]
    assert defects["Commercial terms"] == [5, 1, Decimal("20.0")]

    customers = figure(board, "touchless_by_customer")
    assert customers["C1 Acme GmbH"] == [4, 3, Decimal("75.0")]
    assert customers["C2 Beta SARL"] == [1, 0, Decimal("0.0")]
    assert figure(board, "touchless_by_channel")["JSON"] == [5, 3, Decimal("60.0")]

    people = figure(board, "people")
    assert set(people) == {"cs", "fin"} and sum(row[0] for row in people.values()) == touches

    cycle = figure(board, "cycle_time")
    assert cycle["touchless"][:2] == [3, 3] and cycle["exception"][:2] == [2, 2]
    # The exceptions arrived a week earlier, so they took about a week to confirm.
    assert cycle["exception"][2] > Decimal(24 * 6) > cycle["touchless"][3]


def test_the_weekly_trend_puts_each_order_in_the_week_it_arrived(history):
    board = dashboard(Period.recent(weeks=3))
    weeks = [row for row in board["weekly"].rows if row[1]]
    assert [row[1] for row in weeks] == [2, 3]
    assert weeks[0][2] == Decimal("0.0") and weeks[0][3] == Decimal("100.0")
    assert weeks[1][2] == Decimal("100.0") and weeks[1][4] == 0
    assert all(row[2] is None for row in board["weekly"].rows if not row[1])


def test_a_period_without_orders_has_empty_figures_not_errors(desk_masterdata):
    board = dashboard(Period.recent())
    assert figure(board, "summary")["Orders"][0] == 0
    assert figure(board, "summary")["Completed with no human touch"][1] is None
    assert board["exceptions_by_cause"].rows == []


def test_percentile_is_a_value_that_occurred():
    assert percentile([], 50) is None
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.0
    assert percentile([float(n) for n in range(1, 11)], 90) == 9.0
    assert percentile([5.0], 90) == 5.0


def test_period_rejects_a_bad_date_saying_which():
    with pytest.raises(ValueError, match="since"):
        Period.from_params({"since": "yesterday"})
    with pytest.raises(ValueError, match="after"):
        Period.from_params({"since": "2026-02-01", "until": "2026-01-01"})


def test_the_page_draws_the_figures_for_the_desk(client, history, people):
    client.force_login(people["cs"])
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "60.0%" in html and "<svg" in html and "UNKNOWN_PRODUCT" in html
    assert reverse("figure_csv", args=["exceptions_by_cause"]) in html
    bad = client.get(reverse("dashboard") + "?since=nonsense")
    assert bad.status_code == 200 and "not a date" in bad.content.decode()


def test_the_page_and_downloads_are_closed_to_outsiders(client, history, people):
    assert client.get(reverse("dashboard")).status_code == 302
    client.force_login(people["outsider"])
    assert client.get(reverse("dashboard")).status_code == 403
    assert client.get(reverse("figure_csv", args=["summary"])).status_code == 403
    assert client.get(reverse("orders-api:figure", args=["summary"])).status_code == 403


def test_every_figure_downloads_as_csv_with_the_same_numbers(client, history, people):
    client.force_login(people["fin"])
    board = dashboard(Period.recent())
    for key, shown in board.figures.items():
        response = client.get(reverse("figure_csv", args=[key]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == shown.columns
        assert len(rows) - 1 == len(shown.rows)
    assert client.get(reverse("figure_csv", args=["nope"])).status_code == 404
    assert client.get(reverse("figure_csv", args=["summary"]) + "?until=x").status_code == 400


def test_a_group_name_cannot_smuggle_a_formula_into_the_csv(client, history, people, load):
    load("customers", [{"customer_number": "C2", "name": "Beta SARL", "customer_group": "=SUM(A1)",
                        "email_domains": "beta.example", "country": "FR", "currency": "EUR"}])
    client.force_login(people["cs"])
    body = client.get(reverse("figure_csv", args=["touchless_by_customer_group"])).content
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert ["'=SUM(A1)", "1", "0", "0.0"] in rows


def test_the_api_serves_every_figure_with_a_token(client, history, people):
    token = Token.objects.create(user=people["cs"])
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    listing = client.get(reverse("orders-api:figures"), **auth)
    assert listing.status_code == 200
    keys = [item["key"] for item in listing.json()]
    assert "summary" in keys and "weekly" in keys
    body = client.get(reverse("orders-api:figure", args=["exceptions_by_cause"]), **auth).json()
    assert body["columns"][0] == "cause"
    assert {row["cause"] for row in body["rows"]} == {"UNKNOWN_PRODUCT", "PRICE_MISMATCH"}
    assert client.get(reverse("orders-api:figure", args=["nope"]), **auth).status_code == 404
    assert client.get(reverse("orders-api:figure", args=["summary"]) + "?since=x",
                      **auth).status_code == 400
    assert client.get(reverse("orders-api:figure", args=["summary"])).status_code in (401, 403)


def test_waiting_times_read_in_minutes_hours_or_days():
    from orders.views import duration

    assert duration(None) == "–"
    assert duration(Decimal("0.001")) == "< 1 min"
    assert duration(Decimal("0.25")) == "15 min"
    assert duration(Decimal("5.5")) == "5.5 h"
    assert duration(Decimal("72")) == "3.0 d"
