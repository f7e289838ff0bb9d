"""Orders that fit the master data: what a customer would routinely send.

A clean order uses only the customer's contacts, ship-tos and price agreements,
quantities from its own history (or its usual pack count), whole units of the
product, and a requested date the lead time allows; it is booked in the
ledger so that all clean orders together fit stock and credit. Defective
documents start from the same kind of order (unbooked, within the rest of the
budget) and change exactly one thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from orders.corpus.master import Address, Customer, Ledger, Master, Person, Product
from orders.corpus.model import LineSpec, OrderSpec, unit_price
from orders.corpus.phrases import COUNTRY_LANGUAGE, LANGUAGES, PHONE_PREFIX, TITLES
from orders.demo import FX, GROUP_PACKS

#: Each customer numbers its POs its own way; {n} is a running serial.
PO_STYLES = (
    "{n}-{yy}", "B-{yyyy}-{n}", "PO-{n:06d}", "{n:05d}", "BST{n:06d}", "CMD-{n:05d}",
    "{yyyy}/{n:04d}", "EK-{n}", "{n:07d}", "P{yy}{n:05d}",
)  # fmt: skip
#: Orders of several dozen lines (the multi-page PDF) draw on a customer's whole assortment.
MANY_LINES = (30, 60)


@dataclass
class Context:
    master: Master
    ledger: Ledger
    today: date
    po_styles: dict[str, tuple[str, int]] = field(default_factory=dict)
    used_pos: set[str] = field(default_factory=set)
    #: Base quantities of the clean orders built so far, by (customer, sku): once executed they
    #: are part of the customer's history too.
    booked: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: Clean orders still to build: sizes each order so that the credit lasts for all of them.
    clean_left: int = 0

    def earlier(self, customer: Customer, sku: str) -> list[int]:
        return customer.history.get(sku, []) + self.booked.get((customer.number, sku), [])

    def book(self, customer: Customer, lines: list[LineSpec]) -> None:
        for line in lines:
            self.booked.setdefault((customer.number, line.sku), []).append(line.base_quantity or 0)
        self.ledger.take(
            customer, [(ln.sku, ln.base_quantity or 0, agreed_value(customer, [ln])) for ln in lines]
        )


def make_context(master: Master, ledger: Ledger, today: date, rng: Random) -> Context:
    ctx = Context(master, ledger, today)
    for customer in master.customer_list():
        style = (rng.choice(PO_STYLES), rng.randint(100, 8000))
        # Half the customers go on numbering as in their order history, the others changed systems.
        own = _history_style(customer) if rng.random() < 0.5 else None
        ctx.po_styles[customer.number] = own or style
    return ctx


def _history_style(customer: Customer) -> tuple[str, int] | None:
    """'GLA-016724' -> ('GLA-{n:06d}', 16724): the numbering of the customer's latest PO."""
    latest = max(customer.history_pos, default="")
    digits = len(latest) - len(latest.rstrip("0123456789"))
    if not digits:
        return None
    prefix = latest[:-digits].replace("{", "{{").replace("}", "}}")
    return prefix + "{n:0" + str(digits) + "d}", int(latest[-digits:])


# --- dates, people, language ----------------------------------------------------------------


def workday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def order_day(ctx: Context, rng: Random) -> date:
    """Today or a few days ago, on a working day (a weekend moves back to Friday)."""
    day = ctx.today - timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3)))
    return day - timedelta(days=max(0, day.weekday() - 4))


def requested_day(ctx: Context, rng: Random, lead: int = 0) -> date:
    """At least the lead time plus three days ahead, usually two to five weeks."""
    return workday(ctx.today + timedelta(days=max(lead + 3, rng.randint(14, 35))))


def language_for(country: str, rng: Random) -> str:
    """Mostly the country's language; some write English, a few another language."""
    native = COUNTRY_LANGUAGE.get(country, "en")
    roll = rng.random()
    if roll < 0.82:
        return native
    return "en" if roll < 0.94 else rng.choice([lang for lang in LANGUAGES if lang != native])


def person_details(lang: str, country: str, rng: Random) -> tuple[str, str]:
    """A job title and a phone number for a signature."""
    prefix = PHONE_PREFIX.get(country, "+49")
    phone = f"{prefix} {rng.randint(20, 89)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    return rng.choice(TITLES[lang]), phone


def new_po(ctx: Context, customer: Customer | None, rng: Random) -> str:
    key = customer.number if customer else "?"
    style, serial = ctx.po_styles.get(key, ("PO-{n:06d}", 5000))
    while True:
        serial += rng.randint(1, 9)
        po = style.format(n=serial, yy=f"{ctx.today.year % 100:02d}", yyyy=ctx.today.year)
        if po not in ctx.used_pos and (customer is None or po not in customer.history_pos):
            break
    ctx.po_styles[key] = (style, serial)
    ctx.used_pos.add(po)
    return po


