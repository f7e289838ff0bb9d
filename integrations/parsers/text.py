"""Order data written as free text: order lines, PO number, dates, delivery address.

People write orders into e-mails in many ways: "10 x SKU-123", "Artikel 4711 –
5 Karton", "3 colis de réf. 55-A", bulleted lists, and tables aligned with tabs
or spaces. This module reads those shapes from a list of text lines and says
which lines it used, so ``freetext`` can account for every other line.

It never guesses a line from a sentence without an identifier-like token, and
gives the explicit shapes ("N x ID", "ID qty N", table cells under recognised
headers) confidence 1.0, looser shapes 0.8. A line that also says something
the order fields cannot carry ("… by Friday") is read but left unused, so the
free-text accounting reports it as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from integrations.parsers import address as addr
from integrations.parsers import freetext
from integrations.parsers.draft import CONFIDENT, Evidence, LineDraft, OrderDraft, Read, read
from integrations.parsers.totals import stated_amount
from integrations.parsers.vocabulary import (
    AMBIGUOUS_UNIT_WORDS,
    ARTICLE_WORDS,
    HEADER_SYNONYMS,
    UNIT_WORDS,
    LabelSplit,
    fold,
    guess_decimal_comma,
    is_total_label,
    is_valid_gtin,
    match_header_ex,
    normalise_currency,
    normalise_unit,
    parse_date,
    parse_decimal_ex,
    parse_quantity,
    split_currency,
    split_label,
)

FORMAT = "text"
EXPLICIT = 1.0
LOOSE = 0.8
GUESSED = 0.6
AMBIGUOUS = 0.5
_EVIDENCE_MAX = 200
_MAX_LINE = 200
_MAX_QUANTITY = Decimal(10_000_000)

# --- building blocks -----------------------------------------------------------------------------


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_UNIT_SET = {word for words in UNIT_WORDS.values() for word in words} | set(AMBIGUOUS_UNIT_WORDS) | {
    "stück", "stueck", "pièce", "pièces", "boîte", "boîtes", "dozen", "doz", "rolls", "kartons",
    "paletten", "colli", "collis", "tins", "bottles", "bottle", "flasche", "flaschen", "bouteilles",
    "flasker", "flessen", "dosen", "dose", "eimer", "kanister", "bundle", "bundles", "bund", "ve", "vpe",
    "gebinde", "unité", "unités", "unite", "unites", "pal.", "ktn.", "krt", "krt.", "pk.", "pce.", "pc.",
    "stck.", "dozijn", "dozijnen", "zakken", "rollen", "säcke", "sacks", "packungen", "packung", "pkt",
    "pkt.", "stykker", "styk", "kasser", "kartoner", "doser", "spande",
}
_UNIT = rf"(?:{_alternation(_UNIT_SET)})(?![\w])(?![-/.]\w)"  # "BX-2001" is an article, not boxes
_ARTICLE_SET = set(ARTICLE_WORDS) | {
    "art", "art-nr", "art.nr.", "art.-nr", "artnr", "artikel-nr", "artikelnr.", "item #", "item no.",
    "part no.", "part #", "ref", "ref.", "reference", "référence", "varenr.", "vare nr.", "varenummer",
    "artikelnummer", "productcode", "code", "sku#", "produktnummer", "productnummer", "materialnummer",
}
_ARTICLE = (
    rf"(?<![\w])(?:{_alternation(_ARTICLE_SET)})(?:\s*(?:no|nr|n°|number|nummer|#)\.?)?\s*[:#]?(?=[\s:#])"
)
_QTY_WORD = (
    r"(?<![\w])(?:qty|quantity|menge|anzahl|quantité|quantite|qté|qte|antal|mængde|aantal|hoeveelheid)"
)
# "1 500" (French and SI grouping, also with a narrow space) first: read as "1" and "500" the
# quantity would silently lose its thousands.
_NUM = (r"\d{1,3}(?:[ \u2009\u202f]\d{3})+(?:,\d{1,3})?(?![\d.,]\d)|\d{1,3}(?:[.,']\d{3})+(?:[.,]\d{1,3})?"
        r"|\d+(?:[.,]\d{1,3})?")
_ID_TOKEN = r"[^\W_](?:[\w\-./]*[^\W_])?"  # noqa: S105 - a pattern, not a secret
_CURRENCY = r"(?:US\$|€|\$|£|EUR|USD|GBP|CHF|DKK|SEK|NOK|kr\.?)(?![A-Za-z])"
_PRICE_NUM = r"(?:\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d{1,4})?|\d+(?:[.,]\d{1,4})?)(?!\d|[.,]\d)"
_PRICE_LEAD = (
    r"@|à|a|zu(?:m preis von)?|je|per (?:piece|pc|unit|item|each)|each|ea\.?|pro (?:stück|stk\.?|einheit)"
    r"|par (?:unité|pièce)|pr\.? (?:stk\.?|stykke)|per (?:stuk|st\.?)|unit price|stückpreis|einzelpreis"
    r"|prix unitaire|prix|stykpris|stukprijs|price|preis|pris|prijs"
)
_PRICE = re.compile(
    rf"(?<![\w])(?P<lead>{_PRICE_LEAD})\s*[:=]?\s*(?P<cur1>{_CURRENCY})?\s*(?P<num>{_PRICE_NUM})"
    rf"(?:\s*(?P<cur2>{_CURRENCY}))?(?:\s*(?:/|per|pro|par|pr\.?)\s*(?P<punit>{_UNIT}))?",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    rf"(?P<cur1>{_CURRENCY})\s*(?P<num>{_PRICE_NUM})|(?<![\w.,])(?P<num2>{_PRICE_NUM})\s*(?P<cur2>{_CURRENCY})",
    re.IGNORECASE,
)
_BULLET = re.compile(
    # "-5 x …" may be a negative quantity, so a dash bullet needs a space after it.
    r"^\s*(?:[*•·▪◦]\s*|[-–]\s+|(?P<pos>\d{1,3})[.)]\s+(?=\S)|pos(?:ition)?\.?\s*(?P<pos2>\d{1,3})\s*[:.)-]?\s+)",
    re.IGNORECASE,
)
_DATE_IN_TEXT = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th|er|e)?\.?\s+(?:of\s+)?[^\W\d_]{3,10}\.?,?\s+\d{4}"
    r"|[^\W\d_]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}",
)
_NOT_ID = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}|\d+(?:st|nd|rd|th|er|e|ste)|\d+%"
    r"|\d+(?:[.,]\d+)?(?:x|kg|g|l|m|mm|cm|pcs|stk|st|pc|ea|cs)",
    re.IGNORECASE,
)
_DIMENSION_AFTER = re.compile(r"^\s*(?:mm|cm|m|in|inch|\"|x|×)(?![\w])", re.IGNORECASE)
_DESCRIPTION_NOISE = frozenset((
    "de", "of", "von", "du", "des", "van", "af", "the", "x", "à", "a", "-", "–", "stk", "for", "fur",
    "pour", "til", "voor", "vom", "we", "i", "need", "require", "want", "wir", "ich", "brauchen",
    "benotigen", "nous", "avons", "besoin", "vi", "har", "brug", "skal", "bruge", "wij", "hebben", "nodig",
))
_SEPARATORS = " \t-–—:;,.|/"


@dataclass
class _Text:
    lines: list[str]
    day_first: bool | None
    decimal_comma: bool | None
    part: str
    first_line: int
    #: Whether the numbers of the text themselves show the decimal mark (not only the language).
    established: bool = False
    #: The day the text was written (an e-mail's Date), when known: a delivery date is never
    #: before it and an order date never after it, which settles "12/07/2026" on its own.
    written_on: date | None = None
    found: list[tuple[int, int, LineDraft]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    currencies: dict[str, int] = field(default_factory=dict)

    def evidence(self, index: int, text: str | None = None) -> Evidence:
        shown = (self.lines[index] if text is None else text).strip()[:_EVIDENCE_MAX]
        return Evidence(text=shown, line=self.first_line + index, part=self.part)

    def where(self, index: int) -> str:
        return f"text line {self.first_line + index}"

    def add_line(self, index: int, line: LineDraft) -> None:
        self.found.append((index, len(self.found), line))


def read_order_text(
    lines: list[str],
    *,
    day_first: bool | None,
    part: str = "body",
    first_line: int = 1,
    subject: str = "",
    decimal_comma: bool | None = None,
    written_on: date | None = None,
    convention_confirmed: bool = False,
) -> tuple[OrderDraft | None, list[int]]:
    """The order written in ``lines`` (format left for the caller) and the line indexes used.

    Returns None for the draft when the text names no order line and no order field.
    ``written_on``: the day the text was sent, for dates its conventions leave open.
    ``convention_confirmed``: a second sign (the writer's country) agrees with the decimal
    mark ``decimal_comma`` gives, so "3,000" needs no number of the text to show it.
    """
    lines = [str(line).replace("\u00a0", " ").rstrip(" \r\n") for line in lines]
    shown = guess_decimal_comma(re.findall(r"\d[\d.,]*\d", _without_sizes("\n".join(lines))))
    established = shown is not None and decimal_comma in (None, shown)
    if convention_confirmed and decimal_comma is not None and shown in (None, decimal_comma):
        established = True
    text = _Text(lines, day_first, shown if decimal_comma is None else decimal_comma, part, first_line,
                 established=established, written_on=written_on)
    draft = OrderDraft(format=FORMAT)
    _read_tables(text, draft)
    _read_ship_to(text, draft)
    _read_fields(text, draft)
    _read_loose_lines(text, draft)
    draft.lines = [line for _, _, line in sorted(text.found, key=lambda found: found[:2])]
    _read_subject(subject, draft)
    _currency_from_prices(text, draft)
    _check_lines(draft)
    found = draft.lines or draft.po_number or draft.requested_date or not draft.ship_to.is_empty()
    return (draft if found or draft.customer_number else None), sorted(text.used)


def _without_sizes(text: str) -> str:
    """Sizes in product names ("4.8x10 mm", "2.5 mm²", "M12") follow the maker's style, not the
    writer's: they do not tell the decimal mark of quantities and prices."""
    return _SIZE_NUMBER.sub(" ", _DIMENSION.sub(" ", text))


_SIZE_NUMBER = re.compile(r"\d+[.,]\d+\s*(?:mm|cm|µm|kw|kv|nm|mm²|m²)(?![\w])", re.IGNORECASE)


# --- tables ------------------------------------------------------------------------------------------


_HEADER_TOKENS = frozenset(
    token for synonyms in HEADER_SYNONYMS.values() for synonym in synonyms
    for token in re.findall(r"[^\W\d_]+|#", fold(synonym))
)
_COMPOUND_HEADS = ("menge", "anzahl", "antal", "aantal", "preis", "pris", "prijs", "betrag", "bezeichnung",
                   "beschreibung", "omschrijving", "nummer", "nr", "einheit", "datum", "termin")


@dataclass
class _Column:
    role: str | None
    name: str
    start: int
    end: int


@dataclass
class _Header:
    columns: list[_Column]
    delimiter: str | None  # None: aligned with spaces


def _read_tables(text: _Text, draft: OrderDraft) -> None:
    index = 0
    while index < len(text.lines):
        following = next((line for line in text.lines[index + 1: index + 4] if line.strip()), "")
        header = _table_header(text.lines[index], following)
        if header is None:
            index += 1
            continue
        text.used.add(index)
        index = _read_rows(text, draft, header, index + 1)


def _cells(line: str, delimiter: str | None) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell; delimiter None splits at two or more spaces."""
    if delimiter is None:
        return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]
    cells, start = [], 0
    for piece in line.split(delimiter):
        cells.append((start, start + len(piece), piece.strip()))
        start += len(piece) + 1
    if delimiter == "|":  # "| a | b |": the outer pipes leave empty edge cells
        cells = cells[1:] if cells and not cells[0][2] else cells
        cells = cells[:-1] if cells and not cells[-1][2] else cells
    return cells


def _delimiter(line: str) -> str | None:
    if "\t" in line.strip():
        return "\t"
    if line.count("|") >= 2:
        return "|"
    return ";" if line.count(";") >= 2 else None


def _header_words(line: str) -> bool:
    """Cheap pre-check: most words of a header row are header vocabulary."""
    words = re.findall(r"[^\W\d_]+|#", fold(line))
    known = sum(1 for word in words if word in _HEADER_TOKENS or word.endswith(_COMPOUND_HEADS))
    return known >= 2 and len(words) <= 30 and known * 2 >= len(words)


def _table_header(line: str, following: str = "") -> _Header | None:
    if not line.strip() or len(line) > 400 or not _header_words(line):
        return None
    delimiter = _delimiter(line)
    columns = [_Column(match_header_ex(cell)[0], cell, start, end)
               for start, end, cell in _cells(line, delimiter)]
    if not _is_header(columns) and delimiter is None:
        # "Artikel Bezeichnung" is one column or two: the first row's word count decides.
        splits = [split for split in (_single_space_header(line, size) for size in (4, 1))
                  if _is_header(split)]
        fitting = [split for split in splits if len(split) == len(following.split())]
        columns = (fitting or splits or [[]])[0]
    return _Header(_dedupe_roles(columns), delimiter) if _is_header(columns) else None


def _is_header(columns: list[_Column]) -> bool:
    roles = [column.role for column in columns if column.role]
    named = [column for column in columns if column.name.strip()]
    has_id = {"sku", "customer_part_number", "gtin", "description"} & set(roles)
    mostly = len(roles) * 3 >= len(named) * 2
    return len(roles) >= 2 and roles.count("quantity") == 1 and bool(has_id) and mostly


def _single_space_header(line: str, longest: int) -> list[_Column]:
    """Header words separated by single spaces ("Qty SKU Description"): every word must match.

    ``longest`` 4 joins words into the longest header it can, 1 prefers single words.
    """
    words = list(re.finditer(r"\S+", line))
    columns: list[_Column] = []
    index = 0
    sizes = (4, 3, 2, 1) if longest > 1 else (1, 2, 3, 4)
    while index < len(words):
        for size in sizes:
            chunk = words[index: index + size]
            phrase = line[chunk[0].start(): chunk[-1].end()]
            role, exact = match_header_ex(phrase)
            if role and exact and len(chunk) == size:
                columns.append(_Column(role, phrase, chunk[0].start(), chunk[-1].end()))
                index += size
                break
        else:
            return []
    return columns


def _dedupe_roles(columns: list[_Column]) -> list[_Column]:
    seen: set[str] = set()
    for column in columns:
        if column.role in seen:
            column.role = None
        if column.role:
            seen.add(column.role)
    return columns


def _read_rows(text: _Text, draft: OrderDraft, header: _Header, index: int) -> int:
    rows = blanks = 0
    while index < len(text.lines):
        line = text.lines[index]
        if not line.strip():
            blanks += 1
            if rows or blanks > 1:
                return index
        elif re.fullmatch(r"[\s\-=_|+:.]+", line):
            text.used.add(index)
        elif _is_total_row(line, header):
            text.used.add(index)
            _stated_total(text, draft, index)
            return index + 1
        elif _read_row(text, draft, header, index):
            rows += 1
        else:
            return index
        index += 1
    return index


def _stated_total(text: _Text, draft: OrderDraft, index: int) -> None:
    amount = stated_amount(text.lines[index], decimal_comma=text.decimal_comma)
    if amount is not None:
        draft.stated_totals.append(read(amount, text.evidence(index)))


def _is_total_row(line: str, header: _Header) -> bool:
    cells = [cell for _, _, cell in _cells(line, header.delimiter) if cell]
    return bool(cells) and (is_total_label(cells[0]) or is_total_label(re.sub(r"[\d.,€$£%\s]+$", "", line)))


def _row_values(line: str, header: _Header) -> tuple[dict[int, str], float]:
    """The row's cells by column, and how sure the split is."""
    if header.delimiter is not None:
        cells = _cells(line, header.delimiter)
        return {i: cells[i][2] for i in range(min(len(cells), len(header.columns))) if cells[i][2]}, EXPLICIT
    columns = header.columns
    for pieces in ([m.group() for m in re.finditer(r"\S+(?: \S+)*", line)], line.split()):
        if len(pieces) == len(columns):  # one piece per column: the order says which is which
            return dict(enumerate(pieces)), 0.9
    if (aligned := _cleanly_aligned(line, columns)) is not None:
        return aligned, 0.9  # an empty cell ("no price"), every other chunk under its own header
    words = line.split()
    texts = [i for i, column in enumerate(columns) if column.role in ("description", None)]
    if len(words) > len(columns) and len(texts) == 1:
        return _around_text_column(words, len(columns), texts[0]), LOOSE
    return _aligned_values(line, columns), LOOSE


def _cleanly_aligned(line: str, columns: list[_Column]) -> dict[int, str] | None:
    """The cells of a row with fewer chunks than columns, when each chunk (words apart by
    at most one space) sits under one header of its own and stops before the next one."""
    starts = [max(0, column.start - 2) for column in columns]
    chunks = list(re.finditer(r"\S+(?: \S+)*", line))
    if not 2 <= len(chunks) < len(columns):
        return None
    values: dict[int, str] = {}
    for chunk in chunks:
        column = _column_at(starts, chunk.start())
        ends_before_next = column + 1 == len(columns) or chunk.end() <= starts[column + 1] + 1
        if column in values or not ends_before_next or (values and column < max(values)):
            return None
        values[column] = chunk.group()
    return values


def _around_text_column(words: list[str], count: int, text: int) -> dict[int, str]:
    """Single words in every column but one free-text column, which takes the rest."""
    after = count - text - 1
    values = dict(enumerate(words[:text]))
    values[text] = " ".join(words[text: len(words) - after])
    values.update({text + 1 + i: word for i, word in enumerate(words[len(words) - after:])})
    return values


def _aligned_values(line: str, columns: list[_Column]) -> dict[int, str]:
    """Cells of a space-aligned row, placed by where each chunk starts."""
    starts = [max(0, column.start - 2) for column in columns]
    values: dict[int, list[str]] = {}
    for chunk in re.finditer(r"\S+(?: \S+)*", line):
        column = _column_at(starts, chunk.start())
        spanned = [i for i in range(column + 1, len(columns)) if starts[i] <= chunk.end() - 1]
        if spanned and not any(i in values for i in spanned):
            for word in re.finditer(r"\S+", chunk.group()):
                values.setdefault(_column_at(starts, chunk.start() + word.start()), []).append(word.group())
        else:
            values.setdefault(column, []).append(chunk.group())
    return {i: " ".join(parts) for i, parts in values.items()}


def _column_at(starts: list[int], position: int) -> int:
    column = 0
    for i, start in enumerate(starts):
        if start <= position:
            column = i
    return column


def _read_row(text: _Text, draft: OrderDraft, header: _Header, index: int) -> bool:
    values, confidence = _row_values(text.lines[index], header)
    split = header.delimiter in text.lines[index] if header.delimiter else len(values) >= 2
    if not split and len(header.columns) >= 2:  # a caption or a sentence, not a row
        return False
    by_role = {header.columns[i].role: value for i, value in values.items() if header.columns[i].role}
    ids = [by_role.get(role) for role in ("sku", "customer_part_number", "gtin", "description")]
    if not by_role.get("quantity") and not any(ids):
        return False
    line = _table_line(text, draft, by_role, index, confidence)
    text.add_line(index, line)
    text.used.add(index)
    for i, value in values.items():
        column = header.columns[i]
        # Words in an unknown column, or a description that asks for something, may be an instruction.
        asks = column.role == "description" and freetext.asks_something(value, description=True)
        if column.role is None or asks:
            draft.unexplained.append(text.evidence(index, f"column '{column.name}': {value}"))
    return True


def _table_line(text: _Text, draft: OrderDraft, cells: dict[str | None, str], index: int,
                confidence: float) -> LineDraft:
    evidence = text.evidence(index)
    line = LineDraft()
    for role in ("sku", "customer_part_number", "description", "line_number", "uom"):
        if cells.get(role):
            setattr(line, role, read(cells[role].strip(), evidence, confidence))
    if cells.get("gtin"):
        gtin = cells["gtin"].strip()
        line.gtin = read(gtin, evidence, confidence if is_valid_gtin(gtin) else GUESSED)
    _table_quantity(text, draft, line, cells.get("quantity", ""), index, confidence)
    _table_price(text, draft, line, cells, index, confidence)
    if cells.get("requested_date"):
        line.requested_date = _date_read(text, draft, cells["requested_date"], index, confidence,
                                         role="requested_date")
    return line


def _table_quantity(text: _Text, draft: OrderDraft, line: LineDraft, cell: str, index: int,
                    confidence: float) -> None:
    if not cell:
        return
    value, unit, ambiguous = parse_quantity(cell, decimal_comma=text.decimal_comma)
    if value is None or not 0 < value < _MAX_QUANTITY:
        draft.uncertain.append(f"{text.where(index)}: quantity '{cell}' could not be read")
        return
    if not ambiguous and not text.established and parse_quantity(cell, decimal_comma=None)[2]:
        confidence = min(confidence, LOOSE)  # only the language tells the decimal mark
    line.quantity = read(value, text.evidence(index), AMBIGUOUS if ambiguous else confidence)
    if unit and line.uom is None:
        line.uom = read(unit, text.evidence(index), confidence)


def _table_price(text: _Text, draft: OrderDraft, line: LineDraft, cells: dict[str | None, str],
                 index: int, confidence: float) -> None:
    if cells.get("unit_price"):
        line.unit_price = _amount_read(text, draft, cells["unit_price"], index, confidence)
    if cells.get("price_per"):
        per = _amount_read(text, draft, cells["price_per"], index, confidence)
        line.price_per = per if per and per.value > 0 else None
    if cells.get("line_total") and line.unit_price and line.quantity:
        total = _amount_read(text, draft, cells["line_total"], index, confidence)
        per = line.price_per.value if line.price_per else Decimal(1)
        expected = line.quantity.value * line.unit_price.value / per
        if total is not None and abs(expected - total.value) > Decimal("0.02") + total.value / 1000:
            draft.uncertain.append(
                f"{text.where(index)}: quantity × price ({expected:.2f}) differs from the line total "
                f"({total.value})")
            line.unit_price = read(line.unit_price.value, line.unit_price.evidence, GUESSED)


def _amount_read(text: _Text, draft: OrderDraft, cell: str, index: int,
                 confidence: float) -> Read[Decimal] | None:
    number, currency = split_currency(re.sub(r"\s*/\s*\S+$", "", cell.strip()))
    value, ambiguous = parse_decimal_ex(number, decimal_comma=text.decimal_comma)
    if value is None or value < 0:
        draft.uncertain.append(f"{text.where(index)}: amount '{cell}' could not be read")
        return None
    if not ambiguous and not text.established and parse_decimal_ex(number, decimal_comma=None)[1]:
        confidence = min(confidence, LOOSE)  # only the language tells the decimal mark
    if currency and (code := normalise_currency(currency)):
        text.currencies[code] = text.currencies.get(code, index)
    if ambiguous:
        draft.uncertain.append(f"{text.where(index)}: amount '{cell}' is ambiguous (decimal or thousands)")
    return read(value, text.evidence(index), AMBIGUOUS if ambiguous else confidence)


# --- delivery address ----------------------------------------------------------------------------

_REQUEST_PREFIX = re.compile(r"^\s*(?:please|pls|kindly|bitte|merci de|veuillez|venligst|graag|gelieve)\s+",
                             re.IGNORECASE)
def _read_ship_to(text: _Text, draft: OrderDraft) -> None:
    for index, line in enumerate(text.lines):
        if index in text.used:
            continue
        split = split_label(_REQUEST_PREFIX.sub("", line)) or _ship_to_request(line)
        if split is None or split.role != "ship_to" or not (split.separated or not split.value):
            continue
        if split.value and freetext.asks_something(split.value):
            continue
        if not draft.ship_to.is_empty():
            draft.uncertain.append(f"{text.where(index)}: a second delivery address is named")
            return
        block = _address_block(text, index, split.value)
        text.used.update({index} | {i for i, _ in block})
        _fill_address(text, draft, index, [(index, split.value)] + block if split.value else block)


_DELIVER_TO = re.compile(
    r"^\s*(?:please\s+|bitte\s+|merci de\s+|veuillez\s+|venligst\s+|graag\s+|gelieve\s+)?"
    r"(?P<label>deliver to|ship to|liefern sie an|liefern an|an folgende adresse liefern|livrer à|livrer a"
    r"|lever til|leveren aan|leveren op)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)


def _ship_to_request(line: str) -> LabelSplit | None:
    """"Bitte liefern an:", "Please deliver to:": a delivery address follows."""
    found = _DELIVER_TO.match(line)
    if found is None:
        return None
    return LabelSplit(role="ship_to", label=found.group("label"), value=found.group("value").strip(),
                      separated=True)


def _address_block(text: _Text, label_index: int, inline: str) -> list[tuple[int, str]]:
    block: list[tuple[int, str]] = []
    for index in range(label_index + 1, min(label_index + 7, len(text.lines))):
        line = text.lines[index].strip()
        if not line or index in text.used or split_label(line) is not None or _bullet_order_like(line):
            break
        if freetext.asks_something(line) and not _address_like(line):  # "Please call before delivery"
            break
        block.append((index, line))
    return [] if inline and "," in inline and not block else block


def _address_like(line: str) -> bool:
    # freetext's street (a house number) is narrower than the address module's street words, so
    # "Bitte im Hof abladen" stays an instruction.
    return bool(freetext.is_street(line) or addr.postal_city(line) or addr.country_code(line))


def _bullet_order_like(line: str) -> bool:
    return bool(re.match(rf"^\s*(?:[-*•]\s*)?(?:{_NUM})\s*(?:{_UNIT})?\s*[x×]\s", line, re.IGNORECASE))


def _fill_address(text: _Text, draft: OrderDraft, label_index: int, block: list[tuple[int, str]]) -> None:
    """Free text never proves an address: every part read is at most 0.9."""
    evidences = [text.evidence(index) for index, _ in block]
    found = addr.parse_address_block([line for _, line in block], evidence=evidences.__getitem__)
    address, parts = draft.ship_to, found.address
    address.name, address.street = _restated(parts.name), _restated(parts.street)
    address.postal_code, address.city = _restated(parts.postal_code), _restated(parts.city)
    country = parts.country
    address.country = _restated(country) if found.country_written or country is None else country
    if (address.postal_code is None or address.city is None) and not addr.reads_without_postal_code(found):
        draft.uncertain.append(f"{text.where(label_index)}: delivery address without a recognisable "
                               "postal code and city")


def _restated(part: Read[str] | None) -> Read[str] | None:
    return None if part is None else read(part.value, part.evidence, 0.9)


# --- header fields -------------------------------------------------------------------------------

_PO_INLINE = re.compile(
    r"(?<![\w])(?:(?P<own>our|unsere?r?|notre|vores|onze|my|meine)\s+)?(?P<label>purchase order|p\.o\.|po"
    r"|purchase order number|order number|bestellnummer|bestell-nr|auftragsnummer|numéro de commande"
    r"|ordrenummer|ordrenr|bestelnummer|ordernummer|inkoopordernummer"
    r"|order|bestellung|auftrag|commande|bon de commande|ordre|indkøbsordre|bestilling|bestelling"
    r"|inkooporder)"
    r"(?![\w])(?:\s*-?\s*(?P<no>no\.?|nr\.?|n°|no°|number|nummer|numéro|numero|#))?"
    r"(?:\s+(?:is|ist|est|er|lautet))?\s*(?P<sep>[:#])?\s*"
    r"(?P<value>(?:[A-Za-z]{1,4}[-/]?)?\d[\w\-/.]*)",
    re.IGNORECASE,
)
_REQUESTED_INLINE = re.compile(
    r"(?<![\w])(?:deliver(?:y|ed)?|ship(?:ped|ment)?|needed|required|due|arrive|arrival|liefer\w*|anliefer\w*"
    r"|zustell\w*|bis(?: zum| spätestens)?|spätestens|spatestens|livr\w*|avant le|au plus tard|lever\w*"
    r"|senest|inden|uiterlijk|aflever\w*)\b[^.?!\d]{0,30}?(?P<date>"
    + _DATE_IN_TEXT.pattern + ")",
    re.IGNORECASE,
)
_ORDER_DATE_INLINE = re.compile(
    r"(?<![\w])(?:dated|vom|du|af|van|fra)\s+(?P<date>" + _DATE_IN_TEXT.pattern + ")", re.IGNORECASE
)
_CUSTOMER_INLINE = re.compile(
    r"(?<![\w])(?:customer (?:no\.?|number|#|id)|account (?:no\.?|number)|kunden-?(?:nummer|nr\.?)"
    r"|kd\.?-?nr\.?"
    r"|n° client|numéro (?:de )?client|code client|kunde(?:nummer|nr\.?| nr\.?)|klant(?:nummer|nr\.?)"
    r"|debiteur(?:nummer|nr\.?))(?:\s+(?:bei|with|chez|hos|bij)\s+(?:ihnen|euch|you|vous|jer|dig|u|jullie))?"
    r"\s*[:#]?\s*(?P<value>[A-Za-z]{0,4}[-/]?\d[\w\-/.]*)",
    re.IGNORECASE,
)
_OWN_REFERENCE = re.compile(
    r"(?<![\w])(?:our|unsere?|notre|vores|onze)\s+(?:ref|réf|reference|référence|referenz|referentie)\.?"
    r"(?:\s*(?:no|nr|n°)\.?)?\s*[:#]?\s*(?P<value>(?:[A-Za-z]{1,4}[-/]?)?\d[\w\-/.]*)",
    re.IGNORECASE,
)
#: "All prices in EUR", "Preise in EUR", "Prix en EUR", "Priser i DKK", "Prijzen in EUR".
_CURRENCY_INLINE = re.compile(
    r"(?<![\w])(?:(?:all|alle|tous les|toutes les)\s+)?"
    r"(?:prices|price|preise|prix|priser|pris|prijzen|prijs|amounts|beträge|montants)"
    r"(?:\s+(?:are|sind|sont|er|zijn|verstehen sich))?\s+(?:in|en|i)\s+(?P<code>[A-Z]{3}|€|\$|£)(?![\w])",
    re.IGNORECASE,
)
_SPECIFIC_PO_LABEL = re.compile(r"no|nr|n°|num|#|number|nummer|po|p\.o|purchase|inkoop|indkøb", re.IGNORECASE)


def _read_fields(text: _Text, draft: OrderDraft) -> None:
    for index, line in enumerate(text.lines):
        if index in text.used or not line.strip():
            continue
        split = split_label(line)
        if split is not None and split.value and _read_labelled(text, draft, index, split):
            if index not in text.used:  # "Bestellung 4711 / Liefertermin 14.12.2026": more fields follow
                _read_inline(text, draft, index)
            continue
        _read_inline(text, draft, index)


def _read_labelled(text: _Text, draft: OrderDraft, index: int, split: LabelSplit) -> bool:
    role, value, label = split.role, split.value, split.label
    if role == "po_number":
        token = _po_token(value)
        confidence = EXPLICIT if _SPECIFIC_PO_LABEL.search(label) or split.separated else 0.9
        return token is not None and _field(text, draft, index, "po_number", token, confidence, value)
    if role in ("requested_date", "order_date"):
        found = _DATE_IN_TEXT.search(value)
        parsed = _date_read(text, draft, found.group(), index, EXPLICIT, role=role) if found else None
        if parsed is None or found is None:
            return False
        return _field(text, draft, index, role, parsed.value, parsed.confidence, value, found.group())
    if role == "customer_number":
        token = _id_value(value)
        return token is not None and _field(text, draft, index, role, token, EXPLICIT, value)
    if role == "currency":
        code = normalise_currency(value.split()[0]) if value.split() else None
        return code is not None and _field(text, draft, index, role, code, EXPLICIT, value)
    return False


def _po_token(value: str) -> str | None:
    # One token of letters and digits, perhaps joined by - / . _, holding a digit:
    # "4711", "PO-7", "PO-MAIL-7", "2026/ACME/0042". A word alone is no PO number.
    found = re.match(r"(?P<v>[A-Za-z0-9](?:[\w\-/.]*\w)?)(?P<rest>.*)$", value)
    if (not found or not re.search(r"\d", found.group("v")) or len(found.group("v")) > 40
            or _DATE_IN_TEXT.fullmatch(found.group("v"))):
        return None
    rest = found.group("rest")
    # "Order: 10 x SKU-1" is an order line, not PO 10.
    if re.match(rf"^\s*(?:[x×]\s|(?:{_UNIT}))", rest, re.IGNORECASE):
        return None
    return found.group("v").rstrip(".")


def _id_value(value: str) -> str | None:
    found = re.match(r"[A-Za-z]{0,4}[-/]?\d[\w\-/.]*\w|\d", value)
    return found.group().rstrip(".") if found else None


def _field(text: _Text, draft: OrderDraft, index: int, role: str, value: object, confidence: float,
           written: str, token: str | None = None) -> bool:
    """Set a header field once; a second, different value makes both uncertain."""
    existing: Read | None = getattr(draft, role)
    if existing is not None and existing.value != value:
        draft.uncertain.append(f"{text.where(index)}: a second {role.replace('_', ' ')} "
                               f"'{value}' differs from '{existing.value}'")
        setattr(draft, role, read(existing.value, existing.evidence, min(existing.confidence, AMBIGUOUS)))
    elif existing is None:
        setattr(draft, role, read(value, text.evidence(index), confidence))
    leftover = written.replace(token or str(value), " ", 1)
    if freetext.is_harmless(leftover) or not leftover.strip(_SEPARATORS):
        text.used.add(index)
    return True


def _read_inline(text: _Text, draft: OrderDraft, index: int) -> None:
    line = text.lines[index]
    leftover = line
    for found in _PO_INLINE.finditer(line):
        rest = line[found.end():]
        label = found.group("label")
        token = _po_token(found.group("value") + rest)
        if token:
            specific = found.group("no") or found.group("sep") or _SPECIFIC_PO_LABEL.search(label)
            confidence = EXPLICIT if specific else 0.9
            _set_inline(text, draft, index, "po_number", token, confidence)
            leftover = leftover.replace(found.group(), " ", 1)
    for found in _OWN_REFERENCE.finditer(line):
        token = _po_token(found.group("value") + line[found.end():])
        if token:  # the buyer's own reference is its purchase order number
            _set_inline(text, draft, index, "po_number", token, 0.9)
            leftover = leftover.replace(found.group(), " ", 1)
    leftover = _inline_dates(text, draft, index, leftover)
    for found in _CUSTOMER_INLINE.finditer(line):
        _set_inline(text, draft, index, "customer_number", found.group("value").rstrip("."), 0.9)
        leftover = leftover.replace(found.group(), " ", 1)
    for found in _CURRENCY_INLINE.finditer(line):
        if code := normalise_currency(found.group("code")):
            _set_inline(text, draft, index, "currency", code, 0.9)
            leftover = leftover.replace(found.group(), " ", 1)
    if leftover != line and (freetext.is_harmless(leftover) or not leftover.strip(_SEPARATORS)):
        text.used.add(index)


def _inline_dates(text: _Text, draft: OrderDraft, index: int, leftover: str) -> str:
    for pattern, role in ((_REQUESTED_INLINE, "requested_date"), (_ORDER_DATE_INLINE, "order_date")):
        for found in pattern.finditer(text.lines[index]):
            parsed = _date_read(text, draft, found.group("date"), index, 0.9, role=role)
            if parsed is not None:
                _set_inline(text, draft, index, role, parsed.value, parsed.confidence)
                leftover = leftover.replace(found.group(), " ", 1)
    return leftover


def _set_inline(text: _Text, draft: OrderDraft, index: int, role: str, value: object,
                confidence: float) -> None:
    existing: Read | None = getattr(draft, role)
    if existing is None:
        setattr(draft, role, read(value, text.evidence(index), confidence))
    elif existing.value != value:
        draft.uncertain.append(f"{text.where(index)}: a second {role.replace('_', ' ')} "
                               f"'{value}' differs from '{existing.value}'")
        setattr(draft, role, read(existing.value, existing.evidence, min(existing.confidence, AMBIGUOUS)))


def _date_read(text: _Text, draft: OrderDraft, written: str, index: int,
               confidence: float, *, role: str) -> Read[date] | None:
    value, ambiguous = parse_date(written.strip(" ,."), day_first=text.day_first)
    if value is None:
        return None
    if ambiguous and (settled := _settled_by_sending_day(text, written, role)) is not None:
        return read(settled, text.evidence(index), confidence)
    if ambiguous:
        draft.uncertain.append(f"{text.where(index)}: the date '{written.strip()}' can be read day-first "
                               "or month-first")
        return read(value, text.evidence(index), AMBIGUOUS)
    return read(value, text.evidence(index), confidence)


def _settled_by_sending_day(text: _Text, written: str, role: str) -> date | None:
    """The one reading of an ambiguous date that fits the day the text was sent: a delivery
    date on or after it, an order date on or before it. None when both or neither fit."""
    if text.written_on is None or role not in ("requested_date", "order_date"):
        return None
    readings = {parse_date(written.strip(" ,."), day_first=first)[0] for first in (True, False)}
    if role == "requested_date":
        fitting = {day for day in readings if day is not None and day >= text.written_on}
    else:
        fitting = {day for day in readings if day is not None and day <= text.written_on}
    return fitting.pop() if len(fitting) == 1 else None


_SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|antw|ant|r|fw|fwd|wg|tr|vs|vb|doorst|rv|enc)\s*:\s*)+",
                             re.IGNORECASE)


