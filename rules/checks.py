"""The boundary's business checks on a resolved order (CONTRACT §5).

Every check runs (none stops at the first failure) and reports its outcome
with the numbers behind it, e.g. "unit price 11.20 vs agreement 10.30:
+8.7% > 2%". Intake already settled who, where, what and how many; these
checks decide whether the order may be executed as it stands: prices,
currency, quantities, dates, stock, credit, compliance.

Pure reads: nothing here writes. Stock and credit are checked again under
row locks when the order is executed.

The checks read their facts (agreements, history, denied parties,
restrictions, stock, credit) through a ``Facts`` object: ``evaluate`` asks
the database (``DatabaseFacts``, a few queries per order); the backtest
(rules.backtest) hands the same checks facts it loaded once for many
historical orders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.db.models import Count, F, Max, Q
from rapidfuzz import fuzz

from integrations.parsers.vocabulary import fold
from orders.models import (
    Credit,
    DeniedParty,
    Inventory,
    Order,
    OrderHistoryLine,
    Price,
    ProductRestriction,
    ProductStatus,
    Status,
)
from rules.causes import Cause
from rules.rulebook import OrderRules, RuleBook
from rules.selectors import rulebook_current

CENT = Decimal("0.01")


@dataclass
class Outcome:
    code: str
    passed: bool
    message: str
    line: int | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "message": self.message,
                "line": self.line}


@dataclass
class Evaluation:
    outcomes: list[Outcome] = field(default_factory=list)
    order_value: Decimal = Decimal(0)
    promised_date: date | None = None
    agreed_prices: dict[int, Decimal] = field(default_factory=dict)  # line position -> per base unit
    rule_set_version: str = "defaults"
    #: The earliest date the order can be delivered (today + lead time + buffer).
    earliest_date: date | None = None

    def fail(self, code: str, message: str, line: int | None = None) -> None:
        self.outcomes.append(Outcome(code, False, message, line))

    def ok(self, code: str, message: str, line: int | None = None) -> None:
        self.outcomes.append(Outcome(code, True, message, line))

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.passed]


class Facts(Protocol):
    """What the checks read besides the order and its rules."""

    def agreements(self, customer, product_ids: set[int], on: date) -> dict[int, Price]:
        """The price agreement valid on ``on`` per product, in the customer's currency."""

    def histories(self, customer, product_ids: set[int],
                  before: date | None) -> dict[int, tuple[int, Decimal]]:
        """(count, largest quantity) of the customer's history lines per product,
        dated before ``before`` (None: all of them)."""

    def denied_match(self, parties: tuple[tuple[str, str], ...],
                     threshold: Decimal) -> tuple[str, DeniedParty, float] | None:
        """The first party of the order on the denied-parties list (first_denied_match)."""

    def restricted_skus(self, product_ids: set[int], country: str) -> set[str]:
        """The products restricted for the country."""

    def available_stock(self, product_ids: Iterable[int], by: date | None) -> dict[int, Decimal]:
        """Stock per product as ``available_stock`` counts it."""

    def credit(self, customer) -> Credit | None:
        """The customer's credit account."""


class DatabaseFacts:
    """The facts as the database holds them now: one query per kind and order."""

    def agreements(self, customer, product_ids: set[int], on: date) -> dict[int, Price]:
        # The one valid from the latest date; an open start is the earliest
        # (nulls last: PostgreSQL sorts NULL first in a descending order).
        agreements: dict[int, Price] = {}
        prices = (Price.objects.filter(customer=customer, currency=customer.currency,
                                       product_id__in=product_ids)
                  .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
                  .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
                  .order_by("product_id", F("valid_from").desc(nulls_last=True)))
        for price in prices:
            agreements.setdefault(price.product_id, price)
        return agreements

    def histories(self, customer, product_ids: set[int],
                  before: date | None) -> dict[int, tuple[int, Decimal]]:
        rows = OrderHistoryLine.objects.filter(customer=customer, product_id__in=product_ids)
        if before is not None:
            rows = rows.filter(order_date__lt=before)
        figures = (rows.order_by().values("product_id")
                   .annotate(count=Count("pk"), largest=Max("quantity")))
        return {row["product_id"]: (row["count"], row["largest"]) for row in figures}

    def denied_match(self, parties: tuple[tuple[str, str], ...],
                     threshold: Decimal) -> tuple[str, DeniedParty, float] | None:
        countries = {country for _, country in parties}
        return first_denied_match(parties, DeniedParty.objects.filter(country__in=countries),
                                  threshold)

    def restricted_skus(self, product_ids: set[int], country: str) -> set[str]:
        return set(ProductRestriction.objects.filter(product_id__in=product_ids, country=country)
                   .values_list("product__sku", flat=True))

    def available_stock(self, product_ids: Iterable[int], by: date | None) -> dict[int, Decimal]:
        return available_stock(product_ids, by)

    def credit(self, customer) -> Credit | None:
        return Credit.objects.filter(customer=customer).first()


