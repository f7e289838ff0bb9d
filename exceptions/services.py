"""The case lifecycle: take, return, correct, release and reject a case, and
re-evaluate open cases when the master data or rules they failed on changed.
The browser, the ``case`` command and the REST API call these, so each
action is checked and recorded the same way wherever a person acts.

Every move is one of exceptions.lifecycle.CASE_TRANSITIONS and writes its
CaseEvent in the move's transaction. Releasing and rejecting lock stock and
credit in orders.services.execution, which closes the case there.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from exceptions.corrections import Correction
from exceptions.errors import CaseNotFound, CasePermissionDenied
from exceptions.lifecycle import (  # noqa: F401 - the map, re-exported as the lifecycle's
    CASE_TRANSITIONS,
    case_transition,
    case_transition_check,
    causes_change,
)
from exceptions.models import Case, CaseCause, CaseEvent
from integrations.models import OutboxMessage
from orders import roles
from orders.errors import CaseActionError
from orders.models import Order
from orders.selectors import plain_decimal
from orders.services.correction import order_correct
from orders.services.execution import INLINE, order_redecide, order_reject, order_release
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


def case_actor_check(actor) -> None:
    """Only the desk's groups (and superusers) act on cases: the browser's
    rule, applied to every caller."""
    if not getattr(actor, "is_active", False) or not (
            actor.is_superuser or actor.groups.filter(name__in=roles.DESK_ROLES).exists()):
        raise CasePermissionDenied(f"{actor} is in none of the order desk's groups "
                                   f"({', '.join(sorted(roles.DESK_ROLES))})")


def case_take(*, case_id: int, actor) -> Case:
    """A person starts working on an open case: re-evaluation leaves it alone."""
    return _move(case_id, actor, CaseEvent.Kind.TAKEN, assignee=actor)


def case_return(*, case_id: int, actor) -> Case:
    """Back to the queue, where re-evaluation may release it again."""
    return _move(case_id, actor, CaseEvent.Kind.RETURNED, assignee=None)


def _move(case_id: int, actor, kind: str, *, assignee) -> Case:
    case_actor_check(actor)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        case_transition(case, kind=kind, actor=actor, fields={"assignee": assignee})
    return case


def case_correct(*, case_id: int, actor, reason: str, correction: Correction | None = None,
                 header: dict | None = None, lines: dict[int, dict] | None = None) -> Order:
    """Correct the case's order and check it again (nothing executes); the
    event records each field with the value read and the value set, and the
    lines before and after. ``correction``: as the command and the API give
    it (order JSON); ``header``/``lines``: as the case page's form gives them."""
    case_actor_check(actor)
    correction = correction or Correction()
    order_id = _order_id(case_id)
    with transaction.atomic():
        # Locked in the order every action locks them (order, then case).
        order = Order.objects.select_for_update(of=("self",)).select_related(
            "customer", "shipto").get(pk=order_id)
        case = Case.objects.select_for_update().get(pk=case_id)
        case_transition_check(case.status, CaseEvent.Kind.CORRECTED)
        before, causes = order_snapshot(order), case.causes
        order = order_correct(order_id=order_id, actor=actor, reason=reason,
                              header={**(header or {}), **correction.header},
                              lines=lines or {}, replace_lines=correction.lines,
                              not_instructions=correction.not_instructions)
        case.refresh_from_db()
        changes = {**snapshot_changes(before, order_snapshot(order)),
                   **causes_change(causes, case.causes)}
        if correction.not_instructions:
            changes["not_instructions"] = correction.not_instructions
        case_transition(case, kind=CaseEvent.Kind.CORRECTED, actor=actor, reason=reason,
                        changes=changes)
    return order


def case_release(*, case_id: int, actor, reason: str) -> Order:
    """Run every check again and execute the order when the actor's groups may
    override each cause that remains (orders.services.execution.order_release,
    which closes the case and records the release)."""
    case_actor_check(actor)
    case = Case.objects.only("status", "order_id").get(pk=case_id)
    case_transition_check(case.status, CaseEvent.Kind.RELEASED)
    return order_release(order_id=case.order_id, actor=actor, reason=reason)


def _order_id(case_id: int) -> int:
    try:
        return Case.objects.values_list("order_id", flat=True).get(pk=case_id)
    except Case.DoesNotExist:
        raise CaseNotFound(f"there is no case {case_id}") from None


def case_for_source(*, source: str, po_number: str = "") -> Case:
    """The case of the order that ``source`` names as export_outcomes does
    (``path`` or ``path#attachment``); ``po_number`` picks one of several."""
    orders = Order.objects.filter(source=source)
    if not orders.exists():
        raise CaseNotFound(f"no order was read from {source!r}")
    if po_number:
        orders = orders.filter(po_number__iexact=po_number.strip())
    cases = list(Case.objects.filter(order__in=orders).select_related("order")
                 .order_by("-is_open", "order__position", "pk"))
    if not cases:
        raise CaseNotFound(f"{source}: no case " + (f"for PO {po_number!r}" if po_number
                                                    else "(no order of it went to a person)"))
    if len(cases) > 1 and not po_number:
        numbers = ", ".join(sorted({case.order.po_number or "?" for case in cases}))
        raise CaseNotFound(f"{source} holds several orders with cases (PO {numbers}): "
                           f"pick one with --po")
    return cases[0]


# --- What a correction changed -------------------------------------------------------------

HEADER_FIELDS = ("po_number", "customer_number", "shipto_code", "order_date", "requested_date",
                 "currency", "ship_to")
LINE_FIELDS = ("sku", "customer_part_number", "description", "quantity", "uom", "unit_price")


def order_snapshot(order: Order) -> dict:
    """The order's corrected fields as plain values (what an event compares)."""
    def value(v):
        return v.isoformat() if hasattr(v, "isoformat") else str(v or "")

    return {
        "po_number": order.po_number, "currency": order.currency,
        "customer_number": order.customer.customer_number if order.customer_id else "",
        "shipto_code": order.shipto.shipto_code if order.shipto_id else "",
        "order_date": value(order.order_date), "requested_date": value(order.requested_date),
        "ship_to": {name: getattr(order, f"ship_to_{name}") for name in
                    ("name", "street", "city", "postal_code", "country")},
        "lines": [{"sku": line.product.sku if line.product_id else line.sku,
                   "customer_part_number": line.customer_part_number,
                   "description": line.description, "quantity": plain_decimal(line.quantity),
                   "uom": line.resolved_uom or line.uom,
                   "unit_price": plain_decimal(line.unit_price)}
                  for line in order.lines.select_related("product").order_by("position")],
    }


def snapshot_changes(before: dict, after: dict) -> dict:
    """Each header field that changed with the value read and the value set;
    the lines before and after when any changed."""
    changes: dict = {}
    fields = {name: {"read": before[name], "set": after[name]} for name in HEADER_FIELDS
              if before[name] != after[name]}
    if fields:
        changes["fields"] = fields
    if before["lines"] != after["lines"]:
        changes["lines"] = {"before": before["lines"], "after": after["lines"]}
    return changes


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
    case_actor_check(actor)
    case = Case.objects.select_related("order").get(pk=case_id)
    case_transition_check(case.status, CaseEvent.Kind.REJECTED)
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
