"""PDF purchase orders: words with their positions in, an order draft with evidence out.

A PDF holds no structure, only words placed on pages, so everything here is
read from layout: lines are words sharing a baseline, a line splits into
segments where a wide gap separates its words (columns, label and value), an
item table is found by its header row and read column by column below it, and
header fields are found by their labels, with the value to the right of the
label or directly below it. The vocabulary of labels, column headers, numbers
and dates in five languages comes from ``vocabulary``.

Reading is conservative, because a wrongly read order is far worse than one a
person has to key: what cannot be read with confidence gets a low confidence
or an ``uncertain`` entry, never a guess. pdfplumber runs inside
``sandbox.run_limited`` (a forked child with time and memory limits), so a
hostile PDF costs at most 30 s and 1 GB and cannot take the worker down.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache

import pdfplumber
from pdfminer.layout import LTChar, LTContainer
from pdfplumber.utils import extract_words

from integrations.parsers import address as addr
from integrations.parsers import cii, freetext, pdf_attachments, sandbox
from integrations.parsers.draft import (
    AddressDraft,
    DocumentKind,
    Evidence,
    LineDraft,
    OrderDraft,
    ParseError,
    ParseResult,
    Read,
    read,
)
from integrations.parsers.instructions import date_mentions
from integrations.parsers.totals import stated_amount
from integrations.parsers.vocabulary import (
    COUNTRY_DECIMAL_COMMA,
    LabelSplit,
    fold,
    guess_day_first,
    guess_decimal_comma,
    is_total_label,
    is_valid_gtin,
    match_header_ex,
    match_label,
    normalise_currency,
    normalise_unit,
    parse_date,
    parse_decimal_ex,
    parse_quantity,
    phone_country,
    split_amount_unit,
    split_currency,
    split_label,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 50
TIMEOUT_S = 30
MEMORY_MB = 1024
#: Below this many characters a PDF has no usable text layer.
MIN_TEXT_CHARS = 20

#: Confidence of a value read from a recognised column or next to its label.
SURE = 1.0
#: Values taken by position only, or numbers whose decimal mark is unclear.
POSITIONAL = 0.7

_LEADING_JUNK = b" \t\r\n\x00\x0c\xef\xbb\xbf"
# How far from the end the %%EOF marker may stand (some writers append junk).
_EOF_WINDOW = 4096
# A gap wider than this many font sizes separates two segments of one line.
_SEGMENT_GAP = 0.8
# A gap up to this many font sizes is an ordinary space inside a phrase.
_SPACE = 0.33
# Two copies of one glyph closer than this many font sizes are one overprinted glyph.
_OVERPRINT = 0.12
# Words whose tops differ by at most this many points share a line.
_LINE_TOLERANCE = 3.0
_IDENTIFIERS = ("sku", "customer_part_number", "gtin", "description")
_ITEM_ROLES = frozenset(
    ("sku", "customer_part_number", "gtin", "description", "quantity", "uom", "unit_price",
     "price_per", "line_total", "line_number", "requested_date")
)


# =========================================================================== entry


def parse(data: bytes, *, name: str = "") -> ParseResult:
    """Read one PDF purchase order; ParseError when the bytes are no readable PDF."""
    _precheck(data)
    return sandbox.run_limited(_parse_in_child, bytes(data), timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB,
                               warm=True)


def _precheck(data: bytes) -> None:
    if not isinstance(data, bytes | bytearray):
        raise ParseError("a PDF must be given as bytes")
    if len(data) > MAX_BYTES:
        raise ParseError(f"the PDF is {len(data) // (1024 * 1024)} MB, above the 20 MB limit")
    if not bytes(data[:1024]).lstrip(_LEADING_JUNK).startswith(b"%PDF"):
        raise ParseError("not a PDF: the %PDF header is missing")
    # A cut-off file can still yield some pages; reading only part of an order is
    # worse than not reading it.
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise ParseError("the PDF is truncated (no %%EOF marker at its end)")


def _parse_in_child(data: bytes) -> ParseResult:
    # pdfminer logs a warning for every damaged object; the outcome says enough.
    quiet = logging.getLogger("pdfminer")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        embedded = _embedded_order(data)
        if embedded is not None:
            return embedded
        return _interpret(Document(_read_pages(data)))
    finally:
        quiet.setLevel(level)


def _embedded_order(data: bytes) -> ParseResult | None:
    """The order as the PDF's embedded CII XML states it (Order-X; a Factur-X or ZUGFeRD
    invoice is no order), or None when the PDF embeds no CII document.

    The XML is what the sender's system wrote and the page only a rendering of it, so
    the XML is read instead of the print. A file with a CII name that cannot be read
    makes the PDF unreadable: it says the order is in there, and the print alone may
    not be all of it.
    """
    found: list[tuple[str, ParseResult]] = []
    for attachment in pdf_attachments.xml_attachments(data):
        try:
            if attachment.refused:
                raise ParseError(attachment.refused)
            found.append((attachment.name, cii.parse(attachment.data, name=attachment.name)))
        except ParseError as exc:
            if attachment.name.lower() in pdf_attachments.CII_NAMES:
                raise ParseError(f"the embedded {attachment.name} cannot be read: {exc}") from exc
    if not found:
        return None
    name, result = found[0]
    for order in result.orders:
        order.format, order.locator = "pdf", f"embedded {name}: {order.locator}"
        if len(found) > 1:
            order.uncertain.append(f"the PDF embeds {len(found)} CII documents: only {name} was read")
    return result


# ====================================================================== layout model


# Identity, not value, equality: layout objects are hashed often (sets of used segments).
@dataclass(frozen=True, eq=False)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True, eq=False)
class Segment:
    """Words of one line that stand together (no wide gap between them)."""

    words: tuple[Word, ...]
    page: int
    line: int

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1


@dataclass(eq=False)
class Line:
    """Words sharing a baseline, left to right, split into segments."""

    page: int
    number: int
    words: tuple[Word, ...]
    segments: tuple[Segment, ...] = field(init=False)
    text: str = field(init=False)
    top: float = field(init=False)
    bottom: float = field(init=False)
    size: float = field(init=False)

    def __post_init__(self) -> None:
        self.segments = _split_segments(self.words, self.page, self.number)
        self.text = " ".join(word.text for word in self.words)
        self.top = min(word.top for word in self.words)
        self.bottom = max(word.bottom for word in self.words)
        self.size = max(word.size for word in self.words)

    @cached_property
    def totals(self) -> bool:
        """A totals, tax or charge row ("Subtotal 5,760.00", "MwSt 19 %")."""
        return any(is_total_label(segment.text) for segment in self.segments) or is_total_label(self.text)


@dataclass(frozen=True)
class Rule:
    """A horizontal stroke: a table row separator or a box edge."""

    y: float
    x0: float
    x1: float


@dataclass(frozen=True)
class Edge:
    """A vertical stroke: a cell border."""

    x: float
    top: float
    bottom: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[Rule]
    images: int
    graphics: int
    verticals: list[Edge] = field(default_factory=list)


def _split_segments(words: Sequence[Word], page: int, line: int) -> tuple[Segment, ...]:
    groups: list[list[Word]] = []
    for word in words:
        if groups and word.x0 - groups[-1][-1].x1 <= _SEGMENT_GAP * max(word.size, groups[-1][-1].size):
            groups[-1].append(word)
        else:
            groups.append([word])
    return tuple(Segment(tuple(group), page, line) for group in groups)


def _evidence(line: Line, words: Sequence[Word] = ()) -> Evidence:
    chosen = words or line.words
    box = (min(w.x0 for w in chosen), min(w.top for w in chosen),
           max(w.x1 for w in chosen), max(w.bottom for w in chosen))
    return Evidence(text=line.text, page=line.page, line=line.number, bbox=tuple(round(v, 1) for v in box))


# ======================================================================= reading


def _read_pages(data: bytes) -> list[Page]:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            count = len(pdf.pages)
            if count > MAX_PAGES:
                raise ParseError(f"too many pages ({count}; at most {MAX_PAGES} are read)")
            if count == 0:
                raise ParseError("the PDF has no pages")
            return [_read_page(page, number) for number, page in enumerate(pdf.pages, 1)]
    except (ParseError, MemoryError):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        raise ParseError(f"the PDF cannot be read: {_short(exc)}") from exc


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_page(page: pdfplumber.page.Page, number: int) -> Page:
    chars, shapes = _page_objects(page)
    # pdfplumber's own word grouping, on the lean characters: the same words.
    raw = extract_words(chars, keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    words = [
        Word(w["text"], float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]), float(w["size"]))
        for w in raw
        if w["text"].strip()
    ]
    strokes = [*shapes["rect"], *shapes["line"]]
    result = Page(
        number=number, width=float(page.width), height=float(page.height),
        lines=_cluster_lines(words, number),
        rules=_rules(strokes), images=len(shapes["image"]),
        graphics=len(shapes["rect"]) + len(shapes["curve"]), verticals=_verticals(strokes),
    )
    page.close()  # drops pdfplumber's per-page caches: long PDFs stay small
    return result


def _page_objects(page: pdfplumber.page.Page) -> tuple[list[dict], defaultdict[str, list[dict]]]:
    """The page's characters with only the keys word grouping reads, and its other objects.

    pdfplumber's ``page.chars`` turns every character into a dict of some twenty
    resolved attributes (colours, font, matrix, marked content), which costs more
    than pdfminer's own reading of the page; words need eight of them. The
    coordinates are computed exactly as ``Page.process_object`` does. Shapes and
    images are few and go through pdfplumber unchanged.
    """
    height, (mb_x0, mb_top) = page.height, page.mediabox[:2]
    doctop = page.initial_doctop
    chars: list[dict] = []
    shapes: defaultdict[str, list[dict]] = defaultdict(list)
    pending = [iter(page.layout._objs)]
    while pending:
        for obj in pending[-1]:
            if isinstance(obj, LTChar):
                top = (height - obj.y1) + mb_top
                chars.append({"text": obj.get_text(), "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0,
                              "top": top, "bottom": (height - obj.y0) + mb_top,
                              "doctop": doctop + top, "upright": obj.upright, "size": obj.size,
                              "fontname": obj.fontname})
            elif isinstance(obj, LTContainer):  # a form or figure: its objects, in order
                pending.append(iter(obj._objs))
                break
            else:
                shape = page.process_object(obj)
                shapes[shape["object_type"]].append(shape)
        else:
            pending.pop()
    return _without_overprints(chars), shapes


def _without_overprints(chars: list[dict]) -> list[dict]:
    """The characters less the copies that draw one glyph again at (almost) its own place.

    Printers fake bold by drawing every glyph two to four times a fraction of a point
    apart; read as they are, "Item" becomes "IIIttteeemmm" and no label or header
    matches. pdfplumber's ``dedupe_chars`` does this, but with one tolerance for the
    page (a small font's real "ll" is closer than a large font's overprint) and in
    quadratic time. A copy is the same glyph in the same font and size whose corner
    lies within a fraction of the font size of a kept one; the narrowest real
    neighbours ("ll", "ii") stand about a fifth of the size apart.
    """
    if not _steps_back(chars):
        return chars
    kept: list[dict] = []
    # Kept glyphs by cells twice the tolerance wide: a copy lies in the same cell or in
    # the neighbour on the side of the cell the glyph falls in, so four cells are looked
    # at. Written for speed: this runs for every character of every page.
    seen: dict[tuple, list[dict]] = {}
    for char in chars:
        size = char["size"] if char["size"] > 1.0 else 1.0  # 0 in broken files
        tolerance = _OVERPRINT * size
        gx, gy = char["x0"] / (2 * tolerance), char["top"] / (2 * tolerance)
        cx, cy = int(gx), int(gy)
        key = (char["text"], char["fontname"], size)
        cells = (cx, cx + 1 if gx - cx >= 0.5 else cx - 1), (cy, cy + 1 if gy - cy >= 0.5 else cy - 1)
        if not _has_copy(seen, key, cells, char, tolerance):
            seen.setdefault((key, cx, cy), []).append(char)
            kept.append(char)
    return kept


def _steps_back(chars: list[dict]) -> bool:
    """Whether a glyph is drawn back over the one before it on its line: overprinting
    does that, ordinary text does not, so most pages skip the search for copies."""
    last_x0, last_top = float("-inf"), float("-inf")
    for char in chars:
        x0, top, tolerance = char["x0"], char["top"], _OVERPRINT * char["size"]
        if x0 <= last_x0 + tolerance and -tolerance <= top - last_top <= tolerance:
            return True
        last_x0, last_top = x0, top
    return False


def _has_copy(seen: dict[tuple, list[dict]], key: tuple, cells: tuple[tuple[int, int], tuple[int, int]],
              char: dict, tolerance: float) -> bool:
    for x in cells[0]:
        for y in cells[1]:
            for other in seen.get((key, x, y), ()):
                if (abs(other["x0"] - char["x0"]) <= tolerance
                        and abs(other["top"] - char["top"]) <= tolerance):
                    return True
    return False


def _cluster_lines(words: list[Word], page: int) -> list[Line]:
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if rows and abs(word.top - rows[-1][0].top) <= _LINE_TOLERANCE:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [Line(page, number, tuple(sorted(row, key=lambda w: w.x0))) for number, row in enumerate(rows, 1)]


def _rules(strokes: list[dict]) -> list[Rule]:
    rules: list[Rule] = []
    for obj in strokes:
        x0, x1, top, bottom = (float(obj[key]) for key in ("x0", "x1", "top", "bottom"))
        if x1 - x0 < 20:
            continue
        rules.append(Rule(top, x0, x1))
        if bottom - top > 2:
            rules.append(Rule(bottom, x0, x1))
    return rules


def _verticals(strokes: list[dict]) -> list[Edge]:
    edges: list[Edge] = []
    for obj in strokes:
        x0, x1, top, bottom = (float(obj[key]) for key in ("x0", "x1", "top", "bottom"))
        if bottom - top < 4:
            continue
        edges.append(Edge(x0, top, bottom))
        if x1 - x0 > 2:
            edges.append(Edge(x1, top, bottom))
    return edges


# ====================================================================== document


@dataclass
class Document:
    """The pages plus what is decided once for the whole document."""

    pages: list[Page]
    used: set[Segment] = field(default_factory=set)
    stray_items: list[Line] = field(default_factory=list)
    body_size: float = 10.0
    language: str | None = None
    day_first: bool | None = None
    decimal_comma: bool | None = None
    decimal_settled: bool = False  # the document's own numbers showed its decimal mark
    titles: list[str] | None = None
    us_context: bool = False

    def __post_init__(self) -> None:
        sizes = [w.size for line in self.lines() for w in line.words for _ in w.text]
        self.body_size = statistics.median(sizes) if sizes else 10.0
        self.language = _language(self)
        self.us_context = _us_context(self)
        self.day_first = _day_first(self)

    def lines(self) -> Iterator[Line]:
        for page in self.pages:
            yield from page.lines

    def page(self, number: int) -> Page:
        return self.pages[number - 1]

    @cached_property
    def page_body_sizes(self) -> list[float]:
        """Each page's own body size: pages of terms in small print do not make the front
        page's ordinary labels look like titles."""
        sizes = [[w.size for line in page.lines for w in line.words for _ in w.text] for page in self.pages]
        return [statistics.median(found) if found else self.body_size for found in sizes]

    def chars(self) -> int:
        return sum(len(word.text) for line in self.lines() for word in line.words)

    def use(self, segments: Iterable[Segment]) -> None:
        self.used.update(segments)

    def use_line(self, line: Line) -> None:
        self.used.update(line.segments)

    def free_segments(self, line: Line) -> list[Segment]:
        return [segment for segment in line.segments if segment not in self.used]


