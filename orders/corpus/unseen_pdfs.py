"""PDF layouts of the unseen corpus (issue 14, points 2-6), drawn with fpdf2.

Every layout draws from a ``Form`` (the order already spelled in its language)
on a ``Canvas`` that knows one trick of its own: with ``overprint`` set, bold
text is drawn the way some ERP print drivers do it, every glyph printed two
or three times at nearly the same spot ("IIIttteeemmm").

Layouts: ``bilingual`` (labels and column headers in two languages),
``grid`` (label/value grid, the value below its label), ``blocks`` (Vendor |
Bill to | Ship to side by side, or header fields left and delivery address
right), ``letter`` (a plain letter whose table has unusual header words, or
none). Any of them can carry a page of printed terms and conditions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from random import Random

from fpdf import FPDF

from orders.corpus.model import OrderSpec
from orders.corpus.pdfs import latin1
from orders.corpus.textfmt import address_lines
from orders.corpus.unseen_words import PAYMENT_TERMS, REGISTER_LINES, TERMS_PAGES

#: The seller, as buyers print us in their vendor block.
VENDOR = ("OrderDesk Demo Supply GmbH", "Lagerstraße 4", "22113 Hamburg", "Germany")
PT = 0.3528  # mm per point


@dataclass
class Form:
    """What a layout prints, spelled in the document's language(s)."""

    spec: OrderSpec
    lang: str
    labels: dict[str, str]
    heads: tuple[str, ...] | None  # None: a table without a header row
    order_date: str
    delivery: str  # a date or a week, as written
    rows: list[list[str]]  # line, item, description, quantity, unit, price, amount
    total: str | None  # None: no prices printed
    ship_to: list[str] | None  # delivery address lines (None: none printed)
    notes: list[str] = field(default_factory=list)
    terms_page: str = ""  # language of a printed T&C page ("" none)
    second_heads: tuple[str, ...] | None = None  # bilingual headers printed on a second line

    @property
    def priced(self) -> bool:
        return self.total is not None


class Canvas:
    def __init__(self, spec: OrderSpec, *, overprint: int = 0) -> None:
        self.pdf = FPDF(format="A4", unit="mm")
        self.pdf.set_auto_page_break(auto=False)
        self.pdf.set_creation_date(datetime.combine(spec.order_date, time(10, 30), UTC))
        self.pdf.set_creator("Report Writer 7.2")
        self.pdf.add_page()
        self.overprint = overprint

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = 9,
        bold: bool = False,
        align: str = "L",
        width: float = 0,
        italic: bool = False,
    ) -> float:
        """One line with its top at y; returns the y below it."""
        text = latin1(text)
        real_bold = bold and not self.overprint
        self.pdf.set_font("helvetica", ("B" if real_bold else "") + ("I" if italic else ""), size)
        span = self.pdf.get_string_width(text)
        if align == "R":
            x += width - span
        elif align == "C":
            x += (width - span) / 2
        baseline = y + size * PT * 0.85
        if bold and self.overprint:
            self._overprinted(x, baseline, text)
        else:
            self.pdf.text(x, baseline, text)
        return y + size * PT * 1.25

    def _overprinted(self, x: float, baseline: float, text: str) -> None:
        """Each glyph drawn `overprint` times, shifted a hair to the right each time."""
        for char in text:
            for copy in range(self.overprint):
                self.pdf.text(x + copy * 0.07, baseline, char)
            x += self.pdf.get_string_width(char)

    def lines(
        self, x: float, y: float, lines: list[str], *, size: float = 9, bold_first: bool = False
    ) -> float:
        for i, line in enumerate(lines):
            y = self.text(x, y, line, size=size, bold=bold_first and i == 0)
        return y

    def fit(self, text: str, width: float, size: float) -> str:
        self.pdf.set_font("helvetica", "", size)
        text = latin1(text)
        while text and self.pdf.get_string_width(text) > width - 1.5:
            text = text[:-1]
        return text

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


# --- shared pieces ----------------------------------------------------------------------------


ALIGN = ("C", "L", "L", "R", "L", "R", "R")


