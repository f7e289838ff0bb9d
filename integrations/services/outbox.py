"""Delivering the outbox: each message at most once, failures retried with backoff.

A message is claimed (pending -> sending) before it is sent. A worker that
dies after sending but before recording it leaves the message "sending"; the
sweeper then marks it "unknown" for a person to reconcile instead of sending
it blindly a second time. Confirmation e-mails go out over SMTP; ERP orders
through the adapter chosen by settings.ERP_ADAPTER (integrations.erp). A
person resolves what the machine cannot: an "unknown" or "dead" message is
confirmed as delivered or sent again (outbox_confirm_delivered, outbox_send_again).
"""

from __future__ import annotations

import random
import re
import smtplib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.utils import timezone

from integrations.erp import DeliveryResult, Outcome, erp_adapter
from integrations.errors import OutboxTransitionError
from integrations.models import OutboxMessage
from orders.selectors import system_user
from orders.services.history import history_update, history_update_if

State = OutboxMessage.State

#: Attempts before a confirmation e-mail becomes a dead letter (ERP: settings.ERP_MAX_ATTEMPTS).
MAX_ATTEMPTS = 6
#: A message "sending" for longer than this lost its worker (far above any send timeout).
STUCK_AFTER = timedelta(minutes=15)
#: What recording the outcome of a send writes.
OUTCOME_FIELDS = ["status", "attempts", "next_attempt_at", "last_error", "delivered_at",
                  "response_code"]
NO_ADAPTER_NOTE = ("no ERP adapter is configured (set ERP_ADAPTER to webhook or filedrop); "
                   "the message waits and goes out once one is")

#: What a person may do with a message the machine could not finish, as
#: target -> allowed current statuses. Only a person can tell whether an
#: "unknown" message reached the recipient.
MANUAL_TRANSITIONS: dict[str, set[str]] = {
    State.DELIVERED: {State.UNKNOWN, State.DEAD},
    State.PENDING: {State.UNKNOWN, State.DEAD},
}


def outbox_deliver(*, message_id: int, actor=None) -> OutboxMessage | None:
    """Send one pending message. ``actor``: the user history names (default:
    the system user), looked up once for the claim and the outcome, and
    before either write transaction rather than while holding it."""
    actor = actor or system_user()
    message = _claim(OutboxMessage.objects.get(pk=message_id), actor=actor)
    if message is None:
        return None
    _send(message)
    return _save_outcome(message, actor=actor)


def outbox_deliver_all(*, messages: list[OutboxMessage], actor=None) -> None:
    """Send messages as their writer holds them (an execution's ERP order,
    then its confirmation, just committed) in turn, each claimed before it is
    sent and its outcome recorded after it was, as outbox_deliver does; but
    one message's outcome and the next one's claim are written in one
    transaction: three write transactions for two messages instead of four,
    and on SQLite each is a wait for the one write lock. The next message is
    still pending while the one before it is being sent, so a worker dying
    mid-send leaves only that one "sending". A message whose sending raises
    does not hold back the others; the first error is raised once the rest
    went out. ``actor``: as for outbox_deliver."""
    actor = actor or system_user()
    sent: OutboxMessage | None = None  # sent, its outcome not yet written
    failed: Exception | None = None
    for message in messages:
        try:
            claimed = _save_outcome_and_claim(sent, message, actor=actor)
        except Exception as exc:  # noqa: BLE001 - re-raised below, after the rest went out
            claimed, failed = None, failed or exc
        sent = None
        if claimed is None:
            continue
        try:
            _send(claimed)
        except Exception as exc:  # noqa: BLE001 - as above; the message stays "sending"
            failed = failed or exc
            continue
        sent = claimed
    if sent is not None:
        _save_outcome(sent, actor=actor)
    if failed is not None:
        raise failed


def _save_outcome_and_claim(sent: OutboxMessage | None, message: OutboxMessage, *,
                            actor) -> OutboxMessage | None:
    if sent is None:
        return _claim(message, actor=actor)
    try:
        with transaction.atomic():
            _save_outcome(sent, actor=actor)
            return _claim_locked(message, actor=actor)
    except Exception:
        # Both rolled back. The message already sent gets its outcome on its
        # own, as outbox_deliver records it, whatever became of the claim.
        _save_outcome(sent, actor=actor)
        raise


