"""UN/CEFACT Cross Industry Order XML (Order-X): Order, Order Change, cancellations.

Order-X (urn:order-x.eu) is the CII order that French and German senders write,
alone or embedded in a PDF/A-3 (``pdf`` reads it from there). Elements are
matched by local name only, because prefixes and namespace versions (D16B,
D20B, :100, :128) differ between senders; the paths below are relative to
the element named. XML goes through defusedxml so that a hostile document
(entity expansion, external entities) is refused instead of expanded.

A CII invoice (Factur-X, ZUGFeRD, XRechnung) or order response is readable
but no purchase order: ``not_an_order`` says so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
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

FORMAT = "cii"

# Order-X message structures (SCRDM CCBDA) and the plain CII names some senders use.
_ORDER_ROOTS = frozenset({"SCRDMCCBDACIOMessageStructure", "CrossIndustryOrder", "SCRSD_CrossIndustryOrder"})
_CHANGE_ROOTS = frozenset({"SCRDMCCBDACIOCMessageStructure", "CrossIndustryOrderChange"})
_NOT_ORDERS = {
    "CrossIndustryInvoice": "a CII invoice (Factur-X / ZUGFeRD / XRechnung) is not a purchase order",
    "CrossIndustryDocument": "a ZUGFeRD 1 invoice is not a purchase order",
    "SCRDMCCBDACIORMessageStructure": "an Order-X order response is not a purchase order",
    "CrossIndustryOrderResponse": "a CII order response is not a purchase order",
}
# UNTDID 1001 document types read as an order: purchase order, order, rush, call-off, consignment.
_ORDER_TYPES = frozenset({"105", "220", "224", "226", "227"})
_CHANGE_TYPES = frozenset({"230"})
_RESPONSE_TYPES = frozenset({"231"})
# UNTDID 1225 message functions (ExchangedDocument/PurposeCode).
_CANCEL_PURPOSES = frozenset({"1", "3"})
_CHANGE_PURPOSES = frozenset({"4", "5"})
# Duplicate, copy, retransmission: the order may already have been received.
_COPY_PURPOSES = frozenset({"7", "31", "35", "43"})
# Item-id schemes (ISO 6523 ICD) that denote a GTIN; anything else is kept but not trusted as one.
_GTIN_SCHEMES = frozenset({"", "0160", "GTIN", "EAN", "EAN13", "UPC"})
_DECIMAL = xmltree.DECIMAL
# UNTDID 2379 formats: 102 CCYYMMDD, 203 CCYYMMDDHHMM, 204 CCYYMMDDHHMMSS; ISO as some senders write.
_DATE_FORMATS = {"102": re.compile(r"(\d{8})"), "203": re.compile(r"(\d{8})\d{4}"),
                 "204": re.compile(r"(\d{8})\d{6}")}
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T[\d:.]+)?(?:Z|[+-]\d{2}:\d{2})?")
_LINE_TOLERANCE = Decimal("0.01")
_EVIDENCE_MAX = xmltree.EVIDENCE_MAX


def parse(data: bytes, *, name: str = "") -> ParseResult:
    """Read one CII order document; raise ParseError for anything that is not CII XML."""
    root = _load(data)
    root_name = _local(root.tag)
    if not _is_cii(root):
        raise ParseError(f"XML document <{root_name}> is not UN/CEFACT CII")
    if root_name in _NOT_ORDERS:
        return ParseResult(not_an_order=_NOT_ORDERS[root_name])
    if root_name not in _ORDER_ROOTS | _CHANGE_ROOTS:
        return ParseResult(not_an_order=f"UN/CEFACT {root_name} is not a purchase order")
    header = _first(root, "ExchangedDocument")
    type_code = _text(_first(header, "TypeCode"))
    if type_code in _RESPONSE_TYPES:
        return ParseResult(not_an_order=f"CII document type {type_code} is an order response")
    return ParseResult(orders=[_order(root, header, _kind(root_name, header))])


def _kind(root_name: str, header: Element | None) -> DocumentKind:
    purpose = _text(_first(header, "PurposeCode"))
    if purpose in _CANCEL_PURPOSES:
        return DocumentKind.CANCEL
    changed = root_name in _CHANGE_ROOTS or _text(_first(header, "TypeCode")) in _CHANGE_TYPES
    return DocumentKind.CHANGE if changed or purpose in _CHANGE_PURPOSES else DocumentKind.ORDER


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


def _is_cii(root: Element) -> bool:
    return any(":uncefact:" in _namespace(el.tag) for el in (root, *root))














# --- typed reads ----------------------------------------------------------------


def _to_date(value: str, date_format: str) -> date | None:
    pattern = _DATE_FORMATS.get(date_format)
    match = pattern.fullmatch(value) if pattern else None
    if match is None and not date_format:
        match = _DATE_FORMATS["102"].fullmatch(value) or _ISO_DATE.fullmatch(value)
    if match is None:
        return None
    digits = match.group(1).replace("-", "")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _date_read(draft: OrderDraft, holder: Element | None, what: str) -> Read[date] | None:
    """A date held as <IssueDateTime><udt:DateTimeString format="102">20261120</…></…>."""
    if holder is None:
        return None
    element = _first_text(holder, "DateTimeString", "DateString")
    if element is None and not _text(holder):
        return None
    element = holder if element is None else element
    value, date_format = _text(element), _attr(element, "format")
    parsed = _to_date(value, date_format)
    shown = f"{value} (format {date_format})" if date_format else value
    if parsed is None:
        draft.uncertain.append(f"{what}: '{shown}' is not a calendar date")
        return None
    return read(parsed, _evidence(element, shown, _local(holder.tag)))


def _event_date(draft: OrderDraft, delivery: Element | None, what: str) -> Read[date] | None:
    """RequestedDeliverySupplyChainEvent: a date, or a period whose start is the date asked for."""
    event = "RequestedDeliverySupplyChainEvent"
    holder = _first_text(delivery, f"{event}/OccurrenceDateTime",
                         f"{event}/OccurrenceSpecifiedPeriod/StartDateTime",
                         f"{event}/OccurrenceSpecifiedPeriod/EndDateTime")
    return _date_read(draft, holder, what)


# --- the order ------------------------------------------------------------------


def _order(root: Element, header: Element | None, kind: DocumentKind) -> OrderDraft:
    draft = OrderDraft(format=FORMAT, kind=kind)
    transaction = _first(root, "SupplyChainTradeTransaction")
    agreement = _first(transaction, "ApplicableHeaderTradeAgreement")
    _read_identity(draft, root, header, agreement)
    _read_header(draft, root, header)
    _read_buyer(draft, _first(agreement, "BuyerTradeParty"))
    _read_delivery(draft, _first(transaction, "ApplicableHeaderTradeDelivery"))
    settlement = _first(transaction, "ApplicableHeaderTradeSettlement")
    draft.currency = _currency(root, settlement)
    items = _kids(transaction, "IncludedSupplyChainTradeLineItem")
    draft.lines = [_line(draft, item, position) for position, item in enumerate(items, 1)]
    _read_requested_date(draft, _first(transaction, "ApplicableHeaderTradeDelivery"))
    _read_terms(draft, agreement, settlement)
    _read_totals(draft, settlement)
    check_complete(draft)
    return draft


def _read_identity(draft: OrderDraft, root: Element, header: Element | None,
                   agreement: Element | None) -> None:
    """PO number; a change or cancellation carries its own id and the order's."""
    document_id = _first_text(header, "ID")
    draft.locator = f"{_local(root.tag)} {_text(document_id)}".strip()
    reference = _first_text(agreement, "BuyerOrderReferencedDocument/IssuerAssignedID")
    if draft.kind is DocumentKind.ORDER:
        draft.po_number = _str_read(document_id)
        if reference is not None and document_id is not None and _text(reference) != _text(document_id):
            # Two order numbers: a duplicate check or a confirmation on the wrong one misleads.
            draft.uncertain.append(f"the document id {_text(document_id)!r} and the buyer's order "
                                   f"reference {_text(reference)!r} differ")
        return
    draft.references_po = _str_read(reference)
    if draft.references_po is not None:
        draft.po_number = draft.references_po
        return
    draft.po_number = _str_read(document_id, 0.6)
    draft.uncertain.append("order reference missing: cannot tell which order this document changes")


