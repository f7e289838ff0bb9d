"""ERP delivery: the webhook against a real local HTTP server, the file drop on disk.

The server is scripted to answer each request in one of the ways an ERP
fails; the outbox must end in the right status and never send an order
twice when the ERP may already have it.
"""

import csv
import hashlib
import hmac
import io
import json
import os
import socket
import threading
import time
from datetime import timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.checks import check_erp_delivery
from integrations.erp.filedrop import FileDropAdapter, file_name
from integrations.erp.webhook import retry_after_seconds
from integrations.errors import OutboxTransitionError
from integrations.models import OutboxMessage
from integrations.services.outbox import (
    NO_ADAPTER_NOTE,
    outbox_confirm_delivered,
    outbox_deliver,
    outbox_deliver_all,
    outbox_send_again,
    outbox_sweep,
)
from orders import roles
from orders.models import Order
from orders.services.intake import document_receive

pytestmark = pytest.mark.django_db

State = OutboxMessage.State
SECRET = "test-secret-0123456789abcdef"


# --- Builders --------------------------------------------------------------------


def erp_message(po_number: str = "4711", **payload_changes) -> OutboxMessage:
    """An ERP outbox row shaped like the one order execution writes."""
    document, _ = document_receive(data=po_number.encode(), source=f"{po_number}.json",
                                   channel="file", enqueue=False)
    order = Order.objects.create(document=document, position=1, source=document.source,
                                 po_number=po_number, status=Order.State.EXECUTED)
    payload = {"order_id": order.pk, "customer_number": "C1001", "po_number": po_number,
               "currency": "EUR", "shipto_code": "S1", "requested_date": "2099-12-01",
               "promised_date": "2099-12-01", "order_value": "124.80",
               "lines": [{"sku": "SKU-1", "quantity": "10", "uom": "CS", "base_quantity": "120",
                          "unit_price": "1.0400"},
                         {"sku": "SKU-2", "quantity": "2.5", "uom": "KG", "base_quantity": "2.5",
                          "unit_price": "3.0000"}]}
    payload.update(payload_changes)
    return OutboxMessage.objects.create(order=order, channel=OutboxMessage.Channel.ERP,
                                        idempotency_key=f"erp:C1001:{po_number}:0", payload=payload)


def reload(message: OutboxMessage) -> OutboxMessage:
    message.refresh_from_db()
    return message


def sweep_after(message: OutboxMessage, seconds: float = 1) -> int:
    return outbox_sweep(now=reload(message).next_attempt_at + timedelta(seconds=seconds))


# --- The scripted ERP --------------------------------------------------------------


class ScriptedERP:
    """A real HTTP server on 127.0.0.1 answering each request with the next scripted reply.

    A reply is (status, headers, body, delay_seconds); the last one repeats.
    """

    def __init__(self):
        self.replies: list[tuple[int, dict, bytes, float]] = [(200, {}, b'{"ok":true}', 0)]
        self.requests: list[dict] = []
        self.wake = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/orders?via=orderdesk"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def script(self, *replies) -> None:
        defaults = (200, {}, b"", 0)
        self.replies = [tuple(reply) + defaults[len(reply):] for reply in replies]

    def _handler(self):
        erp = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                erp.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                index = min(len(erp.requests), len(erp.replies)) - 1
                status, headers, reply, delay = erp.replies[index]
                if delay:
                    erp.wake.wait(delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                except OSError:
                    pass  # the client gave up waiting: that is the point of the test

            def log_message(self, *args):
                pass

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.wake.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def erp(settings):
    with ScriptedERP() as server:
        settings.ERP_ADAPTER = "webhook"
        settings.ERP_WEBHOOK_URL = server.url
        settings.ERP_WEBHOOK_SECRET = SECRET
        settings.ERP_WEBHOOK_TIMEOUT = 0.5
        settings.ERP_MAX_ATTEMPTS = 3
        yield server


# --- Webhook -----------------------------------------------------------------------


def test_webhook_posts_the_payload_signed_with_the_idempotency_key(erp):
    message = erp_message()
    outbox_deliver(message_id=message.pk)
    message = reload(message)
    assert (message.status, message.attempts, message.response_code) == (State.DELIVERED, 1, 200)
    assert message.delivered_at is not None
    [request] = erp.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/orders?via=orderdesk"
    assert headers["Content-Type"] == "application/json"
    assert headers["Idempotency-Key"] == "erp:C1001:4711:0"
    assert json.loads(body) == message.payload
    timestamp = headers["X-OrderDesk-Timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-OrderDesk-Signature"], f"sha256={expected}")


