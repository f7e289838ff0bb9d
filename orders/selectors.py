"""Reads of master data worth a name."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

#: The system user, once read outside any transaction (so it is committed).
_system_user: dict[str, object] = {}


def system_user():
    """The user that history names for changes no person made.

    Created by a data migration; get_or_create keeps tests and fresh
    databases that skipped migrations working. It never changes, so each
    process reads it once, not for every document, decision and delivery.
    One read inside a transaction is not kept, as that transaction may have
    created it and roll back; a flush (which empties the table) forgets it
    (system_user_forget, on post_migrate).
    """
    if "user" in _system_user:
        return _system_user["user"]
    user, _ = get_user_model().objects.get_or_create(
        username=settings.ORDERDESK_SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "OrderDesk", "last_name": "system"},
    )
    if not transaction.get_connection().in_atomic_block:
        _system_user["user"] = user
    return user


def system_user_forget(**kwargs) -> None:
    _system_user.clear()


def outcome_records():
    """CONTRACT §4 records, one per order found in an inbound document, in intake order."""
    from orders.models import Order

    orders = (Order.objects.select_related("customer", "shipto", "case")
              .prefetch_related("lines__product").order_by("document_id", "position"))
    for order in orders.iterator(chunk_size=500):
        yield outcome_record(order)


def outcome_record(order) -> dict:
    # An order a person had to look at is an exception, whatever became of it
    # later (released, fixed, rejected): "executed" means without a person.
    case = getattr(order, "case", None)
    causes = case.causes if case is not None else order.causes
    if case is not None and not causes:
        # A correction may settle every cause before a person releases the
        # order; the record still says why it went to a person (§4: at least one).
        causes = _opening_causes(case)
    return {
        "source": order.source,
        "status": "exception" if case is not None else order.status,
        "customer_number": order.customer.customer_number if order.customer else "",
        "po_number": order.po_number,
        "shipto_code": order.shipto.shipto_code if order.shipto else "",
        "requested_date": order.requested_date.isoformat() if order.requested_date else "",
        "promised_date": order.promised_date.isoformat() if order.promised_date else "",
        "lines": [_outcome_line(line) for line in order.lines.all()],
        "causes": list(dict.fromkeys(cause["code"] for cause in causes)),
    }


def _opening_causes(case) -> list[dict]:
    """The causes a case was opened with, from its "opened" event."""
    event = case.events.filter(kind="opened").order_by("pk").first()
    codes = event.changes.get("causes", {}).get("after", []) if event else []
    return [{"code": code} for code in codes]


def _outcome_line(line) -> dict:
    price = line.agreed_unit_price if line.agreed_unit_price is not None else line.unit_price
    return {
        "sku": line.product.sku if line.product else (line.sku or line.customer_part_number),
        "quantity": plain_decimal(line.quantity),
        "uom": line.resolved_uom or line.uom,
        "base_quantity": plain_decimal(line.base_quantity),
        "unit_price": f"{price:.4f}" if price is not None else "",
    }


def plain_decimal(value) -> str:
    """A decimal as the contract writes it: "10", "2.5", no exponent, "" for none."""
    return "" if value is None else format(value.normalize(), "f")


@dataclass(frozen=True)
class PricePaid:
    """A price per base unit the customer paid, when, on which PO."""

    unit_price: Decimal
    on: date
    po_number: str


def last_price_paid(*, customer, product) -> PricePaid | None:
    """The price per base unit the customer last paid for the product: the
    newer of its order history (imported from the ERP) and its last order
    executed here. What a new price agreement is held against."""
    from orders.models import Order, OrderHistoryLine, OrderLine

    paid = []
    row = (OrderHistoryLine.objects.filter(customer=customer, product=product,
                                           unit_price__isnull=False)
           .order_by("-order_date", "-pk").values_list("unit_price", "order_date", "po_number")
           .first())
    if row:
        paid.append(PricePaid(*row))
    # decided_at: an executed order is decided once more, when it executes.
    row = (OrderLine.objects.filter(order__customer=customer, product=product,
                                    order__status=Order.State.EXECUTED,
                                    agreed_unit_price__isnull=False)
           .order_by("-order__decided_at", "-pk")
           .values_list("agreed_unit_price", "order__decided_at", "order__po_number").first())
    if row and row[1] is not None:
        paid.append(PricePaid(row[0], timezone.localdate(row[1]), row[2]))
    return max(paid, key=lambda price: price.on, default=None)
