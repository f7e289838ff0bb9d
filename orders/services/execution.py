"""The transaction boundary: decide each resolved order, and execute it when it may.

``order_decide`` is the one transition out of "received". It runs every
check and asks the segment's autonomy level first, reading only; then, in
one database transaction, it locks the order and either routes it to a
person (a case holding every cause) or executes it: stock allocated and
credit exposure raised under row locks (both counted again there, as another
order may have taken them since the checks), agreed prices set, ERP and
confirmation messages written to the outbox, and an immutable decision
recorded. The outbox is delivered on commit, by the same worker. A
redelivered task finds the order decided and does nothing.

Every write names ``history_user`` in the history tables: the person who
acted, or the system user for autonomous decisions (looked up once per
decision, not once per row).
"""

from __future__ import annotations

import contextvars
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from exceptions.lifecycle import case_transition, causes_change
from exceptions.models import Case, CaseCause, CaseEvent
from integrations.models import OutboxMessage
from orders.errors import CaseActionError
from orders.models import Credit, Inventory, Order, OrderLine
from orders.selectors import plain_decimal, system_user
from orders.services.confirmation import confirmation_render
from orders.services.history import history_create, history_update, record_create
from rules.causes import OWNERS, Cause, causes_bounded
from rules.checks import Evaluation, evaluate, order_channels, order_rules, stock_available
from rules.models import AutonomyLevel, Decision
from rules.rulebook import REQUIRED, OrderRules
from rules.selectors import autonomy_level, rulebook_current

TRANSITIONS = {
    Order.State.RECEIVED: {Order.State.EXCEPTION, Order.State.EXECUTED},
    # An open exception is decided again when what it failed on changed.
    Order.State.EXCEPTION: {Order.State.EXCEPTION, Order.State.EXECUTED, Order.State.REJECTED},
}

#: Causes a person of the cause's owner group may override by releasing the
#: order: it can still be executed correctly (at the agreed prices, with stock
#: allocated under locks). Everything else must be corrected or fixed first.
OVERRIDABLE = {
    Cause.AUTONOMY_DISABLED, Cause.UNAUTHORIZED_SENDER, Cause.DISCONTINUED_PRODUCT,
    Cause.MIN_ORDER_QTY, Cause.PRICE_MISMATCH, Cause.QUANTITY_ANOMALY,
    Cause.REQUESTED_DATE_INFEASIBLE, Cause.FREE_TEXT_INSTRUCTION, Cause.CREDIT_LIMIT_EXCEEDED,
}

#: Causes the boundary's checks find (rules.checks); the others were found at intake.
CHECK_CAUSES = {
    Cause.CUSTOMER_BLOCKED, Cause.CURRENCY_MISMATCH, Cause.DENIED_PARTY,
    Cause.DISCONTINUED_PRODUCT, Cause.CONFIGURABLE_PRODUCT, Cause.MIN_ORDER_QTY,
    Cause.PRICE_MISSING, Cause.PRICE_MISMATCH, Cause.QUANTITY_ANOMALY,
    Cause.REQUESTED_DATE_INFEASIBLE, Cause.INSUFFICIENT_STOCK, Cause.CREDIT_HOLD,
    Cause.CREDIT_LIMIT_EXCEEDED, Cause.COMPLIANCE_RESTRICTED, Cause.AUTONOMY_DISABLED,
}


class StaleStock(Exception):
    """Stock or credit changed between the check and the lock."""


@dataclass
class Assessment:
    """Every check of an order under the rule set in force."""

    #: Every line of the order in position order, each with its product.
    lines: list[OrderLine]
    evaluation: Evaluation
    #: Intake's findings that still apply, then the checks' failures.
    causes: list[dict]
    #: The segment's autonomy level.
    level: str

    @property
    def executes(self) -> bool:
        """Whether the order executes without a person (stock and credit permitting)."""
        return not self.causes and self.level == AutonomyLevel.AUTONOMOUS


@dataclass
class OutboxDraft:
    """What an execution tells the ERP and the customer, made before the lock."""

    payload: dict
    subject: str
    body: str
    template: str


def order_decide(*, order_id: int, today: date | None = None, history_user=None) -> Order:
    """Decide a received order: route it to a person or execute it.
    ``history_user``: the system user, when the caller has it already."""
    return order_decide_stored(order=_load(order_id), today=today, history_user=history_user)