# ================================================================ interpretation


def _interpret(doc: Document) -> ParseResult:
    chars = doc.chars()
    if chars < MIN_TEXT_CHARS:
        if chars and not any(page.images or page.graphics for page in doc.pages):
            return ParseResult(not_an_order="no order content found (only a word or two of text)")
        return ParseResult(orders=[_no_text_layer()])
    kind = _document_type(doc)
    if kind:
        return ParseResult(not_an_order=kind)
    order = _read_order(doc)
    if order.po_number is None and not order.lines and not _titled_order(doc):
        return ParseResult(not_an_order="no order content found (no PO number and no item table)")
    return ParseResult(orders=[order])


def _no_text_layer() -> OrderDraft:
    return OrderDraft(format="pdf", uncertain=["the PDF has no text layer (scanned?): a person must key it"])


def _read_order(doc: Document) -> OrderDraft:
    order = OrderDraft(format="pdf", language=doc.language or "")
    tables = _find_tables(doc)
    doc.decimal_comma = _decimal_comma(doc, tables)
    order.lines = _items(doc, tables, order.uncertain)
    _read_blocks(doc, order)
    _read_labels(doc, order)
    order.currency = order.currency or _currency(doc, tables) or _named_currency(doc, order)
    order.sender_email = _buyer_email(doc)
    order.customer_name = order.customer_name or _prominent_name(doc)
    order.unexplained = _unexplained(doc)
    order.uncertain += _unread_dates(doc, order)
    order.stated_totals = [read(amount, _evidence(line)) for line in doc.lines() if _is_totals_line(line)
                           and (amount := stated_amount(line.text, decimal_comma=doc.decimal_comma))
                           is not None]
    order.kind = _document_revision(doc)
    if order.kind is not DocumentKind.ORDER:
        order.references_po = order.po_number
    _check_order(order)
    return order


def _check_order(order: OrderDraft) -> None:
    if order.po_number is None and not any("PO number" in entry for entry in order.uncertain):
        order.uncertain.append("PO number missing")
    if not order.lines:
        order.uncertain.append("no item table could be read")
    for number, line in enumerate(order.lines, 1):
        said = any(entry.startswith(f"line {number}: quantity") for entry in order.uncertain)
        if line.quantity is None and not said:
            order.uncertain.append(f"line {number}: quantity missing")
        if not line.has_product_identifier():
            order.uncertain.append(f"line {number}: product identifier missing")


# ================================================================ document type

#: What a document is, by the words its title uses. Phrases that contain an order
#: word come first: an "order confirmation" is no order, a "purchase order" is.
_NON_ORDER_PHRASES: tuple[tuple[str, str], ...] = (
    *((p, "an order confirmation") for p in (
        "order confirmation", "confirmation of order", "auftragsbestätigung", "bestellbestätigung",
        "confirmation de commande", "accusé de réception de commande", "ordrebekræftelse",
        "orderbevestiging", "opdrachtbevestiging", "sales order confirmation")),
    *((p, "a trade confirmation") for p in ("trade confirmation", "confirmation of trade")),
)
_NON_ORDER_WORDS: tuple[tuple[str, str], ...] = (
    *((p, "a credit note") for p in (
        "credit note", "credit memo", "gutschrift", "avoir", "kreditnota", "creditnota")),
    *((p, "an invoice") for p in (
        "invoice", "tax invoice", "rechnung", "facture", "faktura", "factuur", "proforma")),
    *((p, "a statement") for p in (
        "statement", "statement of account", "kontoauszug", "relevé", "relevé de compte", "kontoudtog",
        "rekeningoverzicht")),
    *((p, "a delivery note") for p in (
        "delivery note", "packing slip", "packing list", "lieferschein", "bon de livraison",
        "følgeseddel", "pakbon", "afleverbon")),
    *((p, "a quotation") for p in (
        "quotation", "quote", "angebot", "devis", "tilbud", "offerte")),
    *((p, "a newsletter") for p in ("newsletter", "nieuwsbrief", "nyhedsbrev")),
    *((p, "a request for quotation") for p in (
        "request for quotation", "rfq", "anfrage", "preisanfrage", "demande de prix", "demande de devis",
        "prisforespørgsel", "forespørgsel", "offerteaanvraag", "prijsaanvraag")),
    *((p, "a price list") for p in (
        "price list", "preisliste", "liste de prix", "tarif", "prisliste", "prijslijst")),
    *((p, "a confirmation") for p in ("confirmation", "bestätigung", "bekræftelse", "bevestiging")),
    *((p, "a payment advice") for p in ("remittance advice", "zahlungsavis", "avis de paiement")),
    *((p, "a payment reminder") for p in ("payment reminder", "mahnung", "rykker", "betalingsherinnering")),
)
_ORDER_WORDS = (
    "purchase order", "order", "po", "bestellung", "auftrag", "bon de commande", "commande",
    "indkøbsordre", "bestilling", "ordre", "inkooporder", "bestelling", "bestelbon",
)
#: Titles of documents that change or cancel an order sent before.
_REVISION_PHRASES: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.CANCEL: (
        "cancellation", "order cancellation", "cancelled", "canceled", "storno", "stornierung",
        "annulation", "annulation de commande", "annullering", "annulering", "geannuleerd",
    ),
    DocumentKind.CHANGE: (
        "change order", "order change", "purchase order change", "po change", "amendment",
        "amended purchase order", "revised purchase order", "revised order",
        "bestelländerung", "änderung", "auftragsänderung", "geänderte bestellung",
        "modification de commande", "commande modifiée", "avenant", "ordreændring", "ændring",
        "ændret ordre", "wijziging", "orderwijziging", "gewijzigde bestelling",
    ),
}
# How much larger than the body text a title is.
_PROMINENT = 1.25
# A title-like line: the document type alone or followed by its number.
_TITLE_TAIL = re.compile(
    r"^\s*(?:(?:no|nr|n°|nº|#|number|nummer|numéro)\.?\s*:?\s*)?(?:[\w/.-]*\d[\w/.-]*)?\s*$"
)


def _document_type(doc: Document) -> str:
    """What the document says it is, when that is not an order; "" otherwise.

    A title proper ("INVOICE", "Purchase Order No. 4711") outweighs a large company
    name that merely contains such a word ("Mail Order Supplies Ltd").
    """
    texts = _title_texts(doc)
    for text in [t for t in texts if _title_like(t)] + texts:
        kind = _kind_of(text)
        if kind is not None:
            return kind
    return ""