def table(c: Canvas, form: Form, y: float, widths: list[float], *, ruled: bool = True,
          order: str = "pidqura", size: float = 8.5) -> float:  # fmt: skip
    """The item table; columns by letter (p line, i item, d description, q qty, u unit, r price,
    a amount); without prices the description takes their room."""
    index = {"p": 0, "i": 1, "d": 2, "q": 3, "u": 4, "r": 5, "a": 6}
    letters = order if form.priced else order.replace("r", "").replace("a", "")
    spare = 0 if form.priced else sum(w for letter, w in zip(order, widths, strict=True) if letter in "ra")
    cols = [
        (index[letter], w + (spare if letter == "d" else 0))
        for letter, w in zip(order, widths, strict=True)
        if letter in letters
    ]
    cols = _widened(c, form, cols, size)
    x0 = 12
    if form.heads:
        rows_of_head = [form.heads] + ([form.second_heads] if form.second_heads else [])
        top = y
        for r, heads in enumerate(rows_of_head):
            x = x0
            for i, w in cols:
                c.text(
                    x + 0.8,
                    y + 0.8,
                    heads[i],
                    size=_head_size(c, heads[i], w, 7.5 if r else 8),
                    bold=not r,
                    italic=bool(r),
                    align=ALIGN[i] if ALIGN[i] != "C" else "L",
                    width=w - 1.6,
                )
                x += w
            y += 4.2
        y += 0.8
        if ruled:
            c.pdf.line(x0, top, x0 + sum(w for _, w in cols), top)
        c.pdf.line(x0, y, x0 + sum(w for _, w in cols), y)
    for row in form.rows:
        x = x0
        for i, w in cols:
            c.text(x + 0.8, y + 1, c.fit(row[i], w, size), size=size, align=ALIGN[i], width=w - 1.6)
            x += w
        y += 5.2
        if ruled:
            c.pdf.set_draw_color(190, 190, 190)
            c.pdf.line(x0, y, x0 + sum(w for _, w in cols), y)
            c.pdf.set_draw_color(0, 0, 0)
    return y + 2


def _widened(c: Canvas, form: Form, cols: list[tuple[int, float]], size: float) -> list[tuple[int, float]]:
    """Every column but the description as wide as its longest cell ("83,30 DKK pr. kasse" is
    never cut); the description gives up the room."""
    c.pdf.set_font("helvetica", "", size)
    need = {
        i: max((c.pdf.get_string_width(latin1(row[i])) + 2.5 for row in form.rows), default=0)
        for i, _ in cols
    }
    extra = sum(max(0.0, need[i] - w) for i, w in cols if i != 2)
    return [(i, w - extra if i == 2 else max(w, need[i])) for i, w in cols]


def _head_size(c: Canvas, text: str, width: float, size: float) -> float:
    """A header is never cut: a long (bilingual) one is printed smaller instead."""
    c.pdf.set_font("helvetica", "B", size)
    while size > 5.5 and c.pdf.get_string_width(latin1(text)) > width - 1.6:
        size -= 0.5
        c.pdf.set_font("helvetica", "B", size)
    return size


CURRENCY_WORDS = {
    "en": "Currency",
    "de": "Währung",
    "fr": "Devise",
    "da": "Valuta",
    "nl": "Valuta",
    "sv": "Valuta",
    "no": "Valuta",
    "fi": "Valuutta",
    "it": "Valuta",
    "es": "Moneda",
    "pt": "Moeda",
}


def _currency_word(lang: str) -> str:
    return " / ".join(CURRENCY_WORDS[part] for part in lang.split("+"))


def _value_size(c: Canvas, text: str, width: float, size: float) -> float:
    c.pdf.set_font("helvetica", "", size)
    while size > 6 and c.pdf.get_string_width(latin1(text)) > width:
        size -= 0.5
        c.pdf.set_font("helvetica", "", size)
    return size


def total(c: Canvas, form: Form, y: float) -> float:
    if not form.priced:
        return y
    c.text(110, y + 1, f"{form.labels['total']} {form.spec.currency}", bold=True, align="R", width=60)
    c.text(172, y + 1, form.total, bold=True, align="R", width=26)
    return y + 8


def notes(c: Canvas, form: Form, y: float) -> float:
    if not form.notes:
        return y
    y = c.text(12, y + 2, form.labels["notes"] + ":", bold=True)
    for note in form.notes:
        c.pdf.set_font("helvetica", "", 9)
        c.pdf.set_xy(12, y)
        c.pdf.multi_cell(185, 4.2, latin1(note))
        y = c.pdf.get_y()
    return y + 2


def letterhead(form: Form) -> list[str]:
    spec = form.spec
    return [*address_lines(spec.buyer), f"{form.labels['phone']} {spec.phone}", spec.sender.email]