def test_a_503_is_retried_with_backoff_and_then_delivered_under_the_same_key(erp):
    erp.script((503, {}, b"maintenance"), (200,))
    message = erp_message()
    before = timezone.now()
    outbox_deliver(message_id=message.pk)
    message = reload(message)
    assert (message.status, message.attempts, message.response_code) == (State.PENDING, 1, 503)
    assert "HTTP 503" in message.last_error and "maintenance" in message.last_error
    # First backoff: 30 s with jitter of -50 %..+50 %.
    assert before + timedelta(seconds=14) < message.next_attempt_at < before + timedelta(seconds=46)
    assert outbox_sweep(now=message.next_attempt_at - timedelta(seconds=1)) == 0
    assert sweep_after(message) == 1
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == (State.DELIVERED, 2, "")
    keys = {r["headers"]["Idempotency-Key"] for r in erp.requests}
    assert len(erp.requests) == 2 and keys == {"erp:C1001:4711:0"}


def test_a_429_waits_as_long_as_retry_after_says(erp):
    erp.script((429, {"Retry-After": "120"}, b"slow down"), (200,))
    message = erp_message()
    before = timezone.now()
    outbox_deliver(message_id=message.pk)
    message = reload(message)
    assert (message.status, message.response_code) == (State.PENDING, 429)
    assert before + timedelta(seconds=120) <= message.next_attempt_at < before + timedelta(seconds=135)
    assert outbox_sweep(now=before + timedelta(seconds=100)) == 0
    assert len(erp.requests) == 1
    sweep_after(message)
    assert reload(message).status == State.DELIVERED


def test_retry_after_reads_seconds_and_http_dates():
    now = timezone.now()
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True),
                               now=now) == pytest.approx(90, abs=1)
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now=now) == 0
    assert retry_after_seconds("999999999") == 6 * 3600
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_a_400_is_a_dead_letter_at_once_and_never_retried(erp):
    erp.script((400, {"Content-Type": "application/json"}, b'{"error": "unknown sku SKU-2"}'))
    message = erp_message()
    outbox_deliver(message_id=message.pk)
    message = reload(message)
    assert (message.status, message.attempts, message.response_code) == (State.DEAD, 1, 400)
    assert "HTTP 400" in message.last_error and "unknown sku SKU-2" in message.last_error
    assert outbox_sweep(now=timezone.now() + timedelta(days=1)) == 0
    assert len(erp.requests) == 1


def test_no_answer_within_the_timeout_is_unknown_and_never_resent(erp):
    erp.script((200, {}, b"", 3), (200,))
    message = erp_message()
    started = time.monotonic()
    outbox_deliver(message_id=message.pk)
    assert time.monotonic() - started < 2.5
    message = reload(message)
    assert message.status == State.UNKNOWN
    assert "no answer" in message.last_error and "check the ERP" in message.last_error
    assert outbox_sweep(now=timezone.now() + timedelta(days=1)) == 0
    assert outbox_deliver(message_id=message.pk) is None
    assert len(erp.requests) == 1
    assert reload(message).status == State.UNKNOWN


def test_a_server_that_always_fails_ends_in_the_dead_letters_after_max_attempts(erp):
    erp.script((500, {}, b"boom"))
    message = erp_message()
    outbox_deliver(message_id=message.pk)
    for _ in range(5):  # bounded: a bug must fail the test, not hang it
        if reload(message).status != State.PENDING:
            break
        sweep_after(message)
    assert (message.status, message.attempts, message.response_code) == (State.DEAD, 3, 500)
    assert message.last_error.startswith("gave up after 3 attempts; last: HTTP 500")
    assert len(erp.requests) == 3
    assert outbox_sweep(now=timezone.now() + timedelta(days=1)) == 0


