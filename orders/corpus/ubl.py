"""UBL 2.1 Order documents, as Peppol-style ERP exports write them."""

from __future__ import annotations

from decimal import Decimal
from random import Random
from xml.etree.ElementTree import Element, SubElement, indent, tostring  # noqa: S405 - we write, never parse

from orders.corpus.model import LineSpec, OrderSpec
from orders.corpus.phrases import SUPPLIER
from orders.corpus.textfmt import plain_number, unit_code

NS = "urn:oasis:names:specification:ubl:schema:xsd:Order-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def _cbc(parent: Element, name: str, text: str, **attributes: str) -> Element:
    element = SubElement(parent, f"cbc:{name}", attributes)
    element.text = text
    return element


def _cac(parent: Element, name: str) -> Element:
    return SubElement(parent, f"cac:{name}")


def render_ubl(spec: OrderSpec, rng: Random) -> tuple[bytes, list[str]]:
    """(bytes, units as written)."""
    units = [unit_code(line.unit, "ubl", rng) for line in spec.lines]
    root = Element("Order", {"xmlns": NS, "xmlns:cac": CAC, "xmlns:cbc": CBC})
    _header(root, spec, rng)
    _buyer(root, spec)
    _seller(root)
    _delivery(root, spec)
    for index, (line, unit) in enumerate(zip(spec.lines, units, strict=True), start=1):
        _line(root, index, line, unit, spec.currency)
    indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(
        root, encoding="unicode"
    ).encode() + b"\n", units


def _header(root: Element, spec: OrderSpec, rng: Random) -> None:
    _cbc(root, "UBLVersionID", "2.1")
    _cbc(root, "CustomizationID", "urn:fdc:peppol.eu:poacc:trns:order:3")
    _cbc(root, "ProfileID", "urn:fdc:peppol.eu:poacc:bis:order_only:3")
    _cbc(root, "ID", spec.po_number)
    _cbc(root, "IssueDate", spec.order_date.isoformat())
    _cbc(root, "IssueTime", f"{rng.randint(6, 18):02d}:{rng.randint(0, 59):02d}:00")
    for note in spec.notes:
        _cbc(root, "Note", note)
    _cbc(root, "DocumentCurrencyCode", spec.currency)


def _buyer(root: Element, spec: OrderSpec) -> None:
    buyer = _cac(root, "BuyerCustomerParty")
    if spec.customer_number:
        _cbc(buyer, "SupplierAssignedAccountID", spec.customer_number)
    party = _cac(buyer, "Party")
    _cbc(_cac(party, "PartyName"), "Name", spec.buyer.name)
    _address(
        _cac(party, "PostalAddress"),
        spec.buyer.street,
        spec.buyer.city,
        spec.buyer.postal_code,
        spec.buyer.country,
    )
    contact = _cac(party, "Contact")
    _cbc(contact, "Name", spec.sender.name)
    _cbc(contact, "Telephone", spec.phone)
    _cbc(contact, "ElectronicMail", spec.sender.email)


def _seller(root: Element) -> None:
    party = _cac(_cac(root, "SellerSupplierParty"), "Party")
    _cbc(_cac(party, "PartyName"), "Name", SUPPLIER[0])


def _address(parent: Element, street: str, city: str, postal: str, country: str) -> None:
    _cbc(parent, "StreetName", street)
    _cbc(parent, "CityName", city)
    if postal:
        _cbc(parent, "PostalZone", postal)
    _cbc(_cac(parent, "Country"), "IdentificationCode", country)


def _delivery(root: Element, spec: OrderSpec) -> None:
    delivery = _cac(root, "Delivery")
    if spec.ship_to:
        address = spec.ship_to
        _address(
            _cac(_cac(delivery, "DeliveryLocation"), "Address"),
            address.street,
            address.city,
            address.postal_code,
            address.country,
        )
    period = _cac(delivery, "RequestedDeliveryPeriod")
    _cbc(period, "StartDate", spec.requested_date.isoformat())
    _cbc(period, "EndDate", spec.requested_date.isoformat())
    if spec.ship_to:
        _cbc(_cac(_cac(delivery, "DeliveryParty"), "PartyName"), "Name", spec.ship_to.name)


def _line(root: Element, index: int, line: LineSpec, unit: str, currency: str) -> None:
    item_line = _cac(_cac(root, "OrderLine"), "LineItem")
    _cbc(item_line, "ID", str(index))
    _cbc(item_line, "Quantity", str(line.quantity), unitCode=unit)
    if line.unit_price is not None:
        amount = (line.unit_price * line.quantity).quantize(Decimal("0.01"))
        _cbc(item_line, "LineExtensionAmount", plain_number(amount), currencyID=currency)
        price = _cac(item_line, "Price")
        _cbc(price, "PriceAmount", plain_number(line.unit_price), currencyID=currency)
        _cbc(price, "BaseQuantity", "1", unitCode=unit)
    item = _cac(item_line, "Item")
    _cbc(item, "Description", line.description)
    _cbc(item, "Name", line.description[:40])
    if line.part_number:
        _cbc(_cac(item, "BuyersItemIdentification"), "ID", line.part_number)
    _cbc(_cac(item, "SellersItemIdentification"), "ID", line.sku)