def order_decide_stored(*, order: Order, lines: list[OrderLine] | None = None,
                        today: date | None = None, history_user=None) -> Order:
    """Decide a received order as its caller holds it, read or just stored
    (intake decides the orders it wrote without reading them, or ``lines``,
    each with its product, again).

    The checks only read, so they run before the write transaction: SQLite
    has one writer at a time, and every other worker waits while a write
    transaction is open. Under the order's lock the status is looked at
    again (a redelivered task finds the order decided), and so are stock and
    credit (_allocate, _raise_exposure).
    """
    if order.status != Order.State.RECEIVED:
        return order  # decided before: a redelivered task changes nothing
    assessment = _assess(order, today or timezone.localdate(), order.causes, lines)
    # Rendering the confirmation needs no lock either.
    outbox = _outbox_draft(order, assessment) if assessment.executes else None
    history_user = history_user or system_user()
    with transaction.atomic():
        status = _lock_status(order.pk)
        if status != Order.State.RECEIVED:
            return _load(order.pk)  # decided meanwhile by another run of the same task
        return _decide(order, assessment, history_user=history_user, outbox=outbox)


def order_redecide(*, order_id: int, resolution: str, reason: str,
                   intake_causes: list[dict] | None = None, today: date | None = None) -> Order:
    """Decide an open exception again, after the master data or rules it
    failed on changed. Intake's findings stand unless ``intake_causes``
    replaces them (the order was read again). An order now inside the
    boundary of an autonomous segment executes and its case is resolved
    with ``resolution``; otherwise the case keeps the causes that remain.
    """
    with transaction.atomic():
        order = _lock(order_id)
        case = Case.objects.select_for_update().filter(order=order).first()
        if (order.status != Order.State.EXCEPTION or case is None
                or case.status != Case.State.OPEN):
            return order  # handled meanwhile: by a person, or by another re-evaluation
        if intake_causes is None:
            intake_causes = [c for c in order.causes if c["code"] not in CHECK_CAUSES]
        assessment = _assess(order, today or timezone.localdate(), intake_causes)
        return _decide(order, assessment, history_user=system_user(), case=case,
                       resolution=resolution, reason=reason)


def order_release(*, order_id: int, actor, reason: str, today: date | None = None) -> Order:
    """A person executes an exception order, overriding the causes that remain.

    Every check runs again first (stock, credit and prices may have moved);
    each remaining cause must be overridable and owned by one of the actor's
    groups. Executed under the same locks as an autonomous execution.
    """
    if not reason.strip():
        raise CaseActionError("say why the order may be released")
    with transaction.atomic():
        order, case = _lock_exception(order_id)
        intake = [c for c in order.causes if c["code"] not in CHECK_CAUSES]
        assessment = _assess(order, today or timezone.localdate(), intake)
        evaluation, causes = assessment.evaluation, assessment.causes
        _check_overrides(causes, actor)
        if evaluation.promised_date is None:
            evaluation.promised_date = evaluation.earliest_date  # date overridden: earliest
        order.causes = causes
        over_limit = any(c["code"] == Cause.CREDIT_LIMIT_EXCEEDED for c in causes)
        try:
            with transaction.atomic():
                _execute(order, assessment, history_user=actor, actor=actor, note=reason,
                         over_limit=over_limit)
        except StaleStock as exc:
            raise CaseActionError(f"cannot release: {exc.args[1]}") from None
        case_close(case, resolution=Case.Resolution.RELEASED, note=reason, actor=actor)
    return order


def order_recheck(*, order: Order, case: Case, actor, note: str, intake_causes: list[dict],
                  today: date | None = None) -> Order:
    """Check a locked exception order again after a person corrected it. The
    case keeps the causes that remain (none: ready for release); nothing is
    executed here, releasing stays a person's explicit step."""
    assessment = _assess(order, today or timezone.localdate(), intake_causes)
    causes, level = assessment.causes, assessment.level
    if not causes and level != AutonomyLevel.AUTONOMOUS:
        causes = [_cause(Cause.AUTONOMY_DISABLED, f"inside the boundary; the segment is {level}: "
                         "a person releases it")]
    # No event here: the correction that asked for the check records one
    # (exceptions.services.case_correct), with what it changed.
    return _route(order, assessment.evaluation, causes, level, Decision.Outcome.EXCEPTION, case,
                  history_user=actor, actor=actor, note=note, event=None)


