"""The orders of the past as the checks read them, and the facts to judge
them by, loaded once for all of them."""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import F
from django.utils import timezone

from orders.models import (
    Customer,
    DeniedParty,
    Order,
    OrderHistoryLine,
    OrderLine,
    Price,
    Product,
    ProductRestriction,
    ShipTo,
)
from orders.services.execution import CHECK_CAUSES
from rules.causes import Cause
from rules.checks import first_denied_match, order_channels
from rules.models import Decision

SOURCES = ("history", "documents")
#: Outcomes that depend on the day's stock and credit levels, not on rules.
LEVEL_CAUSES = {Cause.INSUFFICIENT_STOCK, Cause.CREDIT_HOLD, Cause.CREDIT_LIMIT_EXCEEDED}
#: Decisions the boundary made by its checks (not a person's release or rejection).
BOUNDARY_OUTCOMES = [Decision.Outcome.EXECUTED, Decision.Outcome.WOULD_EXECUTE,
                     Decision.Outcome.EXCEPTION]


class Agreement(NamedTuple):
    product_id: int
    unit_price: Decimal
    valid_from: date | None
    valid_to: date | None


@dataclass(slots=True)
class PastLine:
    """A history line as the checks read an order line (quantities in base units)."""

    position: int
    product: Product
    product_id: int
    quantity: Decimal
    base_quantity: Decimal
    unit_price: Decimal | None
    price_per: Decimal | None = None


class Arrival(NamedTuple):
    """How an order came, as order_channels reads ``order.document``."""

    channel: str = ""


@dataclass(slots=True)
class PastOrder:
    """A past order as the checks read an Order: of the history import, or of
    a document (read as plain values, not as models: 100,000 of them)."""

    customer: Customer | None
    po_number: str
    order_date: date | None
    shipto: ShipTo | None
    currency: str = ""
    requested_date: date | None = None
    ship_to_name: str = ""
    ship_to_country: str = ""
    document: Arrival = Arrival()
    format: str = ""


@dataclass(slots=True)
class Judged:
    """One historical order, ready to be judged under any rule set."""

    source: str
    label: str
    day: date
    order: PastOrder
    lines: list
    families: frozenset[str]
    channels: frozenset[str]
    #: Cause codes intake found (the rules decide which still apply).
    intake: tuple[str, ...] = ()
    #: Stock and credit causes recorded when the order was decided.
    levels: frozenset[str] = frozenset()


class HistoryFacts:
    """The facts the rules judge by, read once for every historical order
    (rules.checks.Facts): agreements with their validity, each customer's
    history per product in date order (to count what came before any day),
    denied parties, restrictions. Not stock and credit (see rules.backtest)."""

    def __init__(self):
        self._prices: dict[tuple[int, int], list[Agreement]] = defaultdict(list)
        for customer_id, *agreement in (Price.objects.filter(currency=F("customer__currency"))
                                        .values_list("customer_id", "product_id", "unit_price",
                                                     "valid_from", "valid_to")):
            self._prices[customer_id, agreement[0]].append(Agreement(*agreement))
        for agreements in self._prices.values():
            # Latest start first, an open start last: the order evaluate() reads them in.
            agreements.sort(key=lambda a: a.valid_from or date.min, reverse=True)
        self._history: dict[tuple[int, int], tuple[list[date], list[Decimal]]] = {}
        self._denied: dict[str, list[DeniedParty]] = defaultdict(list)
        for denied in DeniedParty.objects.all():
            self._denied[denied.country].append(denied)
        self._restricted: dict[str, dict[int, str]] = defaultdict(dict)
        for product_id, sku, country in ProductRestriction.objects.values_list(
                "product_id", "product__sku", "country"):
            self._restricted[country][product_id] = sku
        self._matches: dict[tuple, tuple | None] = {}

    def add_history(self, customer_id: int, product_id: int, day: date, quantity: Decimal) -> None:
        """One history line; lines come in date order per customer and product."""
        days, largest = self._history.setdefault((customer_id, product_id), ([], []))
        days.append(day)
        largest.append(max(quantity, largest[-1]) if largest else quantity)

    def agreements(self, customer, product_ids: set[int], on: date) -> dict[int, Agreement]:
        found = {}
        for product_id in product_ids:
            for agreement in self._prices.get((customer.pk, product_id), ()):
                if ((agreement.valid_from is None or agreement.valid_from <= on)
                        and (agreement.valid_to is None or agreement.valid_to >= on)):
                    found[product_id] = agreement
                    break
        return found

    def histories(self, customer, product_ids: set[int],
                  before: date | None) -> dict[int, tuple[int, Decimal]]:
        figures = {}
        for product_id in product_ids:
            days, largest = self._history.get((customer.pk, product_id), ((), ()))
            count = len(days) if before is None else bisect_left(days, before)
            if count:
                figures[product_id] = (count, largest[count - 1])
        return figures

    def denied_match(self, parties: tuple[tuple[str, str], ...], threshold: Decimal):
        # Fuzzy matching is the dearest check; most orders repeat a few parties.
        key = (parties, threshold)
        if key not in self._matches:
            candidates = [d for country in {c for _, c in parties} for d in self._denied[country]]
            self._matches[key] = first_denied_match(parties, candidates, threshold)
        return self._matches[key]

    def restricted_skus(self, product_ids: set[int], country: str) -> set[str]:
        restricted = self._restricted.get(country, {})
        return {restricted[p] for p in product_ids if p in restricted}


