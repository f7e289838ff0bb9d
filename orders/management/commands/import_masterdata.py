import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orders.errors import MasterDataImportError
from orders.resources import RESOURCES
from orders.services.masterdata import masterdata_import


class Command(BaseCommand):
    help = "Import one master-data CSV file (CONTRACT §1): all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(RESOURCES), help="what the file holds")
        parser.add_argument("file", help="UTF-8 CSV file with a header row")
        parser.add_argument("--dry-run", action="store_true", help="validate and report only")
        parser.add_argument("--reason", default="", help="why, recorded in history")

    def handle(self, *args, kind, file, dry_run, reason, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        show_progress = (
            options["verbosity"] >= 1 and sys.stderr.isatty() or options["verbosity"] >= 2
        )

        def progress(done: int, total: int) -> None:
            if show_progress or total >= 20000:
                self.stderr.write(f"{path.name}: {done}/{total} rows checked")

        try:
            report = masterdata_import(
                kind=kind,
                data=path.read_bytes(),
                file_name=path.name,
                dry_run=dry_run,
                reason=reason,
                progress=progress,
            )
        except MasterDataImportError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        if not report.ok:
            for line in report.errors:
                self.stderr.write(f"{path.name} {line}")
            lines = sorted(
                {int(e.split(":")[0].split()[1]) for e in report.errors if e.startswith("line ")}
            )
            where = f" (lines {', '.join(map(str, lines))})" if lines else ""
            raise CommandError(
                f"{path.name}: {report.invalid or len(report.errors)} invalid row(s){where}; nothing written"
            )
        self.stdout.write(report.summary())