def evaluate(order: Order, *, today: date, book: RuleBook | None = None,
             lines: list | None = None) -> Evaluation:
    """Run every business check on a resolved order (customer and lines set),
    under the rules of ``book`` (default: the rule set in force). ``lines``:
    the order's resolved lines with their products, if the caller has them."""
    if lines is None:
        lines = [line for line in order.lines.select_related("product") if line.product_id]
    if order.customer is None:
        return Evaluation()
    rules = order_rules(order, book or rulebook_current(), lines)
    return evaluate_with(order, lines, rules=rules, facts=DatabaseFacts(), today=today)


def evaluate_with(order: Order, lines: list, *, rules: OrderRules, facts: Facts, today: date,
                  history_before: date | None = None, levels: bool = True) -> Evaluation:
    """Every check of an order with a customer, reading ``facts``: the one
    body of checks for live decisions and for the backtest. ``today``: the
    day the order is judged on. ``history_before``: count only history dated
    before it. ``levels=False`` leaves out stock and credit, which depend on
    the day's levels rather than on rules (the backtest does not replay them)."""
    result = Evaluation()
    _customer_checks(order, result, rules, facts)
    on = order.order_date or today
    product_ids = {line.product_id for line in lines}
    agreements = facts.agreements(order.customer, product_ids, on)
    histories = facts.histories(order.customer, product_ids, history_before)
    for line in lines:
        _product_checks(line, result, rules)
        _price_checks(line, agreements.get(line.product_id), on, result, rules)
        _quantity_check(line, histories.get(line.product_id, (0, None)), result, rules)
    result.order_value = sum((result.agreed_prices.get(line.position, Decimal(0))
                              * (line.base_quantity or 0) for line in lines), Decimal(0))
    result.order_value = result.order_value.quantize(CENT, ROUND_HALF_UP)
    _date_check(order, lines, result, today, rules)
    if levels:
        _stock_check(order, lines, result, today, rules, facts)
        _credit_check(order, result, rules, facts)
    _compliance_check(order, lines, result, rules, facts)
    return result


def order_rules(order: Order, book: RuleBook, lines=None) -> OrderRules:
    """The rules that apply to this order's segment."""
    lines = lines if lines is not None else [
        line for line in order.lines.select_related("product") if line.product_id]
    customer = order.customer
    return book.for_order(customer_number=customer.customer_number if customer else "",
                          customer_group=customer.customer_group if customer else "",
                          families={line.product.product_family for line in lines},
                          channels=order_channels(order))


def order_channels(order: Order) -> set[str]:
    """Every name the order's channel goes by: how it came and what it is."""
    channels = {order.document.channel, order.format}
    if order.format in ("x12", "edifact"):
        channels.add("edi")
    return channels - {""}


def _skip(result: Evaluation, rules: OrderRules, code: str, family: str | None = None,
          line: int | None = None) -> bool:
    """A switched-off rule passes, saying so: the decision shows it was not checked."""
    if rules.enabled(code, family):
        return False
    result.ok(code, rules.disabled_note(code, family), line)
    return True


def _customer_checks(order: Order, result: Evaluation, rules: OrderRules, facts: Facts) -> None:
    customer = order.customer
    if customer.status == Status.BLOCKED:
        result.fail(Cause.CUSTOMER_BLOCKED, f"customer {customer.customer_number} is blocked")
    else:
        result.ok(Cause.CUSTOMER_BLOCKED, f"customer {customer.customer_number} is active")
    if order.currency and order.currency != customer.currency:
        result.fail(Cause.CURRENCY_MISMATCH,
                    f"order in {order.currency}, customer {customer.customer_number} "
                    f"buys in {customer.currency}")
    else:
        result.ok(Cause.CURRENCY_MISMATCH, f"currency {customer.currency}")
    _denied_party_check(order, result, rules, facts)


def _denied_party_check(order: Order, result: Evaluation, rules: OrderRules, facts: Facts) -> None:
    threshold = rules.param(Cause.DENIED_PARTY, "match_pct")
    parties = [(order.customer.name, order.customer.country)]
    if order.shipto is not None:
        parties.append((order.shipto.name, order.shipto.country))
    if order.ship_to_name:
        parties.append((order.ship_to_name, order.ship_to_country or order.customer.country))
    match = facts.denied_match(tuple(parties), threshold)
    if match is not None:
        name, denied, score = match
        result.fail(Cause.DENIED_PARTY, f"{name!r} matches denied party {denied.name!r} "
                    f"({denied.country}, {score:.0f}% alike)")
    else:
        result.ok(Cause.DENIED_PARTY, "no party of the order is on the denied-parties list")