_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|antw|ant|r|rif)\s*:\s*)", re.IGNORECASE)


def _read_subject(subject: str, draft: OrderDraft) -> None:
    cleaned = _SUBJECT_PREFIX.sub("", subject or "").strip()
    if not cleaned:
        return
    # "Re: PO 4711" names the thread the message answers; a PO the text states with a
    # label is this message's own, so the two may differ without a conflict.
    reply = bool(_REPLY_PREFIX.match(subject or ""))
    if reply and draft.po_number is not None and draft.po_number.confidence >= CONFIDENT:
        return
    evidence = Evidence(text=cleaned[:_EVIDENCE_MAX], part="subject")
    token, confidence = _subject_po(cleaned)
    if token is None:
        return
    if reply:  # the thread's PO, which need not be this message's
        confidence = min(confidence, LOOSE)
    if draft.po_number is None:
        draft.po_number = read(token, evidence, confidence)
    elif _po_key(draft.po_number.value) != _po_key(token):
        draft.uncertain.append(f"the subject names PO '{token}', the text says '{draft.po_number.value}'")
        draft.po_number = read(draft.po_number.value, draft.po_number.evidence, AMBIGUOUS)


def _subject_po(subject: str) -> tuple[str | None, float]:
    split = split_label(subject)
    if split is not None and split.role == "po_number" and split.value:
        token = _po_token(split.value)
        if token:
            return token, EXPLICIT if _SPECIFIC_PO_LABEL.search(split.label) or split.separated else 0.9
    for found in _PO_INLINE.finditer(subject):
        token = _po_token(found.group("value") + subject[found.end():])
        if token:
            return token, 0.9
    return None, 0.0


