"""cXML OrderRequest: new orders, updates and deletions (cXML 1.2.x).

A cXML document is an envelope (``<cXML><Header>…</Header><Request>…``) around one
request, message or response; only an OrderRequest is an order, any other payload
(ConfirmationRequest, ShipNoticeRequest, PunchOutSetupRequest, PunchOutOrderMessage …)
is readable but no order. As in ``ubl``, elements are matched by local name only; most
cXML values sit in attributes (orderID, quantity, currency). XML goes through
defusedxml: the DOCTYPE nearly every cXML document carries names an external DTD,
which is never fetched, and entity declarations are refused outright.

What an OrderRequestHeader or ItemOut holds beyond what is read here, and beyond what
is known not to bear on what is delivered (accounting, payment, follow-up URLs),
makes the order uncertain: a delivery schedule, packaging or terms of delivery that
nobody read must route, not vanish.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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

FORMAT = "cxml"

#: OrderRequestHeader@type; the DTD's default is "new".
_KINDS = {"new": DocumentKind.ORDER, "update": DocumentKind.CHANGE, "delete": DocumentKind.CANCEL}
# xsd:decimal as written; Decimal() alone would also take "1_000", "NaN" or non-ASCII digits.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# A date or an ISO 8601 date-time; the calendar date is the sender's own, as written.
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_EVIDENCE_MAX = 200
#: Contact roles that name the buyer's purchaser rather than an end user or a help desk.
_BUYER_ROLES = ("buyer", "purchasingAgent")

# Children read below, and children that do not change what is delivered, when or at
# what price (accounting splits, payment cards, URLs, ids of other documents). Anything
# else with content is reported, not dropped.
_HEADER_READ = frozenset({"Total", "ShipTo", "BillTo", "Contact", "Comments", "Extrinsic", "Shipping",
                          "Tax", "DeliveryPeriod"})
_HEADER_HARMLESS = frozenset({"Payment", "PaymentTerm", "BusinessPartner", "LegalEntity",
                              "OrganizationalUnit", "IdReference", "Followup", "ControlKeys",
                              "DocumentReference", "SupplierOrderInfo"})
_ITEM_READ = frozenset({"ItemID", "ItemDetail", "ShipTo", "Comments", "Extrinsic", "Shipping", "Tax"})
_ITEM_HARMLESS = frozenset({"Distribution", "Contact", "Tolerances", "ControlKeys", "SupplierID",
                            "SupplierList", "Path"})
_DETAIL_READ = frozenset({"UnitPrice", "Description", "UnitOfMeasure", "PriceBasisQuantity",
                          "ManufacturerPartID", "ManufacturerName", "Extrinsic", "ItemDetailIndustry"})
_DETAIL_HARMLESS = frozenset({"Classification", "URL", "LeadTime", "Dimension"})


def parse(data: bytes, *, name: str = "") -> ParseResult:
    """Read one cXML document; raise ParseError for anything that is not cXML."""
    root = _load(data)
    if _local(root.tag) != "cXML":
        raise ParseError(f"XML document <{_local(root.tag)}> is not cXML")
    payload = _payload(root)
    if payload is None:
        return ParseResult(not_an_order="cXML document without a request or message")
    if _local(payload.tag) != "OrderRequest":
        return ParseResult(not_an_order=f"cXML {_local(payload.tag)} is not a purchase order")
    return ParseResult(orders=[_order(root, payload)])


def _payload(root: Element) -> Element | None:
    """The one request, message or response the envelope carries."""
    for envelope in (*_kids(root, "Request"), *_kids(root, "Message"), *_kids(root, "Response")):
        # A Response starts with its Status; the payload, if any, follows it.
        found = [kid for kid in envelope if _local(kid.tag) not in ("", "Status")]
        if found:
            return found[0]
    return None


# --- XML access (integrations/parsers/xmltree.py) ----------------------------------

_all = xmltree.all_of
_attr = xmltree.attr
_first = xmltree.first
_first_text = xmltree.first_text
_kids = xmltree.kids
_load = xmltree.load
_local = xmltree.local


def _text(element: Element | None) -> str:
    return "" if element is None else " ".join("".join(element.itertext()).split())


def _own_text(element: Element, skip: str) -> str:
    """The element's text without that of its `skip` children (a Description's ShortName,
    the Attachment of Comments)."""
    parts = [element.text or ""]
    for kid in element:
        if _local(kid.tag) != skip:
            parts.append("".join(kid.itertext()))
        parts.append(kid.tail or "")
    return " ".join("".join(parts).split())




def _has_content(element: Element) -> bool:
    return bool(_text(element) or element.attrib or len(element))


# --- typed reads ----------------------------------------------------------------


def _evidence(element: Element, shown: str | None = None) -> Evidence:
    value = _text(element) if shown is None else shown
    return Evidence(text=f"{_local(element.tag)}: {value}"[:_EVIDENCE_MAX])


def _attr_evidence(element: Element, name: str) -> Evidence:
    return Evidence(text=f"{_local(element.tag)} {name}: {_attr(element, name)}"[:_EVIDENCE_MAX])


def _str_read(element: Element | None, confidence: float = 1.0) -> Read[str] | None:
    value = _text(element)
    return read(value, _evidence(element), confidence) if value else None


def _attr_read(element: Element | None, name: str, confidence: float = 1.0) -> Read[str] | None:
    value = _attr(element, name)
    return read(value, _attr_evidence(element, name), confidence) if value else None


def _number(draft: OrderDraft, value: str, evidence: Evidence, what: str) -> Read[Decimal] | None:
    if not value:
        return None
    if not _DECIMAL.fullmatch(value):
        draft.uncertain.append(f"{what}: '{value}' is not a number")
        return None
    return read(Decimal(value), evidence)


def _money_read(draft: OrderDraft, parent: Element | None, path: str, what: str) -> Read[Decimal] | None:
    """An amount, its evidence naming where it stands and in which currency."""
    money = _first_text(parent, f"{path}/Money")
    if money is None:
        return None
    shown = f"{path.replace('/', ' ')} Money: {_text(money)} {_attr(money, 'currency')}".strip()
    return _number(draft, _text(money), Evidence(shown[:_EVIDENCE_MAX]), what)


def _decimal_attr(draft: OrderDraft, element: Element | None, name: str, what: str) -> Read[Decimal] | None:
    if element is None:
        return None
    return _number(draft, _attr(element, name), _attr_evidence(element, name), what)


def _date_attr(draft: OrderDraft, element: Element | None, name: str, what: str) -> Read[date] | None:
    value = _attr(element, name)
    if not value:
        return None
    match = _DATE.fullmatch(value)
    try:
        parsed = date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        parsed = None
    if parsed is None:
        draft.uncertain.append(f"{what}: '{value}' is not a date")
        return None
    return read(parsed, _attr_evidence(element, name))


# --- the order ------------------------------------------------------------------


def _order(root: Element, request: Element) -> OrderDraft:
    header = _first(request, "OrderRequestHeader")
    draft = OrderDraft(format=FORMAT)
    if header is None:
        draft.uncertain.append("OrderRequestHeader missing")
    _read_kind(draft, header)
    _read_identity(draft, header)
    _read_envelope(draft, root)
    _read_header(draft, header)
    items = _kids(request, "ItemOut")
    draft.lines = [_line(draft, item, position) for position, item in enumerate(items, 1)]
    _check_line_ship_tos(draft, header, items)
    _read_requested_date(draft, header)
    _check_currencies(draft, request)
    check_complete(draft)
    return draft


def _read_kind(draft: OrderDraft, header: Element | None) -> None:
    kind = _attr(header, "type") or "new"
    draft.kind = _KINDS.get(kind, DocumentKind.ORDER)
    if kind not in _KINDS:
        draft.uncertain.append(f"order type '{kind}' is none of new, update, delete")


def _read_identity(draft: OrderDraft, header: Element | None) -> None:
    """PO number; an update or deletion restates the order under the same orderID (its
    DocumentReference names the earlier document's payloadID, which no ERP keeps)."""
    order_id = _attr_read(header, "orderID")
    version = _attr(header, "orderVersion")
    draft.locator = " ".join(filter(None, ["OrderRequest", order_id and order_id.value,
                                           version and f"version {version}"]))
    draft.po_number = order_id
    if draft.kind is not DocumentKind.ORDER:
        draft.references_po = order_id


def _read_envelope(draft: OrderDraft, root: Element) -> None:
    """The sending organisation's credentials (never the Sender's shared secret)."""
    if _attr(_first(root, "Request"), "deploymentMode") == "test":
        draft.uncertain.append('the sender marked the document a test (deploymentMode="test")')
    for credential in _all(root, "Header/From/Credential"):
        identity = _first_text(credential, "Identity")
        domain = _attr(credential, "domain")
        if identity is not None:
            value = f"{domain}:{_text(identity)}" if domain else _text(identity)
            _add_buyer_id(draft, value, Evidence(f"From Credential {domain}: {_text(identity)}"))


def _add_buyer_id(draft: OrderDraft, value: str, evidence: Evidence) -> None:
    if value and value not in {known.value for known in draft.buyer_ids}:
        draft.buyer_ids.append(read(value, Evidence(evidence.text[:_EVIDENCE_MAX])))


def _read_header(draft: OrderDraft, header: Element | None) -> None:
    if header is None:
        return
    draft.order_date = _date_attr(draft, header, "orderDate", "order date")
    _read_totals(draft, header)
    _read_bill_to(draft, _first(header, "BillTo/Address"))
    address = _first(header, "ShipTo/Address")
    if address is not None:
        draft.shipto_code = _attr_read(address, "addressID", 0.8)
        draft.ship_to = _address(address)
    draft.sender_email = _contact_email(header)
    _read_notes(draft, header, "")
    _check_header_terms(draft, header)
    _check_unread(draft, header, _HEADER_READ | _HEADER_HARMLESS, "OrderRequestHeader")


def _read_totals(draft: OrderDraft, header: Element) -> None:
    """Total is the items' sum; Tax and Shipping are stated beside it (totals.disagreement
    accepts the total with or without them)."""
    total = _money_read(draft, header, "Total", "the order total")
    if total is not None:
        draft.stated_totals.append(total)
    for what in ("Tax", "Shipping"):
        charge = _money_read(draft, header, what, f"{what.lower()} amount")
        if charge is not None and charge.value:
            draft.stated_totals.append(charge)
    code = _attr(_first(header, "Total/Money"), "currency")
    draft.currency = read(code, Evidence(f"Total Money currency: {code}")) if code else None


def _check_currencies(draft: OrderDraft, request: Element) -> None:
    codes = sorted({_attr(money, "currency") for money in request.iter()
                    if _local(money.tag) == "Money" and _attr(money, "currency")})
    if draft.currency is None and codes:
        # Without a Total the prices still say theirs; less certain, as each may differ.
        draft.currency = read(codes[0], Evidence(f"Money currency: {codes[0]}"), 0.8)
    if len(codes) > 1:
        draft.uncertain.append(f"amounts in several currencies: {', '.join(codes)}")


# --- parties, delivery, notes -----------------------------------------------------


def _read_bill_to(draft: OrderDraft, address: Element | None) -> None:
    if address is None:
        return
    draft.customer_name = _str_read(_first_text(address, "Name"))
    # addressID is the buyer's own key for the address: an alias to match, never our
    # customer number (read as one, it could name another customer of ours).
    address_id, domain = _attr(address, "addressID"), _attr(address, "addressIDDomain")
    value = f"{domain}:{address_id}" if domain and address_id else address_id
    _add_buyer_id(draft, value, Evidence(f"BillTo Address addressID: {value}"))


def _address(address: Element) -> AddressDraft:
    postal = _first(address, "PostalAddress")
    return AddressDraft(
        # DeliverTo lines (a person, a mail stop) print under the name on the label.
        name=_joined([*_kids(address, "Name"), *_kids(postal, "DeliverTo")]),
        street=_joined(_kids(postal, "Street")),
        city=_str_read(_first_text(postal, "City")),
        postal_code=_str_read(_first_text(postal, "PostalCode")),
        country=_country(_first(postal, "Country")),
    )


def _joined(elements: Iterable[Element]) -> Read[str] | None:
    written = [element for element in elements if _text(element)]
    if not written:
        return None
    shown = "; ".join(f"{_local(element.tag)}: {_text(element)}" for element in written)
    return read(", ".join(map(_text, written)), Evidence(shown[:_EVIDENCE_MAX]))


def _country(country: Element | None) -> Read[str] | None:
    code = _attr(country, "isoCountryCode")
    if len(code) == 2 and code.isascii() and code.isalpha():
        return read(code.upper(), _attr_evidence(country, "isoCountryCode"))
    # A country name alone is kept for a person, not trusted as a code.
    return _str_read(country, 0.5) if _text(country) else None


def _contact_email(header: Element) -> Read[str] | None:
    # The purchaser first: an end user or a help desk may be named as well.
    contacts = sorted(_kids(header, "Contact"), key=lambda found: _attr(found, "role") not in _BUYER_ROLES)
    return _str_read(next((email for contact in contacts for email in _kids(contact, "Email")
                           if _text(email)), None))


def _read_notes(draft: OrderDraft, parent: Element, label: str) -> None:
    """Comments, Extrinsic name/value pairs and a shipping description go to the free-text
    accounting; an attached file cannot be read, so the order is uncertain."""
    prefix = f"{label}: " if label else ""
    for comments in _kids(parent, "Comments"):
        text = _own_text(comments, "Attachment")
        if text:
            kind = _attr(comments, "type")
            draft.notes.append(read(prefix + text, _evidence(comments, f"({kind}) {text}" if kind else text)))
        for url in _all(comments, "Attachment/URL"):
            draft.uncertain.append(f"{prefix}attachment '{_text(url)}' of the comments was not read")
    for extrinsic in _kids(parent, "Extrinsic"):
        key, value = _attr(extrinsic, "name"), _text(extrinsic)
        if value:
            evidence = Evidence(f"Extrinsic {key}: {value}"[:_EVIDENCE_MAX])
            draft.notes.append(read(f"{prefix}{key}: {value}" if key else prefix + value, evidence))
    description = _first_text(parent, "Shipping/Description")
    if description is not None:
        draft.notes.append(read(f"{prefix}shipping: {_text(description)}", _evidence(description)))


def _check_header_terms(draft: OrderDraft, header: Element) -> None:
    """Header attributes that change what is delivered, which no field of the draft carries."""
    order_type = _attr(header, "orderType")
    if order_type and order_type.lower() != "regular":
        draft.uncertain.append(f"order type '{order_type}' is not a regular order")
    if _attr(header, "shipComplete").lower() == "yes":
        draft.uncertain.append("ship complete requested: no partial deliveries")
    if _attr(header, "pickUpDate"):
        draft.uncertain.append(f"pick-up date {_attr(header, 'pickUpDate')}: the buyer collects")


def _check_unread(draft: OrderDraft, parent: Element, known: frozenset[str], where: str) -> None:
    unread = sorted({_local(kid.tag) for kid in parent if _local(kid.tag) not in known and _has_content(kid)})
    if unread:
        draft.uncertain.append(f"{where}: {', '.join(unread)} not read")


def _check_line_ship_tos(draft: OrderDraft, header: Element | None, items: list[Element]) -> None:
    """A line shipping elsewhere than the order cannot be carried by one ship-to."""
    order_ship_to = _text(_first(header, "ShipTo"))
    own = {position: _text(ship_to) for position, item in enumerate(items, 1)
           for ship_to in _kids(item, "ShipTo") if _text(ship_to)}
    if not order_ship_to and own and len(own) == len(items) and len(set(own.values())) == 1:
        address = _first(items[0], "ShipTo/Address")  # every line goes to the same place
        draft.shipto_code = _attr_read(address, "addressID", 0.8)
        draft.ship_to = _address(address) if address is not None else AddressDraft()
        return
    for position, ship_to in own.items():
        if ship_to != order_ship_to:
            draft.uncertain.append(f"{_label(items[position - 1], position)}: a delivery address of its own")


def _read_requested_date(draft: OrderDraft, header: Element | None) -> None:
    period = _first(header, "DeliveryPeriod/Period")
    order_date = (_date_attr(draft, header, "requestedDeliveryDate", "requested delivery date")
                  or _date_attr(draft, period, "startDate", "delivery period start")
                  or _date_attr(draft, period, "endDate", "delivery period end"))
    if order_date is not None:
        draft.requested_date = order_date
        return
    requested_date_from_lines(draft)


# --- lines --------------------------------------------------------------------------


def _label(item: Element, position: int) -> str:
    return f"line {_attr(item, 'lineNumber') or position}"


def _line(draft: OrderDraft, item: Element, position: int) -> LineDraft:
    label = _label(item, position)
    line = LineDraft(line_number=_attr_read(item, "lineNumber"))
    _read_quantity(draft, line, item, label)
    _read_item_id(draft, line, _first(item, "ItemID"), label)
    detail = _first(item, "ItemDetail")
    _read_detail(draft, line, detail, label)
    line.requested_date = _date_attr(draft, item, "requestedDeliveryDate", f"{label}: requested date")
    _read_notes(draft, item, label)
    if detail is not None:
        _read_notes(draft, detail, label)
        _check_unread(draft, detail, _DETAIL_READ | _DETAIL_HARMLESS, f"{label}: ItemDetail")
    _check_line_terms(draft, item, label)
    _check_unread(draft, item, _ITEM_READ | _ITEM_HARMLESS, f"{label}: ItemOut")
    if not line.has_product_identifier():
        draft.uncertain.append(f"{label}: product identifier missing")
    return line


def _read_quantity(draft: OrderDraft, line: LineDraft, item: Element, label: str) -> None:
    line.quantity = _decimal_attr(draft, item, "quantity", f"{label}: quantity")
    if line.quantity is None:
        if not _attr(item, "quantity"):
            draft.uncertain.append(f"{label}: quantity missing")
        return
    value = line.quantity.value
    # An update restates the whole order: a zero there may mean "drop this line".
    if value < 0 or (value == 0 and draft.kind is not DocumentKind.CHANGE):
        draft.uncertain.append(f"{label}: quantity {value} is not positive")


def _read_item_id(draft: OrderDraft, line: LineDraft, item_id: Element | None, label: str) -> None:
    line.sku = _str_read(_first_text(item_id, "SupplierPartID"))
    line.customer_part_number = _str_read(_first_text(item_id, "BuyerPartID"))
    auxiliary = _text(_first(item_id, "SupplierPartAuxiliaryID"))
    if auxiliary:
        # The auxiliary id completes the supplier's key (a variant, a configuration, a
        # catalogue cart entry): the SKU alone may name another article.
        draft.uncertain.append(f"{label}: SupplierPartAuxiliaryID '{auxiliary[:80]}' was not matched")


def _read_detail(draft: OrderDraft, line: LineDraft, detail: Element | None, label: str) -> None:
    line.uom = _str_read(_first_text(detail, "UnitOfMeasure"))
    line.description = _description(_first(detail, "Description"))
    line.gtin = _str_read(_first_text(detail, "ItemDetailIndustry/ItemDetailRetail/EANID"))
    line.unit_price = _money_read(draft, detail, "UnitPrice", f"{label}: price")
    if line.unit_price is not None and line.unit_price.value < 0:
        draft.uncertain.append(f"{label}: price {line.unit_price.value} is negative")
    _read_price_basis(draft, line, _first(detail, "PriceBasisQuantity"), label)


def _description(description: Element | None) -> Read[str] | None:
    if description is None:
        return None
    text = _own_text(description, "ShortName")
    if text:
        return read(text, _evidence(description, text))
    return _str_read(_first_text(description, "ShortName"))


def _read_price_basis(draft: OrderDraft, line: LineDraft, basis: Element | None, label: str) -> None:
    """Price per a number of units, perhaps of another unit than the one ordered."""
    if basis is None:
        return
    line.price_per = _decimal_attr(draft, basis, "quantity", f"{label}: price basis quantity")
    if line.price_per is not None and line.price_per.value <= 0:
        draft.uncertain.append(f"{label}: price basis quantity {line.price_per.value} is not positive")
    unit = _text(_first(basis, "UnitOfMeasure"))
    factor = _attr(basis, "conversionFactor")
    other_unit = bool(unit) and line.uom is not None and unit != line.uom.value
    if (other_unit or (factor and factor not in ("1", "1.0"))) and line.unit_price is not None:
        ordered = line.uom.value if line.uom is not None else "?"
        draft.uncertain.append(f"{label}: price is per {unit or ordered} (conversion factor "
                               f"{factor or '1'}), quantity is in {ordered}")
        line.unit_price = replace(line.unit_price, confidence=0.6)


def _check_line_terms(draft: OrderDraft, item: Element, label: str) -> None:
    """ItemOut attributes that change what is delivered, which no field of a line carries."""
    if _attr(item, "isReturn").lower() == "yes":
        draft.uncertain.append(f"{label}: marked as a return")
    if _attr(item, "parentLineNumber") or _attr(item, "itemType").lower() == "composite":
        draft.uncertain.append(f"{label}: part of a composite item")
    shipment = _attr(item, "requestedShipmentDate")
    if shipment and not _attr(item, "requestedDeliveryDate"):
        draft.uncertain.append(f"{label}: requested shipment date {shipment} is not a delivery date")
