"""Master data: the facts every check of the transaction boundary reads.

Keys and invariants are enforced by the database (unique constraints, check
constraints) so that no write path — admin, import, a shell session — can
store a row the order checks would misread. Every model keeps a history of
who changed what and why (django-simple-history).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Length, Upper
from simple_history.models import HistoricalRecords

from orders.validators import (
    validate_country_code,
    validate_currency_code,
    validate_customer_email_domain,
    validate_uom_code,
)

models.CharField.register_lookup(Length)

QUANTITY = {"max_digits": 18, "decimal_places": 3}
MONEY = {"max_digits": 18, "decimal_places": 4}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def code_shape(field: str, length: int, name: str) -> models.CheckConstraint:
    """Database guard for an ISO code column: exact length, upper case."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__length": length}) & Q(**{field: Upper(F(field))}),
        name=name,
        violation_error_message=f"{field} must be a {length}-letter upper-case code.",
    )


def non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=name)


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    BLOCKED = "blocked", "Blocked"


class ProductStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DISCONTINUED = "discontinued", "Discontinued"


class Customer(models.Model):
    customer_number = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    customer_group = models.CharField(max_length=64, blank=True, db_index=True)
    country = models.CharField(max_length=2, validators=[validate_country_code])
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    status = models.CharField(max_length=16, choices=Status, default=Status.ACTIVE)

    history = HistoricalRecords()

    class Meta:
        ordering = ["customer_number"]
        constraints = [
            code_shape("country", 2, "customer_country_iso"),
            code_shape("currency", 3, "customer_currency_iso"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="customer_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["name"], name="customer_name_idx")]

    def __str__(self) -> str:
        return f"{self.customer_number} {self.name}"


class CustomerEmailDomain(models.Model):
    """An e-mail domain whose senders may order for the customer.

    A row per domain (not a list in a text column) so intake finds the
    customer of a sender with one indexed lookup.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="email_domains")
    domain = models.CharField(max_length=253, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "domain"], name="customer_domain_unique"),
            models.CheckConstraint(
                condition=Q(domain=models.functions.Lower(F("domain"))),
                name="customer_domain_lower",
            ),
        ]

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        # Here, not in the field's validators: a rule about the data that
        # needs no schema migration. Admin forms and full_clean() run it.
        try:
            validate_customer_email_domain(self.domain)
        except ValidationError as exc:
            raise ValidationError({"domain": exc.messages}) from None


class CustomerAlias(models.Model):
    """Another name the customer appears under in documents."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "customer aliases"
        constraints = [
            models.UniqueConstraint(fields=["customer", "alias"], name="customer_alias_unique"),
        ]

    def __str__(self) -> str:
        return self.alias


class Contact(models.Model):
    """A person allowed to order for a customer."""

    email = models.EmailField(max_length=254, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower(F("email"))), name="contact_email_lower"
            ),
        ]

    def __str__(self) -> str:
        return self.email


