import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from orders.models import InboundDocument
from orders.services.execution import INLINE
from orders.services.intake import document_process, document_receive, document_refuse

logger = logging.getLogger(__name__)


def expand(paths: list[str]) -> list[str]:
    """Files named, and files under directories named (recursively, in name order)."""
    files = []
    for given in paths:
        if os.path.isfile(given):
            files.append(given)
            continue
        if not os.path.isdir(given):
            raise CommandError(f"{given}: no such file or directory")
        found = []
        for root, dirs, names in os.walk(given):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [os.path.join(root, n) for n in names if not n.startswith(".")]
        files += sorted(found, key=lambda p: Path(p).parts)
    return files


class Command(BaseCommand):
    help = "Take in order documents (CONTRACT §3): store each, then read it now or in a worker."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--sender", default="", help="sender e-mail for files that are not e-mails")
        parser.add_argument("--sync", action="store_true",
                            help="process in this process and return when every document is final")

    def handle(self, *args, paths, sender, sync, **options):
        if sender:
            try:
                validate_email(sender)
            except ValidationError:
                raise CommandError(f"--sender {sender!r} is not an e-mail address") from None
        files = expand(paths)
        if not files:
            raise CommandError("no files found under " + ", ".join(paths))
        token = INLINE.set(sync)
        failed = 0
        try:
            for path in files:
                failed += not self._take_one(path, sender, sync)
        finally:
            INLINE.reset(token)
        if not sync:
            self.stdout.write(f"queued {len(files)} document(s) for the workers")
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) failed (see above); the others were read")

    def _take_one(self, path: str, sender: str, sync: bool) -> bool:
        """One file; False when it failed. A file that breaks its reading or storing must
        not keep the rest of a directory unread."""
        try:
            self._take(path, sender, sync)
        except Exception as exc:
            logger.exception("intake of %s failed", path)
            self.stderr.write(f"{path}: failed: {type(exc).__name__}: {exc}"[:500])
            return False
        return True

    def _take(self, path: str, sender: str, sync: bool) -> None:
        channel = InboundDocument.Channel.EMAIL if path.lower().endswith(".eml") else (
            InboundDocument.Channel.FILE)
        data, size = self._read(path)
        if data is None:
            # Refused unread and recorded; the next file is read as usual.
            document = document_refuse(source=path, channel=channel, size=size, sender=sender)
            self.stderr.write(f"{path}: refused, {document.error}")
        else:
            document, _ = document_receive(data=data, source=path, channel=channel,
                                           sender=sender, enqueue=not sync)
            if sync:
                document_process(document_id=document.pk)
        if sync:
            self._report(document)

    @staticmethod
    def _read(path: str) -> tuple[bytes | None, int]:
        """The file's bytes, or None and its size when it is over the accepted
        size. Never reads more than the limit and a byte: the size is looked
        at first, and a file grown meanwhile is caught by the bounded read."""
        limit = settings.ORDERDESK_MAX_DOCUMENT_BYTES
        try:
            size = os.stat(path).st_size
            if size > limit:
                return None, size
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        return (None, max(size, len(data))) if len(data) > limit else (data, len(data))

    def _report(self, document: InboundDocument) -> None:
        for order in document.orders.order_by("position"):
            codes = ", ".join(c["code"] for c in order.causes)
            self.stdout.write(f"{order.source}: {order.status}"
                              f"{' PO ' + order.po_number if order.po_number else ''}"
                              f"{' (' + codes + ')' if codes else ''}")
