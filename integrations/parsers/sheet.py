"""CSV and XLSX order sheets: bytes in, order drafts with evidence out.

How a sheet is read
-------------------
* Bytes that start with the zip signature are an XLSX workbook (openpyxl, read-only,
  cached formula values; refused above 20 MB, 200 MB unpacked or 50,000 rows). Every
  worksheet with an item table gives its own order(s). Anything else is CSV text:
  UTF-8 (BOM or not), UTF-16 with a BOM, else cp1252; the delimiter is the one of
  ``;`` ``,`` tab ``|`` that splits the first 50 records most consistently.
* The header row is the first of the first 30 rows where at least two cells name
  item-table columns (``vocabulary.match_header``), one of them the quantity and one
  a product identifier (sku, customer part number, GTIN or description). Item rows
  follow until an empty row or a totals row ("Summe", "Total HT", "MwSt 19 %" …).
* Outside the item rows the sheet is read as a grid (``Region``). A label's value
  stands in its own cell ("Bestellnummer: 4711"), right of it ("PO Number;;4711") or
  in the cell below it (a row of labels over a row of values); header fields read
  so are confidence 0.9. A ship-to label ("Ship to", "Lieferadresse", "Leveren aan:")
  heads an address block: the cells right of it, or the lines below it, split into
  name, street, postal code, city and country by ``address.parse_address_lines``.
  Bill-to, supplier and buyer blocks are read the same way and set nothing, except
  the buyer's company name.
* Of the remaining text a document title ("PURCHASE ORDER", "BESTELLUNG") is framing;
  harmless labels (contact, phone, e-mail, page, VAT id, supplier … see
  ``vocabulary.INFO_LABEL_SYNONYMS``) with a value that fits them are no instruction
  (a contact's e-mail address becomes ``sender_email`` at 0.8); above the table a
  company name (legal form, or the sheet's first text when it reads like a name) is
  ``customer_name`` at 0.6; "Remarks:" values are ``notes``. Everything else that
  ``freetext`` cannot explain as a greeting, sign-off or letterhead line is
  ``unexplained``: it may be an instruction a person must read.
* A PO-number column splits the rows into one order per PO number. Order-level
  columns of flat exports (PO number, dates, customer number, currency) are read
  from the rows; a delivery-date column that gives every line the same date is also
  the order's requested date, and delivery-address columns ("Ship-to City", "PLZ",
  at least two of street, postal code and city) are its ship-to.
* Numbers: whether "," or "." is the decimal mark is decided per sheet from all its
  numbers (``vocabulary.guess_decimal_comma``); a number that stays ambiguous
  ("1.000" in a sheet with no other clue) is read with the separator as decimal mark
  at confidence 0.6, and for a quantity the line is listed in ``uncertain``.
  Dates: day-first or month-first likewise per sheet; a decimal-comma sheet is
  day-first.
* Sheets without a header row: two layouts are recognised, see ``_parse_pairs``
  (article;quantity, confidence 0.7) and ``_parse_repeated_header`` (flat exports that
  repeat the document header on every line, confidence 0.6). A sheet with no item
  table but an order-like label (a PO number) gives an order without lines, listed
  as uncertain; anything else is ``not_an_order``.

Evidence: the row's cells joined by the delimiter (" | " for XLSX), the 1-based line
(CSV; the first physical line of the record) or row number (XLSX), and the sheet
name as ``part`` for XLSX.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl

from integrations.parsers import address as addr
from integrations.parsers import freetext, limits
from integrations.parsers import vocabulary as vocab
from integrations.parsers.draft import (
    AddressDraft,
    Evidence,
    LineDraft,
    OrderDraft,
    ParseError,
    ParseResult,
    Read,
    read,
)
from integrations.parsers.totals import counts_things

Cell = str | Decimal | date

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Checked in the zip before openpyxl loads the workbook, which holds every shared string in
#: memory: 11 million one-letter strings (a 459 KB file) took 79 s and 1.1 GB.
MAX_SHARED_STRINGS = 200_000
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_CELLS = 1_000_000
MAX_ROWS = 50_000
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 30
LABEL_CONFIDENCE = 0.9
PAIR_CONFIDENCE = 0.7
FLAT_CONFIDENCE = 0.6
DOUBTFUL = 0.6
NAME_CONFIDENCE = 0.6  # a company name found by its place or legal form, not by a label
CONTACT_EMAIL_CONFIDENCE = 0.8

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DELIMITERS = (";", ",", "\t", "|")
IDENTIFIER_ROLES = ("sku", "customer_part_number", "gtin", "description")
CODE_ROLES = ("sku", "customer_part_number", "gtin")
LINE_TEXT_ROLES = ("sku", "customer_part_number", "gtin", "description", "uom", "line_number")
ORDER_COLUMN_ROLES = ("po_number", "order_date", "customer_number", "currency")
FIELD_WORDS = {
    "po_number": "PO number", "order_date": "order date", "requested_date": "requested date",
    "customer_number": "customer number", "currency": "currency", "ship_to": "delivery address",
}
#: Fields read from a sheet's header block as hints: the first one found stands.
SOFT_FIELDS = ("customer_name", "sender_email")
#: Labels of the info roles whose value is an address block (read like a ship-to block).
BLOCK_ROLES = ("bill_to", "supplier", "buyer")
#: Ship-to labels written as a request, beyond the vocabulary's plain labels ("Lieferung an:").
SHIP_TO_REQUESTS = frozenset(
    vocab.fold(label)
    for label in (
        "please deliver to", "please ship to", "ship to address", "ship-to address", "delivery point",
        "delivery location", "bitte liefern an", "lieferung an", "liefern an", "lieferort",
        "merci de livrer à", "livraison à", "à livrer à", "point de livraison", "venligst lever til",
        "leveres til", "leveringssted", "graag leveren aan", "leveren aan", "afleveren bij",
        "afleverpunt", "afleverlocatie",
    )
)
#: Values that say "none" ("Bemerkungen: -", "Remarks: n/a", "Remarques : néant").
NOTHING = frozenset(
    ("-", "--", "—", "/", "n/a", "na", "none", "nil", "keine", "kein", "ohne", "aucun", "aucune",
     "néant", "neant", "ingen", "intet", "geen", "nvt", "n.v.t.", "x")
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"^\+?[0-9(][0-9\s()./-]{4,24}[0-9](?:\s*(?:ext\.?|x|dw|durchwahl)\s*[0-9]{1,6})?$", re.IGNORECASE
)
_WEBSITE = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?$")
_PAGE = re.compile(r"^[0-9]{1,3}(?:\s*(?:/|of|von|sur|af|van|de)\s*[0-9]{1,3})?$", re.IGNORECASE)
_NAME_CONNECTORS = frozenset(
    ("&", "+", "-", "and", "und", "et", "og", "en", "de", "du", "des", "la", "le", "les", "van", "von",
     "der", "den", "het", "di", "da", "of", "the", "for", "für", "pour", "til", "voor")
)
_FOREIGN_TEXT = re.compile(r"^(?:%PDF|<|\{|ISA[^\w\s]|UN[ABH][^\w\s])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_SHARED_STRINGS_PART = re.compile(r"(?i)^xl/sharedstrings\d*\.xml$")


@dataclass(frozen=True)
class Row:
    number: int  # 1-based line (CSV) or row (XLSX)
    cells: tuple[Cell, ...]
    text: str  # the cells joined by the delimiter: the evidence a person looks for

    def cell(self, index: int | None) -> Cell:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]

    def is_empty(self) -> bool:
        return not any(_text(cell) for cell in self.cells)


@dataclass(frozen=True)
class Sheet:
    fmt: str  # "csv" or "xlsx"
    part: str  # the worksheet name for XLSX
    rows: tuple[Row, ...]

    def evidence(self, row: Row, note: str = "") -> Evidence:
        text = f"{row.text} ({note})" if note else row.text
        return Evidence(text=text, line=row.number, part=self.part)


@dataclass(frozen=True)
class Hints:
    decimal_comma: bool | None
    day_first: bool | None


@dataclass(frozen=True)
class Header:
    position: int  # index into Sheet.rows
    columns: dict[str, int]  # role -> column index
    address: dict[str, int] = field(default_factory=dict)  # AddressDraft part -> column index
    #: A column headed by a ship-to label ("Ship To", "Lieferadresse"): a whole address,
    #: or the name or code of one of the customer's ship-tos, in one cell.
    ship_to: int | None = None
    #: Every column's header text, to name a column whose content nothing read.
    names: tuple[Cell, ...] = ()

    def get(self, row: Row, role: str) -> Cell:
        return row.cell(self.columns.get(role))

    def read_columns(self) -> set[int]:
        read = {*self.columns.values(), *(self.address.values() if self.reads_address() else ())}
        return read if self.ship_to is None else read | {self.ship_to}

    def reads_address(self) -> bool:
        """Address columns are read when at least two of street, postal code and city have
        one: a lone "Land" column is more likely the country of origin."""
        return len({"street", "postal_code", "city"} & self.address.keys()) >= 2


@dataclass
class Extras:
    """What a sheet says outside its item rows."""

    fields: dict[str, Read[Any]] = field(default_factory=dict)
    notes: list[Read[str]] = field(default_factory=list)
    unexplained: list[Evidence] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    ship_to: AddressDraft | None = None
    totals: list[Read[Decimal]] = field(default_factory=list)  # amounts of the totals rows

    def set_field(self, role: str, value: Read[Any]) -> None:
        known = self.fields.get(role)
        if known is None:
            self.fields[role] = value
        elif known.value != value.value:
            self.uncertain.append(f"{FIELD_WORDS[role]} given twice: {known.value} and {value.value}")

    def set_soft(self, role: str, value: Read[str]) -> None:
        self.fields.setdefault(role, value)

    def flag(self, evidence: Evidence) -> None:
        """Text a person must read: it may be an instruction."""
        if evidence not in self.unexplained:
            self.unexplained.append(evidence)

    def set_ship_to(self, address: AddressDraft) -> None:
        if self.ship_to is None:
            self.ship_to = address
        elif _address_text(self.ship_to) != _address_text(address):
            self.uncertain.append(
                f"delivery address given twice: {_address_text(self.ship_to)} and {_address_text(address)}"
            )


@dataclass
class Item:
    row: Row
    line: LineDraft
    problems: list[str]
    currency: str | None = None  # named in the price cell ("€ 12,50")


# ------------------------------------------------------------------------ entry point


def parse(data: bytes, *, name: str = "") -> ParseResult:
    """Read a CSV or XLSX order sheet; the rules are in the module docstring."""
    if not isinstance(data, bytes | bytearray):
        raise ParseError("expected the sheet as bytes")
    if len(data) > MAX_BYTES:
        raise ParseError(f"the sheet is larger than {MAX_BYTES // 2**20} MB")
    data = bytes(data)
    sheets = _read_xlsx(data) if data.startswith(ZIP_MAGIC) else [_read_csv(data)]
    orders = [order for sheet in sheets for order in _parse_sheet(sheet)]
    if not orders:
        return ParseResult(not_an_order="no order table found")
    return ParseResult(orders=orders)


# ------------------------------------------------------------------------------ CSV


def _read_csv(data: bytes) -> Sheet:
    if data.startswith(OLE2_MAGIC):
        raise ParseError("legacy Excel .xls workbooks are not read; save the sheet as .xlsx or .csv")
    text = _checked_text(_decode(data))
    delimiter = _sniff_delimiter(text)
    return Sheet(fmt="csv", part="", rows=tuple(_limited(_csv_rows(text, delimiter))))


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError("the sheet claims UTF-16 but is not valid UTF-16") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _checked_text(text: str) -> str:
    """Refuse binary data and other formats; drop the odd stray control character."""
    if "\x00" in text or len(_CONTROL.findall(text)) > max(2, len(text) // 200):
        raise ParseError("binary data, not a CSV sheet")
    if _FOREIGN_TEXT.match(text.lstrip()):
        raise ParseError("the document is PDF, XML, JSON or EDI, not a CSV sheet")
    return _CONTROL.sub(" ", text).rstrip("\x1a")


def _sniff_delimiter(text: str) -> str:
    sample = list(itertools.islice(io.StringIO(text, newline=""), 50))
    return max(DELIMITERS, key=lambda delimiter: _delimiter_score(sample, delimiter))


def _delimiter_score(lines: list[str], delimiter: str) -> tuple[int, int]:
    """(records of the most common width, that width); (0, 0) when it splits nothing."""
    try:
        widths = [len(cells) for cells in csv.reader(lines, delimiter=delimiter) if any(cells)]
    except csv.Error:
        return (0, 0)
    split = [width for width in widths if width > 1]
    if not split:
        return (0, 0)
    width = Counter(split).most_common(1)[0][0]
    return (widths.count(width), width)


def _csv_rows(text: str, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            cells = _trimmed(tuple(_clean(cell) for cell in record[:MAX_COLUMNS]))
            yield Row(number=start, cells=cells, text=delimiter.join(record)[:500])
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ParseError(f"malformed CSV near line {reader.line_num}: {exc}") from exc


def _clean(cell: str) -> str:
    stripped = limits.check_field(cell, "a cell").strip()
    # Excel's ="0123" keeps leading zeros of article numbers; the value is inside.
    excel_text = re.fullmatch(r'="(.*)"', stripped)
    return excel_text.group(1).strip() if excel_text else stripped


def _trimmed(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    end = len(cells)
    while end and not _text(cells[end - 1]):
        end -= 1
    return cells[:end]


def _limited(rows: Iterable[Row]) -> Iterator[Row]:
    cells = 0
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise ParseError(f"sheet has more than {MAX_ROWS} rows")
        cells += len(row.cells)
        if cells > MAX_CELLS:
            raise ParseError(f"sheet has more than {MAX_CELLS:,} cells")
        yield row


# ----------------------------------------------------------------------------- XLSX


def _read_xlsx(data: bytes) -> list[Sheet]:
    _check_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl lets zip, XML and key errors through alike
        raise ParseError("not a readable XLSX workbook") from exc
    try:
        sheets = [_read_worksheet(worksheet) for worksheet in workbook.worksheets]
    except ParseError:
        raise
    except Exception as exc:  # a damaged sheet part fails only while its rows are read
        raise ParseError("a worksheet of the XLSX workbook is damaged") from exc
    finally:
        workbook.close()
    return [sheet for sheet in sheets if any(not row.is_empty() for row in sheet.rows)]


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseError("damaged zip archive, not a readable XLSX workbook") from exc
    except NotImplementedError as exc:  # a zip version or compression the zipfile module lacks
        raise ParseError("damaged zip archive, not a readable XLSX workbook") from exc
    if not any(info.filename.startswith("xl/") for info in infos):
        raise ParseError("the zip archive is not an XLSX workbook")
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise ParseError(f"the workbook unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB")
    for info in infos:
        _check_part(data, info)


def _check_part(data: bytes, info: zipfile.ZipInfo) -> None:
    """The sizes the zip declares bound what decompressing may yield (zipfile stops there),
    so they are checked before anything is unpacked; shared strings are counted, unpacked
    in chunks, before openpyxl makes an object of each."""
    shared = bool(_SHARED_STRINGS_PART.match(info.filename))
    limit = MAX_SHARED_STRINGS_BYTES if shared else MAX_PART_BYTES
    if info.file_size > limit:
        raise ParseError(f"the workbook part {info.filename[:60]} unpacks to more than "
                         f"{limit // 2**20} MB")
    if shared and _count_shared_strings(data, info) > MAX_SHARED_STRINGS:
        raise ParseError(f"the workbook has more than {MAX_SHARED_STRINGS:,} shared strings")


def _count_shared_strings(data: bytes, info: zipfile.ZipInfo) -> int:
    count, tail = 0, b""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(info) as part:
            while chunk := part.read(1 << 20):
                # A tag split between two chunks is found in the joined tail (at most 64 bytes).
                block = tail + chunk
                count += len(_SHARED_STRING.findall(block)) - len(_SHARED_STRING.findall(tail))
                tail = block[-64:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ParseError("damaged zip archive, not a readable XLSX workbook") from exc
    return count


def _read_worksheet(worksheet: Any) -> Sheet:
    # The stored dimensions are often wrong; without them every row is read as stored.
    worksheet.reset_dimensions()
    values = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    rows = (_xlsx_row(number, row) for number, row in enumerate(values, start=1))
    return Sheet(fmt="xlsx", part=str(worksheet.title), rows=tuple(_limited(rows)))


def _xlsx_row(number: int, values: Sequence[object]) -> Row:
    cells = _trimmed(tuple(_xlsx_cell(value) for value in values))
    return Row(number=number, cells=cells, text=" | ".join(_text(cell) for cell in cells)[:500])


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else ""
    return _clean(str(value))


# ----------------------------------------------------------------------- cell values


def _text(cell: Cell) -> str:
    if isinstance(cell, Decimal):
        return format(cell.to_integral_value() if cell == cell.to_integral_value() else cell, "f")
    if isinstance(cell, date):
        return cell.isoformat()
    return cell


def _number(cell: Cell, hints: Hints) -> tuple[Decimal | None, bool]:
    if isinstance(cell, Decimal):
        return cell, False
    if isinstance(cell, date) or not cell:
        return None, False
    return vocab.parse_decimal_ex(cell, hints.decimal_comma)


def _quantity(cell: Cell, hints: Hints) -> tuple[Decimal | None, str, bool]:
    if isinstance(cell, Decimal):
        return cell, "", False
    if isinstance(cell, date) or not cell:
        return None, "", False
    return vocab.parse_quantity(cell, decimal_comma=hints.decimal_comma)


def _date(cell: Cell, hints: Hints) -> tuple[date | None, bool]:
    if isinstance(cell, date):
        return cell, False
    if isinstance(cell, Decimal) or not cell:
        return None, False
    return vocab.parse_date(cell, day_first=hints.day_first)


def _hints(rows: Sequence[Row]) -> Hints:
    texts = [cell for row in rows for cell in row.cells if isinstance(cell, str) and cell]
    decimal_comma = vocab.guess_decimal_comma(texts)
    day_first = vocab.guess_day_first(texts)
    if day_first is None and decimal_comma:
        day_first = True  # countries with a decimal comma write the day first
    return Hints(decimal_comma=decimal_comma, day_first=day_first)


def _field_read(
    role: str, cell: Cell, evidence: Evidence, hints: Hints, confidence: float
) -> Read[Any] | None:
    """A header field from a cell, checked for its role; None when the value does not fit."""
    if role in ("order_date", "requested_date"):
        value, ambiguous = _date(cell, hints)
        return None if value is None else read(value, evidence, DOUBTFUL if ambiguous else confidence)
    text = _text(cell)
    if role == "currency":
        code = vocab.normalise_currency(text)
        return read(code, evidence, confidence) if code else None
    return read(text, evidence, confidence) if _is_reference(text) else None


def _is_reference(text: str) -> bool:
    return 0 < len(text) <= 35 and len(text.split()) <= 3 and any(ch.isalnum() for ch in text)


# ------------------------------------------------------------------- sheet dispatch


def _parse_sheet(sheet: Sheet) -> list[OrderDraft]:
    orders = _parse_layout(sheet)
    # Headers and labels tell the language: Dutch "dozen" are boxes, English ones twelve.
    language = vocab.form_language(cell for row in sheet.rows for cell in row.cells if isinstance(cell, str))
    for order in orders:
        order.language = language or ""
    return orders


def _parse_layout(sheet: Sheet) -> list[OrderDraft]:
    hints = _hints(sheet.rows)
    header = _find_header(sheet.rows)
    if header is not None:
        return _parse_table(sheet, header, hints)
    readers: tuple[Callable[[Sheet, Hints], list[OrderDraft]], ...] = (
        _parse_pairs,
        _parse_repeated_header,
        _parse_labels_only,
    )
    for reader in readers:
        if orders := reader(sheet, hints):
            return orders
    return []


def _find_header(rows: Sequence[Row]) -> Header | None:
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(_is_value(cell) for cell in row.cells):
            continue  # "Artikel;Sammelbestellung;Menge;15" is a label row, not column names
        address = _address_columns(row)
        ship_to = _ship_to_column(row, skip=set(address.values()))
        skip = set(address.values()) | ({ship_to} if ship_to is not None else set())
        columns = _header_columns(row, skip=skip)
        if "quantity" in columns and any(role in columns for role in IDENTIFIER_ROLES):
            return Header(position=position, columns=columns, address=address, ship_to=ship_to,
                          names=row.cells)
    return None


def _ship_to_column(row: Row, skip: set[int]) -> int | None:
    """The one column headed by a ship-to label; None for none or several."""
    found = [index for index, cell in enumerate(row.cells) if index not in skip and isinstance(cell, str)
             and (vocab.match_label(cell) == "ship_to" or _ship_to_request(cell) == "")]
    return found[0] if len(found) == 1 else None


def _is_value(cell: Cell) -> bool:
    if isinstance(cell, str):
        return vocab.parse_decimal(cell) is not None or vocab.parse_date(cell)[0] is not None
    return True


def _header_columns(row: Row, skip: set[int]) -> dict[str, int]:
    """Role -> column; of two columns with one role an exact name beats a loose match."""
    found: dict[str, tuple[int, bool]] = {}
    for index, cell in enumerate(row.cells):
        if index in skip:
            continue
        role, exact = vocab.match_header_ex(cell) if isinstance(cell, str) else (None, False)
        if role and (role not in found or (exact and not found[role][1])):
            found[role] = (index, exact)
    return {role: index for role, (index, _) in found.items()}


def _address_columns(row: Row) -> dict[str, int]:
    """Delivery-address columns of a flat export ("Ship-to City", "PLZ"): part -> column."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        part = vocab.match_address_header(cell) if isinstance(cell, str) else None
        if part:
            found.setdefault(part, index)
    return found


