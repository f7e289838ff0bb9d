"""The exception inbox: queues, one case beside its document, and the
actions a person takes on it. Views check who may do what, call one
service and redirect; the services check again (tests drive them directly)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from exceptions import forms
from exceptions.documents import order_pdf, order_source, pdf_page_png, read_order
from exceptions.fixes import FIXES, case_fix, fixes_for
from exceptions.models import Case
from exceptions.selectors import (
    QueueQuery,
    case_age,
    queue_cases,
    queue_counts,
    queue_total,
    user_groups,
)
from exceptions.services import (
    case_correct,
    case_reject,
    case_release,
    case_reply_draft,
    case_return,
    case_take,
)
from integrations.parsers.draft import ParseError
from orders import roles
from orders.errors import CaseActionError
from orders.services.execution import OVERRIDABLE
from rules.causes import OWNERS, Cause

PAGE_SIZE = 50
ROLES = roles.DESK_ROLES


def desk_member(view):
    """Logged in, and in one of the desk's groups (or a superuser)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        request.desk_groups = user_groups(request.user)
        if not (request.user.is_superuser or request.desk_groups & ROLES):
            raise PermissionDenied("the inbox is for the order desk's groups")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@desk_member
def inbox(request):
    query = QueueQuery.from_params(request.GET)
    counts = queue_counts(user=request.user, groups=request.desk_groups)
    cases = queue_cases(query, user=request.user, groups=request.desk_groups)
    total = queue_total(query, cases, counts)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(_int(request.GET.get("page"), 1), 1), pages)
    rows = list(cases[(page - 1) * PAGE_SIZE:page * PAGE_SIZE])
    for case in rows:
        case.age = case_age(case.opened_at)
    return render(request, "exceptions/inbox.html", {
        "query": query, "counts": counts, "rows": rows, "total": total, "page": page,
        "pages": pages, "first": (page - 1) * PAGE_SIZE + 1 if rows else 0,
        "last": (page - 1) * PAGE_SIZE + len(rows),
        "prev_url": _queue_url(query, page=page - 1) if page > 1 else "",
        "next_url": _queue_url(query, page=page + 1) if page < pages else "",
        "queue_url": _queue_url(query, page=page),
        "links": _links(query), "sla_hours": settings.CASE_SLA_HOURS,
        "title": "Exception inbox"})


def _links(query: QueueQuery) -> dict:
    base = QueueQuery(sort=query.sort)
    return {
        "mine": _queue_url(base), "all": _queue_url(QueueQuery(queue="all", sort=query.sort)),
        "taken": _queue_url(QueueQuery(queue="taken", sort=query.sort)),
        "oldest": _queue_url(query, sort="oldest"), "value": _queue_url(query, sort="value"),
        "cause": lambda code: _queue_url(QueueQuery(queue="all", cause=code, sort=query.sort)),
    }


def _queue_url(query: QueueQuery, **changes) -> str:
    params = query.params(**changes)
    if params.get("page") == "1":
        del params["page"]
    return reverse("inbox") + (f"?{urlencode(params)}" if params else "")


def _int(value, default: int) -> int:
    return int(value) if value and str(value).isdigit() else default


@desk_member
def case_detail(request, pk: int):
    case = get_object_or_404(Case.objects.select_related(
        "order__customer", "order__shipto", "order__document", "assignee"), pk=pk)
    order = case.order
    reads = read_order(order.draft or {})
    lines = list(order.lines.select_related("product").order_by("position"))
    groups, superuser = request.desk_groups, request.user.is_superuser
    codes = {cause["code"] for cause in case.causes}
    causes = [_cause_view(cause, groups, superuser) for cause in case.causes]
    blocking = [c for c in causes if not c["may_override"]]
    fixes = fixes_for(codes, groups, superuser=superuser) if case.is_open else []
    back = request.GET.get("back") or reverse("inbox")
    reply = case_reply_draft(order=order, reason="<reason>")
    return render(request, "exceptions/case.html", {
        "case": case, "order": order, "reads": reads, "lines": _line_views(lines, reads),
        "source": order_source(order, reads), "causes": causes, "blocking": blocking,
        "may_release": case.is_open and not blocking,
        "may_reject": case.is_open and (superuser or bool(groups & set(case.owners))),
        "fixes": [(fix, forms.fix_form(fix.kind, order, case)) for fix in fixes],
        "correct_form": forms.CorrectionForm.for_order(order, lines) if case.is_open else None,
        "reply_subject": reply[0], "reply_body": reply[1],
        "age": case_age(case.opened_at), "back": back if back.startswith("/") else "/inbox/",
        "history": _history(order),
        "events": _events(case),
        "title": f"Case {case.pk}: PO {order.po_number or '?'}"})


def _cause_view(cause: dict, groups: set[str], superuser: bool) -> dict:
    code = cause["code"]
    owner = cause.get("owner") or OWNERS.get(code, roles.CUSTOMER_SERVICE)
    overridable = code in OVERRIDABLE
    return {**cause, "owner": owner, "label": Cause(code).label if code in Cause.values else code,
            "overridable": overridable,
            "may_override": overridable and (superuser or owner in groups)}


def _line_views(lines, reads) -> list[dict]:
    # Positions count from 0; the draft's lines, like people, from 1.
    return [{"line": line, "number": line.position + 1,
             "reads": reads.lines.get(line.position + 1, {})} for line in lines]


def _events(case: Case) -> list:
    """The case's events, newest first, each with its changes in words."""
    events = list(case.events.select_related("actor").order_by("-at", "-pk")[:50])
    for event in events:
        event.summary = _event_summary(event.changes)
    return events


