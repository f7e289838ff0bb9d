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

from dataclasses import dataclass, field
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
    #: Where in the source this order sits ("ST 0002", "message 3", "page 2" …).
    locator: str = ""
    #: File name of the e-mail attachment this order came from ("" for the body or a file).
    attachment: str = ""
    #: For e-mail: who sent the message, and, for a message a sales rep forwarded, the
    #: original sender (CONTRACT §3: the customer is the original sender's).
    from_email: str = ""
    forwarded_from: str = ""
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