def _po_key(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.casefold())


# --- loose order lines ---------------------------------------------------------------------------

_EXPLICIT_A = re.compile(
    rf"^\s*(?P<qty>{_NUM})\s*(?P<unit>{_UNIT})?\s*(?P<x>[x×*])\s*(?:(?P<label>{_ARTICLE})\s*)?(?P<id>{_ID_TOKEN})",
    re.IGNORECASE,
)
_EXPLICIT_B = re.compile(
    rf"^\s*(?:(?P<label>{_ARTICLE})\s*)?(?P<id>{_ID_TOKEN})\s+(?P<x>[x×*])\s*(?P<qty>{_NUM})"
    rf"(?:\s*(?P<unit>{_UNIT}))?(?=\s|$|[,;:.)–-])",
    re.IGNORECASE,
)
_EXPLICIT_C = re.compile(
    rf"^\s*(?:(?P<label>{_ARTICLE})\s*)?(?P<id>{_ID_TOKEN})(?:\s*[,;:–-]\s*|\s+)(?P<x>{_QTY_WORD})\.?\s*[:=]?\s*"
    rf"(?P<qty>{_NUM})(?:\s*(?P<unit>{_UNIT}))?(?=\s|$|[,;:.)–-])",
    re.IGNORECASE,
)
_QTY_TEXT_ID = re.compile(
    rf"^\s*(?P<qty>{_NUM})\s*(?P<unit>{_UNIT})\s+(?=[^\W\d_])[^()]{{2,120}}?\s*(?P<open>\()\s*"
    rf"(?:(?P<label>{_ARTICLE})\s*)?(?P<id>{_ID_TOKEN})\s*(?P<close>\))\s*$",
    re.IGNORECASE,
)
_QTY_UNIT = re.compile(rf"(?<![\w.,/-])(?P<qty>{_NUM})\s*(?:[x×]\s*)?(?P<unit>{_UNIT})", re.IGNORECASE)
#: "SKU-4471 Blue widget x 20": identifier, words, then the quantity.
_ID_TEXT_QTY = re.compile(
    rf"^\s*(?:(?P<label>{_ARTICLE})\s*)?(?P<id>{_ID_TOKEN})\s+[^\d\s][^\d]{{1,60}}?\s+(?P<x>[x×])\s*(?P<qty>{_NUM})"
    rf"(?:\s*(?P<unit>{_UNIT}))?\s*$",
    re.IGNORECASE,
)
_QTY_WORD_VALUE = re.compile(rf"{_QTY_WORD}\.?\s*[:=]?\s*(?P<qty>{_NUM})(?:\s*(?P<unit>{_UNIT}))?",
                             re.IGNORECASE)
