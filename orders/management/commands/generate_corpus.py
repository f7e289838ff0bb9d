import time
from collections import Counter
from datetime import date
from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from orders.corpus.generate import CorpusError, generate_corpus, write_manifest
from orders.corpus.unseen import generate_unseen
from orders.demo import build_demo_rows, write_demo_csvs

DEMO_SEED = 7


class Command(BaseCommand):
    help = (
        "Write the demo master data (DIR/masterdata/*.csv, as demo_data writes it) and a generated "
        "corpus of order documents against it (DIR/documents/) with its ground truth (DIR/manifest.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument("--seed", type=int, default=11, help="corpus random seed (default: 11)")
        parser.add_argument("--count", type=int, default=240, help="number of documents (default: 240)")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="anchor date YYYY-MM-DD (default: today in the project's time zone)",
        )
        parser.add_argument(
            "--unseen",
            action="store_true",
            help="write the unseen corpus instead (orders.corpus.unseen, issue 14; --count is ignored)",
        )

    def handle(self, *args, directory, seed, count, today, unseen=False, **options):
        today = today or timezone.localdate()
        documents = directory / "documents"
        if documents.exists() and any(documents.iterdir()):
            raise CommandError(f"{documents} is not empty; give a new directory")
        started = time.monotonic()
        try:
            # Documents are only written once every one of them is rendered: no partial corpus.
            expected = (generate_unseen if unseen else partial(generate_corpus, count=count))(
                documents,
                master=build_demo_rows(seed=DEMO_SEED, today=today),
                seed=seed,
                today=today,
            )
        except (CorpusError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        write_demo_csvs(directory / "masterdata", seed=DEMO_SEED, today=today)
        write_manifest(
            directory / "manifest.json",
            expected,
            today=today,
            seed=seed,
            master_seed=DEMO_SEED,
            documents_dir="documents",
            **({"corpus": "unseen"} if unseen else {}),
        )
        self.stdout.write(self._summary(expected, directory, time.monotonic() - started))

    def _summary(self, expected, directory: Path, seconds: float) -> str:
        formats = Counter(item.format for item in expected)
        defective = sum(1 for item in expected if item.defect)
        listed = ", ".join(f"{name} {n}" for name, n in sorted(formats.items()))
        return (
            f"Wrote {len(expected)} documents ({defective} with a seeded defect) "
            f"to {directory / 'documents'} "
            f"in {seconds:.1f} s: {listed}"
        )
