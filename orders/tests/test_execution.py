"""The boundary end to end: decide, execute under locks, outbox, export."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from exceptions.models import Case
from integrations.models import OutboxMessage
from integrations.services.outbox import outbox_deliver
from orders.models import Credit, Inventory, Order
from orders.selectors import system_user
from orders.services.execution import order_decide
from orders.services.intake import document_process, document_receive
from rules.models import Decision
from rules.selectors import rulebook_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def masterdata(load):
    load("customers", [{"customer_number": "C1001", "name": "Acme GmbH", "email_domains": "acme.example",
                        "country": "DE", "currency": "EUR", "customer_group": "key"}])
    load("shiptos", [{"customer_number": "C1001", "shipto_code": "S1", "name": "Acme Köln",
                      "street": "Hauptstr. 5", "city": "Köln", "postal_code": "50667",
                      "country": "DE", "is_default": "true"}])
    load("products", [{"sku": "SKU-1", "description": "Widget", "base_uom": "EA", "uoms": "CS=12",
                       "product_family": "widgets", "lead_time_days": "2"}])
    load("prices", [{"customer_number": "C1001", "sku": "SKU-1", "unit_price": "1.04",
                     "currency": "EUR"}])
    load("inventory", [{"sku": "SKU-1", "warehouse": "A", "on_hand": "200"}])
    load("credit", [{"customer_number": "C1001", "credit_limit": "1000", "open_exposure": "100"}])


def send(tmp_path, name="po.json", **changes) -> Order:
    body = {"sender": "buyer@acme.example", "customer_number": "C1001", "po_number": "4711",
            "requested_date": "2099-12-01", "currency": "EUR",
            "lines": [{"sku": "SKU-1", "quantity": "10", "uom": "CS", "unit_price": "12.48"}]}
    body.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(body))
    call_command("intake", str(path), "--sync", stdout=StringIO())
    return Order.objects.get(source=str(path))


def autonomous():
    call_command("set_autonomy", "autonomous", stdout=StringIO())


def test_shadow_records_what_would_have_happened_and_routes(tmp_path, masterdata):
    order = send(tmp_path)
    assert order.status == Order.State.EXCEPTION
    assert [c["code"] for c in order.causes] == ["AUTONOMY_DISABLED"]
    decision = order.decisions.get()
    assert decision.outcome == Decision.Outcome.WOULD_EXECUTE
    assert decision.order_value == Decimal("124.80")
    assert Inventory.objects.get().allocated == 0
    assert Case.objects.get(order=order).owners == ["Customer service"]


def test_an_order_inside_the_boundary_executes_without_a_person(tmp_path, masterdata):
    autonomous()
    order = send(tmp_path)
    assert order.status == Order.State.EXECUTED, order.causes
    assert str(order.promised_date) == "2099-12-01"
    assert Inventory.objects.get().allocated == 120
    assert Credit.objects.get().open_exposure == Decimal("224.80")
    line = order.lines.get()
    assert (line.base_quantity, line.agreed_unit_price) == (120, Decimal("1.04"))
    erp, email = OutboxMessage.objects.order_by("pk")
    assert erp.idempotency_key == "erp:C1001:4711:0"
    assert erp.payload["lines"][0] == {"sku": "SKU-1", "quantity": "10", "uom": "CS",
                                       "base_quantity": "120", "unit_price": "1.0400"}
    assert email.payload["to"] == "buyer@acme.example"
    decision = order.decisions.get()
    assert decision.outcome == "executed" and all(c["passed"] for c in decision.checks)
    assert not Case.objects.exists()


def test_a_redelivered_decision_executes_nothing_twice(tmp_path, masterdata):
    autonomous()
    order = send(tmp_path)
    order_decide(order_id=order.pk)
    assert Inventory.objects.get().allocated == 120
    assert OutboxMessage.objects.count() == 2
    assert Decision.objects.count() == 1


def test_two_orders_for_the_last_stock_never_oversell(tmp_path, masterdata):
    autonomous()
    first = send(tmp_path, "a.json", po_number="A", lines=[{"sku": "SKU-1", "quantity": "150"}])
    second = send(tmp_path, "b.json", po_number="B", lines=[{"sku": "SKU-1", "quantity": "100"}])
    assert first.status == Order.State.EXECUTED
    assert second.status == Order.State.EXCEPTION
    assert "INSUFFICIENT_STOCK" in [c["code"] for c in second.causes]
    assert Inventory.objects.get().allocated == 150


def test_any_failing_check_routes_with_all_causes(tmp_path, masterdata):
    autonomous()
    order = send(tmp_path, lines=[{"sku": "SKU-1", "quantity": "100", "uom": "CS", "unit_price": "20"}])
    codes = {c["code"] for c in order.causes}
    assert codes == {"PRICE_MISMATCH", "INSUFFICIENT_STOCK", "CREDIT_LIMIT_EXCEEDED"}
    assert Case.objects.get(order=order).owners == ["Customer service", "Finance"]
    assert Inventory.objects.get().allocated == 0


def test_the_confirmation_is_sent_once_with_a_deterministic_message_id(tmp_path, masterdata, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    autonomous()
    send(tmp_path)
    email = OutboxMessage.objects.get(channel="email")
    outbox_deliver(message_id=email.pk)
    outbox_deliver(message_id=email.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == email.payload["message_id"]
    assert "4711" in mail.outbox[0].subject
    email.refresh_from_db()
    assert email.status == OutboxMessage.State.DELIVERED


def test_export_outcomes_follows_the_contract(tmp_path, masterdata):
    autonomous()
    send(tmp_path)
    out = StringIO()
    call_command("export_outcomes", stdout=out)
    record = json.loads(out.getvalue().splitlines()[0])
    assert record == {
        "source": str(tmp_path / "po.json"), "status": "executed", "customer_number": "C1001",
        "po_number": "4711", "shipto_code": "S1", "requested_date": "2099-12-01",
        "promised_date": "2099-12-01",
        "lines": [{"sku": "SKU-1", "quantity": "10", "uom": "CS", "base_quantity": "120",
                   "unit_price": "1.0400"}],
        "causes": [],
    }
    target = tmp_path / "out.csv"
    call_command("export_outcomes", "--format", "csv", "--output", str(target), stderr=StringIO())
    rows = target.read_text().splitlines()
    assert rows[0].startswith("source,status,customer_number")
    assert ",executed,C1001,4711,S1," in rows[1]


def test_every_write_of_an_autonomous_execution_is_in_the_history(tmp_path, masterdata):
    autonomous()
    order = send(tmp_path)
    system = system_user()
    latest = order.history.first()
    assert (latest.status, latest.history_user, latest.history_type) == ("executed", system, "~")
    assert latest.history_change_reason == "boundary: executed"
    assert [h.status for h in order.history.order_by("history_id")] == ["received", "executed"]
    line = order.lines.get().history.first()
    assert (line.agreed_unit_price, line.history_user) == (Decimal("1.04"), system)
    stock = Inventory.objects.get().history.first()
    assert (stock.allocated, stock.history_user) == (120, system)
    assert stock.history_change_reason == "allocated to an executed order"
    credit = Credit.objects.get().history.first()
    assert (credit.open_exposure, credit.history_user) == (Decimal("224.80"), system)
    assert credit.history_change_reason == "order 4711 executed"
    for message in OutboxMessage.objects.all():
        assert [h.history_type for h in message.history.order_by("history_id")][0] == "+"
        assert message.history.order_by("history_id").first().history_user == system
    decision = order.decisions.get()
    assert decision.rule_set_version == rulebook_current().version
    assert decision.decided_by is None  # nobody: the boundary decided


def test_the_worker_that_executes_an_order_delivers_its_outbox_once(
        masterdata, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    autonomous()
    body = {"sender": "buyer@acme.example", "customer_number": "C1001", "po_number": "4711",
            "requested_date": "2099-12-01", "lines": [{"sku": "SKU-1", "quantity": "10", "uom": "CS"}]}
    # The API user's own address: an API document speaks as its user (issue 13, 1c).
    document, _ = document_receive(data=json.dumps(body).encode(), source="api/1.json",
                                   channel="api", sender="buyer@acme.example", enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        document_process(document_id=document.pk)
    assert Order.objects.get().status == Order.State.EXECUTED
    # Without an ERP adapter the ERP message waits; the confirmation went out.
    assert dict(OutboxMessage.objects.values_list("channel", "status")) == {
        "erp": "pending", "email": "delivered"}
    with django_capture_on_commit_callbacks(execute=True):
        assert document_process(document_id=document.pk) is None  # redelivered: nothing again
    assert len(mail.outbox) == 1