def first_denied_match(parties: Iterable[tuple[str, str]], denied_parties: Iterable[DeniedParty],
                       threshold: Decimal) -> tuple[str, DeniedParty, float] | None:
    """The first (party name, denied party, likeness %) where a party of the
    order is as alike a denied party of its country as ``threshold`` says."""
    for denied in denied_parties:
        for name, country in parties:
            score = fuzz.token_sort_ratio(fold(name), fold(denied.name))
            if country == denied.country and score >= threshold:
                return name, denied, score
    return None


def _product_checks(line, result: Evaluation, rules: OrderRules) -> None:
    product, number = line.product, line.position + 1
    family = product.product_family
    if (product.status == ProductStatus.DISCONTINUED
            and not _skip(result, rules, Cause.DISCONTINUED_PRODUCT, family, number)):
        result.fail(Cause.DISCONTINUED_PRODUCT, f"line {number}: {product.sku} is discontinued",
                    number)
    if product.configurable:
        result.fail(Cause.CONFIGURABLE_PRODUCT, f"line {number}: {product.sku} needs configuration",
                    number)
    minimum = product.min_order_qty
    if (minimum and line.base_quantity is not None and line.base_quantity < minimum
            and not _skip(result, rules, Cause.MIN_ORDER_QTY, family, number)):
        result.fail(Cause.MIN_ORDER_QTY, f"line {number}: {_n(line.base_quantity)} "
                    f"{product.base_uom} of {product.sku} is below the minimum {_n(minimum)}", number)


def _price_checks(line, agreement: Price | None, on: date, result: Evaluation,
                  rules: OrderRules) -> None:
    number, product = line.position + 1, line.product
    if agreement is None:
        result.fail(Cause.PRICE_MISSING, f"line {number}: no price agreement for {product.sku} "
                    f"valid on {on.isoformat()}", number)
        return
    result.agreed_prices[line.position] = agreement.unit_price
    stated = stated_price_per_base_unit(line)
    if stated is None:
        result.ok(Cause.PRICE_MISMATCH, f"line {number}: no price stated; agreement "
                  f"{_n(agreement.unit_price)} per {product.base_uom}", number)
        return
    family = product.product_family
    if not _skip(result, rules, Cause.PRICE_MISMATCH, family, number):
        tolerance = rules.param(Cause.PRICE_MISMATCH, "tolerance_pct", family)
        _compare_price(stated, agreement.unit_price, number, product, result, tolerance)


def stated_price_per_base_unit(line) -> Decimal | None:
    """The order's price per base unit: price per written unit, over its factor and basis."""
    if line.unit_price is None or not line.base_quantity or not line.quantity:
        return None
    factor = line.base_quantity / line.quantity
    per = line.price_per or Decimal(1)
    return line.unit_price / per / factor


def _compare_price(stated: Decimal, agreed: Decimal, number: int, product, result: Evaluation,
                   tolerance: Decimal) -> None:
    if agreed == 0:
        deviation = Decimal(0) if stated == 0 else Decimal(100)
    else:
        deviation = (stated - agreed) / agreed * 100
    text = (f"line {number}: unit price {_n(stated)} vs agreement {_n(agreed)} per "
            f"{product.base_uom}: {deviation:+.1f}%")
    if abs(deviation) > tolerance:
        result.fail(Cause.PRICE_MISMATCH, f"{text} > {_n(tolerance)}%", number)
    else:
        result.ok(Cause.PRICE_MISMATCH, f"{text} within {_n(tolerance)}%", number)


def _quantity_check(line, history: tuple[int, Decimal | None], result: Evaluation,
                    rules: OrderRules) -> None:
    number, family = line.position + 1, line.product.product_family
    if _skip(result, rules, Cause.QUANTITY_ANOMALY, family, number):
        return
    factor = rules.param(Cause.QUANTITY_ANOMALY, "factor", family)
    minimum = rules.param(Cause.QUANTITY_ANOMALY, "min_history", family)
    count, largest = history
    if line.base_quantity is None or count < minimum:
        result.ok(Cause.QUANTITY_ANOMALY, f"line {number}: {count} earlier orders, too few to judge",
                  number)
        return
    limit = largest * factor
    text = (f"line {number}: {_n(line.base_quantity)} {line.product.base_uom} vs largest of "
            f"{count} earlier orders {_n(largest)}")
    if line.base_quantity > limit:
        result.fail(Cause.QUANTITY_ANOMALY, f"{text}: more than {_n(factor)}×", number)
    else:
        result.ok(Cause.QUANTITY_ANOMALY, text, number)


