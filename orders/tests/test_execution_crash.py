"""A worker SIGKILLed mid-execution, its work delivered again: one order, one
ERP delivery, one confirmation (PostgreSQL).

The real task code runs in child processes (``python -c``, the same test
database). One child is killed with SIGKILL at a chosen point, so none of its
``except``, ``finally`` or on-commit code runs. The work is then delivered
again the way production does it: the queue hands the unacknowledged task to
a fresh worker, and the scheduled sweepers (``documents_sweep``,
``outbox_sweep``) run with a ``now`` late enough to see what is stuck.

The ERP is a local webhook receiver counting every POST (the file-drop
adapter would hide a second send: it never writes a file twice); the
confirmations go to Django's file-based mail backend, one entry per sent mail.
SQLite serialises writers and ignores SELECT … FOR UPDATE, so these tests
only run on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_q.models import OrmQ

from integrations.models import OutboxMessage
from integrations.services.outbox import STUCK_AFTER
from orders.models import Credit, InboundDocument, Inventory, Order
from orders.services.intake import document_receive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="kills worker processes sharing one database: needs PostgreSQL "
                              "(SQLite ignores row locks and the children cannot see the test "
                              "database)"),
]

PROCESS = "orders.tasks.process_document"
#: Seconds the sweepers look ahead: past the 2-minute leftover window, the
#: queue's retry (a document stuck "processing") and the outbox's STUCK_AFTER.
LATER = 3600
SECONDS = 20  # no child may take longer than this
ERP_KEY = "erp:C1:P1:0"

# The child: django.setup(), an optional hook that reports what its open
# transaction sees and then waits to be killed, and a list of steps, each
# what a queue worker or the scheduler does.
CHILD = r"""
import importlib, json, sys, time
from datetime import timedelta
from pathlib import Path

import django

django.setup()

from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ

from integrations.models import OutboxMessage
from integrations.services.outbox import outbox_sweep
from orders.models import Credit, Inventory, Order
from orders.services import execution, intake

plan = json.loads(sys.argv[1])


def write(path, data):
    temp = Path(path + ".tmp")
    temp.write_text(json.dumps(data))
    temp.replace(path)


def hang(where):
    write(plan["signal"], {
        "where": where, "in_transaction": connection.in_atomic_block,
        "orders": list(Order.objects.values_list("status", flat=True)),
        "allocated": str(Inventory.objects.get().allocated),
        "exposure": str(Credit.objects.get().open_exposure),
        "outbox": list(OutboxMessage.objects.order_by("pk").values_list("status", flat=True)),
    })
    time.sleep(60)
    sys.exit("hung at " + where + " but was never killed")


def after(module, name):
    original = getattr(module, name)

    def hooked(*args, **kwargs):
        result = original(*args, **kwargs)
        hang(name)
        return result

    setattr(module, name, hooked)


def call(path, *args):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)(*args)


def run_queue():
    # A worker on the ORM broker: run the oldest task, acknowledge (delete) it
    # only afterwards, so a task whose worker dies stays queued.
    for _ in range(100):
        row = OrmQ.objects.order_by("pk").first()
        if row is None:
            return
        call(row.task["func"], *row.task["args"])
        OrmQ.objects.filter(pk=row.pk).delete()
    sys.exit("the queue never emptied")


def later(seconds):
    return timezone.now() + timedelta(seconds=seconds)


HOOKS = {
    "": lambda: None,
    "order_create": lambda: after(intake, "order_create"),
    "queue_outbox": lambda: after(execution, "_queue_outbox"),
    "deliver": lambda: setattr(execution, "_deliver", lambda messages, actor=None: hang("deliver")),
}
STEPS = {
    "wait": lambda go: (write(plan["signal"] + ".ready", {}), wait(go)),
    "call": lambda spec: call(*spec),
    "queue": lambda _: run_queue(),
    "sweep_documents": lambda seconds: intake.documents_sweep(now=later(seconds)),
    "sweep_outbox": lambda seconds: outbox_sweep(now=later(seconds)),
}