def _read_header(draft: OrderDraft, root: Element, header: Element | None) -> None:
    draft.order_date = _date_read(draft, _first(header, "IssueDateTime"), "order date")
    type_code = _text(_first(header, "TypeCode"))
    if type_code and type_code not in _ORDER_TYPES | _CHANGE_TYPES:
        draft.uncertain.append(f"document type code {type_code} is not a plain purchase order")
    purpose = _text(_first(header, "PurposeCode"))
    if purpose in _COPY_PURPOSES or _text(_first(header, "CopyIndicator")).lower() == "true":
        draft.uncertain.append(f"the document is marked as a copy or duplicate (purpose {purpose or '-'})")
    context = _first(root, "ExchangedDocumentContext")
    if _text(_first(context, "TestIndicator")).lower() == "true":
        draft.uncertain.append("the document is marked as a test")
    notes = _all(header, "IncludedNote/Content")
    draft.notes += [note for note in map(_str_read, notes) if note is not None]


def _currency(root: Element, settlement: Element | None) -> Read[str] | None:
    code = _str_read(_first_text(settlement, "OrderCurrencyCode", "InvoiceCurrencyCode"))
    if code is not None:
        return code
    # Without an order currency the amounts may still say theirs; less certain.
    amount = next((element for element in root.iter() if _attr(element, "currencyID")), None)
    if amount is None:
        return None
    value = _attr(amount, "currencyID")
    return read(value, Evidence(f"{_local(amount.tag)} currencyID: {value}"), 0.8)