def footer(c: Canvas, form: Form, rng: Random) -> None:
    """The letterhead's legal line at the foot of the first page."""
    lines = REGISTER_LINES.get(form.spec.buyer.country)
    if lines and rng.random() < 0.8:
        c.pdf.set_draw_color(150, 150, 150)
        c.pdf.line(12, 282, 198, 282)
        c.pdf.set_draw_color(0, 0, 0)
        c.text(12, 283.5, rng.choice(lines).format(city=form.spec.buyer.city), size=6.5)


def terms_page(c: Canvas, form: Form) -> None:
    """A page of printed terms and conditions, in two columns of small print."""
    title, clauses = TERMS_PAGES[form.terms_page]
    c.pdf.add_page()
    c.text(12, 14, title, size=11, bold=True)
    c.pdf.set_font("helvetica", "", 7)
    columns, y, col = ((12, 104), 24.0, 0)
    for number, clause in enumerate(clauses, start=1):
        c.pdf.set_xy(columns[col], y)
        c.pdf.multi_cell(90, 3.3, latin1(f"{number}. {clause}"))
        y = c.pdf.get_y() + 1.5
        if y > 250 and col == 0:
            col, y = 1, 24.0
    c.text(12, 285, f"{form.spec.buyer.name} - {title}", size=6.5)


def ship_lines(form: Form) -> list[str]:
    return form.ship_to or []


# --- layouts --------------------------------------------------------------------------------------


def bilingual(c: Canvas, form: Form, rng: Random) -> None:
    """Letterhead left, "Bestell-Nr. / PO no.: 4711" pairs right, vendor and ship-to blocks,
    table headed "Menge / Qty" (or the English word printed under the native one)."""
    spec, lab = form.spec, form.labels
    c.lines(12, 12, letterhead(form), bold_first=True)
    c.text(110, 12, lab["title"], size=14, bold=True, align="R", width=88)
    pairs = [(lab["po"], spec.po_number), (lab["date"], form.order_date)]
    if spec.customer_number:
        pairs.append((lab["customer"], spec.customer_number))
    pairs += [(lab["delivery"], form.delivery), (lab["buyer"], spec.sender.name)]
    y = 24
    for label, value in pairs:
        c.text(104, y, f"{label}:", size=8.5, bold=True)
        y = c.text(158, y, value, size=8.5)
    c.lines(12, 48, [lab["vendor"], *VENDOR[:3]], size=8.5, bold_first=True)
    if form.ship_to:
        c.lines(104, max(y, 50) + 2, [lab["ship_to"], *form.ship_to], size=8.5, bold_first=True)
    y = table(c, form, 82, [14, 30, 66, 20, 18, 20, 22])
    notes(c, form, total(c, form, y))