# ------------------------------------------------------------------ the item table


def _parse_table(sheet: Sheet, header: Header, hints: Hints) -> list[OrderDraft]:
    rows = sheet.rows
    extras = Extras()
    _read_region(Region(sheet, rows[: header.position], above=True), extras, hints)
    body, after = _split_body(rows[header.position + 1 :], header)
    items = []
    for row in body:
        if _is_item_row(row, header):
            items.append(_item(sheet, row, header, hints))
        elif not _is_filler_row(row, header):
            _read_region(Region(sheet, (row,), above=False), extras, hints)
    _read_after(sheet, after, header, extras, hints)
    _header_currency(sheet, header, extras)
    items = _po_column_by_values(sheet, header, items, hints)
    groups = _group_by_po(items, header)
    several = len(groups) > 1
    orders = [_table_order(sheet, group, header, extras, hints, several) for group in groups]
    return [order for order in orders if order.lines or order.po_number]


def _split_body(rows: Sequence[Row], header: Header) -> tuple[list[Row], list[Row]]:
    """Item-table rows, and the rows after the table (from the first totals row on)."""
    body: list[Row] = []
    for index, row in enumerate(rows):
        if row.is_empty():
            if body:
                return body, list(rows[index + 1 :])
        elif _is_total_row(row, header):
            return body, list(rows[index:])
        else:
            body.append(row)
    return body, []


