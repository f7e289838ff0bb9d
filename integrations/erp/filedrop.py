"""The file-drop adapter: one file per order in a folder the ERP imports from.

The file is named after the message's idempotency key (made safe for any
file system, plus a short hash of the exact key so two keys that clean up to
the same text never share a file): ``erp_C1001_4711_0-3f2a9c1b7d4e.json``.
It is written under a dot-prefixed temporary name in the same folder, synced
and renamed into place, so the ERP's importer sees the whole file or nothing.
A file that is already there means this order revision was dropped before:
delivering again is a no-op, never a second file.

JSON files hold the payload as it is. CSV files hold one row per order line,
the order's header fields repeated on every row, in a fixed column order (the
importer's contract), with spreadsheet formula prefixes neutralised.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from integrations.erp.base import DeliveryResult, ErpAdapter
from orders.importing import MasterDataCSV

if TYPE_CHECKING:
    from integrations.models import OutboxMessage

HEADER_COLUMNS = ["idempotency_key", "order_id", "customer_number", "po_number", "currency",
                  "shipto_code", "requested_date", "promised_date", "order_value"]
LINE_COLUMNS = ["line_number", "sku", "quantity", "uom", "base_quantity", "unit_price"]
#: Readable by an importer running as another user, like a plain open() under umask 022.
FILE_MODE = 0o644


def file_name(idempotency_key: str, fmt: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", idempotency_key).strip("._")[:100]
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:12]
    return f"{safe}-{digest}.{fmt}"


def render_json(message: OutboxMessage) -> bytes:
    return json.dumps(message.payload, ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n"


def render_csv(message: OutboxMessage) -> bytes:
    header = {**message.payload, "idempotency_key": message.idempotency_key}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER_COLUMNS + LINE_COLUMNS)
    for number, line in enumerate(message.payload.get("lines", []), start=1):
        line = {**line, "line_number": number}
        cells = [header.get(c, "") for c in HEADER_COLUMNS] + [line.get(c, "") for c in LINE_COLUMNS]
        writer.writerow([MasterDataCSV.neutralise(cell) for cell in cells])
    return out.getvalue().encode()


RENDERERS = {"json": render_json, "csv": render_csv}


@dataclass(frozen=True)
class FileDropAdapter(ErpAdapter):
    directory: Path
    fmt: str
    name = "filedrop"

    @classmethod
    def from_settings(cls) -> FileDropAdapter:
        return cls(directory=Path(settings.ERP_FILEDROP_DIR), fmt=settings.ERP_FILEDROP_FORMAT)

    def deliver(self, message: OutboxMessage) -> DeliveryResult:
        target = self.directory / file_name(message.idempotency_key, self.fmt)
        if target.exists():
            return DeliveryResult.delivered(f"{target.name} was already in the drop folder")
        try:
            write_atomically(target, RENDERERS[self.fmt](message))
        except OSError as exc:
            # Usually a missing mount or a permission change: retried, and a
            # dead letter with this text if it does not come back.
            return DeliveryResult.retry(f"cannot write {target}: {type(exc).__name__}: {exc}")
        return DeliveryResult.delivered(f"written as {target.name}")


def write_atomically(target: Path, data: bytes) -> None:
    # The temporary file lives in the same folder (a rename across file
    # systems is a copy, not atomic) and starts with a dot, which importers
    # watching for *.json / *.csv skip.
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), FILE_MODE)
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _sync_directory(target.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable: a crash must not lose a file the outbox calls delivered."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
