"""A person's actions on an exception: take, release (overriding what may be), reject."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from exceptions.models import Case
from exceptions.services import case_return, case_take
from integrations.models import OutboxMessage
from orders import roles
from orders.errors import CaseActionError
from orders.models import Credit, Inventory, Order
from orders.selectors import outcome_record
from orders.services.execution import order_reject, order_release
from rules.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def masterdata(load):
    load("customers", [{"customer_number": "C1", "name": "Acme GmbH", "email_domains": "acme.example",
                        "country": "DE", "currency": "EUR"}])
    load("shiptos", [{"customer_number": "C1", "shipto_code": "S1", "name": "Acme", "street": "Weg 1",
                      "city": "Köln", "postal_code": "50667", "country": "DE", "is_default": "true"}])
    load("products", [{"sku": "SKU-1", "description": "Widget", "base_uom": "EA"}])
    load("prices", [{"customer_number": "C1", "sku": "SKU-1", "unit_price": "1", "currency": "EUR"}])
    load("inventory", [{"sku": "SKU-1", "warehouse": "A", "on_hand": "100"}])
    load("credit", [{"customer_number": "C1", "credit_limit": "50", "open_exposure": "0"}])


@pytest.fixture
def people(make_user):
    return {"cs": make_user("cs", roles.CUSTOMER_SERVICE), "fin": make_user("fin", roles.FINANCE)}


def send(tmp_path, quantity="5", price=None, po="PO-1") -> Order:
    line = {"sku": "SKU-1", "quantity": quantity}
    if price:
        line["unit_price"] = price
    path = tmp_path / f"{po}.json"
    path.write_text(json.dumps({"sender": "b@acme.example", "customer_number": "C1",
                                "po_number": po, "lines": [line]}))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def test_customer_service_releases_a_shadow_order_under_the_same_locks(tmp_path, masterdata, people):
    order = send(tmp_path)
    assert [c["code"] for c in order.causes] == ["AUTONOMY_DISABLED"]
    order_release(order_id=order.pk, actor=people["cs"], reason="checked: routine")
    order.refresh_from_db()
    assert order.status == Order.State.EXECUTED and order.promised_date is not None
    assert Inventory.objects.get().allocated == 5
    assert Credit.objects.get().open_exposure == Decimal("5.00")
    assert OutboxMessage.objects.filter(order=order).count() == 2
    decision = order.decisions.latest("pk")
    assert (decision.outcome, decision.decided_by, decision.note) == (
        Decision.Outcome.RELEASED, people["cs"], "checked: routine")
    case = Case.objects.get(order=order)
    assert (case.status, case.resolution) == (Case.State.RESOLVED, Case.Resolution.RELEASED)
    # Exported as what it was: an order a person had to touch.
    assert outcome_record(order)["status"] == "exception"
    with pytest.raises(CaseActionError, match="nothing to release"):
        order_release(order_id=order.pk, actor=people["cs"], reason="again")
    assert Inventory.objects.get().allocated == 5


def test_a_price_deviation_is_released_by_finance_not_customer_service(tmp_path, masterdata, people):
    order = send(tmp_path, price="1.50")
    assert sorted(c["code"] for c in order.causes) == ["PRICE_MISMATCH"]
    with pytest.raises(CaseActionError, match="PRICE_MISMATCH can only be overridden by Finance"):
        order_release(order_id=order.pk, actor=people["cs"], reason="looks fine")
    order_release(order_id=order.pk, actor=people["fin"], reason="old price list, accepted")
    assert order.lines.get().agreed_unit_price == Decimal("1")  # executed at the agreed price


def test_finance_may_release_over_the_credit_limit(tmp_path, masterdata, people):
    order = send(tmp_path, quantity="60")
    assert [c["code"] for c in order.causes] == ["CREDIT_LIMIT_EXCEEDED"]
    order_release(order_id=order.pk, actor=people["fin"], reason="prepaid")
    assert Credit.objects.get().open_exposure == Decimal("60.00")


def test_what_cannot_be_executed_cannot_be_released(tmp_path, masterdata, people, make_user):
    order = send(tmp_path, quantity="500")
    boss = make_user("root", superuser=True)
    with pytest.raises(CaseActionError, match="INSUFFICIENT_STOCK cannot be overridden"):
        order_release(order_id=order.pk, actor=boss, reason="please")
    assert Order.objects.get(pk=order.pk).status == Order.State.EXCEPTION
    assert Inventory.objects.get().allocated == 0


def test_a_release_rechecks_first_stock_taken_meanwhile_stops_it(tmp_path, masterdata, people, load):
    order = send(tmp_path)
    load("inventory", [{"sku": "SKU-1", "warehouse": "A", "on_hand": "2"}])
    with pytest.raises(CaseActionError, match="INSUFFICIENT_STOCK"):
        order_release(order_id=order.pk, actor=people["cs"], reason="routine")


def test_reject_needs_a_reason_and_closes_the_case(tmp_path, masterdata, people):
    order = send(tmp_path)
    with pytest.raises(CaseActionError, match="only Customer service may reject"):
        order_reject(order_id=order.pk, actor=people["fin"], reason="not mine")
    with pytest.raises(CaseActionError, match="say why"):
        order_reject(order_id=order.pk, actor=people["cs"], reason=" ")
    order_reject(order_id=order.pk, actor=people["cs"], reason="customer cancelled by phone")
    order.refresh_from_db()
    assert order.status == Order.State.REJECTED and Inventory.objects.get().allocated == 0
    assert Case.objects.get(order=order).resolution == Case.Resolution.REJECTED
    assert order.decisions.latest("pk").decided_by == people["cs"]


def test_taking_a_case_moves_it_to_in_progress_once(tmp_path, masterdata, people):
    case = Case.objects.get(order=send(tmp_path))
    case_take(case_id=case.pk, actor=people["cs"])
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Case.State.IN_PROGRESS, people["cs"])
    with pytest.raises(CaseActionError, match="in progress, not open"):
        case_take(case_id=case.pk, actor=people["fin"])
    case_return(case_id=case.pk, actor=people["cs"])
    assert Case.objects.get(pk=case.pk).status == Case.State.OPEN
