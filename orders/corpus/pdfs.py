"""Purchase-order PDFs in the layouts buyers' ERP systems and word processors print.

fpdf2's core fonts are latin-1, so every text passes through ``latin1`` (an en
dash becomes "-", the euro sign "EUR"). The creation date comes from the order
date, so the same order gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal
from random import Random

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from orders.corpus.model import OrderSpec
from orders.corpus.phrases import PDF_LABELS, SUPPLIER, TABLE_HEADERS
from orders.corpus.textfmt import address_lines, format_date, groups_thousands, number, written_units

LAYOUTS = ("classic", "two_column", "de_pos", "multipage", "fr_ht", "minimal", "deliver_to")
#: Layouts tied to a language (the others are drawn in the buyer's language).
LAYOUT_LANGUAGES = {"de_pos": ("de",), "fr_ht": ("fr",), "minimal": ("da", "nl")}
_LATIN1 = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "’": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "€": "EUR",
        "\u202f": " ",
        "œ": "oe",
        "Œ": "OE",
        "…": "...",
        "·": "-",
    }
)
VAT = {"FR": "20", "BE": "21"}
BOTTOM = 268  # mm: below this a new page starts


def latin1(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "L"


@dataclass
class Sheet:
    """Everything a layout prints, already spelled in the document's language."""

    spec: OrderSpec
    labels: dict[str, str]
    lang: str
    order_date: str
    requested: str
    rows: list[list[str]]  # pos, item, description, qty, unit, price, amount
    total: Decimal | None
    units: list[str]

    @property
    def priced(self) -> bool:
        return self.total is not None

    def money(self, value: Decimal) -> str:
        return number(value.quantize(Decimal("0.01")), self.lang)


def make_sheet(spec: OrderSpec, rng: Random) -> Sheet:
    lang = spec.language
    units = written_units([line.unit for line in spec.lines], lang, rng, words=0.5)
    style = 0 if lang != "en" or spec.buyer.country in ("GB", "US") else 1
    amounts = [
        line.unit_price * line.quantity if line.unit_price is not None else None for line in spec.lines
    ]
    total = sum(a for a in amounts if a is not None) if spec.show_prices and any(amounts) else None
    sheet = Sheet(
        spec,
        PDF_LABELS[lang],
        lang,
        format_date(spec.order_date, lang, style, country=spec.buyer.country),
        format_date(spec.requested_date, lang, style, country=spec.buyer.country),
        [],
        total,
        units,
    )
    sheet.rows = [
        _row(sheet, i, line, unit, amount)
        for i, (line, unit, amount) in enumerate(zip(spec.lines, units, amounts, strict=True), start=1)
    ]
    return sheet


def _row(sheet: Sheet, index: int, line, unit: str, amount: Decimal | None) -> list[str]:
    price = "" if line.unit_price is None else number(line.unit_price, sheet.lang)
    total = "" if amount is None else sheet.money(amount)
    # Quantities grouped only where the buyer's country writes numbers as the language does
    # (see textfmt.groups_thousands): "2,000" on an Austrian company's English form is unclear.
    grouped = groups_thousands(sheet.lang, sheet.spec.buyer.country)
    quantity = number(line.quantity, sheet.lang, grouping=grouped)
    return [str(index), line.ident, line.description, quantity, unit, price, total]


# --- drawing helpers ---------------------------------------------------------------------------


class OrderPDF(FPDF):
    def __init__(self, page_label: str = "", running_head: str = "") -> None:
        super().__init__(format="A4", unit="mm")
        self.page_label, self.running_head = page_label, running_head
        self.set_auto_page_break(auto=False)
        self.set_margins(10, 10, 10)

    def header(self) -> None:
        if self.running_head and self.page_no() > 1:
            self.set_font("helvetica", "I", 8)
            self.set_xy(10, 8)
            self.cell(190, 4, latin1(self.running_head), align="R")
            self.set_y(16)

    def footer(self) -> None:
        if self.page_label:
            self.set_font("helvetica", "", 8)
            self.set_xy(10, 285)
            self.cell(190, 4, latin1(self.page_label.format(n=self.page_no(), m="{nb}")), align="C")


def new_pdf(
    spec: OrderSpec, page_label: str = "", running_head: str = "", *, metadata: bool = True
) -> OrderPDF:
    pdf = OrderPDF(page_label, running_head)
    pdf.set_creation_date(datetime.combine(spec.order_date, time(9, 0), UTC))
    if metadata:
        pdf.set_title(latin1(spec.po_number))
        pdf.set_author(latin1(spec.sender.name))
    pdf.add_page()
    return pdf


