"""One import/export definition per master-data kind (CONTRACT §1).

Used by the admin (preview, confirm, export) and by
``manage.py import_masterdata``; the machinery lives in orders.importing.
"""

from django.core.exceptions import ValidationError
from import_export import fields

from orders import models
from orders.importing import (
    BooleanWidget,
    ChildListField,
    ChildRows,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    KeyField,
    MasterDataResource,
    TextWidget,
)
from orders.validators import is_public_mail_domain, validate_country_code, validate_uom_code


def _text(column: str, transform=str, default=None) -> fields.Field:
    kwargs = {} if default is None else {"default": default}
    return fields.Field(
        attribute=column, column_name=column, widget=TextWidget(transform), **kwargs
    )


def _code(column: str) -> fields.Field:
    return _text(column, str.upper)


def _decimal(column: str, default=None) -> fields.Field:
    kwargs = {} if default is None else {"default": default}
    return fields.Field(attribute=column, column_name=column, widget=DecimalWidget(), **kwargs)


def _date(column: str) -> fields.Field:
    return fields.Field(attribute=column, column_name=column, widget=DateWidget())


def _bool(column: str) -> fields.Field:
    return fields.Field(attribute=column, column_name=column, widget=BooleanWidget(), default=False)


def _choice(column: str, choices) -> fields.Field:
    return fields.Field(
        attribute=column,
        column_name=column,
        widget=ChoiceWidget(choices.values),
        default=choices.values[0],
    )


def _customer() -> KeyField:
    return KeyField("customer", models.Customer, "customer_number", "customer_number")


def _product() -> KeyField:
    return KeyField("product", models.Product, "sku", "sku")


def _checked(validator, transform):
    """Turn a Django validator into an item parser raising ValueError."""

    def parse(item: str) -> str:
        value = transform(item)
        try:
            validator(value)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None
        return value

    return parse


def _domain(item: str) -> str:
    domain = item.lower().lstrip("@")
    if "." not in domain or " " in domain or "@" in domain:
        raise ValueError(f"{item!r} is not an e-mail domain")
    if is_public_mail_domain(domain):
        raise ValueError(f"{domain} is a public e-mail domain (anyone can have an address "
                         "there): import the buyers' addresses as contacts instead")
    return domain


class CustomerResource(MasterDataResource):
    kind = "customers"
    required = ("customer_number", "name", "country", "currency")

    customer_number = _text("customer_number")
    name = _text("name")
    email_domains = ChildListField(
        "email_domains",
        ChildRows(models.CustomerEmailDomain, "customer", "domain", parse_item=_domain),
    )
    aliases = ChildListField(
        "aliases", ChildRows(models.CustomerAlias, "customer", "alias", parse_item=str.strip)
    )
    customer_group = _text("customer_group")
    country = _code("country")
    currency = _code("currency")
    status = _choice("status", models.Status)

    class Meta(MasterDataResource.Meta):
        model = models.Customer
        import_id_fields = ("customer_number",)
        fields = (
            "customer_number",
            "name",
            "email_domains",
            "aliases",
            "customer_group",
            "country",
            "currency",
            "status",
        )


class ContactResource(MasterDataResource):
    kind = "contacts"
    required = ("email", "customer_number")

    email = _text("email", str.lower)
    customer_number = _customer()
    name = _text("name")

    class Meta(MasterDataResource.Meta):
        model = models.Contact
        import_id_fields = ("email",)
        fields = ("email", "customer_number", "name")


class SalesRepResource(MasterDataResource):
    kind = "sales_reps"
    required = ("email", "name")

    email = _text("email", str.lower)
    name = _text("name")

    class Meta(MasterDataResource.Meta):
        model = models.SalesRep
        import_id_fields = ("email",)
        fields = ("email", "name")