def order_reject(*, order_id: int, actor, reason: str) -> Order:
    """A person refuses an exception order: nothing is executed."""
    if not reason.strip():
        raise CaseActionError("say why the order is rejected")
    with transaction.atomic():
        order, case = _lock_exception(order_id)
        if not (actor.is_superuser or actor.groups.filter(name__in=case.owners).exists()):
            raise CaseActionError(f"only {', '.join(case.owners)} may reject this order")
        order.status = Order.State.REJECTED
        evaluation = Evaluation(rule_set_version=rulebook_current().version)
        _finish(order, evaluation, _level(order), Decision.Outcome.REJECTED, history_user=actor,
                actor=actor, note=reason)
        case_close(case, resolution=Case.Resolution.REJECTED, note=reason, actor=actor)
    return order


def _lock_exception(order_id: int) -> tuple[Order, Case]:
    order = _lock(order_id)
    case = Case.objects.select_for_update().filter(order=order).first()
    if order.status != Order.State.EXCEPTION or case is None or not case.is_open:
        raise CaseActionError(f"order {order.po_number or order.pk} is {order.get_status_display()}"
                              ": there is nothing to release or reject")
    return order, case


def _check_overrides(causes: list[dict], actor) -> None:
    fixed_first = sorted({c["code"] for c in causes if c["code"] not in OVERRIDABLE})
    if fixed_first:
        raise CaseActionError(f"{', '.join(fixed_first)} cannot be overridden: correct the order "
                              "or fix the master data first")
    groups = set(actor.groups.values_list("name", flat=True))
    foreign = sorted({c["code"] for c in causes if OWNERS[c["code"]] not in groups})
    if foreign and not actor.is_superuser:
        owners = ", ".join(sorted({OWNERS[code] for code in foreign}))
        raise CaseActionError(f"{', '.join(foreign)} can only be overridden by {owners}")


def _orders():
    # The document's bytes and the parser's draft are large (a PDF, its
    # evidence) and nothing here reads them.
    return Order.objects.select_related("customer", "shipto", "document").defer(
        "draft", "document__raw")


def _load(order_id: int) -> Order:
    return _orders().get(pk=order_id)


def _lock(order_id: int) -> Order:
    return _orders().select_for_update(of=("self",)).get(pk=order_id)


def _lock_status(order_id: int) -> str:
    """Lock a received order for its decision. Only the status can have changed
    since it was read: nothing but the decision writes a received order (it is
    read-only everywhere else), so the row itself need not be read again."""
    return Order.objects.select_for_update().filter(pk=order_id).values_list(
        "status", flat=True).get()


def _decide(order: Order, assessment: Assessment, *, history_user, case: Case | None = None,
            resolution: str = "", reason: str = "", outbox: OutboxDraft | None = None) -> Order:
    evaluation, causes, level = assessment.evaluation, assessment.causes, assessment.level
    if causes:
        return _route(order, evaluation, causes, level, Decision.Outcome.EXCEPTION, case,
                      history_user=history_user)
    if level != AutonomyLevel.AUTONOMOUS:
        held = [_cause(Cause.AUTONOMY_DISABLED, f"inside the boundary; the segment is {level}: "
                       "a person releases it")]
        return _route(order, evaluation, held, level, Decision.Outcome.WOULD_EXECUTE, case,
                      history_user=history_user)
    try:
        _execute(order, assessment, history_user=history_user, outbox=outbox)
    except StaleStock as exc:  # raised before _execute wrote anything: route instead
        return _route(order, evaluation, [_cause(exc.args[0], exc.args[1])], level,
                      Decision.Outcome.EXCEPTION, case, history_user=history_user)
    if case is not None:
        case_close(case, resolution=resolution, note=f"executed after re-evaluation: {reason}",
                   actor=history_user)
    return order


def _assess(order: Order, today: date, intake_causes: list[dict],
            lines: list[OrderLine] | None = None) -> Assessment:
    """Every check under the rule set in force: the evaluation, every cause
    (intake's that still apply, then the checks'), and the autonomy level.
    ``lines``: the order's, in position order with their products, if the
    caller has them. Reads only."""
    book = rulebook_current()
    if lines is None:
        lines = list(order.lines.select_related("product"))
    resolved = [line for line in lines if line.product_id]
    evaluation = (evaluate(order, today=today, book=book, lines=resolved) if order.customer_id
                  else Evaluation())
    evaluation.rule_set_version = book.version
    rules = order_rules(order, book, resolved)
    causes = _merge(_intake_causes(intake_causes, rules, evaluation), evaluation)
    return Assessment(lines, evaluation, causes, _level(order, resolved))


