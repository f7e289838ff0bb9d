"""Pages for the people who govern the boundary."""

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from orders.roles import ORDER_DESK_MANAGER
from rules.backtest import backtest_run
from rules.errors import RuleError
from rules.forms import BacktestForm
from rules.models import AutonomySuggestion
from rules.rulebook import PARAMETERS
from rules.selectors import autonomy_overview, owner_overview
from rules.suggestions import (
    DEMOTE_BELOW,
    MIN_ORDERS,
    PROMOTE_AT,
    WINDOW_DAYS,
    segment_rates,
    suggestion_approve,
    suggestion_dismiss,
)


@staff_member_required
def autonomy_page(request):
    return render(request, "rules/autonomy.html", {
        **admin.site.each_context(request), "rows": autonomy_overview(),
        "title": "What runs without a person today",
        "rates": segment_rates(), "days": WINDOW_DAYS,
        "suggestions": AutonomySuggestion.objects.filter(
            state=AutonomySuggestion.State.PENDING).order_by("customer_group"),
        "decided": AutonomySuggestion.objects.exclude(
            state=AutonomySuggestion.State.PENDING).select_related("decided_by")[:10],
        "may_decide": request.user.has_perm("rules.change_autonomysetting"),
        "thresholds": {"min": MIN_ORDERS, "promote": PROMOTE_AT, "demote": DEMOTE_BELOW},
    })


@staff_member_required
@require_POST
def suggestion_decide(request, pk: int):
    """Approve or dismiss one autonomy suggestion (the service checks who may)."""
    note = request.POST.get("note", "").strip()[:200]
    try:
        if request.POST.get("decision") == "approve":
            suggestion = suggestion_approve(suggestion_id=pk, actor=request.user, note=note)
            messages.success(request, f"Applied: {suggestion.customer_group} is now "
                                      f"{suggestion.suggested_level}.")
        else:
            suggestion_dismiss(suggestion_id=pk, actor=request.user, note=note)
            messages.success(request, "Dismissed; the level stays as it is.")
    except RuleError as exc:
        messages.error(request, str(exc))
    return redirect("autonomy")


@staff_member_required
def owner_page(request):
    """The rule owners' desk: their rules, pending approvals, and what their
    rules sent to people."""
    groups = set(request.user.groups.values_list("name", flat=True))
    sections = owner_overview(groups=groups, everything=request.user.is_superuser
                              or ORDER_DESK_MANAGER in groups)
    for section in sections:
        section["rules"] = [(rule, _parameters(rule)) for rule in section["rules"]]
    return render(request, "rules/owners.html", {**admin.site.each_context(request),
                                                 "sections": sections,
                                                 "title": "Your rules and what they stopped"})


def _parameters(rule) -> str:
    values = rule.values()
    return ", ".join(f"{p.label} {values.param(p.name)}" for p in PARAMETERS.get(rule.code, []))


@staff_member_required
def backtest_page(request):
    """A draft rule set judged over the orders of the past, beside the rules in
    force (or another version). The form is sent by GET: a report is a link."""
    form = BacktestForm(request.GET if "run" in request.GET else None)
    report = None
    if form.is_bound and form.is_valid():
        report = backtest_run(book=form.draft, baseline=form.baseline,
                              since=form.cleaned_data["since"], until=form.cleaned_data["until"])
    return render(request, "rules/backtest.html", {"form": form, "report": report,
                                                   "title": "Backtest a draft rule set"})