def _kind_of(text: str) -> str | None:
    """"" for an order, a description for anything else, None when it does not say."""
    folded = fold(text)
    found = _NON_ORDER_COMPOUNDS[0].search(folded)
    if found:
        return f"the document is {_NON_ORDER_COMPOUNDS[1][found.group(0)]} ({text.strip()!r})"
    if _ORDER_PATTERN.search(folded):
        return ""
    found = _NON_ORDER_SIMPLE[0].search(folded)
    if found:
        return f"the document is {_NON_ORDER_SIMPLE[1][found.group(0)]} ({text.strip()!r})"
    return None


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex finding any of ``phrases`` as whole words in folded text."""
    folded = sorted({fold(phrase) for phrase in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(phrase) for phrase in folded) + r")(?!\w)")


def _phrase_map(pairs: Iterable[tuple[str, str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    table = {fold(phrase): what for phrase, what in pairs}
    return _phrase_pattern(table), table


_NON_ORDER_COMPOUNDS = _phrase_map(_NON_ORDER_PHRASES)
_NON_ORDER_SIMPLE = _phrase_map(_NON_ORDER_WORDS)
_ORDER_PATTERN = _phrase_pattern(_ORDER_WORDS)


def _title_texts(doc: Document) -> list[str]:
    if doc.titles is None:
        doc.titles = _find_titles(doc)
    return doc.titles


def _find_titles(doc: Document) -> list[str]:
    """Prominent segments of the first page (largest first), then title-like lines."""
    page = doc.pages[0]
    top = [s for line in page.lines if line.top < page.height * 0.45 for s in line.segments]
    prominent = [s for s in top if _segment_size(s) >= doc.body_size * _PROMINENT]
    prominent.sort(key=lambda s: (-_segment_size(s), s.words[0].top))
    upper = [s for s in top if s.words[0].top < page.height * 0.35 and _title_like(s.text)]
    return [s.text for s in prominent] + [s.text for s in upper]


def _segment_size(segment: Segment) -> float:
    return max(word.size for word in segment.words)


def _title_like(text: str) -> bool:
    """A document type alone or followed by its number: "Invoice 2025-118", "Bestellung"."""
    words = text.split()
    if not words or len(words) > 5:
        return False
    for cut in range(min(3, len(words)), 0, -1):
        head = " ".join(words[:cut])
        named = _kind_of(head) is not None or _revision_of(head) is not None
        if named and _TITLE_TAIL.match(" ".join(words[cut:])):
            return True
    return False


def _revision_of(text: str) -> DocumentKind | None:
    """CHANGE or CANCEL when a title says the document amends or cancels an order."""
    folded = fold(text)
    return next((kind for kind, pattern in _REVISION_PATTERNS.items() if pattern.search(folded)), None)


_REVISION_PATTERNS = {kind: _phrase_pattern(phrases) for kind, phrases in _REVISION_PHRASES.items()}


def _document_revision(doc: Document) -> DocumentKind:
    for text in _title_texts(doc):
        kind = _revision_of(text)
        if kind is not None:
            return kind
    return DocumentKind.ORDER


def _titled_order(doc: Document) -> bool:
    return any(_kind_of(text) == "" for text in _title_texts(doc))


# ============================================================ language and dates

_LANGUAGE_MARKERS: dict[str, frozenset[str]] = {
    code: frozenset(fold(word) for word in words.split())
    for code, words in {
        "en": "the and of to for please order date total price quantity qty description delivery "
              "ship item unit purchase terms amount each",
        "de": "und der die das mit für bitte bestellung menge preis datum lieferung lieferadresse "
              "bezeichnung einheit gesamt summe einzelpreis liefertermin artikel stück",
        "fr": "le la les et des du pour commande prix quantité qté livraison désignation montant "
              "unitaire adresse merci veuillez",
        "da": "og til af med venligst bestilling antal pris levering dato beskrivelse enhed beløb "
              "alt leveringsadresse varenr stk",
        "nl": "het en van voor graag bestelling aantal prijs levering datum omschrijving eenheid "
              "bedrag totaal afleveradres",
    }.items()
}


def _language(doc: Document) -> str | None:
    tokens = [token for line in doc.lines() for token in re.findall(r"[^\W\d_]+", fold(line.text))]
    scores = {code: sum(token in markers for token in tokens) for code, markers in _LANGUAGE_MARKERS.items()}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best, second = ranked[0], ranked[1]
    if best[1] >= 3 and best[1] > second[1] * 1.3:
        return best[0]
    return None


_US_ADDRESS = re.compile(r"\b[A-Z][a-zA-Z .'-]+,\s+([A-Z]{2})\s+\d{5}(?:-\d{4})?\b")


def _us_context(doc: Document) -> bool:
    """Dollars and a US address ("Redmond, WA 98052"), or US dollars by name."""
    text = "\n".join(line.text for line in doc.lines())
    if re.search(r"\bUSD\b|US\$", text):
        return True
    states = {found.group(1) for found in _US_ADDRESS.finditer(text)}
    return "$" in text and bool(states & addr.US_STATES)


_NUMERIC_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _day_first(doc: Document) -> bool | None:
    """Day-first for numeric dates: the document's own dates, then its language."""
    tokens = [word.text.strip(".,;:()") for line in doc.lines() for word in line.words]
    votes = guess_day_first(token for token in tokens if _NUMERIC_DATE.fullmatch(token))
    if votes is not None:
        return votes
    if doc.language in ("de", "fr", "da", "nl"):
        return True
    if doc.language == "en" and doc.us_context:
        return False
    text = "\n".join(line.text for line in doc.lines())
    if doc.language == "en" and re.search(r"[£€]|\b(GBP|EUR)\b", text):
        return True
    return None


# Words that may stand before a date without being part of a longer label ("Day 15.03.").
_DATE_LEADS = frozenset(fold(w) for w in (
    "day", "tag", "den", "le", "the", "on", "am", "op", "vom", "du", "per", "by", "bis", "until",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag", "dienstag",
    "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi",
    "vendredi", "samedi", "dimanche", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag",
    "søndag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
))


def _read_date(text: str, doc: Document) -> tuple[date, float] | None:
    """(date, confidence) from the start of ``text``: 1.0 when it reads only one way."""
    words = text.split()
    starts = [0, 1] if words and fold(words[0]).strip(".:,") in _DATE_LEADS else [0]
    for start, cut in ((start, cut) for start in starts for cut in range(4, 0, -1)):
        candidate = " ".join(words[start:start + cut]).strip(",;")
        value, ambiguous = parse_date(candidate)
        if value is None:
            continue
        if not ambiguous:
            return value, SURE
        if doc.day_first is None:
            return value, 0.6
        resolved, _ = parse_date(candidate, day_first=doc.day_first)
        return (resolved, 0.9) if resolved else None
    return None


# ================================================================== item tables


@dataclass(frozen=True)
class Column:
    role: str | None  # None: a column we do not read (tax, discount …)
    text: str
    x0: float
    x1: float


@dataclass
class Entry:
    """One line below a table header: an item, wrapped text, or something else."""

    kind: str  # "item", "text" or "other"
    line: Line
    cells: dict[int, list[Word]]


@dataclass
class Table:
    page: int
    columns: list[Column]
    header: list[Line]
    confidence: float
    entries: list[Entry] = field(default_factory=list)
    closed: bool = False  # ended by a totals row: item-like rows below it are suspicious

    def roles(self) -> set[str]:
        return {column.role for column in self.columns if column.role}

    @cached_property
    def where(self) -> dict[str, list[int]]:
        """Role -> indices of its columns."""
        found: dict[str, list[int]] = {}
        for index, column in enumerate(self.columns):
            if column.role:
                found.setdefault(column.role, []).append(index)
        return found

    def text(self, entry: Entry, role: str) -> str:
        return " ".join(w.text for w in sorted(self.words(entry, role), key=lambda w: w.x0)).strip()

    def words(self, entry: Entry, role: str) -> list[Word]:
        return [w for index in self.where.get(role, ()) for w in entry.cells.get(index, ())]


#: Headers that name an article column loosely and, beside a real one, count positions.
_POSITION_WORDS = frozenset(("item", "item no", "pos", "position", "line", "ln"))
_YOUR_WORDS = ("your", "ihre", "ihr", "votre", "vos", "jeres", "deres", "uw", "supplier", "vendor",
               "lieferant", "fournisseur", "leverandør", "leverancier")
_YOUR_PATTERN = _phrase_pattern(_YOUR_WORDS)
_PAGE_NUMBER = re.compile(
    r"\b(page|seite|side|pagina|blatt)\s*\d+\s*(of|von|sur|af|van|/)\s*\d+", re.IGNORECASE
)


def _find_tables(doc: Document) -> list[Table]:
    tables: list[Table] = []
    for page in doc.pages:
        last = tables[-1] if tables else None
        start = 0
        # A page without a header may carry on the last table, even after a subtotal:
        # silently dropping a page of items would be worse than reading it with doubt.
        if last is not None and not any(_header_at(page.lines, i) for i in range(len(page.lines))):
            start = _continue_table(doc, page, last, tables)
        _tables_on_page(doc, page, start, tables)
    return tables


def _tables_on_page(doc: Document, page: Page, start: int, tables: list[Table]) -> None:
    index = start
    closed: Table | None = None
    while index < len(page.lines):
        found = _header_at(page.lines, index)
        if found is None:
            if closed is not None:
                _flag_stray_item(doc, closed, page.lines[index])
            index += 1
            continue
        columns, header, confidence = found
        bounded = _bounded(columns, header, page)
        table = Table(page.number, bounded or columns, header, confidence)
        index = _read_rows(doc, page, index + len(header), table)
        if bounded is None:
            _refine_table(table)
        tables.append(table)
        closed = table if table.closed else None


def _continue_table(doc: Document, page: Page, last: Table, tables: list[Table]) -> int:
    """Item rows at the top of a page without a header, in the last table's layout."""
    for index, line in enumerate(page.lines):
        if line.top > page.height / 2:
            break
        if _entry(line, last.columns).kind == "item":
            table = Table(page.number, last.columns, [], POSITIONAL)
            tables.append(table)
            return _read_rows(doc, page, index, table)
    return 0


def _read_rows(doc: Document, page: Page, index: int, table: Table) -> int:
    """Entries below a header until a totals row, a gap, a footer or a new header."""
    previous = table.header[-1] if table.header else None
    pitches: list[float] = []
    while index < len(page.lines):
        line = page.lines[index]
        if _ends_table(page, line) or _header_at(page.lines, index) is not None:
            table.closed = _is_totals_line(line)
            return index
        entry = _entry(line, table.columns)
        gap = line.top - previous.top if previous else 0.0
        if previous is not None and entry.kind != "item" and gap > _gap_limit(line, pitches, table):
            return index
        if entry.kind == "other" and _spans_columns(line, table.columns):
            return index
        table.entries.append(entry)
        pitches.append(gap)
        previous = line
        index += 1
    return index


def _gap_limit(line: Line, pitches: list[float], table: Table) -> float:
    if not table.entries:
        return 4.0 * line.size
    typical = statistics.median(pitches[1:]) if len(pitches) > 1 else 1.6 * line.size
    return max(2.5 * line.size, 2.0 * typical)


def _ends_table(page: Page, line: Line) -> bool:
    if _is_totals_line(line):
        return True
    return line.top > page.height * 0.94 or _PAGE_NUMBER.search(line.text) is not None


def _is_totals_line(line: Line) -> bool:
    return line.totals


def _spans_columns(line: Line, columns: list[Column]) -> bool:
    """A paragraph running across the table, not a cell."""
    return any(sum(_overlap(s.x0, s.x1, c) > 0 for c in columns) >= 3 and len(s.words) >= 5
               for s in line.segments)


def _flag_stray_item(doc: Document, table: Table, line: Line) -> None:
    """A row with a quantity and a product below the totals: a second table we cannot place."""
    if _is_totals_line(line) or _PAGE_NUMBER.search(line.text):
        return
    entry = _entry(line, table.columns)
    has_product = table.text(entry, "sku") or table.text(entry, "description") or table.text(entry, "gtin")
    if entry.kind == "item" and re.search(r"\d", table.text(entry, "quantity")) and has_product:
        doc.stray_items.append(line)


# --------------------------------------------------------------------- headers


def _bounded(columns: list[Column], header: list[Line], page: Page) -> list[Column] | None:
    """Widen each column to the cell borders around its header; None without borders."""
    middle = (header[0].top + header[-1].bottom) / 2
    edges = sorted({edge.x for edge in page.verticals if edge.top - 1 <= middle <= edge.bottom + 1})
    if len(edges) < 2:
        return None
    result = []
    for column in columns:
        left = max((x for x in edges if x <= column.x0 + 1), default=None)
        right = min((x for x in edges if x >= column.x1 - 1), default=None)
        centres = [(other.x0 + other.x1) / 2 for other in columns if other is not column]
        if left is None or right is None or any(left < centre < right for centre in centres):
            result.append(column)
        else:
            result.append(Column(column.role, column.text, left, right))
    return result