def in_eur(amount: Decimal, currency: str) -> Decimal:
    return amount / Decimal(FX.get(currency, "1"))


# --- products and quantities -----------------------------------------------------------------


@dataclass
class Budget:
    """How much one order may take: per-SKU stock and the order's value."""

    clean: bool
    value: Decimal

    def stock(self, ctx: Context, sku: str) -> int:
        return ctx.ledger.stock_left.get(sku, 0) if self.clean else ctx.ledger.defect_stock(sku)


def orderable(ctx: Context, customer: Customer, product: Product, days: tuple[date, date]) -> bool:
    """Active, priced on both days, no configuration, allowed in the country, lead time met.

    Stock is checked against the order's Budget.
    """
    price = customer.prices.get(product.sku)
    return (
        price is not None
        and product.active
        and not product.configurable
        and customer.country not in product.restricted
        and all(price.valid_on(day) for day in days)
        and product.lead_time_days + 3 <= (days[1] - ctx.today).days
    )


def typical_quantity(ctx: Context, customer: Customer, product: Product, rng: Random) -> int:
    """A base quantity the customer ordered before (never above the largest), else its usual pack count."""
    earlier = ctx.earlier(customer, product.sku)
    if earlier:
        return rng.choice(earlier)
    low, high = GROUP_PACKS.get(customer.group, (1, 6))
    if product.pack == 1 and customer.prices[product.sku].amount > 50:
        low, high = 1, 3
    return max(minimum_quantity(product), product.pack * rng.randint(low, high))


def minimum_quantity(product: Product) -> int:
    """The smallest whole-pack quantity at or above the minimum order quantity."""
    return product.pack * max(1, math.ceil(product.min_order_qty / product.pack))


