"""UBL 2.x purchase orders: Order, OrderChange and OrderCancellation.

Covers OASIS UBL 2.0 to 2.5 and the Peppol BIS 3 Order / advanced ordering
profiles. Elements are matched by local name only, because prefixes and default
namespaces differ between senders; the paths below are relative to the
document root. XML goes through defusedxml so that a hostile document (entity
expansion, external entities) is refused instead of expanded.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from xml.etree.ElementTree import Element

from integrations.parsers import xmltree
from integrations.parsers.draft import (
    AddressDraft,
    DocumentKind,
    Evidence,
    LineDraft,
    OrderDraft,
    ParseError,
    ParseResult,
    Read,
    check_complete,
    read,
    requested_date_from_lines,
)

FORMAT = "ubl"

_KINDS = {
    "Order": DocumentKind.ORDER,
    "OrderChange": DocumentKind.CHANGE,
    "OrderCancellation": DocumentKind.CANCEL,
}
# A namespace containing any of these marks the document as UBL (OASIS or OIOUBL).
_UBL_NAMESPACE = re.compile(r":ubl:|CommonBasicComponents|CommonAggregateComponents", re.IGNORECASE)
# Item-id schemes that denote a GTIN; anything else is kept but not trusted as one.
_GTIN_SCHEMES = frozenset({"", "0160", "GTIN", "EAN", "EAN13", "UPC"})
# xsd:date, optionally with a time zone, which a calendar date does not need.
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_EVIDENCE_MAX = xmltree.EVIDENCE_MAX


def parse(data: bytes, *, name: str = "") -> ParseResult:
    """Read one UBL document; raise ParseError for anything that is not UBL XML."""
    root = _load(data)
    root_name = _local(root.tag)
    if not _is_ubl(root):
        raise ParseError(f"XML document <{root_name}> is not UBL")
    kind = _KINDS.get(root_name)
    if kind is None:
        return ParseResult(not_an_order=f"UBL {root_name} is not a purchase order")
    return ParseResult(orders=[_order(root, kind)])


# --- XML access (integrations/parsers/xmltree.py) ----------------------------------

_all = xmltree.all_of
_attr = xmltree.attr
_decimal_read = xmltree.decimal_read
_evidence = xmltree.evidence
_str_read = xmltree.str_read
_first = xmltree.first
_first_text = xmltree.first_text
_kids = xmltree.kids
_load = xmltree.load
_local = xmltree.local
_namespace = xmltree.namespace
_text = xmltree.text


def _is_ubl(root: Element) -> bool:
    return any(_UBL_NAMESPACE.search(_namespace(el.tag)) for el in (root, *root))














# --- typed reads ----------------------------------------------------------------


def _to_date(value: str) -> date | None:
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _date_read(draft: OrderDraft, element: Element | None, what: str) -> Read[date] | None:
    value = _text(element)
    if not value:
        return None
    parsed = _to_date(value)
    if parsed is None:
        draft.uncertain.append(f"{what}: '{value}' is not a date")
        return None
    return read(parsed, _evidence(element))


def _period_date(draft: OrderDraft, delivery: Element | None, what: str) -> Read[date] | None:
    period = "RequestedDeliveryPeriod"
    element = _first_text(delivery, f"{period}/StartDate", f"{period}/EndDate")
    return _date_read(draft, element, what)


# --- the order ------------------------------------------------------------------


def _order(root: Element, kind: DocumentKind) -> OrderDraft:
    draft = OrderDraft(format=FORMAT, kind=kind)
    _read_identity(draft, root)
    _read_header(draft, root)
    _read_buyer(draft, _first(root, "BuyerCustomerParty"))
    _read_delivery(draft, root)
    lines = _kids(root, "OrderLine")
    draft.lines = [_line(draft, order_line, position) for position, order_line in enumerate(lines, 1)]
    _read_requested_date(draft, root)
    _read_totals(draft, root)
    check_complete(draft)
    return draft


def _read_totals(draft: OrderDraft, root: Element) -> None:
    """AnticipatedMonetaryTotal/LineExtensionAmount: the sum of the lines' amounts, which
    the lines as read must make (other totals add allowances, charges and tax)."""
    element = _first_text(root, "AnticipatedMonetaryTotal/LineExtensionAmount")
    total = _decimal_read(draft, element, "the lines' total amount")
    if total is not None:
        draft.stated_totals.append(total)


def _read_identity(draft: OrderDraft, root: Element) -> None:
    """PO number; a change or cancellation carries its own id and the order's."""
    document_id = _first_text(root, "ID")
    draft.locator = f"{_local(root.tag)} {_text(document_id)}".strip()
    if draft.kind is DocumentKind.ORDER:
        draft.po_number = _str_read(document_id)
        return
    draft.references_po = _str_read(_first_text(root, "OrderReference/ID"))
    if draft.references_po is not None:
        draft.po_number = draft.references_po
        return
    draft.po_number = _str_read(document_id, 0.6)
    draft.uncertain.append("order reference missing: cannot tell which order this document changes")


