"""The operations dashboard's figures: how much of the order flow runs with no
human touch, what stops the rest, and what people spend their time on.

Every figure is a ``Figure`` (a titled table), so the page, its CSV downloads
and the API serve the same numbers. ``dashboard`` reads the period's orders
in a handful of queries (a few columns each, no per-order query) and counts
in Python: at 100k orders that is a couple of seconds, and every figure comes
out of the same pass, so they always agree with each other.

Definitions (also shown on the page):
- an *order* is an order found in an inbound document and decided by the
  boundary (executed or routed); duplicates and non-orders are not orders;
- *touchless*: executed without a case, so no person looked at it;
- *human dependency*: a case was opened for it (someone had to decide);
- *cycle time*: from the document's arrival to the confirmation's delivery;
- a *manual touch*: a change a person made to the order's case (take,
  return, correct, fix, release, reject), as recorded in its history.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from rules.causes import OWNERS, Cause

#: What kind of defect a cause points at: which fix grows the boundary.
DEFECTS = {
    "Master data gap": {
        Cause.UNKNOWN_CUSTOMER, Cause.AMBIGUOUS_CUSTOMER, Cause.UNAUTHORIZED_SENDER,
        Cause.UNKNOWN_SHIPTO, Cause.UNKNOWN_PRODUCT, Cause.INVALID_UOM, Cause.PRICE_MISSING,
    },
    "Document quality": {Cause.EXTRACTION_UNCERTAIN, Cause.FREE_TEXT_INSTRUCTION,
                         Cause.ORDER_CHANGE},
    "Commercial terms": {Cause.PRICE_MISMATCH, Cause.CURRENCY_MISMATCH, Cause.QUANTITY_ANOMALY,
                         Cause.MIN_ORDER_QTY, Cause.DISCONTINUED_PRODUCT,
                         Cause.CONFIGURABLE_PRODUCT},
    "Supply and dates": {Cause.INSUFFICIENT_STOCK, Cause.REQUESTED_DATE_INFEASIBLE},
    "Credit": {Cause.CREDIT_HOLD, Cause.CREDIT_LIMIT_EXCEEDED, Cause.CUSTOMER_BLOCKED},
    "Compliance": {Cause.DENIED_PARTY, Cause.COMPLIANCE_RESTRICTED},
    "Autonomy held": {Cause.AUTONOMY_DISABLED},
}
DEFECT_OF = {code: kind for kind, codes in DEFECTS.items() for code in codes}

DEFAULT_WEEKS = 12


@dataclass(frozen=True)
class Period:
    """Orders received from ``start`` to ``end``, both days included."""

    start: date
    end: date

    @classmethod
    def recent(cls, weeks: int = DEFAULT_WEEKS, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - timedelta(weeks=weeks) + timedelta(days=1), today)

    @classmethod
    def from_params(cls, params) -> Period:
        """From ``since``/``until`` (ISO dates); raises ValueError saying which is bad."""
        default = cls.recent()
        start = _iso_date(params.get("since"), "since") or default.start
        end = _iso_date(params.get("until"), "until") or default.end
        if start > end:
            raise ValueError(f"since {start} is after until {end}")
        return cls(start, end)

    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.start, datetime.min.time(), tzinfo=zone)
        return start, datetime.combine(self.end + timedelta(days=1), datetime.min.time(),
                                       tzinfo=zone)

    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def _iso_date(raw, name: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError(f"{name}: {raw!r} is not a date (YYYY-MM-DD)") from None


@dataclass
class Figure:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    #: How the page draws it: "bars" (label, share %) or "trend" (weekly lines).
    chart: str = ""
    note: str = ""

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass
class _Order:
    id: int
    executed: bool
    channel: str
    customer: str
    group: str
    received_at: datetime
    week: date
    families: set[str] = field(default_factory=set)
    case: dict | None = None
    causes: set[str] = field(default_factory=set)
    confirmed_at: datetime | None = None
    #: user id -> manual touches on this order's case.
    touched_by: Counter = field(default_factory=Counter)

    @property
    def touches(self) -> int:
        return sum(self.touched_by.values())

    @property
    def touchless(self) -> bool:
        return self.executed and self.case is None

    @property
    def cycle_hours(self) -> float | None:
        if self.confirmed_at is None:
            return None
        return max((self.confirmed_at - self.received_at).total_seconds(), 0) / 3600


@dataclass
class Dashboard:
    period: Period
    figures: dict[str, Figure]

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]


FIGURE_KEYS = (
    "summary", "weekly", "touchless_by_channel", "touchless_by_customer_group",
    "touchless_by_customer", "touchless_by_product_family", "cycle_time",
    "exceptions_by_cause", "exceptions_by_defect", "exceptions_by_customer",
    "exceptions_by_product_family", "people",
)


def dashboard(period: Period) -> Dashboard:
    """Every figure of the dashboard for orders received in ``period``."""
    orders = _orders(period)
    figures = [
        _summary(orders),
        _weekly(orders, period),
        _touchless_by("touchless_by_channel", "Touchless by channel", "channel", orders,
                      lambda o: [o.channel]),
        _touchless_by("touchless_by_customer_group", "Touchless by customer group",
                      "customer group", orders, lambda o: [o.group or "(no group)"]),
        _touchless_by("touchless_by_customer", "Touchless by customer", "customer", orders,
                      lambda o: [o.customer or "(unknown customer)"]),
        _touchless_by("touchless_by_product_family", "Touchless by product family",
                      "product family", orders, lambda o: sorted(o.families) or ["(no product)"]),
        _cycle_time(orders),
        _exceptions_by_cause(orders),
        _exceptions_by("exceptions_by_defect", "Exceptions by data defect", "defect", orders,
                       lambda o: {DEFECT_OF.get(code, "Other") for code in o.causes}),
        _exceptions_by("exceptions_by_customer", "Exceptions by customer", "customer", orders,
                       lambda o: [o.customer or "(unknown customer)"]),
        _exceptions_by("exceptions_by_product_family", "Exceptions by product family",
                       "product family", orders, lambda o: sorted(o.families) or ["(no product)"]),
        _people(orders),
    ]
    return Dashboard(period, {figure.key: figure for figure in figures})


# --- Reading the period ------------------------------------------------------------------


def _orders(period: Period) -> list[_Order]:
    from exceptions.models import Case
    from integrations.models import OutboxMessage
    from orders.models import Order, OrderLine
    from rules.models import Decision

    start, end = period.bounds()
    decided = Order.objects.filter(status__in=[Order.State.EXECUTED, Order.State.EXCEPTION],
                                   document__received_at__gte=start,
                                   document__received_at__lt=end)
    ids = decided.values("id")
    orders = {}
    for row in decided.order_by().values_list(
            "id", "status", "format", "document__channel", "document__received_at",
            "customer__customer_number", "customer__name", "customer__customer_group"):
        pk, status, fmt, channel, received, number, name, group = row
        orders[pk] = _Order(pk, status == Order.State.EXECUTED, _channel(channel, fmt),
                            f"{number} {name}" if number else "", group or "", received,
                            _week(received))
    for pk, family in (OrderLine.objects.filter(order_id__in=ids, product__isnull=False)
                       .order_by().values_list("order_id", "product__product_family").distinct()):
        orders[pk].families.add(family or "(no family)")
    cases = {}
    for case in Case.objects.filter(order_id__in=ids).order_by().values(
            "id", "order_id", "status", "resolution", "fixed_permanently"):
        orders[case["order_id"]].case = case
        cases[case["id"]] = orders[case["order_id"]]
    # Every cause the boundary routed the order for, whatever a person did
    # afterwards (a corrected case has no causes left on it).
    for pk, causes in Decision.objects.filter(
            order_id__in=ids, outcome__in=[Decision.Outcome.EXCEPTION,
                                           Decision.Outcome.WOULD_EXECUTE]
    ).order_by().values_list("order_id", "causes"):
        orders[pk].causes.update(cause["code"] for cause in causes)
    for pk, delivered in (OutboxMessage.objects.filter(
            order_id__in=ids, channel=OutboxMessage.Channel.EMAIL,
            idempotency_key__startswith="email:", delivered_at__isnull=False)
            .order_by().values_list("order_id", "delivered_at")):
        orders[pk].confirmed_at = delivered
    # Every change a person made to those cases (the boundary's own changes
    # are the system user's; creating the case is not a touch).
    touches = (Case.history.filter(order_id__in=ids, history_type="~")
               .exclude(history_user__isnull=True)
               .exclude(history_user__username=settings.ORDERDESK_SYSTEM_USERNAME)
               .order_by().values_list("id", "history_user_id"))
    for case_id, user_id in touches:
        cases[case_id].touched_by[user_id] += 1
    return list(orders.values())


def _channel(channel: str, fmt: str) -> str:
    """How the order came, as people say it: e-mail and API by their channel,
    files by what they are (PDF, UBL, X12, …)."""
    if channel in ("email", "api"):
        return {"email": "e-mail", "api": "API"}[channel]
    return {"pdf": "PDF", "ubl": "UBL", "cxml": "cXML", "cii": "Order-X", "x12": "X12 850",
            "edifact": "EDIFACT", "csv": "CSV", "xlsx": "XLSX", "json": "JSON", "email": "e-mail",
            "text": "e-mail"}.get(fmt, fmt or channel or "other")


def _week(moment: datetime) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


# --- Figures -----------------------------------------------------------------------------


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def percentile(values: list[float], pct: int) -> float | None:
    """Nearest-rank percentile: a value that occurred, never an interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-pct * len(ordered) // 100))  # ceil without floats
    return ordered[rank - 1]


