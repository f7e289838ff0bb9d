"""Backtest: a draft rule set judged over the orders of the past, nothing executed."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders.models import Customer, Order, Product
from rules.backtest import (
    AutonomyLevels,
    HistoryFacts,
    Judged,
    RememberingBook,
    backtest_run,
    order_causes,
    past_orders,
    rulebook_override,
    rulebook_version,
    scope_parse,
)
from rules.checks import DatabaseFacts
from rules.errors import RuleError
from rules.models import RuleChange
from rules.rulebook import Scope
from rules.selectors import autonomy_level, rulebook_current
from rules.services import rule_change_submit

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 30)


@pytest.fixture
def masterdata(load):
    load("customers", [
        {"customer_number": "C1", "name": "Acme GmbH", "email_domains": "acme.example",
         "country": "DE", "currency": "EUR", "customer_group": "key"},
        {"customer_number": "C2", "name": "Beta GmbH", "email_domains": "beta.example",
         "country": "DE", "currency": "EUR", "customer_group": "smb"}])
    load("shiptos", [{"customer_number": c, "shipto_code": "S1", "name": f"{c} Köln",
                      "street": "Weg 1", "city": "Köln", "postal_code": "50667", "country": "DE",
                      "is_default": "true"} for c in ("C1", "C2")])
    load("products", [
        {"sku": "W", "description": "Widget", "base_uom": "EA", "product_family": "widgets"},
        {"sku": "G", "description": "Gadget", "base_uom": "EA", "product_family": "gadgets"}])
    load("prices", [
        {"customer_number": c, "sku": s, "unit_price": "1.00", "currency": "EUR",
         "valid_from": "2026-01-01"} for c in ("C1", "C2") for s in ("W", "G")])
    load("inventory", [{"sku": s, "warehouse": "A", "on_hand": "1000"} for s in ("W", "G")])
    load("credit", [{"customer_number": c, "credit_limit": "100000"} for c in ("C1", "C2")])
    call_command("set_autonomy", "autonomous", stdout=StringIO())


def history(load, rows):
    """Order-history lines: (customer, PO, date, sku, quantity, unit price)."""
    load("order_history", [{"customer_number": c, "po_number": po, "order_date": day, "sku": sku,
                            "quantity": qty, "unit_price": price, "shipto_code": "S1"}
                           for c, po, day, sku, qty, price in rows])


@pytest.fixture
def priced(masterdata, load):
    """Six orders of C2: two at the agreed price, three 2.5% above it, one 5% above."""
    prices = ["1.00", "1.00", "1.025", "1.025", "1.025", "1.05"]
    history(load, [("C2", f"P{i}", f"2026-03-0{i + 1}", "W", "10", price)
                   for i, price in enumerate(prices)])


def tolerance(book, value):
    return rulebook_override(book, code="PRICE_MISMATCH", params={"tolerance_pct": value})


def test_a_wider_price_tolerance_adds_exactly_the_orders_inside_it(priced):
    current = rulebook_current()
    report = backtest_run(book=tolerance(current, "3"), baseline=current, today=TODAY)
    assert report.judged == 6
    assert (report.baseline.touchless, report.draft.touchless) == (2, 5)
    assert (report.gained, report.lost) == (3, 0)
    assert report.baseline.stopped == {"PRICE_MISMATCH": 4}
    assert report.draft.stopped == {"PRICE_MISMATCH": 1}
    assert report.difference() == ("PRICE_MISMATCH for everything: price tolerance (%) 2 → 3: "
                                   "+3 touchless orders (2 → 5); 0 fewer")
    assert [c.label for c in report.changed] == ["C2 PO P2", "C2 PO P3", "C2 PO P4"]
    assert report.draft.autonomous == 5  # autonomous everywhere


def test_a_narrower_tolerance_counts_the_orders_it_loses(priced):
    current = rulebook_current()
    report = backtest_run(book=tolerance(current, "0"), baseline=tolerance(current, "3"),
                          today=TODAY)
    assert (report.gained, report.lost, report.draft.touchless) == (0, 3, 2)


def test_a_scoped_override_changes_only_its_segment(priced, load):
    history(load, [("C1", "Q1", "2026-03-01", "W", "10", "1.025")])
    current = rulebook_current()
    for scope, gained in ((scope_parse("group=smb"), 3), (scope_parse("customer=C1"), 1),
                          (scope_parse("family=gadgets"), 0)):
        draft = rulebook_override(current, code="PRICE_MISMATCH", scope=scope,
                                  params={"tolerance_pct": "3"})
        assert backtest_run(book=draft, baseline=current, today=TODAY).gained == gained, scope


def test_a_rule_as_in_force_that_takes_over_from_another_is_still_compared(masterdata, load):
    history(load, [("C1", "Q1", "2026-03-01", "W", "10", "1.03")])
    family = rulebook_override(rulebook_current(), code="PRICE_MISMATCH",
                               scope=scope_parse("family=widgets"), params={"tolerance_pct": "5"})
    # 2 % for C1, as the rule for everything says: yet it beats the family's 5 %.
    customer = rulebook_override(family, code="PRICE_MISMATCH", scope=scope_parse("customer=C1"),
                                 params={"tolerance_pct": "2"})
    report = backtest_run(book=customer, baseline=family, today=TODAY)
    assert (report.gained, report.lost) == (0, 1)
    assert report.rule_changes == ["PRICE_MISMATCH for customer C1: a rule of its own, on, "
                                   "price tolerance (%) 2"]


def test_quantity_history_is_judged_as_it_stood_on_the_order_date(masterdata, load):
    history(load, [("C1", "H1", "2026-02-01", "G", "10", ""),
                   ("C1", "H2", "2026-02-02", "G", "10", ""),
                   ("C1", "H3", "2026-02-03", "G", "10", ""),
                   # 10× the largest of 3 earlier orders: an anomaly on its day,
                   ("C1", "H4", "2026-02-10", "G", "100", ""),
                   # though not 3× the largest order before this one (H4).
                   ("C1", "H5", "2026-03-01", "G", "120", ""),
                   # Only 1 earlier order on 2026-02-02: too few to judge H2's neighbour.
                   ("C2", "K1", "2026-02-01", "G", "10", ""),
                   ("C2", "K2", "2026-02-02", "G", "500", "")])
    current = rulebook_current()
    off = rulebook_override(current, code="QUANTITY_ANOMALY", enabled=False)
    report = backtest_run(book=off, baseline=current, today=TODAY)
    assert report.baseline.stopped == {"QUANTITY_ANOMALY": 1}
    assert [c.label for c in report.changed] == ["C1 PO H4"]
    assert report.draft.stopped == {}
    assert report.difference().startswith("QUANTITY_ANOMALY for everything: switch off: +1 ")


def test_price_agreement_valid_on_the_order_date(masterdata, load):
    load("prices", [{"customer_number": "C1", "sku": "W", "unit_price": "2.00", "currency": "EUR",
                     "valid_from": "2026-05-01"}])
    history(load, [("C1", "A1", "2026-04-30", "W", "1", "1.00"),
                   ("C1", "A2", "2026-05-01", "W", "1", "2.00"),
                   ("C1", "A3", "2025-12-31", "W", "1", "1.00")])  # before any agreement
    report = backtest_run(book=rulebook_current(), today=TODAY)
    assert (report.judged, report.draft.touchless) == (3, 2)
    assert report.draft.stopped == {"PRICE_MISSING": 1}


def test_database_and_history_facts_pick_the_same_agreement(masterdata, load):
    # An open start is the earliest start: the dated agreement wins once valid
    # (on PostgreSQL too, which sorts NULL first in a descending order).
    load("prices", [{"customer_number": "C1", "sku": "W", "unit_price": "5.00", "currency": "EUR"}])
    customer, product = Customer.objects.get(customer_number="C1"), Product.objects.get(sku="W")
    history_facts = HistoryFacts()
    for day, price in ((date(2025, 12, 31), "5.0000"), (date(2026, 1, 1), "1.0000")):
        picked = [facts.agreements(customer, {product.pk}, day)[product.pk].unit_price
                  for facts in (DatabaseFacts(), history_facts)]
        assert picked == [Decimal(price)] * 2


def test_history_is_not_judged_on_todays_stock_or_credit(masterdata, load):
    history(load, [("C1", "BIG", "2026-03-01", "W", "999999", "1.00")])
    report = backtest_run(book=rulebook_current(), today=TODAY)
    assert report.draft.touchless == 1
    assert any("Stock and credit" in note for note in report.notes)


def send(tmp_path, name, customer="C1", price="1.00", qty="10", **extra):
    body = {"sender": f"buyer@{'acme' if customer == 'C1' else 'beta'}.example",
            "customer_number": customer, "po_number": name, "currency": "EUR",
            "lines": [{"sku": "W", "quantity": qty, "unit_price": price}], **extra}
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(body))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def test_past_documents_are_judged_like_their_decisions(tmp_path, masterdata):
    executed = send(tmp_path, "D1")
    mismatch = send(tmp_path, "D2", price="1.10")
    short = send(tmp_path, "D3", qty="5000")
    assert executed.status == Order.State.EXECUTED
    assert [c["code"] for c in mismatch.causes] == ["PRICE_MISMATCH"]
    assert [c["code"] for c in short.causes] == ["INSUFFICIENT_STOCK"]
    report = backtest_run(book=rulebook_current(), sources=("documents",))
    assert report.by_source == {"documents": 3}
    assert report.draft.touchless == 1
    # Stock is the day's level: the recorded outcome stands, not today's stock.
    assert report.draft.stopped == {"PRICE_MISMATCH": 1, "INSUFFICIENT_STOCK": 1}


def test_an_intake_cause_is_dropped_when_the_draft_switches_its_rule_off(tmp_path, masterdata):
    order = send(tmp_path, "F1", notes="Please deliver to the back door on Saturday instead")
    assert [c["code"] for c in order.causes] == ["FREE_TEXT_INSTRUCTION"]
    send(tmp_path, "F2", shipto_code="NOWHERE")  # UNKNOWN_SHIPTO: required, never dropped
    current = rulebook_current()
    draft = current
    for code in ("FREE_TEXT_INSTRUCTION", "UNKNOWN_SHIPTO"):
        try:
            draft = rulebook_override(draft, code=code, enabled=False)
        except RuleError:
            assert code == "UNKNOWN_SHIPTO"
    report = backtest_run(book=draft, baseline=current)
    assert report.baseline.stopped == {"FREE_TEXT_INSTRUCTION": 1, "UNKNOWN_SHIPTO": 1}
    assert report.draft.stopped == {"UNKNOWN_SHIPTO": 1}
    assert (report.gained, report.lost) == (1, 0)


def test_a_required_rule_cannot_be_switched_off(masterdata):
    with pytest.raises(RuleError, match="PRICE_MISSING cannot be switched off"):
        rulebook_override(rulebook_current(), code="PRICE_MISSING", enabled=False)
    with pytest.raises(RuleError, match="no parameter"):
        rulebook_override(rulebook_current(), code="PRICE_MISMATCH", params={"tolerance": "3"})
    with pytest.raises(RuleError, match="outside"):
        tolerance(rulebook_current(), "300")
    with pytest.raises(RuleError, match="customer 'NOPE' does not exist"):
        rulebook_override(rulebook_current(), code="PRICE_MISMATCH", scope=Scope("NOPE"),
                          params={"tolerance_pct": "3"})


def _row_counts() -> dict[str, int]:
    models = [m for label in ("orders", "rules", "exceptions", "integrations")
              for m in apps.get_app_config(label).get_models()]
    return {m._meta.label: m.objects.count() for m in models}


def test_nothing_is_written(tmp_path, priced):
    send(tmp_path, "D1")
    send(tmp_path, "D2", price="1.10")
    before = _row_counts()
    with CaptureQueriesContext(connection) as done:
        backtest_run(book=tolerance(rulebook_current(), "3"), baseline=rulebook_current())
        call_command("backtest", "--set", "PRICE_MISMATCH.tolerance_pct=3", stdout=StringIO())
    writes = [q["sql"] for q in done.captured_queries
              if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert _row_counts() == before


def test_queries_do_not_grow_with_the_orders(masterdata, load):
    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            backtest_run(book=tolerance(rulebook_current(), "3"), baseline=rulebook_current())
        return len(done.captured_queries)

    history(load, [("C1", f"A{i}", "2026-03-01", "W", "1", "1") for i in range(3)])
    few = queries()
    history(load, [("C2", f"B{i}", "2026-03-02", "G", "1", "1") for i in range(40)])
    assert queries() == few


def test_remembered_rules_answer_as_the_rule_book_does(tmp_path, masterdata, load):
    history(load, [(c, f"{c}-{i}", f"2026-03-0{i}", sku, qty, price) for c in ("C1", "C2")
                   for i, (sku, qty, price) in enumerate([("W", "10", "1.00"), ("G", "10", "1.03"),
                                                          ("W", "10", "1.025"), ("G", "40", "1.01")],
                                                         start=1)])
    send(tmp_path, "E1", price="1.025")
    book = rulebook_current()
    for code, scope, params in [
            ("PRICE_MISMATCH", "group=smb", {"tolerance_pct": "2.6"}),
            ("PRICE_MISMATCH", "family=gadgets", {"tolerance_pct": "3.5"}),
            ("PRICE_MISMATCH", "customer=C1,family=widgets", {"tolerance_pct": "0"}),
            ("PRICE_MISMATCH", "channel=file", {"tolerance_pct": "5"}),
            ("QUANTITY_ANOMALY", "customer=C2", {"min_history": "1"})]:
        book = rulebook_override(book, code=code, scope=scope_parse(scope), params=params)
    past = past_orders(since=None, until=timezone.localdate(), sources=("history", "documents"))
    remembering = RememberingBook(book)
    judged = [(order_causes(item, book, past.facts), order_causes(item, remembering, past.facts))
              for item in past.items]
    assert len(judged) == 9
    assert all(plain == remembered for plain, remembered in judged)
    assert {cause for plain, _ in judged for cause in plain} == {"PRICE_MISMATCH",
                                                                 "QUANTITY_ANOMALY"}


def test_autonomy_levels_are_the_selectors(masterdata):
    call_command("set_autonomy", "off", "--product-family", "gadgets", stdout=StringIO())
    call_command("set_autonomy", "shadow", "--customer", "C2", stdout=StringIO())
    levels = AutonomyLevels()

    for number in ("C1", "C2"):
        customer = Customer.objects.get(customer_number=number)
        for families in ({"widgets"}, {"gadgets"}, {"widgets", "gadgets"}, set()):
            item = Judged("history", "", TODAY, Order(customer=customer), [],
                          frozenset(families), frozenset({"email"}))
            expected, _ = autonomy_level(customer_number=number,
                                         customer_group=customer.customer_group,
                                         product_families=families, channels={"email"})
            assert levels.level(item) == expected, (number, families)


# --- The command ---------------------------------------------------------------------------


def test_command_reports_the_difference_in_words(priced):
    out = StringIO()
    call_command("backtest", "--set", "PRICE_MISMATCH.tolerance_pct=3", "--until", "2026-06-30",
                 stdout=out)
    text = out.getvalue()
    assert "Backtest of 6 historical orders" in text
    assert "+3 touchless orders (2 → 5); 0 fewer" in text
    assert "PRICE_MISMATCH" in text and "Stock and credit" in text


def test_command_compares_versions_and_writes_json(priced, make_user):
    rule_change_submit(change=RuleChange(code="PRICE_MISMATCH", parameters={"tolerance_pct": "1"},
                                         reason="tighter"), actor=make_user("f", superuser=True))
    out = StringIO()
    call_command("backtest", "--version", "1", "--against", "current", "--format", "json",
                 "--since", "2026-03-02", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["judged"], data["draft"]["version"], data["baseline"]["version"]) == (5, "1", "2")
    assert (data["draft"]["touchless"], data["baseline"]["touchless"]) == (1, 1)
    assert data["rule_changes"] == ["PRICE_MISMATCH for everything: price tolerance (%) 1 → 2"]


@pytest.mark.parametrize("args, message", [
    (["--set", "PRICE_MISMATCH.tolerance_pct=abc"], "is not a number"),
    (["--set", "PRICE_MISMATCH=3"], "CODE.parameter=value"),
    (["--disable", "CREDIT_HOLD"], "cannot be switched off"),
    (["--disable", "MIN_ORDER_QTY@planet=mars"], "scope"),
    (["--version", "99"], "no rule-set version 99"),
    (["--since", "2026-13-01"], "not a date"),
])
def test_command_refuses_bad_input_in_one_line(masterdata, args, message):
    with pytest.raises(CommandError, match=message) as error:
        call_command("backtest", *args, stdout=StringIO())
    assert "\n" not in str(error.value)


def test_rulebook_version_names_a_version_or_current(masterdata):
    assert rulebook_version("current").version == rulebook_version(1).version == "1"
    with pytest.raises(RuleError):
        rulebook_version("latest")


# --- The page ------------------------------------------------------------------------------


def test_page_shows_the_report_side_by_side_for_staff(client, priced, make_user):
    client.force_login(make_user("cs"))
    assert client.get(reverse("backtest")).status_code == 200  # the form, nothing run yet
    page = client.get(reverse("backtest"), {"run": "1", "PRICE_MISMATCH__tolerance_pct": "3",
                                            "until": "2026-06-30"})
    assert page.status_code == 200
    report = page.context["report"]
    assert (report.gained, report.draft.touchless) == (3, 5)
    html = page.content.decode()
    assert "+3 touchless orders (2 → 5); 0 fewer" in html
    assert "C2 PO P3" in html


def test_page_shows_bad_input_on_the_form(client, masterdata, make_user):
    client.force_login(make_user("cs"))
    page = client.get(reverse("backtest"), {"run": "1", "PRICE_MISMATCH__tolerance_pct": "500",
                                            "customer_number": "NOPE", "since": "yesterday"})
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert set(errors) >= {"PRICE_MISMATCH__tolerance_pct", "since"}
    assert page.context["report"] is None


def test_page_refuses_non_staff(client, masterdata, django_user_model):
    user = django_user_model.objects.create_user("buyer", password="a-long-test-password")
    client.force_login(user)
    page = client.get(reverse("backtest"), {"run": "1"})
    assert page.status_code == 302 and "login" in page["Location"]
