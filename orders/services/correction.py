"""A person corrects what intake read: header fields and each line's
product, quantity and unit (or every line at once). The order is checked
again at once; it is not executed (releasing is a separate, explicit step).
Intake's findings that the correction settles are dropped, and so are the
free-text findings the person judged not to be instructions; the checks'
findings are computed anew.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from exceptions.models import Case
from orders.errors import CaseActionError
from orders.models import Customer, CustomerPart, Order, OrderLine, Product, ShipTo
from orders.services.execution import CHECK_CAUSES, order_recheck
from orders.services.resolution import normalise_postal_code, normalise_street
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
                  lines: dict[int, dict], replace_lines: list[dict] | None = None,
                  not_instructions: Sequence[str] = ()) -> Order:
    """Apply a person's corrections to an exception order and check it again.

    ``header`` may hold po_number, order_date, requested_date, currency,
    customer_number, shipto_code and ship_to (an address: matched against the
    customer's ship-tos; a shipto_code given wins); ``lines`` maps a line's
    position (OrderLine.position) to its sku, quantity and uom;
    ``replace_lines``, when given, replaces every line (each with sku or
    customer_part_number, quantity, uom, unit_price, description);
    ``not_instructions`` are sentences of the order's FREE_TEXT_INSTRUCTION
    findings the person judged not to be instructions: those findings go.
    Returns the order with the causes that remain.
    """
    if not reason.strip():
        raise CaseActionError("say why the order is corrected")
    if not header and not lines and replace_lines is None and not not_instructions:
        raise CaseActionError("nothing was changed")
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related(
            "customer", "shipto", "document").get(pk=order_id)
        case = Case.objects.select_for_update().filter(order=order).first()
        if order.status != Order.State.EXCEPTION or case is None or not case.is_open:
            raise CaseActionError(f"order {order.po_number or order.pk} is "
                                  f"{order.get_status_display().lower()}: nothing to correct")
        note = f"{CORRECTED}{reason}"[:100]
        dismissed = _not_instructions(order.causes, not_instructions)
        _apply_header(order, header)
        order_lines = list(order.lines.select_related("product").order_by("position"))
        if replace_lines is not None:
            order_lines = _replace_lines(order, order_lines, replace_lines, actor, note)
        for line in order_lines:
            if line.position in lines:
                _apply_line(order, line, lines[line.position], actor, note)
        order._history_user, order._change_reason = actor, note
        order.save()
        intake = [cause for cause in order.causes if cause["code"] not in CHECK_CAUSES
                  and id(cause) not in dismissed
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
    if "order_date" in header:
        order.order_date = header["order_date"] or None
    if "currency" in header:
        order.currency = (header["currency"] or "").strip().upper()[:3]
    if "customer_number" in header:
        number = (header["customer_number"] or "").strip()
        customer = Customer.objects.filter(customer_number__iexact=number).first()
        if customer is None:
            raise CaseActionError(f"there is no customer {number!r}")
        if customer.pk != order.customer_id:
            order.customer, order.shipto = customer, None
            order.currency = order.currency or customer.currency
    if "shipto_code" in header:
        _apply_shipto(order, (header["shipto_code"] or "").strip())
    elif "ship_to" in header:
        _apply_address(order, header["ship_to"] or {})
    elif "customer_number" in header and order.shipto is None:
        _apply_shipto(order, "")


def _apply_address(order: Order, address: dict) -> None:
    """The delivery address as the person read it; the order ships to the
    customer's ship-to at that street and postal code, or to none (then
    UNKNOWN_SHIPTO stands: a new site is a master-data fix, not a correction)."""
    for name in ("name", "street", "city", "postal_code", "country"):
        if name in address:
            setattr(order, f"ship_to_{name}", str(address[name] or "").strip())
    order.ship_to_country = order.ship_to_country.upper()[:2]
    street, postal = (normalise_street(order.ship_to_street),
                      normalise_postal_code(order.ship_to_postal_code))
    matches = [shipto for shipto in ShipTo.objects.filter(customer=order.customer)
               if street and postal and normalise_street(shipto.street) == street
               and normalise_postal_code(shipto.postal_code) == postal]
    order.shipto = matches[0] if len(matches) == 1 and order.customer else None


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


def _replace_lines(order: Order, old: list[OrderLine], new: list[dict], actor,
                   note: str) -> list[OrderLine]:
    """Every line as the person gave it, in their order. Rows are rewritten in
    place (and extra ones deleted, one by one) so each change is in the history."""
    if not new:
        raise CaseActionError("an order needs at least one line")
    lines = []
    for position, change in enumerate(new):
        line = old[position] if position < len(old) else OrderLine(order=order, position=position)
        line.sku, line.customer_part_number = change.get("sku", ""), change.get(
            "customer_part_number", "")
        line.description, line.gtin = change.get("description", ""), ""
        line.quantity, line.uom = change["quantity"], change.get("uom", "")
        line.unit_price, line.price_per = change.get("unit_price"), None
        line.product = _line_product(order, line)
        line.sku = line.product.sku
        _resolve_unit(line)
        line._history_user, line._change_reason = actor, note
        line.save()
        lines.append(line)
    for line in old[len(new):]:
        line._history_user, line._change_reason = actor, note
        line.delete()
    return lines


def _line_product(order: Order, line: OrderLine) -> Product:
    if line.sku:
        product = Product.objects.filter(sku__iexact=line.sku.strip()).first()
        if product is None:
            raise CaseActionError(f"line {line.position + 1}: there is no product {line.sku!r}")
        return product
    part = CustomerPart.objects.select_related("product").filter(
        customer=order.customer, customer_part_number__iexact=line.customer_part_number.strip(),
    ).first() if order.customer_id and line.customer_part_number else None
    if part is None:
        raise CaseActionError(f"line {line.position + 1}: name the product by sku, or by a "
                              f"part number of the customer's")
    return part.product


def _not_instructions(causes: list[dict], sentences: Sequence[str]) -> set[int]:
    """The FREE_TEXT_INSTRUCTION findings (by id) whose sentence or evidence
    is one of ``sentences``. Each sentence must match one: a sentence that
    matches nothing was mistyped, and silently keeping the finding would
    leave the person believing it was dealt with."""
    free_text = [cause for cause in causes if cause["code"] == Cause.FREE_TEXT_INSTRUCTION]
    dismissed: set[int] = set()
    for sentence in sentences:
        wanted = _sentence_key(sentence)
        matched = [cause for cause in free_text
                   if wanted and wanted in {_sentence_key(_unexplained(cause)),
                                            _sentence_key(cause.get("evidence") or "")}]
        if not matched:
            raise CaseActionError(f"not_instructions: {sentence!r} is not the text of one of "
                                  f"this case's FREE_TEXT_INSTRUCTION findings")
        dismissed |= {id(cause) for cause in matched}
    return dismissed


def _unexplained(cause: dict) -> str:
    """The sentence a free-text finding's message quotes (intake writes it as a repr)."""
    quoted = (cause.get("message") or "").partition("unexplained text: ")[2]
    try:
        text = ast.literal_eval(quoted) if quoted else ""
    except (ValueError, SyntaxError):
        return quoted
    return text if isinstance(text, str) else ""


def _sentence_key(text: str) -> str:
    return " ".join(str(text).split()).casefold().strip(" .!?;:")