_LABELLED_ID = re.compile(rf"(?P<label>{_ARTICLE})\s*(?P<id>{_ID_TOKEN})", re.IGNORECASE)
_TOKEN = re.compile(r"[^\s,;:()\[\]]+")
_GAP = r"(?:\s*[-–:,;]\s*|\s+)"
_ID_FIRST = re.compile(rf"^\s*(?P<id>{_ID_TOKEN}){_GAP}(?P<qty>{_NUM})\s*(?P<rest>[-–:,(].*)?$")
_QTY_FIRST = re.compile(rf"^\s*(?P<qty>{_NUM}){_GAP}(?P<id>{_ID_TOKEN})\s*(?P<rest>[-–:,(].*)?$")
_EXPLICIT_ANYWHERE = re.compile(rf"(?<![\w.,/-])(?:{_NUM})\s*(?:{_UNIT})?\s*[x×]\s*[^\W_]", re.IGNORECASE)
_LINE_PREFIX = re.compile(r"^([^\W\d_][\w .'-]{0,24}):\s+")
_MULTI_SPLIT = re.compile(r",\s+|;\s*|\s+(?:and|und|et|og|en|&|\+)\s+", re.IGNORECASE)


@dataclass
class _Found:
    """What an order-line shape found: character spans in the masked line."""

    qty: tuple[int, int]
    id: tuple[int, int]
    unit: tuple[int, int] | None
    confidence: float
    consumed: list[tuple[int, int]]


