"""Business checks of the boundary, each failing with its numbers."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from orders.models import Order
from rules.checks import evaluate
from rules.rulebook import RuleBook, RuleValues

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def masterdata(load):
    load("customers", [{"customer_number": "C1", "name": "Acme GmbH", "email_domains": "acme.example",
                        "country": "DE", "currency": "EUR"}])
    load("shiptos", [{"customer_number": "C1", "shipto_code": "S1", "name": "Acme Köln",
                      "street": "Hauptstr. 5", "city": "Köln", "postal_code": "50667",
                      "country": "DE", "is_default": "true"}])
    load("products", [
        {"sku": "W", "description": "Widget", "base_uom": "EA", "uoms": "CS=12", "lead_time_days": "5",
         "min_order_qty": "6"},
        {"sku": "OLD", "description": "Old", "base_uom": "EA", "status": "discontinued"},
        {"sku": "CFG", "description": "Cfg", "base_uom": "EA", "configurable": "true",
         "restricted_countries": "DE"},
    ])
    load("prices", [
        {"customer_number": "C1", "sku": "W", "unit_price": "1.00", "currency": "EUR",
         "valid_from": "2026-01-01"},
        {"customer_number": "C1", "sku": "OLD", "unit_price": "2.00", "currency": "EUR"},
    ])
    load("inventory", [{"sku": "W", "warehouse": "A", "on_hand": "100", "next_receipt_date": "2026-12-10",
                        "next_receipt_qty": "200"}])
    load("credit", [{"customer_number": "C1", "credit_limit": "500", "open_exposure": "300"}])
    load("order_history", [
        {"customer_number": "C1", "po_number": f"H{i}", "order_date": "2026-01-0" + str(i), "sku": "W",
         "quantity": "24"} for i in range(1, 4)
    ])


def order(tmp_path, lines, **changes) -> Order:
    body = {"sender": "b@acme.example", "customer_number": "C1", "po_number": "P1",
            "order_date": "2026-11-20", "requested_date": "2026-12-15", "lines": lines}
    body.update(changes)
    path = tmp_path / f"{abs(hash(json.dumps(body)))}.json"
    path.write_text(json.dumps(body))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def failures(evaluation) -> dict[str, str]:
    return {outcome.code: outcome.message for outcome in evaluation.failures}


def test_a_routine_order_passes_every_check(tmp_path, masterdata):
    result = evaluate(order(tmp_path, [{"sku": "W", "quantity": "2", "uom": "CS", "unit_price": "12"}]),
                      today=TODAY)
    assert failures(result) == {}
    assert (result.order_value, result.promised_date) == (Decimal("24.00"), date(2026, 12, 15))
    assert {o.code for o in result.outcomes} >= {"PRICE_MISMATCH", "INSUFFICIENT_STOCK",
                                                   "CREDIT_LIMIT_EXCEEDED", "QUANTITY_ANOMALY"}


def test_price_above_tolerance_names_both_prices(tmp_path, masterdata):
    result = evaluate(order(tmp_path, [{"sku": "W", "quantity": "2", "uom": "CS", "unit_price": "13.08"}]),
                      today=TODAY)
    assert failures(result) == {
        "PRICE_MISMATCH": "line 1: unit price 1.09 vs agreement 1 per EA: +9.0% > 2%"}
    book = RuleBook([RuleValues("PRICE_MISMATCH", params={"tolerance_pct": "10"})], version="draft")
    wider = evaluate(Order.objects.get(), today=TODAY, book=book)
    assert failures(wider) == {}


def test_every_failing_check_is_reported_not_just_the_first(tmp_path, masterdata):
    lines = [{"sku": "W", "quantity": "100", "uom": "CS"}, {"sku": "OLD", "quantity": "1"},
             {"sku": "CFG", "quantity": "1"}]
    result = evaluate(order(tmp_path, lines, currency="USD", requested_date="2026-11-22"), today=TODAY)
    assert set(failures(result)) == {
        "CURRENCY_MISMATCH", "DISCONTINUED_PRODUCT", "CONFIGURABLE_PRODUCT", "PRICE_MISSING",
        "QUANTITY_ANOMALY", "REQUESTED_DATE_INFEASIBLE", "INSUFFICIENT_STOCK",
        "CREDIT_LIMIT_EXCEEDED", "COMPLIANCE_RESTRICTED",
    }
    messages = failures(result)
    assert messages["QUANTITY_ANOMALY"] == ("line 1: 1200 EA vs largest of 3 earlier orders 24: "
                                            "more than 3×")
    assert messages["REQUESTED_DATE_INFEASIBLE"] == (
        "requested 2026-11-22, but the lead time of 5 days allows 2026-11-25 at the earliest")
    assert messages["CREDIT_LIMIT_EXCEEDED"] == "exposure 300 + order 1202 = 1502 vs limit 500"


def test_receipts_due_by_the_requested_date_count_as_stock(tmp_path, masterdata):
    early = evaluate(order(tmp_path, [{"sku": "W", "quantity": "250"}], requested_date="2026-12-01"),
                     today=TODAY)
    late = evaluate(order(tmp_path, [{"sku": "W", "quantity": "250"}], po_number="P2"), today=TODAY)
    assert "needs 250, 100 available" in failures(early)["INSUFFICIENT_STOCK"]
    assert "INSUFFICIENT_STOCK" not in failures(late)


def test_minimum_quantity_blocked_customer_hold_and_denied_party(tmp_path, masterdata, load):
    load("customers", [{"customer_number": "C1", "name": "Acme GmbH", "email_domains": "acme.example",
                        "country": "DE", "currency": "EUR", "status": "blocked"}])
    load("credit", [{"customer_number": "C1", "credit_limit": "500", "on_hold": "true"}])
    load("denied_parties", [{"name": "ACME GMBH", "country": "DE"}])
    result = evaluate(order(tmp_path, [{"sku": "W", "quantity": "3"}]), today=TODAY)
    assert set(failures(result)) == {"MIN_ORDER_QTY", "CUSTOMER_BLOCKED", "CREDIT_HOLD", "DENIED_PARTY"}
    assert failures(result)["MIN_ORDER_QTY"] == "line 1: 3 EA of W is below the minimum 6"