def _hours(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 3)))


def _summary(orders: list[_Order]) -> Figure:
    total = len(orders)
    touchless = sum(o.touchless for o in orders)
    human = sum(o.case is not None for o in orders)
    cases = [o.case for o in orders if o.case is not None]
    resolved = [c for c in cases if c["status"] == "resolved"]
    permanent = sum(_permanent(c) for c in resolved)
    touches = sum(o.touches for o in orders)
    auto = [o.cycle_hours for o in orders if o.touchless and o.cycle_hours is not None]
    manual = [o.cycle_hours for o in orders
              if o.case is not None and o.cycle_hours is not None]
    rows = [
        ["Orders", total, ""],
        ["Completed with no human touch", touchless, _share(touchless, total)],
        ["Human dependency ratio", human, _share(human, total)],
        ["Exceptions still open", sum(c["status"] != "resolved" for c in cases), ""],
        ["Exceptions resolved permanently (master data or rule fixed)", permanent,
         _share(permanent, len(resolved))],
        ["Manual touches per order", touches,
         (Decimal(touches) / total).quantize(Decimal("0.01")) if total else None],
        ["Orders per person", _people_count(orders), _orders_per_person(orders)],
        ["Cycle time, touchless: median hours", len(auto), _hours(percentile(auto, 50))],
        ["Cycle time, touchless: p90 hours", len(auto), _hours(percentile(auto, 90))],
        ["Cycle time, exception: median hours", len(manual), _hours(percentile(manual, 50))],
        ["Cycle time, exception: p90 hours", len(manual), _hours(percentile(manual, 90))],
    ]
    return Figure("summary", "Summary", ["measure", "count", "value"], rows,
                  note="value: % of orders for shares; hours for cycle times")


