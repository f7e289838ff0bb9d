import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from orders.models import InboundDocument
from orders.services.execution import INLINE
from orders.services.intake import document_process, document_receive


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
        try:
            for path in files:
                self._take(path, sender, sync)
        finally:
            INLINE.reset(token)
        if not sync:
            self.stdout.write(f"queued {len(files)} document(s) for the workers")

    def _take(self, path: str, sender: str, sync: bool) -> None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from None
        channel = InboundDocument.Channel.EMAIL if path.lower().endswith(".eml") else (
            InboundDocument.Channel.FILE)
        document, _ = document_receive(data=data, source=path, channel=channel, sender=sender,
                                       enqueue=not sync)
        if sync:
            document_process(document_id=document.pk)
            for order in document.orders.order_by("position"):
                codes = ", ".join(c["code"] for c in order.causes)
                self.stdout.write(f"{order.source}: {order.status}"
                                  f"{' PO ' + order.po_number if order.po_number else ''}"
                                  f"{' (' + codes + ')' if codes else ''}")
