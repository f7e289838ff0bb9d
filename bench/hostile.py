"""Benchmark: time and peak memory of the intake on hostile documents (issue 13).

    .venv/bin/python bench/hostile.py [--runs 3] [--case NAME ...]

Every case is crafted by this script into a scratch directory (removed at the end):
an XLSX of 11 million shared strings (459 KB), an XLSX with one 190 MB cell
(199 KB), 25 MB of X12 and of EDIFACT segments, a JSON list of 60,000 orders,
an e-mail with six PDF attachments that each take longer than the PDF reader's
30 s, and an e-mail with 40 small attachments. Each is taken in as
``intake --sync`` takes a file (read, document_receive, then document_process
in one process; the reader runs in its limited child) in a fresh process per
run, against a temporary SQLite database with the demo master data.

Prints per case the median wall time of document_process, the worker's peak
RSS (the whole process: Django, the file's bytes, the orders), the reading
children's peak RSS, and the outcome (orders stored, and the limit's cause on
the last one, else its first cause). The slow-attachment case takes the document's whole
time budget (DOCUMENT_READ_SECONDS, 60 s) by design; it runs once unless
--slow-runs says otherwise.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MB = 1024 * 1024
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


# --- the hostile documents ---------------------------------------------------------------------


def _xlsx(shared_strings: bytes) -> bytes:
    parts = {
        "[Content_Types].xml": (
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sheet.main+xml"/></Types>'),
        "_rels/.rels": (f'<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" '
                        f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
                            '<sheet name="PO" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PACKAGE}">'
            f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>').encode(),
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">'.encode() + shared_strings + b"</sst>",
        "xl/worksheets/sheet1.xml": (f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">'
                                     '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>').encode(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_shared_strings() -> tuple[str, bytes]:
    return "strings.xlsx", _xlsx(b"<si><t>x</t></si>" * 11_000_000)


def xlsx_huge_cell() -> tuple[str, bytes]:
    return "cell.xlsx", _xlsx(b"<si><t>" + b"x" * (190 * MB) + b"</t></si>")


def x12_25mb() -> tuple[str, bytes]:
    head = ("ISA*00*          *00*          *ZZ*BUYER          *ZZ*SELLER         *240301*1200*U*00401"
            "*000000001*0*P*>~GS*PO*BUYER*SELLER*20240301*1200*1*X*004010~ST*850*0001~"
            "BEG*00*SA*PO-1**20240301~")
    line = "PO1*1*10*EA*12.50**VP*SKU-1~"
    return "big.x12", (head + line * ((25 * MB - 1024) // len(line)) + "SE*3*0001~").encode()


def edifact_25mb() -> tuple[str, bytes]:
    head = ("UNA:+.? 'UNB+UNOC:3+BUYER:14+SELLER:14+240301:1200+1'UNH+1+ORDERS:D:96A:UN'"
            "BGM+220+PO-1+9'DTM+137:20240301:102'")
    line = "LIN+1++SKU-1:SA'QTY+21:10'"
    return "big.edi", (head + line * ((25 * MB - 1024) // len(line)) + "UNT+3+1'UNZ+1+1'").encode()


def json_60000_orders() -> tuple[str, bytes]:
    orders = [{"customer_number": "C1001", "po_number": f"PO-{n}",
               "lines": [{"sku": "SKU-1", "quantity": "10", "uom": "EA"}]} for n in range(60_000)]
    return "batch.json", json.dumps(orders).encode()


def _slow_pdf() -> bytes:
    """97 KB of dense text on 50 pages: over 30 s of layout analysis."""
    from fpdf import FPDF

    document = FPDF()
    document.set_font("Helvetica", size=4)
    for page in range(50):
        document.add_page()
        for row in range(130):
            document.text(5, 5 + row * 2.2, " ".join(f"{(page * row + i) % 97:02d}x" for i in range(80)))
    return bytes(document.output())


def _mail(attachments: list[tuple[str, str, bytes]]) -> bytes:
    message = EmailMessage()
    message["From"] = "buyer@acme.example"
    message["To"] = "orders@orderdesk.example"
    message["Subject"] = "Purchase orders"
    message.set_content("Please find our purchase orders attached.")
    for name, subtype, data in attachments:
        message.add_attachment(data, maintype="application", subtype=subtype, filename=name)
    return message.as_bytes()


def email_slow_attachments() -> tuple[str, bytes]:
    pdf = _slow_pdf()
    return "slow.eml", _mail([(f"po{n}.pdf", "pdf", pdf) for n in range(6)])


def email_many_attachments() -> tuple[str, bytes]:
    order = {"customer_number": "C1001", "lines": [{"sku": "SKU-1", "quantity": "1", "uom": "EA"}]}
    return "many.eml", _mail([(f"po{n}.json", "json", json.dumps({**order, "po_number": f"M-{n}"}).encode())
                              for n in range(40)])


CASES: dict[str, Callable[[], tuple[str, bytes]]] = {
    "xlsx-11M-shared-strings": xlsx_shared_strings,
    "xlsx-190MB-cell": xlsx_huge_cell,
    "x12-25MB": x12_25mb,
    "edifact-25MB": edifact_25mb,
    "json-60000-orders": json_60000_orders,
    "email-6-slow-pdfs": email_slow_attachments,
    "email-40-attachments": email_many_attachments,
}
SLOW = {"email-6-slow-pdfs"}
LIMIT_CAUSES = {"UNREADABLE_DOCUMENT", "EXTRACTION_UNCERTAIN"}


# --- running ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slow-runs", type=int, default=1)
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a single run, in its own process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    tmp = Path(tempfile.mkdtemp(prefix="od-bench-hostile-"))
    env = {**os.environ, "ORDERDESK_VAR_DIR": str(tmp), "LOG_LEVEL": "CRITICAL", "DATABASE_URL": "",
           "DJANGO_SETTINGS_MODULE": "orderdesk.settings", "ORDERDESK_HTTPS": "false"}
    try:
        _prepare(env)
        names = args.case or list(CASES)
        for name in names:
            filename, data = CASES[name]()
            (tmp / f"{name}-{filename}").write_bytes(data)
        print(f"{'case':26s} {'size':>9s} {'median s':>9s} {'worker MB':>10s} {'reader MB':>10s}  outcome")
        for name in names:
            runs = [_run(name, env) for _ in range(args.slow_runs if name in SLOW else args.runs)]
            # The first run's outcome: later runs' orders are duplicates of its own.
            first, seconds = runs[0], statistics.median(run["seconds"] for run in runs)
            print(f"{name:26s} {first['size'] / 1024:8.0f}K {seconds:9.1f} "
                  f"{max(r['worker_mb'] for r in runs):10.0f} {max(r['reader_mb'] for r in runs):10.0f}  "
                  f"{first['outcome']}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _prepare(env: dict[str, str]) -> None:
    code = ("import django; django.setup(); from django.core.management import call_command; "
            "import os; quiet = open(os.devnull, 'w'); call_command('migrate', verbosity=0); "
            "call_command('demo_data', stdout=quiet)")
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)


def _run(name: str, env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, __file__, "--one", name], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_one(name: str) -> dict:
    import django

    django.setup()
    from django.conf import settings

    from integrations.parsers import sandbox
    from orders.models import InboundDocument
    from orders.services.intake import document_process, document_receive

    (path,) = Path(settings.VAR_DIR).glob(f"{name}-*")
    data = path.read_bytes()
    document, _ = document_receive(data=data, source=f"bench/{path.name}", enqueue=False,
                                   channel=InboundDocument.Channel.FILE)
    started = time.perf_counter()
    document_process(document_id=document.pk)
    seconds = time.perf_counter() - started
    sandbox.warm_stop()  # reaped, so that its peak is counted among the children's
    orders = list(document.orders.order_by("position"))
    causes = orders[-1].causes if orders else []
    outcome = f"{len(orders)} order(s); last: {orders[-1].status if orders else '-'}"
    limit = [cause for cause in causes if cause["code"] in LIMIT_CAUSES] or causes
    if limit:
        outcome += f" {limit[0]['code']}: {limit[0]['message'][:150]}"
    return {"size": len(data), "seconds": seconds, "outcome": outcome,
            "worker_mb": _peak_rss_mb(),
            "reader_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _peak_rss_mb() -> float:
    """This process's own peak (VmHWM): ru_maxrss would also count the runner it was
    forked from, which holds every crafted case."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(text for text in status if text.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


if __name__ == "__main__":
    main()