def _read_loose_lines(text: _Text, draft: OrderDraft) -> None:
    for index, line in enumerate(text.lines):
        if index in text.used or not line.strip() or len(line) > _MAX_LINE:
            continue
        if freetext.is_contact_line(line) or freetext.is_quoted(line):
            continue
        found, explained = parse_order_line(line, text.decimal_comma, text.evidence(index))
        if not text.established and text.decimal_comma is not None:
            _cap_by_convention(found, parse_order_line(line, None, text.evidence(index))[0])
        for line_draft, currency in found:
            text.add_line(index, line_draft)
            if currency:
                text.currencies.setdefault(currency, index)
        if found and explained:
            text.used.add(index)


def _cap_by_convention(found: list[tuple[LineDraft, str | None]],
                       alone: list[tuple[LineDraft, str | None]]) -> None:
    """A number like "1.700" read by the language's decimal mark alone is not sure enough:
    where the line without that convention is ambiguous, the value stays below confident."""
    if len(found) != len(alone):
        return
    for (line, _), (bare, _) in zip(found, alone, strict=True):
        for name in ("quantity", "unit_price"):
            value, plain = getattr(line, name), getattr(bare, name)
            if value is not None and value.confidence > LOOSE and (plain is None or plain.value != value.value
                                                                   or plain.confidence <= AMBIGUOUS):
                setattr(line, name, read(value.value, value.evidence, LOOSE))


