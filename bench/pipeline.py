"""Benchmark: orders per second through the queue, and PDF intake-to-confirmation latency.

    .venv/bin/python bench/pipeline.py [--postgres] [--orders 200] [--pdf-orders 20]

Everything runs as in production: a fresh database (a temporary SQLite file;
with --postgres a scratch PostgreSQL database on 127.0.0.1:5432 and Redis db 14
as the broker), the demo master data, autonomy `autonomous` everywhere, and
`manage.py qcluster` as a separate process whose workers (Q_WORKERS, default
2) do all the work. The bench process only stores documents, as the REST API
and `intake` without --sync do (document_receive; the worker reads, resolves,
decides, executes and sends), and watches the database.

Throughput: N order JSONs (CONTRACT §3) of the demo customers, one in ten
priced 15 % above its agreement so that it routes to a person, are stored as
fast as the bench can. Wall time from the first submission until every
document is processed and every order is final (executed or exception) gives
orders/s; the time until the last confirmation e-mail is delivered is printed
too. The demo credit limits and stock are raised first (through the import
path) so that the run measures the pipeline, not the demo customers' credit.
CPU seconds per order are printed by process role (this process, which stores
and watches; the cluster's workers, pusher, monitor and sentinel, told apart
by their titles) with how busy the cores were: what is left idle is time the
workers waited for a write lock or a task. A database server's own processes
(PostgreSQL) are not counted.

Statements: 20 more JSON orders of the same mix are run in the bench process
itself, untimed (stored, read, decided, executed, outbox delivered, as a
worker does), counting SQL statements and write transactions per order.

Latency: one-page PDF purchase orders (fpdf2, drawn like bench/intake.py's),
one at a time, from submission until the confirmation e-mail is delivered
(its outbox row "delivered"; mail goes to the file backend in the run's
directory); p50/p95 over the orders.

Targets (issue): at least 50 JSON orders/s on SQLite on a 2-core machine;
p95 under 2 s for the PDF order. The environment is passed on to the
cluster, so settings read from it (Q_WORKERS, CONN_MAX_AGE, ...) can be
compared without editing anything.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import logging
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/14"
#: Every this many orders one is priced off its agreement (an exception).
OFF_PRICE_EVERY = 10
WAIT_LIMIT_S = 600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true",
                        help="PostgreSQL and the Redis broker instead of SQLite and the ORM broker")
    parser.add_argument("--orders", type=int, default=200, help="JSON orders for the throughput run")
    parser.add_argument("--pdf-orders", type=int, default=20, help="PDF orders for the latency run")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="od-bench-pipeline-"))
    database = f"orderdesk_bench_{os.getpid()}" if args.postgres else ""
    try:
        env = _environment(tmp, database)
        os.environ.update(env)
        if database:
            _postgres(f"CREATE DATABASE {database}")
        _django_setup()
        if database:
            _purge_queue()
        buyers = _prepare(tmp)
        with _cluster(env, tmp) as cluster:
            _drain()
            throughput(buyers, args.orders, cluster.pid)
            statements(buyers)
            latency(buyers, args.pdf_orders)
    finally:
        _close_connections()
        if database:
            _postgres(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)


# --- Set-up ---------------------------------------------------------------------------


def _environment(tmp: Path, database: str) -> dict[str, str]:
    # As `make run` has it: mail to files, executed orders to the ERP as one
    # JSON file each, both under the run's directory whatever the shell has set.
    (tmp / "erp-outbox").mkdir()
    env = {"ORDERDESK_VAR_DIR": str(tmp),
           "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "orderdesk.settings"),
           "DATABASE_URL": f"{POSTGRES}/{database}" if database else "",
           "REDIS_URL": REDIS if database else "", "ORDERDESK_HTTPS": "false",
           "STATIC_ROOT": str(tmp / "static"), "ERP_ADAPTER": "filedrop",
           "ERP_FILEDROP_DIR": str(tmp / "erp-outbox")}
    for name in ("EMAIL_HOST", "EMAIL_BACKEND"):
        os.environ.pop(name, None)
    return env


def _postgres(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def _django_setup() -> None:
    import django

    django.setup()
    logging.getLogger("django-q").setLevel(logging.WARNING)  # not a line per enqueued task


def _purge_queue() -> None:
    """Redis db 14 belongs to this bench: tasks an interrupted run left there name
    rows of a database that no longer exists."""
    from django_q.brokers import get_broker

    get_broker().purge_queue()


def _close_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def _prepare(tmp: Path) -> list[Buyer]:
    """Schema, demo master data, autonomy, room for the run; the buyers to order for."""
    from django.core.management import call_command

    from rules.services import Segment, autonomy_set

    quiet = io.StringIO()
    call_command("migrate", verbosity=0)
    call_command("demo_data", directory=str(tmp / "masterdata"), stdout=quiet, stderr=quiet)
    autonomy_set(level="autonomous", segment=Segment(), reason="bench")
    buyers = _buyers(timezone.localdate())
    _make_room(buyers)
    return buyers


def _make_room(buyers: list[Buyer]) -> None:
    """Credit and stock for thousands of orders, through the master-data import."""
    from orders.models import Credit, Inventory
    from orders.services.masterdata import masterdata_import

    credit = [{"customer_number": c.customer.customer_number, "credit_limit": "1000000000",
               "open_exposure": str(c.open_exposure), "on_hold": "false"}
              for c in Credit.objects.select_related("customer")
              if c.customer_id in {b.customer.pk for b in buyers}]
    stock = [{"sku": row.product.sku, "warehouse": row.warehouse, "on_hand": "100000000"}
             for row in Inventory.objects.select_related("product")]
    for kind, rows in (("credit", credit), ("inventory", stock)):
        report = masterdata_import(kind=kind, data=_csv(rows), file_name=f"bench-{kind}.csv",
                                   reason="bench: room for the run")
        if not report.ok:
            raise SystemExit(f"bench set-up: {kind} import failed: {report.errors[:3]}")


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@dataclass
class Buyer:
    customer: object
    contact: str
    lines: list[tuple[object, Decimal, Decimal]]  # product, base quantity, agreed unit price
    lead_days: int


def _buyers(today: date) -> list[Buyer]:
    """Active customers in good standing with what each may order without a person."""
    from orders.models import Customer

    buyers = []
    customers = Customer.objects.filter(status="active", credit__on_hold=False).prefetch_related(
        "contacts", "shiptos")
    for customer in customers.order_by("customer_number"):
        default = next((s for s in customer.shiptos.all() if s.is_default), None)
        contacts = sorted(c.email for c in customer.contacts.all())
        lines = _orderable(customer, default.country if default else customer.country, today)
        if default is not None and contacts and lines:
            buyers.append(Buyer(customer, contacts[0], lines,
                                max(product.lead_time_days for product, _, _ in lines)))
    if not buyers:
        raise SystemExit("bench set-up: no demo customer can order anything")
    return buyers


def _orderable(customer, country: str, today: date) -> list[tuple[object, Decimal, Decimal]]:
    """(product, base quantity, agreed price) the customer buys: an agreed price in
    its currency valid today, an active product not restricted for its country, a
    quantity it has ordered before (never an anomaly) and at least the minimum."""
    from orders.models import OrderHistoryLine, Price

    prices = (Price.objects.filter(customer=customer, currency=customer.currency,
                                   product__status="active", product__configurable=False)
              .exclude(product__restrictions__country=country)
              .select_related("product").order_by("product__sku", "-valid_from"))
    usual: dict[int, Decimal] = {}
    for product_id, quantity in OrderHistoryLine.objects.filter(customer=customer).values_list(
            "product_id", "quantity"):
        usual[product_id] = min(quantity, usual.get(product_id, quantity))
    lines, seen = [], set()
    for price in prices:
        valid = ((price.valid_from is None or price.valid_from <= today)
                 and (price.valid_to is None or price.valid_to >= today))
        if not valid or price.product_id in seen:
            continue
        seen.add(price.product_id)
        product = price.product
        quantity = max(usual.get(product.pk, Decimal(1)), product.min_order_qty or Decimal(1))
        lines.append((product, quantity, price.unit_price))
    return lines


@contextlib.contextmanager
def _cluster(env: dict[str, str], tmp: Path):
    """`manage.py qcluster` in its own session, stopped (and reaped) on the way out."""
    log = (tmp / "qcluster.log").open("wb")
    process = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT,
                               env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    failed = True
    try:
        yield process
        failed = False
    finally:
        _stop(process)
        log.close()
        if failed or process.returncode not in (0, -signal.SIGTERM):
            tail = (tmp / "qcluster.log").read_text(errors="replace")[-3000:]
            print(f"qcluster (exit {process.returncode}) said:\n{tail}", file=sys.stderr)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # its session: the cluster's own children
        process.wait()


def _drain() -> None:
    """Wait until the set-up's own tasks (re-evaluations after imports) are done:
    nothing queued or handed out, and no task finished for a while."""
    from django_q.brokers import get_broker
    from django_q.models import Task

    broker = get_broker()
    deadline = time.monotonic() + WAIT_LIMIT_S
    last, idle_since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = (broker.queue_size(), broker.lock_size() or 0, Task.objects.count())
        if state != last or state[0] or state[1]:
            last, idle_since = state, time.monotonic()
        elif time.monotonic() - idle_since > 2:
            return
        time.sleep(0.1)
    raise SystemExit("bench set-up: the queue did not drain (is qcluster running?)")


# --- Throughput ---------------------------------------------------------------------------


def order_json(buyer: Buyer, number: int, today: date) -> bytes:
    """A clean order of 1-3 lines; every OFF_PRICE_EVERY-th is priced 15 % high."""
    count = 1 + number % 3
    start = number % len(buyer.lines)
    chosen = [buyer.lines[(start + k) % len(buyer.lines)] for k in range(min(count, len(buyer.lines)))]
    markup = Decimal("1.15") if number % OFF_PRICE_EVERY == OFF_PRICE_EVERY - 1 else Decimal(1)
    customer = buyer.customer
    return json.dumps({
        "sender": buyer.contact, "customer_number": customer.customer_number,
        "po_number": f"BENCH-{os.getpid()}-{number:05d}", "order_date": today.isoformat(),
        "requested_date": (today + timedelta(days=buyer.lead_days + 14)).isoformat(),
        "currency": customer.currency,
        "lines": [{"sku": product.sku, "quantity": _plain(quantity), "uom": product.base_uom,
                   "unit_price": f"{price * markup:.4f}"} for product, quantity, price in chosen],
    }).encode()


def throughput(buyers: list[Buyer], count: int, cluster_pid: int) -> None:
    from orders.services.intake import document_receive

    today = timezone.localdate()
    documents = [order_json(buyers[n % len(buyers)], n, today) for n in range(count)]
    cpu_before = _cpu(cluster_pid)
    started = time.monotonic()
    # As the REST view stores them: the API user's own address is the sender.
    ids = [document_receive(data=data, source=f"bench/json/{n:05d}.json", channel="api",
                            sender=buyers[n % len(buyers)].contact)[0].pk
           for n, data in enumerate(documents)]
    stored = time.monotonic() - started
    final = _wait(lambda: _unfinished(ids) == 0, "orders to become final")
    cpu = {role: seconds - cpu_before.get(role, 0.0) for role, seconds in _cpu(cluster_pid).items()}
    delivered = _wait(lambda: _undelivered_mail(ids) == 0, "confirmations to be delivered")
    outcomes = _outcomes(ids)
    database = "PostgreSQL + Redis broker" if os.environ.get("DATABASE_URL") else (
        "SQLite (WAL) + ORM broker")
    from django.conf import settings

    rate = count / (final - started)
    target = "" if os.environ.get("DATABASE_URL") else (
        f" (target >= 50 on SQLite: {'met' if rate >= 50 else 'NOT met'})")
    print(f"throughput on {database}, {os.environ.get('Q_WORKERS', '2')} workers, "
          f"CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']}: {count} JSON "
          f"orders stored in {stored:.1f} s; all final after {final - started:.1f} s = "
          f"{rate:.1f} orders/s{target}; every confirmation delivered after "
          f"{delivered - started:.1f} s")
    print("  outcomes: " + ", ".join(f"{status} {n}" for status, n in outcomes.most_common()))
    busy = sum(cpu.values()) / ((final - started) * (os.cpu_count() or 1))
    print(f"  CPU per order: {sum(cpu.values()) / count * 1000:.1f} ms ("
          + ", ".join(f"{role} {seconds / count * 1000:.1f}" for role, seconds in cpu.items())
          + f"); the machine's {os.cpu_count()} cores {busy:.0%} busy with them")


def _cpu(cluster_pid: int) -> dict[str, float]:
    """CPU seconds used so far by this process (storing documents, watching) and
    by the cluster's processes, summed by role: the sentinel and the workers,
    pusher and monitor it started (named by their titles, setproctitle's).
    Counters of processes that ended meanwhile are gone, except the recycled
    workers' that their sentinel reaped."""
    ticks = os.sysconf("SC_CLK_TCK")
    roles = {"bench": 0.0, "workers": 0.0, "pusher": 0.0, "monitor": 0.0, "sentinel": 0.0}
    sentinels = _children(cluster_pid)
    for pid, parent, own, reaped, title in _processes(ticks):
        if pid == os.getpid():
            roles["bench"] += own
        elif pid in sentinels:
            # A recycled worker's time is its sentinel's once reaped.
            roles["sentinel"] += own
            roles["workers"] += reaped
        elif parent in sentinels:
            roles[next((r for r in ("pusher", "monitor") if r in title), "workers")] += own
    return roles


def _processes(ticks: int):
    """(pid, parent pid, CPU seconds, of its reaped children, title) of every process."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        own, reaped = (int(fields[11]) + int(fields[12])), (int(fields[13]) + int(fields[14]))
        yield int(entry.name), int(fields[1]), own / ticks, reaped / ticks, title


def _children(pid: int) -> set[int]:
    try:
        return {int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()}
    except OSError:
        return set()


def _wait(done, what: str) -> float:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what} after {WAIT_LIMIT_S} s")
        time.sleep(0.02)
    return time.monotonic()


def _unfinished(document_ids: list[int]) -> int:
    from orders.models import InboundDocument, Order

    documents = InboundDocument.objects.filter(_ids("pk", document_ids)).exclude(
        status=InboundDocument.State.PROCESSED).count()
    return documents or Order.objects.filter(_ids("document_id", document_ids),
                                             status=Order.State.RECEIVED).count()


def _undelivered_mail(document_ids: list[int]) -> int:
    from integrations.models import OutboxMessage

    return OutboxMessage.objects.filter(_ids("order__document_id", document_ids),
                                        channel=OutboxMessage.Channel.EMAIL).exclude(
        status=OutboxMessage.State.DELIVERED).count()


def _ids(field: str, document_ids: list[int]):
    """The run's documents, as a key range when their keys are consecutive (they
    are: the bench stores them one after another). The watcher polls every 20 ms,
    and a filter naming hundreds of keys cost it ~3 ms of CPU a poll, taken from
    the two cores the cluster is measured on."""
    from django.db.models import Q

    low, high = min(document_ids), max(document_ids)
    if high - low + 1 == len(set(document_ids)):
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__in": document_ids})


def _outcomes(document_ids: list[int]) -> Counter:
    from orders.models import Order

    outcomes: Counter = Counter()
    for order in Order.objects.filter(document_id__in=document_ids):
        causes = ",".join(sorted({c["code"] for c in order.causes}))
        outcomes[f"{order.status}{' (' + causes + ')' if causes else ''}"] += 1
    return outcomes


def statements(buyers: list[Buyer], count: int = 2 * OFF_PRICE_EVERY) -> None:
    """SQL statements and write transactions per order, counted in this process
    for ``count`` more JSON orders of the throughput run's mix, each stored,
    read, decided, executed and its outbox delivered here (as a worker does,
    without the queue). Not timed: it explains the throughput figure."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orders.services.intake import document_process, document_receive

    today = timezone.localdate()
    documents = [order_json(buyers[n % len(buyers)], 90000 + n, today) for n in range(count)]
    with CaptureQueriesContext(connection) as captured:
        for n, data in enumerate(documents):
            document, _ = document_receive(data=data, source=f"bench/sql/{n:05d}.json",
                                           channel="api", enqueue=False,
                                           sender=buyers[n % len(buyers)].contact)
            document_process(document_id=document.pk)
    verbs, transactions = _statements(captured.captured_queries)
    per_order = ", ".join(f"{verb} {n / count:.1f}" for verb, n in verbs.most_common())
    queue = ("; the ORM broker adds per task an INSERT to the storing transaction and two write "
             "transactions (claim, acknowledgement)" if "orm" in settings.Q_CLUSTER else "")
    print(f"  per order, stored to delivered ({count} orders run in this process): "
          f"{sum(verbs.values()) / count:.1f} SQL statements ({per_order}) in "
          f"{transactions / count:.1f} write transactions{queue}")