def _event_summary(changes: dict) -> list[str]:
    said = [f"{name}: {_shown(change['read'])} → {_shown(change['set'])}"
            for name, change in changes.get("fields", {}).items()]
    if "lines" in changes:
        said += [f"lines before: {_lines_shown(changes['lines']['before'])}",
                 f"lines after: {_lines_shown(changes['lines']['after'])}"]
    if changes.get("not_instructions"):
        said.append("not instructions: " + "; ".join(f"“{s}”" for s in changes["not_instructions"]))
    if "causes" in changes:
        said.append(f"causes: {', '.join(changes['causes']['before']) or 'none'} → "
                    f"{', '.join(changes['causes']['after']) or 'none'}")
    if "fix" in changes:
        said.append(f"{changes['fix']}: {changes.get('written', '')}")
    return said


def _shown(value) -> str:
    if isinstance(value, dict):
        value = ", ".join(str(v) for v in value.values() if v)
    return f"“{value}”" if value else "(empty)"


def _lines_shown(lines: list[dict]) -> str:
    return "; ".join(f"{line['sku']} × {line['quantity']} {line['uom']}" for line in lines) or "none"


def _history(order) -> list:
    """The decisions on the order, newest first: who or what decided, and why."""
    return list(order.decisions.select_related("decided_by").order_by("-pk")[:20])


@desk_member
def case_page_image(request, pk: int, page: int):
    """A PDF page of the case's document with the evidence regions marked."""
    case = get_object_or_404(Case.objects.select_related("order__document"), pk=pk)
    data = order_pdf(case.order)
    if data is None:
        raise Http404("the case's document is not a PDF")
    boxes = [read.bbox for read in read_order(case.order.draft or {}).all()
             if read.page == page and read.bbox]
    etag = hashlib.sha256(f"{case.order.document.sha256}:{page}:{boxes}".encode()).hexdigest()
    if request.headers.get("If-None-Match") == f'"{etag}"':
        return HttpResponse(status=304)
    try:
        png = pdf_page_png(data, page, boxes)
    except ParseError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(png, content_type="image/png")
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Actions ------------------------------------------------------------------------------


def _act(request, pk: int, action, success: str):
    """Run ``action``; a refusal is shown on the case page, nothing is changed."""
    try:
        result = action()
    except CaseActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success if not callable(success) else success(result))
    return redirect(_case_url(pk, request.POST.get("back", "")))


def _case_url(pk: int, back: str = "") -> str:
    url = reverse("case", args=[pk])
    return f"{url}?{urlencode({'back': back})}" if back.startswith("/") else url


@require_POST
@desk_member
def case_take_view(request, pk: int):
    return _act(request, pk, lambda: case_take(case_id=pk, actor=request.user),
                "You have the case: re-evaluation leaves it alone until you return it.")


@require_POST
@desk_member
def case_return_view(request, pk: int):
    return _act(request, pk, lambda: case_return(case_id=pk, actor=request.user),
                "Returned to the queue.")


@require_POST
@desk_member
def case_release_view(request, pk: int):
    get_object_or_404(Case, pk=pk)
    reason = request.POST.get("reason", "")
    return _act(request, pk, lambda: case_release(case_id=pk, actor=request.user, reason=reason),
                lambda order: f"Order {order.po_number} released and executed; promised "
                              f"{order.promised_date:%Y-%m-%d}.")


@require_POST
@desk_member
def case_reject_view(request, pk: int):
    form = forms.RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors_text())
        return redirect(_case_url(pk, request.POST.get("back", "")))
    data = form.cleaned_data
    body = data["reply_body"].replace("<reason>", data["reason"]) if data["send_reply"] else ""
    return _act(request, pk, lambda: case_reject(case_id=pk, actor=request.user,
                                                 reason=data["reason"],
                                                 reply_subject=data["reply_subject"],
                                                 reply_body=body),
                lambda order: f"Order {order.po_number} rejected"
                              + (f"; the reply goes to {order.sender}." if body else "."))


@require_POST
@desk_member
def case_correct_view(request, pk: int):
    case = get_object_or_404(Case.objects.select_related("order"), pk=pk)
    lines = list(case.order.lines.order_by("position"))
    form = forms.CorrectionForm.for_order(case.order, lines, data=request.POST)
    if not form.is_valid():
        messages.error(request, form.errors_text())
        return redirect(_case_url(pk, request.POST.get("back", "")))
    return _act(request, pk, lambda: case_correct(
        case_id=pk, actor=request.user, reason=form.cleaned_data["reason"],
        header=form.header_changes(), lines=form.line_changes()), _corrected)


def _corrected(result) -> str:
    if not result.causes:
        return "Corrected and re-checked: every check passes. Release it to execute."
    codes = ", ".join(sorted({cause["code"] for cause in result.causes}))
    return f"Corrected and re-checked; what remains: {codes}."


@require_POST
@desk_member
def case_fix_view(request, pk: int, kind: str):
    if kind not in FIXES:
        raise Http404("no such fix")
    case = get_object_or_404(Case.objects.select_related("order__customer"), pk=pk)
    form = forms.fix_form(kind, case.order, case, data=request.POST)
    if not form.is_valid():
        messages.error(request, form.errors_text())
        return redirect(_case_url(pk, request.POST.get("back", "")))
    data = {key: value for key, value in form.cleaned_data.items() if key != "reason"}
    return _act(request, pk, lambda: case_fix(case_id=pk, actor=request.user, kind=kind,
                                              data=data, reason=form.cleaned_data["reason"]),
                lambda report: report.summary())
