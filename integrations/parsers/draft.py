"""The normalised order draft every parser produces.

A parser is a pure function ``parse(data: bytes, *, name: str = "") ->
ParseResult``: no database, no settings, no clock. Every extracted field
carries how sure the parser is and where in the document it came from, so a
person can check a routed order against its source and the boundary can
refuse to act on anything read with low confidence.

Parsers never guess silently: a value they are unsure of gets a low
confidence, and whatever they cannot place goes into ``uncertain`` (for
fields) or ``unexplained`` (for free text that may be an instruction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

#: At or above this, a field may be acted on without a person.
CONFIDENT = 0.9


class DocumentKind(StrEnum):
    ORDER = "order"
    CHANGE = "change"  # changes an order already sent (UBL OrderChange, X12 BEG01=04 …)
    CANCEL = "cancel"  # cancels an order already sent


class ParseError(ValueError):
    """The bytes cannot be read as this format at all (UNREADABLE_DOCUMENT)."""


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: enough for a person to find it in the source."""

    text: str
    page: int | None = None  # 1-based, PDFs
    line: int | None = None  # 1-based line (text) or segment number (EDI)
    part: str = ""  # e-mail part or attachment name, "" for the document itself
    bbox: tuple[float, float, float, float] | None = None  # PDF x0, top, x1, bottom


@dataclass(frozen=True)
class Read(Generic[T]):
    """One extracted value with its confidence (0..1) and evidence."""

    value: T
    confidence: float = 1.0
    evidence: Evidence | None = None

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT


@dataclass(frozen=True)
class SenderVerdict:
    """One verdict a receiving mail host wrote about the sender (RFC 8601
    Authentication-Results). Which hosts are believed is the operator's to say:
    parsers record every verdict, the resolution reads only the trusted ones."""

    authserv_id: str  # the host that judged: "mx.example.com"
    method: str  # "dmarc", "spf", "dkim" …; "" when the header could not be read
    result: str  # "pass", "fail", "softfail", "none" …; "unreadable" when it could not be read
    domain: str = ""  # the domain judged: header.from, header.d, smtp.mailfrom
    text: str = ""  # the header as written, for evidence


@dataclass
class AddressDraft:
    name: Read[str] | None = None
    street: Read[str] | None = None
    city: Read[str] | None = None
    postal_code: Read[str] | None = None
    country: Read[str] | None = None  # ISO 3166 alpha-2 where the parser could tell

    def is_empty(self) -> bool:
        return not any((self.name, self.street, self.city, self.postal_code, self.country))


@dataclass
class LineDraft:
    quantity: Read[Decimal] | None = None
    uom: Read[str] | None = None  # as written: "CS", "Karton", "C62"; resolved later
    sku: Read[str] | None = None  # our article number (seller's id)
    customer_part_number: Read[str] | None = None  # the buyer's id
    gtin: Read[str] | None = None
    description: Read[str] | None = None
    unit_price: Read[Decimal] | None = None  # per `price_uom` (or per `uom` when None)
    price_per: Read[Decimal] | None = None  # price basis quantity (UBL BaseQuantity, X12 …)
    requested_date: Read[date] | None = None
    line_number: Read[str] | None = None

    def has_product_identifier(self) -> bool:
        return any((self.sku, self.customer_part_number, self.gtin, self.description))


@dataclass
class OrderDraft:
    """One order (or change/cancellation) found in a document."""

    format: str  # "x12", "edifact", "ubl", "csv", "xlsx", "json", "pdf", "email"
    kind: DocumentKind = DocumentKind.ORDER
    po_number: Read[str] | None = None
    order_date: Read[date] | None = None
    requested_date: Read[date] | None = None
    currency: Read[str] | None = None
    customer_number: Read[str] | None = None  # our number for the buyer, if the document names it
    customer_name: Read[str] | None = None
    buyer_ids: list[Read[str]] = field(default_factory=list)  # GLNs, DUNS … for matching
    sender_email: Read[str] | None = None  # the buyer contact named in the document
    shipto_code: Read[str] | None = None
    ship_to: AddressDraft = field(default_factory=AddressDraft)
    notes: list[Read[str]] = field(default_factory=list)  # free text the document carries
    lines: list[LineDraft] = field(default_factory=list)
    #: For a change/cancellation: the PO number of the order it refers to.
    references_po: Read[str] | None = None
    #: Fields that could not be read with confidence, in words, for EXTRACTION_UNCERTAIN.
    uncertain: list[str] = field(default_factory=list)
    #: Sentences no rule could account for, for FREE_TEXT_INSTRUCTION.
    unexplained: list[Evidence] = field(default_factory=list)
    #: Every amount the document's totals rows state (subtotal, tax, charges, total): the
    #: lines must add up to them (``totals.disagreement``).
    stated_totals: list[Read[Decimal]] = field(default_factory=list)
    #: Where in the source this order sits ("ST 0002", "message 3", "page 2" …).
    locator: str = ""
    #: File name of the e-mail attachment this order came from ("" for the body or a file).
    attachment: str = ""
    #: For e-mail: who sent the message, and, for a message a sales rep forwarded, the
    #: original sender (CONTRACT §3: the customer is the original sender's).
    from_email: str = ""
    forwarded_from: str = ""
    #: How many forwards lie between ``from_email`` and ``forwarded_from`` (a forward
    #: inside a forward is 2): only the first level can be vouched for by whoever forwarded.
    forward_depth: int = 0
    #: What the receiving hosts said of ``from_email`` (the outermost message's headers).
    authentication: list[SenderVerdict] = field(default_factory=list)
    #: The language the document is written in ("en", "de", "fr", "da", "nl"; "" when the
    #: parser cannot tell): some words mean different units in different languages.
    language: str = ""


