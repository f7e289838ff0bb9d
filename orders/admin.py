"""Admin screens for master data, built to stay usable at 100k rows.

Every changelist selects its foreign keys in the same query
(``list_select_related``), skips the full ``COUNT(*)``
(``show_full_result_count``), searches indexed key columns and picks related
rows by autocomplete instead of rendering 100k ``<option>``s.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from orders import models, resources
from orders.errors import ConfirmationTemplateError, MasterDataImportError
from orders.importing import MasterDataCSV
from orders.services.confirmation import (
    SAMPLE_CONTEXT,
    confirmation_template_approve,
    confirmation_template_check,
    confirmation_template_save,
)
from orders.services.masterdata import import_job_create


class ReasonForm(forms.ModelForm):
    """Every manual change to master data says why; history keeps the reason."""

    change_reason = forms.CharField(
        max_length=100,
        label="Reason for this change",
        help_text="Recorded in the history of this row.",
    )


class MasterDataAdmin(ImportExportMixin, SimpleHistoryAdmin):
    form = ReasonForm
    import_formats = [MasterDataCSV]
    export_formats = [MasterDataCSV]
    show_full_result_count = False
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason", "")
        super().save_model(request, obj, form, change)
        _reevaluate_open_cases(obj, f"{obj._meta.verbose_name} {obj} changed in the admin")

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get("change_reason", "")
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        for obj in formset.deleted_objects if hasattr(formset, "deleted_objects") else []:
            obj._change_reason = reason
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        obj._change_reason = "deleted in the admin"
        super().delete_model(request, obj)
        _reevaluate_open_cases(obj, f"{obj._meta.verbose_name} {obj} deleted in the admin")

    def get_import_resource_kwargs(self, request, **kwargs):
        return {}

    def import_action(self, request, **kwargs):
        upload = request.FILES.get("import_file")
        if request.method == "POST" and upload and self.has_import_permission(request):
            rows = sum(chunk.count(b"\n") for chunk in upload.chunks())
            upload.seek(0)
            if rows > settings.ORDERDESK_ADMIN_SYNC_IMPORT_ROWS:
                return self._import_in_background(request, upload, rows)
        return super().import_action(request, **kwargs)

    def _import_in_background(self, request, upload, rows):
        kind = self.resource_classes[0].kind
        try:
            job = import_job_create(
                kind=kind,
                upload=upload,
                dry_run=False,
                actor=request.user,
                reason=f"admin import of {upload.name}",
            )
        except MasterDataImportError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            f"{upload.name} has about {rows} rows: it is being imported in the background "
            "(all rows or none). This page shows the outcome.",
            messages.INFO,
        )
        return HttpResponseRedirect(reverse("admin:orders_importjob_change", args=[job.pk]))


def _reevaluate_open_cases(obj, reason: str) -> None:
    from exceptions.services import masterdata_changed

    masterdata_changed(kind=obj._meta.model_name, reason=reason)


class CustomerEmailDomainInline(admin.TabularInline):
    model = models.CustomerEmailDomain
    extra = 0


class CustomerAliasInline(admin.TabularInline):
    model = models.CustomerAlias
    extra = 0


@admin.register(models.Customer)
class CustomerAdmin(MasterDataAdmin):
    resource_classes = [resources.CustomerResource]
    list_display = ["customer_number", "name", "customer_group", "country", "currency", "status"]
    list_filter = ["status", "customer_group", "country", "currency"]
    search_fields = ["customer_number", "name", "aliases__alias", "email_domains__domain"]
    inlines = [CustomerEmailDomainInline, CustomerAliasInline]


@admin.register(models.Contact)
class ContactAdmin(MasterDataAdmin):
    resource_classes = [resources.ContactResource]
    list_display = ["email", "name", "customer"]
    list_select_related = ["customer"]
    search_fields = ["email", "name", "customer__customer_number"]
    autocomplete_fields = ["customer"]


@admin.register(models.SalesRep)
class SalesRepAdmin(MasterDataAdmin):
    resource_classes = [resources.SalesRepResource]
    list_display = ["email", "name"]
    search_fields = ["email", "name"]


@admin.register(models.ShipTo)
class ShipToAdmin(MasterDataAdmin):
    resource_classes = [resources.ShipToResource]
    list_display = [
        "shipto_code",
        "customer",
        "name",
        "street",
        "postal_code",
        "city",
        "country",
        "is_default",
    ]
    list_select_related = ["customer"]
    list_filter = ["is_default", "country"]
    search_fields = ["shipto_code", "customer__customer_number", "name", "postal_code", "city"]
    autocomplete_fields = ["customer"]


class ProductUnitInline(admin.TabularInline):
    model = models.ProductUnit
    extra = 0


class ProductRestrictionInline(admin.TabularInline):
    model = models.ProductRestriction
    extra = 0


@admin.register(models.Product)
class ProductAdmin(MasterDataAdmin):
    resource_classes = [resources.ProductResource]
    list_display = [
        "sku",
        "description",
        "product_family",
        "base_uom",
        "status",
        "configurable",
        "lead_time_days",
    ]
    list_filter = ["status", "configurable", "product_family"]
    search_fields = ["sku", "description", "gtin"]
    inlines = [ProductUnitInline, ProductRestrictionInline]


@admin.register(models.ProductUnit)
class ProductUnitAdmin(MasterDataAdmin):
    list_display = ["product", "uom", "factor"]
    list_select_related = ["product"]
    search_fields = ["product__sku", "uom"]
    autocomplete_fields = ["product"]

    def has_import_permission(self, request):
        return False  # imported as the products file's uoms column


@admin.register(models.UnitAlias)
class UnitAliasAdmin(MasterDataAdmin):
    list_display = ["alias", "uom", "customer"]
    list_select_related = ["customer"]
    search_fields = ["alias", "uom", "customer__customer_number"]
    autocomplete_fields = ["customer"]

    def has_import_permission(self, request):
        return False  # added from the exception inbox or here, one at a time


@admin.register(models.ProductRestriction)
class ProductRestrictionAdmin(MasterDataAdmin):
    list_display = ["product", "country"]
    list_select_related = ["product"]
    list_filter = ["country"]
    search_fields = ["product__sku", "country"]
    autocomplete_fields = ["product"]

    def has_import_permission(self, request):
        return False  # imported as the products file's restricted_countries column


@admin.register(models.CustomerPart)
class CustomerPartAdmin(MasterDataAdmin):
    resource_classes = [resources.CustomerPartResource]
    list_display = ["customer_part_number", "customer", "product"]
    list_select_related = ["customer", "product"]
    search_fields = ["customer_part_number", "customer__customer_number", "product__sku"]
    autocomplete_fields = ["customer", "product"]


@admin.register(models.Price)
class PriceAdmin(MasterDataAdmin):
    resource_classes = [resources.PriceResource]
    list_display = ["customer", "product", "unit_price", "currency", "valid_from", "valid_to"]
    list_select_related = ["customer", "product"]
    list_filter = ["currency"]
    search_fields = ["customer__customer_number", "product__sku"]
    autocomplete_fields = ["customer", "product"]


@admin.register(models.Inventory)
class InventoryAdmin(MasterDataAdmin):
    resource_classes = [resources.InventoryResource]
    list_display = [
        "product",
        "warehouse",
        "on_hand",
        "allocated",
        "next_receipt_date",
        "next_receipt_qty",
    ]
    list_select_related = ["product"]
    list_filter = ["warehouse"]
    search_fields = ["product__sku", "warehouse"]
    autocomplete_fields = ["product"]
    readonly_fields = ["allocated"]


@admin.register(models.Credit)
class CreditAdmin(MasterDataAdmin):
    resource_classes = [resources.CreditResource]
    list_display = ["customer", "credit_limit", "open_exposure", "on_hold"]
    list_select_related = ["customer"]
    list_filter = ["on_hold"]
    search_fields = ["customer__customer_number", "customer__name"]
    autocomplete_fields = ["customer"]


@admin.register(models.OrderHistoryLine)
class OrderHistoryLineAdmin(MasterDataAdmin):
    resource_classes = [resources.OrderHistoryResource]
    list_display = ["po_number", "order_date", "customer", "product", "quantity", "unit_price"]
    list_select_related = ["customer", "product"]
    search_fields = ["po_number", "customer__customer_number", "product__sku"]
    autocomplete_fields = ["customer", "product"]
    date_hierarchy = "order_date"


@admin.register(models.DeniedParty)
class DeniedPartyAdmin(MasterDataAdmin):
    resource_classes = [resources.DeniedPartyResource]
    list_display = ["name", "street", "city", "country"]
    list_filter = ["country"]
    search_fields = ["name", "city"]


class ImportJobForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in resources.RESOURCES])
    file = forms.FileField()

    class Meta:
        model = models.ImportJob
        fields = ["kind", "file", "dry_run", "reason"]


@admin.register(models.ImportJob)
class ImportJobAdmin(SimpleHistoryAdmin):
    form = ImportJobForm
    list_display = ["created_at", "kind", "original_name", "status", "counts", "created_by"]
    list_select_related = ["created_by"]
    list_filter = ["status", "kind"]
    show_full_result_count = False
    readonly_fields = [
        "kind",
        "original_name",
        "dry_run",
        "reason",
        "status",
        "created_by",
        "created_at",
        "finished_at",
        "counts",
        "errors",
        "attempts",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["kind", "file", "dry_run", "reason"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The job is created by the service (stores the file, queues the task
        # after commit); the admin only collects the inputs.
        obj.pk = import_job_create(
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        ).pk


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Intake records are written by services only; the admin shows them."""

    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderInline(admin.TabularInline):
    model = models.Order
    fields = ["position", "source", "po_number", "status", "customer"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.InboundDocument)
class InboundDocumentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "received_at", "source", "channel", "sender", "status", "size"]
    list_filter = ["status", "channel"]
    search_fields = ["source", "sender", "sha256", "message_id"]
    date_hierarchy = "received_at"
    exclude = ["raw"]
    inlines = [OrderInline]


class OrderLineInline(admin.TabularInline):
    model = models.OrderLine
    fields = ["position", "product", "sku", "customer_part_number", "description", "quantity",
              "uom", "resolved_uom", "base_quantity", "unit_price"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["pk", "po_number", "customer", "status", "kind", "format", "source", "created_at"]
    list_select_related = ["customer"]
    list_filter = ["status", "kind", "format"]
    search_fields = ["po_number", "customer__customer_number", "source"]
    date_hierarchy = "created_at"
    exclude = ["draft"]
    inlines = [OrderLineInline]


class ConfirmationTemplateForm(forms.ModelForm):
    change_reason = forms.CharField(max_length=100, label="Reason for this change")

    class Meta:
        model = models.ConfirmationTemplate
        fields = ["name", "subject", "body"]
        help_texts = {"body": "Django template language. Available: "
                              + ", ".join(f"{{{{ {name} }}}}" for name in SAMPLE_CONTEXT)
                              + "; each line has sku, description, quantity, uom, base_quantity, "
                                "unit_price; shipto has name, street, postal_code, city, country."}

    def clean(self):
        data = super().clean()
        if data.get("subject") and data.get("body"):
            try:
                confirmation_template_check(subject=data["subject"], body=data["body"])
            except ConfirmationTemplateError as exc:
                raise forms.ValidationError(str(exc)) from None
        return data


@admin.register(models.ConfirmationTemplate)
class ConfirmationTemplateAdmin(SimpleHistoryAdmin):
    """Order desk managers write drafts; another manager approves one into use."""

    form = ConfirmationTemplateForm
    list_display = ["name", "state", "author", "approved_by", "approved_at", "created_at"]
    list_filter = ["state"]
    list_select_related = ["author", "approved_by"]
    show_full_result_count = False
    readonly_fields = ["state", "author", "approved_by", "approved_at", "preview"]
    actions = ["approve"]

    def has_change_permission(self, request, obj=None):
        editable = obj is None or obj.state == models.ConfirmationTemplate.State.DRAFT
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        confirmation_template_save(template=obj, actor=request.user,
                                   reason=form.cleaned_data["change_reason"])

    @admin.display(description="Preview with a sample order")
    def preview(self, obj):
        try:
            body = confirmation_template_check(subject=obj.subject, body=obj.body)
        except ConfirmationTemplateError as exc:
            body = str(exc)
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", body)

    @admin.action(description="Approve: use the selected draft for confirmations (four eyes)")
    def approve(self, request, queryset):
        for template in queryset:
            try:
                confirmation_template_approve(template_id=template.pk, actor=request.user)
                self.message_user(request, f"{template.name} is now used for confirmations.",
                                  messages.SUCCESS)
            except ConfirmationTemplateError as exc:
                self.message_user(request, f"{template.name}: {exc}", messages.ERROR)