def _is_total_row(row: Row, header: Header) -> bool:
    codes = [header.columns[role] for role in CODE_ROLES if role in header.columns]
    for index, cell in enumerate(row.cells):
        if isinstance(cell, str) and vocab.is_total_label(cell):
            return all(column == index or not _text(row.cell(column)) for column in codes)
    return False


def _is_item_row(row: Row, header: Header) -> bool:
    return any(_text(header.get(row, role)) for role in (*IDENTIFIER_ROLES, "quantity"))


def _is_filler_row(row: Row, header: Header) -> bool:
    """Pre-numbered empty template rows ("4;;;;;"): nothing outside number/unit/price columns,
    and only numbers or unit codes in them ("Bitte an Tor 3 liefern" in the Pos column is text)."""
    roles = ("line_number", "uom", "unit_price", "price_per", "line_total")
    quiet = {header.columns.get(role) for role in roles}
    return all(
        not _text(cell) or index in quiet and _is_template_value(cell) for index, cell in enumerate(row.cells)
    )


def _is_template_value(cell: Cell) -> bool:
    text = _text(cell)
    return vocab.parse_decimal(text) is not None or re.fullmatch(r"[A-Za-z.]{1,5}", text) is not None


def _read_after(sheet: Sheet, rows: Sequence[Row], header: Header, extras: Extras, hints: Hints) -> None:
    region = Region(sheet, tuple(rows), above=False)
    for index, row in enumerate(rows):
        if _is_total_row(row, header):
            region.take_row(index)
            _stated_total(sheet, row, header, extras, hints)
        elif _looks_like_item(row, header, hints):
            extras.uncertain.append(f"row {row.number}: an order line after the end of the item table")
            region.take_row(index)
    _read_region(region, extras, hints)


