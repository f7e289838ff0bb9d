"""UN/EDIFACT ORDERS and ORDCHG (D96A and similar, EANCOM subsets) to order drafts.

pydifact tokenises the text (UNA service string advice, release character).
Grouping segments into messages is done here rather than with pydifact's
``Interchange.get_messages``, because real files break its assumptions: several
interchanges in one file (each may bring its own UNA), a missing UNZ, a message
cut off before its UNT. The control counts are checked, not trusted to be right:
a UNT segment count, a UNZ message count or a CNT control total that disagrees
with what was read means segments may be missing, and the order is uncertain.

Evidence: ``text`` is the segment as written (tag and elements), ``line`` its
1-based position among the file's segments, a leading UNA counting as one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from pydifact.control import Characters
from pydifact.exceptions import EDISyntaxError, ValidationError
from pydifact.parser import Parser
from pydifact.segments import Segment, SegmentFactory
from pydifact.serializer import Serializer

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
from integrations.parsers.limits import check_segments

ORDER_TYPES = ("ORDERS", "ORDCHG")
_ENVELOPE = frozenset({"UNA", "UNB", "UNZ", "UNG", "UNE"})
# Besides its own errors, pydifact lets these escape on malformed text (e.g. "UNB'", tag "q1").
_PYDIFACT_SLIPS = (ValueError, IndexError, TypeError, AttributeError)

# BGM 1225 message function.
_FUNCTION_KINDS = {
    "9": DocumentKind.ORDER,  # original
    "7": DocumentKind.ORDER,  # duplicate: the duplicate check downstream decides
    "1": DocumentKind.CANCEL,
    "3": DocumentKind.CANCEL,  # deletion
    "4": DocumentKind.CHANGE,
    "5": DocumentKind.CHANGE,  # replace
}
_FUNCTION_NAMES = {"6": "confirmation", "16": "proposal", "31": "copy", "43": "additional transmission",
                   "46": "provisional", "53": "test"}
# C212 item number type (7143) to the LineDraft field it fills.
_ID_FIELDS = {"EN": "gtin", "SRV": "gtin", "UP": "gtin", "SA": "sku",
              "IN": "customer_part_number", "BP": "customer_part_number"}
_ID_WORDS = {"gtin": "GTIN", "sku": "supplier article number", "customer_part_number": "buyer article number"}
_PRICE_CONFIDENCE = {"AAA": 1.0, "AAB": 0.8}  # net, gross (allowances may still apply)
_REQUESTED_DATES = ("2", "69", "64", "63")  # requested, promised for, earliest, latest delivery
_DATE_PATTERNS = {
    "102": re.compile(r"(\d{4})(\d\d)(\d\d)"),
    "203": re.compile(r"(\d{4})(\d\d)(\d\d)\d{4}"),
    "204": re.compile(r"(\d{4})(\d\d)(\d\d)\d{6}"),
    "718": re.compile(r"(\d{4})(\d\d)(\d\d)-?\d{8}"),
    "719": re.compile(r"(\d{4})(\d\d)(\d\d)\d{4}-?\d{12}"),
    "101": re.compile(r"(\d\d)(\d\d)(\d\d)"),
    "201": re.compile(r"(\d\d)(\d\d)(\d\d)\d{4}"),
}
_NUMBER = re.compile(r"-?(\d+([.,]\d*)?|[.,]\d+)")
_BUYER_SIDE = frozenset({"DP", "ST", "IV", "UC"})
_LINE_ACTIONS = {"1": "added", "2": "deleted", "3": "changed", "4": "no action", "5": "accepted",
                 "6": "accepted with amendment", "7": "not accepted"}


def parse(data: bytes, *, name: str = "") -> ParseResult:
    """Read every ORDERS/ORDCHG message in an EDIFACT file as one order draft."""
    text = _decode(data)
    if not text.startswith(("UNA", "UNB", "UNH")):
        raise ParseError("not an EDIFACT interchange: it does not start with UNA, UNB or UNH")
    segments, cut_off = _segments(text)
    messages = _messages(segments)
    if not messages and cut_off:
        raise ParseError("EDIFACT text cut off before its first message")
    orders = [message for message in messages if message.type in ORDER_TYPES]
    if not orders:
        return ParseResult(not_an_order=_no_order_reason(messages))
    drafts = [_read_message(message) for message in orders]
    _make_locators_unique(drafts)
    return ParseResult(orders=drafts)


# --- segments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Seg:
    """One pydifact segment with its place in the file and the interchange's service characters."""

    segment: Segment
    index: int
    characters: Characters
    decimal_mark: str

    @property
    def tag(self) -> str:
        return self.segment.tag

    def comp(self, element: int, component: int = 0) -> str:
        """Component of an element, stripped; "" where the segment stops short."""
        elements = self.segment.elements
        value = elements[element] if element < len(elements) else ""
        if isinstance(value, str):
            return value.strip() if component == 0 else ""
        return value[component].strip() if component < len(value) else ""

    def joined(self, element: int, count: int) -> str:
        parts = (self.comp(element, component) for component in range(count))
        return " ".join(part for part in parts if part)

    def evidence(self) -> Evidence:
        text = Serializer(self.characters).serialize([self.segment], with_una_header=False)
        return Evidence(text=text[:-1], line=self.index)


