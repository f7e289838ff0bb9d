"""The order-corpus generator: deterministic, varied, readable files, and ground truth that holds.

The corpus is generated once per module (about two seconds). Besides the shape of
the files, the tests re-check the ground truth against the master data with a
small model of the CONTRACT §5 checks: every clean document passes all of them
(taken in intake order, so executed orders use up stock and credit), and every
defective document fails exactly its seeded check (plus what the master data
makes unavoidable, listed in `also`).
"""

from __future__ import annotations

import email
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from email import policy
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pdfplumber
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from integrations.parsers import order_json
from orders.corpus.defects import FORWARDERS
from orders.corpus.generate import Expected, generate_corpus, read_manifest, write_manifest
from orders.corpus.master import Customer, Master, load_master
from orders.demo import build_demo_rows
from rules.causes import Cause
from rules.checks import first_denied_match
from rules.rulebook import PARAMETERS

TODAY = date(2026, 3, 15)
FORMATS = {"email_body", "email_pdf", "pdf", "csv", "xlsx", "ubl", "x12", "edifact", "json"}
LANGUAGES = {"en", "de", "fr", "da", "nl"}
DEFECTS = {
    "UNKNOWN_CUSTOMER", "UNAUTHORIZED_SENDER", "UNKNOWN_SHIPTO", "UNKNOWN_PRODUCT", "DISCONTINUED_PRODUCT",
    "CONFIGURABLE_PRODUCT", "INVALID_UOM", "MIN_ORDER_QTY", "PRICE_MISSING", "PRICE_MISMATCH",
    "CURRENCY_MISMATCH", "QUANTITY_ANOMALY", "REQUESTED_DATE_INFEASIBLE", "INSUFFICIENT_STOCK", "CREDIT_HOLD",
    "CUSTOMER_BLOCKED", "DENIED_PARTY", "FREE_TEXT_INSTRUCTION", "ORDER_CHANGE", "DUPLICATE", "NOT_AN_ORDER",
    "EXTRACTION_UNCERTAIN", "CREDIT_LIMIT_EXCEEDED", "AMBIGUOUS_CUSTOMER", "UNREADABLE_DOCUMENT",
    "COMPLIANCE_RESTRICTED",
}  # fmt: skip
#: Defects that the document's fields do not show (its text, its scan, its history does).
NOT_IN_FIELDS = {"FREE_TEXT_INSTRUCTION", "EXTRACTION_UNCERTAIN", "ORDER_CHANGE", "DUPLICATE"}
PRICE_TOLERANCE = Decimal("0.02")


@pytest.fixture(scope="module")
def rows():
    return build_demo_rows(seed=7, today=TODAY)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, rows) -> tuple[Path, list[Expected]]:
    directory = tmp_path_factory.mktemp("corpus")
    return directory, generate_corpus(directory, master=rows, seed=11, count=240, today=TODAY)


def files(directory: Path, *extensions: str) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in extensions)


# --- determinism and composition -----------------------------------------------------------------


def test_same_seed_writes_identical_bytes(corpus, rows, tmp_path):
    directory, expected = corpus
    again = generate_corpus(tmp_path, master=rows, seed=11, count=240, today=TODAY)

    assert again == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in directory.iterdir())
    for path in directory.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_corpus_is_large_and_varied(corpus):
    directory, expected = corpus
    formats = Counter(e.format for e in expected)
    pdf_layouts = {e.layout for e in expected if e.format in ("pdf", "email_pdf") and e.layout != "pdf-scan"}

    assert len(expected) == len(list(directory.iterdir())) >= 200
    assert set(formats) == FORMATS
    assert {e.language for e in expected} == LANGUAGES
    assert len(pdf_layouts) >= 6
    assert formats["email_body"] + formats["email_pdf"] + formats["pdf"] >= 0.35 * len(expected)
    assert 0.25 <= sum(1 for e in expected if e.defect) / len(expected) <= 0.4


