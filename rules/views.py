"""Pages for the people who govern the boundary."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from orders.roles import ORDER_DESK_MANAGER
from rules.rulebook import PARAMETERS
from rules.selectors import autonomy_overview, owner_overview


@staff_member_required
def autonomy_page(request):
    return render(request, "rules/autonomy.html", {"rows": autonomy_overview(),
                                                   "title": "What runs without a person today"})


@staff_member_required
def owner_page(request):
    """The rule owners' desk: their rules, pending approvals, and what their
    rules sent to people."""
    groups = set(request.user.groups.values_list("name", flat=True))
    sections = owner_overview(groups=groups, everything=request.user.is_superuser
                              or ORDER_DESK_MANAGER in groups)
    for section in sections:
        section["rules"] = [(rule, _parameters(rule)) for rule in section["rules"]]
    return render(request, "rules/owners.html", {"sections": sections,
                                                 "title": "Your rules and what they stopped"})


def _parameters(rule) -> str:
    values = rule.values()
    return ", ".join(f"{p.label} {values.param(p.name)}" for p in PARAMETERS.get(rule.code, []))
