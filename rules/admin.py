"""Admin screens for the rule owners (Customer service, Finance, Compliance).

Rules are never edited in place: an owner proposes a RuleChange (with a
reason); a change that narrows the boundary applies at once, one that widens
it waits for a second person of the owner group. Every applied change is a
new rule-set version.
"""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from orders.admin import ReadOnlyAdmin
from rules.causes import OWNERS
from rules.errors import RuleError
from rules.models import (
    AutonomySetting,
    AutonomySuggestion,
    Decision,
    Rule,
    RuleChange,
    RuleSetVersion,
)
from rules.rulebook import PARAMETERS, REQUIRED
from rules.services import (
    rule_change_approve,
    rule_change_reject,
    rule_change_submit,
    rule_change_validate,
)


@admin.register(AutonomySetting)
class AutonomySettingAdmin(SimpleHistoryAdmin):
    list_display = ["segment", "level", "updated_at"]
    list_filter = ["level", "channel"]
    search_fields = ["customer_number", "customer_group", "product_family"]
    show_full_result_count = False

    @admin.display(description="Segment")
    def segment(self, obj):
        return obj.segment_label()


def _param_field_name(code: str, name: str) -> str:
    return f"param__{code}__{name}"


class RuleChangeForm(forms.ModelForm):
    """A proposal: the rule's scope, on/off, and the parameters of its check."""

    class Meta:
        model = RuleChange
        fields = ["code", "customer_number", "customer_group", "product_family", "channel",
                  "action", "enabled", "reason"]
        help_texts = {"reason": "Why: recorded in the rule's history and shown to the reviewer."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for code, params in PARAMETERS.items():
            for param in params:
                self.fields[_param_field_name(code, param.name)] = forms.DecimalField(
                    required=False, label=f"{code}: {param.label}",
                    help_text=f"default {param.default}, {param.minimum}–{param.maximum}; "
                              "empty keeps the value in force")

    def clean(self):
        data = super().clean()
        code = data.get("code")
        if code:
            others = [name for name in data if name.startswith("param__")
                      and not name.startswith(f"param__{code}__") and data.get(name) is not None]
            if others:
                raise forms.ValidationError(f"only {code}'s parameters apply to a {code} rule")
        return data

    def _post_clean(self):
        super()._post_clean()
        code = self.cleaned_data.get("code")
        if not code or self.errors:
            return
        self.instance.parameters = {
            param.name: self.cleaned_data[_param_field_name(code, param.name)]
            for param in PARAMETERS.get(code, [])
            if self.cleaned_data.get(_param_field_name(code, param.name)) is not None}
        try:
            rule_change_validate(change=self.instance, actor=self.user)
        except RuleError as exc:
            self.add_error(None, str(exc))


@admin.register(RuleChange)
class RuleChangeAdmin(SimpleHistoryAdmin):
    form = RuleChangeForm
    list_display = ["code", "scope_label", "summary", "widens", "state", "author", "reviewer",
                    "created_at"]
    list_filter = ["state", "widens", "code"]
    search_fields = ["code", "customer_number", "customer_group", "product_family", "reason"]
    list_select_related = ["author", "reviewer"]
    show_full_result_count = False
    actions = ["approve", "reject"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class WithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return WithUser

    def get_changeform_initial_data(self, request):
        # "Propose a change" links from a rule carry its code and scope.
        return {key: request.GET[key] for key in ("code", "customer_number", "customer_group",
                                                   "product_family", "channel") if key in request.GET}

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in RuleChange._meta.fields]

    def save_model(self, request, obj, form, change):
        rule_change_submit(change=obj, actor=request.user)
        if obj.state == RuleChange.State.PENDING:
            messages.warning(request, f"{obj.summary}: this widens the boundary, so a second "
                             f"person of {obj.owner} must approve it before it applies.")
        else:
            messages.success(request, f"{obj.summary}: applied as rule set "
                             f"v{obj.version.number}.")

    @admin.display(description="Scope")
    def scope_label(self, obj):
        return obj.scope.label()

    @admin.action(description="Approve the selected changes (four eyes)")
    def approve(self, request, queryset):
        self._review(request, queryset, rule_change_approve, "approved")

    @admin.action(description="Reject the selected changes")
    def reject(self, request, queryset):
        self._review(request, queryset, rule_change_reject, "rejected")

    def _review(self, request, queryset, service, verb):
        done, refused = 0, []
        for change in queryset:
            try:
                service(change_id=change.pk, actor=request.user)
                done += 1
            except RuleError as exc:
                refused.append(f"{change}: {exc}")
        if done:
            self.message_user(request, f"{done} change(s) {verb}.", messages.SUCCESS)
        for text in refused:
            self.message_user(request, text, messages.ERROR)


@admin.register(Rule)
class RuleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "owner", "scope_label", "enabled", "parameter_values", "updated_at",
                    "propose"]
    list_filter = ["enabled", "code"]
    search_fields = ["code", "customer_number", "customer_group", "product_family"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # rules change through a proposed RuleChange

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Owner")
    def owner(self, obj):
        return OWNERS[obj.code]

    @admin.display(description="Scope")
    def scope_label(self, obj):
        return obj.scope.label()

    @admin.display(description="Parameters")
    def parameter_values(self, obj):
        values = obj.values()
        text = ", ".join(f"{p.label} {values.param(p.name)}" for p in PARAMETERS.get(obj.code, []))
        return text + (" (required)" if obj.code in REQUIRED else "")

    @admin.display(description="")
    def propose(self, obj):
        url = reverse("admin:rules_rulechange_add")
        query = "&".join(f"{key}={value}" for key, value in (
            ("code", obj.code), ("customer_number", obj.customer_number),
            ("customer_group", obj.customer_group), ("product_family", obj.product_family),
            ("channel", obj.channel)) if value)
        return format_html('<a href="{}?{}">Propose a change</a>', url, query)


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "change", "created_at"]
    list_select_related = ["change"]
    readonly_fields = ["number", "snapshot", "change", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["order", "outcome", "autonomy_level", "rule_set_version", "order_value",
                    "created_at"]
    list_filter = ["outcome", "autonomy_level", "rule_set_version"]
    search_fields = ["order__po_number", "order__customer__customer_number"]
    list_select_related = ["order"]
    show_full_result_count = False
    readonly_fields = ["order", "outcome", "autonomy_level", "rule_set_version", "checks",
                       "causes", "order_value", "promised_date", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AutonomySuggestion)
class AutonomySuggestionAdmin(ReadOnlyAdmin):
    """Suggestions are measured by the task and decided on the Boundary page."""

    list_display = ["customer_group", "current_level", "suggested_level", "orders",
                    "first_time_right", "state", "decided_by", "updated_at"]
    list_filter = ["state", "suggested_level"]
    readonly_fields = ["customer_group", "current_level", "suggested_level", "orders",
                       "first_time_right", "evidence", "state", "decided_by", "decided_at",
                       "note", "created_at", "updated_at"]