def parse_order_line(line: str, decimal_comma: bool | None, evidence: Evidence
                     ) -> tuple[list[tuple[LineDraft, str | None]], bool]:
    """The order line(s) one text line holds, each with a currency code, and whether
    nothing else is said on the line."""
    position, body = _strip_bullet(line)
    found = _many_lines(body, decimal_comma, evidence) or _captioned_line(body, decimal_comma, evidence)
    if found is None:
        return [], False
    if position and len(found[0]) == 1:
        found[0][0][0].line_number = read(position, evidence, LOOSE)
    if not found[1]:  # the line says more than the order line: nothing on it is sure
        for line, _ in found[0]:
            _cap_line(line)
    return found


def _cap_line(line: LineDraft) -> None:
    for name in ("quantity", "uom", "sku", "unit_price"):
        value = getattr(line, name)
        if value is not None and value.confidence > LOOSE:
            setattr(line, name, read(value.value, value.evidence, LOOSE))


_Lines = tuple[list[tuple[LineDraft, str | None]], bool]


def _many_lines(body: str, decimal_comma: bool | None, evidence: Evidence) -> _Lines | None:
    """"10 x SKU-1, 5 x SKU-2 and 2 cases of SKU-3": every piece must be an order line."""
    pieces = [piece for piece in _MULTI_SPLIT.split(body) if piece.strip()]
    if len(pieces) < 2:
        return None
    many = [_captioned_line(piece, decimal_comma, evidence) for piece in pieces]
    if not all(one is not None and len(one[0]) == 1 and _bare_line(one[0][0][0]) for one in many):
        return None
    return [one[0][0] for one in many if one], all(one[1] for one in many if one)


def _bare_line(line: LineDraft) -> bool:
    """A piece of a list of lines: read surely and with no words of its own (words after
    a comma are more likely the first line's description: "1 CS item 4711, Film 500 mm x 270 m")."""
    return line.description is None and line.sku is not None and line.sku.confidence >= LOOSE


def _captioned_line(body: str, decimal_comma: bool | None, evidence: Evidence) -> _Lines | None:
    """One order line, possibly after a caption ("Order: 10 x SKU-1", "Please send 10 x SKU-1")."""
    if _starts_with_size(body):
        return None  # "221.1x42.8x63 mm" is a size, not 221.1 of "42.8x63 mm"
    one = _one_line(body, decimal_comma, evidence)
    if one is not None:
        return [(one[0], one[1])], one[2]
    start = _caption_end(body)
    one = _one_line(body[start:], decimal_comma, evidence) if start else None
    if one is None:
        return None
    if one is not None and _starts_with_size(body[start:]):
        return None
    caption = body[:start].strip(_SEPARATORS)
    return [(one[0], one[1])], one[2] and (not caption or freetext.is_harmless(caption))


#: Three factors ("221.1x42.8x63"), or two of which the first has decimals ("221.1 x 42.8 mm"):
#: a size, never "quantity x item".
_SIZE_START = re.compile(r"\s*(?:\d+(?:[.,]\d+)?\s*[x×]\s*\d+(?:[.,]\d+)?\s*[x×]\s*\d"
                         r"|\d+[.,]\d+\s*[x×]\s*\d+(?:[.,]\d+)?\s*(?:mm|cm|m|in)\b)", re.IGNORECASE)


def _starts_with_size(text: str) -> bool:
    return bool(_SIZE_START.match(text))


def _caption_end(body: str) -> int:
    prefix = _LINE_PREFIX.match(body)
    if prefix:
        return prefix.end()
    explicit = _EXPLICIT_ANYWHERE.search(body)
    return explicit.start() if explicit else 0


def has_multiplier_shape(line: str) -> bool:
    """"10 x SKU-1", "SKU-1 x 10", "SKU-1 qty 10": the shapes a person would not write by accident."""
    masked, _ = _mask_prices(_strip_bullet(line)[1])
    for pattern in (_EXPLICIT_A, _EXPLICIT_B, _EXPLICIT_C):
        found = pattern.match(masked)
        if found and _valid_explicit(found):
            return True
    return False


def _strip_bullet(line: str) -> tuple[str, str]:
    found = _BULLET.match(line)
    if not found:
        return "", line.strip()
    rest = line[found.end():]
    position = found.group("pos") or found.group("pos2") or ""
    # "5. Karton" is not line 5: a numbered item must still hold a number after it.
    if position and not re.search(r"\d", rest):
        return "", line.strip()
    return position, rest.strip()


def _one_line(body: str, decimal_comma: bool | None, evidence: Evidence
              ) -> tuple[LineDraft, str | None, bool] | None:
    masked, prices = _mask_prices(body)
    described = _described_with_id(masked)
    if described is not None:
        return _build_line(body, masked, described, prices, decimal_comma, evidence)
    paren_masked = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), masked)
    for candidate in (paren_masked, masked):
        found = _shape(candidate)
        if found is not None:
            return _build_line(body, candidate, found, prices, decimal_comma, evidence)
    return None