def wait(go):
    deadline = time.monotonic() + 20
    while not Path(go).exists():
        if time.monotonic() > deadline:
            sys.exit("never told to go")
        time.sleep(0.01)


HOOKS[plan["hang"]]()
for step, arg in plan["steps"]:
    STEPS[step](arg)
"""


# --- The ERP: a webhook receiver that counts ------------------------------------------


class ErpReceiver(ThreadingHTTPServer):
    """Records the Idempotency-Key of every POST and answers 200; with
    ``hold_first`` it keeps the first request waiting for its answer, so the
    sender can be killed mid-send (after the ERP has the order)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ErpHandler)
        self.keys: list[str] = []
        self.hold_first = False
        self.release = threading.Event()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/orders"


class _ErpHandler(BaseHTTPRequestHandler):
    server: ErpReceiver

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.lock:
            self.server.keys.append(self.headers["Idempotency-Key"])
            hold = self.server.hold_first and len(self.server.keys) == 1
        if hold:
            self.server.release.wait(SECONDS)
        with contextlib.suppress(OSError):  # the sender may be dead by now
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def erp():
    server = ErpReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


# --- Workers: child processes on the test database ----------------------------------


class Worker:
    def __init__(self, process: subprocess.Popen, signal_path: Path, log: Path) -> None:
        self.process, self.signal_path, self.log = process, signal_path, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_until(self, condition: Callable[[], object], what: str) -> None:
        deadline = time.monotonic() + SECONDS
        while not condition():
            assert self.process.poll() is None, f"worker ended before {what}:\n{self.output()}"
            assert time.monotonic() < deadline, f"worker never reached {what}:\n{self.output()}"
            time.sleep(0.02)

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=SECONDS) == -signal.SIGKILL

    def kill_when_hanging(self) -> dict:
        """SIGKILL the worker once its hook reports; returns what the hook saw."""
        self.wait_until(self.signal_path.exists, "its hook")
        self.kill()
        return json.loads(self.signal_path.read_text())

    def finish(self) -> None:
        try:
            code = self.process.wait(timeout=SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"worker still running after {SECONDS} s:\n{self.output()}")
        assert code == 0, self.output()


class Workers:
    def __init__(self, tmp_path: Path, erp_url: str) -> None:
        self.dir = tmp_path
        self.mail_dir = tmp_path / "var" / "outbox-mail"
        db = connection.settings_dict  # the test database ("test_" + the configured name)
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        url = (f"postgres://{quote(db['USER'] or '', safe='')}{password}@{db['HOST'] or 'localhost'}"
               f":{db['PORT'] or 5432}/{db['NAME']}")
        self.env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
        self.env.update({
            # No REDIS_URL: the children queue through the ORM broker in the test database.
            "DJANGO_SETTINGS_MODULE": "orderdesk.settings", "DATABASE_URL": url,
            # The same key as this process: queued tasks are signed with it.
            "ORDERDESK_VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": settings.SECRET_KEY,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "ERP_ADAPTER": "webhook", "ERP_WEBHOOK_URL": erp_url,
            "ERP_WEBHOOK_SECRET": "crash-test-webhook-secret", "ERP_WEBHOOK_TIMEOUT": "10",
        })
        self.started: list[Worker] = []

    def start(self, *steps: tuple, hang: str = "") -> Worker:
        number = len(self.started)
        signal_path = self.dir / f"worker-{number}.signal"
        plan = {"hang": hang, "signal": str(signal_path), "steps": steps}
        log = self.dir / f"worker-{number}.log"
        with log.open("wb") as out:
            process = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(plan)],
                                       env=self.env, cwd=settings.BASE_DIR, stdout=out,
                                       stderr=subprocess.STDOUT)
        worker = Worker(process, signal_path, log)
        self.started.append(worker)
        return worker

    def run(self, *steps: tuple) -> None:
        """A fresh worker runs the steps to the end."""
        self.start(*steps).finish()

    def confirmations(self) -> list[str]:
        """Message-IDs of every confirmation e-mail sent, repeats included."""
        texts = [path.read_text() for path in sorted(self.mail_dir.glob("*"))] if (
            self.mail_dir.exists()) else []
        return re.findall(r"^Message-ID: (.+)$", "".join(texts), re.MULTILINE)

    def stop(self) -> None:
        for worker in self.started:
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait(timeout=SECONDS)


