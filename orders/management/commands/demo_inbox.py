from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from orders.corpus.generate import CorpusError
from orders.services.demo import demo_inbox_run


class Command(BaseCommand):
    help = (
        "Generate a demo inbox of order documents against the demo master data (run demo_data "
        "first), process it, and let two demo colleagues work part of it, so the inbox and the "
        "dashboard show real figures. Runs once per database: a second run does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path,
                            help="where the documents are written (default: VAR_DIR/demo-inbox)")
        parser.add_argument("--count", type=int, default=160, help="documents (default: 160)")
        parser.add_argument("--seed", type=int, default=11, help="corpus seed (default: 11)")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="anchor date YYYY-MM-DD (default: today)")

    def handle(self, *args, directory, count, seed, today, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        try:
            report = demo_inbox_run(directory=directory or settings.VAR_DIR / "demo-inbox",
                                    count=count, seed=seed, today=today or timezone.localdate())
        except (CorpusError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())