def _read_header(draft: OrderDraft, root: Element) -> None:
    draft.order_date = _date_read(draft, _first_text(root, "IssueDate"), "order date")
    draft.currency = _currency(root)
    notes = _kids(root, "Note") + _kids(root, "CancellationNote")
    draft.notes += [note for note in map(_str_read, notes) if note is not None]
    draft.notes += [_allowance_note(charge) for charge in _kids(root, "AllowanceCharge")]


def _currency(root: Element) -> Read[str] | None:
    code = _str_read(_first_text(root, "DocumentCurrencyCode"))
    if code is not None:
        return code
    # Without a document currency the amounts still say theirs; less certain, as
    # UBL lets each amount name its own currency.
    amount = next((element for element in root.iter() if _attr(element, "currencyID")), None)
    if amount is None:
        return None
    value = _attr(amount, "currencyID")
    return read(value, Evidence(f"{_local(amount.tag)} currencyID: {value}"), 0.8)


def _allowance_note(charge: Element) -> Read[str]:
    reason = _text(_first(charge, "AllowanceChargeReason")) or "(no reason given)"
    amount = _first(charge, "Amount")
    shown = f"{_text(amount)} {_attr(amount, 'currencyID')}".strip()
    indicator = _text(_first(charge, "ChargeIndicator"))
    evidence = Evidence(f"AllowanceCharge: ChargeIndicator {indicator}, {reason} {shown}"[:_EVIDENCE_MAX])
    return read(f"allowance/charge present: {reason} {_text(amount)}".strip(), evidence)


# --- parties and delivery ---------------------------------------------------------


def _read_buyer(draft: OrderDraft, buyer: Element | None) -> None:
    if buyer is None:
        return
    draft.customer_number = _str_read(_first_text(buyer, "SupplierAssignedAccountID"))
    draft.buyer_ids = _buyer_ids(buyer)
    names = ("Party/PartyName/Name", "Party/PartyLegalEntity/RegistrationName")
    draft.customer_name = _str_read(_first_text(buyer, *names))
    draft.sender_email = _str_read(_first_text(buyer, "Party/Contact/ElectronicMail"))


def _buyer_ids(buyer: Element) -> list[Read[str]]:
    paths = ("CustomerAssignedAccountID", "Party/EndpointID", "Party/PartyIdentification/ID")
    found: dict[str, Read[str]] = {}
    for element in (element for path in paths for element in _all(buyer, path)):
        value = _scheme_value(element)
        if value and value not in found:
            found[value] = read(value, _evidence(element, value))
    return list(found.values())


def _scheme_value(element: Element) -> str:
    """"0088:7300010000001" when the id names its scheme, else the bare id."""
    text, scheme = _text(element), _attr(element, "schemeID")
    return f"{scheme}:{text}" if scheme and text else text


def _read_delivery(draft: OrderDraft, root: Element) -> None:
    deliveries = _kids(root, "Delivery")
    if not deliveries:
        return
    if len(deliveries) > 1:
        draft.uncertain.append(f"{len(deliveries)} delivery blocks: only the first was read")
    delivery = deliveries[0]
    draft.shipto_code = _str_read(_first_text(delivery, "DeliveryLocation/ID"), 0.8)
    paths = ("DeliveryLocation/Address", "DeliveryAddress", "DeliveryParty/PostalAddress")
    name = _first_text(delivery, "DeliveryParty/PartyName/Name", "DeliveryLocation/Name")
    draft.ship_to = _address(_first(delivery, *paths), name)


def _address(address: Element | None, name: Element | None) -> AddressDraft:
    return AddressDraft(
        name=_str_read(name),
        street=_street(address),
        city=_str_read(_first_text(address, "CityName")),
        postal_code=_str_read(_first_text(address, "PostalZone")),
        country=_str_read(_first_text(address, "Country/IdentificationCode")),
    )


def _street(address: Element | None) -> Read[str] | None:
    street = _first_text(address, "StreetName")
    if street is None:
        # Some senders put the whole street in a free address line only.
        return _str_read(_first_text(address, "AddressLine/Line"), 0.6)
    number = _text(_first(address, "BuildingNumber"))
    shown = f"StreetName: {_text(street)}" + (f", BuildingNumber: {number}" if number else "")
    return read(f"{_text(street)} {number}".strip(), Evidence(shown[:_EVIDENCE_MAX]))


