"""Rules of the transaction boundary, owned and edited by people."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from rules.causes import OWNERS
from rules.rulebook import RULE_CODES, RuleValues, Scope


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

    @property
    def scope(self) -> Scope:
        return Scope(self.customer_number, self.customer_group, self.product_family, self.channel)

    def segment_label(self) -> str:
        return self.scope.label()


class Decision(models.Model):
    """What the boundary decided for an order, and why. Never changed afterwards."""

    class Outcome(models.TextChoices):
        EXECUTED = "executed", "Executed without a person"
        WOULD_EXECUTE = "would_execute", "Inside the boundary, held by autonomy off/shadow"
        EXCEPTION = "exception", "Routed to a person"
        RELEASED = "released", "Released by a person"
        REJECTED = "rejected", "Rejected by a person"

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
    #: The person who released or rejected the order; empty for the boundary's own decisions.
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
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


class ScopedRule(models.Model):
    """A check (its cause code) in a scope: an empty dimension matches everything."""

    code = models.CharField(max_length=32, choices=[(c.value, c.label) for c in RULE_CODES])
    customer_group = models.CharField(max_length=64, blank=True)
    customer_number = models.CharField(max_length=32, blank=True)
    product_family = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, blank=True)

    class Meta:
        abstract = True

    @property
    def scope(self) -> Scope:
        return Scope(self.customer_number, self.customer_group, self.product_family, self.channel)

    @property
    def owner(self) -> str:
        return OWNERS[self.code]


class Rule(ScopedRule):
    """One check of the boundary in one scope (rules.rulebook explains the lookup).

    Rows are written only by applying an approved RuleChange
    (rules.services.rule_change_apply), so every edit has an author, a reason,
    a reviewer where it widened the boundary, and a new rule-set version.
    """

    enabled = models.BooleanField(default=True)
    #: {parameter name: decimal as a string}; a missing name means the default.
    parameters = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta(ScopedRule.Meta):
        ordering = ["code", "customer_number", "customer_group", "product_family", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "customer_group", "customer_number", "product_family", "channel"],
                name="rule_scope_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.scope.label()})"


    def values(self) -> RuleValues:
        return RuleValues(self.code, self.scope, self.enabled, dict(self.parameters))


class RuleSetVersion(models.Model):
    """The rule set after each applied change: what a decision was made under."""

    number = models.PositiveIntegerField(unique=True)
    #: Every rule at this version: [{"code", "scope": {...}, "enabled", "params"}].
    snapshot = models.JSONField(default=list)
    change = models.OneToOneField("RuleChange", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="version")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"rule set v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("a rule-set version is immutable")
        super().save(*args, **kwargs)


class RuleChange(ScopedRule):
    """A proposed edit of one rule. Narrowing the boundary applies at once;
    widening it waits for a second person of the owner group (four eyes)."""

    class Action(models.TextChoices):
        SET = "set", "Create or change the rule"
        DELETE = "delete", "Remove the scoped rule"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected"

    action = models.CharField(max_length=8, choices=Action, default=Action.SET)
    enabled = models.BooleanField(default=True)
    parameters = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=200)
    #: What the change does, in words and numbers ("tolerance_pct 2 → 3").
    summary = models.TextField(blank=True)
    widens = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State, default=State.PENDING)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="rule_changes")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="rule_reviews")
    review_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta(ScopedRule.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"], name="rulechange_state_idx")]
        constraints = [
            # Four eyes, held by the database too: nobody reviews their own change.
            models.CheckConstraint(condition=~models.Q(reviewer=models.F("author")),
                                   name="rulechange_reviewer_not_author"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.scope.label()}): {self.get_state_display()}"



class AutonomySuggestion(models.Model):
    """A measured proposal to move a segment's autonomy level one step.

    Computed from the segment's first-time-right rate (rules.suggestions);
    nothing changes until a person with the right to set autonomy approves.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved and applied"
        DISMISSED = "dismissed", "Dismissed"
        WITHDRAWN = "withdrawn", "Withdrawn: the figures no longer support it"

    customer_group = models.CharField(max_length=64)
    current_level = models.CharField(max_length=16, choices=AutonomyLevel)
    suggested_level = models.CharField(max_length=16, choices=AutonomyLevel)
    #: Orders measured, and how many of them were right the first time.
    orders = models.PositiveIntegerField()
    first_time_right = models.PositiveIntegerField()
    #: The figures in words: "48 of 50 orders right the first time (96.0%) …".
    evidence = models.TextField()
    state = models.CharField(max_length=16, choices=State, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open proposal per segment: a refresh updates it rather than piling up.
            models.UniqueConstraint(fields=["customer_group"], condition=models.Q(state="pending"),
                                    name="one_pending_suggestion_per_segment"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_group}: {self.current_level} → {self.suggested_level}"

    @property
    def rate(self):
        from decimal import Decimal

        if not self.orders:
            return None
        return (Decimal(self.first_time_right) * 100 / self.orders).quantize(Decimal("0.1"))