def _described_with_id(masked: str) -> _Found | None:
    """"5 boxes Hex bolt M12 (FAS-10037)": a quantity with a unit word, a description and
    the identifier in brackets at the end."""
    found = _QTY_TEXT_ID.match(masked)
    if found is None or not _valid_id(found.group("id"), labelled=True) or found.group("id").isdigit():
        return None
    consumed = [found.span("open"), found.span("close")]
    consumed += [found.span("label")] if found.group("label") else []
    return _Found(qty=found.span("qty"), id=found.span("id"), unit=found.span("unit"), confidence=EXPLICIT,
                  consumed=consumed)


def _mask_prices(body: str) -> tuple[str, list[re.Match[str]]]:
    prices = [m for m in _PRICE.finditer(body) if _is_price(m)]
    prices += [m for m in _AMOUNT.finditer(body) if not any(_overlaps(m.span(), p.span()) for p in prices)]
    masked = body
    for match in prices:
        masked = masked[: match.start()] + " " * (match.end() - match.start()) + masked[match.end():]
    return masked, prices


def _is_price(match: re.Match[str]) -> bool:
    # "à 12 Stück" is a pack size; a bare "à 12" is a price only with a currency or decimals.
    weak = match.group("lead").casefold() in ("à", "a", "zu", "je", "each", "ea", "ea.")
    has_money = match.group("cur1") or match.group("cur2") or re.search(r"[.,]\d{1,4}$", match.group("num"))
    after = match.string[match.end():]
    return bool(has_money or not weak) and not re.match(rf"^\s*(?:{_UNIT})", after, re.IGNORECASE)


