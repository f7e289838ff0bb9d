"""Rules of the transaction boundary, owned and edited by people."""

from django.db import models
from simple_history.models import HistoricalRecords


class AutonomyLevel(models.TextChoices):
    OFF = "off", "Off: every order goes to a person"
    SHADOW = "shadow", "Shadow: decide and record, a person releases"
    AUTONOMOUS = "autonomous", "Autonomous: orders inside the boundary execute"


#: Least to most trusting: the order of levels when several apply.
LEVEL_ORDER = [AutonomyLevel.OFF, AutonomyLevel.SHADOW, AutonomyLevel.AUTONOMOUS]


class AutonomySetting(models.Model):
    """The autonomy level of a segment (CONTRACT §2).

    An empty dimension matches everything; the setting that names the most
    dimensions of an order wins. A fresh installation has one setting with
    no dimension at "shadow".
    """

    customer_group = models.CharField(max_length=64, blank=True)
    customer_number = models.CharField(max_length=32, blank=True)
    product_family = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    level = models.CharField(max_length=16, choices=AutonomyLevel, default=AutonomyLevel.SHADOW)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["customer_number", "customer_group", "product_family", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer_group", "customer_number", "product_family", "channel"],
                name="autonomy_segment_unique",
            ),
            models.CheckConstraint(condition=models.Q(level__in=["off", "shadow", "autonomous"]),
                                   name="autonomy_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.segment_label()}: {self.level}"

    def segment_label(self) -> str:
        parts = [f"{name} {value}" for name, value in (
            ("customer", self.customer_number), ("group", self.customer_group),
            ("family", self.product_family), ("channel", self.channel)) if value]
        return ", ".join(parts) or "everything"

    def specificity(self) -> tuple[int, int, int, int, int]:
        """How specific the segment is: more dimensions first, then the
        narrower dimension (a customer beats a group beats a family beats a channel)."""
        named = (self.customer_number, self.customer_group, self.product_family, self.channel)
        return (sum(1 for value in named if value), *(1 if value else 0 for value in named))


class Decision(models.Model):
    """What the boundary decided for an order, and why. Never changed afterwards."""

    class Outcome(models.TextChoices):
        EXECUTED = "executed", "Executed without a person"
        WOULD_EXECUTE = "would_execute", "Inside the boundary, held by autonomy off/shadow"
        EXCEPTION = "exception", "Routed to a person"

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=16, choices=Outcome)
    autonomy_level = models.CharField(max_length=16, choices=AutonomyLevel)
    #: The rule-set version the decision was made under ("defaults" until rules are edited).
    rule_set_version = models.CharField(max_length=32, default="defaults")
    #: Every check's outcome: [{"code", "passed", "message", "line"}].
    checks = models.JSONField(default=list)
    causes = models.JSONField(default=list)
    order_value = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    promised_date = models.DateField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["outcome", "created_at"], name="decision_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} (order {self.order_id})"

    def save(self, *args, **kwargs):
        # An audit record: a decision is written once and never rewritten.
        if self.pk is not None:
            raise ValueError("a decision is immutable")
        super().save(*args, **kwargs)