@dataclass
class Past:
    facts: HistoryFacts
    #: In the order they arrived (day, then label); made one at a time as they are judged.
    items: Iterable[Judged]
    notes: list[str]


def past_orders(*, since: date | None, until: date, sources) -> Past:
    """Every historical order of ``sources`` that arrived from ``since`` to
    ``until``, and the facts to judge them by."""
    facts = HistoryFacts()
    groups = _history_groups(facts, until)
    documents = _document_rows(since, until) if "documents" in sources else []
    catalogue = Catalogue({row[1] for rows in groups.values() for row in rows}
                          | {line[1] for _, lines, _ in documents for line in lines})
    documents = sorted((_document_item(*row, catalogue) for row in documents), key=_arrival)
    twins = {(item.order.customer.pk, item.order.po_number) for item in documents
             if item.order.customer} & groups.keys()
    for key in twins:
        del groups[key]
    notes = [f"{len(twins):,} orders of the history import also came as documents; each is "
             "judged once, as its document."] if twins else []
    history = HistoryOrders(groups, catalogue).items(since) if "history" in sources else []
    return Past(facts, heapq.merge(documents, history, key=_arrival), notes)


def _arrival(item: Judged) -> tuple[date, str]:
    return item.day, item.label


class Catalogue:
    """Customers, their ship-tos and the products ordered, read once and
    shared by every order that names them."""

    def __init__(self, product_ids: set[int]):
        self.customers = Customer.objects.in_bulk()
        self.products = Product.objects.in_bulk(product_ids)
        self.shiptos = ShipTo.objects.in_bulk()
        self.shiptos_of: dict[int, list[ShipTo]] = defaultdict(list)
        for shipto in self.shiptos.values():
            self.shiptos_of[shipto.customer_id].append(shipto)

    def lines(self, rows) -> list[PastLine]:
        """(position, product id, quantity, base quantity, unit price, price per) rows as lines."""
        return [PastLine(position, self.products[product_id], product_id, quantity, base,
                         price, per) for position, product_id, quantity, base, price, per in rows]


def _history_groups(facts: HistoryFacts, until: date) -> dict[tuple[int, str], list[tuple]]:
    """The history import's lines up to ``until`` by (customer, PO), as
    (date, product id, quantity, ship-to code, unit price), each also counted
    into the customer's quantity history. One query, served by the
    (customer, product, order_date) index."""
    groups: dict[tuple[int, str], list[tuple]] = defaultdict(list)
    days: dict[date, date] = {}  # one object per day, not one per line: 300,000 lines
    rows = (OrderHistoryLine.objects.filter(order_date__lte=until)
            .order_by("customer_id", "product_id", "order_date")
            .values_list("customer_id", "po_number", "order_date", "product_id", "quantity",
                         "shipto_code", "unit_price"))
    for customer_id, po_number, day, product_id, quantity, shipto_code, price in rows.iterator(
            chunk_size=20_000):
        day = days.setdefault(day, day)
        facts.add_history(customer_id, product_id, day, quantity)
        groups[customer_id, po_number].append((day, product_id, quantity, shipto_code, price))
    return groups


class HistoryOrders:
    """The history import's orders, made one at a time: 100,000 orders with
    their lines need not be in memory at once, only their rows."""

    def __init__(self, groups: dict[tuple[int, str], list[tuple]], catalogue: Catalogue):
        self._groups = groups
        self._catalogue = catalogue

    def items(self, since: date | None) -> Iterator[Judged]:
        """The orders from ``since`` on, in the order they arrived."""
        customers = self._catalogue.customers
        keys = sorted((min(row[0] for row in rows),
                       f"{customers[customer_id].customer_number} PO {po_number}",
                       customer_id, po_number)
                      for (customer_id, po_number), rows in self._groups.items())
        return (self._item(*key) for key in keys if since is None or key[0] >= since)

    def _item(self, day: date, label: str, customer_id: int, po_number: str) -> Judged:
        rows = sorted(self._groups[customer_id, po_number], key=lambda row: row[1])
        code = next((row[3] for row in rows if row[3]), "")
        shipto, intake = _shipto(code, self._catalogue.shiptos_of[customer_id])
        # Quantities and prices of the history import are per base unit.
        lines = self._catalogue.lines((position, product_id, quantity, quantity, price, None)
                                      for position, (_, product_id, quantity, _, price)
                                      in enumerate(rows))
        order = PastOrder(self._catalogue.customers[customer_id], po_number, day, shipto)
        return Judged("history", label, day, order, lines,
                      frozenset(line.product.product_family for line in lines), frozenset(),
                      intake)