class _UncheckedFactory(SegmentFactory):
    """pydifact validates service segments against directories it does not ship; it only warns."""

    @staticmethod
    def create_segment(name: str, *elements: str | list[str], validate: bool = True, version: str = "4",
                       directory: str = "") -> Segment:
        # An element-less segment ("UNT'") makes pydifact warn; one empty element reads the same.
        return SegmentFactory.create_segment(name, *(elements or ("",)), validate=False, version=version,
                                             directory=directory)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # UNOA/UNOB/UNOC are Latin-based
    return text.strip()


def _segments(text: str) -> tuple[list[_Seg], bool]:
    """The file's segments, and whether its end was cut off mid-segment."""
    segments: list[_Seg] = []
    cut_off = False
    for chunk in _interchange_chunks(text):
        characters = _characters(chunk)
        # Without UNA the ISO 9735 default decimal mark is the full stop (pydifact assumes a comma).
        mark = characters.decimal_point if chunk.startswith("UNA") else "."
        complete = _complete_segments(chunk, characters)
        cut_off = cut_off or complete != chunk
        check_segments(complete, characters.segment_terminator, "EDIFACT")  # before pydifact
        for segment in _tokenise(complete, characters):
            segments.append(_Seg(segment, len(segments) + 1, characters, mark))
    if all(seg.tag == "UNA" for seg in segments):
        raise ParseError("EDIFACT text without a single complete segment")
    return segments, cut_off


def _interchange_chunks(text: str) -> list[str]:
    """Split before every UNA after the first one: pydifact accepts only one UNA per text."""
    starts = [0]
    terminator = text[8:9] if text.startswith("UNA") else "'"
    position = text.find("UNA", 1)
    while position != -1:
        if _previous_char(text, position) == terminator:
            starts.append(position)
            terminator = text[position + 8 : position + 9]
        position = text.find("UNA", position + 1)
    ends = [*starts[1:], len(text)]
    return [text[start:end].strip() for start, end in zip(starts, ends, strict=True)]


def _previous_char(text: str, position: int) -> str:
    position -= 1
    while position >= 0 and text[position].isspace():
        position -= 1
    return text[position] if position >= 0 else ""


def _characters(chunk: str) -> Characters:
    if not chunk.startswith("UNA"):
        return Characters()
    if len(chunk) < 9:
        raise ParseError("EDIFACT UNA service string advice is cut short")
    return Characters.from_str(chunk[:9])