def _claim(message: OutboxMessage, *, actor) -> OutboxMessage | None:
    with transaction.atomic():
        return _claim_locked(message, actor=actor)


def _claim_locked(message: OutboxMessage, *, actor) -> OutboxMessage | None:
    """pending -> sending, inside the caller's transaction, for the message as
    the caller read it: a conditional update, so the row is not read again
    under the lock, and a message someone else claimed meanwhile (the sweeper,
    a redelivered task) is theirs. Every change of a message sets when it is
    due next (a claim, a retry, a person's send-again, which also sets the
    attempts back to zero), so these three columns tell every version of it
    apart and the history row, made from what was read, is the row as it now is."""
    if message.status != State.PENDING:
        return None
    expected = {"status": State.PENDING, "attempts": message.attempts,
                "next_attempt_at": message.next_attempt_at}
    message.status = State.SENDING
    message.attempts += 1
    message.next_attempt_at = timezone.now()  # while sending: when the claim was made
    if not history_update_if(message, ["status", "attempts", "next_attempt_at"],
                             expected=expected, user=actor):
        return None
    return message


def _send(message: OutboxMessage) -> None:
    """Send a claimed message and set its outcome on it (_save_outcome writes it)."""
    if message.channel == OutboxMessage.Channel.EMAIL:
        _settle(message, _send_email(message.payload), max_attempts=MAX_ATTEMPTS)
        return
    adapter = erp_adapter()
    if adapter is None:
        message.status, message.last_error = State.PENDING, NO_ADAPTER_NOTE
        message.attempts -= 1  # waiting for an adapter is no failed attempt
        return
    # An adapter that raises (a bug, not a delivery failure) leaves the
    # message "sending"; the sweeper turns it into "unknown" for a person.
    _settle(message, adapter.deliver(message), max_attempts=settings.ERP_MAX_ATTEMPTS)


def _send_email(payload: dict) -> DeliveryResult:
    """Every header value is checked before the mail layer sees it: a value
    read from a customer's document (a PO number in the subject, the Message-ID
    replied to) may carry line breaks that would forge headers or make Django
    refuse the message, and a message that can never be sent fails with its
    reason instead of staying "sending"."""
    recipient = str(payload.get("to") or "")
    if _CONTROL.search(recipient) or not _ADDRESS.fullmatch(recipient):
        return DeliveryResult.failed(f"the recipient {recipient[:200]!r} is not one e-mail address")
    headers = {"Message-ID": _message_id(payload["message_id"])}
    if reply_to := _message_id(payload.get("in_reply_to") or ""):
        # A reply to the customer's own message threads with it.
        headers["In-Reply-To"] = headers["References"] = reply_to
    headers = {name: value for name, value in headers.items() if value}
    mail = EmailMessage(subject=_one_line(payload["subject"]), body=payload["body"], to=[recipient],
                        headers=headers)
    try:
        mail.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        return DeliveryResult.retry(f"{type(exc).__name__}: {exc}")
    except (BadHeaderError, ValueError, UnicodeError) as exc:  # the same message would fail again
        return DeliveryResult.failed(f"the message cannot be sent: {type(exc).__name__}: {exc}")
    return DeliveryResult.delivered()


#: C0 and C1 controls and the Unicode bidirectional and line-separator controls.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,900}>")


def _one_line(value: str) -> str:
    return " ".join(_CONTROL.sub(" ", str(value)).split())[:900]


def _message_id(value: str) -> str:
    """One <id@host>, unfolded; "" for anything else (threading is worth less than delivery)."""
    found = _MESSAGE_ID.search(" ".join(_CONTROL.sub(" ", str(value)).split()))
    return found.group() if found else ""


def _settle(message: OutboxMessage, result: DeliveryResult, *, max_attempts: int) -> None:
    message.response_code = result.response_code
    if result.outcome == Outcome.DELIVERED:
        message.status, message.last_error = State.DELIVERED, ""
        message.delivered_at = timezone.now()
        return
    message.last_error = result.detail
    if result.outcome == Outcome.UNKNOWN:
        message.status = State.UNKNOWN
    elif result.outcome == Outcome.FAILED:
        message.status = State.DEAD
    elif message.attempts >= max_attempts:
        message.status = State.DEAD
        message.last_error = f"gave up after {message.attempts} attempts; last: {result.detail}"
    else:
        message.status = State.PENDING
        message.next_attempt_at = timezone.now() + timedelta(
            seconds=_delay(message.attempts, result.retry_after))