def _stated_total(sheet: Sheet, row: Row, header: Header, extras: Extras, hints: Hints) -> None:
    """The amount of a totals row: in the line-total column, else its last number;
    none for a row that counts things ("Total qty")."""
    labels = [_text(cell) for cell in row.cells if isinstance(cell, str) and vocab.is_total_label(cell)]
    if any(counts_things(label) for label in labels):
        return
    cells = [header.get(row, "line_total")] if "line_total" in header.columns else list(row.cells)
    amounts = [amount for cell in cells if (amount := _number(cell, hints)[0]) is not None]
    if amounts:
        extras.totals.append(read(amounts[-1], sheet.evidence(row)))


def _looks_like_item(row: Row, header: Header, hints: Hints) -> bool:
    has_code = any(_text(header.get(row, role)) for role in IDENTIFIER_ROLES)
    return has_code and _quantity(header.get(row, "quantity"), hints)[0] is not None


# ------------------------------------------------------------ text outside the table


@dataclass(frozen=True)
class Label:
    role: str  # a LABEL_SYNONYMS role (an order field) or an INFO_LABEL_SYNONYMS role
    info: bool  # True for an info role: a value that sets no order field


@dataclass
class Region:
    """Rows outside the item table, read as a grid of cells.

    A label's value may stand in the same cell, right of it or below it, and an
    address block may run down a column, so cells are taken one by one: what a label
    or block took is not read again as free text.
    """

    sheet: Sheet
    rows: Sequence[Row]
    above: bool  # above the item table: the document's header block
    used: set[tuple[int, int]] = field(default_factory=set)

    def free(self, index: int) -> list[tuple[int, Cell]]:
        cells = enumerate(self.rows[index].cells)
        return [(col, cell) for col, cell in cells if _text(cell) and (index, col) not in self.used]

    def cell(self, index: int, col: int) -> Cell:
        if index >= len(self.rows) or (index, col) in self.used:
            return ""
        return self.rows[index].cell(col)

    def take(self, index: int, col: int) -> None:
        self.used.add((index, col))

    def take_row(self, index: int) -> None:
        self.used.update((index, col) for col in range(len(self.rows[index].cells)))

    def evidence(self, index: int) -> Evidence:
        return self.sheet.evidence(self.rows[index])


def _read_region(region: Region, extras: Extras, hints: Hints) -> None:
    """Header fields, the delivery address, names and free text of rows outside the table.

    Titles, harmless labels (contact, phone, page …) with fitting values, company names,
    greetings and sign-offs are accounted for; whatever else might be an instruction
    is listed as unexplained for a person to read.
    """
    _read_blocks(region, extras)
    _read_values_below(region, extras, hints)
    first = next((index for index in range(len(region.rows)) if region.free(index)), None)
    for index in range(len(region.rows)):
        _read_row(region, index, extras, hints, first=region.above and index == first)


def _read_row(region: Region, index: int, extras: Extras, hints: Hints, *, first: bool) -> None:
    cells = [cell for _, cell in region.free(index)]
    if not cells:
        return
    evidence = region.evidence(index)
    rest = [cell for cell in _read_pairs(cells, evidence, extras, hints) if not _is_framing(cell)]
    if region.above:
        rest = _read_company(rest, evidence, extras, first=first and len(rest) == 1)
    text = " ".join(_text(cell) for cell in rest)
    if text and freetext.unexplained_in(text):
        extras.flag(evidence)


def _is_framing(cell: Cell) -> bool:
    """A document title ("PURCHASE ORDER") or a label with nothing next to it."""
    return isinstance(cell, str) and (vocab.is_order_title(cell) or _whole_label(cell) is not None)


def _read_company(cells: list[Cell], evidence: Evidence, extras: Extras, *, first: bool) -> list[Cell]:
    """Take company names out of ``cells``: the buyer's name heads its order form."""
    rest = []
    for cell in cells:
        if _is_company(_text(cell), first=first):
            extras.set_soft("customer_name", read(_text(cell), evidence, NAME_CONFIDENCE))
        else:
            rest.append(cell)
    return rest


def _is_company(text: str, *, first: bool) -> bool:
    """A company by its legal form, or the first text of the sheet when it reads like a name."""
    words = text.split()
    if not words or len(words) > 8 or len(text) > 80 or _asks(text):
        return False
    if vocab.has_legal_form(text):
        return True
    return first and len(words) <= 6 and not _has_digit(text) and _capitalised(words)


def _capitalised(words: list[str]) -> bool:
    return all(word[:1].isupper() or word.casefold() in _NAME_CONNECTORS for word in words)


def _asks(text: str) -> bool:
    """Whether text could ask for something; digit groups (house numbers, phone
    numbers) are left out, so "Hauptstr. 12/14" is no date."""
    return freetext.asks_something(re.sub(r"[0-9]+(?:[./-][0-9]+)*", " ", text))


# ------------------------------------------------------------------ labels and values


def _whole_label(cell: Cell) -> Label | None:
    if not isinstance(cell, str):
        return None
    if role := vocab.match_label(cell):
        return Label(role, info=False)
    if role := vocab.match_info_label(cell):
        return Label(role, info=True)
    return Label("ship_to", info=False) if _ship_to_request(cell) == "" else None


def _is_label(cell: Cell) -> bool:
    """Any label: alone in its cell or followed by ":" and its value."""
    if _whole_label(cell) is not None:
        return True
    split = _split_cell(cell)
    return split is not None and _separated(cell)


def _separated(cell: Cell) -> bool:
    split = vocab.split_label(cell) or vocab.split_info_label(cell)
    return isinstance(cell, str) and (split is not None and split.separated or bool(_ship_to_request(cell)))