#: The event that closes a case, by the resolution it closes with.
CLOSING_EVENTS = {Case.Resolution.RELEASED: CaseEvent.Kind.RELEASED,
                  Case.Resolution.REJECTED: CaseEvent.Kind.REJECTED}


def case_close(case: Case, *, resolution: str, note: str, actor=None) -> None:
    """Resolve a locked case (its order was executed or rejected)."""
    case_transition(case, kind=CLOSING_EVENTS.get(resolution, CaseEvent.Kind.RESOLVED),
                    actor=actor or system_user(), reason=note,
                    fields={"resolution": resolution, "is_open": False,
                            "resolved_at": timezone.now(), "resolution_note": note[:300]})
    case.cause_rows.update(is_open=False)


def _cause(code: str, message: str, evidence: str = "", line: int | None = None) -> dict:
    return {"code": code, "message": message, "evidence": evidence, "line": line}


def _intake_causes(causes: list[dict], rules: OrderRules, evaluation: Evaluation) -> list[dict]:
    """Intake's findings, less those whose rule is switched off for this order
    (recorded as a passed check, so the decision shows what was not checked)."""
    kept = []
    for cause in causes:
        if cause["code"] in REQUIRED or rules.enabled(cause["code"]):
            kept.append(cause)
        else:
            evaluation.ok(cause["code"], f"{rules.disabled_note(cause['code'])}: "
                          f"{cause['message']}", cause.get("line"))
    return kept


def _merge(intake_causes: list[dict], evaluation: Evaluation) -> list[dict]:
    causes = list(intake_causes)
    seen = {(c["code"], c["message"]) for c in causes}
    for failure in evaluation.failures:
        if (failure.code, failure.message) not in seen:
            causes.append(_cause(failure.code, failure.message, line=failure.line))
    return causes


def _level(order: Order, lines=None) -> str:
    customer = order.customer
    if lines is None:
        lines = [line for line in order.lines.select_related("product") if line.product_id]
    level, _settings = autonomy_level(
        customer_number=customer.customer_number if customer else "",
        customer_group=customer.customer_group if customer else "",
        product_families={line.product.product_family for line in lines},
        channels=order_channels(order))
    return level


def _route(order: Order, evaluation: Evaluation, causes: list[dict], level: str,
           outcome: str, case: Case | None = None, *, history_user, actor=None,
           note: str = "", event: str | None = CaseEvent.Kind.REEVALUATED) -> Order:
    """Route the order to a person: open its case, or give the open case the
    causes found now (recorded as ``event``; None: the caller records it)."""
    causes = causes_bounded(causes)
    if case is not None and _same(case.causes, causes):
        return order  # re-evaluated, and nothing changed: no new decision to record
    order.status = Order.State.EXCEPTION
    order.causes = causes
    _finish(order, evaluation, level, outcome, history_user=history_user, actor=actor, note=note)
    owned = [{**cause, "owner": OWNERS.get(cause["code"], "Customer service")} for cause in causes]
    reason = (f"{outcome}: {note}" if note else f"boundary: {outcome}")[:100]
    owners = {cause["code"]: cause["owner"] for cause in owned}
    if case is None:
        # A new case, written as the boundary writes its other rows (history.py).
        case = Case(order=order, causes=owned, owners=sorted(set(owners.values())))
        case.copy_order(order)
        history_create([case], user=history_user, reason=reason)
        case_transition(case, kind=CaseEvent.Kind.OPENED, actor=actor or history_user,
                        reason=note or reason, changes=causes_change([], owned), before=None)
    else:
        if event is not None:
            case_transition(case, kind=event, actor=actor or history_user, reason=note or reason,
                            changes=causes_change(case.causes, owned))
        case.causes, case.owners = owned, sorted(set(owners.values()))
        case.copy_order(order)
        case._history_user, case._change_reason = history_user, reason
        case.save()
        case.cause_rows.exclude(code__in=owners).delete()
    CaseCause.objects.bulk_create([CaseCause(case=case, code=code, owner=owner)
                                   for code, owner in owners.items()], ignore_conflicts=True)
    return order


