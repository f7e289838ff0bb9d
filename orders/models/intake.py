"""Inbound documents: every byte received is stored before anything reads it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class InboundDocument(models.Model):
    class Channel(models.TextChoices):
        FILE = "file", "File (intake command)"
        EMAIL = "email", "E-mail"
        API = "api", "REST API"
        UPLOAD = "upload", "Upload"

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSING = "processing", "Processing"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed"

    #: The path as given to `intake`, or the upload's file name.
    source = models.CharField(max_length=1000)
    filename = models.CharField(max_length=255, blank=True)
    channel = models.CharField(max_length=16, choices=Channel)
    raw = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    #: Who sent it: --sender, the e-mail's From, or the API user's address.
    sender = models.CharField(max_length=254, blank=True)
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=255, blank=True)
    #: The API user who posted it: idempotency keys are that user's own.
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=16, choices=State, default=State.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    # The raw bytes stay out of the history table: they never change, and
    # copying megabytes into every history row would double the database.
    history = HistoricalRecords(excluded_fields=["raw"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            # A key is its submitter's own: one user's key never reaches
            # another user's document. Two constraints, because NULLs (the
            # mailbox's keys have no user) are distinct in a unique index.
            models.UniqueConstraint(
                fields=["channel", "idempotency_key"],
                condition=~models.Q(idempotency_key="") & models.Q(submitted_by__isnull=True),
                name="inbound_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["submitted_by", "channel", "idempotency_key"],
                condition=~models.Q(idempotency_key="") & models.Q(submitted_by__isnull=False),
                name="inbound_user_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "processing", "processed", "failed"]),
                name="inbound_status_valid",
            ),
        ]
        indexes = [
            # Serves the sweeper's scan for documents stuck before "processed".
            models.Index(fields=["status", "received_at"], name="inbound_sweep_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source}"
