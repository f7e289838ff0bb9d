"""ANSI X12 purchase orders: 850 (order, change, cancellation) and 860 (order change).

The separators are not fixed by the standard but declared by each interchange:
its ISA header is fixed-width, so the element separator is the character after
"ISA", the component separator is ISA16 (position 104) and the segment
terminator is whatever follows it. A file may hold several interchanges, each
with its own separators, several groups and several transaction sets; every
850/860 transaction set becomes one OrderDraft. EBCDIC files (fixed 80-column
records, padded with spaces) are recognised by their decoded ISA.

Values are kept as written; codes are only interpreted where X12 fixes their
meaning (purpose codes, id qualifiers, price bases). Anything that changes what
should be shipped or charged but that this module does not apply (allowances,
price conditions, store distributions, line-level ship-tos) goes into `notes`
or `uncertain` so that a person sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

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
from integrations.parsers.limits import MAX_SEGMENT_CHARS, MAX_SEGMENTS

FORMAT = "x12"

# ISA01..ISA16 with their separators: ISA16 sits at index 104, the terminator at 105.
_ISA_LENGTH = 106
# Padding around segments (line breaks after `~`, EBCDIC record fill). Deliberately not
# str.strip(): it would also eat \x1c-\x1f and NEL (EBCDIC 0x15), which are separators.
_PAD = " \t\r\n\f\v\x00"
_BOM = "\ufeff"
# X12 numeric (R/N) values as written; Decimal() alone would also take "NaN", "1_0", "1e9".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[0-9]+")
_DATE = re.compile(r"[0-9]{6}(?:[0-9]{2})?")

_ORDER_SETS = {"850": "purchase order", "860": "purchase order change"}
_OTHER_SETS = {
    "810": "invoice", "820": "payment order", "824": "application advice",
    "830": "planning schedule", "832": "price catalog", "846": "inventory advice",
    "855": "purchase order acknowledgment", "856": "ship notice", "865": "order change acknowledgment",
    "997": "functional acknowledgment", "999": "implementation acknowledgment",
}
_ENVELOPE = frozenset({"ISA", "IEA", "GS", "GE", "TA1"})
# Segments that only make sense inside an order; finding them outside ST…SE means the
# transaction set header was lost, and dropping them silently would lose an order.
_ORDER_BODY = frozenset({"BEG", "BCH", "PO1", "POC"})

_PURPOSES = {
    "00": DocumentKind.ORDER,
    "01": DocumentKind.CANCEL,
    "04": DocumentKind.CHANGE,
    "05": DocumentKind.CHANGE,
}
# Date qualifiers that say when the goods are wanted, best first, with how directly
# they say it: 037/038 and 064/063 bound a window instead of naming a day.
_WANTED_DATES = {"002": 1.0, "010": 1.0, "037": 0.9, "038": 0.8, "064": 0.8, "063": 0.7}

# id qualifier -> (draft field, confidence); earlier entries win within a field.
# VA/VC/ST are style or catalog numbers shared by colour/size variants, and SK does not
# say whose SKU it is, so none of them is trusted as our article number.
_PRODUCT_IDS: dict[str, tuple[str, float]] = {
    "VP": ("sku", 1.0), "VN": ("sku", 1.0), "SK": ("sku", 0.8),
    "VA": ("sku", 0.8), "VC": ("sku", 0.8), "ST": ("sku", 0.8),
    "BP": ("customer_part_number", 1.0), "CB": ("customer_part_number", 1.0),
    "IN": ("customer_part_number", 1.0), "PI": ("customer_part_number", 1.0),
    "UP": ("gtin", 1.0), "EN": ("gtin", 1.0), "UK": ("gtin", 1.0),
    "EO": ("gtin", 1.0), "UA": ("gtin", 1.0),
    "IB": ("gtin", 0.8), "N4": ("gtin", 0.8),  # ISBN-10 / NDC: not GTINs as written
}
_ID_RANK = {qualifier: rank for rank, qualifier in enumerate(_PRODUCT_IDS)}

# Basis of unit price (X12 element 639): bases meaning "per ordered unit" …
_PER_UNIT = frozenset({"", "PE", "TE", "CT", "CP", "CA", "LE", "QE", "QT", "NT", "UM", "WE", "FX", "ST"})
# … and bases that price a fixed number of units.
_PER_QUANTITY = {
    "PN": 10, "PD": 12, "LD": 12, "TD": 12, "WD": 12, "HP": 100, "LC": 100, "QH": 100,
    "TC": 100, "WC": 100, "TP": 1000, "LM": 1000, "QS": 1000, "TM": 1000, "WM": 1000,
    "TT": 10000, "HT": 100000,
}
# CTP price identifiers and classes of trade that are the store's shelf price, not ours.
_RETAIL_PRICES = frozenset({"RES", "MSR", "RTL"})
_RETAIL_TRADE = "RS"
_CHANGE_TYPES = {
    "AI": "add item", "CA": "change to line item", "CT": "change of dates", "DI": "delete item",
    "NC": "no change", "PC": "price change", "PQ": "price and quantity change",
    "QD": "quantity decrease", "QI": "quantity increase", "RZ": "replace all values",
}


def parse(data: bytes, *, name: str = "") -> ParseResult:
    """Read an X12 file; ParseError when the bytes are not an X12 interchange."""
    sets = _transaction_sets(_segments(_decode(data)))
    orders = [ts for ts in sets if ts.code in _ORDER_SETS]
    if not orders:
        return ParseResult(not_an_order=_no_order_reason(sets))
    locators = _locators(sets)
    return ParseResult(orders=[_OrderReader(ts, locators[ts.ordinal]).read() for ts in orders])


# --- bytes to segments ----------------------------------------------------------------


def _decode(data: bytes) -> str:
    text = _decode_ascii(data).lstrip(_PAD + _BOM)
    if text.startswith("ISA"):
        return text
    ebcdic = data.decode("cp500").lstrip(_PAD)  # cp500 maps all 256 bytes, never raises
    if ebcdic.startswith("ISA"):
        return ebcdic
    raise ParseError("not an X12 interchange: the document does not start with an ISA header")


def _decode_ascii(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


@dataclass(frozen=True)
class _Separators:
    element: str
    segment: str
    component: str = ""


def _separators(isa: str) -> _Separators:
    """Separators from the ISA header: fixed-width by the standard, but some
    senders strip the padding, so an unpadded ISA is read by its 16 elements."""
    if len(isa) < 20:
        raise ParseError(f"X12 ISA header is truncated ({len(isa)} characters)")
    element = isa[3]
    if len(isa) >= _ISA_LENGTH and isa[103] == element and len(isa[:104].split(element)) == 17:
        component_at = 104
    else:
        component_at = _after_sixteenth(isa, element)
    component, segment = isa[component_at:component_at + 1], isa[component_at + 1:component_at + 2]
    if segment == "\r" and isa[component_at + 2:component_at + 3] == "\n":
        segment = "\n"
    separators = (element, component, segment)
    if len(set(separators)) < 3 or any(not c or c.isalnum() or c == " " for c in separators):
        raise ParseError(f"X12 ISA header declares unusable separators {separators!r}")
    return _Separators(element=element, segment=segment, component=component)


def _after_sixteenth(isa: str, element: str) -> int:
    index = -1
    for _ in range(16):
        index = isa.find(element, index + 1)
        if index < 0:
            raise ParseError("X12 ISA header is truncated (fewer than 16 elements)")
    return index + 1


@dataclass(frozen=True)
class _Segment:
    elements: tuple[str, ...]  # elements[0] is the segment id, elements[1] is XX01 …
    text: str
    number: int  # 1-based position in the file, ISA included

    @property
    def tag(self) -> str:
        return self.elements[0].strip()

    def el(self, index: int) -> str:
        return self.elements[index].strip() if index < len(self.elements) else ""

    @property
    def evidence(self) -> Evidence:
        return Evidence(text=self.text, line=self.number)


def _segments(text: str) -> list[_Segment]:
    segments: list[_Segment] = []
    pos = 0
    # Whatever follows the last IEA and is not another ISA is trailing garbage.
    while text.startswith("ISA", pos):
        pos = _read_interchange(text, pos, _separators(text[pos:pos + 2 * _ISA_LENGTH]), segments)
        pos = len(text) - len(text[pos:].lstrip(_PAD))
    return segments


def _read_interchange(text: str, start: int, seps: _Separators, out: list[_Segment]) -> int:
    """Append the segments from ISA to IEA (or the end); return where reading stopped."""
    pos = start
    while pos < len(text):
        end = text.find(seps.segment, pos)
        end = len(text) if end < 0 else end
        _check_size(end - pos, len(out))
        raw = text[pos:end].strip(_PAD)
        if raw.startswith("ISA") and pos > start:
            return pos  # the next interchange begins although this one lacks its IEA
        pos = end + len(seps.segment)
        if seps.component and raw.endswith(seps.component) and seps.segment in "\r\n":
            # "CTT*10~⏎": a "~" before each line break where ISA16 was taken for it (the
            # sender's real terminator), not an empty last component.
            raw = raw[:-1]
        if raw:
            out.append(_Segment(tuple(raw.split(seps.element)), raw, len(out) + 1))
            if out[-1].tag == "IEA":
                break
    return pos


def _check_size(characters: int, segments: int) -> None:
    """Checked before a segment is made: a 25 MB file of segments ran the worker out of memory."""
    if characters > MAX_SEGMENT_CHARS:
        raise ParseError(f"an X12 segment has {characters:,} characters; at most "
                         f"{MAX_SEGMENT_CHARS:,} are read")
    if segments >= MAX_SEGMENTS:
        raise ParseError(f"the X12 file has more than {MAX_SEGMENTS:,} segments")


# --- segments to transaction sets -----------------------------------------------------


@dataclass
class _TransactionSet:
    header: _Segment
    ordinal: int
    interchange: _Segment | None
    body: list[_Segment] = field(default_factory=list)
    trailer: _Segment | None = None

    @property
    def code(self) -> str:
        return self.header.el(1)

    @property
    def control(self) -> str:
        return self.header.el(2)


def _transaction_sets(segments: list[_Segment]) -> list[_TransactionSet]:
    sets: list[_TransactionSet] = []
    current: _TransactionSet | None = None
    interchange: _Segment | None = None
    for seg in segments:
        interchange = seg if seg.tag == "ISA" else interchange
        if seg.tag == "ST":
            current = _TransactionSet(seg, len(sets) + 1, interchange)
            sets.append(current)
        elif current is None:
            _refuse_stray(seg)
        elif seg.tag == "SE":
            current.trailer, current = seg, None
        elif seg.tag in _ENVELOPE:
            current = None  # SE missing: the set stays open-ended and is flagged later
        else:
            current.body.append(seg)
    return sets


def _refuse_stray(seg: _Segment) -> None:
    if seg.tag in _ORDER_BODY:
        raise ParseError(f"X12 segment {seg.number} ({seg.tag}) lies outside an ST…SE transaction set")


def _no_order_reason(sets: list[_TransactionSet]) -> str:
    if not sets:
        return "the X12 interchange holds no transaction set"
    kinds = sorted({f"{ts.code} ({_OTHER_SETS.get(ts.code, 'unknown type')})" for ts in sets})
    return f"the X12 file holds no purchase order, only transaction sets {', '.join(kinds)}"


def _locators(sets: list[_TransactionSet]) -> dict[int, str]:
    controls = [ts.control for ts in sets]
    # Control numbers should be unique but are not always; the ordinal keeps locators apart.
    return {
        ts.ordinal: f"ST {ts.control}" if controls.count(ts.control) == 1
        else f"ST {ts.control} (set {ts.ordinal})"
        for ts in sets
    }


# --- values ---------------------------------------------------------------------------


def _decimal(raw: str) -> Decimal | None:
    return Decimal(raw) if _NUMBER.fullmatch(raw) else None


def _implied_decimal(raw: str, places: int) -> Decimal | None:
    """X12 type Nn: digits with an implied decimal point, unless one is written."""
    value = _decimal(raw)
    if value is None or "." in raw:
        return value
    return value.scaleb(-places)


def _date(raw: str) -> tuple[date, float] | None:
    """CCYYMMDD, or YYMMDD (older versions) with the century inferred."""
    if not _DATE.fullmatch(raw):
        return None
    confidence = 1.0
    if len(raw) == 6:
        year, confidence = int(raw[:2]), 0.9
        raw = f"{2000 + year if year < 50 else 1900 + year}{raw[2:]}"
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:])), confidence
    except ValueError:
        return None


def _wanted_date(candidates: dict[str, Read[date]]) -> Read[date] | None:
    return next((candidates[q] for q in _WANTED_DATES if q in candidates), None)


# --- one transaction set to one order -------------------------------------------------


@dataclass(frozen=True)
class _LineLayout:
    """Element positions in PO1 (850) and POC (860)."""

    quantity: int
    unit: int
    price: int
    basis: int
    ids: int


_PO1 = _LineLayout(quantity=2, unit=3, price=4, basis=5, ids=6)
_POC = _LineLayout(quantity=3, unit=5, price=6, basis=7, ids=8)


@dataclass
class _Line:
    segment: _Segment
    label: str
    draft: LineDraft = field(default_factory=LineDraft)
    dates: dict[str, Read[date]] = field(default_factory=dict)
    schedules: list[_Segment] = field(default_factory=list)
    distributed: bool = False


@dataclass
class _Party:
    n1: _Segment
    details: list[_Segment] = field(default_factory=list)  # N2, N3, N4

    @property
    def role(self) -> str:
        return self.n1.el(1)

    def first(self, tag: str) -> _Segment | None:
        return next((seg for seg in self.details if seg.tag == tag), None)


class _OrderReader:
    """Walks one transaction set in order, remembering which loop (N1, PO1) it is in."""

    def __init__(self, ts: _TransactionSet, locator: str) -> None:
        self.ts = ts
        self.order = OrderDraft(format=FORMAT, locator=locator)
        self.dates: dict[str, Read[date]] = {}
        self.parties: list[_Party] = []
        self.party: _Party | None = None
        self.lines: list[_Line] = []
        self.line: _Line | None = None
        self.line_total: _Segment | None = None

    def read(self) -> OrderDraft:
        if self.ts.code == "860":
            self.order.kind = DocumentKind.CHANGE
        for seg in self.ts.body:
            handler = _HANDLERS.get(seg.tag)
            if handler is not None:
                handler(self, seg)
        self._close_line()
        return self._finish()

    def doubt(self, text: str) -> None:
        self.order.uncertain.append(text)

    def note(self, text: str, seg: _Segment) -> None:
        where = f"{self.line.label}: " if self.line else ""
        self.order.notes.append(read(where + text, seg.evidence))

    def read_date(self, seg: _Segment, raw: str, what: str) -> Read[date] | None:
        parsed = _date(raw) if raw else None
        if raw and parsed is None:
            self.doubt(f"{what} {raw!r} ({seg.tag}) is not a date")
        return read(parsed[0], seg.evidence, parsed[1]) if parsed else None

    # header

    def beg(self, seg: _Segment) -> None:
        kind = _PURPOSES.get(seg.el(1))
        if kind is None:
            self.doubt(f"purpose code {seg.el(1) or '(missing)'} (BEG01) is not an original order, "
                       "a change or a cancellation")
        self.order.kind = kind or DocumentKind.ORDER
        self._header(seg, order_type=seg.el(2), po=seg.el(3), release=seg.el(4), issued=seg.el(5))

    def bch(self, seg: _Segment) -> None:
        self.order.kind = DocumentKind.CANCEL if seg.el(1) == "01" else DocumentKind.CHANGE
        self._header(seg, order_type=seg.el(2), po=seg.el(3), release=seg.el(4), issued=seg.el(6))

    def _header(self, seg: _Segment, *, order_type: str, po: str, release: str, issued: str) -> None:
        if po:
            self.order.po_number = read(po, seg.evidence)
        if order_type == "BK":
            self.doubt(f"order type BK ({seg.tag}02) is a blanket order: an agreement, "
                       "not a call-off to ship")
        if release:
            self.note(f"release {release} against order {po} ({seg.tag}04)", seg)
        self.order.order_date = self.read_date(seg, issued, "order date")

    def cur(self, seg: _Segment) -> None:
        code = seg.el(2)
        current = self.order.currency
        if current is not None and code and current.value != code:
            self.doubt(f"several currencies: {current.value} and {code} (CUR)")
        elif code and current is None:
            self.order.currency = read(code, seg.evidence, 1.0 if seg.el(1) in ("BY", "") else 0.8)

    def dtm(self, seg: _Segment) -> None:
        self._wanted(seg, seg.el(1), seg.el(2))

    def _wanted(self, seg: _Segment, qualifier: str, raw: str) -> None:
        dates = self.line.dates if self.line else self.dates
        if qualifier not in _WANTED_DATES or qualifier in dates:
            return
        parsed = self.read_date(seg, raw, f"date {qualifier}")
        if parsed is not None:
            confidence = min(parsed.confidence, _WANTED_DATES[qualifier])
            dates[qualifier] = read(parsed.value, seg.evidence, confidence)

    def per(self, seg: _Segment) -> None:
        # The buyer or order contact is who placed the order; other contacts only may have.
        role_confidence = 1.0 if seg.el(1) in ("BD", "OC") else 0.8
        for pos in (3, 5, 7):
            email = seg.el(pos + 1)
            if seg.el(pos) != "EM" or not email:
                continue
            confidence = role_confidence if "@" in email else 0.5
            current = self.order.sender_email
            if current is None or current.confidence < confidence:
                self.order.sender_email = read(email, seg.evidence, confidence)

    def n1(self, seg: _Segment) -> None:
        if self.line is not None:
            self.party = None  # line-level parties are not the order's parties
            if seg.el(1) == "ST":
                self.doubt(f"{self.line.label}: has its own ship-to address (N1*ST inside the line)")
            return
        self.party = _Party(seg)
        self.parties.append(self.party)

    def party_detail(self, seg: _Segment) -> None:
        if self.party is not None:
            self.party.details.append(seg)

    def text(self, seg: _Segment) -> None:
        message = seg.el(1) if seg.tag == "MSG" else seg.el(2)
        if message:
            self.note(message, seg)

    def sac(self, seg: _Segment) -> None:
        kind = {"A": "allowance", "C": "charge"}.get(seg.el(1))
        if kind is None:
            return  # SAC*N: "no allowance or charge", only marking/ticketing instructions
        parts = [f"{kind} {seg.el(2)}".strip(), seg.el(15)]
        amount = _implied_decimal(seg.el(5), 2) if seg.el(5) else None
        parts.append(f"amount {amount}" if amount is not None else "")
        parts.append(f"percent {seg.el(7)}" if seg.el(7) else "")
        self.note("SAC allowance/charge present: " + ", ".join(p for p in parts if p), seg)

    def ctp(self, seg: _Segment) -> None:
        if seg.el(1) == _RETAIL_TRADE or seg.el(2) in _RETAIL_PRICES:
            return
        if seg.el(2) == "UCP" and self._cost_price(seg):
            return
        written = " ".join(value for value in (seg.el(i) for i in range(1, len(seg.elements))) if value)
        self.note(f"CTP price condition present: {written}", seg)

    def _cost_price(self, seg: _Segment) -> bool:
        """A VICS unit cost price stands in for a missing PO104; True when nothing is left to say."""
        price = _decimal(seg.el(3))
        if self.line is None or price is None:
            return False
        current = self.line.draft.unit_price
        if current is None:
            self.line.draft.unit_price = read(price, seg.evidence, 0.9)
        return current is None or current.value == price

    def ctt(self, seg: _Segment) -> None:
        self.line_total = seg

    def amt(self, seg: _Segment) -> None:
        """AMT*TT (total transaction amount) after the lines: the lines must make it."""
        amount = _decimal(seg.el(2))
        if seg.el(1) == "TT" and amount is not None:
            self.order.stated_totals.append(read(amount, seg.evidence))

    # lines

    def po1(self, seg: _Segment) -> None:
        self._open_line(seg, _PO1)

    def poc(self, seg: _Segment) -> None:
        self._open_line(seg, _POC)
        change = seg.el(2)
        if change:
            self.note(f"change type {change} ({_CHANGE_TYPES.get(change, 'unknown code')})", seg)

    def _open_line(self, seg: _Segment, layout: _LineLayout) -> None:
        self._close_line()
        self.party = None
        number = seg.el(1)
        line = self.line = _Line(seg, f"line {number or len(self.lines) + 1}")
        draft = line.draft
        draft.line_number = read(number, seg.evidence) if number else None
        draft.quantity = self._quantity(seg, seg.el(layout.quantity), line.label)
        unit = seg.el(layout.unit)
        draft.uom = read(unit, seg.evidence) if unit else None
        self._price(seg, line, seg.el(layout.price), seg.el(layout.basis))
        _product_ids(seg, layout.ids, draft)

    def _quantity(self, seg: _Segment, raw: str, label: str) -> Read[Decimal] | None:
        value = _decimal(raw)
        if value is None:
            self.doubt(f"{label}: quantity {'missing' if not raw else repr(raw) + ' is not a number'}")
            return None
        if value <= 0:
            self.doubt(f"{label}: quantity {raw} is not a positive quantity")
        return read(value, seg.evidence)

    def _price(self, seg: _Segment, line: _Line, raw: str, basis: str) -> None:
        if not raw:
            return  # no price on the order: the agreement price applies
        value, draft = _decimal(raw), line.draft
        if value is None:
            self.doubt(f"{line.label}: unit price {raw!r} is not a number")
        elif basis in _PER_UNIT:
            draft.unit_price = read(value, seg.evidence)
        elif basis in _PER_QUANTITY:
            draft.unit_price = read(value, seg.evidence)
            draft.price_per = read(Decimal(_PER_QUANTITY[basis]), seg.evidence)
        else:
            draft.unit_price = read(value, seg.evidence, 0.5)
            self.doubt(f"{line.label}: price {raw} has basis {basis}, not a price per ordered unit")

    def pid(self, seg: _Segment) -> None:
        text = seg.el(5)
        if self.line is None or not text or seg.el(1) not in ("F", "X"):
            return
        _append_description(self.line.draft, text, seg)

    def sch(self, seg: _Segment) -> None:
        if self.line is not None:
            self.line.schedules.append(seg)
            self._wanted(seg, seg.el(5), seg.el(6))

    def sdq(self, seg: _Segment) -> None:
        if self.line is not None and not self.line.distributed:
            self.line.distributed = True
            self.note("SDQ destination quantities present: the quantity is split over several locations", seg)

    def _close_line(self) -> None:
        line, self.line = self.line, None
        if line is None:
            return
        self.lines.append(line)
        draft = line.draft
        draft.requested_date = _wanted_date(line.dates)
        if draft.uom is None:
            self.doubt(f"{line.label}: unit missing")
        if not (draft.sku or draft.customer_part_number or draft.gtin):
            self.doubt(f"{line.label}: product identifier missing")
        self._check_schedules(line)

    def _check_schedules(self, line: _Line) -> None:
        if len(line.schedules) > 1:
            count = len(line.schedules)
            self.doubt(f"{line.label}: delivery schedule splits the quantity over {count} dates")
        elif line.schedules and line.draft.quantity is not None:
            scheduled = _decimal(line.schedules[0].el(1))
            if scheduled is not None and scheduled != line.draft.quantity.value:
                self.doubt(f"{line.label}: schedules {scheduled} of {line.draft.quantity.value} ordered")

    # the whole order

    def _finish(self) -> OrderDraft:
        order = self.order
        order.lines = [line.draft for line in self.lines]
        order.requested_date = _wanted_date(self.dates)
        _apply_parties(order, self.parties)
        if order.kind is not DocumentKind.ORDER:
            order.references_po = order.po_number
        self._check_complete()
        return order

    def _check_complete(self) -> None:
        if self.order.po_number is None:
            self.doubt("PO number missing")
        if not self.lines and self.order.kind is DocumentKind.ORDER:
            self.doubt("the order has no lines")
        isa = self.ts.interchange
        if isa is not None and isa.el(15) == "T":
            self.doubt("the interchange is marked as test data (ISA15 = T)")
        self._check_line_total()
        self._check_segment_count()

    def _check_line_total(self) -> None:
        if self.line_total is None:
            return
        counted = self.line_total.el(1)
        if not _INTEGER.fullmatch(counted) or int(counted) != len(self.lines):
            self.doubt(f"CTT counts {counted or 'no'} lines but the order has {len(self.lines)}")

    def _check_segment_count(self) -> None:
        trailer, control = self.ts.trailer, self.ts.control
        if trailer is None:
            self.doubt(f"transaction set ST {control} has no SE trailer: the order may be incomplete")
            return
        counted, actual = trailer.el(1), len(self.ts.body) + 2
        if not _INTEGER.fullmatch(counted) or int(counted) != actual:
            self.doubt(f"SE counts {counted or 'no'} segments but ST {control} has {actual}: "
                       "the order may be incomplete")


_HANDLERS: dict[str, Callable[[_OrderReader, _Segment], None]] = {
    "BEG": _OrderReader.beg, "BCH": _OrderReader.bch, "CUR": _OrderReader.cur,
    "DTM": _OrderReader.dtm, "PER": _OrderReader.per, "N1": _OrderReader.n1,
    "N2": _OrderReader.party_detail, "N3": _OrderReader.party_detail, "N4": _OrderReader.party_detail,
    "MSG": _OrderReader.text, "NTE": _OrderReader.text, "SAC": _OrderReader.sac,
    "CTP": _OrderReader.ctp, "CTT": _OrderReader.ctt, "AMT": _OrderReader.amt, "PO1": _OrderReader.po1,
    "POC": _OrderReader.poc, "PID": _OrderReader.pid, "SCH": _OrderReader.sch,
    "SDQ": _OrderReader.sdq,
}


def _append_description(draft: LineDraft, text: str, seg: _Segment) -> None:
    """Several PID segments (style, colour, size …) describe one line together."""
    current = draft.description
    if current is None or current.evidence is None:
        draft.description = read(text, seg.evidence)
        return
    evidence = Evidence(text=f"{current.evidence.text}\n{seg.text}", line=current.evidence.line)
    draft.description = read(f"{current.value}; {text}", evidence)


def _product_ids(seg: _Segment, start: int, draft: LineDraft) -> None:
    best: dict[str, tuple[int, str, float]] = {}
    for pos in range(start, len(seg.elements) - 1, 2):
        qualifier, value = seg.el(pos), seg.el(pos + 1)
        if qualifier not in _PRODUCT_IDS or not value:
            continue
        name, confidence = _PRODUCT_IDS[qualifier]
        if name not in best or _ID_RANK[qualifier] < best[name][0]:
            best[name] = (_ID_RANK[qualifier], value, confidence)
    for name, (_, value, confidence) in best.items():
        setattr(draft, name, read(value, seg.evidence, confidence))


# --- parties --------------------------------------------------------------------------


def _apply_parties(order: OrderDraft, parties: list[_Party]) -> None:
    roles: dict[str, list[_Party]] = {}
    for party in parties:
        roles.setdefault(party.role, []).append(party)
    # Without a BY party, the bill-to is the best hint at the customer, but only a hint.
    buyer = _first(roles, ("BY", 1.0), ("BS", 0.6), ("BT", 0.6))
    if buyer is not None:
        _apply_buyer(order, *buyer)
    ship_to = _first(roles, ("ST", 1.0), ("BS", 1.0))
    if ship_to is not None:
        _apply_ship_to(order, ship_to[0])
    if len(roles.get("ST", [])) > 1:
        order.uncertain.append("several ship-to parties (N1*ST) in one order")


def _first(roles: dict[str, list[_Party]], *choices: tuple[str, float]) -> tuple[_Party, float] | None:
    return next(((roles[role][0], conf) for role, conf in choices if role in roles), None)


def _apply_buyer(order: OrderDraft, party: _Party, confidence: float) -> None:
    n1 = party.n1
    if n1.el(2):
        order.customer_name = read(n1.el(2), n1.evidence, confidence)
    qualifier, code = n1.el(3), n1.el(4)
    if not code:
        return
    order.buyer_ids.append(read(f"{qualifier}:{code}" if qualifier else code, n1.evidence, confidence))
    if qualifier == "91":  # "assigned by seller": our own number for them, if the buyer kept it current
        order.customer_number = read(code, n1.evidence, min(confidence, 0.6))


def _apply_ship_to(order: OrderDraft, party: _Party) -> None:
    n1, address = party.n1, order.ship_to
    address.name = _party_name(party)
    _apply_street(address, [seg for seg in party.details if seg.tag == "N3"])
    n4 = party.first("N4")
    if n4 is not None:
        _apply_place(address, n4)
    if n1.el(4):
        order.shipto_code = read(n1.el(4), n1.evidence, 0.8)


def _party_name(party: _Party) -> Read[str] | None:
    if party.n1.el(2):
        return read(party.n1.el(2), party.n1.evidence)
    n2 = party.first("N2")  # some senders leave N1-02 empty and name the party in N2
    return read(n2.el(1), n2.evidence) if n2 is not None and n2.el(1) else None


def _apply_street(address: AddressDraft, n3s: list[_Segment]) -> None:
    street = ", ".join(value for seg in n3s for value in (seg.el(1), seg.el(2)) if value)
    if street:
        address.street = read(street, n3s[0].evidence)


def _apply_place(address: AddressDraft, n4: _Segment) -> None:
    if n4.el(1):
        address.city = read(n4.el(1), n4.evidence)
    if n4.el(3):
        address.postal_code = read(n4.el(3), n4.evidence)
    country = n4.el(4)
    if country:
        # Only a two-letter code is ISO 3166 alpha-2; anything else is kept for a person.
        is_alpha2 = len(country) == 2 and country.isascii() and country.isalpha()
        address.country = read(country, n4.evidence, 1.0 if is_alpha2 else 0.5)