def _permanent(case: dict) -> bool:
    return case["fixed_permanently"] or case["resolution"] in ("master_data_fixed", "rule_changed")


def _people_count(orders: list[_Order]) -> int:
    return len({user for order in orders for user in order.touched_by})


def _orders_per_person(orders: list[_Order]) -> Decimal | None:
    people = _people_count(orders)
    return (Decimal(len(orders)) / people).quantize(Decimal("0.1")) if people else None


def _touchless_by(key: str, title: str, dimension: str, orders: list[_Order], values) -> Figure:
    counts, touchless = Counter(), Counter()
    for order in orders:
        for value in values(order):
            counts[value] += 1
            touchless[value] += order.touchless
    rows = [[value, counts[value], touchless[value], _share(touchless[value], counts[value])]
            for value in sorted(counts, key=lambda v: (-counts[v], v))]
    return Figure(key, title, [dimension, "orders", "touchless", "touchless %"], rows,
                  chart="bars")


def _exceptions_by_cause(orders: list[_Order]) -> Figure:
    counts = Counter(code for order in orders for code in order.causes)
    rows = [[code, Cause(code).label if code in Cause.values else code, OWNERS.get(code, ""),
             n, _share(n, len(orders))] for code, n in counts.most_common()]
    return Figure("exceptions_by_cause", "Exceptions by cause",
                  ["cause", "meaning", "owner", "orders", "% of orders"], rows, chart="bars",
                  note="an order routed for several causes counts under each")


