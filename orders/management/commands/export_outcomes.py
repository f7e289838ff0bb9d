import csv
import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from orders.importing import MasterDataCSV
from orders.selectors import outcome_records

CSV_COLUMNS = ["source", "status", "customer_number", "po_number", "shipto_code",
               "requested_date", "promised_date", "line", "sku", "quantity", "uom",
               "base_quantity", "unit_price", "causes"]


class Command(BaseCommand):
    help = "Export one record per order found in the inbound documents (CONTRACT §4)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, format, output, **options):
        if output is None:
            self._write(self.stdout, format)
            return
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"{output}: the directory {target.parent} does not exist")
        # Written beside the target and renamed: a reader never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                count = self._write(handle, format)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(f"{count} records written to {output}")

    def _write(self, handle, format: str) -> int:
        count = 0
        writer = csv.writer(handle) if format == "csv" else None
        if writer:
            writer.writerow(CSV_COLUMNS)
        for record in outcome_records():
            count += 1
            if writer:
                self._csv_rows(writer, record)
            else:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return count

    def _csv_rows(self, writer, record: dict) -> None:
        head = [record[c] for c in CSV_COLUMNS[:7]]
        causes = ";".join(record["causes"])
        rows = [[*head, number, line["sku"], line["quantity"], line["uom"],
                 line["base_quantity"], line["unit_price"], causes]
                for number, line in enumerate(record["lines"], 1)]
        # A PO number or SKU read from a customer's document is not ours to
        # run: cells a spreadsheet would take as a formula are quoted, as the
        # admin's exports do.
        for row in rows or [[*head, "", "", "", "", "", "", causes]]:
            writer.writerow([MasterDataCSV.neutralise(cell) for cell in row])
