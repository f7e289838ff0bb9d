import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from orders.demo import write_demo_csvs
from orders.errors import MasterDataImportError
from orders.resources import RESOURCES
from orders.services.masterdata import ImportReport, masterdata_import


class Command(BaseCommand):
    help = (
        "Write coherent demo master data as CSV files (one per CONTRACT §1 kind) and load "
        "them like import_masterdata. Safe to re-run: rows are upserted by their key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", type=Path, help="where to write the CSV files (default: VAR_DIR/demo)"
        )
        parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
        parser.add_argument("--write-only", action="store_true", help="write the files, do not import them")

    def handle(self, *args, directory, seed, write_only, **options):
        target = Path(directory) if directory else settings.VAR_DIR / "demo"
        paths = write_demo_csvs(target, seed=seed, today=timezone.localdate())
        self.stdout.write(f"Wrote {len(paths)} demo files to {target}")
        if write_only:
            return
        started = time.monotonic()
        # One transaction for all kinds: a failure in a later file must not
        # leave the earlier kinds loaded without the rows that reference them.
        with transaction.atomic():
            for kind in RESOURCES:
                self.stdout.write(self._load(kind, paths[kind]).summary())
        self.stdout.write(f"Loaded demo data in {time.monotonic() - started:.1f} s")

    def _load(self, kind: str, path: Path) -> ImportReport:
        try:
            report = masterdata_import(
                kind=kind, data=path.read_bytes(), file_name=path.name, reason="demo data"
            )
        except MasterDataImportError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        if not report.ok:
            more = f" (and {len(report.errors) - 1} more)" if len(report.errors) > 1 else ""
            raise CommandError(f"{path.name} {report.errors[0]}{more}; nothing written")
        return report