def _shipto(code: str, shiptos: list[ShipTo]) -> tuple[ShipTo | None, tuple[str, ...]]:
    """The ship-to a history order names, as intake finds it by code: the
    customer's default when none is named (orders.services.resolution)."""
    if code:
        match = next((s for s in shiptos if s.shipto_code.casefold() == code.casefold()), None)
    else:
        match = next((s for s in shiptos if s.is_default), None)
    return match, (() if match else (Cause.UNKNOWN_SHIPTO,))


ORDER_VALUES = ("pk", "po_number", "order_date", "requested_date", "currency", "ship_to_name",
                "ship_to_country", "customer_id", "shipto_id", "format", "document__channel",
                "document__received_at", "causes")
LINE_VALUES = ("order_id", "position", "product_id", "quantity", "base_quantity", "unit_price",
               "price_per")


def _document_rows(since: date | None, until: date) -> list[tuple[tuple, list, tuple | None]]:
    """(order row, line rows, latest decision) of every past document order:
    three queries, plain values (model instances would cost more than the checks)."""
    orders = Order.objects.filter(status__in=[Order.State.EXECUTED, Order.State.EXCEPTION],
                                  document__received_at__date__lte=until)
    if since is not None:
        orders = orders.filter(document__received_at__date__gte=since)
    lines: dict[int, list[tuple]] = defaultdict(list)
    for order_id, *line in (OrderLine.objects.filter(order__in=orders.values("pk"),
                                                     product__isnull=False)
                            .order_by("order_id", "position").values_list(*LINE_VALUES)):
        lines[order_id].append(tuple(line))
    decisions = _latest_decisions(orders)
    return [(row, lines[row[0]], decisions.get(row[0]))
            for row in orders.order_by("pk").values_list(*ORDER_VALUES)]


def _latest_decisions(orders) -> dict[int, tuple[list, list]]:
    """(checks, causes) of each order's latest decision by the boundary."""
    latest = {}
    for order_id, checks, causes in (Decision.objects.filter(order__in=orders.values("pk"),
                                                             outcome__in=BOUNDARY_OUTCOMES)
                                     .order_by("order_id", "-pk")
                                     .values_list("order_id", "checks", "causes")):
        latest.setdefault(order_id, (checks, causes))
    return latest


def _document_item(row: tuple, line_rows: list[tuple], decision: tuple[list, list] | None,
                   catalogue: Catalogue) -> Judged:
    (_pk, po_number, order_date, requested_date, currency, ship_to_name, ship_to_country,
     customer_id, shipto_id, fmt, channel, received_at, order_causes) = row
    customer = catalogue.customers.get(customer_id)
    order = PastOrder(customer, po_number, order_date, catalogue.shiptos.get(shipto_id),
                      currency, requested_date, ship_to_name, ship_to_country, Arrival(channel),
                      fmt)
    lines = catalogue.lines(line_rows)
    intake, levels = _recorded(decision, order_causes)
    label = f"{customer.customer_number if customer else '?'} PO {po_number or '?'}"
    return Judged("documents", label, timezone.localdate(received_at), order, lines,
                  frozenset(line.product.product_family for line in lines),
                  frozenset(order_channels(order)), intake, levels)


def _recorded(decision: tuple[list, list] | None,
              order_causes: list[dict]) -> tuple[tuple[str, ...], frozenset[str]]:
    """What intake found (cause codes), and the stock and credit causes the
    boundary recorded, from the order's latest decision."""
    if decision is None:
        return tuple(dict.fromkeys(c["code"] for c in order_causes
                                   if c["code"] not in CHECK_CAUSES)), frozenset()
    checks, causes = decision
    # Intake's causes the decision kept, and those a switched-off rule let
    # pass: recorded as passed checks, which the checks never write for codes
    # of their own.
    intake = ([c["code"] for c in causes if c["code"] not in CHECK_CAUSES]
              + [o["code"] for o in checks if o["passed"] and o["code"] not in CHECK_CAUSES])
    levels = frozenset(o["code"] for o in checks if o["code"] in LEVEL_CAUSES and not o["passed"])
    return tuple(dict.fromkeys(intake)), levels