def test_every_defect_appears_at_least_twice(corpus):
    _, expected = corpus
    defects = Counter(e.defect for e in expected if e.defect)

    assert set(defects) == DEFECTS
    assert min(defects.values()) >= 2


def test_follow_ups_come_after_their_original(corpus):
    _, expected = corpus
    position = {}
    for index, item in enumerate(expected):
        key = (item.customer_number, item.po_number)
        if item.defect in ("ORDER_CHANGE", "DUPLICATE"):
            assert position.get(key, index) < index, item.file
        position.setdefault(key, index)


def test_manifest_round_trips(corpus, tmp_path):
    _, expected = corpus
    path = write_manifest(tmp_path / "manifest.json", expected, seed=11)

    assert read_manifest(path) == expected


# --- the files read as what they claim to be ------------------------------------------------------


def test_every_email_parses(corpus):
    directory, expected = corpus
    by_file = {e.file: e for e in expected}
    for path in files(directory, ".eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        item = by_file[path.name]
        assert message["From"] and message["Subject"] and message["Message-ID"], path.name
        assert message.get_body(("plain",)).get_content().strip(), path.name
        attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
        if item.attachment:
            assert attachments[item.attachment].startswith(b"%PDF"), path.name
        if item.forwarded_by:
            assert (
                item.forwarded_by in message["From"]
                and item.sender in message.get_body(("plain",)).get_content()
            )


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_every_pdf_shows_its_po_number_unless_scanned(corpus):
    directory, expected = corpus
    by_file = {e.file: e for e in expected}
    for path in files(directory, ".pdf"):
        data, item = path.read_bytes(), by_file[path.name]
        assert data.startswith(b"%PDF"), path.name
        if item.defect == "UNREADABLE_DOCUMENT":
            assert b"%%EOF" not in data[-1024:], path.name  # cut off before its end
            continue
        text = pdf_text(data)
        if item.layout == "pdf-scan":
            assert not text.strip(), path.name
        else:
            assert item.po_number in text, path.name


def test_pdf_attachments_show_their_po_number(corpus):
    directory, expected = corpus
    for item in expected:
        if item.format == "email_pdf" and item.layout != "pdf-scan":
            message = email.message_from_bytes((directory / item.file).read_bytes(), policy=policy.default)
            data = next(message.iter_attachments()).get_content()
            assert item.po_number in pdf_text(data), item.file


def test_every_xml_is_well_formed(corpus):
    directory, _ = corpus
    for path in files(directory, ".xml"):
        root = SafeET.fromstring(path.read_bytes())
        assert root.tag.endswith("}Order"), path.name


def test_every_json_is_contract_order_json(corpus):
    directory, expected = corpus
    by_file = {e.file: e for e in expected}
    for path in files(directory, ".json"):
        [order] = order_json.parse(path.read_bytes(), name=path.name).orders
        item = by_file[path.name]
        assert order.po_number.value == item.po_number
        assert [line.quantity.value for line in order.lines] == [
            Decimal(line.quantity) for line in item.lines
        ]


def test_lines_add_up(corpus):
    """base quantity = quantity x the unit's factor, wherever the unit is the product's."""
    _, expected = corpus
    for item in expected:
        for line in item.lines:
            if line.base_quantity:
                assert int(line.base_quantity) % int(line.quantity) == 0, item.file


# --- the ground truth holds against the master data ----------------------------------------------


@dataclass
class World:
    """What a correct order desk knows while it takes the corpus in, in intake order."""

    master: Master
    inventory: list[dict]
    allocated: Counter = field(default_factory=Counter)
    exposure: dict[str, Decimal] = field(default_factory=dict)
    executed: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def available(self, sku: str, by: date) -> int:
        rows = [r for r in self.inventory if r["sku"] == sku]
        receipts = sum(
            r.get("next_receipt_qty") or 0
            for r in rows
            if r.get("next_receipt_date") and r["next_receipt_date"] <= by
        )
        return sum(r["on_hand"] for r in rows) + receipts - self.allocated[sku]


def header_causes(world: World, customer: Customer, item: Expected) -> set[str]:
    authorized = {c.email for c in customer.contacts}
    denied = {d.name for d in world.master.denied}
    checks = {
        "CUSTOMER_BLOCKED": customer.blocked,
        "UNAUTHORIZED_SENDER": item.sender not in authorized
        and item.sender.partition("@")[2] not in customer.domains,
        "CREDIT_HOLD": customer.on_hold,
        "UNKNOWN_SHIPTO": item.shipto_code not in {s.code for s in customer.shiptos},
        "DENIED_PARTY": item.ship_to is not None and item.ship_to.name in denied,
        "CURRENCY_MISMATCH": item.currency != customer.currency,
    }
    return {code for code, failed in checks.items() if failed}


def shipto_country(customer: Customer, item: Expected) -> str:
    """Where the goods go: the resolved ship-to's country, else the written address's."""
    known = next((s.address.country for s in customer.shiptos if s.code == item.shipto_code), None)
    return known or (item.ship_to.country if item.ship_to else customer.default_shipto.address.country)


def line_causes(world: World, customer: Customer, item: Expected, line) -> set[str]:
    product = world.master.products.get(line.sku)
    if product is None:
        return {"UNKNOWN_PRODUCT"}
    found = {
        code
        for code, failed in (
            ("DISCONTINUED_PRODUCT", not product.active),
            ("CONFIGURABLE_PRODUCT", product.configurable),
            ("COMPLIANCE_RESTRICTED", shipto_country(customer, item) in product.restricted),
        )
        if failed
    }
    price = customer.prices.get(line.sku)
    if price is None or not price.valid_on(item.order_date):
        found.add("PRICE_MISSING")
    if (item.requested_date - TODAY).days < product.lead_time_days:
        found.add("REQUESTED_DATE_INFEASIBLE")
    factor = product.factor(line.uom_code)
    if factor is None:
        return found | {"INVALID_UOM"}
    assert int(line.base_quantity) == int(line.quantity) * factor, item.file
    return found | quantity_causes(world, customer, item, line, product, factor)


def quantity_causes(world: World, customer: Customer, item: Expected, line, product, factor: int) -> set[str]:
    base, found = int(line.base_quantity), set()
    earlier = customer.history.get(line.sku, []) + world.executed.get((customer.number, line.sku), [])
    if base < product.min_order_qty:
        found.add("MIN_ORDER_QTY")
    if len(earlier) >= 3 and base > 3 * max(earlier):
        found.add("QUANTITY_ANOMALY")
    if base > world.available(line.sku, item.requested_date):
        found.add("INSUFFICIENT_STOCK")
    price = customer.prices.get(line.sku)
    if line.unit_price is not None and price is not None:
        agreed = price.amount * factor
        if abs(Decimal(line.unit_price) - agreed) > agreed * PRICE_TOLERANCE:
            found.add("PRICE_MISMATCH")
    return found


def order_value(customer: Customer, item: Expected) -> Decimal:
    return sum(
        (
            customer.prices[line.sku].amount * int(line.base_quantity)
            for line in item.lines
            if line.sku in customer.prices and line.base_quantity
        ),
        Decimal(0),
    )


def causes(world: World, item: Expected) -> set[str]:
    if item.customer_number is None:
        return {"UNKNOWN_CUSTOMER"}
    customer = world.master.customers[item.customer_number]
    if item.named_customer and item.named_customer != customer.number:
        assert item.named_customer in world.master.customers, item.file
        return {"AMBIGUOUS_CUSTOMER"}  # the sender speaks for one customer, the number names another
    found = header_causes(world, customer, item)
    for line in item.lines:
        found |= line_causes(world, customer, item, line)
    exposure = world.exposure.setdefault(customer.number, customer.exposure)
    if exposure + order_value(customer, item) > customer.credit_limit:
        found.add("CREDIT_LIMIT_EXCEEDED")
    return found


def execute(world: World, item: Expected) -> None:
    customer = world.master.customers[item.customer_number]
    world.exposure[customer.number] += order_value(customer, item)
    for line in item.lines:
        world.allocated[line.sku] += int(line.base_quantity)
        world.executed.setdefault((customer.number, line.sku), []).append(int(line.base_quantity))


def release(world: World, item: Expected, sign: int = -1) -> None:
    """Take an executed order's stock and credit back (sign=1: book them again)."""
    customer = world.master.customers[item.customer_number]
    world.exposure[customer.number] += sign * order_value(customer, item)
    for line in item.lines:
        world.allocated[line.sku] += sign * int(line.base_quantity)


def test_each_document_fails_exactly_its_seeded_check(corpus, rows):
    _, expected = corpus
    world = World(load_master(rows), rows["inventory"])
    executed: dict[tuple[str | None, str | None], Expected] = {}
    for item in expected:
        if item.defect in ("NOT_AN_ORDER", "UNREADABLE_DOCUMENT"):
            continue
        wanted = set() if item.defect in NOT_IN_FIELDS or item.defect is None else {item.defect, *item.also}
        # A change replaces the order it changes: it is checked without the original's stock and credit.
        changes = item.defect == "ORDER_CHANGE"
        original = executed.get((item.customer_number, item.po_number)) if changes else None
        if original:
            release(world, original)
        assert causes(world, item) == wanted, (item.file, item.note)
        if original:
            release(world, original, sign=1)
        if item.status == "executed":
            execute(world, item)
            executed[item.customer_number, item.po_number] = item


def test_restricted_goods_go_to_a_forwarder_in_a_restricted_country(corpus, rows):
    """The demo data has no ship-to in a restricted country: the order names a forwarder there."""
    _, expected = corpus
    master = load_master(rows)
    seeded = [item for item in expected if item.defect == "COMPLIANCE_RESTRICTED"]
    assert len({item.format for item in seeded}) >= 2
    for item in seeded:
        customer = master.customers[item.customer_number]
        assert item.shipto_code is None and item.also == ("UNKNOWN_SHIPTO",), item.file
        assert item.ship_to.country not in {s.address.country for s in customer.shiptos}, item.file


def test_forwarders_are_unlike_every_denied_party_even_at_the_loosest_match(rows):
    loosest = next(p.minimum for p in PARAMETERS[Cause.DENIED_PARTY] if p.name == "match_pct")
    forwarders = [(name, country) for name, _, _, _, country in FORWARDERS]
    assert first_denied_match(forwarders, load_master(rows).denied, loosest) is None


def test_clean_documents_use_real_senders_and_new_po_numbers(corpus, rows):
    _, expected = corpus
    master = load_master(rows)
    seen = set()
    for item in expected:
        if item.status != "executed":
            continue
        customer = master.customers[item.customer_number]
        assert item.sender in {c.email for c in customer.contacts}, item.file
        assert item.po_number not in customer.history_pos and (customer.number, item.po_number) not in seen
        seen.add((customer.number, item.po_number))


# --- the command ---------------------------------------------------------------------------------------


def test_command_writes_master_data_corpus_and_manifest(tmp_path):
    out = io.StringIO()
    call_command(
        "generate_corpus", str(tmp_path), "--count", "200", "--seed", "3", "--today", "2026-03-15", stdout=out
    )

    expected = read_manifest(tmp_path / "manifest.json")
    assert len(expected) == 200 == len(list((tmp_path / "documents").iterdir()))
    assert (tmp_path / "masterdata" / "customers.csv").read_text().startswith("customer_number,")
    assert "Wrote 200 documents" in out.getvalue()
    with pytest.raises(CommandError, match="not empty"):
        call_command("generate_corpus", str(tmp_path), "--today", "2026-03-15", stdout=io.StringIO())
