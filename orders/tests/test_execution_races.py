"""Two workers deciding at the same time never oversell stock or credit (PostgreSQL).

SQLite serialises writers and ignores SELECT … FOR UPDATE, so the race is
only real on PostgreSQL; the tests skip elsewhere.
"""

import json
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from orders.models import Credit, Inventory, Order
from orders.services import intake
from orders.services.execution import order_decide

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def masterdata(load):
    load("customers", [{"customer_number": "C1", "name": "Acme", "email_domains": "acme.example",
                        "country": "DE", "currency": "EUR"}])
    load("shiptos", [{"customer_number": "C1", "shipto_code": "S1", "name": "Acme", "street": "A 1",
                      "city": "Köln", "postal_code": "50667", "country": "DE", "is_default": "true"}])
    load("products", [{"sku": "W", "description": "Widget", "base_uom": "EA"}])
    load("prices", [{"customer_number": "C1", "sku": "W", "unit_price": "1", "currency": "EUR"}])
    load("inventory", [{"sku": "W", "warehouse": "A", "on_hand": "200"}])
    load("credit", [{"customer_number": "C1", "credit_limit": "10000"}])
    call_command("set_autonomy", "autonomous", stdout=StringIO())


def stored_orders(tmp_path, monkeypatch, *quantities) -> list[int]:
    """Orders read and stored but not yet decided, as two workers would find them."""
    monkeypatch.setattr(intake, "_decide_orders", lambda document, **kwargs: None)
    ids = []
    for number, quantity in enumerate(quantities):
        path = tmp_path / f"{number}.json"
        path.write_text(json.dumps({"sender": "b@acme.example", "customer_number": "C1",
                                    "po_number": f"P{number}", "requested_date": "2099-01-01",
                                    "lines": [{"sku": "W", "quantity": str(quantity)}]}))
        call_command("intake", str(path), "--sync", stdout=StringIO())
        ids.append(Order.objects.get(source=str(path)).pk)
    return ids


def decide_at_once(order_ids: list[int]) -> None:
    start = threading.Barrier(len(order_ids))
    errors = []

    def worker(order_id: int) -> None:
        try:
            start.wait()
            order_decide(order_id=order_id)
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in order_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_two_workers_racing_for_the_last_stock_never_oversell(tmp_path, monkeypatch, masterdata):
    ids = stored_orders(tmp_path, monkeypatch, 150, 150)
    decide_at_once(ids)
    statuses = sorted(Order.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == ["exception", "executed"]
    assert Inventory.objects.get().allocated == 150


def test_two_workers_racing_for_the_last_credit_never_exceed_it(tmp_path, monkeypatch, masterdata,
                                                                  load):
    load("credit", [{"customer_number": "C1", "credit_limit": "100"}])
    ids = stored_orders(tmp_path, monkeypatch, 60, 60)
    decide_at_once(ids)
    assert Credit.objects.get().open_exposure == Decimal("60")
    assert Order.objects.filter(pk__in=ids, status="executed").count() == 1


def test_the_same_order_decided_by_two_workers_executes_once(tmp_path, monkeypatch, masterdata):
    [order_id] = stored_orders(tmp_path, monkeypatch, 10)
    decide_at_once([order_id, order_id])
    assert Inventory.objects.get().allocated == 10
    assert Order.objects.get(pk=order_id).decisions.count() == 1