def text_at(
    pdf: FPDF, x: float, y: float, lines: list[str], *, size: float = 9, bold_first: bool = False
) -> float:
    """Lines from (x, y) downwards; returns the y below them."""
    for i, line in enumerate(lines):
        pdf.set_font("helvetica", "B" if bold_first and i == 0 else "", size)
        pdf.set_xy(x, y)
        pdf.cell(0, size * 0.45, latin1(line))
        y += size * 0.45
    return y


def fit(pdf: FPDF, text: str, width: float) -> str:
    text = latin1(text)
    while text and pdf.get_string_width(text) > width - 2:
        text = text[:-1]
    return text


def label_values(pdf: FPDF, x: float, y: float, pairs: list[tuple[str, str]], *, width: float = 32) -> float:
    for label, value in pairs:
        pdf.set_xy(x, y)
        pdf.set_font("helvetica", "B", 9)
        pdf.cell(width, 4.5, latin1(f"{label}:"))
        pdf.set_font("helvetica", "", 9)
        pdf.cell(60, 4.5, latin1(value))
        y += 4.5
    return y


def table(pdf: FPDF, columns: list[Column], rows: list[list[str]], *, y: float, bordered: bool = True,
          on_new_page: Callable[[FPDF], float] | None = None) -> float:  # fmt: skip
    """A table whose header is repeated on every page it runs onto."""
    y = _table_header(pdf, columns, y, bordered)
    for row in rows:
        if y + 6 > BOTTOM:
            pdf.add_page()
            y = _table_header(pdf, columns, on_new_page(pdf) if on_new_page else 20, bordered)
        y = _table_row(pdf, columns, row, y, bordered)
    return y


def _table_header(pdf: FPDF, columns: list[Column], y: float, bordered: bool) -> float:
    pdf.set_xy(10, y)
    pdf.set_font("helvetica", "B", 8.5)
    pdf.set_fill_color(225, 225, 225)
    for column in columns:
        pdf.cell(
            column.width,
            6,
            latin1(column.title),
            border=1 if bordered else "B",
            align=column.align,
            fill=bordered,
        )
    return y + 6


def _table_row(pdf: FPDF, columns: list[Column], row: list[str], y: float, bordered: bool) -> float:
    pdf.set_xy(10, y)
    pdf.set_font("helvetica", "", 8.5)
    for column, value in zip(columns, row, strict=True):
        pdf.cell(
            column.width, 5.5, fit(pdf, value, column.width), border=1 if bordered else 0, align=column.align
        )
    return y + 5.5


def pick(row: list[str], order: str) -> list[str]:
    """Cells of a row by letter: p=pos i=item d=description q=qty u=unit r=price a=amount."""
    index = {"p": 0, "i": 1, "d": 2, "q": 3, "u": 4, "r": 5, "a": 6}
    return [row[index[letter]] for letter in order]


def columns_for(sheet: Sheet, order: str, widths: dict[str, float], titles: dict[str, str]) -> list[Column]:
    """Columns in the given letter order; without prices the description takes their room."""
    letters = order if sheet.priced else order.replace("r", "").replace("a", "")
    spare = 0 if sheet.priced else widths.get("r", 0) + widths.get("a", 0)
    align = {"p": "C", "q": "R", "r": "R", "a": "R"}
    return [Column(titles[c], widths[c] + (spare if c == "d" else 0), align.get(c, "L")) for c in letters]


def header_titles(sheet: Sheet) -> dict[str, str]:
    pos, item, desc, qty, unit, price, amount = TABLE_HEADERS[sheet.lang]
    return {"p": pos, "i": item, "d": desc, "q": qty, "u": unit, "r": price, "a": amount}


