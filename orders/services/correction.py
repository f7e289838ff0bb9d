"""A person corrects what intake read: header fields and each line's
product, quantity and unit. The order is checked again at once; it is not
executed (releasing is a separate, explicit step). Intake's findings that
the correction settles are dropped; the checks' findings are computed anew.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from exceptions.models import Case
from orders.errors import CaseActionError
from orders.models import Customer, Order, OrderLine, Product, ShipTo
from orders.services.execution import CHECK_CAUSES, order_recheck
from rules.causes import Cause

#: Intake causes a person's correction settles, and the test that they are settled.
SETTLED_BY = {
    # The person read the document and confirmed or typed every value.
    Cause.EXTRACTION_UNCERTAIN: lambda order, lines: True,
    Cause.UNKNOWN_CUSTOMER: lambda order, lines: order.customer_id is not None,
    Cause.AMBIGUOUS_CUSTOMER: lambda order, lines: order.customer_id is not None,
    Cause.UNKNOWN_SHIPTO: lambda order, lines: order.shipto_id is not None,
    Cause.UNKNOWN_PRODUCT: lambda order, lines: all(line.product_id for line in lines),
    Cause.INVALID_UOM: lambda order, lines: all(line.resolved_uom for line in lines),
}


#: Starts the history reason of every correction: how the autonomy suggestions
#: tell an order a person corrected from one released as it stood.
CORRECTED = "corrected: "


def order_correct(*, order_id: int, actor, reason: str, header: dict,
                  lines: dict[int, dict]) -> Order:
    """Apply a person's corrections to an exception order and check it again.

    ``header`` may hold po_number, requested_date, customer_number and
    shipto_code; ``lines`` maps a line's position (OrderLine.position) to its
    sku, quantity and uom.
    Returns the order with the causes that remain.
    """
    if not reason.strip():
        raise CaseActionError("say why the order is corrected")
    if not header and not lines:
        raise CaseActionError("nothing was changed")
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related(
            "customer", "shipto", "document").get(pk=order_id)
        case = Case.objects.select_for_update().filter(order=order).first()
        if order.status != Order.State.EXCEPTION or case is None or not case.is_open:
            raise CaseActionError(f"order {order.po_number or order.pk} is "
                                  f"{order.get_status_display().lower()}: nothing to correct")
        note = f"{CORRECTED}{reason}"[:100]
        _apply_header(order, header)
        order_lines = list(order.lines.select_related("product").order_by("position"))
        for line in order_lines:
            if line.position in lines:
                _apply_line(order, line, lines[line.position], actor, note)
        order._history_user, order._change_reason = actor, note
        order.save()
        intake = [cause for cause in order.causes if cause["code"] not in CHECK_CAUSES
                  and not SETTLED_BY.get(cause["code"], lambda o, ls: False)(order, order_lines)]
        return order_recheck(order=order, case=case, actor=actor, note=reason,
                             intake_causes=intake)


def _apply_header(order: Order, header: dict) -> None:
    if "po_number" in header:
        po = (header["po_number"] or "").strip()
        if not po:
            raise CaseActionError("the PO number cannot be empty")
        order.po_number = po
    if "requested_date" in header:
        order.requested_date = header["requested_date"] or None
    if "customer_number" in header:
        number = (header["customer_number"] or "").strip()
        customer = Customer.objects.filter(customer_number__iexact=number).first()
        if customer is None:
            raise CaseActionError(f"there is no customer {number!r}")
        if customer.pk != order.customer_id:
            order.customer, order.shipto = customer, None
            order.currency = order.currency or customer.currency
    if "shipto_code" in header or ("customer_number" in header and order.shipto is None):
        _apply_shipto(order, (header.get("shipto_code") or "").strip())


def _apply_shipto(order: Order, code: str) -> None:
    if order.customer is None:
        raise CaseActionError("name the customer before the ship-to")
    shiptos = ShipTo.objects.filter(customer=order.customer)
    shipto = (shiptos.filter(shipto_code__iexact=code).first() if code
              else shiptos.filter(is_default=True).first())
    if code and shipto is None:
        raise CaseActionError(f"{order.customer.customer_number} has no ship-to {code!r}")
    order.shipto = shipto


def _apply_line(order: Order, line: OrderLine, change: dict, actor, note: str) -> None:
    if "sku" in change:
        sku = (change["sku"] or "").strip()
        product = Product.objects.filter(sku__iexact=sku).first()
        if product is None:
            raise CaseActionError(f"line {line.position + 1}: there is no product {sku!r}")
        line.product, line.sku = product, product.sku
    if "quantity" in change:
        quantity = change["quantity"]
        if quantity is None or quantity <= 0:
            raise CaseActionError(f"line {line.position + 1}: the quantity must be above zero")
        line.quantity = Decimal(quantity)
    if "uom" in change:
        line.uom = (change["uom"] or "").strip()
    _resolve_unit(line)
    line._history_user, line._change_reason = actor, note
    line.save()


def _resolve_unit(line: OrderLine) -> None:
    """The line's unit among its product's units (base unit when none is given)."""
    if line.product is None:
        return
    units = {line.product.base_uom: Decimal(1),
             **dict(line.product.units.values_list("uom", "factor"))}
    written = (line.uom or line.product.base_uom).strip().upper()
    code = next((code for code in units if code.upper() == written), None)
    if code is None:
        raise CaseActionError(f"line {line.position + 1}: {line.uom!r} is not a unit of "
                              f"{line.product.sku} ({', '.join(sorted(units))})")
    line.resolved_uom = code
    if line.quantity is not None:
        line.base_quantity = line.quantity * units[code]
