"""The confirmation e-mail customers receive, as a template people approve."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ConfirmationTemplate(models.Model):
    """Subject and body of the order confirmation, in Django template language.

    An Order desk manager writes a draft; a second manager approves it (the
    author cannot), which retires the template approved before. Confirmations
    are rendered from the approved template, or from the built-in one
    (templates/orders/confirmation_email.txt) until one is approved.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved: in use"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=100)
    subject = models.CharField(max_length=200,
                               default="Order confirmation: your PO {{ po_number }}")
    body = models.TextField()
    state = models.CharField(max_length=16, choices=State, default=State.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="confirmation_templates")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One template in use at a time.
            models.UniqueConstraint(fields=["state"], condition=models.Q(state="approved"),
                                    name="one_approved_confirmation_template"),
            models.CheckConstraint(condition=~models.Q(approved_by=models.F("author")),
                                   name="confirmation_template_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"
