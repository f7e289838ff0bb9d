"""A typed view of the master-data rows the corpus is generated against.

The rows are those of ``orders.demo.build_demo_rows`` (Python values) or the
same rows read back from the CSV files (strings): every cell goes through
``_text`` first, so both work.

The ``Ledger`` keeps the clean documents executable *together*: executing one
clean order allocates stock and raises the customer's credit exposure, so the
corpus as a whole must fit into the stock and the credit headroom, not only
each order on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

Rows = dict[str, list[dict[str, object]]]

# Units that are not a customer's day-to-day unit (as in orders.demo).
BULK_UNITS = frozenset({"PAL", "DR"})
# Share of stock and credit headroom the clean documents may use together; defective
# documents (never executed) stay within the rest, so they only raise their own cause.
CLEAN_SHARE = Decimal("0.6")
DEFECT_SHARE = Decimal("0.35")


@dataclass(frozen=True)
class Person:
    email: str
    name: str


@dataclass(frozen=True)
class Address:
    name: str
    street: str
    city: str
    postal_code: str
    country: str


@dataclass(frozen=True)
class ShipTo:
    code: str
    address: Address
    is_default: bool


@dataclass(frozen=True)
class Product:
    sku: str
    description: str
    family: str
    base_uom: str
    units: dict[str, int]  # alternative unit -> base units
    active: bool
    configurable: bool
    restricted: tuple[str, ...]
    min_order_qty: int
    lead_time_days: int

    @property
    def pack(self) -> int:
        return min((f for u, f in self.units.items() if u not in BULK_UNITS), default=1)

    def factor(self, unit: str) -> int | None:
        return 1 if unit == self.base_uom else self.units.get(unit)


@dataclass(frozen=True)
class Price:
    amount: Decimal
    currency: str
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass
class Customer:
    number: str
    name: str
    domains: tuple[str, ...]
    country: str
    currency: str
    blocked: bool
    group: str
    contacts: list[Person] = field(default_factory=list)
    shiptos: list[ShipTo] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)  # sku -> customer part number
    prices: dict[str, Price] = field(default_factory=dict)
    history: dict[str, list[int]] = field(default_factory=dict)  # sku -> base quantities
    history_pos: set[str] = field(default_factory=set)
    credit_limit: Decimal = Decimal(0)
    exposure: Decimal = Decimal(0)
    on_hold: bool = False

    @property
    def headroom(self) -> Decimal:
        return self.credit_limit - self.exposure

    @property
    def default_shipto(self) -> ShipTo:
        return next((s for s in self.shiptos if s.is_default), self.shiptos[0])


@dataclass(frozen=True)
class Stock:
    best_warehouse: int  # on hand in the fullest warehouse
    everything: int  # on hand everywhere plus every announced receipt


@dataclass
class Master:
    customers: dict[str, Customer]
    products: dict[str, Product]
    stock: dict[str, Stock]
    sales_reps: list[Person]
    denied: list[Address]

    def customer_list(self) -> list[Customer]:
        return [self.customers[number] for number in sorted(self.customers)]


# --- reading the rows -----------------------------------------------------------------


def load_master(rows: Rows) -> Master:
    customers = {c.number: c for c in map(_customer, rows["customers"])}
    _attach_people(customers, rows)
    _attach_commercial(customers, rows)
    return Master(
        customers=customers,
        products={p.sku: p for p in map(_product, rows["products"])},
        stock=_stock(rows.get("inventory", [])),
        sales_reps=[Person(_text(r["email"]), _text(r["name"])) for r in rows.get("sales_reps", [])],
        denied=[_denied(r) for r in rows.get("denied_parties", [])],
    )


def _attach_people(customers: dict[str, Customer], rows: Rows) -> None:
    for row in rows.get("contacts", []):
        customers[_text(row["customer_number"])].contacts.append(
            Person(_text(row["email"]), _text(row["name"]))
        )
    for row in rows.get("shiptos", []):
        customers[_text(row["customer_number"])].shiptos.append(_shipto(row))
    for row in rows.get("customer_parts", []):
        customers[_text(row["customer_number"])].parts[_text(row["sku"])] = _text(row["customer_part_number"])


def _attach_commercial(customers: dict[str, Customer], rows: Rows) -> None:
    for row in rows.get("prices", []):
        customers[_text(row["customer_number"])].prices[_text(row["sku"])] = _price(row)
    for row in rows.get("order_history", []):
        customer = customers[_text(row["customer_number"])]
        customer.history.setdefault(_text(row["sku"]), []).append(int(_text(row["quantity"])))
        customer.history_pos.add(_text(row["po_number"]))
    for row in rows.get("credit", []):
        customer = customers[_text(row["customer_number"])]
        customer.credit_limit = Decimal(_text(row["credit_limit"]))
        customer.exposure = Decimal(_text(row.get("open_exposure")) or "0")
        customer.on_hold = _text(row.get("on_hold")) == "true"


def _customer(row: dict[str, object]) -> Customer:
    return Customer(
        number=_text(row["customer_number"]),
        name=_text(row["name"]),
        domains=tuple(_list(row.get("email_domains"))),
        country=_text(row["country"]),
        currency=_text(row["currency"]),
        blocked=_text(row.get("status")) == "blocked",
        group=_text(row.get("customer_group")),
    )


def _shipto(row: dict[str, object]) -> ShipTo:
    address = Address(*(_text(row[k]) for k in ("name", "street", "city", "postal_code", "country")))
    return ShipTo(_text(row["shipto_code"]), address, _text(row.get("is_default")) == "true")


def _product(row: dict[str, object]) -> Product:
    units = {u: int(f) for u, _, f in (item.partition("=") for item in _list(row.get("uoms")))}
    return Product(
        sku=_text(row["sku"]),
        description=_text(row["description"]),
        family=_text(row.get("product_family")),
        base_uom=_text(row["base_uom"]),
        units=units,
        active=_text(row.get("status")) in ("", "active"),
        configurable=_text(row.get("configurable")) == "true",
        restricted=tuple(_list(row.get("restricted_countries"))),
        min_order_qty=int(_text(row.get("min_order_qty")) or 0),
        lead_time_days=int(_text(row.get("lead_time_days")) or 0),
    )


def _price(row: dict[str, object]) -> Price:
    return Price(
        amount=Decimal(_text(row["unit_price"])),
        currency=_text(row["currency"]),
        valid_from=_date(row.get("valid_from")),
        valid_to=_date(row.get("valid_to")),
    )


def _stock(rows: list[dict[str, object]]) -> dict[str, Stock]:
    best: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for row in rows:
        sku, on_hand = _text(row["sku"]), int(_text(row["on_hand"]))
        best[sku] = max(best[sku], on_hand)
        total[sku] += on_hand + int(_text(row.get("next_receipt_qty")) or 0)
    return {sku: Stock(best[sku], total[sku]) for sku in sorted(total)}


def _denied(row: dict[str, object]) -> Address:
    return Address(
        _text(row["name"]), _text(row.get("street")), _text(row.get("city")), "", _text(row["country"])
    )


def _text(value: object) -> str:
    """One cell as the CSV file would spell it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ";".join(_text(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _list(value: object) -> list[str]:
    return [item.strip() for item in _text(value).split(";") if item.strip()]


def _date(value: object) -> date | None:
    text = _text(value)
    return date.fromisoformat(text) if text else None


# --- budgets ---------------------------------------------------------------------------


class Ledger:
    """What the clean documents may still take from stock and credit, all together."""

    def __init__(self, master: Master) -> None:
        self.master = master
        self.stock_left = {sku: int(s.best_warehouse * CLEAN_SHARE) for sku, s in master.stock.items()}
        self.credit_left = {n: max(Decimal(0), c.headroom * CLEAN_SHARE) for n, c in master.customers.items()}

    def take(self, customer: Customer, lines: list[tuple[str, int, Decimal]]) -> None:
        """Book a clean order: (sku, base quantity, value) per line."""
        for sku, quantity, value in lines:
            self.stock_left[sku] -= quantity
            self.credit_left[customer.number] -= value

    def defect_stock(self, sku: str) -> int:
        stock = self.master.stock.get(sku)
        return int(stock.best_warehouse * DEFECT_SHARE) if stock else 0

    def defect_credit(self, customer: Customer) -> Decimal:
        return max(Decimal(0), customer.headroom * DEFECT_SHARE)