def _complete_segments(chunk: str, characters: Characters) -> str:
    """Drop a last segment that lacks its terminator: a file cut off mid-segment
    would otherwise yield a cut-off value (QTY 1 for 10)."""
    terminator, release = characters.segment_terminator, characters.escape_character
    end = len(chunk)
    while (end := chunk.rfind(terminator, 0, end)) >= 0:
        if not _released(chunk, end, release):
            return chunk[: end + 1]
    return ""


def _released(text: str, position: int, release: str) -> bool:
    count = 0
    while position - count - 1 >= 0 and text[position - count - 1] == release:
        count += 1
    return count % 2 == 1


def _tokenise(chunk: str, characters: Characters) -> list[Segment]:
    if not chunk:
        return []
    parser = Parser(factory=_UncheckedFactory(), characters=characters)
    try:
        return list(parser.parse(chunk))
    except (EDISyntaxError, ValidationError) as exc:
        detail = (str(exc).splitlines() or [""])[0].removeprefix("EDIFACT Syntax Error: ")
        raise ParseError(f"unreadable EDIFACT: {detail}") from exc
    except _PYDIFACT_SLIPS as exc:
        raise ParseError("unreadable EDIFACT: a segment is malformed") from exc


# --- messages --------------------------------------------------------------------------------


@dataclass
class _Message:
    header: _Seg  # UNH
    body: list[_Seg] = field(default_factory=list)
    trailer: _Seg | None = None  # its UNT
    #: What the envelope's control counts say is wrong around this message.
    doubts: list[str] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.trailer is not None

    @property
    def reference(self) -> str:
        return self.header.comp(0)

    @property
    def type(self) -> str:
        return self.header.comp(1).upper()


def _messages(segments: list[_Seg]) -> list[_Message]:
    messages: list[_Message] = []
    current: _Message | None = None
    interchange: list[_Message] = []  # the messages since the last UNB
    groups = 0  # functional groups (UNG) since the last UNB
    opening: _Seg | None = None
    for seg in segments:
        if seg.tag == "UNH":
            current = _Message(seg)
            messages.append(current)
            interchange.append(current)
        elif seg.tag == "UNT" and current is not None:
            current.trailer = seg
            _check_trailer(current)
            current = None
        elif seg.tag in _ENVELOPE:
            current = None  # an interchange boundary ends an unterminated message
            if seg.tag == "UNB":
                interchange, groups, opening = [], 0, seg
            elif seg.tag == "UNG":
                groups += 1
            elif seg.tag == "UNZ":
                _check_interchange(seg, opening, interchange, groups)
        elif current is not None:
            current.body.append(seg)
    return messages


def _check_trailer(message: _Message) -> None:
    """UNT names the message's segment count, UNH and UNT included, and its reference."""
    trailer = message.trailer
    count, reference = trailer.comp(0), trailer.comp(1)
    found = len(message.body) + 2
    if not count.isdigit() or int(count) != found:
        message.doubts.append(f"the message says it has {count or 'no'} segments (UNT) but {found} were "
                              "found: segments may be missing")
    if reference and reference != message.reference:
        message.doubts.append(f"the message trailer refers to message {reference!r}, "
                              f"not {message.reference!r}")


def _check_interchange(trailer: _Seg, opening: _Seg | None, messages: list[_Message], groups: int) -> None:
    """UNZ counts the interchange's messages (its functional groups where it has any)."""
    count, reference = trailer.comp(0), trailer.comp(1)
    found = groups or len(messages)
    doubts = []
    if not count.isdigit() or int(count) != found:
        what = "functional groups" if groups else "messages"
        doubts.append(f"the interchange says it holds {count or 'no'} {what} (UNZ) but {found} were found: "
                      "a message may be missing")
    if opening is not None and reference and reference != opening.comp(4):
        doubts.append(f"the interchange trailer refers to {reference!r}, not {opening.comp(4)!r}")
    for message in messages:
        message.doubts.extend(doubts)