class SalesRep(models.Model):
    """Our own staff member who forwards customer orders."""

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["email"]
        verbose_name = "sales rep"
        constraints = [
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower(F("email"))), name="salesrep_email_lower"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class ShipTo(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="shiptos")
    shipto_code = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, validators=[validate_country_code])
    is_default = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["customer__customer_number", "shipto_code"]
        verbose_name = "ship-to"
        constraints = [
            models.UniqueConstraint(fields=["customer", "shipto_code"], name="shipto_key"),
            code_shape("country", 2, "shipto_country_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.shipto_code} {self.name}, {self.city}"


class Product(models.Model):
    sku = models.CharField(max_length=64, unique=True)
    description = models.CharField(max_length=300)
    product_family = models.CharField(max_length=64, blank=True, db_index=True)
    base_uom = models.CharField(max_length=16, validators=[validate_uom_code])
    gtin = models.CharField(max_length=14, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=ProductStatus, default=ProductStatus.ACTIVE)
    configurable = models.BooleanField(default=False)
    min_order_qty = models.DecimalField(
        **QUANTITY,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="In base units.",
    )
    lead_time_days = models.PositiveIntegerField(default=0, help_text="Calendar days.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["sku"]
        constraints = [
            non_negative("min_order_qty", "product_min_order_qty_non_negative"),
            non_negative("lead_time_days", "product_lead_time_non_negative"),
            models.CheckConstraint(
                condition=Q(status__in=ProductStatus.values), name="product_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["description"], name="product_description_idx")]

    def __str__(self) -> str:
        return f"{self.sku} {self.description}"


class ProductUnit(models.Model):
    """An alternative unit: how many base units one of it holds."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="units")
    uom = models.CharField(max_length=16, validators=[validate_uom_code])
    factor = models.DecimalField(
        **QUANTITY,
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text="Base units per one of this unit.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["product__sku", "uom"]
        constraints = [
            models.UniqueConstraint(fields=["product", "uom"], name="product_unit_unique"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="product_unit_factor_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.uom} = {self.factor.normalize()} {self.product.base_uom}"


class UnitAlias(models.Model):
    """A word a customer writes for a unit ("Doos", "Ktn"), and the unit code
    it means. For one customer, or for everyone when no customer is set;
    the customer's own alias wins."""

    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="unit_aliases")
    alias = models.CharField(max_length=32, help_text="As written, matched ignoring case.")
    uom = models.CharField(max_length=16, validators=[validate_uom_code])

    history = HistoricalRecords()

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "unit aliases"
        constraints = [
            models.UniqueConstraint(F("customer"), Upper("alias"), name="unit_alias_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.alias} = {self.uom}"


class ProductRestriction(models.Model):
    """A country the product may not be shipped to (owned by Compliance)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="restrictions")
    country = models.CharField(max_length=2, validators=[validate_country_code])

    history = HistoricalRecords()

    class Meta:
        ordering = ["product__sku", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "country"], name="product_restriction_unique"
            ),
            code_shape("country", 2, "product_restriction_country_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.product.sku} not to {self.country}"


class CustomerPart(models.Model):
    """The customer's own part number for one of our products."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="parts")
    customer_part_number = models.CharField(max_length=64)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="customer_parts")

    history = HistoricalRecords()

    class Meta:
        ordering = ["customer__customer_number", "customer_part_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "customer_part_number"], name="customer_part_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_part_number} → {self.product.sku}"


class Price(models.Model):
    """A price agreement: unit price per base unit, valid over a date range."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="prices")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="prices")
    unit_price = models.DecimalField(**MONEY, validators=NON_NEGATIVE)
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["customer__customer_number", "product__sku", "valid_from"]
        verbose_name = "price agreement"
        constraints = [
            # An open start is a real key value: NULLs must collide with each
            # other, which a plain unique constraint does not do.
            models.UniqueConstraint(
                F("customer"),
                F("product"),
                Coalesce(F("valid_from"), Value(date(1, 1, 1))),
                name="price_key",
            ),
            non_negative("unit_price", "price_unit_price_non_negative"),
            code_shape("currency", 3, "price_currency_iso"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="price_valid_range",
                violation_error_message="valid_to must not be before valid_from.",
            ),
        ]
        indexes = [models.Index(fields=["customer", "product"], name="price_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.product.sku} {self.unit_price} {self.currency}"


class Inventory(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="inventory")
    warehouse = models.CharField(max_length=32)
    on_hand = models.DecimalField(**QUANTITY, validators=NON_NEGATIVE)
    allocated = models.DecimalField(
        **QUANTITY,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
        help_text="Reserved by executed orders; never imported.",
    )
    next_receipt_date = models.DateField(null=True, blank=True)
    next_receipt_qty = models.DecimalField(
        **QUANTITY, null=True, blank=True, validators=NON_NEGATIVE
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["product__sku", "warehouse"]
        verbose_name_plural = "inventory"
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="inventory_key"),
            non_negative("on_hand", "inventory_on_hand_non_negative"),
            non_negative("allocated", "inventory_allocated_non_negative"),
            non_negative("next_receipt_qty", "inventory_receipt_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product.sku} @ {self.warehouse}"


class Credit(models.Model):
    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="credit")
    credit_limit = models.DecimalField(**MONEY, validators=NON_NEGATIVE)
    open_exposure = models.DecimalField(**MONEY, default=Decimal("0"), validators=NON_NEGATIVE)
    on_hold = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["customer__customer_number"]
        verbose_name = "credit account"
        constraints = [
            non_negative("credit_limit", "credit_limit_non_negative"),
            non_negative("open_exposure", "credit_exposure_non_negative"),
        ]

    def __str__(self) -> str:
        return f"Credit of {self.customer.customer_number}"


class OrderHistoryLine(models.Model):
    """A line of an order received before OrderDesk (imported from the ERP)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="order_history")
    po_number = models.CharField(max_length=64)
    order_date = models.DateField()
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_history")
    quantity = models.DecimalField(**QUANTITY, validators=NON_NEGATIVE, help_text="In base units.")
    shipto_code = models.CharField(max_length=32, blank=True)
    unit_price = models.DecimalField(**MONEY, null=True, blank=True, validators=NON_NEGATIVE)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-order_date", "po_number"]
        verbose_name = "order history line"
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "po_number", "product"], name="order_history_key"
            ),
            non_negative("quantity", "order_history_quantity_non_negative"),
            non_negative("unit_price", "order_history_price_non_negative"),
        ]
        indexes = [
            # Serves the quantity-anomaly check: a customer's earlier lines of one product.
            models.Index(
                fields=["customer", "product", "order_date"], name="order_history_qty_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.po_number} {self.product.sku} × {self.quantity}"


class DeniedParty(models.Model):
    """An entry of the denied-parties list (owned by Compliance)."""

    name = models.CharField(max_length=300)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, validators=[validate_country_code])

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "denied parties"
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="denied_party_key"),
            code_shape("country", 2, "denied_party_country_iso"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"
