"""Delivering the outbox: each message at most once, failures retried with backoff.

A message is claimed (pending -> sending) before it is sent. A worker that
dies after sending but before recording it leaves the message "sending"; the
sweeper then marks it "unknown" for a person to reconcile instead of sending
it blindly a second time.
"""

from __future__ import annotations

import random
import smtplib
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from integrations.models import OutboxMessage
from orders.selectors import system_user

#: Attempts before a message becomes a dead letter.
MAX_ATTEMPTS = 6


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    message = _claim(message_id)
    if message is None:
        return None
    if message.channel != OutboxMessage.Channel.EMAIL:
        return _release(message, "no ERP adapter is configured yet; the entry waits")
    try:
        _send_email(message.payload)
    except (smtplib.SMTPException, OSError) as exc:
        return _retry_later(message, f"{type(exc).__name__}: {exc}")
    return _mark(message, OutboxMessage.State.DELIVERED, delivered=True)


def _claim(message_id: int) -> OutboxMessage | None:
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != OutboxMessage.State.PENDING:
            return None
        message.status = OutboxMessage.State.SENDING
        message.attempts += 1
        message.next_attempt_at = timezone.now()  # while sending: when the claim was made
        message._history_user = system_user()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
    return message


def _send_email(payload: dict) -> None:
    mail = EmailMessage(subject=payload["subject"], body=payload["body"], to=[payload["to"]],
                        headers={"Message-ID": payload["message_id"]})
    mail.send(fail_silently=False)


def _retry_later(message: OutboxMessage, error: str) -> OutboxMessage:
    if message.attempts >= MAX_ATTEMPTS:
        message.last_error = error
        return _mark(message, OutboxMessage.State.DEAD)
    # Exponential backoff with jitter, so many failed messages do not retry in step.
    delay = min(3600, 30 * 2 ** (message.attempts - 1)) * (0.5 + random.random())  # noqa: S311
    message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    message.last_error = error
    return _mark(message, OutboxMessage.State.PENDING)


def _release(message: OutboxMessage, note: str) -> OutboxMessage:
    message.last_error = note
    message.attempts -= 1  # waiting for an adapter is no failed attempt
    return _mark(message, OutboxMessage.State.PENDING)


def _mark(message: OutboxMessage, status: str, *, delivered: bool = False) -> OutboxMessage:
    message.status = status
    if delivered:
        message.delivered_at = timezone.now()
    message._history_user = system_user()
    message.save(update_fields=["status", "attempts", "next_attempt_at", "last_error",
                                "delivered_at"])
    return message


def outbox_sweep(*, now=None) -> int:
    """Hand out due retries; mark messages stuck in "sending" as unknown."""
    now = now or timezone.now()
    stuck = OutboxMessage.objects.filter(status=OutboxMessage.State.SENDING,
                                         next_attempt_at__lt=now - timedelta(minutes=15))
    for message in stuck:
        message.last_error = "the sender died while sending: check the recipient before resending"
        _mark(message, OutboxMessage.State.UNKNOWN)
    due = OutboxMessage.objects.filter(status=OutboxMessage.State.PENDING, next_attempt_at__lte=now,
                                       channel=OutboxMessage.Channel.EMAIL)
    count = 0
    for message_id in due.values_list("pk", flat=True):
        outbox_deliver(message_id=message_id)
        count += 1
    return count