def _statements(queries: list[dict]) -> tuple[Counter, int]:
    """Statements by verb, and write transactions: each BEGIN ... COMMIT, and
    each write outside one (it commits on its own; on SQLite every one of them
    waits for the single write lock)."""
    verbs: Counter = Counter()
    transactions, inside = 0, False
    for query in queries:
        # An executemany is logged as "N times: SQL": one statement, prepared once.
        verb = re.sub(r"^\d+ times: ", "", query["sql"]).split(None, 1)[0].upper()
        if verb in ("BEGIN", "COMMIT", "ROLLBACK"):
            inside = verb == "BEGIN"
            transactions += inside
        elif verb not in ("SAVEPOINT", "RELEASE"):
            verbs[verb] += 1
            transactions += not inside and verb in ("INSERT", "UPDATE", "DELETE")
    return verbs, transactions


# --- Latency ---------------------------------------------------------------------------


def purchase_order_pdf(buyer: Buyer, po_number: str, today: date, lines: int = 20) -> bytes:
    """A one-page purchase order as bench/intake.py draws it, for a real customer."""
    from fpdf import FPDF

    from bench.intake import COLUMNS, _text

    doc = FPDF(unit="pt", format="A4")
    doc.set_auto_page_break(False)
    doc.add_page()
    _text(doc, 40, 40, buyer.customer.name, size=16, bold=True)
    _text(doc, 380, 40, "PURCHASE ORDER", size=20, bold=True)
    _text(doc, 380, 72, f"PO Number: {po_number}")
    _text(doc, 380, 86, f"Order Date: {today.isoformat()}")
    requested = today + timedelta(days=buyer.lead_days + 14)
    _text(doc, 380, 100, f"Requested Delivery: {requested.isoformat()}")
    _text(doc, 40, 72, f"Customer No: {buyer.customer.customer_number}")
    y = 150.0
    for x, width, header, align in COLUMNS:
        _text(doc, x, y, header, width, align, bold=True)
    for number, (product, quantity, price) in enumerate(buyer.lines[:lines], 1):
        y += 16
        cells = [str(number), product.sku, product.description[:40], _plain(quantity),
                 product.base_uom, _money(price), f"{quantity * price:,.2f}"]
        for (x, width, _, align), cell in zip(COLUMNS, cells, strict=True):
            _text(doc, x, y, cell, width, align)
    return bytes(doc.output())


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _money(value: Decimal) -> str:
    """At least two decimals, more only where the agreed price has them."""
    text = f"{value:.4f}".rstrip("0")
    return text + "0" * max(0, 2 - len(text.partition(".")[2]))


