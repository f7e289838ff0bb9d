"""Intake on real documents nobody here wrote (issue 14's measuring instrument).

    .venv/bin/python bench/realworld.py [--show N] [--file SUBSTRING] [--corpus DIR]

Reads the 44 public documents of ../shared/corpus/realworld/docs and the
clerk's reading of each in expected.json (both stay outside this repository:
no licence, real companies' documents). Builds a fresh SQLite database,
writes the master data those orders need from expected.json at run time
(a customer per buyer, its contact, its ship-tos, a product per line, a price
agreement at the expected price, plenty of stock and credit, autonomy on),
feeds every document through ``intake --sync`` and compares what was stored
with what the clerk read, field by field. Prints per format: fields right,
orders executed, routed (top causes), executed WRONGLY, non-orders rejected.

The boundary judges requested dates against ``today``; these orders are from
2000-2024, so each document is decided on the day it was written (the
earliest of its order and requested dates: ``order_decide_stored``'s own
``today`` argument, passed in by a wrapper here, no clock is frozen). Orders
routed only for REQUESTED_DATE_INFEASIBLE are counted in a column of their own.

The scoring is importable (tests/test_realworld.py): ``expected_documents``,
``masterdata_rows``, ``score_order``, ``Tally``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "realworld"

#: Format buckets, in the order they are printed.
BUCKETS = ("pdf text-layer", "pdf scanned", "email", "xlsx/csv", "x12", "edifact", "ubl", "cxml",
           "other")
DATE_CAUSES = {"REQUESTED_DATE_INFEASIBLE"}
#: A price agreement for lines the document prints no price for: the order executes at it.
NO_PRICE = Decimal("1.00")
COUNTRY_CURRENCY = {"US": "USD", "CA": "CAD", "CH": "CHF", "GB": "GBP", "SE": "SEK", "DK": "DKK",
                    "NO": "NOK", "PL": "PLN", "CZ": "CZK"}
LANGUAGE_COUNTRY = {"nl": "NL", "de": "DE", "it": "IT", "es": "ES", "fr": "FR", "en": "US"}


# --- The clerk's reading, normalised ---------------------------------------------------------


@dataclass
class ExpectedLine:
    #: Every identifier the document prints for the line (seller, buyer, GTIN, manufacturer).
    ids: tuple[str, ...]
    #: The SKU the master data gives the line's product (see ``_line_skus``).
    sku: str
    quantity: Decimal | None
    unit: str | None  # normalised unit code
    unit_price: Decimal | None
    seller: str = ""
    buyer: str = ""
    gtin: str = ""
    description: str = ""
    raw_unit: str = ""


@dataclass
class ShipToAddress:
    code: str
    name: str
    street: str
    postal_code: str
    city: str
    country: str


@dataclass
class ExpectedOrder:
    po_numbers: tuple[str, ...]  # the PO number and accepted alternatives, as printed
    order_date: date | None
    requested_date: date | None
    currency: str | None  # only where the document prints one
    ship_to: ShipToAddress | None  # None: no delivery address to score
    lines: list[ExpectedLine]
    customer_number: str = ""
    expect_duplicate: bool = False


@dataclass
class ExpectedDocument:
    file: str  # relative to the corpus folder ("docs/…")
    bucket: str
    is_order: bool
    language: str
    raw: dict
    orders: list[ExpectedOrder] = field(default_factory=list)
    #: The sender: the From address of an e-mail, else the customer's contact (``--sender``).
    sender: str = ""
    is_email: bool = False
    today: date | None = None


def bucket_of(fmt: str, file: str) -> str:
    text = fmt.casefold()
    if text.startswith("eml") or file.lower().endswith(".eml"):
        return "email"
    if text.startswith("pdf"):
        if "scanned" in text or "image only" in text:
            return "pdf scanned"
        return "other" if "embedded" in text else "pdf text-layer"
    for prefix, bucket in (("xlsx", "xlsx/csv"), ("csv", "xlsx/csv"), ("x12", "x12"),
                           ("edifact", "edifact"), ("ubl", "ubl"), ("cxml", "cxml")):
        if text.startswith(prefix):
            return bucket
    return "other"


def plain(value) -> str:
    """A value with the clerk's annotations removed: "ABC1234 (PIA+1 IN)" -> "ABC1234";
    a placeholder such as "(not named)" -> ""."""
    if value is None:
        return ""
    text = str(value).strip()
    if text.startswith("("):
        return ""
    return text.split(" (")[0].strip()


def number(value) -> Decimal | None:
    text = plain(value).replace(",", "")
    found = re.match(r"-?\d+(\.\d+)?", text)
    if not found:
        return None
    try:
        return Decimal(found.group(0))
    except InvalidOperation:
        return None


def iso_date(value) -> date | None:
    found = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    return date(*map(int, found.groups())) if found else None


def currency_code(value) -> str | None:
    found = re.match(r"([A-Z]{3})\b", str(value or ""))
    return found.group(1) if found else None


def unit_code(value, language: str = "") -> str | None:
    """The unit as OrderDesk names it ("EACH" -> EA); None where the document gives none."""
    from integrations.parsers.vocabulary import normalise_unit

    text = plain(value)
    if not text:
        return None
    code = normalise_unit(text, language=language or None) or normalise_unit(text.split()[0])
    # "1 x Boeket": the x is a multiplication sign, not a unit.
    return code if code and len(code) > 1 else None


def importable_gtin(text: str) -> bool:
    """What the product import takes as a GTIN (8, 12, 13 or 14 digits; the check digit is
    not asked: a sample's made-up GTIN still identifies its product)."""
    return text.isdigit() and len(text) in (8, 12, 13, 14)


def expected_documents(folder: Path = CORPUS) -> list[ExpectedDocument]:
    """Every document of expected.json, with its orders normalised for scoring. The
    customer numbers, SKUs and ship-to codes are those ``masterdata_rows`` writes."""
    raw = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    documents = []
    for item in raw["documents"]:
        fmt = str(item.get("format", ""))
        is_order = item.get("doc_type", "").startswith("purchase_order")
        doc = ExpectedDocument(file=item["file"], bucket=bucket_of(fmt, item["file"]),
                               is_order=is_order, language=str(item.get("language", ""))[:2],
                               raw=item, is_email=item["file"].lower().endswith(".eml"))
        if is_order:
            doc.orders = [_expected_order(item, part, doc.language) for part in
                          (item.get("orders") or [item])]
            doc.today = _anchor(item)
        documents.append(doc)
    _assign_masterdata_keys(documents, folder)
    return documents


def _expected_order(item: dict, part: dict, language: str) -> ExpectedOrder:
    po = plain(part.get("po_number"))
    alternatives = [plain(a) for a in item.get("po_alternatives") or [] if plain(a)]
    requested = iso_date(part.get("requested_date"))
    lines = [_expected_line(line, language) for line in part.get("lines") or []]
    return ExpectedOrder(
        po_numbers=tuple(dict.fromkeys(p for p in [po, *alternatives] if p)),
        order_date=iso_date(part.get("order_date")), requested_date=requested,
        currency=currency_code(item.get("currency")) if item.get("currency_printed") else None,
        ship_to=None, lines=lines,
        expect_duplicate="duplicate" in str(item.get("expected_status_hint", "")).casefold(),
    )


def _expected_line(line: dict, language: str) -> ExpectedLine:
    seller, buyer = plain(line.get("seller_item")), plain(line.get("buyer_item"))
    gtin = plain(line.get("gtin"))
    others = [plain(line.get(k)) for k in ("mg_item", "manufacturer_part")]
    ids = tuple(dict.fromkeys(i for i in (seller, buyer, gtin, *others) if i))
    quantity = number(line.get("quantity"))
    if quantity is None:
        quantity = number(line.get("quantity_inferred"))  # "540 (3,240.00 / 6.0000)"
    return ExpectedLine(ids=ids, sku="", quantity=quantity, unit=unit_code(line.get("unit"), language),
                        unit_price=number(line.get("unit_price")), seller=seller, buyer=buyer,
                        gtin=gtin, description=str(line.get("description") or "").strip(),
                        raw_unit=plain(line.get("unit")))


def _anchor(item: dict) -> date | None:
    """The day the order was written: the boundary judges its dates from there."""
    parts = item.get("orders") or [item]
    found = [iso_date(p.get(k)) for p in parts for k in ("order_date", "requested_date")]
    found += [iso_date(line.get("requested_date")) for p in parts for line in p.get("lines") or []]
    found = [d for d in found if d]
    return min(found) if found else None


# --- Master data written from the clerk's reading --------------------------------------------


def _buyer_key(item: dict) -> str:
    buyer = item.get("buyer") or {}
    name = plain(buyer.get("name"))
    return (name.casefold() or plain(buyer.get("gln")) or plain(buyer.get("id"))
            or item["file"])


def _assign_masterdata_keys(documents: list[ExpectedDocument], folder: Path) -> None:
    numbers: dict[str, str] = {}
    for doc in sorted(documents, key=lambda d: d.file):
        if not doc.is_order:
            continue
        key = _buyer_key(doc.raw)
        number_ = numbers.setdefault(key, f"RW{len(numbers) + 1:03d}")
        for order in doc.orders:
            order.customer_number = number_
        doc.sender = (_from_address(folder / doc.file) if doc.is_email
                      else f"orders@{number_.lower()}.example")
    _assign_skus(documents)
    _assign_shiptos(documents)


def _from_address(path: Path) -> str:
    """The From address of an e-mail, read from its headers."""
    try:
        headers = BytesHeaderParser().parsebytes(path.read_bytes())
    except OSError:
        return ""
    return parseaddr(str(headers.get("From", "")))[1].strip().lower()


def _assign_skus(documents: list[ExpectedDocument]) -> None:
    """SKU = the seller's item number, else the buyer's, else another printed id, else a
    code of the customer and line. A seller number printed alike on lines with different
    buyer numbers (an X12 VN element holding a pattern name) identifies nothing."""
    by_gtin: dict[str, str] = {}
    for doc in sorted(documents, key=lambda d: d.file):
        for order in doc.orders:
            buyers_of: dict[str, set[str]] = defaultdict(set)
            for line in order.lines:
                if line.seller:
                    buyers_of[line.seller].add(line.buyer)
            for position, line in enumerate(order.lines, 1):
                seller = line.seller if len(buyers_of.get(line.seller, ())) <= 1 else ""
                if not seller:
                    line.ids = tuple(i for i in line.ids if i != line.seller)
                line.seller = seller
                others = [i for i in line.ids if i not in (line.buyer, line.gtin)]
                # One GTIN, one product: the first line that names it gives its SKU.
                line.sku = by_gtin.get(line.gtin) or (
                    seller or line.buyer or next(iter(others), "")
                    or f"{order.customer_number}-L{position:03d}")
                if line.gtin:
                    by_gtin.setdefault(line.gtin, line.sku)


def _assign_shiptos(documents: list[ExpectedDocument]) -> None:
    seen: dict[tuple[str, str, str], ShipToAddress] = {}
    counts: Counter = Counter()
    for doc in sorted(documents, key=lambda d: d.file):
        ship = doc.raw.get("ship_to") or {}
        lines = [_unannotated(str(line)) for line in ship.get("lines") or []]
        if not doc.is_order or not lines or any(line.startswith("LOC+") for line in lines):
            continue  # no delivery address printed, or a split delivery to GLN locations
        for order in doc.orders:
            address = address_of(ship.get("name"), lines, default_country=_country(doc))
            key = (order.customer_number, *_site(address.street, address.postal_code))
            if key not in seen:
                counts[order.customer_number] += 1
                address.code = plain(ship.get("code")) or plain(ship.get("id")) or (
                    f"S{counts[order.customer_number]}")
                seen[key] = address
            order.ship_to = seen[key]


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", str(text).casefold())


def address_of(name, lines: list[str], *, default_country: str) -> ShipToAddress:
    """Name, street, postal code, city and country of printed address lines, read with
    the desk's own address parser, the gaps filled from the lines themselves."""
    from integrations.parsers.address import parse_address_lines

    found = parse_address_lines(lines)

    def value(read) -> str:
        return str(read.value).strip() if read is not None and read.value else ""

    street, postal, city = value(found.street), value(found.postal_code), value(found.city)
    if not postal:
        match = None
        for line in lines:
            match = re.search(r"\b(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{4} ?[A-Z]{2})\b",
                              line) or match
        postal = match.group(1) if match else ""
    if not street:
        street = next((line for line in lines if re.search(r"\d", line) and postal not in line), "-")
    return ShipToAddress(code="", name=plain(name) or value(found.name) or "Delivery address",
                         street=street, postal_code=postal or "-", city=city or "-",
                         country=value(found.country) or default_country)


def _country(doc: ExpectedDocument) -> str:
    """The buyer's country: from its address as the desk's parser reads it, else from the
    address's shape (US and Canadian postal codes, a European postal code before the
    city), else from the document's language."""
    from integrations.parsers.address import parse_address_lines

    buyer = doc.raw.get("buyer") or {}
    address = [str(a) for a in buyer.get("address") or (doc.raw.get("ship_to") or {}).get("lines") or []]
    found = parse_address_lines(address).country if address else None
    if found is not None and found.value:
        return str(found.value)
    for pattern, country in ((r"\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b", "CA"),
                             (r"\bUSA\b|U\.S\.A\.|EE\.UU\.|\b[A-Z]{2},? \d{5}\b", "US"),
                             (r"^\d{5} [^\W\d]", "DE")):
        if any(re.search(pattern, line) for line in address):
            return country
    return LANGUAGE_COUNTRY.get(doc.language, "US")


def masterdata_rows(documents: list[ExpectedDocument]) -> dict[str, list[dict]]:
    """CONTRACT §1 rows, by kind, for every purchase order of ``documents``."""
    rows: dict[str, dict[tuple, dict]] = defaultdict(dict)
    domains = _sender_domains(documents)
    for doc in sorted(documents, key=lambda d: d.file):
        for order in doc.orders:
            _customer_rows(rows, doc, order, domains)
            for line in order.lines:
                _product_rows(rows, doc, order, line)
    for doc in sorted(documents, key=lambda d: d.file):
        for order in doc.orders:
            _billing_shipto_row(rows, doc, order)
    return {kind: list(by_key.values()) for kind, by_key in rows.items()}


def _billing_shipto_row(rows, doc: ExpectedDocument, order: ExpectedOrder) -> None:
    """The buyer's own address as a second site of the customer (the default where the
    documents name no delivery address): an order read with the bill-to as its ship-to
    then resolves to the wrong site and shows as a wrong execution, not a right one."""
    lines = [_unannotated(str(a)) for a in (doc.raw.get("buyer") or {}).get("address") or []]
    number_ = order.customer_number
    known = [r for k, r in rows["shiptos"].items() if k[0] == number_]
    if not lines and known:
        return
    address = (address_of(doc.raw["buyer"].get("name"), lines, default_country=_country(doc))
               if lines else ShipToAddress("", "No address on the documents", "-", "-", "-",
                                           _country(doc)))
    if any(_site(r["street"], r["postal_code"]) == _site(address.street, address.postal_code)
           for r in known):
        return
    rows["shiptos"][(number_, "BILLTO")] = {
        "customer_number": number_, "shipto_code": "BILLTO", "name": address.name[:200],
        "street": address.street, "city": address.city, "postal_code": address.postal_code,
        "country": address.country, "is_default": "false" if known else "true"}


def _unannotated(line: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", line).strip()


def _site(street: str, postal: str) -> tuple[str, str]:
    """A site as the resolution tells sites apart: postal code and house number."""
    house = re.search(r"\d+", street)
    return _fold(postal), house.group(0) if house else _fold(street)


def _sender_domains(documents: list[ExpectedDocument]) -> dict[str, set[str]]:
    """Customer number -> sender addresses; an address several customers send from (a
    procurement platform) becomes an e-mail domain of each, not a contact."""
    senders: dict[str, set[str]] = defaultdict(set)
    for doc in documents:
        for order in doc.orders:
            if doc.sender:
                senders[doc.sender].add(order.customer_number)
    return senders


def _customer_rows(rows, doc: ExpectedDocument, order: ExpectedOrder, senders) -> None:
    from orders.validators import is_public_mail_domain

    number_ = order.customer_number
    buyer = doc.raw.get("buyer") or {}
    country = _country(doc)
    currency = currency_code(doc.raw.get("currency")) or COUNTRY_CURRENCY.get(country, "EUR")
    customer = rows["customers"].setdefault(number_, {
        "customer_number": number_, "name": plain(buyer.get("name")) or f"Real-world buyer {number_}",
        "email_domains": "", "aliases": "", "country": country, "currency": currency})
    domain = doc.sender.rpartition("@")[2]
    if doc.sender and len(senders[doc.sender]) == 1:
        rows["contacts"][doc.sender] = {"email": doc.sender, "customer_number": number_}
    if doc.is_email and domain and not is_public_mail_domain(domain):
        known = set(filter(None, customer["email_domains"].split(";")))
        customer["email_domains"] = ";".join(sorted(known | {domain}))
    if order.ship_to is not None:
        ship = order.ship_to
        first = not any(k[0] == number_ for k in rows["shiptos"])
        rows["shiptos"].setdefault((number_, ship.code), {
            "customer_number": number_, "shipto_code": ship.code, "name": ship.name[:200],
            "street": ship.street, "city": ship.city, "postal_code": ship.postal_code,
            "country": ship.country, "is_default": "true" if first else "false"})
    rows["credit"][number_] = {"customer_number": number_, "credit_limit": "1000000000",
                               "open_exposure": "0"}


def _product_rows(rows, doc: ExpectedDocument, order: ExpectedOrder, line: ExpectedLine) -> None:
    number_ = order.customer_number
    gtin = line.gtin if importable_gtin(line.gtin) else ""
    rows["products"].setdefault(line.sku, {
        "sku": line.sku, "description": (line.description or line.sku)[:500],
        "base_uom": line.unit or "EA", "gtin": gtin})
    if line.buyer and line.buyer != line.sku:
        rows["customer_parts"].setdefault((number_, line.buyer), {
            "customer_number": number_, "customer_part_number": line.buyer, "sku": line.sku})
    currency = rows["customers"][number_]["currency"]
    rows["prices"].setdefault((number_, line.sku), {
        "customer_number": number_, "sku": line.sku, "currency": currency,
        "unit_price": _agreed(line.unit_price)})
    rows["inventory"][line.sku] = {"sku": line.sku, "warehouse": "RW", "on_hand": "10000000"}


def _agreed(price: Decimal | None) -> str:
    """A price as the agreement stores it (4 decimals at most: 6.01348 -> 6.0135, within
    the 2 % tolerance of what the document prints)."""
    if price is None:
        return str(NO_PRICE)
    return f"{price.quantize(Decimal('0.0001')).normalize():f}"


# --- What intake stored ------------------------------------------------------------------------


@dataclass
class ReadLine:
    sku: str = ""
    customer_part_number: str = ""
    gtin: str = ""
    product_sku: str = ""  # the product intake resolved the line to
    quantity: Decimal | None = None
    uom: str = ""  # as written
    resolved_uom: str = ""
    unit_price: Decimal | None = None
    price_per: Decimal | None = None


@dataclass
class ReadOrder:
    status: str
    causes: tuple[str, ...] = ()
    customer_number: str = ""
    po_number: str = ""
    order_date: date | None = None
    requested_date: date | None = None
    currency: str = ""
    shipto_code: str = ""  # the ship-to intake resolved
    read_shipto_code: str = ""
    ship_to_street: str = ""
    ship_to_postal_code: str = ""
    lines: list[ReadLine] = field(default_factory=list)


def read_orders(source: str) -> list[ReadOrder]:
    """The orders intake stored for one document, as the scorer sees them."""
    from orders.models import Order

    found = []
    orders = (Order.objects.filter(document__source=source).select_related("customer", "shipto")
              .prefetch_related("lines__product").order_by("document_id", "position"))
    for order in orders:
        code = (order.draft.get("shipto_code") or {}) if isinstance(order.draft, dict) else {}
        lines = [ReadLine(sku=line.sku, customer_part_number=line.customer_part_number, gtin=line.gtin,
                          product_sku=line.product.sku if line.product else "", quantity=line.quantity,
                          uom=line.uom, resolved_uom=line.resolved_uom, unit_price=line.unit_price,
                          price_per=line.price_per,
                          ) for line in order.lines.all()]
        first_date = min((line.requested_date for line in order.lines.all() if line.requested_date),
                         default=None)
        found.append(ReadOrder(
            status=order.status, causes=tuple(c["code"] for c in order.causes),
            customer_number=order.customer.customer_number if order.customer else "",
            po_number=order.po_number, order_date=order.order_date,
            requested_date=order.requested_date or first_date, currency=order.currency,
            shipto_code=order.shipto.shipto_code if order.shipto else "",
            read_shipto_code=str(code.get("value") or "") if isinstance(code, dict) else "",
            ship_to_street=order.ship_to_street, ship_to_postal_code=order.ship_to_postal_code,
            lines=lines))
    return found


# --- Scoring -------------------------------------------------------------------------------------


@dataclass
class Check:
    field: str
    expected: object
    got: object
    ok: bool
    #: A miss that does not change what is executed (the ship-to was not read, but the order
    #: went to the right one).
    harmless: bool = False


def _same_po(got: str, accepted: tuple[str, ...]) -> bool:
    return bool(got) and _fold(got) in {_fold(p) for p in accepted}


def _ids(line: ReadLine) -> set[str]:
    return {_fold(v) for v in (line.sku, line.customer_part_number, line.gtin, line.product_sku) if v}


def _item_matches(want: ExpectedLine, got: ReadLine) -> bool:
    if got.product_sku and got.product_sku == want.sku:
        return True
    return bool({_fold(i) for i in want.ids} & _ids(got))


def match_lines(want: list[ExpectedLine], got: list[ReadLine]) -> list[tuple[ExpectedLine, ReadLine | None]]:
    """Pair each expected line with a read one: the line at the same position when its item
    matches, else the first unpaired line with the item, else the one at the same position."""
    free = set(range(len(got)))
    pairs: list[tuple[ExpectedLine, int | None]] = []
    for index, line in enumerate(want):
        chosen = None
        if index in free and _item_matches(line, got[index]):
            chosen = index
        else:
            chosen = next((i for i in sorted(free) if _item_matches(line, got[i])), None)
        if chosen is None and index in free:
            chosen = index
        if chosen is not None:
            free.discard(chosen)
        pairs.append((line, chosen))
    return [(line, got[i] if i is not None else None) for line, i in pairs]


def _price(line: ReadLine) -> Decimal | None:
    if line.unit_price is None:
        return None
    return line.unit_price / line.price_per if line.price_per else line.unit_price


def _unit(line: ReadLine, language: str) -> str | None:
    return unit_code(line.uom, language) if line.uom else (line.resolved_uom or None)


def score_order(want: ExpectedOrder, got: ReadOrder | None, language: str = "") -> list[Check]:
    """Every field the clerk read, compared with what intake stored (``got`` None: the
    order was not found). A field the document does not carry is not scored."""
    got = got or ReadOrder(status="missing")
    checks = [Check("po_number", want.po_numbers[0], got.po_number, _same_po(got.po_number,
                                                                             want.po_numbers))
              ] if want.po_numbers else []
    for name in ("order_date", "requested_date", "currency"):
        expected = getattr(want, name)
        if expected is not None:
            checks.append(Check(name, expected, getattr(got, name), getattr(got, name) == expected))
    if want.ship_to is not None:
        checks.append(_ship_to_check(want.ship_to, got))
    for number_, (line, read) in enumerate(match_lines(want.lines, got.lines), 1):
        checks += _line_checks(number_, line, read or ReadLine(), language)
    extra = len(got.lines) - len(want.lines)
    checks += [Check(f"extra line {len(want.lines) + i}", None, "a line", False) for i in range(1, extra + 1)]
    return checks


def _ship_to_check(ship: ShipToAddress, got: ReadOrder) -> Check:
    read_any = bool(got.ship_to_street or got.ship_to_postal_code or got.read_shipto_code)
    resolved = got.shipto_code == ship.code
    postal_ok = _fold(got.ship_to_postal_code) == _fold(ship.postal_code)
    street_ok = bool(got.ship_to_street) and _fold(got.ship_to_street)[:6] == _fold(ship.street)[:6]
    ok = (resolved and read_any) or (not got.shipto_code and postal_ok and street_ok)
    shown = got.shipto_code or f"{got.ship_to_street} {got.ship_to_postal_code}".strip()
    return Check("ship_to", f"{ship.code}: {ship.street} {ship.postal_code}", shown or None, ok,
                 harmless=resolved and not ok)


def _line_checks(number_: int, line: ExpectedLine, read: ReadLine, language: str) -> list[Check]:
    where = f"line {number_} "
    shown = read.product_sku or read.sku or read.customer_part_number or read.gtin or None
    checks = [Check(where + "item", line.ids[0] if line.ids else line.sku, shown,
                    _item_matches(line, read))]
    if line.quantity is not None:
        checks.append(Check(where + "quantity", line.quantity, read.quantity,
                            read.quantity is not None and read.quantity == line.quantity))
    if line.unit is not None:
        unit = _unit(read, language)
        checks.append(Check(where + "unit", line.unit, unit, unit == line.unit))
    if line.unit_price is not None:
        price = _price(read)
        checks.append(Check(where + "unit_price", line.unit_price, price,
                            price is not None and price == line.unit_price))
    return checks


def pair_orders(want: list[ExpectedOrder], got: list[ReadOrder]) -> list[tuple[ExpectedOrder | None,
                                                                             ReadOrder | None]]:
    """Expected orders with the orders read (rejected ones left out): by PO number, then
    in order. A read order left over pairs with None: an order the clerk did not see."""
    found = [o for o in got if o.status != "rejected"]
    free = list(range(len(found)))
    pairs: list[tuple[ExpectedOrder | None, ReadOrder | None]] = []
    for order in want:
        index = next((i for i in free if _same_po(found[i].po_number, order.po_numbers)),
                     free[0] if free else None)
        if index is not None:
            free.remove(index)
        pairs.append((order, found[index] if index is not None else None))
    return pairs + [(None, found[i]) for i in free]


@dataclass
class DocumentScore:
    file: str
    bucket: str
    checks: list[Check] = field(default_factory=list)
    executed: int = 0
    routed: int = 0
    date_only: int = 0
    duplicates: int = 0
    #: Records of a purchase order rejected as holding no order (a lost order).
    lost: int = 0
    causes: Counter = field(default_factory=Counter)
    #: One entry per order executed wrongly, saying why (empty: none).
    wrong: list[str] = field(default_factory=list)
    non_order_right: bool | None = None  # for documents that hold no order
    seconds: float = 0.0


def score_document(doc: ExpectedDocument, got: list[ReadOrder], seconds: float = 0.0) -> DocumentScore:
    result = DocumentScore(doc.file, doc.bucket, seconds=seconds)
    for order in got:
        result.causes.update(set(order.causes))
    if not doc.is_order:
        result.non_order_right = bool(got) and all(o.status == "rejected" for o in got)
        result.wrong += [f"a non-order executed (PO {o.po_number!r})" for o in got
                         if o.status == "executed"]
        return result
    result.lost = sum(o.status == "rejected" for o in got)
    for want, read in pair_orders(doc.orders, got):
        _score_pair(result, doc, want, read)
    return result


def _score_pair(result: DocumentScore, doc: ExpectedDocument, want: ExpectedOrder | None,
                read: ReadOrder | None) -> None:
    checks = score_order(want, read, doc.language) if want is not None else [
        Check("extra order", None, read.po_number or "an order", False)]
    result.checks += checks
    if read is None:
        return
    if read.status == "executed":
        result.executed += 1
        wrong = [f"{c.field}: want {c.expected}, got {c.got}" for c in checks if not c.ok and not c.harmless]
        if want is not None and read.customer_number != want.customer_number:
            wrong.append(f"customer: want {want.customer_number}, got {read.customer_number}")
        if want is not None and want.expect_duplicate:
            wrong.append("a duplicate executed a second time")
        if wrong:
            result.wrong.append(f"PO {read.po_number or '(none)'}: " + "; ".join(wrong))
    elif read.status == "exception":
        result.routed += 1
        result.date_only += bool(read.causes) and set(read.causes) <= DATE_CAUSES
    elif read.status == "duplicate":
        result.duplicates += 1


@dataclass
class Tally:
    """Document scores summed per format bucket."""

    scores: list[DocumentScore] = field(default_factory=list)

    def of(self, bucket: str | None) -> list[DocumentScore]:
        return [s for s in self.scores if bucket is None or s.bucket == bucket]

    def fields(self, bucket: str | None = None) -> tuple[int, int]:
        checks = [c for s in self.of(bucket) for c in s.checks]
        return sum(c.ok for c in checks), len(checks)

    def wrong_executions(self, bucket: str | None = None) -> list[str]:
        return [f"{s.file}: {why}" for s in self.of(bucket) for why in s.wrong]

    def row(self, bucket: str | None) -> str:
        scores = self.of(bucket)
        right, total = self.fields(bucket)
        share = f"{right / total:6.1%}" if total else "    - "
        non_orders = [s.non_order_right for s in scores if s.non_order_right is not None]
        causes = Counter()
        for s in scores:
            causes.update(s.causes)
        top = ", ".join(f"{code} {n}" for code, n in causes.most_common(4))
        return (f"{bucket or 'ALL':<15}{len(scores):>5} {right:>5}/{total:<5} {share}"
                f"{sum(s.executed for s in scores):>6}{len(self.wrong_executions(bucket)):>7}"
                f"{sum(s.routed for s in scores):>7}{sum(s.date_only for s in scores):>6}"
                f"{sum(s.duplicates for s in scores):>5}{sum(s.lost for s in scores):>5}"
                f"  {sum(non_orders)}/{len(non_orders):<4} {top}")

    def table(self) -> str:
        head = (f"{'format':<15}{'docs':>5} {'fields right':>11} {'%':>6}{'exec':>6}{'WRONG':>7}"
                f"{'routed':>7}{'date':>6}{'dup':>5}{'lost':>5}  {'non-ord':<6} top causes (documents)")
        rows = [self.row(b) for b in BUCKETS if self.of(b)]
        return "\n".join([head, *rows, self.row(None)])


# --- Running intake --------------------------------------------------------------------------


def load_masterdata(rows: dict[str, list[dict]]) -> None:
    from io import StringIO

    from django.core.management import call_command

    from orders.resources import RESOURCES
    from orders.services.masterdata import masterdata_import

    for kind in RESOURCES:
        if rows.get(kind):
            report = masterdata_import(kind=kind, data=_csv(rows[kind]), file_name=f"{kind}.csv")
            if not report.ok:
                raise RuntimeError(f"master data {kind}: {report.errors}")
    call_command("set_autonomy", "autonomous", stdout=StringIO())


def _csv(rows: list[dict]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(k for row in rows for k in row)))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@contextlib.contextmanager
def decided_on(today: date | None):
    """Let the boundary decide the orders intake reads as on ``today`` (None: the real
    date), through ``order_decide_stored``'s own ``today`` argument."""
    from orders.services import execution

    original = execution.order_decide_stored

    def decide(**kwargs):
        kwargs.setdefault("today", today)
        return original(**kwargs)

    execution.order_decide_stored = decide if today else original
    try:
        yield
    finally:
        execution.order_decide_stored = original


def intake_document(doc: ExpectedDocument, folder: Path = CORPUS) -> tuple[list[ReadOrder], float]:
    """Feed one document through ``intake --sync`` and read back what it stored."""
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = str(folder / doc.file)
    args = [] if doc.is_email or not doc.sender else ["--sender", doc.sender]
    started = time.perf_counter()
    with decided_on(doc.today), contextlib.suppress(CommandError):
        call_command("intake", path, "--sync", *args, stdout=StringIO(), stderr=StringIO())
    return read_orders(path), time.perf_counter() - started


def intake_order(doc: ExpectedDocument) -> tuple[bool, str]:
    """File-name order, a copy the clerk marked as a duplicate after its original."""
    return any(o.expect_duplicate for o in doc.orders), doc.file


def run(documents: list[ExpectedDocument], folder: Path = CORPUS) -> Tally:
    """Master data for ``documents``, then each through intake in file-name order, scored."""
    load_masterdata(masterdata_rows(documents))
    tally = Tally()
    for doc in sorted(documents, key=intake_order):
        got, seconds = intake_document(doc, folder)
        tally.scores.append(score_document(doc, got, seconds))
    return tally


# --- The command -----------------------------------------------------------------------------


def _print_report(tally: Tally, show: int, seconds: float) -> None:
    print(tally.table())
    print("columns: fields right of the fields the clerk read; exec = orders executed; WRONG = "
          "executed with a field that differs (or a non-order/duplicate executed); routed = "
          "orders routed to a person; date = routed ONLY for REQUESTED_DATE_INFEASIBLE (would "
          "execute but for the date); dup = orders stored as duplicates; lost = purchase orders "
          "rejected as no order; non-ord = non-orders rejected; top causes counted once per document")
    times = [s.seconds for s in tally.scores]
    print(f"{len(times)} documents in {seconds:.1f} s, median {statistics.median(times) * 1000:.0f} ms "
          f"per document (intake --sync, one call each)" if times else "no documents")
    wrong = tally.wrong_executions()
    print(f"--- WOULD EXECUTE WRONGLY: {len(wrong)}")
    for item in wrong:
        print("  ", item)
    print("--- causes, by document (routed and rejected orders)")
    for score in tally.scores:
        if score.routed or score.causes:
            print(f"   {Path(score.file).name[:70]}: {', '.join(sorted(score.causes))}")
    if show:
        _print_misses(tally, show)


def _print_misses(tally: Tally, show: int) -> None:
    for bucket in BUCKETS:
        misses = [(s.file, c) for s in tally.of(bucket) for c in s.checks if not c.ok]
        if not misses:
            continue
        print(f"--- field misses, {bucket}: {len(misses)} (first {min(show, len(misses))})")
        for file, check in misses[:show]:
            print(f"   {Path(file).name[:48]:<48} {check.field:<18} want {check.expected!s:<22.60} "
                  f"got {check.got!s:.60}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="field mismatches listed per format")
    parser.add_argument("--file", default="", help="only documents whose name holds this")
    parser.add_argument("--corpus", default=str(CORPUS), help="the realworld folder")
    args = parser.parse_args()
    folder = Path(args.corpus)
    if not (folder / "expected.json").is_file():
        sys.exit(f"no corpus at {folder} (expected.json missing)")
    tmp = Path(tempfile.mkdtemp(prefix="od-realworld-"))
    os.environ.update({"ORDERDESK_VAR_DIR": str(tmp), "DATABASE_URL": "", "LOG_LEVEL": "ERROR",
                       "DJANGO_SETTINGS_MODULE": "orderdesk.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    documents = expected_documents(folder)
    chosen = [d for d in documents if args.file in d.file]
    if not chosen:
        sys.exit(f"no document name holds {args.file!r}")
    # The master data of every document, so that one document alone reads as in the full run.
    started = time.perf_counter()
    load_masterdata(masterdata_rows(documents))
    tally = Tally()
    for doc in sorted(chosen, key=intake_order):
        got, seconds = intake_document(doc, folder)
        tally.scores.append(score_document(doc, got, seconds))
    digest = hashlib.sha256((folder / "expected.json").read_bytes()).hexdigest()[:12]
    print(f"real-world set {folder} (expected.json {digest}), {len(chosen)} of {len(documents)} documents")
    _print_report(tally, args.show, time.perf_counter() - started)


if __name__ == "__main__":
    main()
