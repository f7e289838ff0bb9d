"""Spreadsheet orders: CSV exports (`;` with decimal commas, or `,`) and XLSX order forms.

Neither names a sender, so intake needs `--sender`; the customer is the sender's.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal
from random import Random

from openpyxl import Workbook
from openpyxl.styles import Font

from orders.corpus.master import Address
from orders.corpus.model import OrderSpec
from orders.corpus.phrases import PDF_LABELS, TABLE_HEADERS
from orders.corpus.textfmt import address_lines, format_date, number, plain_number, written_units

#: Column names of flat exports (one row per line, order fields repeated).
FLAT_HEADERS = {
    "en": ("PO Number", "Order Date", "Delivery Date", "Customer No", "Item No", "Description", "Quantity",
           "UoM", "Unit Price", "Currency"),
    "de": ("Bestellnummer", "Bestelldatum", "Liefertermin", "Kundennummer", "Artikelnummer", "Bezeichnung",
           "Menge", "Einheit", "Preis", "Währung"),
    "fr": ("N° commande", "Date commande", "Date livraison", "N° client", "Référence", "Désignation",
           "Quantité",
           "Unité", "Prix unitaire", "Devise"),
    "da": ("Ordrenr", "Ordredato", "Leveringsdato", "Kundenr", "Varenr", "Beskrivelse", "Antal", "Enhed",
           "Pris", "Valuta"),
    "nl": ("Ordernummer", "Orderdatum", "Leverdatum", "Klantnummer", "Artikelnummer", "Omschrijving",
           "Aantal",
           "Eenheid", "Prijs", "Valuta"),
}  # fmt: skip
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
ADDRESS_HEADERS = {
    "en": ("Ship-to Name", "Ship-to Street", "Ship-to Postal Code", "Ship-to City", "Ship-to Country"),
    "de": ("Lieferadresse Name", "Straße", "PLZ", "Ort", "Land"),
    "fr": ("Livraison nom", "Rue", "Code postal", "Ville", "Pays"),
    "da": ("Leveringsnavn", "Adresse", "Postnr", "By", "Land"),
    "nl": ("Afleveradres naam", "Straat", "Postcode", "Plaats", "Land"),
}  # fmt: skip


def _dates(spec: OrderSpec, rng: Random) -> tuple[str, str]:
    if rng.random() < 0.4:
        return spec.order_date.isoformat(), spec.requested_date.isoformat()
    style, country = 0, spec.buyer.country
    lang = spec.language if spec.language != "en" or country in ("GB", "US") else "de"
    return (
        format_date(spec.order_date, lang, style, country=country),
        format_date(spec.requested_date, lang, style, country=country),
    )


def _numbers(spec: OrderSpec, comma: bool) -> Callable[[Decimal | int | None], str]:
    lang = spec.language if comma else "en"

    def text(value) -> str:
        return "" if value is None else number(value, lang, grouping=False) if comma else plain_number(value)

    return text


# --- CSV ----------------------------------------------------------------------------------------


def render_csv(spec: OrderSpec, rng: Random) -> tuple[bytes, list[str], str]:
    """(bytes, units as written, layout): flat or with a header block, `;` or `,`."""
    comma = spec.language != "en"
    delimiter = ";" if comma or rng.random() < 0.3 else ","
    units = written_units([line.unit for line in spec.lines], spec.language, rng, words=0.4)
    kind = rng.choice(("flat", "preamble"))
    rows = (_flat_rows if kind == "flat" else _preamble_rows)(spec, units, rng, comma)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if rng.random() < 0.5 else "\n").writerows(
        rows
    )
    encoding = "utf-8-sig" if rng.random() < 0.3 else "utf-8"
    name = {";": "semicolon", ",": "comma"}[delimiter]
    return buffer.getvalue().encode(encoding), units, f"csv-{kind}-{name}"


def _flat_rows(spec: OrderSpec, units: list[str], rng: Random, comma: bool) -> list[list[str]]:
    text, (ordered, wanted) = _numbers(spec, comma), _dates(spec, rng)
    header = list(FLAT_HEADERS[spec.language])
    with_address = spec.ship_to is not None
    if with_address:
        header += list(ADDRESS_HEADERS[spec.language])
    rows = [header]
    for line, unit in zip(spec.lines, units, strict=True):
        row = [
            spec.po_number,
            ordered,
            wanted,
            spec.customer_number or "",
            line.ident,
            line.description,
            text(line.quantity),
            unit,
            text(line.unit_price),
            spec.currency,
        ]
        if with_address:
            address = spec.ship_to
            row += [address.name, address.street, address.postal_code, address.city, address.country]
        rows.append(row)
    return rows


def _preamble_rows(spec: OrderSpec, units: list[str], rng: Random, comma: bool) -> list[list[str]]:
    labels, text, (ordered, wanted) = PDF_LABELS[spec.language], _numbers(spec, comma), _dates(spec, rng)
    rows = [
        [labels["title"]],
        [labels["po"], spec.po_number],
        [labels["date"], ordered],
        [labels["requested"], wanted],
        [labels["currency"], spec.currency],
    ]
    if spec.customer_number:
        rows.append([labels["customer"], spec.customer_number])
    if spec.ship_to:
        address = spec.ship_to
        rows.append(
            [
                labels["ship_to"],
                address.name,
                address.street,
                address.postal_code,
                address.city,
                address.country,
            ]
        )
    pos, item, desc, qty, unit, price, _ = TABLE_HEADERS[spec.language]
    rows += [[], [pos, item, desc, qty, unit, price]]
    rows += [
        [str(i), line.ident, line.description, text(line.quantity), u, text(line.unit_price)]
        for i, (line, u) in enumerate(zip(spec.lines, units, strict=True), start=1)
    ]
    return rows


# --- XLSX ---------------------------------------------------------------------------------------


def render_xlsx(spec: OrderSpec, rng: Random) -> tuple[bytes, list[str], str]:
    """(bytes, units as written, layout): a plain table or an order form with a header block."""
    units = written_units([line.unit for line in spec.lines], spec.language, rng, words=0.4)
    book = Workbook()
    sheet = book.active
    kind = rng.choice(("table", "form"))
    (_xlsx_table if kind == "table" else _xlsx_form)(sheet, spec, units)
    stamp = datetime.combine(spec.order_date, time(8, 0))
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = spec.sender.name
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue(), stamp), units, f"xlsx-{kind}"


def _xlsx_table(sheet, spec: OrderSpec, units: list[str]) -> None:
    sheet.title = "Order"
    # A delivery address other than the default is written on every row, as in the flat CSV
    # export: without it the sheet would say nothing about where the goods go.
    address = spec.ship_to
    sheet.append([*FLAT_HEADERS[spec.language], *(ADDRESS_HEADERS[spec.language] if address else ())])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line, unit in zip(spec.lines, units, strict=True):
        where = _address_cells(address)
        sheet.append(
            [
                spec.po_number,
                spec.order_date,
                spec.requested_date,
                spec.customer_number or "",
                line.ident,
                line.description,
                line.quantity,
                unit,
                float(line.unit_price) if line.unit_price is not None else None,
                spec.currency,
                *where,
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "DD.MM.YYYY" if spec.language != "en" else "YYYY-MM-DD"


def _address_cells(address: Address | None) -> list[str]:
    if address is None:
        return []
    return [address.name, address.street, address.postal_code, address.city, address.country]


def _xlsx_form(sheet, spec: OrderSpec, units: list[str]) -> None:
    labels = PDF_LABELS[spec.language]
    sheet.title = labels["title"].title()[:30]
    sheet["A1"] = spec.buyer.name
    sheet["A2"] = labels["title"]
    sheet["A1"].font = sheet["A2"].font = Font(bold=True, size=14)
    pairs = [
        (labels["po"], spec.po_number),
        (labels["date"], spec.order_date),
        (labels["requested"], spec.requested_date),
        (labels["currency"], spec.currency),
        (labels["contact"], spec.sender.name),
    ]
    if spec.customer_number:
        pairs.append((labels["customer"], spec.customer_number))
    if spec.ship_to:
        address = spec.ship_to
        # One cell, as people type it: a foreign delivery address ends with its country.
        pairs.append((labels["ship_to"], ", ".join(address_lines(address))))
    for row, (label, value) in enumerate(pairs, start=4):
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 2, value).number_format = "DD.MM.YYYY"
    _xlsx_lines(sheet, spec, units, 5 + len(pairs))


def _xlsx_lines(sheet, spec: OrderSpec, units: list[str], top: int) -> None:
    pos, item, desc, qty, unit, price, amount = TABLE_HEADERS[spec.language]
    for col, title in enumerate((pos, item, desc, qty, unit, price, amount), start=1):
        sheet.cell(top, col, title).font = Font(bold=True)
    for i, (line, written) in enumerate(zip(spec.lines, units, strict=True), start=1):
        price_value = float(line.unit_price) if line.unit_price is not None else None
        values = (i, line.ident, line.description, line.quantity, written, price_value)
        for col, value in enumerate(values, start=1):
            sheet.cell(top + i, col, value)
        if price_value is not None:
            sheet.cell(top + i, 7, f"=D{top + i}*F{top + i}")
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 48


def _stable_zip(data: bytes, stamp: datetime) -> bytes:
    """openpyxl stamps the zip members and the 'modified' property with the wall clock; use the
    order date instead, so the same order gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(
                    rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content
                )
            target.writestr(member, content)
    return buffer.getvalue()
