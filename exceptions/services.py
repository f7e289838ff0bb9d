"""Writes to the exception inbox: taking cases, and re-evaluating open cases
when the master data or rules they failed on changed. Releasing and rejecting
an order are orders.services.execution's (they lock stock and credit)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from django.db import transaction

from exceptions.models import Case, CaseCause
from orders.errors import CaseActionError
from orders.models import Order
from orders.services.execution import INLINE, order_redecide
from orders.services.intake import MASTER_DATA_FINDINGS, order_draft_again, order_reresolve

logger = logging.getLogger(__name__)

#: Which causes a change to each kind of master data can clear (CONTRACT §1 kinds).
MASTER_DATA_CAUSES: dict[str, set[str]] = {
    "customers": {"UNKNOWN_CUSTOMER", "AMBIGUOUS_CUSTOMER", "UNAUTHORIZED_SENDER",
                  "CUSTOMER_BLOCKED", "CURRENCY_MISMATCH", "DENIED_PARTY"},
    "contacts": {"UNKNOWN_CUSTOMER", "AMBIGUOUS_CUSTOMER", "UNAUTHORIZED_SENDER"},
    "sales_reps": {"UNAUTHORIZED_SENDER", "UNKNOWN_CUSTOMER"},
    "shiptos": {"UNKNOWN_SHIPTO", "DENIED_PARTY", "COMPLIANCE_RESTRICTED"},
    "products": {"UNKNOWN_PRODUCT", "INVALID_UOM", "DISCONTINUED_PRODUCT", "CONFIGURABLE_PRODUCT",
                 "MIN_ORDER_QTY", "REQUESTED_DATE_INFEASIBLE", "COMPLIANCE_RESTRICTED"},
    "customer_parts": {"UNKNOWN_PRODUCT", "INVALID_UOM"},
    "prices": {"PRICE_MISSING", "PRICE_MISMATCH"},
    "inventory": {"INSUFFICIENT_STOCK"},
    "credit": {"CREDIT_HOLD", "CREDIT_LIMIT_EXCEEDED"},
    "order_history": {"QUANTITY_ANOMALY"},
    "denied_parties": {"DENIED_PARTY"},
}


#: The kind of master data each model belongs to.
MODEL_KINDS = {
    "customer": "customers", "customeremaildomain": "customers", "customeralias": "customers",
    "contact": "contacts", "salesrep": "sales_reps", "shipto": "shiptos", "product": "products",
    "productunit": "products", "productrestriction": "products", "customerpart": "customer_parts",
    "price": "prices", "inventory": "inventory", "credit": "credit",
    "orderhistoryline": "order_history", "deniedparty": "denied_parties",
}


def masterdata_changed(*, kind: str, reason: str) -> None:
    """Master data of ``kind`` changed (import or admin edit): the open cases it
    may clear are re-evaluated once the change is committed."""
    kind = MODEL_KINDS.get(kind, kind)
    cases_reevaluate_later(codes=MASTER_DATA_CAUSES.get(kind, set()), reason=reason,
                           resolution=Case.Resolution.MASTER_DATA_FIXED)


def cases_reevaluate_later(*, codes: Iterable[str], reason: str, resolution: str) -> None:
    """After the current transaction commits, re-evaluate the open cases
    holding any of ``codes`` (in a queued task, or at once under --sync)."""
    codes = sorted(set(codes))
    if not codes:
        return

    def run():
        if INLINE.get():
            cases_reevaluate(codes=codes, reason=reason, resolution=resolution)
            return
        from django_q.tasks import async_task

        async_task("exceptions.tasks.reevaluate_cases", codes, reason, resolution,
                   task_name=f"reevaluate {' '.join(codes)}"[:100])

    transaction.on_commit(run)


def cases_reevaluate(*, codes: Iterable[str], reason: str, resolution: str) -> Counter:
    """Decide every open case holding any of ``codes`` again; count the outcomes
    ("executed", "still open", "unchanged")."""
    case_ids = (CaseCause.objects.filter(code__in=list(codes), case__status=Case.State.OPEN)
                .values_list("case_id", flat=True).distinct().order_by("case_id"))
    counts: Counter = Counter()
    for case_id in case_ids.iterator():
        counts[case_reevaluate(case_id=case_id, reason=reason, resolution=resolution)] += 1
    logger.info("re-evaluated open cases for %s: %s", reason, dict(counts))
    return counts


def case_reevaluate(*, case_id: int, reason: str, resolution: str) -> str:
    """Decide one open case again: read its document again first when intake's
    findings depend on master data, then run every check."""
    case = Case.objects.select_related("order__document").get(pk=case_id)
    if case.status != Case.State.OPEN:
        return "unchanged"
    order = case.order
    before = order.decided_at
    draft = None
    if {cause["code"] for cause in order.causes} & MASTER_DATA_FINDINGS:
        draft = order_draft_again(order)
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("document").get(
            pk=order.pk)
        case.refresh_from_db()
        if case.status != Case.State.OPEN or order.status != Order.State.EXCEPTION:
            return "unchanged"
        intake = order_reresolve(order=order, draft=draft) if draft is not None else None
        order = order_redecide(order_id=order.pk, resolution=resolution, reason=reason,
                               intake_causes=intake)
    if order.status == Order.State.EXECUTED:
        return "executed"
    return "still open" if order.decided_at != before else "unchanged"


def case_take(*, case_id: int, actor) -> Case:
    """A person starts working on an open case: re-evaluation leaves it alone."""
    return _move(case_id, actor, Case.State.OPEN, Case.State.IN_PROGRESS, assignee=actor,
                 note=f"taken by {actor}")


def case_return(*, case_id: int, actor) -> Case:
    """Back to the queue, where re-evaluation may release it again."""
    return _move(case_id, actor, Case.State.IN_PROGRESS, Case.State.OPEN, assignee=None,
                 note=f"returned to the queue by {actor}")


def _move(case_id: int, actor, old: str, new: str, *, assignee, note: str) -> Case:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status != old:
            raise CaseActionError(f"the case is {case.get_status_display().lower()}, not "
                                  f"{Case.State(old).label.lower()}")
        case.status, case.assignee = new, assignee
        case._history_user, case._change_reason = actor, note[:100]
        case.save(update_fields=["status", "assignee"])
    return case