def _header_at(lines: list[Line], index: int) -> tuple[list[Column], list[Line], float] | None:
    line = lines[index]
    single = _header_columns([line])
    pair = None
    if index + 1 < len(lines) and _wrapped_header_line(line, lines[index + 1]):
        pair = _header_columns([line, lines[index + 1]])
    if pair is not None and (single is None or _recognised(pair[0]) > _recognised(single[0])):
        return pair[0], [line, lines[index + 1]], pair[1]
    return (single[0], [line], single[1]) if single is not None else None


def _wrapped_header_line(line: Line, below: Line) -> bool:
    return below.top - line.bottom <= 0.8 * line.size and not re.search(r"\d", below.text)


def _recognised(columns: list[Column]) -> int:
    return sum(column.role is not None for column in columns)


def _header_columns(lines: list[Line]) -> tuple[list[Column], float] | None:
    if len(lines[0].words) > 25 or len(re.findall(r"\d", lines[0].text)) > 3:
        return None
    pieces = _pieces(lines[0])
    for below in lines[1:]:
        pieces = _merge_pieces(pieces, _pieces(below))
    columns = [_column(words) for words in pieces]
    roles = [column.role for column in columns if column.role]
    if "quantity" not in roles or not set(roles) & set(_IDENTIFIERS) or len(roles) < 2:
        return None
    if len(roles) * 2 < len(columns):
        return None
    return _resolve_duplicates(columns)


@lru_cache(maxsize=4096)
def _header_role(text: str) -> tuple[str | None, bool]:
    # Header detection runs on every line of a long table; the same texts recur.
    return match_header_ex(text)


def _column(words: list[Word]) -> Column:
    text = " ".join(w.text for w in words)
    role, _ = _header_role(text)
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    return Column(role if role in _ITEM_ROLES else None, text, x0, x1)


def _pieces(line: Line) -> list[list[Word]]:
    """Header cells of one line: its segments, split where known headers abut."""
    pieces: list[list[Word]] = []
    for segment in line.segments:
        pieces.extend(_split_header(list(segment.words)))
    return pieces


def _split_header(words: list[Word]) -> list[list[Word]]:
    if len(words) == 1 or _header_role(" ".join(w.text for w in words))[1]:
        return [words]
    parts: list[list[Word]] = []
    start = 0
    while start < len(words):
        end = next((e for e in range(min(len(words), start + 4), start, -1)
                    if _header_role(" ".join(w.text for w in words[start:e]))[1]), None)
        if end is None:
            return [words]
        parts.append(words[start:end])
        start = end
    return parts


def _merge_pieces(upper: list[list[Word]], lower: list[list[Word]]) -> list[list[Word]]:
    merged = [list(piece) for piece in upper]
    claims: dict[int, int] = {}
    targets: list[int | None] = []
    for piece in lower:
        overlaps = [(_span_overlap(piece, other), i) for i, other in enumerate(upper)]
        best = max(overlaps, default=(0.0, -1))
        targets.append(best[1] if best[0] > 0 else None)
        if best[0] > 0:
            claims[best[1]] = claims.get(best[1], 0) + 1
    for piece, target in zip(lower, targets, strict=True):
        if target is not None and claims[target] == 1:
            merged[target] = merged[target] + piece
        else:
            merged.append(piece)
    # An upper piece spanning several lower ones is a group title, not a column.
    keep = [piece for i, piece in enumerate(merged) if claims.get(i, 0) < 2]
    return sorted(keep, key=lambda piece: min(w.x0 for w in piece))


def _span_overlap(a: list[Word], b: list[Word]) -> float:
    return min(a[-1].x1, b[-1].x1) - max(a[0].x0, b[0].x0)


def _resolve_duplicates(columns: list[Column]) -> tuple[list[Column], float]:
    """Two article-number columns: the one qualified "your" is ours, the other the buyer's."""
    confidence = SURE
    skus = [i for i, c in enumerate(columns) if c.role == "sku"]
    positions = [i for i in skus if fold(columns[i].text).strip(" .#:") in _POSITION_WORDS]
    if len(skus) > 1 and len(positions) == 1 and "line_number" not in {c.role for c in columns}:
        columns = [_with_role(c, "line_number") if i in positions else c for i, c in enumerate(columns)]
        skus = [i for i in skus if i not in positions]
    if len(skus) > 1 and "customer_part_number" not in {c.role for c in columns}:
        yours = [i for i in skus if _YOUR_PATTERN.search(fold(columns[i].text))]
        if len(yours) == 1:
            columns = [_with_role(c, "customer_part_number") if i in skus and i not in yours else c
                       for i, c in enumerate(columns)]
    seen: set[str] = set()
    result = []
    for column in columns:
        if column.role in seen and column.role != "description":
            confidence = POSITIONAL  # two quantity (or price …) columns: which one counts is unclear
            column = _with_role(column, None)
        seen.add(column.role or "")
        result.append(column)
    return result, confidence


def _with_role(column: Column, role: str | None) -> Column:
    return Column(role, column.text, column.x0, column.x1)


# ------------------------------------------------------------------- body layout


def _refine_table(table: Table) -> None:
    """Columns from where the rows' text actually stands, then the rows read again.

    Headers are often centred over left- or right-aligned values; without cell
    borders, the white vertical gutters between the values are the column edges.
    """
    if not table.entries:
        return
    table.columns = _refine(table.columns, [entry.line for entry in table.entries])
    table.__dict__.pop("where", None)
    table.entries = [_entry(entry.line, table.columns) for entry in table.entries]


def _refine(columns: list[Column], lines: list[Line]) -> list[Column]:
    runs = [(run[0].x0, run[-1].x1) for line in lines for run in _runs(line.words)]
    spans: dict[int, list[tuple[float, float]]] = {}
    orphans: list[tuple[float, float]] = []
    for x0, x1 in _blocks(runs, len(lines)):
        hits = [i for i, column in enumerate(columns) if _overlap(x0, x1, column) > 0]
        for index, span in _split_block(x0, x1, hits, columns):
            spans.setdefault(index, []).append(span)
        if not hits:
            orphans.append((x0, x1))
    extra: list[Column] = []
    for x0, x1 in orphans:
        owner = _orphan_owner(x0, x1, columns, spans)
        if owner is None:
            extra.append(Column(None, "", x0, x1))  # values under no header join no neighbour
        else:
            spans[owner] = [(x0, x1)]
    return [_widened(column, spans.get(i, [])) for i, column in enumerate(columns)] + extra


def _orphan_owner(x0: float, x1: float, columns: list[Column],
                  spans: dict[int, list[tuple[float, float]]]) -> int | None:
    """The header a block of values belongs to when it overlaps none (a centred header).

    The nearest header still without values, provided the columns keep their
    left-to-right order.
    """
    centre = (x0 + x1) / 2
    free = [i for i in range(len(columns)) if i not in spans]
    for index in sorted(free, key=lambda i: abs((columns[i].x0 + columns[i].x1) / 2 - centre)):
        mid = (columns[index].x0 + columns[index].x1) / 2
        if all(_keeps_order(columns[other], taken, mid, x0, x1) for other, taken in spans.items()):
            return index
        return None
    return None


def _keeps_order(other: Column, taken: list[tuple[float, float]], mid: float, x0: float, x1: float) -> bool:
    if (other.x0 + other.x1) / 2 < mid:
        return all(span[1] <= x0 + 1 for span in taken)
    return all(span[0] >= x1 - 1 for span in taken)


def _blocks(runs: list[tuple[float, float]], lines: int) -> list[tuple[float, float]]:
    """Stretches of x covered by the rows' phrases, split at empty vertical gutters.

    In a longer table a gutter may be crossed by an odd overflowing phrase.
    """
    allowed = 0 if lines < 5 else lines // 10
    events = sorted([(x0, 1) for x0, _ in runs] + [(x1, -1) for _, x1 in runs])
    blocks: list[tuple[float, float]] = []
    depth, start = 0, 0.0
    for x, step in events:
        before, depth = depth, depth + step
        if before <= allowed < depth:
            start = x
        elif depth <= allowed < before and x > start:
            blocks.append((start, x))
    return blocks


def _split_block(x0: float, x1: float, hits: list[int],
                 columns: list[Column]) -> list[tuple[int, tuple[float, float]]]:
    """A block under several headers is divided halfway between neighbouring headers."""
    parts = []
    for k, index in enumerate(hits):
        left = x0 if k == 0 else (columns[hits[k - 1]].x1 + columns[index].x0) / 2
        right = x1 if k == len(hits) - 1 else (columns[index].x1 + columns[hits[k + 1]].x0) / 2
        parts.append((index, (left, right)))
    return parts


def _widened(column: Column, spans: list[tuple[float, float]]) -> Column:
    if not spans:
        return column
    x0 = min([column.x0, *(span[0] for span in spans)])
    x1 = max([column.x1, *(span[1] for span in spans)])
    return Column(column.role, column.text, x0, x1)


# ------------------------------------------------------------------------ rows


def _overlap(x0: float, x1: float, column: Column) -> float:
    return min(x1, column.x1) - max(x0, column.x0)


def _entry(line: Line, columns: list[Column]) -> Entry:
    cells = _assign(line, columns, _overlaps(line, columns))
    return Entry(_kind(cells, columns), line, cells)


def _overlaps(line: Line, columns: list[Column]) -> dict[int, list[float]]:
    """Each word's overlap with each column (negative: the distance to it)."""
    bounds = [(column.x0, column.x1) for column in columns]
    # min()/max() written out: this runs for every word against every column of
    # every row, and the builtins' call overhead was a fifth of reading a table.
    return {id(w): [(x1 if x1 < w.x1 else w.x1) - (x0 if x0 > w.x0 else w.x0) for x0, x1 in bounds]
            for w in line.words}


def _straddles(line: Line, columns: list[Column]) -> bool:
    """A word reaching well into two columns: two values printed without a gap."""
    overlaps = _overlaps(line, columns)
    for word in line.words:
        share = 0.25 * (word.x1 - word.x0)
        if share > 0 and sum(overlap >= share for overlap in overlaps[id(word)]) >= 2:
            return True
    return False


def _assign(line: Line, columns: list[Column], overlaps: dict[int, list[float]]) -> dict[int, list[Word]]:
    """Words to columns: by overlap with a column, else with the words they are spaced with."""
    cells: dict[int, list[Word]] = {}
    for run in _runs(line.words):
        for word, target in zip(run, _run_targets(run, columns, overlaps), strict=True):
            cells.setdefault(target, []).append(word)
    return cells


def _runs(words: Sequence[Word]) -> list[list[Word]]:
    """Words joined by ordinary spaces: one phrase, so one cell."""
    runs: list[list[Word]] = []
    for word in words:
        if runs and word.x0 - runs[-1][-1].x1 <= _SPACE * word.size:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _run_targets(run: list[Word], columns: list[Column], overlaps: dict[int, list[float]]) -> list[int]:
    hits = [_best_of(overlaps[id(word)]) for word in run]
    known = {hit for hit in hits if hit is not None}
    if not known:
        return [_nearest(run[0].x0, run[-1].x1, columns)] * len(run)
    if len(known) == 1:
        return [known.pop()] * len(run)
    targets: list[int] = []
    current = next(hit for hit in hits if hit is not None)
    for hit in hits:
        current = hit if hit is not None else current
        targets.append(current)
    return targets


def _best_of(overlaps: list[float]) -> int | None:
    best = max(range(len(overlaps)), key=overlaps.__getitem__)
    return best if overlaps[best] > 0 else None


def _nearest(x0: float, x1: float, columns: list[Column]) -> int:
    """The column overlapping most, or (all overlaps negative) the closest one."""
    best, best_overlap = 0, float("-inf")
    for index, column in enumerate(columns):
        overlap = min(x1, column.x1) - max(x0, column.x0)
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    return best