def fit_quantity(quantity: int, product: Product, price: Decimal, stock: int, cap: Decimal) -> int | None:
    """The quantity reduced to whole packs within stock and value, or None if even the minimum is not."""
    packs = min(quantity // product.pack, stock // product.pack)
    if price > 0:
        packs = min(packs, int(cap / (price * product.pack)))
    fitted = packs * product.pack
    return fitted if fitted >= minimum_quantity(product) else None


def choose_unit(product: Product, base: int, rng: Random) -> tuple[str, int]:
    """(unit, quantity in it): mostly the pack, sometimes base units or a bigger unit that fits."""
    options = [(u, f) for u, f in sorted(product.units.items(), key=lambda item: item[1]) if base % f == 0]
    roll = rng.random()
    if not options or roll < 0.25:
        return product.base_uom, base
    unit, factor = options[0] if roll < 0.8 or len(options) == 1 else rng.choice(options[1:])
    return unit, base // factor


def make_line(customer: Customer, product: Product, base: int, rng: Random, *, parts: bool) -> LineSpec:
    unit, quantity = choose_unit(product, base, rng)
    factor = product.factor(unit) or 1
    return LineSpec(
        sku=product.sku,
        product=product,
        quantity=quantity,
        unit=unit,
        unit_price=unit_price(customer.prices[product.sku].amount, factor),
        description=product.description,
        part_number=customer.parts.get(product.sku, "") if parts else "",
    )


def ranked_products(customer: Customer, products: list[Product], rng: Random) -> list[Product]:
    """Random order, products the customer ordered before first more often."""

    def key(product: Product) -> float:
        return rng.random() ** (1 / (6 if product.sku in customer.history else 1))

    return sorted(products, key=key, reverse=True)


def pick_lines(
    ctx: Context, customer: Customer, rng: Random, *, count: int, days: tuple[date, date], budget: Budget
) -> list[LineSpec]:
    """Up to `count` lines within the budget; long orders take small quantities of cheap items."""
    products = [ctx.master.products[sku] for sku in sorted(customer.prices)]
    candidates = ranked_products(customer, [p for p in products if orderable(ctx, customer, p, days)], rng)
    many = count >= MANY_LINES[0]
    if many:
        candidates.sort(key=lambda p: customer.prices[p.sku].amount * minimum_quantity(p))
    parts = bool(customer.parts) and rng.random() < 0.5
    lines: list[LineSpec] = []
    remaining = budget.value
    for product in candidates[: count * 3]:
        if len(lines) == count:
            break
        price = customer.prices[product.sku].amount
        wanted = (
            minimum_quantity(product) * rng.choice((1, 1, 2))
            if many
            else typical_quantity(ctx, customer, product, rng)
        )
        base = fit_quantity(
            wanted, product, price, budget.stock(ctx, product.sku), remaining / (count - len(lines))
        )
        if base:
            lines.append(make_line(customer, product, base, rng, parts=parts))
            remaining -= price * base
    return lines


def agreed_value(customer: Customer, lines: list[LineSpec]) -> Decimal:
    return sum(
        (
            customer.prices[line.sku].amount * (line.base_quantity or 0)
            for line in lines
            if line.sku in customer.prices
        ),
        Decimal(0),
    )


# --- the order -----------------------------------------------------------------------------


def contact(customer: Customer, rng: Random) -> Person:
    return rng.choice(customer.contacts)


def ship_choice(customer: Customer, rng: Random, *, non_default: bool = False) -> tuple[Address | None, str]:
    """(address written, ship-to code a reader resolves): none, the default, or another site."""
    others = [s for s in customer.shiptos if not s.is_default]
    if others and (non_default or rng.random() < 0.35):
        chosen = rng.choice(others)
        return chosen.address, chosen.code
    default = customer.default_shipto
    return (default.address if rng.random() < 0.3 else None), default.code


def assemble(
    ctx: Context, rng: Random, customer: Customer, lines: list[LineSpec], *, fmt: str,
    days: tuple[date, date], non_default: bool = False, lang: str | None = None,
) -> OrderSpec:  # fmt: skip
    lang = lang or ("en" if fmt == "x12" else language_for(customer.country, rng))
    title, phone = person_details(lang, customer.country, rng)
    ship_to, code = ship_choice(customer, rng, non_default=non_default)
    show_prices = rng.random() < 0.6
    if not show_prices:
        lines = [replace(line, unit_price=None) for line in lines]
    return OrderSpec(
        language=lang,
        customer=customer,
        buyer=customer.default_shipto.address,
        sender=contact(customer, rng),
        title=title,
        phone=phone,
        customer_number=customer.number if rng.random() < 0.5 or fmt in ("ubl", "x12", "edifact") else None,
        po_number=new_po(ctx, customer, rng),
        order_date=days[0],
        requested_date=days[1],
        currency=customer.currency,
        ship_to=ship_to,
        shipto_code=code,
        lines=lines,
        show_prices=show_prices,
    )


def order_days(ctx: Context, rng: Random, lead: int = 0) -> tuple[date, date]:
    return order_day(ctx, rng), requested_day(ctx, rng, lead)


def build_order(
    ctx: Context, rng: Random, customer: Customer, *, fmt: str, clean: bool, count: int | None = None,
    non_default: bool = False, cap: Decimal | None = None, allow_empty: bool = False, lang: str | None = None,
) -> OrderSpec | None:  # fmt: skip
    """An ordinary order for the customer; a clean one is booked against stock and credit.

    ``cap`` limits the order's value (a defect adds a line of its own); with
    ``allow_empty`` the order may have no line yet rather than none at all.
    """
    days = order_days(ctx, rng)
    wanted = count or rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6))
    many = wanted >= MANY_LINES[0]
    budget = _budget(ctx, customer, clean=clean, many=many)
    if cap is not None:
        budget.value = max(Decimal(0), cap)
    lines = pick_lines(ctx, customer, rng, count=wanted, days=days, budget=budget)
    if (not lines and not allow_empty) or (many and len(lines) < MANY_LINES[0]):
        return None
    if clean:
        ctx.book(customer, lines)
    return assemble(ctx, rng, customer, lines, fmt=fmt, days=days, non_default=non_default, lang=lang)


def _budget(ctx: Context, customer: Customer, *, clean: bool, many: bool) -> Budget:
    if not clean:
        return Budget(False, ctx.ledger.defect_credit(customer))
    share = Decimal("0.6") if many else _order_share(ctx, customer)
    return Budget(True, ctx.ledger.credit_left[customer.number] * share)


def _order_share(ctx: Context, customer: Customer) -> Decimal:
    """Up to twice the customer's fair share of its remaining credit, and never more than 30%."""
    weights = {c.number: _weight(ctx, c) for c in routine_customers(ctx)}
    expected = ctx.clean_left * weights.get(customer.number, 0) / max(sum(weights.values()), 1.0)
    return Decimal(min(0.3, 2 / max(1.0, expected))).quantize(Decimal("0.0001"))


# --- choosing customers ---------------------------------------------------------------------


def routine_customers(ctx: Context) -> list[Customer]:
    """Customers whose orders can execute: active, credit not on hold."""
    return [c for c in ctx.master.customer_list() if not c.blocked and not c.on_hold and c.contacts]


def weighted_customer(ctx: Context, rng: Random, candidates: list[Customer]) -> Customer | None:
    """Customers with more credit left are chosen more often, so none runs dry."""
    weights = [_weight(ctx, c) for c in candidates]
    if not candidates or sum(weights) < 1:
        return None
    return rng.choices(candidates, weights=weights)[0]


def _weight(ctx: Context, customer: Customer) -> float:
    return math.sqrt(max(0.0, float(in_eur(ctx.ledger.credit_left[customer.number], customer.currency))))