def test_nothing_listening_is_retried_later(settings):
    with socket.socket() as reserved:  # bound, not listening: connections are refused
        reserved.bind(("127.0.0.1", 0))
        settings.ERP_ADAPTER = "webhook"
        settings.ERP_WEBHOOK_URL = f"http://127.0.0.1:{reserved.getsockname()[1]}/orders"
        settings.ERP_WEBHOOK_SECRET = SECRET
        settings.ERP_WEBHOOK_TIMEOUT = 0.5
        message = erp_message()
        outbox_deliver(message_id=message.pk)
    message = reload(message)
    assert (message.status, message.attempts) == (State.PENDING, 1)
    assert message.last_error.startswith("not sent: ConnectionRefusedError")
    assert message.next_attempt_at > timezone.now()


def test_without_an_adapter_erp_messages_wait_with_a_note(settings):
    settings.ERP_ADAPTER = ""
    message = erp_message()
    outbox_deliver(message_id=message.pk)
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == (State.PENDING, 0, NO_ADAPTER_NOTE)
    assert outbox_sweep(now=timezone.now() + timedelta(days=1)) == 0


def test_a_copy_of_a_message_someone_else_claimed_meanwhile_sends_nothing(erp):
    erp.script((503, {}, b"maintenance"), (200,))
    message = erp_message()
    held = OutboxMessage.objects.get(pk=message.pk)  # as the executing worker holds it
    outbox_deliver(message_id=message.pk)  # the sweeper got there first: HTTP 503, retry later
    outbox_deliver_all(messages=[held])
    assert len(erp.requests) == 1
    message = reload(message)
    assert (message.status, message.attempts, message.response_code) == (State.PENDING, 1, 503)
    assert message.history.count() == 3  # created, claimed, its outcome: no claim from the copy


def test_a_copy_from_before_a_send_again_is_no_claim_on_the_message_sent_again(
        erp, unknown_message, make_user):
    held = OutboxMessage.objects.get(pk=unknown_message.pk)
    held.status, held.attempts = State.PENDING, 0  # as it was when first written
    held.next_attempt_at = unknown_message.history.earliest().next_attempt_at
    outbox_send_again(message_id=unknown_message.pk, actor=make_user("boss", roles.ORDER_DESK_MANAGER))
    outbox_deliver_all(messages=[held])  # pending with 0 attempts again, but not the same version
    assert len(erp.requests) == 1
    assert reload(unknown_message).status == State.PENDING


# --- A person resolves unknown and dead messages ------------------------------------


@pytest.fixture
def unknown_message(erp):
    erp.script((200, {}, b"", 3), (201,))
    message = erp_message()
    outbox_deliver(message_id=message.pk)
    assert reload(message).status == State.UNKNOWN
    return message


def test_send_again_requeues_with_attempts_from_zero_and_names_the_person(
        erp, unknown_message, make_user, django_capture_on_commit_callbacks):
    manager = make_user("boss", roles.ORDER_DESK_MANAGER)
    with django_capture_on_commit_callbacks() as callbacks:
        outbox_send_again(message_id=unknown_message.pk, actor=manager)
    assert len(callbacks) == 1  # delivery queued once the change is committed
    message = reload(unknown_message)
    assert (message.status, message.attempts) == (State.PENDING, 0)
    assert message.history.first().history_user == manager
    outbox_deliver(message_id=message.pk)
    assert (reload(message).status, message.response_code) == (State.DELIVERED, 201)
    assert [r["headers"]["Idempotency-Key"] for r in erp.requests] == ["erp:C1001:4711:0"] * 2


