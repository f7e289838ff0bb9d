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
import smtplib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from integrations.erp import DeliveryResult, Outcome, erp_adapter
from integrations.errors import OutboxTransitionError
from integrations.models import OutboxMessage
from orders.selectors import system_user

State = OutboxMessage.State

#: Attempts before a confirmation e-mail becomes a dead letter (ERP: settings.ERP_MAX_ATTEMPTS).
MAX_ATTEMPTS = 6
#: A message "sending" for longer than this lost its worker (far above any send timeout).
STUCK_AFTER = timedelta(minutes=15)
NO_ADAPTER_NOTE = ("no ERP adapter is configured (set ERP_ADAPTER to webhook or filedrop); "
                   "the message waits and goes out once one is")

#: What a person may do with a message the machine could not finish, as
#: target -> allowed current statuses. Only a person can tell whether an
#: "unknown" message reached the recipient.
MANUAL_TRANSITIONS: dict[str, set[str]] = {
    State.DELIVERED: {State.UNKNOWN, State.DEAD},
    State.PENDING: {State.UNKNOWN, State.DEAD},
}


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    message = _claim(message_id)
    if message is None:
        return None
    if message.channel == OutboxMessage.Channel.EMAIL:
        return _record(message, _send_email(message.payload), max_attempts=MAX_ATTEMPTS)
    adapter = erp_adapter()
    if adapter is None:
        return _release(message, NO_ADAPTER_NOTE)
    # An adapter that raises (a bug, not a delivery failure) leaves the
    # message "sending"; the sweeper turns it into "unknown" for a person.
    return _record(message, adapter.deliver(message), max_attempts=settings.ERP_MAX_ATTEMPTS)


def _claim(message_id: int) -> OutboxMessage | None:
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != State.PENDING:
            return None
        message.status = State.SENDING
        message.attempts += 1
        message.next_attempt_at = timezone.now()  # while sending: when the claim was made
        message._history_user = system_user()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
    return message


def _send_email(payload: dict) -> DeliveryResult:
    headers = {"Message-ID": payload["message_id"]}
    if payload.get("in_reply_to"):  # a reply to the customer's own message threads with it
        headers["In-Reply-To"] = headers["References"] = payload["in_reply_to"]
    mail = EmailMessage(subject=payload["subject"], body=payload["body"], to=[payload["to"]],
                        headers=headers)
    try:
        mail.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        return DeliveryResult.retry(f"{type(exc).__name__}: {exc}")
    return DeliveryResult.delivered()


def _record(message: OutboxMessage, result: DeliveryResult, *, max_attempts: int) -> OutboxMessage:
    message.response_code = result.response_code
    if result.outcome == Outcome.DELIVERED:
        message.last_error = ""
        return _mark(message, State.DELIVERED, delivered=True)
    message.last_error = result.detail
    if result.outcome == Outcome.UNKNOWN:
        return _mark(message, State.UNKNOWN)
    if result.outcome == Outcome.FAILED:
        return _mark(message, State.DEAD)
    if message.attempts >= max_attempts:
        message.last_error = f"gave up after {message.attempts} attempts; last: {result.detail}"
        return _mark(message, State.DEAD)
    message.next_attempt_at = timezone.now() + timedelta(seconds=_delay(message.attempts,
                                                                        result.retry_after))
    return _mark(message, State.PENDING)


def _delay(attempts: int, retry_after: float | None) -> float:
    # Jitter, so many messages failed by one outage do not all come back in step.
    if retry_after is not None:
        return retry_after * (1 + 0.1 * random.random())  # noqa: S311 - never earlier than asked
    return min(3600, 30 * 2 ** (attempts - 1)) * (0.5 + random.random())  # noqa: S311


def _release(message: OutboxMessage, note: str) -> OutboxMessage:
    message.last_error = note
    message.attempts -= 1  # waiting for an adapter is no failed attempt
    return _mark(message, State.PENDING)


def _mark(message: OutboxMessage, status: str, *, delivered: bool = False) -> OutboxMessage:
    message.status = status
    if delivered:
        message.delivered_at = timezone.now()
    message._history_user = system_user()
    message.save(update_fields=["status", "attempts", "next_attempt_at", "last_error",
                                "delivered_at", "response_code"])
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
    for message_id in due:
        if time.monotonic() > deadline:
            break
        count += outbox_deliver(message_id=message_id) is not None
    return count


def _flag_stuck(now: datetime) -> None:
    stuck = OutboxMessage.objects.filter(status=State.SENDING, next_attempt_at__lt=now - STUCK_AFTER)
    for message_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().get(pk=message_id)
            if message.status != State.SENDING:
                continue  # finished while we looked
            message.last_error = ("the sender died while sending: check the recipient "
                                  "before resending")
            _mark(message, State.UNKNOWN)


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