@dataclass
class ParseResult:
    """What one document holds: orders, or the reason it holds none."""

    orders: list[OrderDraft] = field(default_factory=list)
    #: Set when the document is readable but is no order (newsletter, invoice …).
    not_an_order: str = ""


def read(value: T, evidence: Evidence | None = None, confidence: float = 1.0) -> Read[T]:
    """Shorthand used by every parser."""
    return Read(value=value, confidence=confidence, evidence=evidence)


# --- control characters --------------------------------------------------------------------------

#: Characters no order field may carry: C0 and C1 controls (NUL, ESC, CR, LF …) and
#: the Unicode bidirectional controls that make text display otherwise than it is
#: stored (U+202E). They would reach the ERP file, a mail header or a terminal.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: Line breaks and tabs a multi-line text may hold (a description, an address).
_LAYOUT = frozenset("\t\n\r")
#: Fields whose value is one token or one line: a line break in them is as suspect as a NUL.
_ONE_LINE = frozenset({"po_number", "references_po", "customer_number", "shipto_code", "currency",
                       "sender_email", "sku", "customer_part_number", "gtin", "uom", "line_number"})


def scrub_controls(draft: OrderDraft) -> list[str]:
    """Remove control characters from every text of the draft, in place.

    Returns, for ``uncertain``, the fields whose value held any beyond the line
    breaks and tabs a multi-line text may have: such a value was not written as
    it reads, and the order must not execute on a guess of what it says.
    """
    found: list[str] = []
    _scrub_object(draft, "", found)
    for number, line in enumerate(draft.lines, 1):
        _scrub_object(line, f"line {number} ", found)
    _scrub_object(draft.ship_to, "delivery address ", found)
    return found


def _scrub_object(obj: object, where: str, found: list[str]) -> None:
    for item in fields(obj):
        value = getattr(obj, item.name)
        if isinstance(value, list):
            setattr(obj, item.name, [_scrub_value(v, where, item.name, found) for v in value])
        else:
            setattr(obj, item.name, _scrub_value(value, where, item.name, found))


def _scrub_value(value, where: str, name: str, found: list[str]):
    if isinstance(value, str):
        return _clean(value, one_line=False)
    if isinstance(value, Evidence):
        if not _CONTROLS.search(value.text):
            return value
        return replace(value, text=_clean(value.text, one_line=False))
    if not isinstance(value, Read):
        return value  # nested drafts (lines, the address) are scrubbed by scrub_controls
    evidence = _scrub_value(value.evidence, where, name, found)
    one_line = name in _ONE_LINE
    if isinstance(value.value, str) and _CONTROLS.search(value.value):
        bad = sorted({ch for ch in _CONTROLS.findall(value.value) if one_line or ch not in _LAYOUT})
        if bad:
            shown = ", ".join(f"U+{ord(ch):04X}" for ch in bad)
            found.append(f"{where}{name.replace('_', ' ')}: control characters removed ({shown})")
        return replace(value, value=_clean(value.value, one_line=one_line), evidence=evidence)
    return replace(value, evidence=evidence) if evidence is not value.evidence else value


def _clean(text: str, *, one_line: bool) -> str:
    if not _CONTROLS.search(text):
        return text
    if one_line:
        return " ".join(_CONTROLS.sub(" ", text).split())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub(lambda found: found.group() if found.group() in _LAYOUT else "", text)


#: Entries kept of each of a draft's lists of free text and doubts: the draft is
#: stored with its order and shown on the case page, whatever the document held.
MAX_LISTED = 200


def bound_lists(draft: OrderDraft) -> None:
    """Keep the first MAX_LISTED unexplained texts, doubts and notes, and say how
    many more there were (the order routes either way)."""
    if len(draft.unexplained) > MAX_LISTED:
        more = len(draft.unexplained) - MAX_LISTED
        first = draft.unexplained[MAX_LISTED]
        draft.unexplained = [*draft.unexplained[:MAX_LISTED],
                             replace(first, text=f"{more:,} more unexplained texts, the first: "
                                                 f"{first.text[:200]}")]
    if len(draft.uncertain) > MAX_LISTED:
        more = len(draft.uncertain) - MAX_LISTED
        draft.uncertain = [*draft.uncertain[:MAX_LISTED],
                           f"{more:,} more doubts, the first: {draft.uncertain[MAX_LISTED][:200]}"]
    if len(draft.notes) > MAX_LISTED:
        more = len(draft.notes) - MAX_LISTED
        draft.notes = [*draft.notes[:MAX_LISTED], read(f"{more:,} more notes were not kept")]


# --- rules every structured reader applies ---------------------------------------------------------


def requested_date_from_lines(draft: OrderDraft) -> None:
    """Where the header names no delivery date, the lines' date; lines that disagree leave
    no single date to act on with confidence."""
    dated = [line.requested_date for line in draft.lines if line.requested_date is not None]
    if draft.requested_date is None and dated:
        agreed = len({line_date.value for line_date in dated}) == 1
        draft.requested_date = replace(dated[0], confidence=1.0 if agreed else 0.6)


def check_complete(draft: OrderDraft) -> None:
    """An order without its PO number, or without lines, cannot be acted on."""
    if draft.po_number is None:
        draft.uncertain.append("PO number missing")
    if draft.kind is DocumentKind.ORDER and not draft.lines:
        draft.uncertain.append("no order lines")
