"""What every ERP adapter promises: deliver one outbox message, say how it went.

An adapter never touches the message's status; it reports one of four
outcomes and the outbox service (integrations.services.outbox) records it.
The outcome carries the only decision that matters for safety: may the same
order be sent again automatically, or could the ERP already have it?
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from integrations.models import OutboxMessage


class Outcome(StrEnum):
    DELIVERED = "delivered"
    #: Not delivered and safe to send again later (the ERP did not take it).
    RETRY = "retry"
    #: Not delivered, and sending the same message again will not help.
    FAILED = "failed"
    #: The ERP may or may not have it: a person reconciles, nothing is resent.
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DeliveryResult:
    outcome: Outcome
    detail: str = ""
    #: Seconds the receiver asked us to wait (Retry-After), for RETRY only.
    retry_after: float | None = None
    response_code: int | None = None

    @classmethod
    def delivered(cls, detail: str = "", *, response_code: int | None = None) -> DeliveryResult:
        return cls(Outcome.DELIVERED, detail, response_code=response_code)

    @classmethod
    def retry(cls, detail: str, *, retry_after: float | None = None,
              response_code: int | None = None) -> DeliveryResult:
        return cls(Outcome.RETRY, detail, retry_after=retry_after, response_code=response_code)

    @classmethod
    def failed(cls, detail: str, *, response_code: int | None = None) -> DeliveryResult:
        return cls(Outcome.FAILED, detail, response_code=response_code)

    @classmethod
    def unknown(cls, detail: str, *, response_code: int | None = None) -> DeliveryResult:
        return cls(Outcome.UNKNOWN, detail, response_code=response_code)


class ErpAdapter(ABC):
    #: The value of settings.ERP_ADAPTER that selects this adapter.
    name: str

    @classmethod
    @abstractmethod
    def from_settings(cls) -> ErpAdapter: ...

    @abstractmethod
    def deliver(self, message: OutboxMessage) -> DeliveryResult:
        """Hand one message to the ERP. Must not raise for delivery failures."""
