"""The unseen corpus's generator and the scoring of bench/unseen.py (issue 14).

What is checked here is the generator itself (the same seed gives the same
bytes, every class is there, the manifest is well-formed and agrees with the
master data, every file parses as its format) and the bench's scoring. Whether
the reader reads these documents is bench/unseen.py's to print, not this
test's to assert: they were written to find what it cannot read yet.
"""

import csv
import io
from collections import Counter
from dataclasses import replace
from datetime import date
from email import message_from_bytes, policy

import pdfplumber
import pytest
from openpyxl import load_workbook

from bench.unseen import Seen, SeenLine, judge, tally
from orders.corpus.generate import read_manifest, write_manifest
from orders.corpus.master import load_master
from orders.corpus.unseen import CLASSES, INSTRUCTION_CLASS, class_of, generate_unseen
from orders.demo import build_demo_rows

TODAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    master = build_demo_rows(seed=7, today=TODAY)
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    expected = generate_unseen(first, master=master, seed=5, today=TODAY)
    again = generate_unseen(second, master=master, seed=5, today=TODAY)
    return first, second, expected, again, load_master(master)


def test_the_same_seed_writes_the_same_bytes(corpus, tmp_path):
    first, second, expected, again, _ = corpus
    assert expected == again
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) == sorted(item.file for item in expected)
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in names)
    other = generate_unseen(tmp_path, master=build_demo_rows(seed=7, today=TODAY), seed=6, today=TODAY)
    assert [item.po_number for item in other] != [item.po_number for item in expected]


def test_every_class_is_there_and_the_manifest_is_well_formed(corpus, tmp_path):
    directory, _, expected, _, master = corpus
    assert Counter(class_of(item) for item in expected) == Counter(CLASSES)
    path = write_manifest(tmp_path / "manifest.json", expected, today=TODAY, seed=5, corpus="unseen")
    assert read_manifest(path) == expected
    assert len({item.po_number for item in expected}) == len(expected)
    for item in expected:
        customer = master.customers[item.customer_number]
        assert (directory / item.file).is_file()
        assert item.lines and all(line.sku in customer.prices for line in item.lines)
        assert item.shipto_code in {s.code for s in customer.shiptos}
        assert item.sender in {c.email for c in customer.contacts}
        instruction = class_of(item) == INSTRUCTION_CLASS
        assert (item.defect, item.status) == (
            ("FREE_TEXT_INSTRUCTION", "exception") if instruction else (None, "executed")
        )
        if "Monday" in item.note:
            assert item.requested_date.weekday() == 0
        if class_of(item) in ("sheet-shipto-address", "pdf-three-blocks"):
            assert item.ship_to is not None
    languages = {item.language for item in expected if class_of(item) == "mail-languages"}
    assert languages == {"sv", "no", "it", "es", "pl", "pt", "fi", "cs"}


def test_every_document_parses_as_its_format(corpus):
    directory, _, expected, _, _ = corpus
    for item in expected:
        data = (directory / item.file).read_bytes()
        if item.format in ("email_body", "email_pdf"):
            message = message_from_bytes(data, policy=policy.default)
            assert message["From"].addresses[0].addr_spec == item.sender
            body = message.get_body(("plain",)).get_content()
            if item.format == "email_body":
                assert item.po_number in body, item.file
                continue
            (attachment,) = list(message.iter_attachments())
            assert attachment.get_filename() == item.attachment
            data = attachment.get_content()
        if item.format in ("pdf", "email_pdf"):
            assert data.startswith(b"%PDF-")
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                text = "".join(page.extract_text() or "" for page in pdf.pages)
                if class_of(item) == "pdf-overprint":
                    assert _overprinted(pdf.pages[0].chars), item.file
                if class_of(item) == "pdf-terms-page":
                    assert len(pdf.pages) == 2
            assert text.strip(), item.file
        elif item.format == "csv":
            rows = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";" if b";" in data else ","))
            assert len(rows) == len(item.lines) + 1 and len({len(row) for row in rows}) == 1
        elif item.format == "xlsx":
            sheet = load_workbook(io.BytesIO(data), read_only=True).active
            assert len(list(sheet.iter_rows(values_only=True))) == len(item.lines) + 1


def _overprinted(chars) -> bool:
    """The same glyph printed again a hair to the right of itself."""
    return any(
        a["text"] == b["text"] and 0 < b["x0"] - a["x0"] < 0.5 for a, b in zip(chars, chars[1:], strict=False)
    )


# --- the bench's scoring ------------------------------------------------------------------------


def _read_right(item, status="executed", codes=()) -> Seen:
    lines = [
        SeenLine(line.sku, line.quantity, line.base_quantity or None, line.unit_price) for line in item.lines
    ]
    return Seen(
        status,
        frozenset(codes),
        item.po_number,
        item.customer_number,
        item.shipto_code,
        item.requested_date,
        lines,
    )


def test_the_bench_scores_executions_routings_and_fields(corpus):
    _, _, expected, _, _ = corpus
    clean = next(
        item
        for item in expected
        if item.defect is None and len(item.lines) > 1 and item.lines[0].unit_price is not None
    )
    instruction = next(item for item in expected if item.defect == "FREE_TEXT_INSTRUCTION")

    right = judge(clean, [_read_right(clean)])
    assert (right.outcome, right.wrong_execution, right.misses) == ("executed", "", [])
    assert (
        right.right
        == right.fields
        == 5
        + 4 * len(clean.lines)
        - sum(not line.base_quantity for line in clean.lines)
        - (clean.requested_date is None)
    )

    elsewhere = replace(_read_right(clean), shipto="S9")
    assert "shipto" in judge(clean, [elsewhere]).wrong_execution
    no_price = _read_right(clean)
    no_price.lines[0] = replace(no_price.lines[0], unit_price=None)
    missed = judge(clean, [no_price])
    assert missed.wrong_execution == "" and missed.right == missed.fields - 1
    other_price = _read_right(clean)
    other_price.lines[0] = replace(other_price.lines[0], unit_price="999.99")
    assert "unit_price" in judge(clean, [other_price]).wrong_execution

    routed = judge(instruction, [_read_right(instruction, "exception", {"FREE_TEXT_INSTRUCTION"})])
    assert routed.instruction_routed and not routed.wrong_execution
    assert not judge(
        instruction, [_read_right(instruction, "exception", {"EXTRACTION_UNCERTAIN"})]
    ).instruction_routed
    assert "executed, want exception" in judge(instruction, [_read_right(instruction)]).wrong_execution
    nothing = judge(clean, [])
    assert nothing.outcome == "nothing" and nothing.right == 0 and nothing.fields == 1 + 5 * len(clean.lines)

    seen = {
        clean.file: [elsewhere],
        instruction.file: [_read_right(instruction, "exception", {"FREE_TEXT_INSTRUCTION"})],
    }
    rows = tally([clean, instruction], seen, class_of)
    total = rows["all"]
    assert (
        total.documents,
        total.clean,
        total.clean_executed,
        total.instructions,
        total.instructions_routed,
    ) == (2, 1, 1, 1, 1)
    assert len(total.wrong_executions) == 1 and len(rows[class_of(clean)].wrong_executions) == 1