def _read_pairs(cells: list[Cell], evidence: Evidence, extras: Extras, hints: Hints) -> list[Cell]:
    """Read "Label;value" cell pairs and "Label: value" cells; return the other cells."""
    rest: list[Cell] = []
    index = 0
    while index < len(cells):
        label = _whole_label(cells[index])
        following = cells[index + 1] if index + 1 < len(cells) else None
        if label and following is not None and _whole_label(following) is None:
            # A title ("BESTELLUNG") is a label too; a company name next to it is no PO number.
            title = vocab.is_order_title(cells[index])
            if _take_value(label, following, evidence, extras, hints, strict=title) or not title:
                index += 2
                continue
        split = None if label else _split_cell(cells[index])
        if split:
            _take_value(split[0], split[1], evidence, extras, hints, strict=False)
        else:
            rest.append(cells[index])
        index += 1
    return rest


def _split_cell(cell: Cell) -> tuple[Label, str] | None:
    if not isinstance(cell, str):
        return None
    split = vocab.split_label(cell)
    if split is not None and split.value:
        # Without ":" the rest must be one token: "Order 4711" yes, "Order by phone" no.
        is_date = split.role in ("order_date", "requested_date")
        if split.separated or len(split.value.split()) == 1 or is_date:
            return Label(split.role, info=False), split.value
        return None
    if value := _ship_to_request(cell):
        return Label("ship_to", info=False), value
    info = vocab.split_info_label(cell)
    # Short labels start plain sentences ("An Lager 3 liefern"): without ":" only
    # values that fit their role strictly count.
    if info is None or not info.value:
        return None
    if info.separated or info.role in _STRICT_INFO or info.role == "contact" and _is_plain_name(info.value):
        return Label(info.role, info=True), info.value
    return None


def _ship_to_request(cell: Cell) -> str | None:
    """"" for a request-style ship-to label alone ("Lieferung an:"), its value after ":", else None."""
    if not isinstance(cell, str) or len(cell) > 300:
        return None
    head, colon, tail = cell.partition(":")
    if vocab.fold(head).strip(" .") not in SHIP_TO_REQUESTS:
        return None
    return tail.strip() if colon else ("" if not tail else None)


def _take_value(
    label: Label, value: Cell, evidence: Evidence, extras: Extras, hints: Hints, *, strict: bool
) -> bool:
    """Read a label's value into ``extras``; False when it does not fit the label.

    Not ``strict`` (the value stands next to its label), a value that does not fit
    ("Delivery date: ASAP") makes the row unexplained: an instruction the order desk
    cannot act on by itself. ``strict`` (a value guessed below a label) it is left alone.
    """
    if label.info:
        return _take_info(label.role, _text(value), evidence, extras, strict=strict)
    if label.role == "ship_to":
        return _take_address([_text(value)], [evidence], extras, strict=strict)
    field_value = _field_read(label.role, value, evidence, hints, LABEL_CONFIDENCE)
    fits = field_value is not None and (
        label.role not in ("po_number", "customer_number") or _has_digit(field_value.value)
    )
    if fits:
        extras.set_field(label.role, field_value)
    elif not strict:
        extras.flag(evidence)
    return fits


def _has_digit(text: str) -> bool:
    # A labelled PO or customer number without a digit is far likelier a word ("PO Box").
    return any(ch.isdigit() for ch in text)


def _take_info(role: str, text: str, evidence: Evidence, extras: Extras, *, strict: bool) -> bool:
    if role == "remarks":
        if vocab.fold(text) not in NOTHING:
            extras.notes.append(read(text, evidence))
        return True
    if not _INFO_CHECKS[role](text):
        if not strict:
            extras.flag(evidence)
        return False
    email = _EMAIL.search(text)
    if email and role in ("contact", "email", "buyer"):
        extras.set_soft("sender_email", read(email.group(0), evidence, CONTACT_EMAIL_CONFIDENCE))
    if role == "buyer" and vocab.has_legal_form(text):
        extras.set_soft("customer_name", read(text, evidence, NAME_CONFIDENCE))
    return True


def _is_name_value(text: str) -> bool:
    return 0 < len(text.split()) <= 10 and not _asks(text)


def _is_code_value(text: str) -> bool:
    return 0 < len(text) <= 40 and len(text.split()) <= 5 and not _asks(text)


def _is_plain_name(text: str) -> bool:
    """A person's name without ":" after its label ("Contact Oliver Walker")."""
    words = text.split()
    return 0 < len(words) <= 5 and not _has_digit(text) and _capitalised(words) and not _asks(text)


_INFO_CHECKS: dict[str, Callable[[str], bool]] = {
    "contact": _is_name_value,
    "buyer": _is_name_value,
    "supplier": _is_name_value,
    "bill_to": _is_name_value,
    "department": _is_code_value,
    "reference": _is_code_value,
    "vat_id": _is_code_value,
    "phone": lambda text: _PHONE.match(text) is not None,
    "fax": lambda text: _PHONE.match(text) is not None,
    "email": lambda text: _EMAIL.fullmatch(text.removeprefix("mailto:").strip()) is not None,
    "website": lambda text: _WEBSITE.match(text) is not None,
    "page": lambda text: _PAGE.match(text) is not None,
}
#: Info roles whose values are checked strictly enough to do without ":" after the label.
_STRICT_INFO = {"phone", "fax", "email", "website", "page"}


def _read_values_below(region: Region, extras: Extras, hints: Hints) -> None:
    """Labels with nothing right of them and their value in the cell below
    ("PO Number | Delivery date" over "4711 | 01.12.2026")."""
    for index in range(len(region.rows) - 1):
        for col, label in _lonely_labels(region, index):
            below = region.cell(index + 1, col)
            if not _text(below) or _is_label(below):
                continue
            if _take_value(label, below, region.evidence(index + 1), extras, hints, strict=True):
                region.take(index, col)
                region.take(index + 1, col)


def _lonely_labels(region: Region, index: int) -> list[tuple[int, Label]]:
    cells = region.free(index)
    found = []
    for position, (col, cell) in enumerate(cells):
        label = _whole_label(cell)
        following = cells[position + 1][1] if position + 1 < len(cells) else None
        lonely = following is None or _whole_label(following) is not None
        if label and lonely and label.role != "ship_to" and not vocab.is_order_title(cell):
            found.append((col, label))
    return found


# ---------------------------------------------------------------------- address blocks


def _read_blocks(region: Region, extras: Extras) -> None:
    """Ship-to, bill-to, buyer and supplier blocks: a label, then lines right of it or below."""
    for index in range(len(region.rows)):
        for col, cell in region.free(index):
            found = _block_label(cell)
            if found is None or (index, col) in region.used:
                continue
            kind, inline = found
            region.take(index, col)
            lines = ([(index, inline)] if inline else []) + _block_lines(region, index, col)
            _read_block(region, kind, lines, extras)


def _block_label(cell: Cell) -> tuple[str, str] | None:
    """(kind, value written in the label's own cell) for a block label, else None."""
    label = _whole_label(cell)
    if label is not None:
        return (label.role, "") if label.role == "ship_to" or label.role in BLOCK_ROLES else None
    split = _split_cell(cell)
    if split is None or not _separated(cell):
        return None
    kind = split[0].role
    return (kind, split[1]) if kind == "ship_to" or kind in BLOCK_ROLES else None


def _block_lines(region: Region, index: int, col: int) -> list[tuple[int, str]]:
    """The cells right of a block label up to the next label, else the cells below it."""
    right = []
    for other, cell in region.free(index):
        if other <= col:
            continue
        if _is_label(cell):
            break
        right.append((other, cell))
    for other, _ in right:
        region.take(index, other)
    lines = [(index, _text(cell)) for _, cell in right]
    if len(right) > 1:
        return lines
    # One cell right of the label may start a column of lines below it (label cell empty).
    column = right[0][0] if right else col
    for below in range(index + 1, len(region.rows)):
        cell = region.cell(below, column)
        if column != col and _text(region.cell(below, col)):
            break
        if not _text(cell) or _is_label(cell) or vocab.is_order_title(cell):
            break
        region.take(below, column)
        lines.append((below, _text(cell)))
    return lines