def _delay(attempts: int, retry_after: float | None) -> float:
    # Jitter, so many messages failed by one outage do not all come back in step.
    if retry_after is not None:
        return retry_after * (1 + 0.1 * random.random())  # noqa: S311 - never earlier than asked
    return min(3600, 30 * 2 ** (attempts - 1)) * (0.5 + random.random())  # noqa: S311


def _save_outcome(message: OutboxMessage, *, actor) -> OutboxMessage:
    # The outcome and its history row commit together: never a status without
    # its audit row, and on SQLite one wait for the write lock instead of two.
    # Inside a caller's transaction no savepoint is needed.
    with transaction.atomic(savepoint=False):
        history_update([message], OUTCOME_FIELDS, user=actor)
    return message


def outbox_sweep(*, now: datetime | None = None) -> int:
    """Flag messages stuck in "sending" as unknown; hand out due retries. Returns how many."""
    now = now or timezone.now()
    _flag_stuck(now)
    channels = [OutboxMessage.Channel.EMAIL]
    if settings.ERP_ADAPTER:
        channels.append(OutboxMessage.Channel.ERP)
    due = list(OutboxMessage.objects.filter(status=State.PENDING, next_attempt_at__lte=now,
                                            channel__in=channels)
               .order_by("next_attempt_at").values_list("pk", flat=True))
    # Stop handing out well before the task queue kills this task: a worker
    # killed mid-send would leave a message "unknown" for no reason. What is
    # left over is still due at the next sweep.
    deadline = time.monotonic() + settings.Q_CLUSTER["timeout"] / 2
    count = 0
    actor = system_user() if due else None
    for message_id in due:
        if time.monotonic() > deadline:
            break
        count += outbox_deliver(message_id=message_id, actor=actor) is not None
    return count


def _flag_stuck(now: datetime) -> None:
    stuck = list(OutboxMessage.objects.filter(status=State.SENDING,
                                              next_attempt_at__lt=now - STUCK_AFTER)
                 .values_list("pk", flat=True))
    actor = system_user() if stuck else None
    for message_id in stuck:
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().get(pk=message_id)
            if message.status != State.SENDING:
                continue  # finished while we looked
            message.status = State.UNKNOWN
            message.last_error = ("the sender died while sending: check the recipient "
                                  "before resending")
            _save_outcome(message, actor=actor)


# --- A person resolves what the machine could not ------------------------------


def outbox_confirm_delivered(*, message_id: int, actor) -> OutboxMessage:
    """The person checked the recipient (the ERP) and found the message there."""
    with transaction.atomic():
        message = _lock_for(message_id, State.DELIVERED)
        message._change_reason = f"confirmed delivered by {actor} (was {message.status})"
        message.status = State.DELIVERED
        message.delivered_at = timezone.now()
        message._history_user = actor
        message.save(update_fields=["status", "delivered_at"])
    return message


def outbox_send_again(*, message_id: int, actor) -> OutboxMessage:
    """The person checked the recipient does not have it: send it again, attempts from zero."""
    with transaction.atomic():
        message = _lock_for(message_id, State.PENDING)
        message.last_error = f"sent again by {actor} (was {message.status}: {message.last_error[:300]})"
        message.status = State.PENDING
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message._history_user = actor
        message._change_reason = f"sent again by {actor}"
        message.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
        transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def _lock_for(message_id: int, target: str) -> OutboxMessage:
    message = OutboxMessage.objects.select_for_update().get(pk=message_id)
    if message.status not in MANUAL_TRANSITIONS[target]:
        action = "confirmed as delivered" if target == State.DELIVERED else "sent again"
        raise OutboxTransitionError(f"message {message.pk} is {message.status}; only unknown "
                                    f"or dead messages can be {action}")
    return message


def _enqueue_delivery(message_id: int) -> None:
    # The sweeper would pick it up within a minute anyway; this only makes it prompt.
    from django_q.tasks import async_task

    async_task("integrations.tasks.deliver_outbox", message_id, task_name=f"outbox-{message_id}")