def _exceptions_by(key: str, title: str, dimension: str, orders: list[_Order], values) -> Figure:
    counts, exceptions = Counter(), Counter()
    for order in orders:
        for value in values(order) if order.case is not None else ():
            exceptions[value] += 1
        for value in _all_values(order, dimension, values):
            counts[value] += 1
    rows = [[value, counts[value], exceptions[value], _share(exceptions[value], counts[value])]
            for value in sorted(exceptions, key=lambda v: (-exceptions[v], v))]
    return Figure(key, title, [dimension, "orders", "exceptions", "exception %"], rows,
                  chart="bars")


def _all_values(order: _Order, dimension: str, values) -> Iterable[str]:
    # A defect only exists on an exception: every order counts in each defect's base.
    return DEFECTS if dimension == "defect" else values(order)


def _cycle_time(orders: list[_Order]) -> Figure:
    rows = []
    for path, chosen in (("touchless", [o for o in orders if o.touchless]),
                         ("exception", [o for o in orders if o.case is not None and o.executed])):
        hours = [o.cycle_hours for o in chosen if o.cycle_hours is not None]
        rows.append([path, len(chosen), len(hours), _hours(percentile(hours, 50)),
                     _hours(percentile(hours, 90))])
    return Figure("cycle_time", "Confirmation cycle time (received → confirmation delivered)",
                  ["path", "executed orders", "confirmed", "median hours", "p90 hours"], rows)


def _people(orders: list[_Order]) -> Figure:
    from django.contrib.auth import get_user_model

    touches, touched = Counter(), Counter()
    for order in orders:
        touches.update(order.touched_by)
        touched.update(order.touched_by.keys())
    names = {user.pk: user.get_full_name() or user.username
             for user in get_user_model().objects.filter(pk__in=touches)}
    rows = [[names[user], touches[user], touched[user]]
            for user in sorted(touches, key=lambda u: (-touches[u], names[u]))]
    return Figure("people", "Manual touches by person", ["person", "touches", "orders touched"],
                  rows)


def _weekly(orders: list[_Order], period: Period) -> Figure:
    weeks = defaultdict(list)
    for order in orders:
        weeks[order.week].append(order)
    first = period.start - timedelta(days=period.start.weekday())
    rows = []
    week = first
    while week <= period.end:
        chosen = weeks.get(week, [])
        total = len(chosen)
        hours = [o.cycle_hours for o in chosen if o.cycle_hours is not None]
        resolved = [o.case for o in chosen if o.case and o.case["status"] == "resolved"]
        rows.append([week.isoformat(), total, _share(sum(o.touchless for o in chosen), total),
                     _share(sum(o.case is not None for o in chosen), total),
                     sum(o.case is not None for o in chosen),
                     _hours(percentile(hours, 50)),
                     _share(sum(_permanent(c) for c in resolved), len(resolved)),
                     (Decimal(sum(o.touches for o in chosen)) / total).quantize(Decimal("0.01"))
                     if total else None])
        week += timedelta(days=7)
    return Figure("weekly", "Weekly trend",
                  ["week", "orders", "touchless %", "human dependency %", "exceptions",
                   "median cycle hours", "resolved permanently %", "touches per order"],
                  rows, chart="trend")
