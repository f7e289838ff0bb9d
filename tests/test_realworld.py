"""Real documents nobody here wrote, through the whole intake (issue 14).

The documents and the clerk's reading of them are read from
../shared/corpus/realworld (never copied here: no licence, real companies'
documents); that test skips with a reason where the folder is absent. The
scoring is bench/realworld.py's, which prints the figures format by format;
here only what must always hold is asserted: no order executes wrongly. The
scorer itself is tested on small hand-made records first.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

# bench/ is a folder of scripts, importable from the project root (pytest puts it on sys.path).
from bench import realworld
from bench.realworld import (
    ExpectedDocument,
    ExpectedLine,
    ExpectedOrder,
    ReadLine,
    ReadOrder,
    ShipToAddress,
    score_document,
    score_order,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "realworld"
needs_corpus = pytest.mark.skipif(not (CORPUS / "expected.json").is_file(),
                                  reason=f"../shared/corpus/realworld not present at {CORPUS}")

SHIP = ShipToAddress("S1", "Acme Plant", "12 Mill Road", "54914", "Appleton", "US")


def expected(**changes) -> ExpectedOrder:
    order = ExpectedOrder(
        po_numbers=("PO-1", "PO 1"), order_date=date(2021, 1, 5), requested_date=date(2021, 1, 9),
        currency="USD", ship_to=SHIP, customer_number="RW001",
        lines=[ExpectedLine(ids=("B4840A", "4055"), sku="B4840A", quantity=Decimal(504), unit="EA",
                            unit_price=Decimal("7.19"), seller="B4840A", buyer="4055"),
               ExpectedLine(ids=("NPAL",), sku="NPAL", quantity=Decimal(10), unit=None,
                            unit_price=None)])
    for name, value in changes.items():
        setattr(order, name, value)
    return order


def read(status="executed", **changes) -> ReadOrder:
    order = ReadOrder(
        status=status, customer_number="RW001", po_number="PO 1", order_date=date(2021, 1, 5),
        requested_date=date(2021, 1, 9), currency="USD", shipto_code="S1",
        ship_to_street="12 MILL RD", ship_to_postal_code="54914",
        lines=[ReadLine(customer_part_number="4055", product_sku="B4840A", quantity=Decimal("504.000"),
                        uom="each", resolved_uom="EA", unit_price=Decimal("7190.00"),
                        price_per=Decimal(1000)),
               ReadLine(sku="NPAL", product_sku="NPAL", quantity=Decimal(10), resolved_uom="EA")])
    for name, value in changes.items():
        setattr(order, name, value)
    return order


def document(*orders: ExpectedOrder, is_order: bool = True) -> ExpectedDocument:
    return ExpectedDocument(file="docs/x.pdf", bucket="pdf text-layer", is_order=is_order,
                            language="en", raw={}, orders=list(orders))


def misses(checks) -> list[str]:
    return [check.field for check in checks if not check.ok]


def test_an_order_read_as_the_clerk_read_it_scores_every_field_right():
    checks = score_order(expected(), read())
    assert misses(checks) == []
    # PO, two dates, currency, ship-to; item, quantity, unit, price; item and quantity.
    assert len(checks) == 11


def test_a_wrong_quantity_price_or_po_is_a_miss_and_an_executed_one_a_wrong_execution():
    order = read(po_number="PO-2")
    order.lines[0].quantity = Decimal(540)
    order.lines[0].price_per = None
    assert misses(score_order(expected(), order)) == ["po_number", "line 1 quantity",
                                                     "line 1 unit_price"]
    score = score_document(document(expected()), [order])
    assert score.executed == 1 and len(score.wrong) == 1
    assert "line 1 quantity: want 504, got 540" in score.wrong[0]


def test_lines_pair_by_position_then_by_item():
    order = read()
    order.lines.reverse()
    assert misses(score_order(expected(), order)) == []


def test_a_missing_line_and_an_extra_line_are_misses():
    order = read()
    order.lines = [order.lines[0], ReadLine(sku="OTHER", quantity=Decimal(1)),
                   ReadLine(sku="MORE", quantity=Decimal(2))]
    assert misses(score_order(expected(), order)) == ["line 2 item", "line 2 quantity", "extra line 3"]


def test_a_ship_to_not_read_is_a_miss_but_not_a_wrong_execution_when_it_went_to_the_right_site():
    unread = read(ship_to_street="", ship_to_postal_code="")
    assert misses(score_order(expected(), unread)) == ["ship_to"]
    assert score_document(document(expected()), [unread]).wrong == []
    elsewhere = read(shipto_code="BILLTO")
    assert len(score_document(document(expected()), [elsewhere]).wrong) == 1


def test_fields_the_document_does_not_carry_are_not_scored():
    checks = score_order(expected(currency=None, requested_date=None, ship_to=None, po_numbers=()),
                         read(currency="EUR", po_number="ANY"))
    assert {c.field for c in checks}.isdisjoint({"currency", "requested_date", "ship_to", "po_number"})


def test_routed_orders_non_orders_and_duplicates_are_counted_apart():
    routed = score_document(document(expected()), [read("exception", causes=("REQUESTED_DATE_INFEASIBLE",))])
    assert (routed.executed, routed.routed, routed.date_only, routed.wrong) == (0, 1, 1, [])
    rejected = score_document(document(is_order=False), [read("rejected")])
    assert rejected.non_order_right is True and rejected.checks == []
    executed_junk = score_document(document(is_order=False), [read()])
    assert executed_junk.non_order_right is False and len(executed_junk.wrong) == 1
    again = score_document(document(expected(expect_duplicate=True)), [read()])
    assert "a duplicate executed a second time" in again.wrong[0]


def test_an_order_split_into_several_executed_orders_is_wrong():
    second = read(po_number="PART-2")
    score = score_document(document(expected()), [read(), second])
    assert score.executed == 2
    assert [w.split(":")[0] for w in score.wrong] == ["PO PART-2"]


def test_the_clerks_annotations_are_stripped():
    assert realworld.plain("ABC1234 (PIA+1 IN)") == "ABC1234"
    assert realworld.plain("(not named)") == ""
    assert realworld.number("1,428.000") == Decimal("1428.000")
    assert realworld.currency_code("GBP (order currency) with EUR") == "GBP"
    assert realworld.unit_code("EACH") == "EA" and realworld.unit_code("x") is None


@needs_corpus
@pytest.mark.django_db
def test_no_real_world_order_executes_wrongly():
    documents = realworld.expected_documents(CORPUS)
    tally = realworld.run(documents, CORPUS)

    assert len(tally.scores) == len(documents) == 44
    assert {s.bucket for s in tally.scores} >= {"pdf text-layer", "email", "x12", "ubl"}
    right, total = tally.fields()
    assert total > 700 and right > 0  # every document was scored
    wrong = tally.wrong_executions()
    assert wrong == [], f"{len(wrong)} orders would execute wrongly:\n" + "\n".join(wrong)