def _read_block(region: Region, kind: str, lines: list[tuple[int, str]], extras: Extras) -> None:
    evidences = [region.evidence(index) for index, _ in lines]
    texts = [text for _, text in lines]
    if kind == "ship_to":
        _take_address(texts, evidences, extras, strict=False)
        return
    for text, evidence in zip(texts, evidences, strict=True):
        if _asks(text):
            extras.flag(evidence)
        elif kind == "buyer":
            _take_info("buyer", text, evidence, extras, strict=True)


def _take_address(texts: list[str], evidences: list[Evidence], extras: Extras, *, strict: bool) -> bool:
    """A delivery address split into its parts. Lines that may ask something, and
    lines with text no address part took ("Hintereingang"), are flagged too."""
    block = addr.parse_address_block(texts, evidence=lambda index: evidences[index])
    if block.address.is_empty():
        return False
    for index, (text, evidence) in enumerate(zip(texts, evidences, strict=True)):
        if not strict and (_asks(text) or index in block.unplaced):
            extras.flag(evidence)
    extras.set_ship_to(block.address)
    return True


def _address_text(address: AddressDraft) -> str:
    parts = (address.name, address.street, address.postal_code, address.city, address.country)
    return ", ".join(str(part.value) for part in parts if part is not None)


# ---------------------------------------------------------------------- order lines


def _item(sheet: Sheet, row: Row, header: Header, hints: Hints) -> Item:
    evidence = sheet.evidence(row)
    line = LineDraft()
    problems: list[str] = []
    for role in LINE_TEXT_ROLES:
        text = _text(header.get(row, role))
        if text:
            setattr(line, role, read(text, evidence))
    _read_quantity(line, header.get(row, "quantity"), evidence, hints, problems)
    line.unit_price = _decimal_read(header.get(row, "unit_price"), evidence, hints)
    line.price_per = _decimal_read(header.get(row, "price_per"), evidence, hints)
    line.requested_date = _date_read(header.get(row, "requested_date"), evidence, hints)
    _check_gtin(line)
    _check_line_total(line, header.get(row, "line_total"), hints, problems)
    if not line.has_product_identifier():
        problems.append("product identifier missing")
    return Item(row=row, line=line, problems=problems, currency=_cell_currency(header.get(row, "unit_price")))


def _cell_currency(cell: Cell) -> str | None:
    if not isinstance(cell, str) or not cell:
        return None
    symbol = vocab.split_currency(cell)[1]
    return vocab.normalise_currency(symbol) if symbol else None


def _read_quantity(
    line: LineDraft, cell: Cell, evidence: Evidence, hints: Hints, problems: list[str]
) -> None:
    if not _text(cell):
        problems.append("quantity missing")
        return
    value, unit, ambiguous = _quantity(cell, hints)
    if value is None:
        problems.append(f"quantity is not a number: {_text(cell)!r}")
        return
    confidence = 1.0
    if ambiguous:
        confidence = DOUBTFUL
        problems.append(f"quantity {_text(cell)!r} is ambiguous (decimal or thousands separator)")
    if value <= 0:
        confidence = DOUBTFUL
        problems.append(f"quantity {_text(cell)} is not positive")
    line.quantity = read(value, evidence, confidence)
    if unit and line.uom is None:
        line.uom = read(unit, evidence, LABEL_CONFIDENCE)


def _decimal_read(cell: Cell, evidence: Evidence, hints: Hints) -> Read[Decimal] | None:
    value, ambiguous = _number(cell, hints)
    return None if value is None else read(value, evidence, DOUBTFUL if ambiguous else 1.0)


def _date_read(cell: Cell, evidence: Evidence, hints: Hints) -> Read[date] | None:
    value, ambiguous = _date(cell, hints)
    return None if value is None else read(value, evidence, DOUBTFUL if ambiguous else 1.0)


def _check_gtin(line: LineDraft) -> None:
    gtin = line.gtin
    if gtin is not None and not vocab.is_valid_gtin(gtin.value):
        line.gtin = read(gtin.value, gtin.evidence, DOUBTFUL)


def _check_line_total(line: LineDraft, cell: Cell, hints: Hints, problems: list[str]) -> None:
    """Quantity × price must give the line total: a mismatch means a misread number."""
    total, _ = _number(cell, hints)
    if total is None or line.quantity is None or line.unit_price is None:
        return
    per = line.price_per.value if line.price_per is not None and line.price_per.value else Decimal(1)
    expected = line.quantity.value * line.unit_price.value / per
    if abs(expected - total) > max(Decimal("0.01"), abs(total) / 100):
        problems.append(f"quantity × unit price is {expected:.2f} but the line total says {_text(cell)}")


# --------------------------------------------------------------------- table orders


#: Headers that name a PO number as often as an article's catalogue order code
#: ("Bestellnummer" heads the supplier's part numbers on many German sheets).
_ORDER_CODE_HEADERS = frozenset(vocab.fold(word) for word in (
    "order no", "order number", "bestellnummer", "bestell-nr.", "bestellnr", "ordernummer", "ordrenummer",
    "ordrenr", "bestelnummer", "bestelnr", "bestillingsnummer", "bestillingsnr", "numéro de commande"))


def _po_column_by_values(sheet: Sheet, header: Header, items: list[Item], hints: Hints) -> list[Item]:
    """A PO-number column whose every row holds another value is no PO number: one
    order per row, each a single line, is far likelier an article code column under an
    ambiguous header. Read it as the article number where the sheet has none, else
    the orders are uncertain (four executed orders with part numbers as PO numbers
    once came of it)."""
    column = header.columns.get("po_number")
    values = [_text(header.get(item.row, "po_number")) for item in items]
    if column is None or len(items) < 2 or not all(values) or len(set(values)) != len(values):
        return items
    name = vocab.fold(_text(header.names[column])) if column < len(header.names) else ""
    if name not in _ORDER_CODE_HEADERS:
        return items  # "PO Number" says what it holds: a flat export, one line per PO
    del header.columns["po_number"]
    if any(role in header.columns for role in CODE_ROLES):
        for item in items:
            item.problems.append(f"column {name!r} holds another value on every row: "
                                 "an article code rather than the PO number?")
        return items
    header.columns["sku"] = column
    return [_item(sheet, item.row, header, hints) for item in items]


def _group_by_po(items: list[Item], header: Header) -> list[list[Item]]:
    """One group per PO number; a row with an empty PO cell belongs to the one above."""
    if "po_number" not in header.columns:
        return [items]
    groups: dict[str, list[Item]] = {}
    current = ""
    for item in items:
        current = _text(header.get(item.row, "po_number")) or current
        groups.setdefault(current, []).append(item)
    return list(groups.values()) or [[]]


def _table_order(
    sheet: Sheet, items: list[Item], header: Header, extras: Extras, hints: Hints, several: bool
) -> OrderDraft:
    order = OrderDraft(format=sheet.fmt, locator=_locator(sheet, [item.row for item in items], several))
    for number, item in enumerate(items, start=1):
        order.lines.append(item.line)
        order.uncertain.extend(f"line {number} (row {item.row.number}): {p}" for p in item.problems)
    for role in ORDER_COLUMN_ROLES:
        if role in header.columns:
            _column_field(order, sheet, items, header, role, hints)
    _column_address(order, sheet, items, header)
    _column_ship_to(order, sheet, items, header)
    _unread_columns(order, items, header)
    _lift_requested_date(order)
    _apply_extras(order, extras)
    if not several:  # a totals row under several orders' rows is the sheet's, not one order's
        order.stated_totals.extend(extras.totals)
    _price_currency(order, sheet, items)
    _finish(order)
    return order


