"""orders.services.history: audited rows written in few statements, exactly as the ORM writes them."""

from datetime import date
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from orders.models import InboundDocument, Order, OrderLine
from orders.selectors import system_user
from orders.services.history import history_create

pytestmark = pytest.mark.django_db

#: Columns that differ between two rows written one after the other whatever wrote them.
OWN = {"id", "history_id", "history_date", "created_at", "received_at", "position"}


def document(name: str) -> InboundDocument:
    return InboundDocument(source=f"api/{name}", filename=name, channel="api",
                           raw=b"%PDF-1.7 \x00\xff bytes", sha256="ab" * 32, size=17,
                           sender="buyer@acme.example")


def order(doc: InboundDocument, position: int) -> Order:
    return Order(document=doc, position=position, source=doc.source, po_number="PO-ÄÖ-1",
                 order_date=date(2026, 12, 7), requested_date=None, currency="EUR",
                 notes="deliver to gate 3\nbefore noon", sender="buyer@acme.example",
                 draft={"lines": [{"sku": "SKU-1", "qty": "1.5"}], "nested": {"n": None}},
                 causes=[{"code": "PRICE_MISMATCH", "line": 1}], order_value=Decimal("1234.56"))


def columns(row) -> dict:
    return {name: value for name, value in model_to_dict(row).items() if name not in OWN}


def stored(model, pk) -> dict:
    return {k: v for k, v in model.objects.filter(pk=pk).values().get().items() if k not in OWN}


def test_new_rows_are_stored_as_bulk_create_stores_them():
    actor = system_user()
    ours, theirs = document("a.pdf"), document("b.pdf")
    history_create([ours], user=actor)
    InboundDocument.objects.bulk_create([theirs])
    assert {**stored(InboundDocument, ours.pk), "filename": "", "source": ""} == {
        **stored(InboundDocument, theirs.pk), "filename": "", "source": ""}
    assert bytes(InboundDocument.objects.get(pk=ours.pk).raw) == ours.raw
    written, by_orm = order(ours, 0), order(ours, 1)
    history_create([written], user=actor)
    Order.objects.bulk_create([by_orm])
    assert stored(Order, written.pk) == stored(Order, by_orm.pk)
    assert written._state.adding is False and written._state.db == "default"


def test_their_history_rows_are_those_simple_history_writes():
    actor = system_user()
    doc = document("c.pdf")
    history_create([doc], user=actor)
    ours, theirs = order(doc, 0), order(doc, 1)
    history_create([ours], user=actor, reason="read from the document")
    theirs._history_user, theirs._change_reason = actor, "read from the document"
    theirs.save()  # simple-history's post_save signal writes this one
    mine, library = ours.history.get(), theirs.history.get()
    assert columns(mine) == columns(library)
    assert (mine.history_type, mine.history_user, mine.history_change_reason) == (
        "+", actor, "read from the document")


def test_several_rows_get_their_own_keys_in_order():
    actor = system_user()
    doc = document("d.pdf")
    history_create([doc], user=actor)
    parent = order(doc, 0)
    history_create([parent], user=actor)
    lines = [OrderLine(order=parent, position=n, sku=f"SKU-{n}", quantity=Decimal(n + 1))
             for n in range(3)]
    history_create(lines, user=actor)
    assert [line.pk for line in lines] == sorted(line.pk for line in lines)
    assert [(row.pk, row.sku) for row in OrderLine.objects.order_by("pk")] == [
        (line.pk, line.sku) for line in lines]
    assert [h.id for h in OrderLine.history.order_by("id")] == [line.pk for line in lines]


def test_an_order_assigned_before_it_was_saved_lends_its_key():
    actor = system_user()
    doc = document("e.pdf")
    early = order(doc, 0)  # built while its document has no key yet
    history_create([doc], user=actor)
    history_create([early], user=actor)
    assert Order.objects.get(pk=early.pk).document_id == doc.pk