def remarks(pdf: FPDF, sheet: Sheet, y: float) -> float:
    if not sheet.spec.notes:
        return y
    pdf.set_xy(10, y + 4)
    pdf.set_font("helvetica", "B", 9)
    pdf.cell(0, 5, latin1(sheet.labels["remarks"] + ":"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("helvetica", "", 9)
    pdf.multi_cell(190, 4.5, latin1(" ".join(sheet.spec.notes)))
    return pdf.get_y()


def total_line(pdf: FPDF, sheet: Sheet, y: float, label: str = "") -> float:
    if not sheet.priced:
        return y
    pdf.set_xy(120, y + 2)
    pdf.set_font("helvetica", "B", 9)
    pdf.cell(47, 5, latin1(f"{label or sheet.labels['total']} {sheet.spec.currency}"), align="R")
    pdf.cell(23, 5, sheet.money(sheet.total), align="R")
    return y + 8


def title(sheet: Sheet) -> str:
    return sheet.labels["change"] if sheet.spec.change else sheet.labels["title"]


def info_pairs(sheet: Sheet) -> list[tuple[str, str]]:
    spec, labels = sheet.spec, sheet.labels
    pairs = [(labels["po"], spec.po_number), (labels["date"], sheet.order_date)]
    if spec.customer_number:
        pairs.append((labels["customer"], spec.customer_number))
    pairs += [
        (labels["requested"], sheet.requested),
        (labels["currency"], spec.currency),
        (labels["contact"], spec.sender.name),
    ]
    return pairs


def buyer_block(sheet: Sheet) -> list[str]:
    spec = sheet.spec
    return [*address_lines(spec.buyer), f"Tel. {spec.phone}", spec.sender.email]


# --- layouts -----------------------------------------------------------------------------------


def classic(sheet: Sheet, rng: Random) -> OrderPDF:
    """Letterhead left, title and order data right, supplier and ship-to blocks, bordered table."""
    spec, labels = sheet.spec, sheet.labels
    pdf = new_pdf(spec)
    text_at(pdf, 10, 12, buyer_block(sheet), bold_first=True)
    pdf.set_xy(110, 12)
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(90, 8, latin1(title(sheet)), align="R")
    label_values(pdf, 120, 24, info_pairs(sheet))
    text_at(pdf, 10, 50, [labels["supplier"], *SUPPLIER[:3]], bold_first=True)
    if spec.ship_to:
        pdf.rect(118, 54, 82, 26)
        text_at(pdf, 120, 56, [labels["ship_to"], *address_lines(spec.ship_to)], bold_first=True)
    widths = {"p": 10, "i": 30, "d": 70, "q": 18, "u": 17, "r": 22, "a": 23}
    columns = columns_for(sheet, "pidqura", widths, header_titles(sheet))
    y = table(pdf, columns, [pick(r, "pidqura"[: len(columns)]) for r in sheet.rows], y=90)
    y = remarks(pdf, sheet, total_line(pdf, sheet, y))
    if rng.random() < 0.5:
        text_at(pdf, 10, max(y + 6, 250), [labels["terms"]], size=7.5)
    return pdf


def two_column(sheet: Sheet, rng: Random) -> OrderPDF:
    """Order data as a grid of bold labels with the value below, unbordered table."""
    spec, labels = sheet.spec, sheet.labels
    pdf = new_pdf(spec)
    pdf.set_font("helvetica", "B", 13)
    pdf.set_xy(10, 12)
    pdf.cell(0, 7, latin1(spec.buyer.name))
    pdf.set_xy(10, 20)
    pdf.set_font("helvetica", "", 20)
    pdf.cell(0, 10, latin1(title(sheet)))
    pairs = info_pairs(sheet)
    for i, (label, value) in enumerate(pairs):
        x, y = 10 + (i % 3) * 63, 36 + (i // 3) * 12
        text_at(pdf, x, y, [label, value], size=9, bold_first=True)
    y = 64
    text_at(pdf, 10, y, [labels["buyer"], *buyer_block(sheet)], bold_first=True)
    if spec.ship_to:
        text_at(pdf, 110, y, [labels["ship_to"], *address_lines(spec.ship_to)], bold_first=True)
    widths = {"p": 12, "i": 32, "d": 76, "q": 18, "u": 16, "r": 18, "a": 18}
    columns = columns_for(sheet, "piduqra", widths, header_titles(sheet))
    letters = "piduqra"[: len(columns)]
    y = table(pdf, columns, [pick(r, letters) for r in sheet.rows], y=100, bordered=False)
    remarks(pdf, sheet, total_line(pdf, sheet, y))
    return pdf


def de_pos(sheet: Sheet, rng: Random) -> OrderPDF:
    """German ERP print: 'Bestellung Nr.' line, Pos./Menge/ME first, decimal commas."""
    spec, labels = sheet.spec, sheet.labels
    pdf = new_pdf(spec)
    text_at(
        pdf,
        10,
        10,
        [f"{spec.buyer.name} · {spec.buyer.street} · {spec.buyer.postal_code} {spec.buyer.city}"],
        size=7,
    )
    text_at(pdf, 10, 18, [SUPPLIER[0], SUPPLIER[1], SUPPLIER[2]], size=10)
    pdf.set_xy(10, 40)
    pdf.set_font("helvetica", "B", 14)
    word = "Bestelländerung" if spec.change else "Bestellung"
    pdf.cell(0, 7, latin1(f"{word} Nr. {spec.po_number} vom {sheet.order_date}"))
    # The currency is printed even without prices: an order in another currency says so.
    pairs = [
        (labels["requested"], sheet.requested),
        (labels["currency"], spec.currency),
        (labels["contact"], f"{spec.sender.name}, Tel. {spec.phone}"),
    ]
    if spec.customer_number:
        pairs.insert(0, ("Ihre Kd.-Nr. für uns", spec.customer_number))
    y = label_values(pdf, 10, 50, pairs, width=42)
    if spec.ship_to:
        y = text_at(pdf, 10, y + 3, [labels["ship_to"] + ":", *address_lines(spec.ship_to)], bold_first=True)
    titles = {
        "p": "Pos.",
        "q": "Menge",
        "u": "ME",
        "i": "Artikel-Nr.",
        "d": "Bezeichnung",
        "r": "Einzelpreis",
        "a": "Gesamtpreis",
    }
    # ME wide enough for "Schachtel": a print never cuts the unit (only descriptions run out of room).
    widths = {"p": 12, "q": 18, "u": 16, "i": 28, "d": 70, "r": 23, "a": 23}
    columns = columns_for(sheet, "pquidra", widths, titles)
    rows = [pick([str(int(r[0]) * 10), *r[1:]], "pquidra"[: len(columns)]) for r in sheet.rows]
    y = table(pdf, columns, rows, y=max(y + 6, 80))
    remarks(pdf, sheet, total_line(pdf, sheet, y, "Gesamtsumme netto"))
    return pdf


def multipage(sheet: Sheet, rng: Random) -> OrderPDF:
    """A long order: table header repeated on every page, running head and page footer."""
    spec, labels = sheet.spec, sheet.labels
    head = f"{spec.buyer.name} - {labels['po']} {spec.po_number}"
    pdf = new_pdf(spec, page_label=labels["page"], running_head=head)
    text_at(pdf, 10, 12, buyer_block(sheet), bold_first=True)
    pdf.set_xy(110, 12)
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(90, 8, latin1(title(sheet)), align="R")
    y = label_values(pdf, 120, 24, info_pairs(sheet))
    if spec.ship_to:
        text_at(pdf, 10, 48, [labels["ship_to"], *address_lines(spec.ship_to)], bold_first=True)
    widths = {"p": 10, "i": 30, "d": 72, "q": 18, "u": 16, "r": 21, "a": 23}
    columns = columns_for(sheet, "pidqura", widths, header_titles(sheet))
    rows = [pick(r, "pidqura"[: len(columns)]) for r in sheet.rows]
    y = table(pdf, columns, rows, y=max(y, 72) + 6, on_new_page=lambda _: 20)
    remarks(pdf, sheet, total_line(pdf, sheet, y))
    return pdf


def fr_ht(sheet: Sheet, rng: Random) -> OrderPDF:
    """French order form: Désignation / Qté / Prix unitaire HT / Montant HT, then HT, TVA, TTC."""
    spec, labels = sheet.spec, sheet.labels
    pdf = new_pdf(spec)
    text_at(pdf, 10, 12, buyer_block(sheet), bold_first=True)
    pdf.set_xy(110, 12)
    pdf.set_font("helvetica", "B", 15)
    pdf.cell(90, 8, latin1(title(sheet)), align="R")
    y = label_values(pdf, 115, 24, info_pairs(sheet), width=38)
    if spec.ship_to:
        pdf.rect(8, 46, 90, 28)
        text_at(pdf, 10, 48, [labels["ship_to"], *address_lines(spec.ship_to)], bold_first=True)
    titles = {
        "i": "Référence",
        "d": "Désignation",
        "q": "Qté",
        "u": "Unité",
        "r": "Prix unitaire HT",
        "a": "Montant HT",
    }
    widths = {"i": 28, "d": 76, "q": 16, "u": 16, "r": 27, "a": 27}
    columns = columns_for(sheet, "idqura", widths, titles)
    y = table(pdf, columns, [pick(r, "idqura"[: len(columns)]) for r in sheet.rows], y=max(y, 80) + 6)
    remarks(pdf, sheet, _fr_totals(pdf, sheet, y))
    return pdf


def _fr_totals(pdf: FPDF, sheet: Sheet, y: float) -> float:
    if not sheet.priced:
        return y
    rate = Decimal(VAT.get(sheet.spec.buyer.country, "20"))
    vat = (sheet.total * rate / 100).quantize(Decimal("0.01"))
    rows = [("Total HT", sheet.total), (f"TVA {rate} %", vat), ("Total TTC", sheet.total + vat)]
    for label, amount in rows:
        pdf.set_xy(126, y + 2)
        pdf.set_font("helvetica", "B" if label == "Total TTC" else "", 9)
        pdf.cell(47, 5, latin1(f"{label} ({sheet.spec.currency})"), border=1)
        pdf.cell(27, 5, sheet.money(amount), border=1, align="R")
        y += 5
    return y + 4


def minimal(sheet: Sheet, rng: Random) -> OrderPDF:
    """Danish/Dutch word-processor order: 'label: value' lines and a plain table."""
    spec, labels = sheet.spec, sheet.labels
    pdf = new_pdf(spec)
    pdf.set_xy(10, 14)
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(0, 7, latin1(title(sheet)))
    y = text_at(pdf, 10, 24, [f"{label}: {value}" for label, value in info_pairs(sheet)], size=10)
    if spec.ship_to:
        y = text_at(pdf, 10, y + 4, [f"{labels['ship_to']}:", *address_lines(spec.ship_to)], size=10)
    widths = {"i": 30, "d": 90, "q": 20, "u": 20, "r": 30, "a": 0}
    sheet_columns = columns_for(sheet, "idqur", widths, header_titles(sheet))
    y = table(
        pdf,
        sheet_columns,
        [pick(r, "idqur"[: len(sheet_columns)]) for r in sheet.rows],
        y=y + 8,
        bordered=False,
    )
    y = remarks(pdf, sheet, y)
    text_at(pdf, 10, y + 8, [spec.sender.name, spec.buyer.name, spec.phone], size=9)
    return pdf


def deliver_to(sheet: Sheet, rng: Random) -> OrderPDF:
    """The delivery address, a site other than the head office, in a large 'Deliver to:' box."""
    spec, labels = sheet.spec, sheet.labels
    pdf = new_pdf(spec)
    text_at(pdf, 10, 12, [spec.buyer.name, title(sheet)], size=13, bold_first=True)
    y = label_values(pdf, 10, 28, info_pairs(sheet))
    address = spec.ship_to or spec.buyer
    pdf.set_line_width(0.6)
    pdf.rect(110, 26, 90, 34)
    text_at(
        pdf,
        113,
        29,
        [labels["deliver_to"], *address_lines(address, with_country=True)],
        size=10,
        bold_first=True,
    )
    pdf.set_line_width(0.2)
    widths = {"p": 10, "i": 30, "d": 72, "q": 18, "u": 16, "r": 21, "a": 23}
    columns = columns_for(sheet, "pidqura", widths, header_titles(sheet))
    y = table(pdf, columns, [pick(r, "pidqura"[: len(columns)]) for r in sheet.rows], y=max(y, 62) + 8)
    remarks(pdf, sheet, total_line(pdf, sheet, y))
    return pdf


DRAWERS: dict[str, Callable[[Sheet, Random], OrderPDF]] = {
    "classic": classic, "two_column": two_column, "de_pos": de_pos, "multipage": multipage,
    "fr_ht": fr_ht, "minimal": minimal, "deliver_to": deliver_to,
}  # fmt: skip


def render_pdf(spec: OrderSpec, layout: str, rng: Random) -> tuple[bytes, list[str]]:
    """(PDF bytes, units as written) for the order in the layout."""
    sheet = make_sheet(spec, rng)
    pdf = DRAWERS[layout](sheet, rng)
    return bytes(pdf.output()), sheet.units


def layout_for(spec: OrderSpec, rng: Random) -> str:
    """A layout that suits the document's language (defective documents)."""
    tied = [name for name, langs in LAYOUT_LANGUAGES.items() if spec.language in langs]
    general = ["classic", "two_column"] + (["deliver_to"] if spec.ship_to else [])
    return rng.choice(tied + general if tied else general)
