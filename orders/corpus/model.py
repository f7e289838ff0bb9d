"""What a generated document should be read as (ground truth) and the order behind it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from orders.corpus.master import Address, Customer, Person, Product

#: Every format the corpus holds (CONTRACT §3 inputs).
FORMATS = ("email_body", "email_pdf", "pdf", "csv", "xlsx", "ubl", "x12", "edifact", "json")
EMAIL_FORMATS = ("email_body", "email_pdf")
#: Formats with no sender inside the file: intake needs `--sender`.
SENDER_ARGUMENT_FORMATS = ("pdf", "csv", "xlsx")

#: Pseudo cause for the second copy of a document: its expected status is `duplicate`.
DUPLICATE = "DUPLICATE"
NOT_AN_ORDER = "NOT_AN_ORDER"
#: A document damaged on its way (a PDF cut off in transfer): status `rejected` too.
UNREADABLE = "UNREADABLE_DOCUMENT"
#: Pseudo causes whose document holds no order: status `rejected`.
REJECTED = (NOT_AN_ORDER, UNREADABLE)


class ExpectedLine(NamedTuple):
    sku: str  # our SKU (a made-up one for UNKNOWN_PRODUCT)
    quantity: str  # in the unit as written
    uom: str  # as written ("" when the line names no unit: base unit)
    base_quantity: str  # in the product's base unit ("" when the unit is not the product's)
    unit_price: str | None  # per unit as written, None when the line states no price
    uom_code: str = ""  # our unit code the written unit stands for
    customer_part_number: str = ""  # set when the document names the customer's part number


@dataclass
class Expected:
    file: str
    channel: str  # "email" or "file"
    format: str  # one of FORMATS
    language: str
    layout: str
    sender: str  # the effective sender (for a forwarded e-mail: the original sender)
    customer_number: str | None
    po_number: str | None
    order_date: date | None
    requested_date: date | None
    currency: str | None
    shipto_code: str | None
    lines: list[ExpectedLine]
    defect: str | None = None  # CONTRACT §5 cause it must raise, DUPLICATE, NOT_AN_ORDER, UNREADABLE or None
    also: tuple[str, ...] = ()  # causes that follow from the defect with this master data
    sender_argument: bool = False  # pass `--sender SENDER` to intake: the file names no sender
    attachment: str = ""  # the order is in this attachment (source PATH#ATTACHMENT)
    forwarded_by: str = ""  # the sales rep who forwarded the customer's mail
    variant: str = ""  # e-mail only: "reply" (quotes an earlier mail) or "forward"
    ship_to: Address | None = None  # the delivery address as written (None: none written)
    note: str = ""
    #: The customer number the document names when it is not the sender's customer's
    #: (AMBIGUOUS_CUSTOMER); "" otherwise.
    named_customer: str = ""

    @property
    def status(self) -> str:
        """CONTRACT §4 status a correct system gives the document (autonomy on)."""
        if self.defect is None:
            return "executed"
        if self.defect in REJECTED:
            return "rejected"
        return "duplicate" if self.defect == DUPLICATE else "exception"


@dataclass
class LineSpec:
    sku: str
    product: Product | None
    quantity: int  # in `unit`
    unit: str  # our unit code; may be one the product does not have (INVALID_UOM)
    unit_price: Decimal | None  # per `unit`, as the document states it
    description: str
    part_number: str = ""  # written instead of the SKU when set

    @property
    def factor(self) -> int | None:
        return self.product.factor(self.unit) if self.product else (1 if self.unit == "EA" else None)

    @property
    def base_quantity(self) -> int | None:
        factor = self.factor
        return None if factor is None else self.quantity * factor

    @property
    def ident(self) -> str:
        return self.part_number or self.sku

    def in_base_unit(self) -> LineSpec:
        """The same line counted in the base unit (styles that write no unit)."""
        factor = self.factor
        if not self.product or not factor or factor == 1:
            return self
        price = None if self.unit_price is None else _price(self.unit_price / factor)
        return replace(self, quantity=self.quantity * factor, unit=self.product.base_uom, unit_price=price)


@dataclass
class OrderSpec:
    """One order as the buyer means it, before it is written in some format."""

    language: str
    customer: Customer | None
    buyer: Address  # the buyer's company as on its letterhead
    sender: Person
    title: str
    phone: str
    customer_number: str | None  # written into the document when set
    po_number: str
    order_date: date
    requested_date: date
    currency: str
    ship_to: Address | None  # written delivery address (None: none written)
    shipto_code: str | None  # the ship-to a correct reader resolves
    lines: list[LineSpec]
    show_prices: bool = True
    notes: list[str] = field(default_factory=list)
    change: bool = False  # a revised version of an order already sent
    defect: str | None = None
    also: tuple[str, ...] = ()
    note: str = ""

    @property
    def domain(self) -> str:
        return self.sender.email.rpartition("@")[2]

    def value(self) -> Decimal:
        return sum((line.unit_price or 0) * line.quantity for line in self.lines) or Decimal(0)


@dataclass
class Document:
    """A rendered file and its ground truth (file name set when the corpus is ordered)."""

    stem: str  # readable part of the file name, e.g. "PO_4711"
    extension: str
    data: bytes
    expected: Expected
    delay: int = 0  # a follow-up goes this many documents after its original
    order: int = 0  # sort key of the intake order


def _price(value: Decimal) -> Decimal:
    places = Decimal("0.0001") if abs(value) < 1 else Decimal("0.01")
    return value.quantize(places)


def unit_price(base_price: Decimal, factor: int) -> Decimal:
    """The agreed price per base unit stated per another unit, rounded as price lists are."""
    return _price(base_price * factor)


def price_text(value: Decimal | None) -> str | None:
    """The price as written, in plain digits: 0.3300 -> '0.33', 12.5 -> '12.50'."""
    if value is None:
        return None
    places = max(2, -value.normalize().as_tuple().exponent)
    return f"{value:.{places}f}"


def expected_lines(lines: list[LineSpec], units_written: list[str]) -> list[ExpectedLine]:
    return [_expected_line(line, written) for line, written in zip(lines, units_written, strict=True)]


def _expected_line(line: LineSpec, written: str) -> ExpectedLine:
    base = line.base_quantity
    return ExpectedLine(
        sku=line.sku,
        quantity=str(line.quantity),
        uom=written,
        base_quantity="" if base is None else str(base),
        unit_price=price_text(line.unit_price),
        uom_code=line.unit,
        customer_part_number=line.part_number,
    )


def base_expected(spec: OrderSpec, *, fmt: str, layout: str, file: str = "") -> Expected:
    """Ground truth for a spec; the renderer fills lines and the e-mail details."""
    return Expected(
        file=file,
        channel="email" if fmt in EMAIL_FORMATS else "file",
        format=fmt,
        language=spec.language,
        layout=layout,
        sender=spec.sender.email,
        customer_number=spec.customer.number if spec.customer else None,
        po_number=spec.po_number,
        order_date=spec.order_date,
        requested_date=spec.requested_date,
        currency=spec.currency,
        shipto_code=spec.shipto_code,
        lines=[],
        defect=spec.defect,
        also=spec.also,
        sender_argument=fmt in SENDER_ARGUMENT_FORMATS,
        note=spec.note,
        ship_to=spec.ship_to,
        named_customer=spec.customer_number
        if spec.customer and spec.customer_number and spec.customer_number != spec.customer.number
        else "",
    )
