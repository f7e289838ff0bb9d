"""REST intake: the order JSON of CONTRACT §3, file uploads, and document status.

Every write stores the document first and answers 202; the workers read it.
An ``Idempotency-Key`` header makes a retried request return the first
document instead of storing a second one.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from rest_framework import permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import BaseParser, DataAndFiles, FileUploadParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.api.authentication import ThrottledTokenAuthentication
from orders.errors import DocumentTooLarge, IdempotencyKeyReused
from orders.metrics import FIGURE_KEYS, Period, dashboard
from orders.models import InboundDocument
from orders.services.intake import document_receive, document_refuse

MAX_KEY_LENGTH = 255
#: What a multipart body may carry beyond the document: boundaries and part headers.
MULTIPART_ENVELOPE = 64 * 1024


class CanSubmitDocuments(permissions.BasePermission):
    def has_permission(self, request, view):
        needed = "add" if request.method == "POST" else "view"
        return request.user.has_perm(f"orders.{needed}_inbounddocument")


class _Unread(BaseParser):
    """Stands in for every parser of a request declared too large: nothing
    reads its body (not the view, not a session's CSRF check of the form)."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return DataAndFiles({}, {})


def _declared_size(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class IntakeView(APIView):
    authentication_classes = [ThrottledTokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, CanSubmitDocuments]

    def initialize_request(self, request, *args, **kwargs):
        # Decided from Content-Length before anything reads the body: a body
        # over the accepted size is never read into memory, nor onto disk.
        drf_request = super().initialize_request(request, *args, **kwargs)
        limit = settings.ORDERDESK_MAX_DOCUMENT_BYTES
        if request.content_type.startswith("multipart/"):
            limit += MULTIPART_ENVELOPE
        self.oversize = _declared_size(request) if _declared_size(request) > limit else 0
        if self.oversize:
            drf_request.parsers = [_Unread()]
        return drf_request

    def _refuse(self, request, *, size: int, source: str):
        """413 with the reason, the refusal recorded as the document's outcome."""
        document = document_refuse(source=source, channel=InboundDocument.Channel.API, size=size,
                                   sender=request.user.email or "", submitted_by=request.user)
        return Response({"detail": document.error, "size": size,
                         "limit": settings.ORDERDESK_MAX_DOCUMENT_BYTES,
                         "document": document_status(document)},
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)

    def _receive(self, request, *, data: bytes, source: str, filename: str):
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > MAX_KEY_LENGTH:
            return Response({"detail": "Idempotency-Key is longer than 255 characters."},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            # The user's own address, or none: an API user orders as itself.
            document, created = document_receive(
                data=data, source=source, filename=filename, channel=InboundDocument.Channel.API,
                sender=request.user.email or "", idempotency_key=key, submitted_by=request.user,
            )
        except IdempotencyKeyReused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        except DocumentTooLarge:
            return self._refuse(request, size=len(data), source=source)
        body = document_status(document)
        return Response(body, status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK)


class OrderIntakeView(IntakeView):
    """POST the order JSON as the request body."""

    def post(self, request):
        if self.oversize:
            return self._refuse(request, size=self.oversize, source="api/order.json")
        if not request.content_type.startswith("application/json"):
            return Response({"detail": "Send the order JSON with Content-Type application/json."},
                            status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
        data = request.body
        if not data.strip():
            return Response({"detail": "The body is empty."}, status=status.HTTP_400_BAD_REQUEST)
        return self._receive(request, data=data, source="api/order.json", filename="order.json")


class DocumentUploadView(IntakeView):
    """POST a document (PDF, e-mail, EDI, UBL, CSV, XLSX) as multipart field `file`."""

    parser_classes = [MultiPartParser, FileUploadParser]

    def post(self, request):
        if self.oversize:
            return self._refuse(request, size=self.oversize, source="api/upload")
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"detail": "Attach the document as the multipart field 'file'."},
                            status=status.HTTP_400_BAD_REQUEST)
        name = upload.name or "upload"
        if upload.size > settings.ORDERDESK_MAX_DOCUMENT_BYTES:
            # Streamed to a temporary file by the upload handler, never read.
            return self._refuse(request, size=upload.size, source=f"api/{name}")
        return self._receive(request, data=upload.read(), source=f"api/{name}", filename=name)


class DocumentStatusView(IntakeView):
    def get(self, request, pk: int):
        return Response(document_status(get_object_or_404(InboundDocument, pk=pk)))


def document_status(document: InboundDocument) -> dict:
    return {
        "id": document.pk,
        "source": document.source,
        "status": document.status,
        "received_at": document.received_at.isoformat(),
        "orders": [
            {"po_number": order.po_number, "status": order.status,
             "causes": [cause["code"] for cause in order.causes]}
            for order in document.orders.order_by("position")
        ],
    }


class CanReadFigures(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("rules.view_decision")


class FigureListView(APIView):
    """The dashboard's figures: their keys, titles and addresses."""

    authentication_classes = [ThrottledTokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, CanReadFigures]

    def get(self, request):
        return Response([{"key": key, "url": request.build_absolute_uri(
            reverse("orders-api:figure", args=[key]))} for key in FIGURE_KEYS])


class FigureView(APIView):
    """One figure for a period (``since``/``until``, ISO dates; default the last 12 weeks)."""

    authentication_classes = [ThrottledTokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, CanReadFigures]

    def get(self, request, key: str):
        if key not in FIGURE_KEYS:
            return Response({"detail": f"No figure {key!r}."}, status=status.HTTP_404_NOT_FOUND)
        try:
            period = Period.from_params(request.query_params)
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        figure = dashboard(period)[key]
        return Response({"key": figure.key, "title": figure.title, "note": figure.note,
                         "since": period.start, "until": period.end,
                         "columns": figure.columns, "rows": figure.records()})