def _overlaps(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def _shape(masked: str) -> _Found | None:
    for pattern in (_EXPLICIT_A, _EXPLICIT_B, _EXPLICIT_C):
        found = pattern.match(masked)
        if found and _valid_explicit(found):
            bare = found.group("id").isdigit() and not found.group("unit") and not found.group("label")
            return _Found(
                qty=found.span("qty"), id=found.span("id"),
                unit=found.span("unit") if found.group("unit") else None,
                confidence=_numbers_confidence(found.group("id"), found.group("qty")) if bare else EXPLICIT,
                consumed=[found.span("x")] + ([found.span("label")] if found.group("label") else []),
            )
    return _id_text_quantity(masked) or _loose_shape(masked)


def _id_text_quantity(masked: str) -> _Found | None:
    found = _ID_TEXT_QTY.match(masked)
    if found is None or _DIMENSION_AFTER.match(masked[found.end():]):
        return None
    labelled = bool(found.group("label") or found.group("unit"))
    if not _valid_id(found.group("id"), labelled=labelled):
        return None
    return _Found(qty=found.span("qty"), id=found.span("id"),
                  unit=found.span("unit") if found.group("unit") else None, confidence=LOOSE,
                  consumed=[found.span("x")] + ([found.span("label")] if found.group("label") else []))


def _valid_explicit(found: re.Match[str]) -> bool:
    token = found.group("id")
    if not _valid_id(token, labelled=True):
        return False
    after = found.string[found.end():]
    # "100 x 200 mm" and "M8 x 40" are dimensions, not quantities of an article.
    if _DIMENSION_AFTER.match(after) and (token.isdigit() or found.re is _EXPLICIT_B):
        return False
    # "4711 x 2": which number is the article? A unit or an article label tells, else the
    # lengths must (see _numbers_confidence).
    if token.isdigit() and not found.group("unit") and not found.group("label"):
        return _numbers_confidence(token, found.group("qty")) > 0
    return True


def _numbers_confidence(article: str, quantity: str) -> float:
    """How sure "article" is the article when both are bare numbers: a long number next
    to a short one ("12 x 100234", "4711 – 5"); 0 when the lengths do not tell."""
    if re.fullmatch(r"\d{4,}", article) and re.fullmatch(r"\d{1,3}", quantity):
        return LOOSE
    return 0.0


def _valid_id(token: str, *, labelled: bool) -> bool:
    if not re.search(r"\d", token) or len(token) > 35 or _NOT_ID.fullmatch(token):
        return False
    if token.startswith("+") or re.fullmatch(r"\d+[.,]\d{1,2}", token):
        return False
    return labelled or not token.isdigit()


def _loose_shape(masked: str) -> _Found | None:
    label = _LABELLED_ID.search(masked)
    if label and not _valid_id(label.group("id"), labelled=True):
        label = None
    quantities = [m for m in list(_QTY_UNIT.finditer(masked)) + list(_QTY_WORD_VALUE.finditer(masked))
                  if not (label and _overlaps(m.span(), label.span()))]
    if label:
        return _labelled_shape(masked, label, quantities)
    if quantities:
        return _unit_shape(masked, quantities[0])
    return _positional_shape(masked)


def _labelled_shape(masked: str, label: re.Match[str], quantities: list[re.Match[str]]) -> _Found | None:
    if quantities:
        qty = quantities[0]
    else:
        numbers = [m for m in re.finditer(rf"(?<![\w.,/-])(?:{_NUM})(?![\w.,/-])", masked)
                   if not _overlaps(m.span(), label.span())]
        if len(numbers) != 1:
            return None
        qty = numbers[0]
    unit = qty.span("unit") if "unit" in qty.re.groupindex and qty.group("unit") else None
    qty_span = qty.span("qty") if "qty" in qty.re.groupindex else qty.span()
    # "Art.-Nr. 4711 – 5 BX", "5 BX Art.-Nr. 4711": an article label, the identifier and a
    # quantity with a unit word side by side leave nothing to guess.
    explicit = unit is not None and _side_by_side(masked, label.span(), qty.span())
    return _Found(qty=qty_span, id=label.span("id"), unit=unit, confidence=EXPLICIT if explicit else LOOSE,
                  consumed=[label.span("label"), qty.span()])


def _side_by_side(masked: str, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Only separators (or "of") stand between two spans."""
    left, right = sorted((first, second))
    return left[1] <= right[0] and bool(_GAP_ONLY.fullmatch(masked[left[1]: right[0]]))


_GAP_ONLY = re.compile(r"[\s\-–—:;,/|]*(?:(?:of|de|d'|von|af|van)\s)?[\s\-–—:;,/|]*", re.IGNORECASE)


def _unit_shape(masked: str, qty: re.Match[str]) -> _Found | None:
    candidates = [m for m in _TOKEN.finditer(masked)
                  if not _overlaps(m.span(), qty.span()) and _valid_id(_trim(m.group()), labelled=True)]
    lettered = [m for m in candidates if not _trim(m.group()).isdigit()]
    pool = lettered or candidates
    if not pool:
        return None
    chosen = _adjacent(pool, qty)
    if chosen is None:
        return None
    start = chosen.start()
    span = (start, start + len(_trim(chosen.group())))
    unit = qty.span("unit") if qty.group("unit") else None
    confidence = LOOSE if len(pool) == 1 else GUESSED
    # "700 EA FAS-10194", "7 bags 230-6105": a unit word and right after it the only identifier,
    # with letters and digits or a structured part number.
    if confidence == LOOSE and unit and span[0] >= qty.end() and _side_by_side(masked, qty.span(), span) \
            and _article_like(masked[span[0]: span[1]]):
        confidence = EXPLICIT
    return _Found(qty=qty.span("qty"), id=span, unit=unit, confidence=confidence, consumed=[qty.span()])


_PART_NUMBER = re.compile(r"\d{2,}(?:[-./]\d{2,})*[-./]\d{3,}")


def _article_like(token: str) -> bool:
    """Letters and digits ("FAS-10194"), or digit groups joined the way part numbers are
    ("230-6105", "4711.002"): no count, size or price looks like that."""
    digits = len(re.sub(r"\D", "", token))
    return bool(re.search(r"[^\W\d_]", token) or _PART_NUMBER.fullmatch(token) and digits >= 6)


def _adjacent(pool: list[re.Match[str]], qty: re.Match[str]) -> re.Match[str] | None:
    """The candidate right after the quantity, else right before it."""
    after = [m for m in pool if m.start() >= qty.end()]
    before = [m for m in pool if m.end() <= qty.start()]
    if after and not _words_between(qty.string[qty.end(): after[0].start()]):
        return after[0]
    if before and not _words_between(qty.string[before[-1].end(): qty.start()]):
        return before[-1]
    return None


def _words_between(gap: str) -> bool:
    """True when words stand between two tokens (they are then not one phrase)."""
    return bool(re.search(r"[^\W\d_]{3,}", gap))


def _positional_shape(masked: str) -> _Found | None:
    """"SKU-1 – 10" or "10 – SKU-1": an identifier with letters and a lone number."""
    for found in (_ID_FIRST.match(masked), _QTY_FIRST.match(masked)):
        if found is None or re.search(r"\d", found.group("rest") or ""):
            continue
        token = found.group("id")
        confidence = LOOSE if _valid_id(token, labelled=False) else 0.0
        if not confidence and token.isdigit() and _numbers_confidence(token, found.group("qty")):
            confidence = GUESSED
        if confidence:
            return _Found(qty=found.span("qty"), id=found.span("id"), unit=None, confidence=confidence,
                          consumed=[])
    return None


def _trim(token: str) -> str:
    return token.rstrip(".,;:!?)'\"").lstrip("(#'\"")


def _build_line(body: str, masked: str, found: _Found, prices: list[re.Match[str]],
                decimal_comma: bool | None, evidence: Evidence) -> tuple[LineDraft, str | None, bool] | None:
    written = masked[found.qty[0]: found.qty[1]]
    quantity, ambiguous = parse_decimal_ex(written, decimal_comma)
    if quantity is None or not 0 < quantity < _MAX_QUANTITY:
        return None
    confidence = AMBIGUOUS if ambiguous else found.confidence
    if re.search(r"\s", written) and decimal_comma is not True:
        # Space grouping goes with the decimal comma (fr, and DIN 5008); elsewhere "2 500"
        # may as well be two numbers.
        confidence = min(confidence, LOOSE)
    line = LineDraft(quantity=read(quantity, evidence, confidence),
                     sku=read(_trim(masked[found.id[0]: found.id[1]]), evidence, found.confidence))
    if found.unit:
        line.uom = read(masked[found.unit[0]: found.unit[1]].strip(), evidence, found.confidence)
    currency = _line_price(line, prices, decimal_comma, evidence)
    leftover = _leftover(body, masked, found, prices)
    explained = _describe(line, leftover, evidence, found.confidence)
    return line, currency, explained and not ambiguous


def _line_price(line: LineDraft, prices: list[re.Match[str]], decimal_comma: bool | None,
                evidence: Evidence) -> str | None:
    if not prices:
        return None
    price = prices[0]
    value, ambiguous = parse_decimal_ex(price.group("num") or price.group("num2"), decimal_comma)
    if value is None:
        return None
    with_lead = "lead" in price.re.groupindex
    currency = price.group("cur1") or price.group("cur2")
    confidence = AMBIGUOUS if ambiguous or len(prices) > 1 else (LOOSE if with_lead else GUESSED)
    if confidence == LOOSE and currency and _price_per_line_unit(line, price):
        confidence = EXPLICIT  # "@ 6.42 EUR", "à 4,63 €/Rolle": a price word, an amount and a currency
    line.unit_price = read(value, evidence, confidence)
    return normalise_currency(currency) if currency else None


_PRICE_BASIS = re.compile(r"\s*(?:/|per\b|pro\b|par\b|pr\.|je\b|for\b|für\b)", re.IGNORECASE)


def _price_per_line_unit(line: LineDraft, price: re.Match[str]) -> bool:
    """The price is for one of the line's units, not "per 100" or per another unit."""
    if _PRICE_BASIS.match(price.string[price.end():]):
        return False
    per = price.group("punit")
    return per is None or (line.uom is not None and fold(per) == fold(line.uom.value))


def _leftover(body: str, masked: str, found: _Found, prices: list[re.Match[str]]) -> str:
    spans = [found.qty, found.id] + ([found.unit] if found.unit else []) + found.consumed
    spans += [p.span() for p in prices[:1]]
    chars = list(body)
    for start, end in spans:
        chars[start:end] = [" "] * (end - start)
    return "".join(chars)


def _describe(line: LineDraft, leftover: str, evidence: Evidence, confidence: float) -> bool:
    """Put the words around the line into its description; False if they say more."""
    words = [word for word in re.findall(r"[^\s()\[\]]+", leftover)
             if word.strip(_SEPARATORS) and fold(word.strip(_SEPARATORS)) not in _DESCRIPTION_NOISE]
    text = " ".join(words).strip(_SEPARATORS)
    if not text:
        return True
    if re.fullmatch(r"[\d\s.,']+", text):
        return False  # a number left over ("1" of "1 500 pcs") is no description: a person reads it
    if freetext.is_harmless(text) and not re.search(r"\d", text):
        return True
    if freetext.asks_something(text, description=True) or len(words) > 12 or _another_line(text):
        return False
    line.description = read(text, evidence, confidence)
    return True


_DIMENSION = re.compile(
    r"(?<![\w.,])m?\d+(?:[.,]\d+)?\s*(?:mm|cm|m|µm|in|\")?"
    r"(?:\s*[x×]\s*\d+(?:[.,]\d+)?\s*(?:mm|cm|m|µm|in|\")?)+"
    r"(?:\s*(?:mm|cm|m|µm|in|\"|v|kv|w|kw|mm²|m²)(?![\w]))"
    r"|(?<![\w.,])m\d+(?:[.,]\d+)?\s*[x×]\s*\d+(?:[.,]\d+)?(?![\w.,])",
    re.IGNORECASE,
)
_MEASURE_UNITS = frozenset(fold(word) for key in ("KG", "G", "L", "M") for word in UNIT_WORDS[key])


def _another_line(text: str) -> bool:
    """A second quantity in a line's description means a second order line this reader
    did not separate; sizes ("500 mm x 270 m", "M12x20") and weights or lengths that no
    article number follows ("Claw hammer 700 g") are part of the description."""
    text = _DIMENSION.sub(" ", text)
    if _EXPLICIT_ANYWHERE.search(text):
        return True
    for found in _QTY_UNIT.finditer(text):
        following = text[found.end():].split()
        followed_by_id = bool(following) and _valid_id(_trim(following[0]), labelled=False)
        counted = fold(found.group("unit")) not in _MEASURE_UNITS or followed_by_id
        if counted and not _content_count(text, found):
            return True
    return False


_JOINING_WORDS = frozenset(("and", "und", "et", "og", "en", "also", "auch", "aussi", "ook", "plus", "sowie",
                            "with", "mit", "avec", "med", "met", "+", "&"))


def _content_count(text: str, found: re.Match[str]) -> bool:
    """"O-ring kit NBR 70 Shore 419 pcs": a count of pieces closing a product's name is what
    the article holds, not a second line. Only at the very end, right after the name's own
    words, with no article number and no joining word ("… and 5 pcs") in the text."""
    before, after = text[: found.start()].split(), text[found.end():].strip(_SEPARATORS + "()")
    if after or not before or normalise_unit(found.group("unit")) != "EA":
        return False
    words = [fold(word.strip(_SEPARATORS)) for word in before]
    return (before[-1][-1:].isalnum() and not _JOINING_WORDS & set(words)
            and not any(_valid_id(_trim(word), labelled=False) for word in before))


# --- finishing -------------------------------------------------------------------------------------


def _currency_from_prices(text: _Text, draft: OrderDraft) -> None:
    stated = draft.currency.value if draft.currency is not None else None
    if stated and set(text.currencies) - {stated}:
        draft.uncertain.append(f"the text says prices are in {stated}, a price is in "
                               f"{', '.join(sorted(set(text.currencies) - {stated}))}")
        return
    if draft.currency is not None or len(text.currencies) != 1:
        if len(text.currencies) > 1:
            draft.uncertain.append(f"prices in several currencies: {', '.join(sorted(text.currencies))}")
        return
    code, index = next(iter(text.currencies.items()))
    draft.currency = read(code, text.evidence(index), 0.9)


def _check_lines(draft: OrderDraft) -> None:
    if draft.lines and draft.po_number is None:
        draft.uncertain.append("PO number missing")
    for number, line in enumerate(draft.lines, start=1):
        where = f"line {number}"
        if line.quantity is None:
            draft.uncertain.append(f"{where}: quantity missing")
        elif line.quantity.confidence <= AMBIGUOUS:
            draft.uncertain.append(f"{where}: quantity {line.quantity.value} is ambiguous (decimal mark or "
                                   "thousands separator)")
        if not line.has_product_identifier():
            draft.uncertain.append(f"{where}: product identifier missing")