def _price_currency(order: OrderDraft, sheet: Sheet, items: list[Item]) -> None:
    codes = list(dict.fromkeys(item.currency for item in items if item.currency))
    if len(codes) > 1:
        order.uncertain.append(f"the prices are in different currencies: {', '.join(codes)}")
    elif codes and order.currency is None:
        first = next(item for item in items if item.currency)
        order.currency = read(codes[0], sheet.evidence(first.row), LABEL_CONFIDENCE)
    elif codes and order.currency.value != codes[0]:
        order.uncertain.append(f"currency: the order says {order.currency.value}, the prices say {codes[0]}")


def _column_field(
    order: OrderDraft, sheet: Sheet, items: list[Item], header: Header, role: str, hints: Hints
) -> None:
    filled = [item.row for item in items if _text(header.get(item.row, role))]
    if not filled:
        return
    values = list(dict.fromkeys(_text(header.get(row, role)) for row in filled))
    if len(values) > 1:
        order.uncertain.append(f"the rows give different {FIELD_WORDS[role]}s: {', '.join(values)}")
    value = _field_read(role, header.get(filled[0], role), sheet.evidence(filled[0]), hints, 1.0)
    if value is None:
        order.uncertain.append(f"{FIELD_WORDS[role]} not readable: {values[0]!r}")
    setattr(order, role, value)


def _column_address(order: OrderDraft, sheet: Sheet, items: list[Item], header: Header) -> None:
    """The delivery address of a flat export, one column per part, repeated on every row.

    Read only where ``header.reads_address()``.
    """
    if not header.reads_address():
        return
    address = AddressDraft()
    for part, column in header.address.items():
        filled = [item.row for item in items if _text(item.row.cell(column))]
        values = list(dict.fromkeys(_text(row.cell(column)) for row in filled))
        if not values:
            continue
        if len(values) > 1:
            order.uncertain.append(f"the rows give different delivery addresses: {', '.join(values)}")
        setattr(address, part, _address_part(order, part, values[0], sheet.evidence(filled[0])))
    order.ship_to = address


def _column_ship_to(order: OrderDraft, sheet: Sheet, items: list[Item], header: Header) -> None:
    """A "Ship To" column: a whole address in one cell, else the name or code of a ship-to.

    Ignoring it once sent goods to the customer's default ship-to while the sheet
    named another: what it holds is read, and resolution matches it or routes.
    """
    if header.ship_to is None:
        return
    filled = [item.row for item in items if _text(item.row.cell(header.ship_to))]
    values = list(dict.fromkeys(_text(row.cell(header.ship_to)) for row in filled))
    if not values:
        return
    if len(values) > 1:
        order.uncertain.append(f"the rows give different delivery addresses: {' / '.join(values)}")
    evidence = sheet.evidence(filled[0])
    parts = addr.split_address_line(values[0])
    block = addr.parse_address_block(parts, evidence=lambda _index: evidence)
    if (block.address.street or block.address.postal_code) and not block.unplaced:
        address = block.address
    elif len(parts) == 1:
        # One name or code: resolution takes the ship-to it names exactly, or routes.
        address = AddressDraft(name=read(values[0], evidence))
        order.shipto_code = read(values[0], evidence)
    else:
        order.uncertain.append(f"delivery address not readable: {values[0]!r}")
        address = AddressDraft(name=read(values[0], evidence, DOUBTFUL))
    if not order.ship_to.is_empty() and _address_text(order.ship_to) != _address_text(address):
        order.uncertain.append(f"delivery address: the columns say {_address_text(order.ship_to)}, "
                               f"the ship-to column says {values[0]}")
    order.ship_to = address


def _unread_columns(order: OrderDraft, items: list[Item], header: Header) -> None:
    """A column with content that no role reads may change the order (a ship-to, a
    discount, a note per line): the order is uncertain, naming it, never silently short."""
    read_columns = header.read_columns()
    unread: dict[int, str] = {}
    for item in items:
        for index, cell in enumerate(item.row.cells):
            if index not in read_columns and index not in unread and _text(cell):
                unread[index] = _text(cell)
    for index, value in sorted(unread.items()):
        name = _text(header.names[index]) if index < len(header.names) else ""
        column = f"column {name!r}" if name else f"unnamed column {index + 1}"
        order.uncertain.append(f"{column} was not read (it holds {value[:80]!r})")


def _address_part(order: OrderDraft, part: str, value: str, evidence: Evidence) -> Read[str] | None:
    if part != "country":
        return read(value, evidence)
    code = addr.country_code(value)
    if code is None:
        order.uncertain.append(f"delivery country not recognised: {value!r}")
    return read(code, evidence) if code else None


def _lift_requested_date(order: OrderDraft) -> None:
    """A delivery-date column that gives every line the same date dates the order."""
    dates = [line.requested_date for line in order.lines]
    if not dates or any(date_read is None for date_read in dates) or len({d.value for d in dates}) != 1:
        return
    first = dates[0]
    order.requested_date = read(first.value, first.evidence, min(d.confidence for d in dates))


def _header_currency(sheet: Sheet, header: Header, extras: Extras) -> None:
    """A currency named in the price headers ("Preis (EUR)") is the order's currency."""
    row = sheet.rows[header.position]
    texts = [_text(row.cell(header.columns.get(role))) for role in ("unit_price", "line_total")]
    codes = {code for text in texts if text and (code := vocab.find_currency(text))}
    if len(codes) == 1:
        extras.set_field("currency", read(codes.pop(), sheet.evidence(row), LABEL_CONFIDENCE))


def _apply_extras(order: OrderDraft, extras: Extras) -> None:
    for role, value in extras.fields.items():
        known = getattr(order, role)
        if known is None:
            setattr(order, role, value)
        elif known.value != value.value and role not in SOFT_FIELDS:
            words = FIELD_WORDS[role]
            order.uncertain.append(f"{words}: the table says {known.value}, a label says {value.value}")
    _apply_ship_to(order, extras)
    order.notes.extend(extras.notes)
    order.unexplained.extend(extras.unexplained)
    order.uncertain.extend(extras.uncertain)


def _apply_ship_to(order: OrderDraft, extras: Extras) -> None:
    if extras.ship_to is None:
        return
    if order.ship_to.is_empty():
        order.ship_to = replace(extras.ship_to)  # a copy: the orders of a sheet share the block
    elif _address_text(order.ship_to) != _address_text(extras.ship_to):
        order.uncertain.append(
            f"delivery address: the table says {_address_text(order.ship_to)}, "
            f"a label says {_address_text(extras.ship_to)}"
        )


def _finish(order: OrderDraft) -> None:
    if order.po_number is None:
        order.uncertain.insert(0, "PO number missing")
    if not order.lines:
        order.uncertain.append("no order lines found")


def _locator(sheet: Sheet, rows: Sequence[Row], several: bool) -> str:
    if not several or not rows:
        return sheet.part
    first, last = rows[0].number, rows[-1].number
    span = f"row {first}" if first == last else f"rows {first}-{last}"
    return f"{sheet.part} {span}" if sheet.part else span


# ----------------------------------------------------------- sheets without a header