def _read_requested_date(draft: OrderDraft, root: Element) -> None:
    header = _period_date(draft, _first(root, "Delivery"), "requested delivery date")
    if header is not None:
        draft.requested_date = header
        return
    requested_date_from_lines(draft)


# --- lines --------------------------------------------------------------------------


def _line(draft: OrderDraft, order_line: Element, position: int) -> LineDraft:
    item = _first(order_line, "LineItem")
    number = _first_text(item, "ID")
    label = f"line {_text(number) or position}"
    _line_notes(draft, order_line, item, label)
    if item is None:
        draft.uncertain.append(f"{label}: no LineItem")
        return LineDraft()
    line = LineDraft(line_number=_str_read(number))
    _read_quantity(draft, line, item, label)
    _read_price(draft, line, item, label)
    _read_item(line, _first(item, "Item"))
    line.requested_date = _period_date(draft, _first(item, "Delivery"), f"{label}: requested date")
    if not line.has_product_identifier():
        draft.uncertain.append(f"{label}: product identifier missing")
    return line


def _line_notes(draft: OrderDraft, order_line: Element, item: Element | None, label: str) -> None:
    for element in [*_kids(order_line, "Note"), *_kids(item, "Note"), *_kids(item, "LineStatusCode")]:
        value = _text(element)
        if value:
            prefix = "LineStatusCode " if _local(element.tag) == "LineStatusCode" else ""
            draft.notes.append(read(f"{label}: {prefix}{value}", _evidence(element)))


def _read_quantity(draft: OrderDraft, line: LineDraft, item: Element, label: str) -> None:
    element = _first_text(item, "Quantity")
    unit = _attr(element, "unitCode")
    if unit:
        line.uom = read(unit, Evidence(f"Quantity unitCode: {unit}"))
    if element is None:
        draft.uncertain.append(f"{label}: quantity missing")
        return
    line.quantity = _decimal_read(draft, element, f"{label}: quantity")
    if line.quantity is None:
        return
    value = line.quantity.value
    # A zero in an OrderChange may mean "drop this line"; in an order it means nothing.
    if value < 0 or (value == 0 and draft.kind is not DocumentKind.CHANGE):
        draft.uncertain.append(f"{label}: quantity {value} is not positive")


def _read_price(draft: OrderDraft, line: LineDraft, item: Element, label: str) -> None:
    # LineExtensionAmount is a line total, not a price: without PriceAmount the
    # price stays unknown rather than derived.
    price = _first(item, "Price")
    line.unit_price = _decimal_read(draft, _first_text(price, "PriceAmount"), f"{label}: price")
    base = _first_text(price, "BaseQuantity")
    line.price_per = _decimal_read(draft, base, f"{label}: price base quantity")
    if line.unit_price is not None and line.unit_price.value < 0:
        draft.uncertain.append(f"{label}: price {line.unit_price.value} is negative")
    if line.price_per is not None and line.price_per.value <= 0:
        draft.uncertain.append(f"{label}: price base quantity {line.price_per.value} is not positive")
    _check_price_unit(draft, line, _attr(base, "unitCode"), label)


def _check_price_unit(draft: OrderDraft, line: LineDraft, base_unit: str, label: str) -> None:
    """A price per another unit than the ordered one cannot be compared as it stands."""
    if not base_unit or line.uom is None or base_unit == line.uom.value or line.unit_price is None:
        return
    draft.uncertain.append(f"{label}: price is per {base_unit}, quantity is in {line.uom.value}")
    line.unit_price = replace(line.unit_price, confidence=0.6)


def _read_item(line: LineDraft, item: Element | None) -> None:
    line.sku = _str_read(_first_text(item, "SellersItemIdentification/ID"))
    line.customer_part_number = _str_read(_first_text(item, "BuyersItemIdentification/ID"))
    line.gtin = _gtin(_first_text(item, "StandardItemIdentification/ID"))
    line.description = _str_read(_first_text(item, "Name", "Description"))


def _gtin(element: Element | None) -> Read[str] | None:
    if element is None:
        return None
    scheme = _attr(element, "schemeID")
    shown = f"{_text(element)} (schemeID {scheme})" if scheme else _text(element)
    confidence = 1.0 if scheme.upper() in _GTIN_SCHEMES else 0.6
    return read(_text(element), _evidence(element, shown), confidence)