def test_confirm_delivered_resolves_an_unknown_message(unknown_message, make_user):
    manager = make_user("boss", roles.ORDER_DESK_MANAGER)
    outbox_confirm_delivered(message_id=unknown_message.pk, actor=manager)
    message = reload(unknown_message)
    assert message.status == State.DELIVERED and message.delivered_at is not None
    record = message.history.first()
    assert record.history_user == manager and "confirmed delivered" in record.history_change_reason
    with pytest.raises(OutboxTransitionError, match="only unknown or dead"):
        outbox_send_again(message_id=message.pk, actor=manager)


def admin_action(client, action: str, message: OutboxMessage):
    return client.post(reverse("admin:integrations_outboxmessage_changelist"),
                       {"action": action, "_selected_action": [message.pk], "index": 0},
                       follow=True)


def test_the_manager_resolves_messages_in_the_admin(client, make_user, unknown_message):
    client.force_login(make_user("boss", roles.ORDER_DESK_MANAGER))
    page = client.get(reverse("admin:integrations_outboxmessage_changelist"),
                      {"status__exact": "unknown", "channel__exact": "erp"})
    assert page.status_code == 200 and b"Outcome unknown" in page.content
    assert b"Mark delivered (confirmed in the ERP)" in page.content
    response = admin_action(client, "confirm_delivered", unknown_message)
    assert b"1 message(s) marked delivered" in response.content
    assert reload(unknown_message).status == State.DELIVERED
    response = admin_action(client, "send_again", unknown_message)
    assert b"1 skipped" in response.content
    detail = client.get(reverse("admin:integrations_outboxmessage_change", args=[unknown_message.pk]))
    assert detail.status_code == 200 and b"SKU-2" in detail.content


def test_customer_service_sees_the_outbox_but_cannot_resolve(client, make_user, unknown_message):
    client.force_login(make_user("cs", roles.CUSTOMER_SERVICE))
    page = client.get(reverse("admin:integrations_outboxmessage_changelist"))
    assert page.status_code == 200 and b"Mark delivered" not in page.content
    admin_action(client, "confirm_delivered", unknown_message)
    admin_action(client, "send_again", unknown_message)
    assert reload(unknown_message).status == State.UNKNOWN


# --- File drop ----------------------------------------------------------------------


@pytest.fixture
def drop(settings, tmp_path):
    folder = tmp_path / "erp-in"
    folder.mkdir()
    settings.ERP_ADAPTER = "filedrop"
    settings.ERP_FILEDROP_DIR = str(folder)
    settings.ERP_FILEDROP_FORMAT = "json"
    settings.ERP_MAX_ATTEMPTS = 2
    return folder


def test_file_drop_writes_one_json_file_per_order_and_no_temp_files(drop):
    message = erp_message()
    outbox_deliver(message_id=message.pk)
    assert reload(message).status == State.DELIVERED
    [written] = list(drop.iterdir())
    assert written.name == file_name("erp:C1001:4711:0", "json")
    assert written.name.startswith("erp_C1001_4711_0-") and written.suffix == ".json"
    assert json.loads(written.read_text()) == message.payload


def test_file_drop_csv_has_a_row_per_line_with_the_header_repeated_and_no_formulas(drop, settings):
    settings.ERP_FILEDROP_FORMAT = "csv"
    message = erp_message(po_number="=HYPERLINK(\"http://x\")")
    outbox_deliver(message_id=message.pk)
    [written] = list(drop.iterdir())
    assert written.suffix == ".csv"
    rows = list(csv.DictReader(io.StringIO(written.read_text())))
    assert [(r["line_number"], r["sku"], r["quantity"], r["unit_price"]) for r in rows] == [
        ("1", "SKU-1", "10", "1.0400"), ("2", "SKU-2", "2.5", "3.0000")]
    assert {r["customer_number"] for r in rows} == {"C1001"}
    assert {r["po_number"] for r in rows} == {"'=HYPERLINK(\"http://x\")"}
    assert {r["idempotency_key"] for r in rows} == {message.idempotency_key}


