"""Writes to the exception inbox: taking cases, and re-evaluating open cases
when the master data or rules they failed on changed. Releasing and rejecting
an order are orders.services.execution's (they lock stock and credit)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from exceptions.models import Case, CaseCause
from integrations.models import OutboxMessage
from orders.errors import CaseActionError
from orders.models import Order
from orders.services.execution import INLINE, order_redecide, order_reject
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
    "unitalias": "products",
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


# --- Rejecting with a reply to the customer ------------------------------------------------

REPLY_TEMPLATE = "exceptions/rejection_reply.txt"


def case_reply_draft(*, order: Order, reason: str = "") -> tuple[str, str]:
    """Subject and text of the reply a rejection sends, for the person to edit."""
    contact = order.customer.contacts.filter(email=order.sender).first() if order.customer else None
    body = render_to_string(REPLY_TEMPLATE, {
        "contact_name": contact.name if contact else "", "po_number": order.po_number or "",
        "order_date": order.order_date, "reason": reason.strip(),
        "desk_name": settings.ORDER_DESK_NAME}).strip() + "\n"
    return f"Your order {order.po_number or ''}: not accepted".replace("  ", " "), body


def case_reject(*, case_id: int, actor, reason: str, reply_subject: str = "",
                reply_body: str = "") -> Order:
    """Reject the case's order (nothing is executed) and, with a reply text,
    send the customer that reply once: its outbox key is the order's."""
    case = Case.objects.select_related("order").get(pk=case_id)
    with transaction.atomic():
        order = order_reject(order_id=case.order_id, actor=actor, reason=reason)
        if reply_body.strip():
            if "@" not in (order.sender or ""):
                raise CaseActionError("the order has no sender address to reply to")
            message = OutboxMessage.objects.create(
                order=order, channel=OutboxMessage.Channel.EMAIL,
                idempotency_key=f"reply:{order.pk}",
                payload={"to": order.sender, "subject": reply_subject.strip()[:200]
                         or case_reply_draft(order=order)[0], "body": reply_body.strip() + "\n",
                         "message_id": _reply_message_id(order),
                         "in_reply_to": order.document.message_id})
            _deliver_later(message.pk)
    return order


def _reply_message_id(order: Order) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "orderdesk.localhost"
    return f"<rejection.{order.pk}.{order.document_id}@{domain}>"


def _deliver_later(message_id: int) -> None:
    def run():
        from integrations.services.outbox import outbox_deliver

        if INLINE.get():
            outbox_deliver(message_id=message_id)
            return
        from django_q.tasks import async_task

        async_task("integrations.tasks.deliver_outbox", message_id,
                   task_name=f"outbox-{message_id}")

    transaction.on_commit(run)
