"""Orders with exactly one seeded defect, each named by the CONTRACT §5 cause it must raise.

Each builder starts from an ordinary, unbooked order (within the stock and
credit the clean orders leave over) and changes one thing. Where the master
data makes a second cause unavoidable (a discontinued product has no stock, a
denied party or a forwarder is no known ship-to), the builder names it in ``also``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from random import Random

from orders.corpus.build import (
    Context,
    agreed_value,
    build_order,
    choose_unit,
    in_eur,
    language_for,
    minimum_quantity,
    new_po,
    order_days,
    orderable,
    person_details,
    routine_customers,
    workday,
)
from orders.corpus.master import Address, Customer, Person, Product
from orders.corpus.model import LineSpec, OrderSpec, unit_price
from orders.corpus.phrases import INSTRUCTIONS, NEW_SITES


class CorpusError(RuntimeError):
    """The master data cannot carry a requested document."""


#: Companies that are not customers (UNKNOWN_CUSTOMER): name, country, domain, person, street,
#: city, postal code, currency.
STRANGER_COMPANIES = (
    ("Hellweg Antriebstechnik GmbH", "DE", "hellweg-antriebe.example", "Werner Kamp", "Westfalendamm 88",
     "Dortmund", "44141", "EUR"),
    ("Brightwater Tooling Ltd", "GB", "brightwater-tooling.example", "Gareth Price", "14 Foundry Lane",
     "Sheffield", "S3 8RR", "GBP"),
    ("Atelier Vauclair SARL", "FR", "vauclair-atelier.example", "Odile Perrin", "8 rue des Tanneurs",
     "Besançon", "25000", "EUR"),
    ("Fjordvang Maskinværksted ApS", "DK", "fjordvang.example", "Kasper Holm", "Værkstedsvej 3",
     "Randers", "8900", "DKK"),
    ("De Kempen Metaalwerken B.V.", "NL", "dekempen-metaal.example", "Joost van Dijk", "Ekkersrijt 4102",
     "Son", "5692 DA", "EUR"),
)  # fmt: skip

#: People at free-mail domains who claim to order for a customer (UNAUTHORIZED_SENDER).
STRANGERS = {
    "de": ("Dieter Kowalski", "gmx.de"), "en": ("Gary Mitchell", "gmail.com"),
    "fr": ("Luc Bernard", "yahoo.fr"),
    "da": ("Henrik Holm", "hotmail.com"), "nl": ("Wim Dekker", "outlook.com"),
}  # fmt: skip

#: Delivery sites no customer has (UNKNOWN_SHIPTO): street, postal code, city by country.
NEW_ADDRESSES = {
    "DE": ("Torgauer Straße 233", "04347", "Leipzig"), "AT": ("Puchstraße 41", "8020", "Graz"),
    "FR": ("12 rue de Witry", "51100", "Reims"), "BE": ("Rue de l'Industrie 8", "5002", "Namur"),
    "NL": ("Kraaivenstraat 21", "5048 AB", "Tilburg"), "DK": ("Vestre Engvej 10", "7100", "Vejle"),
    "GB": ("5 Ascot Drive", "DE24 8GW", "Derby"), "US": ("2200 Valley Pike", "45404", "Dayton"),
    "CH": ("Industriestrasse 30", "5000", "Aarau"), "SE": ("Boränggatan 6", "702 27", "Örebro"),
}  # fmt: skip
#: Freight forwarders in countries some products are restricted for (COMPLIANCE_RESTRICTED via a
#: forwarder): name, street, postal code, city, country. Made up, and unlike every denied party.
FORWARDERS = (
    ("Belokamen Transit Cargo OOO", "Skladskoy proyezd 7", "109316", "Moscow", "RU"),
    ("Ladoga Bridge Freight OOO", "Portovaya ul. 31", "198035", "Saint Petersburg", "RU"),
    ("Nemiga Overland Logistics ODO", "Ul. Tovarnaya 12", "220004", "Minsk", "BY"),
    ("Sozh Valley Forwarding ODO", "Ul. Vokzalnaya 40", "246029", "Gomel", "BY"),
)  # fmt: skip
FORWARDER_COUNTRIES = frozenset(forwarder[4] for forwarder in FORWARDERS)
#: Descriptions of articles nobody sells, by SKU prefix (UNKNOWN_PRODUCT).
MADE_UP = {
    "FAS": "Hex bolt M14x45 DIN 931 10.9 plain", "ADH": "Anaerobic pipe sealant 75 ml",
    "HTL": "Ratchet spanner 13 mm reversible", "SAF": "Welding gloves leather size 10",
    "PKG": "Pallet corner protector 35x35 mm", "ELE": "Cable gland M20 IP68 black",
    "HYD": "Quick coupling ISO-A 1/2 inch", "CLN": "Glass cleaner 1 L spray",
}  # fmt: skip
SITE_WORDS = {"de": "Außenlager", "en": "Site", "fr": "Dépôt", "da": "Lager", "nl": "Magazijn"}
#: Units to write that no product of the unit's kind has.
FOREIGN_UNITS = ("PAL", "CS", "DR", "RL", "BX", "PK")
OTHER_CURRENCY = {
    "EUR": ("USD", "CHF", "GBP"),
    "DKK": ("EUR",),
    "GBP": ("EUR",),
    "USD": ("EUR",),
    "CHF": ("EUR",),
    "SEK": ("EUR",),
}


# --- shared steps ---------------------------------------------------------------------------


def _base(ctx: Context, rng: Random, fmt: str, pool: list[Customer] | None = None, **options) -> OrderSpec:
    """An ordinary order from one of the customers (tried in random order), not booked.

    With a single customer named, the order may come back without lines: the
    defect's own line is then the whole order.
    """
    candidates = list(pool if pool is not None else routine_customers(ctx))
    rng.shuffle(candidates)
    for customer in candidates:
        spec = build_order(
            ctx, rng, customer, fmt=fmt, clean=False, allow_empty=len(candidates) == 1, **options
        )
        if spec:
            return spec
    raise CorpusError(f"no customer can carry a {fmt} order with these options: {options}")


def _defect(spec: OrderSpec, code: str, note: str, also: tuple[str, ...] = ()) -> OrderSpec:
    spec.defect, spec.note, spec.also = code, note, also
    return spec


def _with_line(spec: OrderSpec, line: LineSpec) -> OrderSpec:
    """Insert the defective line among the others (not always last)."""
    position = len(spec.lines) // 2
    spec.lines = [*spec.lines[:position], line, *spec.lines[position:]]
    return spec


def _line(product: Product, quantity: int, unit: str, price: Decimal | None, part: str = "") -> LineSpec:
    return LineSpec(product.sku, product, quantity, unit, price, product.description, part)


def _priced_line(customer: Customer, product: Product, base: int, rng: Random, show: bool) -> LineSpec:
    unit, quantity = choose_unit(product, base, rng)
    price = unit_price(customer.prices[product.sku].amount, product.factor(unit) or 1) if show else None
    return _line(product, quantity, unit, price)


# --- who sends it ----------------------------------------------------------------------------


def unknown_customer(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    name, country, domain, person, street, city, postal, currency = rng.choice(STRANGER_COMPANIES)
    lang = "en" if fmt == "x12" else language_for(country, rng)
    address = Address(name, street, city, postal, country)
    title, phone = person_details(lang, country, rng)
    first, _, last = person.partition(" ")
    days = order_days(ctx, rng)
    return OrderSpec(
        language=lang, customer=None, buyer=address,
        sender=Person(f"{first.lower()}.{last.lower()}@{domain}", person), title=title, phone=phone,
        customer_number=None, po_number=new_po(ctx, None, rng), order_date=days[0], requested_date=days[1],
        currency=currency, ship_to=address if rng.random() < 0.5 else None, shipto_code=None,
        lines=_catalogue_lines(ctx, rng), show_prices=False, defect="UNKNOWN_CUSTOMER",
        note=f"{name} is not a customer; no customer number",
    )  # fmt: skip


def _catalogue_lines(ctx: Context, rng: Random) -> list[LineSpec]:
    products = [
        p for p in ctx.master.products.values() if p.active and not p.configurable and not p.restricted
    ]
    chosen = rng.sample(sorted(products, key=lambda p: p.sku), rng.randint(1, 3))
    return [_unpriced_line(p, p.pack * rng.randint(2, 6), rng) for p in chosen]


def _unpriced_line(product: Product, base: int, rng: Random) -> LineSpec:
    unit, quantity = choose_unit(product, base, rng)
    return _line(product, quantity, unit, None)


def unauthorized_sender(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    name, domain = STRANGERS[spec.language]
    first, _, last = name.partition(" ")
    spec.sender = Person(f"{first.lower()}.{last.lower()}{rng.randint(60, 99)}@{domain}", name)
    spec.customer_number = spec.customer.number
    return _defect(
        spec, "UNAUTHORIZED_SENDER", f"{spec.sender.email} is no contact of {spec.customer.number}"
    )


def ambiguous_customer(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    """A buyer of one customer writes another customer's number (a group company's account,
    or a slip): the sender speaks for one customer, the document names another."""
    spec = _base(ctx, rng, fmt)
    others = [c for c in routine_customers(ctx) if c.number != spec.customer.number]
    named = rng.choice(sorted(others, key=lambda c: c.number))
    spec.customer_number = named.number
    # Our SKUs: the buyer's own part numbers would need the customer the order cannot name.
    spec.lines = [replace(line, part_number="") for line in spec.lines]
    note = f"{spec.sender.email} orders for {spec.customer.number}, the document names {named.number}"
    return _defect(spec, "AMBIGUOUS_CUSTOMER", note)


def customer_blocked(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    blocked = [c for c in ctx.master.customer_list() if c.blocked and c.contacts]
    spec = _base(ctx, rng, fmt, blocked)
    return _defect(spec, "CUSTOMER_BLOCKED", f"{spec.customer.number} is blocked")


def credit_hold(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    held = [c for c in ctx.master.customer_list() if c.on_hold and not c.blocked and c.contacts]
    # Its headroom is gone (why it is on hold), so size the order by the limit instead.
    customer = rng.choice(held)
    spec = _base(ctx, rng, fmt, [customer], cap=customer.credit_limit * Decimal("0.05"))
    if not spec.lines:
        raise CorpusError(f"no order for {customer.number}")
    over = ("CREDIT_LIMIT_EXCEEDED",) if customer.exposure >= customer.credit_limit else ()
    return _defect(spec, "CREDIT_HOLD", f"{customer.number} credit is on hold", over)


# --- where it goes ---------------------------------------------------------------------------


def unknown_shipto(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    customer = spec.customer
    street, postal, city = NEW_ADDRESSES[customer.country]
    name = f"{customer.name} {SITE_WORDS[spec.language]} {city}"
    spec.ship_to, spec.shipto_code = Address(name, street, city, postal, customer.country), None
    return _defect(spec, "UNKNOWN_SHIPTO", f"new delivery address {street}, {city}")


def denied_party(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    restricted = {country for line in spec.lines for country in line.product.restricted}
    parties = [d for d in ctx.master.denied if d.street and d.country not in restricted and _latin1(d.name)]
    spec.ship_to, spec.shipto_code = rng.choice(parties), None
    return _defect(spec, "DENIED_PARTY", f"ship to {spec.ship_to.name}", ("UNKNOWN_SHIPTO",))


def _latin1(text: str) -> bool:
    return all(ord(char) < 256 for char in text)


# --- what is ordered ---------------------------------------------------------------------------


def unknown_product(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    """A made-up article, or one of the customer's own SKUs with two digits swapped."""
    spec = _base(ctx, rng, fmt)
    known = set(ctx.master.products) | {p for c in ctx.master.customers.values() for p in c.parts.values()}
    typos = [t for t in map(_swap_digits, sorted(spec.customer.prices)) if t not in known]
    prefix = rng.choice(sorted(MADE_UP))
    made_up = next(s for s in (f"{prefix}-{rng.randint(20000, 39999)}" for _ in range(100)) if s not in known)
    sku = rng.choice(typos) if typos and rng.random() < 0.5 else made_up
    line = LineSpec(
        sku, None, rng.choice((10, 20, 50, 100)), "EA", None, MADE_UP.get(sku[:3], MADE_UP[prefix])
    )
    return _defect(_with_line(spec, line), "UNKNOWN_PRODUCT", f"{sku} does not exist")