@pytest.fixture
def workers(tmp_path, erp):
    pool = Workers(tmp_path, erp.url)
    yield pool
    pool.stop()


@pytest.fixture
def document(load) -> int:
    """A stored order document (10 EA at 1.00), not yet read; its task is the
    workers' to run. Autonomous, so it executes."""
    load("customers", [{"customer_number": "C1", "name": "Acme", "email_domains": "acme.example",
                        "country": "DE", "currency": "EUR"}])
    load("shiptos", [{"customer_number": "C1", "shipto_code": "S1", "name": "Acme", "street": "A 1",
                      "city": "Köln", "postal_code": "50667", "country": "DE", "is_default": "true"}])
    load("products", [{"sku": "W", "description": "Widget", "base_uom": "EA"}])
    load("prices", [{"customer_number": "C1", "sku": "W", "unit_price": "1", "currency": "EUR"}])
    load("inventory", [{"sku": "W", "warehouse": "A", "on_hand": "200"}])
    load("credit", [{"customer_number": "C1", "credit_limit": "10000"}])
    call_command("set_autonomy", "autonomous", stdout=StringIO())
    # Loading master data queued re-evaluations of open cases (there are none);
    # the queue starts empty so it holds only what the workers put there.
    OrmQ.objects.all().delete()
    body = {"sender": "b@acme.example", "customer_number": "C1", "po_number": "P1",
            "requested_date": "2099-01-01", "lines": [{"sku": "W", "quantity": "10"}]}
    stored, _ = document_receive(data=json.dumps(body).encode(), source="crash/po.json",
                                 channel=InboundDocument.Channel.FILE, enqueue=False)
    return stored.pk


def assert_executed_once(erp: ErpReceiver, workers: Workers) -> None:
    order = Order.objects.get()
    assert order.status == Order.State.EXECUTED, order.causes
    assert order.decisions.count() == 1
    assert Inventory.objects.get().allocated == 10
    assert Credit.objects.get().open_exposure == Decimal("10")
    assert sorted(OutboxMessage.objects.values_list("channel", "status")) == [
        ("email", "delivered"), ("erp", "delivered")]
    assert erp.keys == [ERP_KEY]
    assert workers.confirmations() == [OutboxMessage.objects.get(channel="email").payload["message_id"]]


# --- (a) killed inside order_decide's transaction -------------------------------------


def test_killed_before_the_execution_commits_the_redelivered_task_executes_once(document, workers, erp):
    victim = workers.start(("call", [PROCESS, document]), hang="queue_outbox")
    seen = victim.kill_when_hanging()
    # Killed inside the transaction with stock, credit and both messages written ...
    assert seen["in_transaction"] and seen["orders"] == ["executed"]
    assert (Decimal(seen["allocated"]), Decimal(seen["exposure"])) == (10, 10)
    assert seen["outbox"] == ["pending", "pending"]
    # ... none of which survived it.
    assert Order.objects.get().status == Order.State.RECEIVED
    assert (Inventory.objects.get().allocated, Credit.objects.get().open_exposure) == (0, 0)
    assert not OutboxMessage.objects.exists()

    # The task comes back to a fresh worker: the document is read, so it
    # decides the order left undecided; the outbox then goes out once.
    workers.run(("call", [PROCESS, document]), ("queue", None), ("sweep_outbox", LATER))
    assert_executed_once(erp, workers)
    # The schedule running afterwards changes nothing.
    workers.run(("sweep_documents", LATER), ("queue", None), ("sweep_outbox", LATER))
    assert_executed_once(erp, workers)