def _no_order_reason(messages: list[_Message]) -> str:
    if not messages:
        return "EDIFACT interchange without any message"
    types = ", ".join(sorted({message.type or "untyped" for message in messages}))
    return f"EDIFACT interchange holds {types} messages, no ORDERS or ORDCHG"


def _make_locators_unique(drafts: list[OrderDraft]) -> None:
    seen: dict[str, int] = {}
    for draft in drafts:
        seen[draft.locator] = seen.get(draft.locator, 0) + 1
        if seen[draft.locator] > 1:
            draft.locator = f"{draft.locator} (#{seen[draft.locator]})"


# --- reading one message ---------------------------------------------------------------------


@dataclass
class _Line:
    draft: LineDraft
    label: str
    quantities: list[_Seg] = field(default_factory=list)
    prices: list[_Seg] = field(default_factory=list)
    descriptions: list[_Seg] = field(default_factory=list)
    dates: dict[str, _Seg] = field(default_factory=dict)
    unplaced_ids: list[str] = field(default_factory=list)


@dataclass
class _State:
    draft: OrderDraft
    message_type: str
    bgm: _Seg | None = None
    header_dates: dict[str, _Seg] = field(default_factory=dict)
    references: dict[str, _Seg] = field(default_factory=dict)
    party: str = ""  # qualifier of the NAD group being read; "" before the first NAD
    contact: str = ""  # function of the CTA being read
    delivery_party: _Seg | None = None
    line: _Line | None = None
    in_summary: bool = False

    def doubt(self, text: str) -> None:
        self.draft.uncertain.append(text)


def _read_message(message: _Message) -> OrderDraft:
    state = _State(OrderDraft(format="edifact", locator=f"message {message.reference}"), message.type)
    for seg in message.body:
        _dispatch(state, seg)
    _close_line(state)
    _finish_header(state)
    if not message.closed:
        state.doubt("message truncated: it has no UNT trailer, segments may be missing")
    for doubt in message.doubts:
        state.doubt(doubt)
    if not state.draft.lines and state.draft.kind is not DocumentKind.CANCEL:
        state.doubt("no order lines (LIN)")
    return state.draft


def _dispatch(state: _State, seg: _Seg) -> None:
    if seg.tag == "UNS":
        if seg.comp(0) != "D":  # UNS+D separates header and detail, UNS+S detail and summary
            _close_line(state)
            state.in_summary = True
        return
    if state.in_summary:
        if seg.tag == "CNT":
            _check_line_count(state, seg)
        elif seg.tag == "MOA":
            _summary_amount(state, seg)
        return
    if seg.tag == "LIN":
        _start_line(state, seg)
        return
    handlers = _LINE_HANDLERS if state.line is not None else _HEADER_HANDLERS
    handler = handlers.get(seg.tag)
    if handler is not None:
        handler(state, seg)


# --- header ----------------------------------------------------------------------------------


def _bgm(state: _State, seg: _Seg) -> None:
    if state.bgm is None:
        state.bgm = seg


def _header_dtm(state: _State, seg: _Seg) -> None:
    state.header_dates.setdefault(seg.comp(0), seg)


def _rff(state: _State, seg: _Seg) -> None:
    # Only the message-level reference group; an RFF after a NAD is that party's reference.
    if not state.party and seg.comp(0, 1):
        state.references.setdefault(seg.comp(0), seg)


def _cux(state: _State, seg: _Seg) -> None:
    if state.draft.currency is None and seg.comp(0) in ("2", "") and seg.comp(0, 1):
        state.draft.currency = read(seg.comp(0, 1), seg.evidence())


def _nad(state: _State, seg: _Seg) -> None:
    qualifier = seg.comp(0)
    state.party, state.contact = qualifier, ""
    if qualifier == "BY":
        _buyer(state.draft, seg)
    elif qualifier in ("DP", "ST"):
        _delivery_party(state, seg)


