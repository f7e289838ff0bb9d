"""The exception inbox: one case per order a person has to look at."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Case(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"

    class Resolution(models.TextChoices):
        RELEASED = "released", "Corrected and released"
        REJECTED = "rejected", "Rejected"
        MASTER_DATA_FIXED = "master_data_fixed", "Master data fixed"
        RULE_CHANGED = "rule_changed", "Rule changed"

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="case")
    status = models.CharField(max_length=16, choices=State, default=State.OPEN)
    #: Who is working on it (in progress).
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="cases")
    resolution = models.CharField(max_length=24, choices=Resolution, blank=True)
    #: Every cause with its evidence and owner group: [{"code", "message", "evidence", "owner"}].
    causes = models.JSONField(default=list)
    #: The owner groups of the causes, for "my queue" filters.
    owners = models.JSONField(default=list)
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    #: Why it was resolved, in words (the history row says who).
    resolution_note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["opened_at"]
        indexes = [models.Index(fields=["status", "opened_at"], name="case_queue_idx")]

    def __str__(self) -> str:
        return f"Case for order {self.order_id} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status != self.State.RESOLVED


class CaseCause(models.Model):
    """One cause of a case, as a row: queues by cause or owner group are an
    indexed lookup, not a scan of JSON, at 100k open cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cause_rows")
    code = models.CharField(max_length=32)
    owner = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="casecause_unique")]
        indexes = [models.Index(fields=["code", "case"], name="casecause_code_idx"),
                   models.Index(fields=["owner", "case"], name="casecause_owner_idx")]

    def __str__(self) -> str:
        return f"{self.code} on case {self.case_id}"