def _same(before: list[dict], after: list[dict]) -> bool:
    def key(causes):
        return sorted((c["code"], c["message"]) for c in causes)
    return key(before) == key(after)


def _finish(order: Order, evaluation: Evaluation, level: str, outcome: str, *, history_user,
            actor=None, note: str = "") -> None:
    executed = outcome in (Decision.Outcome.EXECUTED, Decision.Outcome.RELEASED)
    order.order_value = evaluation.order_value if order.customer_id else None
    order.promised_date = evaluation.promised_date if executed else None
    order.decided_at = timezone.now()
    history_update([order], ["status", "causes", "order_value", "promised_date", "decided_at"],
                   user=history_user,
                   reason=(f"{outcome}: {note}" if note else f"boundary: {outcome}")[:100])
    record_create([Decision(order=order, outcome=outcome, autonomy_level=level,
                            rule_set_version=evaluation.rule_set_version,
                            checks=[o.as_dict() for o in evaluation.outcomes],
                            causes=order.causes, order_value=order.order_value,
                            promised_date=order.promised_date, decided_by=actor,
                            note=note[:300])])


# --- Execution ---------------------------------------------------------------------------


def _execute(order: Order, assessment: Assessment, *, history_user, actor=None, note: str = "",
             over_limit: bool = False, outbox: OutboxDraft | None = None) -> None:
    evaluation, lines = assessment.evaluation, assessment.lines
    # Everything that can fail is checked under the locks before anything is
    # written, so a StaleStock leaves nothing to undo.
    stock = _allocate(order, lines, evaluation)
    credit = _raise_exposure(order, evaluation, over_limit=over_limit)
    history_update(stock, ["allocated"], user=history_user, reason="allocated to an executed order")
    history_update([credit], ["open_exposure"], user=history_user,
                   reason=f"order {order.po_number} executed")
    for line in lines:
        line.agreed_unit_price = evaluation.agreed_prices[line.position]
    history_update(lines, ["agreed_unit_price"], user=history_user,
                   reason="executed at the agreed price")
    order.status = Order.State.EXECUTED
    order.causes = order.causes if actor else []
    outcome = Decision.Outcome.RELEASED if actor else Decision.Outcome.EXECUTED
    _finish(order, evaluation, assessment.level, outcome, history_user=history_user, actor=actor,
            note=note)
    outbox = outbox or _outbox_draft(order, assessment)
    messages = _queue_outbox(order, outbox, history_user=history_user)
    # robust: the order is executed whatever delivering says; what is not
    # delivered now, the outbox sweeper delivers.
    # The machine delivers them, also after a person's release.
    deliverer = None if actor else history_user
    transaction.on_commit(lambda: _deliver(messages, actor=deliverer), robust=True)


def _allocate(order: Order, lines, evaluation: Evaluation) -> list[Inventory]:
    """Reserve stock under row locks; recheck, because another order may have
    taken it since the checks ran. Rows are locked in primary-key order so two
    executions never wait on each other in opposite orders (deadlock). Returns
    the rows that gave stock, changed but not saved."""
    needed: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        needed[line.product_id] += line.base_quantity
    rows = list(Inventory.objects.select_for_update().filter(product_id__in=needed).order_by("pk"))
    until = order.requested_date or evaluation.promised_date
    # Counted from the rows as locked, not from what the checks read.
    available = stock_available(rows, until)
    before = {row.pk: row.allocated for row in rows}
    for product_id, want in needed.items():
        if want > available[product_id]:
            raise StaleStock(Cause.INSUFFICIENT_STOCK, f"stock of product {product_id} was taken "
                             f"meanwhile: {want} needed, {available[product_id]} left")
        _take(want, [row for row in rows if row.product_id == product_id], until)
    # Only rows that gave stock change (and get a history row).
    return [row for row in rows if row.allocated != before[row.pk]]


def _take(want: Decimal, rows: list[Inventory], until: date | None) -> None:
    # Free stock first (most free first), then what arrives by the requested date.
    for row in sorted(rows, key=lambda r: r.on_hand - r.allocated, reverse=True):
        take = min(want, max(row.on_hand - row.allocated, Decimal(0)))
        want -= take
        row.allocated += take
    for row in rows:
        if want > 0 and row.next_receipt_qty and row.next_receipt_date and until and (
                row.next_receipt_date <= until):
            take = min(want, row.next_receipt_qty)
            want, row.allocated = want - take, row.allocated + take


