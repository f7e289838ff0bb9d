"""The webhook adapter: each ERP order is one signed JSON POST.

Request
    ``POST <ERP_WEBHOOK_URL>`` with the outbox payload as the JSON body and
    ``Content-Type: application/json``, ``Idempotency-Key: <key>`` (the same
    on every attempt for the same order revision, e.g. ``erp:C1001:4711:0``:
    the receiver keeps the keys it has seen and answers 2xx to a repeat
    without booking the order twice), ``X-OrderDesk-Timestamp: <unix seconds>``
    and ``X-OrderDesk-Signature: sha256=<hex>``.

Signature
    ``hex(HMAC-SHA256(ERP_WEBHOOK_SECRET, timestamp + "." + body))`` over the
    exact body bytes received. The receiver recomputes it, compares in
    constant time and rejects timestamps more than a few minutes old, so a
    captured request cannot be replayed later. Timestamp and signature change
    with every attempt; the idempotency key does not.

Answers
    2xx: delivered. 408, 425, 429 and 5xx: tried again later with exponential
    backoff and jitter, or after ``Retry-After`` (seconds or an HTTP date)
    when the receiver sends one. Any other 4xx and any 3xx (redirects are not
    followed: a redirected POST may lose its body): dead letter at once, the
    status and an excerpt of the answer are kept for the person who fixes it.

Failures without an answer
    Nothing connected (refused, DNS, TLS, connect timeout) or the request
    could not be written: the ERP cannot have it, tried again later. The
    request was sent but no answer came (read timeout, connection dropped):
    the ERP may have booked it, so the outcome is *unknown* and a person
    reconciles; it is never resent automatically.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings

from integrations.erp.base import DeliveryResult, ErpAdapter

if TYPE_CHECKING:
    from integrations.models import OutboxMessage

#: Answers that mean "not now": the receiver is overloaded, restarting or rate limiting.
RETRY_STATUSES = frozenset({408, 425, 429})
#: A Retry-After longer than this is taken as this (a misconfigured receiver
#: must not park an order for weeks without anyone noticing).
MAX_RETRY_AFTER_SECONDS = 6 * 3600
EXCERPT_CHARS = 300
USER_AGENT = "OrderDesk-ERP-Webhook/1"


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def encode_body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


@dataclass(frozen=True)
class WebhookAdapter(ErpAdapter):
    url: str
    secret: str
    timeout: float
    name = "webhook"

    @classmethod
    def from_settings(cls) -> WebhookAdapter:
        return cls(url=settings.ERP_WEBHOOK_URL, secret=settings.ERP_WEBHOOK_SECRET,
                   timeout=settings.ERP_WEBHOOK_TIMEOUT)

    def deliver(self, message: OutboxMessage) -> DeliveryResult:
        body = encode_body(message.payload)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.idempotency_key,
            "X-OrderDesk-Timestamp": timestamp,
            "X-OrderDesk-Signature": sign(secret=self.secret, timestamp=timestamp, body=body),
            "User-Agent": USER_AGENT,
        }
        return self._post(body, headers)

    def _post(self, body: bytes, headers: dict[str, str]) -> DeliveryResult:
        parts = urlsplit(self.url)
        connection_class = (http.client.HTTPSConnection if parts.scheme == "https"
                            else http.client.HTTPConnection)
        connection = connection_class(parts.hostname, parts.port, timeout=self.timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            # Until the last byte is written the ERP cannot have a complete
            # request, so any failure up to here is safe to retry.
            try:
                connection.connect()
                connection.request("POST", path, body=body, headers=headers)
            except OSError as exc:
                return DeliveryResult.retry(f"not sent: {_describe(exc)}")
            # From here on the ERP may have the order: no answer is not "failed".
            try:
                response = connection.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                return DeliveryResult.unknown(
                    f"sent, but no answer ({_describe(exc)}): check the ERP for this "
                    "order before sending again")
            return _classify(response)
        finally:
            connection.close()


def _classify(response: http.client.HTTPResponse) -> DeliveryResult:
    status = response.status
    if 200 <= status < 300:
        return DeliveryResult.delivered(f"HTTP {status}", response_code=status)
    excerpt = _excerpt(response)
    detail = f"HTTP {status} {response.reason}" + (f": {excerpt}" if excerpt else "")
    if status in RETRY_STATUSES or status >= 500:
        return DeliveryResult.retry(detail, response_code=status,
                                    retry_after=retry_after_seconds(response.getheader("Retry-After")))
    return DeliveryResult.failed(detail, response_code=status)


def _excerpt(response: http.client.HTTPResponse) -> str:
    try:
        raw = response.read(EXCERPT_CHARS * 4)
    except (OSError, http.client.HTTPException):
        return ""  # the status already says what we need; the body is a courtesy
    return " ".join(raw.decode("utf-8", errors="replace").split())[:EXCERPT_CHARS]


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)  # HTTP dates are GMT by definition
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
