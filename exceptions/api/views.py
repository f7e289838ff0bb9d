"""The case lifecycle over REST (CONTRACT §6's actions): list and read cases,
and correct, release or reject one. Each action is the service the browser
and the ``case`` command call, checked the same way; a refusal is
``{"detail": "..."}`` and nothing was changed."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from rest_framework import permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from exceptions.corrections import correction_from_json
from exceptions.errors import CaseNotFound, CasePermissionDenied, CaseTransitionError
from exceptions.models import Case
from exceptions.selectors import case_record, cases_listed
from exceptions.services import case_correct, case_reject, case_release, case_reply_draft
from orders import roles
from orders.api.authentication import ThrottledTokenAuthentication
from orders.errors import CaseActionError

PAGE_SIZE, MAX_PAGE_SIZE = 100, 1000
STATUSES = {"open": True, "all": False}


class WorksCases(permissions.BasePermission):
    """The inbox's groups (or a superuser): who may see and act on cases."""

    message = "Cases are for the order desk's groups."

    def has_permission(self, request, view):
        user = request.user
        return user.is_superuser or user.groups.filter(name__in=roles.DESK_ROLES).exists()


class CaseAPIView(APIView):
    authentication_classes = [ThrottledTokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, WorksCases]


class CaseListView(CaseAPIView):
    """GET: one CONTRACT §6 record per case; ``status`` open (default: not yet
    resolved, open or taken) or all; ``limit`` and ``offset`` page through."""

    def get(self, request):
        wanted = request.query_params.get("status", "open")
        if wanted not in STATUSES:
            return _refused(f"status must be one of {', '.join(STATUSES)}",
                            status.HTTP_400_BAD_REQUEST)
        try:
            limit = min(int(request.query_params.get("limit", PAGE_SIZE)), MAX_PAGE_SIZE)
            offset = max(int(request.query_params.get("offset", 0)), 0)
        except ValueError:
            return _refused("limit and offset are whole numbers", status.HTTP_400_BAD_REQUEST)
        # One row more than the page says whether there is a next one, without a count.
        cases = list(cases_listed(open_only=STATUSES[wanted])[offset:offset + max(limit, 1) + 1])
        page = cases[:max(limit, 1)]
        following = None
        if len(cases) > len(page):
            following = request.build_absolute_uri(
                f"{reverse('cases-api:case-list')}?status={wanted}&limit={limit}"
                f"&offset={offset + len(page)}")
        return Response({"results": [case_record(case) for case in page], "next": following})


class CaseDetailView(CaseAPIView):
    """GET: the case's record with its events, oldest first."""

    def get(self, request, pk: int):
        return Response(case_detail(_case(pk)))


class CaseActionView(CaseAPIView):
    """POST correct | release | reject. Every body holds ``reason``; correct
    also the order JSON fields to set (CONTRACT §3, §6), reject optionally
    ``reply`` (sent to the customer)."""

    def post(self, request, pk: int, action: str):
        handler = {"correct": _correct, "release": _release, "reject": _reject}.get(action)
        if handler is None:
            return _refused(f"no action {action!r}: correct, release or reject",
                            status.HTTP_404_NOT_FOUND)
        body = request.data if isinstance(request.data, dict) else None
        if body is None:
            return _refused("send a JSON object", status.HTTP_400_BAD_REQUEST)
        case = _case(pk)
        try:
            handler(case, request.user, dict(body))
        except CaseActionError as exc:
            return _refused(str(exc), _status_of(exc))
        return Response(case_detail(Case.objects.select_related("order__customer").get(pk=pk)))


def _correct(case: Case, user, body: dict) -> None:
    reason = str(body.pop("reason", "") or "")
    case_correct(case_id=case.pk, actor=user, reason=reason,
                 correction=correction_from_json(body))


def _release(case: Case, user, body: dict) -> None:
    case_release(case_id=case.pk, actor=user, reason=str(body.get("reason") or ""))


def _reject(case: Case, user, body: dict) -> None:
    reason, reply = str(body.get("reason") or ""), str(body.get("reply") or "").strip()
    subject = case_reply_draft(order=case.order, reason=reason)[0] if reply else ""
    case_reject(case_id=case.pk, actor=user, reason=reason, reply_subject=subject,
                reply_body=reply)


def case_detail(case: Case) -> dict:
    return {**case_record(case), "resolution": case.resolution,
            "events": [{"kind": event.kind, "actor": event.actor.username if event.actor else "",
                        "at": event.at.isoformat(), "status": event.status,
                        "reason": event.reason, "changes": event.changes}
                       for event in case.events.select_related("actor").order_by("at", "pk")]}


def _case(pk: int) -> Case:
    return get_object_or_404(Case.objects.select_related("order__customer"), pk=pk)


def _status_of(exc: CaseActionError) -> int:
    if isinstance(exc, CasePermissionDenied):
        return status.HTTP_403_FORBIDDEN
    if isinstance(exc, CaseNotFound):
        return status.HTTP_404_NOT_FOUND
    if isinstance(exc, CaseTransitionError):
        return status.HTTP_409_CONFLICT
    return status.HTTP_400_BAD_REQUEST


def _refused(detail: str, code: int) -> Response:
    return Response({"detail": " ".join(detail.split())}, status=code)