def _kind(cells: dict[int, list[Word]], columns: list[Column]) -> str:
    filled = {columns[i].role for i, words in cells.items() if words}
    quantity = " ".join(w.text for i, ws in cells.items() if columns[i].role == "quantity" for w in ws)
    # A note row under an item ("NOTE:   Date Required 12/22/2020") is no item of its own:
    # a label is no article number, and a date where an amount stands is no price.
    ids = {columns[i].role for i, words in cells.items()
           if columns[i].role in ("sku", "customer_part_number", "gtin") and not _label_cell(words)}
    money = {columns[i].role for i, words in cells.items()
             if columns[i].role in ("unit_price", "line_total") and not _dates_only(words)}
    if _prose_in_amounts(cells, columns):
        return "other"  # terms and conditions running across the table's columns
    if re.search(r"\d", quantity) and (ids or "description" in filled or money):
        return "item"
    if ids and money:
        return "item"
    if filled and filled <= {"sku", "customer_part_number", "gtin", "description", None}:
        return "text"
    return "other"


def _label_cell(words: list[Word]) -> bool:
    return bool(words) and words[-1].text.endswith(":") and not any(re.search(r"\d", w.text) for w in words)


def _dates_only(words: list[Word]) -> bool:
    numbers = [w for w in words if re.search(r"\d", w.text)]
    return bool(numbers) and all(parse_date(w.text)[0] is not None for w in numbers)


def _prose_in_amounts(cells: dict[int, list[Word]], columns: list[Column]) -> bool:
    """A quantity or price cell holding a phrase ("on the face of this"): prose, not an item."""
    for index, words in cells.items():
        if columns[index].role in ("quantity", "unit_price", "line_total"):
            letters = [w for w in words if re.fullmatch(r"[^\W\d_]{2,}[,.;:)]?", w.text)]
            if len(letters) >= 3 and not any(re.search(r"\d", w.text) for w in words):
                return True
    return False


# ========================================================================= items


_AMOUNT_ROLES = ("quantity", "unit_price", "price_per", "line_total")
#: Units counted in whole numbers: "1.500" of them cannot be one and a half.
_COUNTED_UNITS = frozenset(("BDL", "BG", "BOT", "BX", "CAN", "CS", "DR", "DZN", "EA", "PAL", "PK", "PR",
                            "ROL", "SET", "TUB"))


def _decimal_comma(doc: Document, tables: list[Table]) -> bool | None:
    """The document's decimal mark, judged from every amount in its tables and totals.

    Only the document's own numbers settle it; its language merely breaks the tie
    for parsing, and then a number like "1.000" stays ambiguous (lower confidence).
    """
    # Only amount cells vote: descriptions hold "M8 10.9" or "2.5 mm²" in any language.
    cells = [w for table in tables for entry in table.entries for role in _AMOUNT_ROLES
             for w in table.words(entry, role)]
    cells += [w for line in doc.lines() if _is_totals_line(line) for w in line.words]
    words = [w.text for w in cells if re.search(r"\d[.,]\d", w.text)]
    votes = guess_decimal_comma(words)
    doc.decimal_settled = votes is not None
    if votes is not None:
        return votes
    by_language = {"de": True, "fr": True, "da": True, "nl": True, "en": False}.get(doc.language or "")
    # Two signs that agree settle it too: the language, and the countries the form names by
    # telephone number or written out (a Dutch form from "+31" writes "1.000" for a thousand).
    marks = {COUNTRY_DECIMAL_COMMA.get(country) for country in _printed_countries(doc)}
    doc.decimal_settled = by_language is not None and marks == {by_language}
    return by_language


def _printed_countries(doc: Document) -> set[str]:
    """Countries of the telephone numbers on the form and of the country names on lines of
    their own (under an address)."""
    lines = [segment.text for line in doc.lines() for segment in line.segments]
    countries = {code for text in lines if (code := addr.country_code(text.strip()))}
    phones = {code for text in lines if (code := phone_country([text]))}
    return countries | phones


def _items(doc: Document, tables: list[Table], uncertain: list[str]) -> list[LineDraft]:
    drafts: list[LineDraft] = []
    for table in tables:
        drafts += _table_items(doc, table, len(drafts), uncertain)
    for table in tables:
        for line in table.header:
            doc.use_line(line)
    for line in doc.stray_items:
        uncertain.append(f"page {line.page}: an item-like row below the totals was not read: {line.text!r}")
    return drafts


def _table_items(doc: Document, table: Table, before: int, uncertain: list[str]) -> list[LineDraft]:
    drafts: list[LineDraft] = []
    waiting: list[Entry] = []  # text that opens the next item (cells centred vertically)
    last: tuple[LineDraft, Line] | None = None
    for index, entry in enumerate(table.entries):
        if entry.kind == "item":
            draft = _RowReader(doc, table, entry, before + len(drafts) + 1, uncertain).draft()
            for text in reversed(waiting):  # each is put in front of what follows it
                _add_text(doc, draft, table, text, first=True)
            drafts.append(draft)
            doc.use_line(entry.line)
            last, waiting = (draft, entry.line), []
        elif entry.kind == "text" and _is_instruction(entry.line.text):
            last = None  # left for the free-text check, never folded into a description
        elif entry.kind == "text":
            following = next((e for e in table.entries[index + 1:] if e.kind == "item"), None)
            if last is not None and _belongs_above(doc.page(table.page), last[1], entry.line, following):
                _add_text(doc, last[0], table, entry)
                last = (last[0], entry.line)
            elif following is not None and _continues(doc.page(table.page), entry.line, following.line):
                waiting.append(entry)
            else:
                _stray_row(table, entry, uncertain)
                last = None
    _positions_not_articles(drafts)
    return drafts


def _belongs_above(page: Page, above: Line, line: Line, following: Entry | None) -> bool:
    if not _continues(page, above, line):
        return False
    if following is None or not _continues(page, line, following.line):
        return True
    return line.top - above.bottom <= following.line.top - line.bottom


def _stray_row(table: Table, entry: Entry, uncertain: list[str]) -> None:
    """Text in the table that belongs to no item: a section title, or an item without quantity."""
    if not table.roles() & {"sku", "customer_part_number", "gtin"}:
        uncertain.append(f"page {table.page}: table row {entry.line.text!r} has no quantity")


def _positions_not_articles(drafts: list[LineDraft]) -> None:
    """An "Item" column counting 1, 2, 3 … holds line numbers, not article numbers."""
    values = [draft.sku.value if draft.sku else "" for draft in drafts]
    if not values or not all(value.isdigit() for value in values):
        return
    first = int(values[0])
    if first > 1000 or values != [str(first + i) for i in range(len(values))]:
        return
    for draft in drafts:
        if draft.line_number is None:
            draft.line_number = draft.sku
        draft.sku = None


def _continues(page: Page, above: Line, line: Line) -> bool:
    if line.top - above.bottom > line.size:
        return False
    x0, x1 = line.words[0].x0, line.words[-1].x1
    return not any(above.bottom - 0.5 < rule.y < line.top + 0.5 and min(x1, rule.x1) > max(x0, rule.x0)
                   for rule in page.rules)


def _add_text(doc: Document, draft: LineDraft, table: Table, entry: Entry, first: bool = False) -> None:
    """Wrapped text of an item: more description, the rest of a split article number,
    or a delivery date written under the item ("Delivery date: 15.03.2025")."""
    doc.use_line(entry.line)
    sku_text = table.text(entry, "sku")
    if sku_text and not first and draft.sku is not None and draft.sku.value.endswith(("-", "/")):
        draft.sku = Read(draft.sku.value + sku_text, draft.sku.confidence, draft.sku.evidence)
        sku_text = ""
    parts = [sku_text, table.text(entry, "description"), table.text(entry, "customer_part_number")]
    text = " ".join(part for part in parts if part)
    if text and draft.requested_date is None and _line_date(doc, draft, entry, text):
        return
    if not text:
        return
    if draft.description is None:
        draft.description = read(text, _evidence(entry.line), table.confidence)
        return
    old = draft.description
    joined = f"{text} {old.value}" if first else f"{old.value} {text}"
    draft.description = Read(joined, old.confidence, old.evidence)


def _line_date(doc: Document, draft: LineDraft, entry: Entry, text: str) -> bool:
    split = split_label(text)
    if split is None or split.role != "requested_date":
        return False
    found = _read_date(split.value, doc)
    if found is None:
        return False
    draft.requested_date = read(found[0], _evidence(entry.line), found[1])
    return True


# "12,50 / 100 PC", "4.20 per 10": a price and the quantity it is for.
_PRICE_PER = re.compile(r"(?P<price>.*?\d)\s*(?:/|per|pro|par|pr\.?)\s*(?P<per>\d[\d.,]*)\s*[^\W\d_]{0,6}\.?",
                        re.IGNORECASE)


_BRACKETED_CODE = re.compile(r"^\[([A-Za-z0-9][A-Za-z0-9_./-]{1,34})\]\s+\S")