# --- (b) killed after the commit, before the on-commit delivery -----------------------


def test_killed_between_commit_and_delivery_the_outbox_sweeper_delivers_once(document, workers, erp):
    victim = workers.start(("call", [PROCESS, document]), hang="deliver")
    seen = victim.kill_when_hanging()
    assert not seen["in_transaction"] and seen["orders"] == ["executed"]
    assert seen["outbox"] == ["pending", "pending"]
    assert erp.keys == [] and workers.confirmations() == []

    workers.run(("call", [PROCESS, document]), ("queue", None), ("sweep_documents", LATER),
                ("sweep_outbox", 0))
    assert_executed_once(erp, workers)
    workers.run(("sweep_outbox", LATER), ("sweep_documents", LATER))
    assert_executed_once(erp, workers)


# --- (c) killed mid-send: the ERP may have it, so nothing is resent -------------------


def test_killed_mid_send_the_message_becomes_unknown_and_is_never_resent(document, workers, erp):
    erp.hold_first = True
    victim = workers.start(("call", [PROCESS, document]), ("queue", None))
    victim.wait_until(lambda: erp.keys, "the ERP POST")
    victim.kill()  # the ERP has the order; the sender never heard back
    erp.release.set()
    message = OutboxMessage.objects.get(channel="erp")
    assert message.status == OutboxMessage.State.SENDING

    # The delivery task is redelivered and the sweeper runs before STUCK_AFTER:
    # the claimed message is left alone, the confirmation goes out.
    workers.run(("queue", None), ("sweep_outbox", 0))
    message.refresh_from_db()
    assert message.status == OutboxMessage.State.SENDING
    assert erp.keys == [ERP_KEY]
    assert len(workers.confirmations()) == 1

    # Past STUCK_AFTER the sweeper hands it to a person instead of resending.
    assert STUCK_AFTER.total_seconds() < LATER
    workers.run(("sweep_outbox", LATER), ("queue", None), ("sweep_outbox", 2 * LATER))
    message.refresh_from_db()
    assert message.status == OutboxMessage.State.UNKNOWN
    assert "died while sending" in message.last_error
    assert erp.keys == [ERP_KEY]  # one POST, never two
    assert len(workers.confirmations()) == 1
    assert Inventory.objects.get().allocated == 10
    assert Order.objects.get().decisions.count() == 1


# --- Document-level redelivery --------------------------------------------------------


def test_the_same_document_task_run_by_two_workers_at_once_makes_one_order(document, workers, erp):
    go = workers.dir / "go"
    both = [workers.start(("wait", str(go)), ("call", [PROCESS, document]), ("queue", None))
            for _ in range(2)]
    for worker in both:
        ready = worker.signal_path.with_name(worker.signal_path.name + ".ready")
        worker.wait_until(ready.exists, "the start line")
    go.touch()
    for worker in both:
        worker.finish()
    assert InboundDocument.objects.get().attempts == 1  # one claim won, the other did nothing
    assert_executed_once(erp, workers)


def test_killed_while_storing_the_orders_the_document_is_read_again_once(document, workers, erp):
    victim = workers.start(("call", [PROCESS, document]), hang="order_create")
    seen = victim.kill_when_hanging()
    assert seen["in_transaction"] and seen["orders"] == ["received"]
    assert not Order.objects.exists()
    assert InboundDocument.objects.get().status == InboundDocument.State.PROCESSING

    # The redelivered task finds the document claimed and leaves it ...
    workers.run(("call", [PROCESS, document]), ("queue", None))
    assert not Order.objects.exists()
    # ... until the sweeper sees it stuck past the queue's retry and re-queues it.
    workers.run(("sweep_documents", LATER), ("queue", None), ("sweep_outbox", LATER))
    assert InboundDocument.objects.get().attempts == 2
    assert_executed_once(erp, workers)
