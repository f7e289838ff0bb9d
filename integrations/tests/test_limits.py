"""One document's budget: every reader in a limited child, attachments and orders counted,
the whole read bounded in time (issue 13, points 9 and 11)."""

from __future__ import annotations

import json
import time
from email.message import EmailMessage

import pytest

from integrations.parsers import limits, order_json, read_document, sandbox
from integrations.parsers.draft import ParseError


@pytest.fixture(autouse=True)
def _fresh_warm_child():
    """The warm child is forked at its first read: a reader patched before it is the
    reader it runs (and the next test's child is forked without the patch)."""
    sandbox.warm_stop()
    yield
    sandbox.warm_stop()


def _order(po: str = "4711", **changes) -> dict:
    return {"customer_number": "C1001", "po_number": po,
            "lines": [{"sku": "SKU-1", "quantity": "10", "uom": "EA"}], **changes}


def _json(value) -> bytes:
    return json.dumps(value).encode()


def _mail(attachments: list[tuple[str, bytes]]) -> bytes:
    message = EmailMessage()
    message["From"] = "buyer@acme.example"
    message["To"] = "orders@desk.example"
    message["Subject"] = "Purchase order"
    message.set_content("Please find our purchase order attached.")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def _sleeping(data: bytes, *, name: str = ""):
    time.sleep(60)


def _allocating(data: bytes, *, name: str = ""):
    return bytearray(2048 * 1024 * 1024)


def test_orders_past_the_budget_are_counted_and_not_read() -> None:
    read = read_document(_json([_order(str(n)) for n in range(30)]), name="po.json",
                         budget=limits.Budget(orders=5))
    assert [order.po_number.value for order in read.result.orders] == ["0", "1", "2", "3", "4"]
    assert read.orders_found == 30


def test_a_reader_that_runs_away_is_stopped_at_the_documents_deadline(monkeypatch) -> None:
    monkeypatch.setattr(order_json, "parse", _sleeping)
    started = time.monotonic()
    with pytest.raises(ParseError, match=r"^JSON reading exceeded 1 s$"):
        read_document(_json(_order()), name="po.json", budget=limits.Budget(seconds=1))
    assert time.monotonic() - started < 5


def test_a_document_that_is_no_e_mail_gets_the_time_of_one_reader(monkeypatch) -> None:
    monkeypatch.setattr(order_json, "parse", _sleeping)
    with pytest.raises(ParseError, match=r"^JSON reading exceeded 1 s$"):
        read_document(_json(_order()), name="po.json", budget=limits.Budget(seconds=60, part_seconds=1))


def test_a_reader_that_allocates_without_bound_is_unreadable_with_the_limit_named(monkeypatch) -> None:
    monkeypatch.setattr(order_json, "parse", _allocating)
    with pytest.raises(ParseError, match=r"^JSON reading ran out of memory \(128 MB limit\)$"):
        read_document(_json(_order()), name="po.json", budget=limits.Budget(memory_mb=128))


def test_an_x12_file_of_too_many_segments_is_refused_before_they_are_made() -> None:
    isa = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401"
           "*000000001*0*P*>~")
    body = "ST*850*0001~BEG*00*SA*PO1**20240101~" + "PO1*1*10*EA*1.5**VP*ABC~" * limits.MAX_SEGMENTS
    with pytest.raises(ParseError, match=r"^the X12 file has more than 100,000 segments$"):
        read_document((isa + body).encode(), name="po.x12")


def test_a_field_longer_than_any_order_data_is_refused() -> None:
    note = "x" * (limits.MAX_FIELD_CHARS + 1)
    with pytest.raises(ParseError, match=r"holds 32,768 characters; at most 32,767 are read in one field"):
        read_document(_json(_order(notes=note)), name="po.json")


def test_attachments_past_the_count_are_named_on_the_orders_read() -> None:
    attachments = [(f"po{n}.json", _json(_order(str(n)))) for n in range(4)]
    read = read_document(_mail(attachments), name="mail.eml", budget=limits.Budget(attachments=2))
    assert [order.po_number.value for order in read.result.orders] == ["0", "1"]
    for order in read.result.orders:
        assert "attachment po3.json could not be read: at most 2 attachments are read from one document" \
            in order.uncertain


def test_slow_attachments_share_the_documents_time(monkeypatch) -> None:
    # Six attachments of a reader that never ends: each is stopped at its own limit, and
    # those the document's time does not cover are not started.
    monkeypatch.setattr(order_json, "parse", _sleeping)
    attachments = [(f"po{n}.json", _json(_order(str(n)))) for n in range(6)]
    started = time.monotonic()
    read = read_document(_mail(attachments), name="mail.eml",
                         budget=limits.Budget(seconds=5, part_seconds=1))
    assert time.monotonic() - started < 6
    (order,) = read.result.orders  # the message's own draft, which names what was not read
    assert "attachment po0.json could not be read: JSON reading exceeded 1 s" in order.uncertain
    assert ("attachment po5.json could not be read: the document's reading time of 5 s was spent"
            in order.uncertain)


def test_an_attachment_that_runs_out_of_memory_leaves_the_others_read(monkeypatch) -> None:
    real = order_json.parse

    def hungry_for_the_first(data: bytes, *, name: str = ""):
        return _allocating(data) if b'"0"' in data else real(data, name=name)

    monkeypatch.setattr(order_json, "parse", hungry_for_the_first)
    attachments = [(f"po{n}.json", _json(_order(str(n)))) for n in range(2)]
    read = read_document(_mail(attachments), name="mail.eml", budget=limits.Budget(memory_mb=256))
    (order,) = read.result.orders
    assert order.po_number.value == "1"
    assert ("attachment po0.json could not be read: JSON reading ran out of memory (256 MB limit)"
            in order.uncertain)