def latency(buyers: list[Buyer], count: int) -> None:
    """Seconds from storing a PDF order until its confirmation e-mail is delivered."""
    from orders.services.intake import document_receive

    today = timezone.localdate()
    samples, outcomes = [], Counter()
    for n in range(count):
        buyer = buyers[n % len(buyers)]
        data = purchase_order_pdf(buyer, f"PDF-{os.getpid()}-{n:03d}", today)
        started = time.time()
        document, _ = document_receive(data=data, source=f"bench/pdf/{n:03d}.pdf",
                                       channel="file", sender=buyer.contact)
        _wait(lambda pk=document.pk: _unfinished([pk]) == 0, "the PDF order to become final")
        status = _outcomes([document.pk])
        outcomes.update(status)
        if "executed" not in status:
            continue  # routed to a person: no confirmation to wait for
        _wait(lambda pk=document.pk: _undelivered_mail([pk]) == 0, "the confirmation")
        samples.append(_delivered_at(document.pk) - started)
        time.sleep(0.05 + (n % 7) * 0.03)  # do not fall into step with the broker's polling
    print("  PDF outcomes: " + ", ".join(f"{status} {n}" for status, n in outcomes.most_common()))
    if len(samples) < 2:
        raise SystemExit("too few PDF orders were executed to measure latency")
    p50 = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1]
    print(f"latency of a 1-page PDF order (20 lines), submission to confirmation delivered, "
          f"{len(samples)} orders: p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(samples):.2f} s "
          f"(target p95 < 2 s: {'met' if p95 < 2 else 'NOT met'})")


def _delivered_at(document_id: int) -> float:
    from integrations.models import OutboxMessage

    message = OutboxMessage.objects.get(order__document_id=document_id,
                                        channel=OutboxMessage.Channel.EMAIL)
    return message.delivered_at.timestamp()


if __name__ == "__main__":
    main()
