"""Orders as read from inbound documents, resolved against master data."""

from django.db import models
from simple_history.models import HistoricalRecords

from orders.models.intake import InboundDocument
from orders.models.masterdata import QUANTITY, Customer, Product, ShipTo


class Order(models.Model):
    class Kind(models.TextChoices):
        ORDER = "order", "Order"
        CHANGE = "change", "Change"
        CANCEL = "cancel", "Cancellation"

    class State(models.TextChoices):
        RECEIVED = "received", "Received"  # read and resolved, not yet decided
        EXCEPTION = "exception", "Exception"  # routed to a person
        EXECUTED = "executed", "Executed"
        DUPLICATE = "duplicate", "Duplicate"  # already received; nothing created
        REJECTED = "rejected", "Rejected"  # the document holds no (readable) order

    document = models.ForeignKey(InboundDocument, on_delete=models.PROTECT, related_name="orders")
    #: Order of appearance within the document (attachments, ST loops, messages).
    position = models.PositiveIntegerField()
    #: CONTRACT §4 `source`: the path as given, or PATH#ATTACHMENT for an attachment.
    source = models.CharField(max_length=1300)
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.ORDER)
    status = models.CharField(max_length=16, choices=State, default=State.RECEIVED)
    format = models.CharField(max_length=16, blank=True)

    po_number = models.CharField(max_length=100, blank=True, db_index=True)
    order_date = models.DateField(null=True, blank=True)
    requested_date = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    references_po = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)

    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="orders")
    sender = models.CharField(max_length=254, blank=True)
    shipto = models.ForeignKey(ShipTo, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="orders")
    ship_to_name = models.CharField(max_length=300, blank=True)
    ship_to_street = models.CharField(max_length=300, blank=True)
    ship_to_city = models.CharField(max_length=200, blank=True)
    ship_to_postal_code = models.CharField(max_length=40, blank=True)
    ship_to_country = models.CharField(max_length=2, blank=True)

    #: sha256 of the order's business content (customer, PO, ship-to, lines):
    #: the same content again is a duplicate, other content under the same PO a change.
    content_hash = models.CharField(max_length=64, blank=True)
    #: The earlier order this one duplicates or changes.
    related_order = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    #: The parser's draft with per-field confidence and evidence.
    draft = models.JSONField(default=dict, blank=True)
    #: Every reason this order is not executed: [{"code", "message", "evidence"}].
    causes = models.JSONField(default=list, blank=True)
    promised_date = models.DateField(null=True, blank=True)
    #: Agreed order value in the customer's currency, set when the boundary decides.
    order_value = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["draft"])

    class Meta:
        ordering = ["document_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="order_document_position"),
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "exception", "executed", "duplicate",
                                               "rejected"]),
                name="order_status_valid",
            ),
        ]
        indexes = [
            # Serves duplicate and change detection: earlier orders of a customer's PO.
            models.Index(fields=["customer", "po_number"], name="order_customer_po_idx"),
        ]

    def __str__(self) -> str:
        return f"PO {self.po_number or '?'} ({self.get_status_display()})"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="order_lines")
    sku = models.CharField(max_length=100, blank=True)
    customer_part_number = models.CharField(max_length=100, blank=True)
    gtin = models.CharField(max_length=20, blank=True)
    description = models.CharField(max_length=500, blank=True)
    quantity = models.DecimalField(**QUANTITY, null=True, blank=True)
    uom = models.CharField(max_length=32, blank=True, help_text="As written in the document.")
    resolved_uom = models.CharField(max_length=16, blank=True)
    base_quantity = models.DecimalField(**QUANTITY, null=True, blank=True)
    unit_price = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    price_per = models.DecimalField(**QUANTITY, null=True, blank=True)
    #: The agreed price per base unit the order executed at.
    agreed_unit_price = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    requested_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="order_line_position"),
        ]

    def __str__(self) -> str:
        return f"{self.sku or self.customer_part_number or self.description} × {self.quantity}"