@dataclass
class _RowReader:
    """Reads one item row into a LineDraft, cell by cell."""

    doc: Document
    table: Table
    entry: Entry
    number: int
    uncertain: list[str]
    per: Decimal | None = None  # a price basis written inside the price cell
    price_unit: str = ""  # the unit written inside the price cell ("4.61/Ea")

    def text(self, role: str) -> str:
        return self.table.text(self.entry, role)

    def evidence(self, role: str) -> Evidence:
        return _evidence(self.entry.line, self.table.words(self.entry, role))

    @cached_property
    def base(self) -> float:
        """The table's confidence, lowered when a word of the row straddles two columns."""
        straddles = _straddles(self.entry.line, self.table.columns)
        return min(self.table.confidence, POSITIONAL) if straddles else self.table.confidence

    def confidence(self, ambiguous: bool = False) -> float:
        if ambiguous and not self.doc.decimal_settled:
            return min(self.base, POSITIONAL)
        return self.base

    def draft(self) -> LineDraft:
        draft = LineDraft()
        self.quantity(draft)
        self.identifiers(draft)
        draft.unit_price = self.amount("unit_price", "unit price")
        draft.price_per = self.amount("price_per", "price basis")
        if draft.price_per is None and self.per is not None and draft.unit_price is not None:
            draft.price_per = read(self.per, draft.unit_price.evidence, draft.unit_price.confidence)
        draft.line_number = self.plain("line_number")
        draft.requested_date = self.requested_date()
        if draft.unit_price is None and "unit_price" in self.table.where and draft.quantity is not None:
            self.uncertain.append(f"line {self.number}: the unit price cell is empty")
        self.check_price_unit(draft)
        self.check_total(draft)
        return draft

    def plain(self, role: str) -> Read[str] | None:
        text = self.text(role)
        return read(text, self.evidence(role), self.base) if text else None

    def quantity(self, draft: LineDraft) -> None:
        text = self.text("quantity")
        if not text:
            return
        value, unit, _ = parse_quantity(text, decimal_comma=self.doc.decimal_comma)
        if value is None:  # "510/EA"
            bare, unit = self.amount_per_unit(text)
            value = parse_quantity(bare, decimal_comma=self.doc.decimal_comma)[0] if unit else None
        ambiguous = parse_quantity(text)[2]
        if value is None:
            self.uncertain.append(f"line {self.number}: quantity {text!r} could not be read")
            return
        draft.uom = self.plain("uom")
        if draft.uom is None and unit:
            # Kept even when no vocabulary knows it ("9 bossen"): dropped, the quantity
            # would be taken in the base unit, 9 pieces for 9 bundles of ten.
            draft.uom = read(unit, self.evidence("quantity"), self.base)
        settled = ambiguous and self.whole_count(text, value, draft.uom)
        draft.quantity = read(value, self.evidence("quantity"), self.confidence(ambiguous and not settled))

    def whole_count(self, text: str, value: Decimal, uom: Read[str] | None) -> bool:
        """"1.500 EA" where the language reads it 1500: the other reading (1.5) is no count.

        Two signals agree here: the document's language and the unit; "1.000 EA" stays
        unclear, as 1 and 1000 are both whole.
        """
        if self.doc.decimal_comma is None or uom is None or value != value.to_integral_value():
            return False
        if normalise_unit(uom.value, language=self.doc.language) not in _COUNTED_UNITS:
            return False
        other = parse_quantity(text, decimal_comma=not self.doc.decimal_comma)[0]
        return other is not None and other != other.to_integral_value()

    def identifiers(self, draft: LineDraft) -> None:
        draft.sku = self.plain("sku")
        draft.customer_part_number = self.plain("customer_part_number")
        draft.description = self.plain("description")
        code = _BRACKETED_CODE.match(draft.description.value) if draft.description else None
        if code is not None and draft.sku is None:
            # "[FURN_7777] Office Chair": the code leads the description (Odoo and others)
            draft.sku = read(code.group(1), self.evidence("description"), 0.9)
        text = self.text("gtin")
        digits = re.sub(r"\s", "", text)
        if re.fullmatch(r"\d{8,14}", digits):
            confidence = self.base if is_valid_gtin(digits) else POSITIONAL
            draft.gtin = read(digits, self.evidence("gtin"), confidence)
        elif text:
            self.uncertain.append(f"line {self.number}: {text!r} in the EAN column is no GTIN")

    def amount(self, role: str, what: str) -> Read[Decimal] | None:
        text = self.text(role)
        if not text:
            return None
        per = _PRICE_PER.fullmatch(text) if role == "unit_price" else None
        if per is not None and self.text("price_per") == "":
            text = per.group("price")
            self.per = parse_decimal_ex(per.group("per"), self.doc.decimal_comma)[0]
        value, _ = parse_decimal_ex(text, self.doc.decimal_comma)
        if value is None and role == "unit_price":
            text, self.price_unit = self.amount_per_unit(text)
            value = parse_decimal_ex(text, self.doc.decimal_comma)[0]
        ambiguous = parse_decimal_ex(text)[1]
        if value is None:
            self.uncertain.append(f"line {self.number}: {what} {text!r} could not be read")
            return None
        return read(value, self.evidence(role), self.confidence(ambiguous))

    def amount_per_unit(self, text: str) -> tuple[str, str]:
        """"4.61/Ea", "@ 3.10 SEK/ea": the amount, and the unit it is for."""
        bare, unit = split_amount_unit(text, language=self.doc.language)
        return (split_currency(bare)[0], unit) if unit else (text, "")

    def check_price_unit(self, draft: LineDraft) -> None:
        """A price per another unit than the one ordered cannot be compared as it stands."""
        if not self.price_unit or draft.unit_price is None:
            return
        if draft.uom is None:
            draft.uom = read(self.price_unit, self.evidence("unit_price"), self.base)
        elif normalise_unit(draft.uom.value, language=self.doc.language) != self.price_unit:
            self.uncertain.append(f"line {self.number}: the price is per {self.price_unit}, "
                                  f"the quantity in {draft.uom.value}")

    def requested_date(self) -> Read[date] | None:
        text = self.text("requested_date")
        found = _read_date(text, self.doc) if text else None
        if text and found is None:
            self.uncertain.append(f"line {self.number}: delivery date {text!r} could not be read")
        return read(found[0], self.evidence("requested_date"), found[1]) if found else None

    def check_total(self, draft: LineDraft) -> None:
        """Quantity × unit price must give the line total the document prints."""
        total = parse_decimal_ex(self.text("line_total"), self.doc.decimal_comma)[0]
        if total is None or draft.quantity is None or draft.unit_price is None:
            return
        per = draft.price_per.value if draft.price_per and draft.price_per.value else Decimal(1)
        expected = draft.quantity.value * draft.unit_price.value / per
        if abs(expected - total) <= max(Decimal("0.01"), abs(total) * Decimal("0.005")):
            return
        self.uncertain.append(f"line {self.number}: quantity × unit price ({expected:f}) "
                              f"differs from the line total ({total:f})")
        draft.quantity = Read(draft.quantity.value, min(draft.quantity.confidence, POSITIONAL),
                              draft.quantity.evidence)
        draft.unit_price = Read(draft.unit_price.value, min(draft.unit_price.confidence, POSITIONAL),
                                draft.unit_price.evidence)


# ================================================================ header fields

_VALUE_PREFIX = re.compile(
    r"^(?:no|nr|n°|nº|#|number|nummer|numéro|numero|ref|reference|référence|referenz|referentie)"
    r"(?!\w)\.?\s*(?:(?:no|nr|n°|#)(?!\w)\.?)?\s*[:#]?\s*",
    re.IGNORECASE,
)
# Order-number labels the shared vocabulary lacks (Danish "bestilling" is no Dutch "bestelling").
_EXTRA_PO_LABELS = re.compile(
    r"^(?P<label>bestillingsnummer|bestillingsnr\.?|bestilling|købsordrenummer|købsordre)(?!\w)"
    r"(?P<sep>\s*(?:nr\.?|no\.?)?\s*[:#]?)\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_PO_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]{0,34}")
# Single words that label an order number only loosely ("Order 12", "Commande 3").
_LOOSE_PO_LABELS = frozenset(fold(w) for w in ("order", "commande", "bestellung", "bestelling", "bestilling",
                                                "po"))


@dataclass(frozen=True)
class Labelled:
    """A value found next to (or below) a label."""

    role: str
    label: str
    value: str
    line: Line
    words: tuple[Word, ...]
    segments: tuple[Segment, ...]
    separated: bool


def _read_labels(doc: Document, order: OrderDraft) -> None:
    found = _labelled_values(doc)
    order.po_number = _po_number(doc, found.get("po_number", []), order.uncertain)
    order.order_date = _first_date(doc, found.get("order_date", []))
    order.requested_date = _first_date(doc, found.get("requested_date", []))
    if order.requested_date is None and found.get("requested_date"):
        # "Leveringsdato: uge 01/2027", "Liefertermin: KW 52": a delivery date is asked
        # for, and executing without it would promise another one.
        shown = found["requested_date"][0]
        order.uncertain.append(f"delivery date {shown.value!r} could not be read ({shown.line.text[:80]!r})")
    order.customer_number = _first_code(doc, found.get("customer_number", []))
    order.currency = _labelled_currency(doc, found.get("currency", []))


def _labelled_values(doc: Document) -> dict[str, list[Labelled]]:
    found: dict[str, list[Labelled]] = {}
    # A segment read as a label's value is no label itself: the value "PO-28686" beside
    # "N° de commande:" must not be read again as the label "PO" with the value "28686".
    values: set[Segment] = set()
    for line in doc.lines():
        for index, segment in enumerate(line.segments):
            if segment in doc.used or segment in values:
                continue
            split = split_label(segment.text) or _extra_label(segment.text)
            if split is None or split.role not in ("po_number", "order_date", "requested_date",
                                                   "customer_number", "currency"):
                continue
            labelled = _label_value(doc, line, index, split.role, split.label, split.value, split.separated)
            if labelled is None:
                continue
            for each in filter(None, (labelled, _combined_date(split, labelled))):
                found.setdefault(each.role, []).append(each)
                values.update(each.segments[1:])
    return found


def _combined_date(split: LabelSplit, number: Labelled) -> Labelled | None:
    """The order date of a combined label ("PO number/date" over "4503665116 / 01/27/2021"):
    what follows the number on the value's line, up to the next wide gap."""
    rest = split.value.lstrip("/").strip()
    if split.role != "po_number" or not _combined_label(split) or match_label(rest) != "order_date":
        return None
    line, first = number.line, number.words[0]
    start = next(i for i, s in enumerate(line.segments) if first in s.words)
    segments = line.segments[start:start + 2]
    words = [w for s in segments for w in s.words if w.x0 > first.x0]
    value = " ".join(w.text for w in words).lstrip("/ ").strip()
    if not value:
        return None
    return Labelled("order_date", rest, value, line, tuple(words), (number.segments[0], *segments), True)


def _extra_label(text: str) -> LabelSplit | None:
    found = _EXTRA_PO_LABELS.match(text.strip())
    if found is None:
        return None
    separated = ":" in found.group("sep")
    return LabelSplit("po_number", found.group("label"), found.group("value").strip(), separated)


def _label_value(doc: Document, line: Line, index: int, role: str, label: str, value: str,
                 separated: bool) -> Labelled | None:
    segment = line.segments[index]
    prefix = _VALUE_PREFIX.match(value)
    if prefix is not None:
        separated = separated or any(mark in prefix.group(0) for mark in ":#")
        value = value[prefix.end():].strip()
    if value.startswith("/"):
        value = ""  # a combined label ("PO Number/Date"): the values stand beside or below it
    if value:
        return Labelled(role, label, value, line, _tail_words(segment, value), (segment,), separated)
    right = _right_value(doc, line, index)
    # Below a title ("PURCHASE ORDER") stands anything; only a label's own cell counts.
    title = _segment_size(segment) >= doc.page_body_sizes[line.page - 1] * _PROMINENT
    below = None if title else _below_value(doc, line, segment)
    if below is not None and (right is None or _grid_cell(doc, role, right, below[1])):
        under, cell = below
        return Labelled(role, label, _clean_value(cell.text), under, cell.words, (segment, cell), True)
    if right is not None:
        return Labelled(role, label, _clean_value(right.text), line, right.words, (segment, right), True)
    return None


def _grid_cell(doc: Document, role: str, right: Segment, below: Segment) -> bool:
    """Whether the label heads a grid cell: its value stands below it, not to its right.

    In a row of label cells ("PO Number | Order Date | Buyer" over "4500 | 01/27/2021 |
    J. Smith") the segment to a label's right is the next label, which the vocabulary
    may not know ("F.O.B.", "Department"). Which of the two is the value is told by the
    values themselves: the one below reads as the role's value, the one beside does not.
    """
    beside, under = _clean_value(right.text), _clean_value(below.text)
    return not _fits_role(doc, role, beside) and _fits_role(doc, role, under)


def _fits_role(doc: Document, role: str, text: str) -> bool:
    token = text.split()[0].rstrip(".,;") if text.split() else ""
    if role in ("order_date", "requested_date"):
        return _read_date(text, doc) is not None
    if role == "currency":
        return bool(token) and normalise_currency(token) is not None
    return (bool(_PO_TOKEN.fullmatch(token)) and bool(re.search(r"\d", token)) and not _is_label(token)
            and parse_date(token)[0] is None)


def _clean_value(text: str) -> str:
    return _VALUE_PREFIX.sub("", text.strip().lstrip(":#").strip()).strip()


def _tail_words(segment: Segment, value: str) -> tuple[Word, ...]:
    count = len(value.split())
    return segment.words[-count:] if 0 < count <= len(segment.words) else segment.words


def _right_value(doc: Document, line: Line, index: int) -> Segment | None:
    if index + 1 >= len(line.segments):
        return None
    segment, right = line.segments[index], line.segments[index + 1]
    if right in doc.used or right.x0 - segment.x1 > doc.page(line.page).width * 0.3:
        return None
    return None if _is_label(right.text) else right


def _below_value(doc: Document, line: Line, segment: Segment) -> tuple[Line, Segment] | None:
    page = doc.page(line.page)
    for under in page.lines[line.number:]:
        # Grid labels are often printed small over their values: the larger font sets the gap.
        if under.top - line.bottom > 1.5 * max(line.size, under.size):
            return None
        cells = [s for s in under.segments if min(s.x1, segment.x1) - max(s.x0, segment.x0) > 0]
        if cells:
            best = max(cells, key=lambda s: min(s.x1, segment.x1) - max(s.x0, segment.x0))
            if best in doc.used or _is_label(best.text):
                return None
            return under, best
    return None