def test_a_file_already_dropped_counts_as_delivered_and_is_not_written_twice(drop):
    message = erp_message()
    # A worker wrote the file and died before recording it: the retry finds it.
    FileDropAdapter.from_settings().deliver(message)
    first = next(drop.iterdir()).read_bytes()
    outbox_deliver(message_id=message.pk)
    assert reload(message).status == State.DELIVERED
    assert [p.read_bytes() for p in drop.iterdir()] == [first]


def test_keys_that_clean_up_alike_get_different_files():
    assert file_name("erp:C1:PO/1:0", "json") != file_name("erp:C1:PO_1:0", "json")
    assert "/" not in file_name("erp:C1:../../etc/passwd:0", "csv")


def test_a_failed_write_leaves_neither_the_file_nor_a_temp_file(drop, monkeypatch):
    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    result = FileDropAdapter(directory=drop, fmt="json").deliver(erp_message())
    assert result.outcome == "retry" and "No space left on device" in result.detail
    assert list(drop.iterdir()) == []


def test_a_missing_drop_folder_is_retried_then_a_dead_letter_with_the_reason(drop, settings):
    settings.ERP_FILEDROP_DIR = str(drop / "not-mounted")
    message = erp_message()
    outbox_deliver(message_id=message.pk)
    message = reload(message)
    assert message.status == State.PENDING
    assert f"cannot write {drop / 'not-mounted'}" in message.last_error
    assert "FileNotFoundError" in message.last_error
    sweep_after(message)
    message = reload(message)
    assert message.status == State.DEAD and "gave up after 2 attempts" in message.last_error


# --- Configuration is refused when incomplete ---------------------------------------


def error_ids() -> list[str]:
    return [error.id for error in check_erp_delivery()]


def test_no_adapter_and_complete_configurations_pass_the_check(settings, tmp_path):
    settings.ERP_ADAPTER = ""
    assert error_ids() == []
    settings.ERP_ADAPTER, settings.ERP_WEBHOOK_URL = "webhook", "https://erp.example.com/in"
    settings.ERP_WEBHOOK_SECRET, settings.ERP_WEBHOOK_TIMEOUT = SECRET, 10
    assert error_ids() == []
    settings.ERP_ADAPTER, settings.ERP_FILEDROP_DIR = "filedrop", str(tmp_path)
    settings.ERP_FILEDROP_FORMAT = "csv"
    assert error_ids() == []


@pytest.mark.parametrize(
    ("changes", "error_id"),
    [
        ({"ERP_ADAPTER": "sftp"}, "orderdesk.E005"),
        ({"ERP_MAX_ATTEMPTS": 0}, "orderdesk.E006"),
        ({"ERP_WEBHOOK_URL": ""}, "orderdesk.E007"),
        ({"ERP_WEBHOOK_URL": "ftp://erp.example.com/"}, "orderdesk.E007"),
        ({"ERP_WEBHOOK_SECRET": ""}, "orderdesk.E008"),
        ({"ERP_WEBHOOK_TIMEOUT": 0}, "orderdesk.E009"),
        ({"ERP_WEBHOOK_TIMEOUT": 200}, "orderdesk.E009"),
        ({"ERP_ADAPTER": "filedrop", "ERP_FILEDROP_DIR": ""}, "orderdesk.E010"),
        ({"ERP_ADAPTER": "filedrop", "ERP_FILEDROP_DIR": "/nonexistent/erp-in"}, "orderdesk.E010"),
        ({"ERP_ADAPTER": "filedrop", "ERP_FILEDROP_FORMAT": "xml"}, "orderdesk.E011"),
    ],
)
def test_incomplete_erp_settings_fail_the_system_check(settings, tmp_path, changes, error_id):
    settings.ERP_ADAPTER, settings.ERP_WEBHOOK_URL = "webhook", "https://erp.example.com/in"
    settings.ERP_WEBHOOK_SECRET, settings.ERP_WEBHOOK_TIMEOUT = SECRET, 10
    settings.ERP_FILEDROP_DIR, settings.ERP_FILEDROP_FORMAT = str(tmp_path), "json"
    for name, value in changes.items():
        setattr(settings, name, value)
    assert error_id in error_ids()
