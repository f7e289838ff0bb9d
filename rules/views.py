"""Pages for the people who govern the boundary."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from rules.selectors import autonomy_overview


@staff_member_required
def autonomy_page(request):
    return render(request, "rules/autonomy.html", {"rows": autonomy_overview(),
                                                   "title": "What runs without a person today"})