def grid(c: Canvas, form: Form, rng: Random) -> None:
    """Header fields in ruled cells, small label on top and the value below it."""
    spec, lab = form.spec, form.labels
    c.text(12, 12, spec.buyer.name, size=13, bold=True)
    c.text(12, 19, " - ".join(address_lines(spec.buyer)[1:]), size=8)
    c.text(120, 12, lab["title"], size=16, bold=True, align="R", width=78)
    cells = [(lab["po"], spec.po_number), (lab["date"], form.order_date), (lab["delivery"], form.delivery)]
    cells.append(
        (lab["customer"], spec.customer_number)
        if spec.customer_number
        else (lab["terms"], rng.choice(PAYMENT_TERMS[form.lang.split("+")[0]]))
    )
    cells += [
        (lab["buyer"], spec.sender.name),
        (lab["phone"], spec.phone),
        ("E-mail", spec.sender.email),
        (_currency_word(form.lang), spec.currency),
    ]
    per_row = rng.choice((4, 3))
    width = 186 / per_row
    top = 28
    for i, (label, value) in enumerate(cells):
        x, y = 12 + (i % per_row) * width, top + (i // per_row) * 12
        c.pdf.rect(x, y, width, 12)
        c.text(x + 1.5, y + 1.2, label, size=7, bold=True)
        c.text(x + 1.5, y + 5.8, value, size=_value_size(c, value, width - 3, 9.5))
    y = top + ((len(cells) + per_row - 1) // per_row) * 12 + 6
    c.lines(12, y, [lab["vendor"], *VENDOR[:3]], size=8.5, bold_first=True)
    if form.ship_to:
        c.lines(108, y, [lab["ship_to"], *form.ship_to], size=8.5, bold_first=True)
    y = table(c, form, y + 30, [12, 32, 68, 18, 16, 20, 24], ruled=rng.random() < 0.5)
    notes(c, form, total(c, form, y))


def blocks(c: Canvas, form: Form, rng: Random) -> None:
    """Three boxes side by side (Vendor | Bill to | Ship to), or header fields left and the
    delivery address right."""
    spec, lab = form.spec, form.labels
    c.text(12, 12, spec.buyer.name, size=12, bold=True)
    c.text(120, 12, f"{lab['title']}", size=15, bold=True, align="R", width=78)
    c.text(120, 20, f"{lab['po']} {spec.po_number}", size=10, bold=True, align="R", width=78)
    if rng.random() < 0.6:
        boxes = [
            (lab["vendor"], list(VENDOR[:3])),
            (lab["bill_to"], address_lines(spec.buyer)),
            (lab["ship_to"], form.ship_to or address_lines(spec.buyer)),
        ]
        for i, (head, body) in enumerate(boxes):
            x = 12 + i * 62
            c.pdf.rect(x, 30, 60, 28)
            c.text(x + 2, 31.5, head, size=8, bold=True)
            c.lines(x + 2, 36.5, [c.fit(line, 58, 8.5) for line in body], size=8.5)
        pairs = [
            (lab["date"], form.order_date),
            (lab["delivery"], form.delivery),
            (lab["buyer"], spec.sender.name),
        ]
        if spec.customer_number:
            pairs.append((lab["customer"], spec.customer_number))
        y = 64
        for label, value in pairs:
            c.text(12, y, f"{label}:", size=8.5, bold=True)
            y = c.text(55, y, value, size=8.5)
    else:
        pairs = [
            (lab["po"], spec.po_number),
            (lab["date"], form.order_date),
            (lab["delivery"], form.delivery),
            (lab["buyer"], spec.sender.name),
            (lab["terms"], rng.choice(PAYMENT_TERMS[form.lang.split("+")[0]])),
        ]
        if spec.customer_number:
            pairs.insert(2, (lab["customer"], spec.customer_number))
        y = 30
        for label, value in pairs:
            c.text(12, y, f"{label}:", size=8.5, bold=True)
            y = c.text(50, y, value, size=8.5)
        c.pdf.rect(118, 28, 80, 30)
        c.lines(
            120, 30, [lab["ship_to"], *(form.ship_to or address_lines(spec.buyer))], size=9, bold_first=True
        )
        y = c.lines(12, max(y, 58) + 4, [lab["vendor"], *VENDOR[:3]], size=8.5, bold_first=True)
    y = table(c, form, max(y, 84) + 4, [12, 30, 70, 18, 16, 20, 22])
    notes(c, form, total(c, form, y))


def letter(c: Canvas, form: Form, rng: Random) -> None:
    """A plain letter: letterhead, the vendor's address, an order line, the lines (with unusual
    header words or no header at all) and a signature."""
    spec, lab = form.spec, form.labels
    c.lines(12, 12, letterhead(form), size=8.5, bold_first=True)
    c.lines(12, 44, list(VENDOR[:3]), size=10)
    c.text(120, 44, f"{spec.buyer.city}, {form.order_date}", size=10, align="R", width=78)
    y = c.text(12, 66, f"{lab['title'].title()} {spec.po_number}", size=13, bold=True)
    extra = [f"{lab['delivery']}: {form.delivery}"]
    if spec.customer_number:
        extra.insert(0, f"{lab['customer']}: {spec.customer_number}")
    y = c.lines(12, y + 2, extra, size=9.5)
    if form.ship_to:
        y = c.lines(12, y + 3, [f"{lab['ship_to']}:", *form.ship_to], size=9.5)
    y = table(
        c, form, y + 5, [12, 30, 70, 18, 16, 20, 22], ruled=form.heads is not None and rng.random() < 0.5
    )
    y = notes(c, form, total(c, form, y))
    c.lines(12, y + 8, [spec.sender.name, spec.title, spec.buyer.name], size=9)


LAYOUTS = {"bilingual": bilingual, "grid": grid, "blocks": blocks, "letter": letter}


def draw(form: Form, layout: str, rng: Random, *, overprint: int = 0) -> bytes:
    c = Canvas(form.spec, overprint=overprint)
    LAYOUTS[layout](c, form, rng)
    footer(c, form, rng)
    if form.terms_page:
        terms_page(c, form)
    return c.bytes()