def _buyer(draft: OrderDraft, seg: _Seg) -> None:
    party_id, agency = seg.comp(1), seg.comp(1, 2)
    evidence = seg.evidence()
    if party_id:
        label = "GLN" if agency == "9" else agency
        draft.buyer_ids.append(read(f"{label}:{party_id}" if label else party_id, evidence))
    if agency == "91" and party_id and draft.customer_number is None:
        draft.customer_number = read(party_id, evidence, 0.8)  # "assigned by seller": our number, probably
    name, confidence = seg.joined(3, 5), 1.0
    if not name:
        name, confidence = seg.joined(2, 5), 0.6  # unstructured C058 lines: a name, maybe more
    if name and draft.customer_name is None:
        draft.customer_name = read(name, evidence, confidence)


def _delivery_party(state: _State, seg: _Seg) -> None:
    first = state.delivery_party
    if first is not None:
        if first.segment.elements[1:] != seg.segment.elements[1:]:
            state.doubt("more than one delivery party (NAD+DP/ST); read the first")
        return
    state.delivery_party = seg
    if seg.comp(1):
        state.draft.shipto_code = read(seg.comp(1), seg.evidence(), 0.7)
    state.draft.ship_to = _address(seg)
    if state.draft.ship_to.is_empty() and seg.joined(2, 5):
        # Unstructured name-and-address lines (C058) cannot be split into fields; ignoring them
        # would ship to the default address.
        state.draft.ship_to.name = read(seg.joined(2, 5), seg.evidence(), 0.5)
        state.doubt("delivery address given only as unstructured lines (NAD C058)")


def _address(seg: _Seg) -> AddressDraft:
    evidence = seg.evidence()

    def part(value: str, confidence: float = 1.0) -> Read[str] | None:
        return read(value, evidence, confidence) if value else None

    country = seg.comp(8)
    return AddressDraft(
        name=part(seg.joined(3, 5)),
        street=part(seg.joined(4, 4)),
        city=part(seg.comp(5)),
        postal_code=part(seg.comp(7)),
        country=part(country, 1.0 if re.fullmatch(r"[A-Z]{2}", country) else 0.6),
    )


def _cta(state: _State, seg: _Seg) -> None:
    state.contact = seg.comp(0)


def _com(state: _State, seg: _Seg) -> None:
    if state.contact not in ("OC", "PD") or state.draft.sender_email is not None:
        return
    if state.party == "BY":
        confidence = 1.0
    elif state.party in _BUYER_SIDE or not state.party:
        confidence = 0.7
    else:
        return  # a supplier-side contact is one of ours, not the sender
    for element in range(len(seg.segment.elements)):
        if seg.comp(element, 1) == "EM" and seg.comp(element):
            state.draft.sender_email = read(seg.comp(element), seg.evidence(), confidence)
            return


def _header_ftx(state: _State, seg: _Seg) -> None:
    text = seg.joined(3, 5)
    if text:
        state.draft.notes.append(read(text, seg.evidence()))


def _header_alc(state: _State, seg: _Seg) -> None:
    kind = {"A": "allowance", "C": "charge"}.get(seg.comp(0), seg.comp(0))
    details = " ".join(part for part in (kind, seg.comp(4), seg.comp(4, 3), seg.comp(4, 4)) if part)
    state.draft.notes.append(read(f"allowance/charge present: {details}", seg.evidence()))


def _finish_header(state: _State) -> None:
    draft, bgm = state.draft, state.bgm
    po_number = bgm.comp(1) if bgm else ""
    if bgm and po_number:
        draft.po_number = read(po_number, bgm.evidence())
    else:
        state.doubt("PO number missing (no BGM document number)")
    draft.kind = _kind(state)
    if draft.kind is not DocumentKind.ORDER:
        draft.references_po = _referenced_po(state)
    draft.order_date = _date_read(state, state.header_dates.get("137"), "order date")
    draft.requested_date = _requested_date(state, state.header_dates, "requested date")


