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
    #: Open or in progress: a person still has to act. Kept beside the status
    #: (case_close clears it) because the queue indexes lead with it: an
    #: equality on a boolean serves the open queues on every database, where
    #: an IN over two statuses could not keep the index's order.
    is_open = models.BooleanField(default=True)
    #: Set when a person fixed master data from this case: the cause will not
    #: come back for the next order (the dashboard's "resolved permanently").
    fixed_permanently = models.BooleanField(default=False)

    # Copied from the order whenever the boundary routes it (copy_order), so the
    # inbox sorts and searches 100k open cases on this table's own indexes.
    customer = models.ForeignKey("orders.Customer", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    order_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    #: The PO number upper-cased: a prefix search is an index range on every database.
    po_key = models.CharField(max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["opened_at"]
        indexes = [
            models.Index(fields=["status", "opened_at"], name="case_queue_idx"),
            # The open queues: oldest first, highest value first, per customer, by PO.
            models.Index(fields=["is_open", "opened_at"], name="case_open_age_idx"),
            models.Index(fields=["is_open", "-order_value", "opened_at"],
                         name="case_open_value_idx"),
            models.Index(fields=["is_open", "customer", "opened_at"],
                         name="case_open_customer_idx"),
            models.Index(fields=["is_open", "po_key"], name="case_open_po_idx"),
        ]

    def __str__(self) -> str:
        return f"Case for order {self.order_id} ({self.get_status_display()})"

    def copy_order(self, order) -> None:
        """Take over the order's queue fields (customer, value, PO number)."""
        self.customer_id, self.order_value = order.customer_id, order.order_value
        self.po_key = (order.po_number or "").upper()[:100]


class CaseCause(models.Model):
    """One cause of a case, as a row: queues by cause or owner group are an
    indexed lookup, not a scan of JSON, at 100k open cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cause_rows")
    code = models.CharField(max_length=32)
    owner = models.CharField(max_length=32)
    #: Whether the case is still open (cleared by case_close): the queue counts
    #: by cause are then an index-only scan of the open rows.
    is_open = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="casecause_unique")]
        indexes = [models.Index(fields=["code", "case"], name="casecause_code_idx"),
                   models.Index(fields=["owner", "case"], name="casecause_owner_idx"),
                   models.Index(fields=["is_open", "code", "case"], name="casecause_open_idx")]

    def __str__(self) -> str:
        return f"{self.code} on case {self.case_id}"


class CaseEvent(models.Model):
    """One decision on a case: who did what, when and why, and what it changed.

    Written by exceptions.lifecycle in the transaction of the transition it
    records. History tables keep field diffs of every row; these rows keep the
    decisions, and are what corrections are learned from (``changes``).
    """

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        TAKEN = "taken", "Taken"
        RETURNED = "returned", "Returned to the queue"
        CORRECTED = "corrected", "Corrected"
        FIXED = "fixed", "Master data fixed"
        REEVALUATED = "reevaluated", "Re-evaluated"
        RELEASED = "released", "Released"
        REJECTED = "rejected", "Rejected"
        RESOLVED = "resolved", "Resolved by re-evaluation"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind)
    #: The person, or the system user for the boundary's own moves.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    #: The case's status after the event.
    status = models.CharField(max_length=16, choices=Case.State)
    reason = models.CharField(max_length=300, blank=True)
    #: What the event changed. A correction: {"fields": {name: {"read", "set"}},
    #: "lines": {"before": [...], "after": [...]}, "not_instructions": [...]};
    #: every event that moved the causes: {"causes": {"before": [...], "after": [...]}}.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="caseevent_case_idx"),
                   # Corrections to learn from, newest first (issue 15, point 3).
                   models.Index(fields=["kind", "at"], name="caseevent_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"