def _date_check(order: Order, lines, result: Evaluation, today: date, rules: OrderRules) -> None:
    code = Cause.REQUESTED_DATE_INFEASIBLE
    lead = max((line.product.lead_time_days for line in lines), default=0)
    buffer = int(rules.param(code, "buffer_days"))
    earliest = today + timedelta(days=lead + buffer)
    result.earliest_date = earliest
    requested = order.requested_date
    if requested is not None and requested < earliest and _skip(result, rules, code):
        # Not checked: the order is promised for when it can be delivered.
        result.promised_date = max(requested, earliest)
    elif requested is None:
        result.promised_date = earliest
        result.ok(Cause.REQUESTED_DATE_INFEASIBLE, f"no date requested; earliest {earliest}")
    elif requested < today:
        result.fail(Cause.REQUESTED_DATE_INFEASIBLE, f"requested {requested} is in the past")
    elif requested < earliest:
        extra = f" + {buffer} days buffer" if buffer else ""
        result.fail(Cause.REQUESTED_DATE_INFEASIBLE, f"requested {requested}, but the lead time "
                    f"of {lead} days{extra} allows {earliest} at the earliest")
    else:
        result.promised_date = requested
        result.ok(Cause.REQUESTED_DATE_INFEASIBLE, f"requested {requested}, earliest {earliest}")


def available_stock(product_ids, by: date | None) -> dict[int, Decimal]:
    """On hand minus allocated, plus receipts due by `by`, per product."""
    return stock_available(Inventory.objects.filter(product_id__in=product_ids), by)


def stock_available(rows, by: date | None) -> dict[int, Decimal]:
    """What ``available_stock`` says, from inventory rows the caller holds
    (the execution counts on the rows it has locked)."""
    available: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        available[row.product_id] += row.on_hand - row.allocated
        if row.next_receipt_qty and row.next_receipt_date and by and row.next_receipt_date <= by:
            available[row.product_id] += row.next_receipt_qty
    return available


def _stock_check(order: Order, lines, result: Evaluation, today: date, rules: OrderRules,
                 facts: Facts) -> None:
    needed: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        needed[line.product_id] += line.base_quantity or 0
    available = facts.available_stock(needed, order.requested_date or result.promised_date or today)
    for line in lines:
        have, want = available[line.product_id], needed[line.product_id]
        text = (f"line {line.position + 1}: {line.product.sku} needs {_n(want)}, "
                f"{_n(have)} available by {order.requested_date or result.promised_date}")
        if want > have:
            result.fail(Cause.INSUFFICIENT_STOCK, text, line.position + 1)
        else:
            result.ok(Cause.INSUFFICIENT_STOCK, text, line.position + 1)


def _credit_check(order: Order, result: Evaluation, rules: OrderRules, facts: Facts) -> None:
    credit = facts.credit(order.customer)
    number = order.customer.customer_number
    if credit is None:
        result.fail(Cause.CREDIT_LIMIT_EXCEEDED, f"{number} has no credit account")
        return
    if credit.on_hold:
        result.fail(Cause.CREDIT_HOLD, f"credit of {number} is on hold")
    total = credit.open_exposure + result.order_value
    text = (f"exposure {_n(credit.open_exposure)} + order {_n(result.order_value)} = {_n(total)} "
            f"vs limit {_n(credit.credit_limit)}")
    if total > credit.credit_limit:
        result.fail(Cause.CREDIT_LIMIT_EXCEEDED, text)
    else:
        result.ok(Cause.CREDIT_LIMIT_EXCEEDED, text)


def _compliance_check(order: Order, lines, result: Evaluation, rules: OrderRules,
                      facts: Facts) -> None:
    country = order.shipto.country if order.shipto else order.ship_to_country
    restricted = facts.restricted_skus({line.product_id for line in lines},
                                       country) if country else set()
    for sku in sorted(restricted):
        result.fail(Cause.COMPLIANCE_RESTRICTED, f"{sku} may not be shipped to {country}")
    if not restricted:
        result.ok(Cause.COMPLIANCE_RESTRICTED, f"no product is restricted for {country or '?'}")


def _n(value) -> str:
    """A decimal as people write it: at most 4 places, no trailing zeros, no exponent."""
    return format(Decimal(value).quantize(Decimal("0.0001")).normalize(), "f")