def _is_label(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith(":") or match_label(stripped) is not None:
        return True
    split = split_label(stripped)
    if split is not None and (not split.value or _combined_label(split)):
        return True
    return _block_label(stripped) is not None


def _combined_label(split: LabelSplit) -> bool:
    """A label naming two fields at once ("PO number/date"), their values below or beside it."""
    return split.value.startswith("/") and match_label(split.value.lstrip("/").strip()) is not None


def _labelled_evidence(found: Labelled) -> Evidence:
    return _evidence(found.line, found.words)


def _po_number(doc: Document, candidates: list[Labelled], uncertain: list[str]) -> Read[str] | None:
    reads = [r for r in (_po_read(doc, found) for found in candidates) if r is not None]
    values = list(dict.fromkeys(r.value for r in reads))
    if len(values) > 1:
        uncertain.append(f"PO number unclear: {' or '.join(repr(v) for v in values[:3])}")
        return Read(reads[0].value, 0.5, reads[0].evidence)
    return reads[0] if reads else None


def _po_read(doc: Document, found: Labelled) -> Read[str] | None:
    tokens = found.value.split()
    if not tokens or not _PO_TOKEN.fullmatch(tokens[0].rstrip(".,;")):
        return None
    value = tokens[0].rstrip(".,;")
    if not re.search(r"\d", value) or len(value) < 2 or _is_label(value) or parse_date(value)[0]:
        return None
    loose = fold(found.label) in _LOOSE_PO_LABELS and not found.separated
    if loose and len(re.findall(r"\d", value)) < 3:
        return None  # "Order 25 boxes" names no order number
    doc.use(found.segments)
    confidence = SURE if len(tokens) == 1 else 0.9
    return read(value, _labelled_evidence(found), min(confidence, 0.8) if loose else confidence)


def _first_date(doc: Document, candidates: list[Labelled]) -> Read[date] | None:
    for found in candidates:
        parsed = _read_date(found.value, doc)
        if parsed is not None:
            doc.use(found.segments)
            return read(parsed[0], _labelled_evidence(found), parsed[1])
    return None


def _first_code(doc: Document, candidates: list[Labelled]) -> Read[str] | None:
    for found in candidates:
        token = found.value.split()[0].strip(".,;") if found.value.split() else ""
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9/_.\-]{1,34}", token) and re.search(r"\d", token):
            doc.use(found.segments)
            return read(token, _labelled_evidence(found), SURE)
    return None


def _labelled_currency(doc: Document, candidates: list[Labelled]) -> Read[str] | None:
    for found in candidates:
        code = normalise_currency(found.value.split()[0]) if found.value.split() else None
        if code:
            doc.use(found.segments)
            return read(code, _labelled_evidence(found), SURE)
    return None


# ========================================================================= blocks

#: Labels of blocks read line by line below (or right of) the label.
_BLOCK_LABELS: dict[str, tuple[str, ...]] = {
    # Ship-to labels written as a request, beyond the vocabulary's plain labels.
    "ship_to": (
        "please deliver to", "please ship to", "deliver to address", "bitte liefern an",
        "lieferung an", "liefern an", "merci de livrer à", "livraison à", "à livrer à",
        "venligst lever til", "leveres til", "graag leveren aan", "afleveren bij", "leveren aan",
    ),
    "bill_to": (
        "bill to", "bill-to", "invoice to", "invoice address", "billing address", "sold to",
        "buyer", "purchaser", "ordered by", "customer", "rechnungsadresse", "rechnungsanschrift",
        "rechnungsempfänger", "besteller", "auftraggeber", "käufer", "kunde",
        "adresse de facturation", "facturer à", "acheteur", "client", "donneur d'ordre",
        "faktureringsadresse", "faktura til", "køber", "bestiller", "factuuradres", "factuur aan",
        "koper", "klant", "opdrachtgever",
    ),
    "vendor": (
        "vendor", "supplier", "seller", "lieferant", "auftragnehmer", "fournisseur", "leverandør",
        "leverancier",
    ),
    "notes": (
        "comments", "comment", "comments or special instructions", "special instructions",
        "instructions", "delivery instructions", "notes", "note", "remarks", "remark",
        "bemerkungen", "bemerkung", "hinweise", "hinweis", "anmerkungen", "anmerkung",
        "kommentar", "lieferhinweis", "lieferhinweise", "remarques", "remarque", "commentaires",
        "commentaire", "observations", "instructions particulières", "instructions de livraison",
        "bemærkninger", "bemærkning", "kommentarer", "noter", "opmerkingen", "opmerking",
        "notities", "toelichting", "leveringsinstructies",
    ),
}
_BLOCK_KINDS = {fold(label): kind for kind, labels in _BLOCK_LABELS.items() for label in labels}
_EMPTY_NOTES = frozenset(fold(w) for w in ("none", "n/a", "na", "-", "--", "/", "keine", "aucune", "aucun",
                                           "néant", "ingen", "geen", "nil", "nothing"))


def _block_label(text: str) -> tuple[str, str] | None:
    """(kind, inline value) when ``text`` starts with a block label ("Bill to:", "Bemerkungen").

    A value on the label's own segment needs a colon after the label, so a sentence
    that merely starts with "Customer …" is no label.
    """
    words = text.split()
    for cut in range(min(5, len(words)), 0, -1):
        head = fold(" ".join(words[:cut]))
        kind = _BLOCK_KINDS.get(head.rstrip(":").strip())
        if kind is None:
            continue
        rest = " ".join(words[cut:]).lstrip(" :").strip()
        if not rest or head.endswith(":") or words[cut].startswith(":"):
            return kind, rest
    return None


@dataclass(frozen=True)
class BlockItem:
    line: Line
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _read_blocks(doc: Document, order: OrderDraft) -> None:
    for line in list(doc.lines()):
        for index, segment in enumerate(line.segments):
            if segment in doc.used:
                continue
            split = split_label(segment.text)
            if split is not None and split.role == "ship_to":
                items = _block(doc, line, index, split.value)
                _ship_to(order, items, line)
                continue
            block = _block_label(segment.text)
            if block is not None and block[0] == "ship_to":
                _ship_to(order, _block(doc, line, index, block[1]), line)
            elif block is not None:
                _apply_block(order, block[0], _block(doc, line, index, block[1]))


def _apply_block(order: OrderDraft, kind: str, items: list[BlockItem]) -> None:
    if kind == "bill_to" and items and order.customer_name is None:
        order.customer_name = read(items[0].text, _evidence(items[0].line, items[0].words), 0.6)
    elif kind == "notes":
        texts = [item.text for item in items if fold(item.text) not in _EMPTY_NOTES]
        if texts:
            order.notes.append(read("\n".join(texts), _evidence(items[0].line, items[0].words), SURE))


def _block(doc: Document, line: Line, index: int, inline: str) -> list[BlockItem]:
    """The label's own value plus the lines stacked under it, until a gap or a label."""
    segment = line.segments[index]
    doc.use([segment])
    items: list[BlockItem] = []
    right = None if inline else _right_value(doc, line, index)
    if inline:
        items.append(BlockItem(line, _tail_words(segment, inline)))
    elif right is not None:
        items.append(BlockItem(line, right.words))
        doc.use([right])
    column = _BlockColumn.beside(doc, line, segment, right, items[0].words[0].x0 if items else segment.x0)
    items += _stacked(doc, line, column, limit=8 - len(items))
    return items


@dataclass(frozen=True)
class _BlockColumn:
    """Where a block's lines stand: blocks side by side (Vendor | Bill to | Ship to) share
    their lines, and each is read from its own column only.

    A line of the block starts under the label or under its first value (the label may
    stand left of an indented block, or a code may stand beside it), and may run on in
    further segments ("WACO TX   76705-1788") up to where the next block's label starts.
    """

    anchors: tuple[float, ...]
    label_x1: float
    right: float
    tolerance: float

    @classmethod
    def beside(cls, doc: Document, line: Line, label: Segment, value: Segment | None,
               anchor: float) -> _BlockColumn:
        own = value or label
        following = [s.x0 for s in line.segments if s.x0 > own.x1]
        right = min(following, default=doc.page(line.page).width)
        return cls((anchor, label.x0), label.x1 + line.size, right, max(30.0, 3 * line.size))

    def starts(self, segment: Segment) -> bool:
        return (any(abs(segment.x0 - anchor) <= self.tolerance for anchor in self.anchors)
                or self.anchors[-1] <= segment.x0 <= self.label_x1)

    def continues(self, last: Segment, segment: Segment) -> bool:
        return (segment.x1 <= self.right and segment.x0 - last.x1 <= 3 * max(w.size for w in last.words)
                and not _is_label(segment.text) and split_label(segment.text) is None)


def _stacked(doc: Document, line: Line, column: _BlockColumn, limit: int) -> list[BlockItem]:
    page = doc.page(line.page)
    items: list[BlockItem] = []
    bottom = line.bottom
    for under in page.lines[line.number:]:
        allowed = (1.8 if not items else 1.3) * under.size
        if under.top - bottom > allowed or len(items) >= limit:
            break
        cells = _column_cells(doc, under, column)
        if not cells:
            continue
        if _is_label(cells[0].text) or is_total_label(cells[0].text):
            break
        items.append(BlockItem(under, tuple(w for cell in cells for w in cell.words)))
        doc.use(cells)
        bottom = under.bottom
    return items


def _column_cells(doc: Document, line: Line, column: _BlockColumn) -> list[Segment]:
    """The segments of ``line`` in the block's column, left to right; none when its first is used."""
    start = next((i for i, s in enumerate(line.segments) if column.starts(s)), None)
    if start is None or line.segments[start] in doc.used:
        return []
    cells = [line.segments[start]]
    for segment in line.segments[start + 1:]:
        if segment in doc.used or not column.continues(cells[-1], segment):
            break
        cells.append(segment)
    return cells


# ====================================================================== ship-to


def _ship_to(order: OrderDraft, items: list[BlockItem], label_line: Line) -> None:
    if not order.ship_to.is_empty():
        return
    evidences = [_evidence(item.line, item.words) for item in items]
    block = addr.parse_address_block([item.text for item in items], evidence=evidences.__getitem__)
    if block.address.postal_code is None and addr.reads_without_postal_code(block):
        # Many countries write no postal code: the address is kept as read (never sure
        # enough to match a ship-to by itself), so a person sees where it was to go and the
        # boundary can check the party it names.
        order.ship_to = block.address
        return
    if block.address.postal_code is None:
        order.uncertain.append(f"ship-to address could not be read (page {label_line.page}, "
                               f"line {label_line.number}: {label_line.text!r})")
        return
    _fill_address(order.ship_to, block)


def _fill_address(address: AddressDraft, block: addr.AddressBlock) -> None:
    """A postal line printed under a ship-to label is sure; the lines above it are read by position."""
    found = block.address
    address.postal_code = _restated(found.postal_code, SURE)
    address.city = _restated(found.city, SURE)
    address.name = _restated(found.name, 0.9)
    address.street = _restated(found.street, 0.9)
    country = found.country
    address.country = _restated(country, SURE) if block.country_written else country


def _restated(part: Read[str] | None, confidence: float) -> Read[str] | None:
    return None if part is None else read(part.value, part.evidence, confidence)


# ======================================================== currency, e-mail, buyer

_ISO_CURRENCY = re.compile(r"(?<![A-Za-z])(EUR|USD|GBP|CHF|DKK|SEK|NOK|PLN|CZK|CAD|AUD|JPY)(?![A-Za-z])")
_SYMBOLS = {"€": "EUR", "£": "GBP"}