def _swap_digits(sku: str) -> str:
    """FAS-10234 -> FAS-10243: the typo people make most."""
    return sku[:-2] + sku[-1] + sku[-2]


def discontinued_product(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    pairs = [
        (c, ctx.master.products[s])
        for c in routine_customers(ctx)
        for s in sorted(c.prices)
        if not ctx.master.products[s].active
    ]
    customer, product = rng.choice(pairs)
    spec = _base(ctx, rng, fmt, [customer])
    base = max(customer.history.get(product.sku, [product.pack * 2]))
    line = _priced_line(customer, product, base, rng, spec.show_prices)
    no_stock = ctx.master.stock.get(product.sku) is None
    also = ("INSUFFICIENT_STOCK",) if no_stock else ()
    return _defect(_with_line(spec, line), "DISCONTINUED_PRODUCT", f"{product.sku} is discontinued", also)


def configurable_product(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    products = sorted((p for p in ctx.master.products.values() if p.configurable), key=lambda p: p.sku)
    product = rng.choice(products)
    spec = _base(ctx, rng, fmt)
    spec.requested_date = max(
        spec.requested_date, workday(ctx.today + timedelta(days=product.lead_time_days + 5))
    )
    spec.lines = [line for line in spec.lines if spec.customer.prices[line.sku].valid_on(spec.requested_date)]
    line = _line(product, rng.randint(1, 2), product.base_uom, None)
    also = tuple(
        code
        for code, missing in (
            ("PRICE_MISSING", product.sku not in spec.customer.prices),
            ("INSUFFICIENT_STOCK", product.sku not in ctx.master.stock),
        )
        if missing
    )
    return _defect(_with_line(spec, line), "CONFIGURABLE_PRODUCT", f"{product.sku} needs configuration", also)


def invalid_uom(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    index = rng.randrange(len(spec.lines))
    line = spec.lines[index]
    units = [u for u in FOREIGN_UNITS if line.product.factor(u) is None]
    unit = units[0] if rng.random() < 0.5 else rng.choice(units)
    spec.lines[index] = replace(line, quantity=rng.randint(1, 3), unit=unit, unit_price=None)
    return _defect(spec, "INVALID_UOM", f"{line.sku} has no unit {unit}")


def min_order_qty(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    days = order_days(ctx, rng)
    pairs = [
        (c, p)
        for c in routine_customers(ctx)
        for p in map(ctx.master.products.get, sorted(c.prices))
        if p.min_order_qty > 1
        and orderable(ctx, c, p, days)
        and ctx.ledger.defect_stock(p.sku) >= p.min_order_qty
    ]
    customer, product = rng.choice(pairs)
    spec = _base(ctx, rng, fmt, [customer])
    if product.min_order_qty > product.pack:
        line = _line(product, 1, _pack_unit(product), None)
    else:
        line = _line(product, max(1, product.pack // 2), product.base_uom, None)
    line.unit_price = (
        unit_price(customer.prices[product.sku].amount, line.factor or 1) if spec.show_prices else None
    )
    note = f"{line.base_quantity} below the minimum {product.min_order_qty} of {product.sku}"
    return _defect(_with_line(_without(spec, product.sku), line), "MIN_ORDER_QTY", note)


def _pack_unit(product: Product) -> str:
    return next((u for u, f in product.units.items() if f == product.pack), product.base_uom)


def _without(spec: OrderSpec, sku: str) -> OrderSpec:
    spec.lines = [line for line in spec.lines if line.sku != sku] or spec.lines
    return spec


# --- prices and currency -------------------------------------------------------------------------


def price_missing(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    customer = spec.customer
    products = [
        p
        for sku, p in sorted(ctx.master.products.items())
        if sku not in customer.prices
        and p.active
        and not p.configurable
        and customer.country not in p.restricted
        and ctx.ledger.defect_stock(sku) >= 4 * p.pack
        and p.lead_time_days + 3 <= (spec.requested_date - ctx.today).days
    ]
    product = rng.choice(products)
    base = max(product.pack * rng.randint(1, 3), -(-product.min_order_qty // product.pack) * product.pack)
    unit, quantity = choose_unit(product, base, rng)
    line = _line(product, quantity, unit, None)
    return _defect(
        _with_line(spec, line), "PRICE_MISSING", f"{customer.number} has no price for {product.sku}"
    )


def price_mismatch(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    spec.show_prices = True
    for line in spec.lines:
        line.unit_price = unit_price(spec.customer.prices[line.sku].amount, line.factor or 1)
    index = rng.randrange(len(spec.lines))
    agreed = spec.lines[index].unit_price
    spec.lines[index].unit_price = _round_price(agreed * Decimal("1.10"))
    return _defect(
        spec, "PRICE_MISMATCH", f"{spec.lines[index].sku} at {spec.lines[index].unit_price}, agreed {agreed}"
    )


def _round_price(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001") if value < 1 else Decimal("0.01"))


def currency_mismatch(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    spec.currency = rng.choice(OTHER_CURRENCY[spec.customer.currency])
    spec.show_prices = False
    for line in spec.lines:
        line.unit_price = None
    return _defect(spec, "CURRENCY_MISMATCH", f"{spec.currency} instead of {spec.customer.currency}")


# --- quantities, dates, stock, credit ----------------------------------------------------------


def quantity_anomaly(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    days = order_days(ctx, rng)
    options = _anomalies(ctx, days)
    best = [o for o in options if o[2] == 10] or options
    customer, product, factor = rng.choice(best)
    base = factor * max(customer.history[product.sku])
    spec = _base(
        ctx,
        rng,
        fmt,
        [customer],
        count=rng.randint(1, 2),
        cap=ctx.ledger.defect_credit(customer) - customer.prices[product.sku].amount * base,
    )
    line = _priced_line(customer, product, base, rng, spec.show_prices)
    earlier = len(customer.history[product.sku])
    note = f"{base} of {product.sku}, {factor}x the largest of {earlier} earlier orders"
    return _defect(_with_line(_without(spec, product.sku), line), "QUANTITY_ANOMALY", note)


def _anomalies(ctx: Context, days: tuple) -> list[tuple[Customer, Product, int]]:
    """(customer, product, factor): the largest factor from 10 down to 4 that stock and credit carry."""
    found = []
    for customer in routine_customers(ctx):
        for sku, quantities in sorted(customer.history.items()):
            product = ctx.master.products[sku]
            if len(quantities) < 3 or not orderable(ctx, customer, product, days):
                continue
            factor = _anomaly_factor(ctx, customer, product, max(quantities))
            if factor:
                found.append((customer, product, factor))
    if not found:
        raise CorpusError("no product with three earlier orders fits stock and credit at 4x")
    return found


def _anomaly_factor(ctx: Context, customer: Customer, product: Product, largest: int) -> int | None:
    price, stock = customer.prices[product.sku].amount, ctx.ledger.defect_stock(product.sku)
    credit = ctx.ledger.defect_credit(customer) * Decimal("0.8")
    return next((f for f in range(10, 3, -1) if f * largest <= stock and price * f * largest <= credit), None)


def requested_date_infeasible(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    spec.requested_date = ctx.today - timedelta(days=rng.randint(3, 40))
    return _defect(spec, "REQUESTED_DATE_INFEASIBLE", f"requested {spec.requested_date}, in the past")


def insufficient_stock(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    days = order_days(ctx, rng)
    options = _shortages(ctx, days)
    customer, product, base = rng.choice(options[: max(3, len(options) // 3)])
    spec = _base(
        ctx,
        rng,
        fmt,
        [customer],
        count=rng.randint(1, 2),
        cap=ctx.ledger.defect_credit(customer) - customer.prices[product.sku].amount * base,
    )
    line = _priced_line(customer, product, base, rng, spec.show_prices)
    note = f"{base} of {product.sku}, stock and receipts {ctx.master.stock[product.sku].everything}"
    return _defect(_with_line(_without(spec, product.sku), line), "INSUFFICIENT_STOCK", note)


def _shortages(ctx: Context, days: tuple) -> list[tuple[Customer, Product, int]]:
    """(customer, product, quantity above all stock) within credit, cheapest share of credit first."""
    found = []
    for customer in routine_customers(ctx):
        for sku in sorted(customer.prices):
            product, stock = ctx.master.products[sku], ctx.master.stock.get(sku)
            if (
                stock is None
                or len(ctx.earlier(customer, sku)) >= 3
                or not orderable(ctx, customer, product, days)
            ):
                continue
            base = (stock.everything // product.pack + 1) * product.pack
            share = customer.prices[sku].amount * base / max(ctx.ledger.defect_credit(customer), Decimal(1))
            if share < Decimal("0.8"):
                found.append((share, customer.number, sku, customer, product, base))
    if not found:
        raise CorpusError("no product's whole stock fits a customer's credit")
    return [(c, p, b) for *_, c, p, b in sorted(found, key=lambda item: item[:3])]


def credit_limit_exceeded(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    """Ordinary quantities, but more of them than the customer's remaining credit covers."""
    days = order_days(ctx, rng)
    for scale in (1, 2):  # twice the usual is still well below the 3x of QUANTITY_ANOMALY
        options = [(c, lines) for c in _by_headroom(ctx) if (lines := _over_limit(ctx, c, days, rng, scale))]
        if options:
            break
    else:
        raise CorpusError("no customer's history carries an order above its credit headroom")
    customer, lines = rng.choice(options[:2])
    spec = _base(ctx, rng, fmt, [customer], count=1, cap=Decimal(0))
    spec.lines = lines if spec.show_prices else [replace(line, unit_price=None) for line in lines]
    note = f"order value {agreed_value(customer, lines)} > headroom {customer.headroom} {customer.currency}"
    return _defect(spec, "CREDIT_LIMIT_EXCEEDED", note)


def _by_headroom(ctx: Context) -> list[Customer]:
    return sorted(routine_customers(ctx), key=lambda c: (in_eur(c.headroom, c.currency), c.number))


def _over_limit(
    ctx: Context, customer: Customer, days: tuple, rng: Random, scale: int
) -> list[LineSpec] | None:
    """At most 20 lines of `scale` times the largest earlier quantity, worth more than the headroom."""
    lines, target = [], customer.headroom * Decimal("1.1")

    def value(product: Product) -> tuple[Decimal, str]:
        return -customer.prices[product.sku].amount * max(customer.history[product.sku]), product.sku

    products = sorted((ctx.master.products[s] for s in customer.history if s in customer.prices), key=value)
    for product in (p for p in products if orderable(ctx, customer, p, days)):
        usual = scale * max(customer.history[product.sku])
        base = min(usual, ctx.ledger.defect_stock(product.sku)) // product.pack * product.pack
        if base >= max(product.min_order_qty, 1):
            lines.append(_priced_line(customer, product, base, rng, True))
        if agreed_value(customer, lines) > target:
            return lines if len(lines) <= 20 else None
    return None


# --- text, changes, readability --------------------------------------------------------------


def free_text_instruction(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    city = rng.choice(NEW_SITES.get(spec.customer.country, ("Hamburg",)))
    sentence = rng.choice(INSTRUCTIONS[spec.language]).format(city=city, name=spec.sender.name)
    spec.notes.append(sentence)
    return _defect(spec, "FREE_TEXT_INSTRUCTION", sentence)


def changed(original: OrderSpec, rng: Random, ctx: Context) -> OrderSpec:
    """The same order sent again with one quantity changed (ORDER_CHANGE)."""
    lines = [replace(line) for line in original.lines]
    index = rng.randrange(len(lines))
    line = lines[index]
    step = 1 if line.unit != line.product.base_uom else line.product.pack
    smaller = line.quantity - step
    fits = smaller * (line.factor or 1) >= max(line.product.min_order_qty, 1)
    line.quantity = smaller if fits else line.quantity + step
    spec = replace(original, lines=lines, change=True, notes=list(original.notes))
    spec.requested_date = original.requested_date
    return _defect(spec, "ORDER_CHANGE", f"{line.sku} changed to {line.quantity} {line.unit}")


def extraction_uncertain(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    spec = _base(ctx, rng, fmt)
    return _defect(spec, "EXTRACTION_UNCERTAIN", "scanned PDF without a text layer")


def unreadable_document(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    """An ordinary order whose file is damaged on its way (generate cuts the rendered bytes)."""
    spec = _base(ctx, rng, fmt)
    return _defect(spec, "UNREADABLE_DOCUMENT", "the file was cut off in transfer")


def compliance_pairs(ctx: Context) -> list[tuple[Customer, Product, str]]:
    """(customer, restricted product it has a price for, ship-to code in a restricted country)."""
    return [
        (c, ctx.master.products[sku], s.code)
        for c in routine_customers(ctx)
        for sku in sorted(c.prices)
        for s in c.shiptos
        if s.address.country in ctx.master.products[sku].restricted
    ]


def compliance_seedable(ctx: Context) -> bool:
    """Whether some customer can send a restricted product to a restricted country: to one of
    its own ship-tos there, or to a forwarder there."""
    return bool(compliance_pairs(ctx)) or any(
        FORWARDER_COUNTRIES & set(ctx.master.products[sku].restricted)
        for c in routine_customers(ctx)
        for sku in c.prices
    )


def compliance_restricted(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    """A restricted product to one of the customer's own ship-tos in a restricted country or,
    where no customer has one (the demo data), to a forwarder there (then an unknown ship-to too)."""
    if not compliance_pairs(ctx):
        return _via_forwarder(ctx, rng, fmt)
    customer, product, code = rng.choice(compliance_pairs(ctx))
    spec = _base(ctx, rng, fmt, [customer])
    shipto = next(s for s in customer.shiptos if s.code == code)
    spec.ship_to, spec.shipto_code = shipto.address, code
    line = _priced_line(customer, product, product.pack * 2, rng, spec.show_prices)
    return _defect(
        _with_line(spec, line), "COMPLIANCE_RESTRICTED", f"{product.sku} to {shipto.address.country}"
    )


def _via_forwarder(ctx: Context, rng: Random, fmt: str) -> OrderSpec:
    """A routine order with a restricted product, to be delivered to "our forwarder" abroad:
    the way restricted goods are re-exported. The address is none of the customer's ship-tos."""
    days = order_days(ctx, rng)
    customer, product, base = rng.choice(_forwarder_pairs(ctx, days))
    value = customer.prices[product.sku].amount * base
    spec = _base(
        ctx, rng, fmt, [customer], count=rng.randint(1, 3), cap=ctx.ledger.defect_credit(customer) - value
    )
    line = _priced_line(customer, product, base, rng, spec.show_prices)
    name, street, postal, city, country = rng.choice([f for f in FORWARDERS if f[4] in product.restricted])
    spec.ship_to, spec.shipto_code = Address(name, street, city, postal, country), None
    spec.lines = [other for other in spec.lines if other.sku != product.sku]
    note = f"{product.sku} to the forwarder {name}, {city} ({country})"
    return _defect(_with_line(spec, line), "COMPLIANCE_RESTRICTED", note, ("UNKNOWN_SHIPTO",))


def _forwarder_pairs(ctx: Context, days: tuple) -> list[tuple[Customer, Product, int]]:
    """(customer, restricted product it may order, base quantity) within stock and credit."""
    found = []
    for customer in routine_customers(ctx):
        for product in map(ctx.master.products.get, sorted(customer.prices)):
            base = minimum_quantity(product)
            fits = (
                FORWARDER_COUNTRIES & set(product.restricted)
                and orderable(ctx, customer, product, days)
                and base <= ctx.ledger.defect_stock(product.sku)
                and customer.prices[product.sku].amount * base <= ctx.ledger.defect_credit(customer) / 2
            )
            if fits:
                found.append((customer, product, base))
    if not found:
        raise CorpusError("no customer can order a product restricted for a forwarder's country")
    return found


BUILDERS = {
    "UNKNOWN_CUSTOMER": unknown_customer,
    "UNAUTHORIZED_SENDER": unauthorized_sender,
    "AMBIGUOUS_CUSTOMER": ambiguous_customer,
    "UNKNOWN_SHIPTO": unknown_shipto,
    "UNKNOWN_PRODUCT": unknown_product,
    "DISCONTINUED_PRODUCT": discontinued_product,
    "CONFIGURABLE_PRODUCT": configurable_product,
    "INVALID_UOM": invalid_uom,
    "MIN_ORDER_QTY": min_order_qty,
    "PRICE_MISSING": price_missing,
    "PRICE_MISMATCH": price_mismatch,
    "CURRENCY_MISMATCH": currency_mismatch,
    "QUANTITY_ANOMALY": quantity_anomaly,
    "REQUESTED_DATE_INFEASIBLE": requested_date_infeasible,
    "INSUFFICIENT_STOCK": insufficient_stock,
    "CREDIT_HOLD": credit_hold,
    "CUSTOMER_BLOCKED": customer_blocked,
    "COMPLIANCE_RESTRICTED": compliance_restricted,
    "DENIED_PARTY": denied_party,
    "FREE_TEXT_INSTRUCTION": free_text_instruction,
    "EXTRACTION_UNCERTAIN": extraction_uncertain,
    "CREDIT_LIMIT_EXCEEDED": credit_limit_exceeded,
    "UNREADABLE_DOCUMENT": unreadable_document,
}
