"""A master-data import run in the background (large admin uploads)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ImportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=32)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    reason = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=State, default=State.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Serves the sweeper's scan for stale queued/running jobs.
            models.Index(fields=["status", "created_at"], name="import_job_sweep_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="import_job_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.original_name} ({self.get_status_display()})"
