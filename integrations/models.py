"""The outbox: everything OrderDesk must tell other systems, written in the
same transaction as the change it reports and delivered afterwards."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class OutboxMessage(models.Model):
    class Channel(models.TextChoices):
        ERP = "erp", "ERP order"
        EMAIL = "email", "E-mail to the customer"  # confirmations and replies

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        UNKNOWN = "unknown", "Outcome unknown (to reconcile)"
        DEAD = "dead", "Dead letter"

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="outbox")
    channel = models.CharField(max_length=8, choices=Channel)
    #: Derived from the business identity (customer, PO, revision, channel), so a
    #: re-run of the execution can never queue the same message twice.
    idempotency_key = models.CharField(max_length=128, unique=True)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    #: The recipient's last HTTP status (webhook adapter), shown in the admin.
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["payload"])

    class Meta:
        ordering = ["created_at"]
        permissions = [
            ("reconcile_outboxmessage",
             "Can resolve unknown and dead messages (confirm delivered, send again)"),
        ]
        indexes = [
            # Serves the delivery sweeper: what is due, per channel.
            models.Index(fields=["channel", "status", "next_attempt_at"], name="outbox_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} for order {self.order_id} ({self.status})"