class ShipToResource(MasterDataResource):
    kind = "shiptos"
    required = (
        "customer_number",
        "shipto_code",
        "name",
        "street",
        "city",
        "postal_code",
        "country",
    )

    customer_number = _customer()
    shipto_code = _text("shipto_code")
    name = _text("name")
    street = _text("street")
    city = _text("city")
    postal_code = _text("postal_code")
    country = _code("country")
    is_default = _bool("is_default")

    class Meta(MasterDataResource.Meta):
        model = models.ShipTo
        import_id_fields = ("customer_number", "shipto_code")
        fields = (
            "customer_number",
            "shipto_code",
            "name",
            "street",
            "city",
            "postal_code",
            "country",
            "is_default",
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._file_default: dict[int, tuple[str, int]] = {}

    def validate_row(self, instance, row):
        if not instance.is_default or instance.customer_id is None:
            return None
        line = self._seen_keys[self.key_of(instance)]
        code, first = self._file_default.setdefault(
            instance.customer_id, (instance.shipto_code, line)
        )
        if code != instance.shipto_code:
            return {"is_default": [f"line {first} already makes {code} the default"]}
        return None

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return
        # A customer has one default ship-to: the file's new default replaces
        # the old one. Saved one by one so history names the import.
        for customer_id, (code, _line) in self._file_default.items():
            stale = models.ShipTo.objects.filter(customer_id=customer_id, is_default=True)
            for shipto in stale.exclude(shipto_code=code):
                shipto.is_default = False
                shipto._history_user = self._actor
                shipto._change_reason = self._reason
                shipto.save(update_fields=["is_default"])


class ProductResource(MasterDataResource):
    kind = "products"
    required = ("sku", "description", "base_uom")

    sku = _text("sku")
    description = _text("description")
    product_family = _text("product_family")
    base_uom = _code("base_uom")
    uoms = ChildListField(
        "uoms",
        ChildRows(
            models.ProductUnit,
            "product",
            "uom",
            value="factor",
            parse_item=_checked(validate_uom_code, str.upper),
        ),
    )
    status = _choice("status", models.ProductStatus)
    configurable = _bool("configurable")
    restricted_countries = ChildListField(
        "restricted_countries",
        ChildRows(
            models.ProductRestriction,
            "product",
            "country",
            parse_item=_checked(validate_country_code, str.upper),
        ),
    )
    min_order_qty = _decimal("min_order_qty")
    lead_time_days = fields.Field(
        attribute="lead_time_days", column_name="lead_time_days", widget=IntegerWidget(), default=0
    )
    gtin = _text("gtin")

    class Meta(MasterDataResource.Meta):
        model = models.Product
        import_id_fields = ("sku",)
        fields = (
            "sku",
            "description",
            "product_family",
            "base_uom",
            "uoms",
            "status",
            "configurable",
            "restricted_countries",
            "min_order_qty",
            "lead_time_days",
            "gtin",
        )

    def validate_row(self, instance, row):
        units = dict(instance.__dict__.get("_pending_children", {}).get("uoms", ()))
        base = units.get(instance.base_uom)
        if base is not None and base != 1:
            return {"uoms": [f"the base unit {instance.base_uom} must have factor 1"]}
        if instance.gtin and not (
            instance.gtin.isdigit() and len(instance.gtin) in (8, 12, 13, 14)
        ):
            return {"gtin": [f"{instance.gtin!r} is not a GTIN (8, 12, 13 or 14 digits)"]}
        return None


class CustomerPartResource(MasterDataResource):
    kind = "customer_parts"
    required = ("customer_number", "customer_part_number", "sku")

    customer_number = _customer()
    customer_part_number = _text("customer_part_number")
    sku = _product()

    class Meta(MasterDataResource.Meta):
        model = models.CustomerPart
        import_id_fields = ("customer_number", "customer_part_number")
        fields = ("customer_number", "customer_part_number", "sku")


class PriceResource(MasterDataResource):
    kind = "prices"
    required = ("customer_number", "sku", "unit_price", "currency")

    customer_number = _customer()
    sku = _product()
    unit_price = _decimal("unit_price")
    currency = _code("currency")
    valid_from = _date("valid_from")
    valid_to = _date("valid_to")

    class Meta(MasterDataResource.Meta):
        model = models.Price
        import_id_fields = ("customer_number", "sku", "valid_from")
        fields = ("customer_number", "sku", "unit_price", "currency", "valid_from", "valid_to")

    def validate_row(self, instance, row):
        if instance.valid_from and instance.valid_to and instance.valid_to < instance.valid_from:
            return {"valid_to": ["valid_to is before valid_from"]}
        return None


class InventoryResource(MasterDataResource):
    kind = "inventory"
    required = ("sku", "warehouse", "on_hand")

    sku = _product()
    warehouse = _text("warehouse")
    on_hand = _decimal("on_hand")
    next_receipt_date = _date("next_receipt_date")
    next_receipt_qty = _decimal("next_receipt_qty")

    class Meta(MasterDataResource.Meta):
        model = models.Inventory
        import_id_fields = ("sku", "warehouse")
        fields = ("sku", "warehouse", "on_hand", "next_receipt_date", "next_receipt_qty")

    def validate_row(self, instance, row):
        if (instance.next_receipt_qty is None) != (instance.next_receipt_date is None):
            return {"next_receipt_qty": ["next_receipt_date and next_receipt_qty go together"]}
        return None


class CreditResource(MasterDataResource):
    kind = "credit"
    required = ("customer_number", "credit_limit")

    customer_number = _customer()
    credit_limit = _decimal("credit_limit")
    open_exposure = _decimal("open_exposure", default=0)
    on_hold = _bool("on_hold")

    class Meta(MasterDataResource.Meta):
        model = models.Credit
        import_id_fields = ("customer_number",)
        fields = ("customer_number", "credit_limit", "open_exposure", "on_hold")


class OrderHistoryResource(MasterDataResource):
    kind = "order_history"
    required = ("customer_number", "po_number", "order_date", "sku", "quantity")

    customer_number = _customer()
    po_number = _text("po_number")
    order_date = _date("order_date")
    sku = _product()
    quantity = _decimal("quantity")
    shipto_code = _text("shipto_code")
    unit_price = _decimal("unit_price")

    class Meta(MasterDataResource.Meta):
        model = models.OrderHistoryLine
        import_id_fields = ("customer_number", "po_number", "sku")
        fields = (
            "customer_number",
            "po_number",
            "order_date",
            "sku",
            "quantity",
            "shipto_code",
            "unit_price",
        )


class DeniedPartyResource(MasterDataResource):
    kind = "denied_parties"
    required = ("name", "country")

    name = _text("name")
    street = _text("street")
    city = _text("city")
    country = _code("country")

    class Meta(MasterDataResource.Meta):
        model = models.DeniedParty
        import_id_fields = ("name", "country")
        fields = ("name", "street", "city", "country")


#: CONTRACT §1 kinds, in an order that satisfies their references.
RESOURCES: dict[str, type[MasterDataResource]] = {
    resource.kind: resource
    for resource in (
        CustomerResource,
        ContactResource,
        SalesRepResource,
        ShipToResource,
        ProductResource,
        CustomerPartResource,
        PriceResource,
        InventoryResource,
        CreditResource,
        OrderHistoryResource,
        DeniedPartyResource,
    )
}
