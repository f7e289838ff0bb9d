"""Reads of the exception inbox: the queues with their counts, and one case
with what a person needs beside it. Every queue page costs a fixed number of
queries, whatever the number of open cases (tests count them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from exceptions.models import Case, CaseCause
from orders.models import Customer
from rules.causes import OWNERS, Cause

QUEUES = ("mine", "all", "taken")
SORTS = {"oldest": ("opened_at", "pk"),
         "value": (F("order_value").desc(nulls_last=True), "opened_at", "pk")}


@dataclass(frozen=True)
class QueueQuery:
    """What a person asked the inbox for: a queue, narrowed by cause, customer
    or a search, in an order."""

    queue: str = "mine"
    cause: str = ""
    customer: int | None = None
    search: str = ""
    sort: str = "oldest"

    @classmethod
    def from_params(cls, params) -> QueueQuery:
        """From request.GET; anything unknown falls back to the default rather
        than failing the page."""
        customer = params.get("customer", "")
        return cls(queue=params.get("queue") if params.get("queue") in QUEUES else "mine",
                   cause=params.get("cause") if params.get("cause") in Cause.values else "",
                   customer=int(customer) if customer.isdigit() else None,
                   search=params.get("q", "").strip()[:100],
                   sort=params.get("sort") if params.get("sort") in SORTS else "oldest")

    def params(self, **changes) -> dict[str, str]:
        """Query parameters of this query with ``changes``: links keep the rest."""
        values = {"queue": self.queue, "cause": self.cause, "customer": self.customer or "",
                  "q": self.search, "sort": self.sort, **changes}
        return {key: str(value) for key, value in values.items() if value not in ("", None)}


def user_groups(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def owned_causes(user, groups: set[str]) -> set[str] | None:
    """The causes a person's groups own; None when they see everything
    (a superuser, or the Order desk manager who oversees the desk)."""
    from orders.roles import ORDER_DESK_MANAGER

    if user.is_superuser or ORDER_DESK_MANAGER in groups:
        return None
    return {code for code, owner in OWNERS.items() if owner in groups}


def open_cases() -> QuerySet[Case]:
    # "IN (true)", not "= true": Django writes a boolean equality as the bare
    # column, which SQLite cannot match against an index; an IN it can.
    return Case.objects.filter(is_open__in=[True])


def open_cause_rows() -> QuerySet[CaseCause]:
    return CaseCause.objects.filter(is_open__in=[True])  # IN: see open_cases


def queue_cases(query: QueueQuery, *, user, groups: set[str]) -> QuerySet[Case]:
    """The cases of ``query`` in its order, with what a queue row shows.

    "Mine" is an EXISTS on the cause rows (indexed by owner and case) rather
    than a join: walking the (status, opened_at) index with the semi-join
    stops after one page instead of de-duplicating every open case.
    """
    cases = open_cases()
    owned = owned_causes(user, groups)
    if query.queue == "mine" and owned is not None:
        cases = cases.filter(Exists(CaseCause.objects.filter(case=OuterRef("pk"),
                                                             code__in=sorted(owned))))
    elif query.queue == "taken":
        cases = cases.filter(status=Case.State.IN_PROGRESS, assignee=user)
    if query.cause:
        cases = cases.filter(Exists(CaseCause.objects.filter(case=OuterRef("pk"),
                                                             code=query.cause)))
    if query.customer:
        cases = cases.filter(customer_id=query.customer)
    if query.search:
        cases = cases.filter(_search(query.search))
    return (cases.select_related("order__customer", "assignee")
            .only("status", "opened_at", "causes", "owners", "assignee__username",
                  "order__po_number", "order__order_value", "order__currency", "order__sender",
                  "order__format", "order__customer__name", "order__customer__customer_number")
            .order_by(*SORTS[query.sort]))


def _search(text: str) -> Q:
    """A PO number (exact or its start), or a customer by number or name.
    Customers are looked up first in their own (small) table, so the search
    never scans the case table for a name."""
    customers = list(Customer.objects.filter(Q(customer_number__iexact=text)
                                             | Q(name__icontains=text))
                     .values_list("pk", flat=True)[:200])
    key = text.upper()
    # A range, not LIKE: SQLite's LIKE cannot use an index on a case-sensitive column.
    return Q(po_key__gte=key, po_key__lt=key + "\uffff") | Q(customer_id__in=customers)


@dataclass
class QueueCounts:
    all: int = 0
    mine: int = 0
    taken: int = 0
    by_cause: list[tuple[str, str, int, bool]] = field(default_factory=list)  # code, label, n, mine
    by_customer: list[tuple[int, str, int]] = field(default_factory=list)  # id, name, n


def queue_counts(*, user, groups: set[str], top_customers: int = 12) -> QueueCounts:
    """The counts beside the queues, in five grouped queries on covering indexes."""
    owned = owned_causes(user, groups)
    counts = QueueCounts()
    counts.all = open_cases().count()
    counts.taken = open_cases().filter(status=Case.State.IN_PROGRESS, assignee=user).count()
    per_cause = dict(open_cause_rows().values_list("code").annotate(n=Count("*")).order_by())
    counts.by_cause = sorted(
        ((code, Cause(code).label, n, owned is None or code in owned)
         for code, n in per_cause.items() if code in Cause.values),
        key=lambda row: (-row[2], row[0]))
    if owned is None:
        counts.mine = counts.all
    else:
        counts.mine = (open_cause_rows().filter(code__in=sorted(owned))
                       .values("case_id").distinct().count())
    top = list(open_cases().filter(customer__isnull=False).values_list("customer_id")
               .annotate(n=Count("*")).order_by("-n", "customer_id")[:top_customers])
    names = dict(Customer.objects.filter(pk__in=[pk for pk, _n in top]).values_list("pk", "name"))
    counts.by_customer = [(pk, names.get(pk, ""), n) for pk, n in top]
    return counts


def queue_total(query: QueueQuery, cases: QuerySet[Case], counts: QueueCounts) -> int:
    """How many cases ``query`` holds: read off the counts beside the queues
    when it is one of them, so a queue page does not count twice."""
    if not (query.search or query.customer or query.cause):
        return {"all": counts.all, "mine": counts.mine, "taken": counts.taken}[query.queue]
    if query.cause and query.queue == "all" and not (query.search or query.customer):
        return next((n for code, _label, n, _mine in counts.by_cause if code == query.cause), 0)
    return cases.count()


@dataclass(frozen=True)
class Age:
    """How long a case has waited, in words, with its SLA colour."""

    text: str
    level: str  # "ok", "due" (past half the SLA), "late" (past the SLA)


def case_age(opened_at: datetime, now: datetime | None = None) -> Age:
    waited = (now or timezone.now()) - opened_at
    sla = timedelta(hours=settings.CASE_SLA_HOURS)
    level = "late" if waited >= sla else "due" if waited >= sla / 2 else "ok"
    minutes = int(waited.total_seconds() // 60)
    if minutes < 60:
        text = f"{minutes} min"
    elif minutes < 48 * 60:
        text = f"{minutes // 60} h {minutes % 60:02d}"
    else:
        text = f"{minutes // 1440} d"
    return Age(text, level)


# --- Cases as records (CONTRACT §6, the case command and the REST API) ----------------------


def cases_listed(*, open_only: bool = True) -> QuerySet:
    """Every case, or those not yet resolved (open or taken), oldest first."""
    cases = (Case.objects.select_related("order__customer").defer("order__draft")
             .order_by("opened_at", "pk"))
    # is_open leads the open-queue indexes (case_open_age_idx).
    return cases.filter(is_open=True) if open_only else cases


def case_records(*, open_only: bool = True):
    """CONTRACT §6 records, one per case."""
    for case in cases_listed(open_only=open_only).iterator(chunk_size=500):
        yield case_record(case)


def case_record(case: Case) -> dict:
    order = case.order
    return {
        "case": case.pk, "source": order.source, "po_number": order.po_number,
        "customer_number": order.customer.customer_number if order.customer_id else "",
        "status": case.status,
        "causes": [{"code": cause["code"],
                    "owner": cause.get("owner") or OWNERS.get(cause["code"], "Customer service"),
                    "message": cause.get("message", ""), "evidence": cause.get("evidence", ""),
                    "line": cause.get("line")} for cause in case.causes],
    }