def _read_terms(draft: OrderDraft, agreement: Element | None, settlement: Element | None) -> None:
    """Delivery terms and header allowances/charges change what is owed: kept as notes."""
    for terms in _kids(agreement, "ApplicableTradeDeliveryTerms"):
        code, description = _first_text(terms, "DeliveryTypeCode"), _text(_first(terms, "Description"))
        if code is not None:
            shown = f"{_text(code)} {description}".strip()
            draft.notes.append(read(f"delivery terms: {shown}", _evidence(code, shown)))
    charges = _kids(settlement, "SpecifiedTradeAllowanceCharge")
    draft.notes += [_allowance_note(charge, "") for charge in charges]


def _allowance_note(charge: Element, label: str) -> Read[str]:
    reason = _text(_first(charge, "Reason")) or "(no reason given)"
    amount = _text(_first(charge, "ActualAmount"))
    indicator = _text(_first(charge, "ChargeIndicator"))
    evidence = Evidence(f"SpecifiedTradeAllowanceCharge: ChargeIndicator {indicator}, {reason} {amount}"
                        [:_EVIDENCE_MAX])
    prefix = f"{label}: " if label else ""
    return read(f"{prefix}allowance/charge present: {reason} {amount}".strip(), evidence)


def _read_totals(draft: OrderDraft, settlement: Element | None) -> None:
    """LineTotalAmount: the sum of the lines' net amounts, which the lines as read must
    make (the other totals add allowances, charges and tax)."""
    summation = _first(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    total = _decimal_read(draft, _first_text(summation, "LineTotalAmount"), "the lines' total amount")
    if total is not None:
        draft.stated_totals.append(total)


# --- parties and delivery ---------------------------------------------------------


def _read_buyer(draft: OrderDraft, buyer: Element | None) -> None:
    if buyer is None:
        return
    # TradeParty/ID may be the seller's customer number or the buyer's own id: kept as an
    # id to match (customer aliases), never taken as our customer number.
    draft.buyer_ids = _party_ids(buyer)
    names = ("Name", "SpecifiedLegalOrganization/TradingBusinessName")
    draft.customer_name = _str_read(_first_text(buyer, *names))
    contact = _first_text(buyer, "DefinedTradeContact/EmailURIUniversalCommunication/URIID")
    if contact is None:
        contact = next((uri for uri in _all(buyer, "URIUniversalCommunication/URIID")
                        if _attr(uri, "schemeID") == "EM" and _text(uri)), None)
    draft.sender_email = _str_read(contact)


def _party_ids(party: Element) -> list[Read[str]]:
    found: dict[str, Read[str]] = {}
    for element in [*_kids(party, "ID"), *_kids(party, "GlobalID")]:
        value = _scheme_value(element)
        if value and value not in found:
            found[value] = read(value, _evidence(element, value))
    return list(found.values())


def _scheme_value(element: Element) -> str:
    """"0088:7300010000001" when the id names its scheme, else the bare id."""
    text, scheme = _text(element), _attr(element, "schemeID")
    return f"{scheme}:{text}" if scheme and text else text


def _read_delivery(draft: OrderDraft, delivery: Element | None) -> None:
    parties = _kids(delivery, "ShipToTradeParty")
    if not parties:
        return
    if len(parties) > 1:
        draft.uncertain.append(f"{len(parties)} ship-to parties: only the first was read")
    if _kids(delivery, "UltimateShipToTradeParty"):
        draft.uncertain.append("an ultimate ship-to party is named besides the ship-to: it was not read")
    party = parties[0]
    draft.shipto_code = _str_read(_first_text(party, "ID", "GlobalID"), 0.8)
    draft.ship_to = _address(_first(party, "PostalTradeAddress"), _first_text(party, "Name"))


def _address(address: Element | None, name: Element | None) -> AddressDraft:
    return AddressDraft(
        name=_str_read(name),
        street=_street(address),
        city=_str_read(_first_text(address, "CityName")),
        postal_code=_str_read(_first_text(address, "PostcodeCode")),
        country=_str_read(_first_text(address, "CountryID")),
    )


def _street(address: Element | None) -> Read[str] | None:
    # LineTwo and LineThree (building, c/o) belong to where the goods go: kept with the street.
    found = (_first_text(address, name) for name in ("LineOne", "LineTwo", "LineThree"))
    lines = [line for line in found if line is not None]
    if not lines:
        return None
    shown = ", ".join(f"{_local(line.tag)}: {_text(line)}" for line in lines)
    return read(", ".join(_text(line) for line in lines), Evidence(shown[:_EVIDENCE_MAX]))


def _read_requested_date(draft: OrderDraft, delivery: Element | None) -> None:
    header = _event_date(draft, delivery, "requested delivery date")
    if header is not None:
        draft.requested_date = header
        return
    requested_date_from_lines(draft)


# --- lines --------------------------------------------------------------------------


def _line(draft: OrderDraft, item: Element, position: int) -> LineDraft:
    document = _first(item, "AssociatedDocumentLineDocument")
    number = _first_text(document, "LineID")
    label = f"line {_text(number) or position}"
    _line_notes(draft, document, label)
    line = LineDraft(line_number=_str_read(number))
    delivery = _first(item, "SpecifiedLineTradeDelivery")
    _read_quantity(draft, line, delivery, label)
    _read_price(draft, line, _first(item, "SpecifiedLineTradeAgreement/NetPriceProductTradePrice"), label)
    _read_item(line, _first(item, "SpecifiedTradeProduct"))
    line.requested_date = _event_date(draft, delivery, f"{label}: requested date")
    if _kids(delivery, "ShipToTradeParty"):
        draft.uncertain.append(f"{label}: a ship-to of its own, which was not read")
    _check_line_total(draft, line, _first(item, "SpecifiedLineTradeSettlement"), label)
    if not line.has_product_identifier():
        draft.uncertain.append(f"{label}: product identifier missing")
    return line


def _line_notes(draft: OrderDraft, document: Element | None, label: str) -> None:
    for element in [*_all(document, "IncludedNote/Content"), *_kids(document, "LineStatusCode")]:
        value = _text(element)
        if value:
            prefix = "LineStatusCode " if _local(element.tag) == "LineStatusCode" else ""
            draft.notes.append(read(f"{label}: {prefix}{value}", _evidence(element)))


def _read_quantity(draft: OrderDraft, line: LineDraft, delivery: Element | None, label: str) -> None:
    element = _first_text(delivery, "RequestedQuantity")
    unit = _attr(element, "unitCode")
    if unit:
        line.uom = read(unit, Evidence(f"RequestedQuantity unitCode: {unit}"))
    if element is None:
        draft.uncertain.append(f"{label}: quantity missing")
        return
    line.quantity = _decimal_read(draft, element, f"{label}: quantity")
    if line.quantity is None:
        return
    value = line.quantity.value
    # A zero in an order change may mean "drop this line"; in an order it means nothing.
    if value < 0 or (value == 0 and draft.kind is not DocumentKind.CHANGE):
        draft.uncertain.append(f"{label}: quantity {value} is not positive")


def _read_price(draft: OrderDraft, line: LineDraft, price: Element | None, label: str) -> None:
    # The gross price is before allowances, not what is paid: without a net price the
    # price stays unknown rather than derived.
    line.unit_price = _decimal_read(draft, _first_text(price, "ChargeAmount"), f"{label}: price")
    base = _first_text(price, "BasisQuantity")
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


def _check_line_total(draft: OrderDraft, line: LineDraft, settlement: Element | None, label: str) -> None:
    """The line's stated net amount must be quantity × price (before or after the line's
    own allowances and charges): one that is neither means a value was misread or mistyped."""
    charges = _kids(settlement, "SpecifiedTradeAllowanceCharge")
    draft.notes += [_allowance_note(charge, label) for charge in charges]
    summation = _first(settlement, "SpecifiedTradeSettlementLineMonetarySummation")
    total = _decimal_read(draft, _first_text(summation, "LineTotalAmount"), f"{label}: line total")
    if total is None or line.quantity is None or line.unit_price is None:
        return
    per = line.price_per.value if line.price_per is not None and line.price_per.value > 0 else Decimal(1)
    net = line.quantity.value * line.unit_price.value / per
    adjusted = net + sum((_signed_amount(charge) for charge in charges), Decimal(0))
    if all(abs(total.value - amount) > _LINE_TOLERANCE for amount in (net, adjusted)):
        draft.uncertain.append(f"{label}: line total {total.value} is not quantity × price ({net:f})")


def _signed_amount(charge: Element) -> Decimal:
    """A charge adds, an allowance subtracts; an unreadable amount counts as none."""
    amount = _text(_first(charge, "ActualAmount"))
    if not _DECIMAL.fullmatch(amount):
        return Decimal(0)
    is_charge = _text(_first(charge, "ChargeIndicator")).lower() == "true"
    return Decimal(amount) if is_charge else -Decimal(amount)


def _read_item(line: LineDraft, product: Element | None) -> None:
    line.sku = _str_read(_first_text(product, "SellerAssignedID"))
    line.customer_part_number = _str_read(_first_text(product, "BuyerAssignedID"))
    line.gtin = _gtin(_first_text(product, "GlobalID"))
    line.description = _str_read(_first_text(product, "Name", "Description"))


def _gtin(element: Element | None) -> Read[str] | None:
    if element is None:
        return None
    scheme = _attr(element, "schemeID")
    shown = f"{_text(element)} (schemeID {scheme})" if scheme else _text(element)
    confidence = 1.0 if scheme.upper() in _GTIN_SCHEMES else 0.6
    return read(_text(element), _evidence(element, shown), confidence)