def _kind(state: _State) -> DocumentKind:
    code = state.bgm.comp(2) if state.bgm else ""
    base = DocumentKind.CHANGE if state.message_type == "ORDCHG" else DocumentKind.ORDER
    kind = _FUNCTION_KINDS.get(code)
    if kind is None:
        if code:
            name = _FUNCTION_NAMES.get(code)
            state.doubt(f"message function {code}{f' ({name})' if name else ''} (BGM 1225) is not "
                        "an original order, a change or a cancellation")
        return base
    return base if kind is DocumentKind.ORDER else kind


def _referenced_po(state: _State) -> Read[str] | None:
    reference = state.references.get("ON") or state.references.get("CO")
    if reference is not None:
        return read(reference.comp(0, 1), reference.evidence())
    po_number = state.draft.po_number
    if po_number is None:
        state.doubt("the order being changed or cancelled is not named (no RFF+ON)")
        return None
    if state.message_type == "ORDERS":  # a replacing/cancelling ORDERS repeats the order's own number
        return po_number
    # ORDCHG numbers the change itself in BGM; the order it changes belongs in RFF+ON.
    state.doubt("the order being changed is not named (no RFF+ON); assumed the BGM number")
    return read(po_number.value, po_number.evidence, 0.6)


# --- lines -----------------------------------------------------------------------------------


def _start_line(state: _State, seg: _Seg) -> None:
    _close_line(state)
    number = seg.comp(0)
    label = f"line {number or len(state.draft.lines) + 1}"
    draft = LineDraft(line_number=read(number, seg.evidence()) if number else None)
    state.line = _Line(draft, label)
    _place_id(state, seg.comp(2), seg.comp(2, 1), seg)
    if seg.comp(1):
        _line_action(state, label, seg)


def _line_action(state: _State, label: str, seg: _Seg) -> None:
    action = seg.comp(1)
    name = _LINE_ACTIONS.get(action, "unknown")
    state.draft.notes.append(read(f"{label}: action request {action} ({name})", seg.evidence()))
    if state.message_type == "ORDERS" and action != "1":
        state.doubt(f"{label}: action request {action} ({name}) on an order line")


def _place_id(state: _State, code: str, kind: str, seg: _Seg) -> None:
    line = state.line
    if line is None or not code:
        return
    field_name = _ID_FIELDS.get(kind.upper())
    if field_name is None:
        line.unplaced_ids.append(f"{code}:{kind}" if kind else code)
        return
    current: Read[str] | None = getattr(line.draft, field_name)
    if current is None:
        setattr(line.draft, field_name, read(code, seg.evidence()))
    elif current.value != code:
        state.doubt(f"{line.label}: two different {_ID_WORDS[field_name]}s '{current.value}' and '{code}'")


def _pia(state: _State, seg: _Seg) -> None:
    if seg.comp(0) not in ("1", "5"):  # other functions name substitutes, not the product ordered
        return
    for element in range(1, len(seg.segment.elements)):
        _place_id(state, seg.comp(element), seg.comp(element, 1), seg)


def _imd(state: _State, seg: _Seg) -> None:
    if state.line is not None and seg.comp(0) in ("F", "A", "B", "E") and _imd_text(seg):
        state.line.descriptions.append(seg)


def _qty(state: _State, seg: _Seg) -> None:
    if state.line is not None:
        state.line.quantities.append(seg)


def _pri(state: _State, seg: _Seg) -> None:
    if state.line is not None:
        state.line.prices.append(seg)


def _line_dtm(state: _State, seg: _Seg) -> None:
    if state.line is not None:
        state.line.dates.setdefault(seg.comp(0), seg)


def _line_ftx(state: _State, seg: _Seg) -> None:
    text = seg.joined(3, 5)
    if state.line is not None and text:
        state.draft.notes.append(read(f"{state.line.label}: {text}", seg.evidence()))


