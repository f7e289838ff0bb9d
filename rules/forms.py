"""Forms of the boundary's pages."""

from __future__ import annotations

from django import forms

from rules.backtest import rulebook_override, rulebook_version, scope_check
from rules.errors import RuleError
from rules.models import RuleSetVersion
from rules.rulebook import PARAMETERS, REQUIRED, RULE_CODES, Scope
from rules.services import CHANNELS


def param_field_name(code: str, name: str) -> str:
    return f"{code}__{name}"


class BacktestForm(forms.Form):
    """A draft rule set (a version, or the rules in force, with changes in one
    scope), the rule set to compare it with, and the days to judge. After
    ``is_valid()``: ``draft`` and ``baseline`` are the two rule books."""

    version = forms.ChoiceField(label="Draft starts from", required=False)
    against = forms.ChoiceField(label="Compare with", required=False)
    disable = forms.MultipleChoiceField(
        label="Switch off", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(code.value, code.value) for code in RULE_CODES if code not in REQUIRED])
    customer_number = forms.CharField(label="Customer", required=False, max_length=32)
    customer_group = forms.CharField(label="Customer group", required=False, max_length=64)
    product_family = forms.CharField(label="Product family", required=False, max_length=64)
    channel = forms.ChoiceField(label="Channel", required=False,
                                choices=[("", "any")] + [(c, c) for c in CHANNELS])
    since = forms.DateField(label="From", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Until", required=False, help_text="default: today",
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        numbers = list(RuleSetVersion.objects.order_by("-number").values_list("number", flat=True))
        versions = [("current", "the rules in force")] + [(str(n), f"rule set v{n}")
                                                          for n in numbers]
        self.fields["version"].choices = self.fields["against"].choices = versions
        for code, specs in PARAMETERS.items():
            for spec in specs:
                # Validated by params_clean, the rules' own check, not by the field.
                self.fields[param_field_name(code, spec.name)] = forms.CharField(
                    label=f"{code}: {spec.label}", required=False, max_length=20,
                    help_text=f"empty: unchanged (default {spec.default})")
        self.draft = self.baseline = None

    def sections(self) -> list[tuple[str, str, list]]:
        """(title, hint, fields) in the order the page shows them."""
        parameters = [self[param_field_name(code, spec.name)]
                      for code, specs in PARAMETERS.items() for spec in specs]
        scope = [self[name] for name in ("customer_number", "customer_group", "product_family",
                                         "channel")]
        orders = [self[name] for name in ("version", "against", "since", "until")]
        return [("Parameters", "empty: as in the rule set the draft starts from", parameters),
                ("Scope", "the changes apply to these orders only; empty: everything", scope),
                ("Orders and comparison", "", orders)]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "must not be before the first day")
        scope = Scope(*(data.get(name, "").strip() for name in (
            "customer_number", "customer_group", "product_family", "channel")))
        try:
            scope_check(scope)
        except RuleError as exc:
            self.add_error(None, str(exc))
            scope = Scope()  # the parameters are still checked, each on its field
        try:
            self.baseline = rulebook_version(data.get("against") or "current")
            draft = rulebook_version(data.get("version") or "current")
        except RuleError as exc:
            self.add_error(None, str(exc))
            return data
        self.draft = self._draft(draft, scope, data)
        return data

    def _draft(self, book, scope: Scope, data: dict):
        for code, specs in PARAMETERS.items():
            for spec in specs:
                name = param_field_name(code, spec.name)
                if data.get(name, "").strip():
                    book = self._override(book, name, code=code, scope=scope,
                                          params={spec.name: data[name]})
        for code in data.get("disable") or []:
            book = self._override(book, "disable", code=code, scope=scope, enabled=False)
        return book

    def _override(self, book, field: str, **change):
        try:
            return rulebook_override(book, **change)
        except RuleError as exc:
            self.add_error(field, str(exc))
            return book