def _raise_exposure(order: Order, evaluation: Evaluation, *, over_limit: bool = False) -> Credit:
    """The customer's credit under its row lock, exposure raised by the order
    (not saved); StaleStock if the limit no longer allows it."""
    credit = Credit.objects.select_for_update().get(customer=order.customer)
    total = credit.open_exposure + evaluation.order_value
    if credit.on_hold or (total > credit.credit_limit and not over_limit):
        raise StaleStock(Cause.CREDIT_LIMIT_EXCEEDED, f"credit changed meanwhile: exposure "
                         f"{credit.open_exposure} + order {evaluation.order_value} > "
                         f"limit {credit.credit_limit}")
    credit.open_exposure = total
    return credit


def _revision(order: Order) -> int:
    """How many orders of this customer and PO were executed before this one."""
    return Order.objects.filter(customer=order.customer, po_number=order.po_number,
                                status=Order.State.EXECUTED).exclude(pk=order.pk).count()


def _outbox_draft(order: Order, assessment: Assessment) -> OutboxDraft:
    """The ERP payload and the rendered confirmation, as the execution will set
    the order: promised for the evaluation's date, at the agreed prices."""
    payload = _erp_payload(order, assessment.lines, assessment.evaluation)
    subject, body, template = confirmation_render(order=order, payload=payload,
                                                  lines=assessment.lines)
    return OutboxDraft(payload, subject, body, template)


def _queue_outbox(order: Order, outbox: OutboxDraft, *, history_user) -> list[OutboxMessage]:
    identity = f"{order.customer.customer_number}:{order.po_number}:{_revision(order)}"
    messages = [
        OutboxMessage(order=order, channel=OutboxMessage.Channel.ERP,
                      idempotency_key=f"erp:{identity}", payload=outbox.payload),
        OutboxMessage(order=order, channel=OutboxMessage.Channel.EMAIL,
                      idempotency_key=f"email:{identity}",
                      payload=_confirmation(order, outbox, identity)),
    ]
    return history_create(messages, user=history_user, reason=f"order {order.po_number} executed")


def _erp_payload(order: Order, lines, evaluation: Evaluation) -> dict:
    return {
        "order_id": order.pk, "customer_number": order.customer.customer_number,
        "po_number": order.po_number, "currency": order.customer.currency,
        "shipto_code": order.shipto.shipto_code if order.shipto else "",
        "requested_date": _iso(order.requested_date),
        "promised_date": _iso(evaluation.promised_date),
        "order_value": str(evaluation.order_value),
        "lines": [{"sku": line.product.sku, "quantity": plain_decimal(line.quantity),
                   "uom": line.resolved_uom, "base_quantity": plain_decimal(line.base_quantity),
                   "unit_price": f"{evaluation.agreed_prices[line.position]:.4f}"}
                  for line in lines],
    }


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _confirmation(order: Order, outbox: OutboxDraft, identity: str) -> dict:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "orderdesk.localhost"
    token = hashlib.sha256(identity.encode()).hexdigest()[:24]
    safe_po = re.sub(r"[^A-Za-z0-9.-]", "-", order.po_number)[:40]
    return {"to": order.sender, "subject": outbox.subject, "body": outbox.body,
            "template": outbox.template, "message_id": f"<confirmation.{safe_po}.{token}@{domain}>"}


#: Set by `intake --sync`: run in this process what would otherwise be queued
#: (CONTRACT §3: the command returns when every document is final).
INLINE = contextvars.ContextVar("orderdesk_inline", default=False)


def _deliver(messages: list[OutboxMessage], *, actor=None) -> None:
    """Send what an execution wrote (ERP order, then confirmation) once it is
    committed, from the worker that executed the order. A queue hop of its
    own would cost more than the delivery: an insert, a claim and an
    acknowledgement by the broker, each a write that every other worker waits
    for on SQLite. The outbox claims each message before it is sent, so a
    redelivered task sends nothing twice, and the outbox sweeper delivers what
    is left here (the worker died, the ERP is down)."""
    from integrations.services.outbox import outbox_deliver_all

    outbox_deliver_all(messages=messages, actor=actor)