def _line_split(state: _State, seg: _Seg) -> None:
    """Schedules, per-location quantities and per-line delivery parties split a line in ways
    a LineDraft cannot hold; reading only the line total would ship wrongly."""
    if seg.tag == "NAD" and seg.comp(0) not in ("DP", "ST"):
        return
    what = {"SCC": "delivery schedule (SCC)", "LOC": "quantities per location (LOC)"}.get(
        seg.tag, f"own delivery party (NAD+{seg.comp(0)})")
    doubt = f"{state.line.label if state.line else 'line'}: {what} not read"
    if doubt not in state.draft.uncertain:
        state.doubt(doubt)


def _close_line(state: _State) -> None:
    line = state.line
    if line is None:
        return
    state.line = None
    _line_quantity(state, line)
    _line_price(state, line)
    if line.descriptions:
        text = "; ".join(_imd_text(seg) for seg in line.descriptions)
        line.draft.description = read(text, line.descriptions[0].evidence())
    line.draft.requested_date = _requested_date(state, line.dates, f"{line.label}: requested date")
    if not line.draft.has_product_identifier():
        unplaced = f" (item numbers of a type not read: {', '.join(line.unplaced_ids)})"
        state.doubt(f"{line.label}: product identifier missing{unplaced if line.unplaced_ids else ''}")
    state.draft.lines.append(line.draft)


def _imd_text(seg: _Seg) -> str:
    parts = (seg.comp(2, 3), seg.comp(2, 4))  # C273 7008, which may be split over two components
    return " ".join(part for part in parts if part)


def _line_quantity(state: _State, line: _Line) -> None:
    if not line.quantities:
        state.doubt(f"{line.label}: quantity missing")
        return
    chosen = next((seg for seg in line.quantities if seg.comp(0) == "21"), None)
    confidence = 1.0
    if chosen is None:
        chosen, confidence = line.quantities[0], 0.6
        state.doubt(f"{line.label}: no ordered quantity (QTY+21); read QTY+{chosen.comp(0)} instead")
    number = _decimal(chosen.comp(0, 1), chosen.decimal_mark)
    if number is None:
        state.doubt(f"{line.label}: quantity '{chosen.comp(0, 1)}' unreadable")
        return
    evidence = chosen.evidence()
    line.draft.quantity = read(number[0], evidence, min(confidence, number[1]))
    if chosen.comp(0, 2):
        line.draft.uom = read(chosen.comp(0, 2), evidence)


def _line_price(state: _State, line: _Line) -> None:
    if not line.prices:
        return
    chosen = min(line.prices, key=lambda seg: (seg.comp(0) not in _PRICE_CONFIDENCE, seg.comp(0) != "AAA"))
    if not chosen.comp(0, 1):
        return
    number = _decimal(chosen.comp(0, 1), chosen.decimal_mark)
    if number is None:
        state.doubt(f"{line.label}: price '{chosen.comp(0, 1)}' unreadable")
        return
    confidence = min(_PRICE_CONFIDENCE.get(chosen.comp(0), 0.6), number[1])
    unit, ordered_unit = chosen.comp(0, 5), line.draft.uom
    if unit and ordered_unit is not None and unit != ordered_unit.value:
        confidence = min(confidence, 0.6)  # priced per another unit than ordered; no field to say so
    evidence = chosen.evidence()
    line.draft.unit_price = read(number[0], evidence, confidence)
    basis = _decimal(chosen.comp(0, 4), chosen.decimal_mark)
    if basis is not None:
        line.draft.price_per = read(basis[0], evidence, basis[1])


#: Summary amounts (MOA, 5025) the lines must make: 79 the lines' total, 86/128/39 the
#: message's total, with 124/176 tax and 131 charges that may be in it.
_SUMMARY_AMOUNTS = frozenset({"79", "86", "128", "39", "124", "176", "131"})