def _currency(doc: Document, tables: list[Table]) -> Read[str] | None:
    """The currency the amounts are written in, when the document names only one."""
    lines = [line for table in tables for line in table.header + [e.line for e in table.entries]]
    lines += [line for line in doc.lines() if _is_totals_line(line)]
    seen: dict[str, Line] = {}
    for line in lines:
        for code in _ISO_CURRENCY.findall(line.text):
            seen.setdefault(code, line)
        for symbol in ("€", "£", "$"):
            if symbol in line.text:
                seen.setdefault(_SYMBOLS.get(symbol, symbol), line)
        if re.search(r"(?<![A-Za-z])kr\.?(?![A-Za-z])", line.text):
            seen.setdefault("kr", line)
    return _currency_read(doc, seen)


def _named_currency(doc: Document, order: OrderDraft) -> Read[str] | None:
    """A currency code written anywhere, when no label or amount gave one.

    Safety net: a document that names a currency must not be taken for one in
    the customer's currency because the code sat outside the table. Two
    different codes are a doubt, not a choice.
    """
    seen: dict[str, Line] = {}
    for line in doc.lines():
        for code in _ISO_CURRENCY.findall(line.text):
            seen.setdefault(code, line)
    if len(seen) > 1:
        order.uncertain.append(f"the document names several currencies: {', '.join(sorted(seen))}")
        return None
    if not seen:
        return None
    code, line = next(iter(seen.items()))
    return read(code, _evidence(line), 0.9)


def _currency_read(doc: Document, seen: dict[str, Line]) -> Read[str] | None:
    codes = set(seen)
    if codes == {"USD", "$"}:
        codes = {"USD"}
    if len(codes) != 1:
        return None
    code = codes.pop()
    where = _evidence(seen.get(code) or next(iter(seen.values())))
    if code == "$":
        return read("USD", where, 0.8 if doc.us_context else 0.6)
    if code == "kr":
        return read("DKK", where, 0.5) if doc.language == "da" else None
    return read(code, where, 0.9)


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CONTACT_WORDS = tuple(fold(w) for w in (
    "contact", "buyer", "e-mail", "email", "mail", "requisitioner", "purchaser", "ordered by",
    "ansprechpartner", "einkäufer", "einkauf", "kontakt", "bestellt von", "acheteur", "interlocuteur",
    "courriel", "kontaktperson", "indkøber", "contactpersoon", "inkoper", "besteller", "bestiller",
))


_CONTACT_PATTERN = _phrase_pattern(_CONTACT_WORDS)


def _buyer_email(doc: Document) -> Read[str] | None:
    """The first e-mail address next to a contact or buyer label (not in the vendor's block)."""
    for page in doc.pages:
        for index, line in enumerate(page.lines):
            text = " ".join(s.text for s in doc.free_segments(line))
            found = _EMAIL.search(text)
            if found and _near_contact_label(page.lines[max(0, index - 2):index + 1]):
                return read(found.group(0).replace(" ", ""), _evidence(line), 0.8)
    return None


def _near_contact_label(lines: list[Line]) -> bool:
    for line in lines:
        folded = fold(_EMAIL.sub(" ", line.text))
        if _CONTACT_PATTERN.search(folded):
            return True
    return False


def _prominent_name(doc: Document) -> Read[str] | None:
    """The buyer's name as its letterhead shows it: the largest text at the top of page 1."""
    page = doc.pages[0]
    candidates = [
        (segment, line) for line in page.lines if line.top < page.height * 0.3
        for segment in line.segments
        if segment not in doc.used and _segment_size(segment) >= doc.body_size * _PROMINENT
        and _kind_of(segment.text) is None and _revision_of(segment.text) is None
        and not _is_label(segment.text)
        and re.search(r"[^\W\d_]{2}", segment.text) and len(segment.words) <= 8
    ]
    if not candidates:
        return None
    segment, line = max(candidates, key=lambda pair: (_segment_size(pair[0]), -pair[0].words[0].top))
    return read(segment.text, _evidence(line, segment.words), 0.6)


# ==================================================================== free text

_INSTRUCTION_WORDS = tuple(fold(w) for w in (
    "please", "pls", "kindly", "do not", "don't", "must", "instead", "urgent", "urgently", "asap",
    "as soon as possible", "make sure", "ensure", "important", "attention",
    "bitte", "dringend", "anstatt", "stattdessen", "statt", "unbedingt", "achtung", "wichtig",
    "merci de", "merci d'", "veuillez", "svp", "s.v.p", "s'il vous plaît", "au lieu de", "urgence",
    "venligst", "i stedet for", "haster", "husk", "vigtigt", "bedes",
    "graag", "gelieve", "a.u.b", "aub", "alstublieft", "in plaats van", "spoed", "let op", "belangrijk",
))
_BOILERPLATE = tuple(fold(w) for w in (
    "if you have any question", "questions", "question", "fragen", "rückfragen", "spørgsmål", "vragen",
    "bei fragen", "bei rückfragen", "für rückfragen", "en cas de question", "pour toute question",
    "ved spørgsmål", "har du spørgsmål", "bij vragen", "voor vragen", "heeft u vragen",
    "terms and conditions", "general terms", "conditions of purchase", "purchasing conditions",
    "einkaufsbedingungen", "geschäftsbedingungen", "agb", "conditions générales", "conditions d'achat",
    "betingelser", "algemene voorwaarden", "inkoopvoorwaarden", "iban", "bic", "swift", "vat no",
    "vat reg", "ust-id", "ust-idnr", "steuernummer", "handelsregister", "amtsgericht", "registergericht",
    "geschäftsführer", "siret", "siren", "tva intracom", "cvr", "kvk", "btw-nummer", "registered office",
    "registered in", "company registration", "invoice", "invoices", "rechnung", "rechnungen", "facture",
    "factures", "faktura", "fakturaer", "factuur", "facturen", "confirm receipt", "acknowledge receipt",
    "confirm this order", "order confirmation", "auftragsbestätigung", "bestellbestätigung",
    "accusé de réception", "confirmation de commande", "ordrebekræftelse", "orderbevestiging",
    "quote our", "quote this", "state our", "unsere bestellnummer", "notre numéro de commande",
    "vores ordrenummer", "ons ordernummer", "ons bestelnummer",
))


_INSTRUCTION_PATTERN = _phrase_pattern(_INSTRUCTION_WORDS)
_BOILERPLATE_PATTERN = _phrase_pattern(_BOILERPLATE)


def _unexplained(doc: Document) -> list[Evidence]:
    """Sentences no field, block or table accounts for that read like an instruction."""
    found: list[Evidence] = []
    paragraphs = _paragraphs(doc)
    terms = _printed_terms(paragraphs)
    for paragraph in paragraphs:
        if id(paragraph) in terms:
            continue
        text = " ".join(segment.text for _, segment in paragraph)
        longest = max((segment.text for _, segment in paragraph), key=len)
        if _is_remark(text, longest) and not _is_boilerplate(text):
            line, first = paragraph[0]
            words = [w for _, segment in paragraph for w in segment.words]
            found.append(Evidence(text=text, page=line.page, line=line.number,
                                  bbox=_evidence(line, words).bbox))
    return found


def _paragraphs(doc: Document) -> list[list[tuple[Line, Segment]]]:
    """Free segments chained downwards when they start at the same x and follow closely."""
    paragraphs: list[list[tuple[Line, Segment]]] = []
    for page in doc.pages:
        open_: list[list[tuple[Line, Segment]]] = []
        for line in page.lines:
            for segment in doc.free_segments(line):
                target = next((p for p in open_ if _follows(p[-1], line, segment)), None)
                if target is None:
                    target = []
                    open_.append(target)
                    paragraphs.append(target)
                target.append((line, segment))
    return paragraphs


def _follows(last: tuple[Line, Segment], line: Line, segment: Segment) -> bool:
    above, previous = last
    return (above is not line and 0 <= line.top - above.bottom <= 0.8 * line.size
            and abs(segment.x0 - previous.x0) <= 2 * line.size)


#: "1. Scope.", "§ 3 Lieferung", "4.2 Warranty": the heading of a clause of printed terms.
_CLAUSE = re.compile(r"^\s*(?:§\s*)?\d{1,2}(?:\.\d{1,2})*\.?\s+[^\W\d_]")
_NEXT_CLAUSE = re.compile(r"(?<=[.;])\s+(?:§\s*)?\d{1,2}(?:\.\d{1,2})*\.?\s+[^\W\d_]")
#: Clauses that make a run of printed terms and conditions.
_TERMS_RUN = 3


def _printed_terms(paragraphs: list[list[tuple[Line, Segment]]]) -> set[int]:
    """The paragraphs of printed terms and conditions: a run of numbered clauses of prose
    (the order's own lines are in its table, not here). Standard terms printed on every
    order are no instruction for this one."""
    texts = [(paragraph, " ".join(segment.text for _, segment in paragraph)) for paragraph in paragraphs]
    clauses = [(paragraph, text) for paragraph, text in texts if _CLAUSE.match(text) and _is_sentence(text)]
    # Clauses printed close together chain into one paragraph: count their headings.
    count = sum(1 + len(_NEXT_CLAUSE.findall(text)) for _, text in clauses)
    return {id(paragraph) for paragraph, _ in clauses} if count >= _TERMS_RUN else set()


def _unread_dates(doc: Document, order: OrderDraft) -> list[str]:
    """A date or week no field took ("Bezorgdatum: 24/11/2022", "Leveringsdato: uge 01/2027")
    may be the delivery date the buyer asks for: executing without it would promise
    another. The order's own dates, footers and boilerplate pass."""
    known = {read.value for read in (order.order_date, order.requested_date) if read is not None}
    flagged = {evidence.text for evidence in order.unexplained}
    found = []
    for paragraph in _paragraphs(doc):
        text = " ".join(segment.text for _, segment in paragraph)
        if (text in flagged or _is_boilerplate(text) or _is_totals_line(paragraph[0][0])
                or _LETTER_DATE.match(text.strip())):
            continue
        if any(_other_date(mention, known, doc) for mention in date_mentions(text)):
            found.append(f"page {paragraph[0][0].page}: a date no field took: {text[:100]!r}")
    return found


#: "Bristol, 07/12/2026", "Zürich, 04.12.2026": the place and day a letter was written.
_LETTER_DATE = re.compile(r"^[^\W\d_][\w .'’-]{1,40},\s*\S+$")


def _other_date(mention: str, known: set[date], doc: Document) -> bool:
    """Neither reading of the date ("07/12/2026": 7 December or 12 July) is one already read."""
    readings = {parse_date(mention, day_first=first)[0] for first in (True, False)}
    return not (readings - {None}) & known


def _is_instruction(text: str) -> bool:
    folded = fold(text)
    if len(folded.split()) < 2:
        return False
    return text.rstrip().endswith("?") or _INSTRUCTION_PATTERN.search(folded) is not None


def _is_remark(text: str, longest: str) -> bool:
    """Free text a person must read: an instruction by the words above, or a sentence the
    free-text accounting cannot explain. Open world for prose: a remark in wording or a
    language the words above do not know ("Ring Anders en timme innan ni kommer, annars
    står grinden stängd.") still names what the delivery depends on. A form's labels and
    headings, stacked short lines (``longest``: the paragraph's longest line), are no prose."""
    return _is_instruction(text) or _is_sentence(longest) and bool(freetext.unexplained_in(text))


def _is_sentence(text: str) -> bool:
    """Prose, not a form's labels ("Vendor number Contact person E-mail") or a contact line:
    enough words, some of them written in lower case, or a full stop."""
    words = re.findall(r"[^\W\d_]{2,}", _CONTACTS.sub(" ", text))
    if len(words) >= 3 and text.rstrip().endswith((".", "!")):
        return True
    return len(words) >= _SENTENCE_WORDS and 2 * sum(word[0].islower() for word in words) > len(words)


_CONTACTS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")


#: Words of a free text line that make it prose rather than a form's label or heading.
_SENTENCE_WORDS = 5


def _is_boilerplate(text: str) -> bool:
    folded = fold(text)
    return _PAGE_NUMBER.search(text) is not None or _BOILERPLATE_PATTERN.search(folded) is not None