def _parse_pairs(sheet: Sheet, hints: Hints) -> list[OrderDraft]:
    """Headerless ``<article>;<quantity>`` rows (the Dilicom order file layout).

    Every non-empty row must have exactly two cells: a code without spaces that is no
    label, header word or date, then a number. Read at confidence 0.7: the columns
    are inferred, not named.
    """
    rows = [row for row in sheet.rows if not row.is_empty()]
    if not rows or not all(_is_pair(row, hints) for row in rows):
        return []
    order = OrderDraft(format=sheet.fmt, locator=sheet.part)
    for number, row in enumerate(rows, start=1):
        line, problems = _pair_line(sheet, row, hints)
        order.lines.append(line)
        order.uncertain.extend(f"line {number} (row {row.number}): {p}" for p in problems)
    _finish(order)
    return [order]


def _is_pair(row: Row, hints: Hints) -> bool:
    if len(row.cells) != 2 or not all(_text(cell) for cell in row.cells):
        return False
    code = _text(row.cells[0])
    return (
        re.fullmatch(r"\S{1,50}", code) is not None
        and vocab.match_label(code) is None
        and not vocab.match_header_ex(code)[1]
        and _date(row.cells[0], hints)[0] is None
        and _number(row.cells[1], hints)[0] is not None
    )


def _pair_line(sheet: Sheet, row: Row, hints: Hints) -> tuple[LineDraft, list[str]]:
    evidence = sheet.evidence(row, "no header row: read as article;quantity")
    code = _text(row.cells[0])
    line = LineDraft()
    if vocab.is_valid_gtin(code):
        line.gtin = read(code, evidence, PAIR_CONFIDENCE)
    else:
        line.sku = read(code, evidence, PAIR_CONFIDENCE)
    problems = _set_inferred_quantity(line, row.cells[1], evidence, hints, PAIR_CONFIDENCE)
    return line, problems


def _set_inferred_quantity(
    line: LineDraft, cell: Cell, evidence: Evidence, hints: Hints, confidence: float
) -> list[str]:
    value, ambiguous = _number(cell, hints)
    if value is None:
        return ["quantity missing"]
    problems = []
    if ambiguous:
        problems.append(f"quantity {_text(cell)!r} is ambiguous (decimal or thousands separator)")
    if value <= 0:
        problems.append(f"quantity {_text(cell)} is not positive")
    line.quantity = read(value, evidence, min(confidence, DOUBTFUL) if problems else confidence)
    return problems


@dataclass(frozen=True)
class FlatLayout:
    """Where the parts of a flat export sit (column indexes)."""

    counter: int  # the line number column; every column left of it is document header
    groups: list[list[int]]  # row indexes of each document
    gtin: int | None
    quantity: int | None
    po_number: int | None


def _parse_repeated_header(sheet: Sheet, hints: Hints) -> list[OrderDraft]:
    """Flat exports that repeat the document header on every line (bots csv2edi style).

    Heuristic, with every field at confidence 0.6:
    * a *counter* column counts the lines of a document: positive integers that start
      at 1 and either go up by one or restart at 1 (a new document), with at least one
      step up; every column left of it must be constant within each document;
    * right of the counter, the first column holding only 8/12/13/14-digit codes is the
      GTIN and the only other all-numeric column is the quantity (two candidates: none);
    * left of it, the one column whose value differs between every document and is no
      date is the PO number — only when there are at least two documents; a single
      document gets "PO number missing".
    """
    rows = [row for row in sheet.rows if not row.is_empty()]
    if len(rows) < 2:
        return []
    width = max(len(row.cells) for row in rows)
    table = [[_text(row.cell(index)) for index in range(width)] for row in rows]
    for counter in range(1, width):
        layout = _flat_layout(table, counter, hints)
        if layout is not None:
            return [_flat_order(sheet, rows, table, layout, group, hints) for group in layout.groups]
    return []


def _flat_layout(table: list[list[str]], counter: int, hints: Hints) -> FlatLayout | None:
    if not _is_counter([values[counter] for values in table]):
        return None
    groups = _document_groups(table, counter)
    if groups is None:
        return None
    gtin = next((c for c in range(counter + 1, len(table[0])) if _is_code_column(table, c)), None)
    numeric = [
        c for c in range(counter + 1, len(table[0])) if c != gtin and _is_numeric_column(table, c, hints)
    ]
    quantity = numeric[0] if len(numeric) == 1 else None
    return FlatLayout(counter, groups, gtin, quantity, _flat_po_column(table, counter, groups))


def _is_counter(values: list[str]) -> bool:
    if values[0] != "1" or not all(re.fullmatch(r"[1-9][0-9]{0,4}", value) for value in values):
        return False
    pairs = list(itertools.pairwise(int(value) for value in values))
    restarts_or_steps = all(after in (before + 1, 1) for before, after in pairs)
    return restarts_or_steps and any(after == before + 1 for before, after in pairs)


def _document_groups(table: list[list[str]], counter: int) -> list[list[int]] | None:
    starts = [index for index, values in enumerate(table) if values[counter] == "1"]
    groups = [list(range(start, end)) for start, end in itertools.pairwise([*starts, len(table)])]
    for group in groups:
        if any(table[index][:counter] != table[group[0]][:counter] for index in group):
            return None
    return groups


def _is_code_column(table: list[list[str]], column: int) -> bool:
    return all(re.fullmatch(r"[0-9]{8}|[0-9]{12,14}", values[column]) for values in table)


def _is_numeric_column(table: list[list[str]], column: int, hints: Hints) -> bool:
    return all(vocab.parse_decimal_ex(values[column], hints.decimal_comma)[0] is not None for values in table)


def _flat_po_column(table: list[list[str]], counter: int, groups: list[list[int]]) -> int | None:
    if len(groups) < 2:
        return None
    candidates = []
    for column in range(counter):
        values = [table[group[0]][column] for group in groups]
        distinct = all(values) and len(set(values)) == len(values)
        if distinct and all(vocab.parse_date(value)[0] is None for value in values):
            candidates.append(column)
    return candidates[0] if len(candidates) == 1 else None


def _flat_order(
    sheet: Sheet, rows: list[Row], table: list[list[str]], layout: FlatLayout, group: list[int], hints: Hints
) -> OrderDraft:
    first = rows[group[0]]
    order = OrderDraft(format=sheet.fmt, locator=_locator(sheet, [rows[i] for i in group], True))
    note = "no header row: columns inferred from the repeated-header layout"
    if layout.po_number is not None:
        po_number = table[group[0]][layout.po_number]
        order.po_number = read(po_number, sheet.evidence(first, note), FLAT_CONFIDENCE)
    for number, index in enumerate(group, start=1):
        line, problems = _flat_line(sheet.evidence(rows[index], note), table[index], layout, hints)
        order.lines.append(line)
        order.uncertain.extend(f"line {number} (row {rows[index].number}): {p}" for p in problems)
    _finish(order)
    return order


def _flat_line(
    evidence: Evidence, values: list[str], layout: FlatLayout, hints: Hints
) -> tuple[LineDraft, list[str]]:
    line = LineDraft(line_number=read(values[layout.counter], evidence, FLAT_CONFIDENCE))
    problems: list[str] = []
    if layout.gtin is not None:
        line.gtin = read(values[layout.gtin], evidence, FLAT_CONFIDENCE)
    else:
        problems.append("product identifier missing (no GTIN column recognised)")
    if layout.quantity is not None:
        problems += _set_inferred_quantity(line, values[layout.quantity], evidence, hints, FLAT_CONFIDENCE)
    else:
        problems.append("quantity missing (no single quantity column recognised)")
    return line, problems


def _parse_labels_only(sheet: Sheet, hints: Hints) -> list[OrderDraft]:
    """No item table, but a labelled PO number: an order whose lines a person must read."""
    extras = Extras()
    _read_region(Region(sheet, sheet.rows, above=True), extras, hints)
    if "po_number" not in extras.fields:
        return []
    order = OrderDraft(format=sheet.fmt, locator=sheet.part)
    _apply_extras(order, extras)
    _finish(order)
    return [order]