def _summary_amount(state: _State, seg: _Seg) -> None:
    if seg.comp(0) not in _SUMMARY_AMOUNTS:
        return
    amount = _decimal(seg.comp(0, 1), seg.decimal_mark)
    if amount is None:
        state.doubt(f"summary amount {seg.comp(0, 1)!r} (MOA+{seg.comp(0)}) is not a number")
    else:
        state.draft.stated_totals.append(read(amount[0], seg.evidence(), amount[1]))


def _check_line_count(state: _State, seg: _Seg) -> None:
    """CNT control totals: 2 the number of line items, 1 the sum of their quantities."""
    qualifier, stated = seg.comp(0), seg.comp(0, 1)
    if qualifier == "2" and stated.isdigit() and int(stated) != len(state.draft.lines):
        state.doubt(f"the message says it has {stated} lines (CNT+2) but {len(state.draft.lines)} "
                    "were read")
    elif qualifier == "1":
        total = _decimal(stated, seg.decimal_mark)
        lines = [line.quantity.value for line in state.draft.lines if line.quantity is not None]
        if total is None or len(lines) != len(state.draft.lines) or sum(lines) != total[0]:
            state.doubt(f"the message says its quantities add up to {stated} (CNT+1) but the lines "
                        f"add up to {sum(lines)}")


# --- values ----------------------------------------------------------------------------------


def _decimal(raw: str, declared_mark: str) -> tuple[Decimal, float] | None:
    """The number and how sure we are of it: a decimal mark other than the declared one
    is accepted (many senders mix them) but read with less confidence."""
    if not _NUMBER.fullmatch(raw):
        return None
    other_mark = "," if declared_mark == "." else "."
    confidence = 0.8 if other_mark in raw else 1.0
    try:
        return Decimal(raw.replace(",", ".")), confidence
    except InvalidOperation:
        return None


def _date(seg: _Seg) -> tuple[date, float] | None:
    value, code = seg.comp(0, 1), seg.comp(0, 2)
    confidence = 1.0
    if not code:  # the format code is optional; guess it from the length
        code, confidence = {8: "102", 12: "203"}.get(len(value), ""), 0.8
    pattern = _DATE_PATTERNS.get(code)
    match = pattern.fullmatch(value) if pattern else None
    if match is None:
        return None
    year, month, day = (int(group) for group in match.groups())
    if len(match.group(1)) == 2:  # YYMMDD: the century is our assumption
        year, confidence = year + (2000 if year < 70 else 1900), min(confidence, 0.8)
    try:
        return date(year, month, day), confidence
    except ValueError:
        return None


def _date_read(state: _State, seg: _Seg | None, what: str) -> Read[date] | None:
    if seg is None:
        return None
    parsed = _date(seg)
    if parsed is None:
        state.doubt(f"{what} '{seg.comp(0, 1)}' unreadable (DTM format '{seg.comp(0, 2)}')")
        return None
    return read(parsed[0], seg.evidence(), parsed[1])


def _requested_date(state: _State, dates: dict[str, _Seg], what: str) -> Read[date] | None:
    for qualifier in _REQUESTED_DATES:
        if qualifier in dates:
            return _date_read(state, dates[qualifier], what)
    return None


_Handler = Callable[[_State, _Seg], None]
_HEADER_HANDLERS: dict[str, _Handler] = {
    "BGM": _bgm, "DTM": _header_dtm, "RFF": _rff, "CUX": _cux, "NAD": _nad, "CTA": _cta, "COM": _com,
    "FTX": _header_ftx, "ALC": _header_alc,
}
_LINE_HANDLERS: dict[str, _Handler] = {
    "PIA": _pia, "IMD": _imd, "QTY": _qty, "PRI": _pri, "DTM": _line_dtm, "FTX": _line_ftx,
    "SCC": _line_split, "LOC": _line_split, "NAD": _line_split,
}
