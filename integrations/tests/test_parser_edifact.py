"""The EDIFACT ORDERS parser against the shared corpus and small synthetic interchanges."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers import edifact
from integrations.parsers.draft import CONFIDENT, DocumentKind, OrderDraft, ParseError, ParseResult

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "edifact"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"../shared/corpus not present: {CORPUS}")


def value(read):
    return None if read is None else read.value


def ids(line) -> tuple:
    return value(line.gtin), value(line.sku), value(line.customer_part_number)


def amounts(line) -> tuple:
    return value(line.quantity), value(line.uom), value(line.unit_price)


def corpus(name: str) -> list[OrderDraft]:
    result = edifact.parse((CORPUS / name).read_bytes(), name=name)
    assert result.not_an_order == ""
    return result.orders


HEADER = ["BGM+220+PO-1+9", "DTM+137:20261120:102", "NAD+BY+4000001000005::9++ACME GMBH"]
LINE = ["LIN+1++4000001000012:EN", "QTY+21:10:PCE", "PRI+AAA:2.50"]


def message(segments: list[str], reference: str = "1", kind: str = "ORDERS") -> str:
    body = [f"UNH+{reference}+{kind}:D:96A:UN:EAN008", *segments]
    return "'".join([*body, f"UNT+{len(body) + 1}+{reference}"]) + "'"


def interchange(*messages: str, una: str = "") -> str:
    return f"{una}UNB+UNOC:3+4000001000005:14+4000009000007:14+261120:1200+77'{''.join(messages)}UNZ+1+77'"


def edi(segments: list[str], una: str = "", kind: str = "ORDERS") -> bytes:
    return interchange(message(segments, kind=kind), una=una).encode()


def one(data: bytes) -> OrderDraft:
    result = edifact.parse(data)
    assert result.not_an_order == ""
    assert len(result.orders) == 1
    return result.orders[0]


# --- corpus ------------------------------------------------------------------------------------


@needs_corpus
def test_oca_sample1_reads_ean_lines_with_net_prices():
    (order,) = corpus("oca-edi_Retail_EDIFACT_ORDERS_sample1.txt")
    assert order.kind is DocumentKind.ORDER
    assert value(order.po_number) == "1AA1TEST"
    assert order.locator == "message 1"
    assert value(order.order_date) == date(2023, 6, 6)
    assert value(order.requested_date) == date(2023, 6, 6)
    assert value(order.currency) == "EUR"
    assert [value(i) for i in order.buyer_ids] == ["GLN:5450534000017"]
    assert value(order.shipto_code) == "5450534008617"
    assert order.shipto_code.confidence == 0.7
    assert value(order.ship_to.country) == "GB"
    assert [ids(line) for line in order.lines] == [
        ("9783898307529", None, None), ("9783898307538", None, None), ("9783898307645", None, None)]
    assert [amounts(line) for line in order.lines] == [
        (5, None, Decimal("27.5")), (1, None, Decimal("10.87")), (3, None, Decimal("3.85"))]
    assert all(line.unit_price.confident for line in order.lines)
    assert order.uncertain == []


@needs_corpus
def test_oca_sample2_lines_carry_only_supplier_article_numbers():
    (order,) = corpus("oca-edi_Retail_EDIFACT_ORDERS_sample2.txt")
    assert value(order.po_number) == "1AA1TEST"
    assert value(order.requested_date) == date(2022, 11, 24)  # DTM+64 earliest before DTM+63 latest
    assert value(order.ship_to.country) == "DE"
    assert [ids(line) for line in order.lines] == [
        (None, "567123", None), (None, "1234567", None), (None, "765432", None)]
    assert [amounts(line) for line in order.lines] == [
        (5, None, Decimal("27.5")), (1, None, Decimal("10.87")), (3, None, Decimal("3.85"))]
    assert order.lines[0].sku.evidence.text == "PIA+5+567123:SA"
    assert order.uncertain == []


@needs_corpus
def test_oca_file_without_pri_has_no_prices_and_doubts_its_wrong_unt_count():
    (order,) = corpus("oca-edi_test_orders_-_no_PRI_segments.txt")
    assert value(order.po_number) == "COM-004017"
    assert order.po_number.evidence.line == 4  # UNA counts as segment 1
    assert value(order.requested_date) == date(2023, 3, 21)
    assert value(order.customer_number) == "5450534008617"
    assert order.customer_number.confidence == 0.8
    assert [value(i) for i in order.buyer_ids] == ["91:5450534008617", "92:5450534008143"]
    assert value(order.customer_name) == "PartyName1"
    assert (value(order.ship_to.name), value(order.ship_to.street), value(order.ship_to.city),
            value(order.ship_to.postal_code)) == ("PartyName1", "Address1", "City1", "1964")
    assert [ids(line) for line in order.lines] == [
        ("9783898307529", "7076", "30007"), ("9783898307538", "7065", "38812"),
        ("9783898307645", "7056", "30008")]
    assert [amounts(line) for line in order.lines] == [(8, "6", None), (4, "6", None), (1, "24", None)]
    # Its UNT says 267 segments where the message has 21: a file cut short reads the same.
    assert order.uncertain == ["the message says it has 267 segments (UNT) but 21 were found: "
                               "segments may be missing"]


@needs_corpus
def test_oca_file_without_ean_reads_pia_codes_bottles_and_gross_prices():
    (order,) = corpus("oca-edi_test_orders_-_no_ean_in_LIN_segments.txt")
    assert value(order.po_number) == "467819"
    assert value(order.order_date) == date(2023, 3, 20)  # format 203
    assert value(order.requested_date) == date(2023, 3, 22)
    assert [value(i) for i in order.buyer_ids] == ["ZZ:5450534008617"]
    assert value(order.ship_to.name) == "Suppliér1"
    assert value(order.ship_to.country) == "CH"
    assert order.sender_email is None  # CTA+OC without COM
    assert [value(n) for n in order.notes] == ["allowance/charge present: charge FC FRAIS DE PORT"]
    assert [ids(line) for line in order.lines] == [
        (None, "1276", "31136"), (None, "46630", "27952"), (None, "98891 75", "22389"),
        (None, "37230", "16344"), (None, "1076", "16270")]
    assert amounts(order.lines[0]) == (12, "BOU", Decimal("5.22"))  # QTY+21, not QTY+59 in PCE
    assert amounts(order.lines[1]) == (24, "BOU", Decimal("27.641"))
    assert amounts(order.lines[4]) == (90, "BOU", Decimal("5.22"))
    assert order.lines[0].unit_price.confidence == 0.8  # PRI+AAB is a gross price
    assert value(order.lines[2].description) == "Product3; Product3 Description"
    assert order.uncertain == []


@needs_corpus
def test_bots_orders96_holds_two_messages_without_prices():
    first, second = corpus("bots-plugins_orders96.edi")
    assert [value(first.po_number), value(second.po_number)] == ["1-4500094289", "1-4500094290"]
    assert [first.locator, second.locator] == ["message 1-1UNHREF", "message 1-2UNHREF"]
    assert [len(first.lines), len(second.lines)] == [4, 1]
    assert [value(line.quantity) for line in first.lines] == [Decimal("1")] * 4
    assert str(value(first.lines[1].quantity)) == "1.00"
    assert all(line.unit_price is None for line in first.lines)
    assert value(first.lines[0].gtin) == "8712345678901"
    assert value(first.requested_date) == date(2005, 8, 29)
    assert first.references_po is None  # the RFF+ON under NAD+SU is not an order reference


@needs_corpus
def test_bots_order01_spans_two_interchanges():
    orders = corpus("bots-plugins_order01.edi")
    assert [value(o.po_number) for o in orders] == [f"ORDT0000000004-{n}" for n in (1, 2, 3)]
    assert [len(o.lines) for o in orders] == [1, 1, 4]
    assert [value(line.quantity) for line in orders[2].lines] == [10, 100, 1000, 10000]
    assert value(orders[2].lines[3].gtin) == "2000100873182"
    assert all(o.uncertain == [] for o in orders)


@needs_corpus
def test_bots_orders_to_csv_holds_four_messages_and_flags_a_provisional_one():
    orders = corpus("bots-plugins_orders_to_csv_test.edi")
    assert [value(o.po_number) for o in orders] == ["BGMREF", "1-4500094289", "1-4500094290", "1-4500094291"]
    assert [len(o.lines) for o in orders] == [4, 2, 1, 1]
    assert value(orders[0].requested_date) == date(1997, 8, 30)  # DTM+2 (format 203) before DTM+64
    assert any("46 (provisional)" in u for u in orders[0].uncertain)
    assert value(orders[3].lines[0].quantity) == 9
    assert orders[1].uncertain == []


@needs_corpus
def test_bots_orders02_has_24_interchanges_and_66_lines():
    orders = corpus("bots-plugins_orders02-24msgs.edi")
    assert len(orders) == 24
    assert sum(len(o.lines) for o in orders) == 66
    assert [value(o.po_number) for o in orders[:3]] == ["123", "1234", "12345"]
    assert [value(line.gtin) for line in orders[0].lines] == [
        "8712345004002", "8712345005009", "8712345006006"]
    assert [value(line.quantity) for line in orders[0].lines] == [50, 10, 5]
    rich = next(o for o in orders if o.locator == "message I1L0401110000T")
    assert value(rich.currency) == "NLG"
    assert value(rich.lines[1].quantity) == 10  # QTY+21 wins over the QTY+47 before it
    assert value(rich.lines[1].unit_price) == 1 and rich.lines[1].unit_price.confidence < CONFIDENT  # PRI+INV
    assert value(rich.lines[1].requested_date) == date(1997, 8, 30)
    assert (value(rich.ship_to.name), value(rich.ship_to.postal_code)) == ("NAAM", "6114GM")
    assert [value(n) for n in rich.notes] == ["allowance/charge present: allowance ADO"]
    assert sum(line.unit_price is not None for o in orders for line in o.lines) == 1
    empty = next(o for o in orders if o.locator == "message I1L0401100000T")
    assert "no order lines (LIN)" in empty.uncertain


@needs_corpus
def test_pydifact_order_with_decimal_comma_and_no_unz():
    (order,) = corpus("pydifact_order.edi")
    assert value(order.po_number) == "801715918011"
    assert value(order.order_date) == date(2015, 8, 3)
    assert value(order.requested_date) == date(2015, 8, 6)
    assert [value(i) for i in order.buyer_ids] == ["GLN:8711576000012"]
    assert value(order.shipto_code) == "8711576100019"
    assert [ids(line) for line in order.lines] == [
        ("5020436373085", None, None), ("5020436373108", None, None)]
    assert [amounts(line) for line in order.lines] == [(8, None, None), (8, None, None)]
    assert order.uncertain == []


@needs_corpus
def test_pydifact_order2_buyer_article_number():
    (order,) = corpus("pydifact_order2.edi")
    assert value(order.po_number) == "PO123456"
    assert [ids(line) for line in order.lines] == [(None, None, "ABC123")]
    assert amounts(order.lines[0]) == (10, None, Decimal("25.00"))
    assert order.uncertain == []


@needs_corpus
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*")) if CORPUS.is_dir() else [], ids=lambda p: p.name)
def test_evidence_names_the_segment_and_its_position(path):
    """Every corpus file has one segment per text line, so the segment index is the line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for order in edifact.parse(path.read_bytes()).orders:
        for read in [order.po_number, *(line.quantity for line in order.lines)]:
            assert lines[read.evidence.line - 1].rstrip("'") == read.evidence.text


# --- synthetic: kinds ----------------------------------------------------------------------------


def test_function_1_is_a_cancellation_of_the_named_po():
    order = one(edi(["BGM+220+PO-9+1", *HEADER[1:]]))
    assert order.kind is DocumentKind.CANCEL
    assert value(order.references_po) == "PO-9"
    assert "no order lines (LIN)" not in order.uncertain


def test_function_5_replace_is_a_change():
    order = one(edi(["BGM+220+PO-9+5", *HEADER[1:], *LINE]))
    assert order.kind is DocumentKind.CHANGE
    assert value(order.references_po) == "PO-9"
    assert order.references_po.confident


def test_ordchg_names_the_changed_order_in_rff_on():
    order = one(edi(["BGM+230+CHG-1+9", "RFF+ON:PO-7", *HEADER[1:], "LIN+1+3+4000001000012:EN", "QTY+21:4"],
                    kind="ORDCHG"))
    assert order.kind is DocumentKind.CHANGE
    assert value(order.po_number) == "CHG-1"
    assert value(order.references_po) == "PO-7"
    assert any("action request 3 (changed)" in value(n) for n in order.notes)


def test_ordchg_without_rff_on_assumes_the_bgm_number_with_doubt():
    order = one(edi(["BGM+230+PO-7+9", *HEADER[1:], *LINE], kind="ORDCHG"))
    assert value(order.references_po) == "PO-7"
    assert not order.references_po.confident
    assert any("not named" in u for u in order.uncertain)


def test_unknown_message_function_is_doubted():
    order = one(edi(["BGM+220+PO-1+31", *HEADER[1:], *LINE]))
    assert order.kind is DocumentKind.ORDER
    assert any("31 (copy)" in u for u in order.uncertain)


def test_invoice_only_file_is_not_an_order():
    result = edifact.parse(edi(["BGM+380+INV-1+9", "DTM+137:20261120:102"], kind="INVOIC"))
    assert result.orders == []
    assert "INVOIC" in result.not_an_order


def test_orders_among_other_messages_are_read():
    data = interchange(message(["BGM+380+INV-1+9"], "1", "INVOIC"), message([*HEADER, *LINE], "2")).encode()
    result = edifact.parse(data)
    assert [o.locator for o in result.orders] == ["message 2"]


@pytest.mark.parametrize("data", [
    b"", b"   ", b"hello world", b"ISA*00*          *00*          *ZZ*SENDER~", b"%PDF-1.4\n",
    b"<?xml version='1.0'?><Order/>", b"\xff\xfe\x00U\x00N\x00B", b"UNA:+.", b"UNB", b"UNB'",
    b"UNB+UNOA:3'unh+1+ORDERS'", b"UNB+UNOA:3'UNH+1+ORDERS'BGM+220+A?\n'", b"UNA:+.? 'hello world",
    b"UNB+UNOC:3+A:14+B:14+261120:1200+1'UNH+1+ORD",
])
def test_text_that_is_not_edifact_raises_parse_error(data):
    with pytest.raises(ParseError):
        edifact.parse(data)


def test_interchange_without_messages_is_not_an_order():
    result = edifact.parse(b"UNB+UNOC:3+A:14+B:14+261120:1200+1'UNZ+0+1'")
    assert result.not_an_order


# --- synthetic: structure ------------------------------------------------------------------------


def test_truncated_message_keeps_what_is_there_and_says_so():
    data = ("UNB+UNOC:3+A:14+B:14+261120:1200+1'UNH+1+ORDERS:D:96A:UN'" + "'".join([*HEADER, *LINE])
            + "'LIN+2++4000001000029:EN'QTY+21:3").encode()  # cut off inside the last segment
    order = one(data)
    assert value(order.po_number) == "PO-1"
    assert [value(line.quantity) for line in order.lines] == [10, None]  # "QTY+21:3" may be "QTY+21:30"
    assert any("message truncated" in u for u in order.uncertain)
    assert "line 2: quantity missing" in order.uncertain


def test_unh_without_unt_before_the_next_unh_is_truncated():
    first = "UNH+1+ORDERS:D:96A:UN'" + "'".join([*HEADER, *LINE]) + "'"
    data = interchange(first, message(["BGM+220+PO-2+9", *LINE], "2")).encode()
    truncated, complete = edifact.parse(data).orders
    assert any("message truncated" in u for u in truncated.uncertain)
    assert not any("message truncated" in u for u in complete.uncertain)
    assert value(complete.po_number) == "PO-2"


def test_several_interchanges_each_with_their_own_una():
    first = interchange(message([*HEADER, *LINE], "1"), una="UNA:+.? '")
    second = interchange(message(["BGM+220+PO-2+9", "LIN+1++X-1:SA", "QTY+21:2,5", "PRI+AAA:1,25"], "1"),
                         una="UNA:+,? '")
    result = edifact.parse(f"{first}\r\n{second}\r\n".encode())
    assert [value(o.po_number) for o in result.orders] == ["PO-1", "PO-2"]
    assert [o.locator for o in result.orders] == ["message 1", "message 1 (#2)"]
    line = result.orders[1].lines[0]
    assert (value(line.quantity), value(line.unit_price)) == (Decimal("2.5"), Decimal("1.25"))
    assert line.quantity.confident


def test_una_with_other_separators_and_release_character():
    data = edi(["BGM|220|PO-1|9", "FTX|AAI|||PRICE 5!| TAX!'S", "LIN|1||X-1*SA", "QTY|21*3"], una="UNA*|.! '")
    data = data.replace(b"+", b"|").replace(b":", b"*")
    order = one(data)
    assert value(order.po_number) == "PO-1"
    assert value(order.notes[0]) == "PRICE 5| TAX'S"
    assert order.notes[0].evidence.text == "FTX|AAI|||PRICE 5!| TAX!'S"
    assert ids(order.lines[0]) == (None, "X-1", None)


def test_escaped_separators_in_values():
    order = one(edi([*HEADER, "FTX+AAI+++CALL ?+49 30?: 5?'6", *LINE]))
    assert value(order.notes[0]) == "CALL +49 30: 5'6"


def test_latin1_bytes_are_decoded():
    data = edi([*HEADER[:2], "NAD+BY+4000001000005::9++MÜLLER SÖHNE", *LINE]).decode().encode("latin-1")
    assert value(one(data).customer_name) == "MÜLLER SÖHNE"


def test_decimal_mark_other_than_declared_is_read_with_less_confidence():
    order = one(edi([*HEADER, "LIN+1++X:SA", "QTY+21:2,5"]))
    assert value(order.lines[0].quantity) == Decimal("2.5")
    assert not order.lines[0].quantity.confident


def test_cnt_disagreeing_with_the_lines_read_is_doubted():
    order = one(edi([*HEADER, *LINE, "UNS+S", "CNT+2:2"]))
    assert any("CNT+2" in u for u in order.uncertain)


# --- synthetic: header ---------------------------------------------------------------------------


def test_cta_com_email_is_the_sender():
    order = one(edi([*HEADER, "CTA+OC+:J. DOE", "COM+0049301234:TE", "COM+j.doe@acme.example:EM", *LINE]))
    assert value(order.sender_email) == "j.doe@acme.example"
    assert order.sender_email.confident
    assert order.sender_email.evidence.text == "COM+j.doe@acme.example:EM"


def test_supplier_contact_email_is_not_the_sender():
    order = one(edi([*HEADER, "NAD+SU+4000009000007::9", "CTA+OC+:SALES", "COM+sales@us.example:EM", *LINE]))
    assert order.sender_email is None


def test_buyer_parties_and_placeholders_are_kept_as_written():
    order = one(edi(["BGM+220+PO-1+9", "NAD+BY+<Buyer GLN>::9", "NAD+BY+C1001::91", *LINE]))
    assert [value(i) for i in order.buyer_ids] == ["GLN:<Buyer GLN>", "91:C1001"]
    assert value(order.customer_number) == "C1001"
    assert not order.customer_number.confident


def test_delivery_party_address_and_code():
    nad = "NAD+DP+4000001000098::9++ACME LAGER:TOR 3+HAFENSTR. 1:HALLE 2+HAMBURG++20457+DE"
    order = one(edi([*HEADER, nad, *LINE]))
    address = order.ship_to
    assert (value(address.name), value(address.street), value(address.city), value(address.postal_code),
            value(address.country)) == ("ACME LAGER TOR 3", "HAFENSTR. 1 HALLE 2", "HAMBURG", "20457", "DE")
    assert value(order.shipto_code) == "4000001000098"
    assert address.city.evidence.line == 6


def test_unstructured_delivery_address_is_kept_and_doubted():
    order = one(edi([*HEADER, "NAD+DP++ACME LAGER:HAFENSTR. 1:20457 HAMBURG", *LINE]))
    assert value(order.ship_to.name) == "ACME LAGER HAFENSTR. 1 20457 HAMBURG"
    assert not order.ship_to.name.confident
    assert any("unstructured" in u for u in order.uncertain)


def test_two_different_delivery_parties_are_doubted():
    order = one(edi([*HEADER, "NAD+DP+1::9", "NAD+ST+2::9", *LINE]))
    assert value(order.shipto_code) == "1"
    assert any("more than one delivery party" in u for u in order.uncertain)


def test_requested_date_prefers_dtm_2_then_69_64_63():
    dates = ["DTM+63:20261205:102", "DTM+64:20261203:102", "DTM+69:20261202:102", "DTM+2:20261201:102"]
    assert value(one(edi([*HEADER, *dates, *LINE])).requested_date) == date(2026, 12, 1)
    assert value(one(edi([*HEADER, *dates[:3], *LINE])).requested_date) == date(2026, 12, 2)
    assert value(one(edi([*HEADER, *dates[:2], *LINE])).requested_date) == date(2026, 12, 3)
    assert value(one(edi([*HEADER, *dates[:1], *LINE])).requested_date) == date(2026, 12, 5)


@pytest.mark.parametrize(("dtm", "expected", "sure"), [
    ("DTM+2:20261201:102", date(2026, 12, 1), True),
    ("DTM+2:202612011530:203", date(2026, 12, 1), True),
    ("DTM+2:20261201153000:204", date(2026, 12, 1), True),
    ("DTM+2:261201:101", date(2026, 12, 1), False),
    ("DTM+2:20261201-20261205:718", date(2026, 12, 1), True),
    ("DTM+2:20261201", date(2026, 12, 1), False),
])
def test_dtm_formats(dtm, expected, sure):
    order = one(edi([*HEADER, dtm, *LINE]))
    assert value(order.requested_date) == expected
    assert order.requested_date.confident is sure


@pytest.mark.parametrize("dtm", ["DTM+2:20261301:102", "DTM+2:2026120:102", "DTM+2:WEEK 49:ZZZ"])
def test_unreadable_requested_date_is_doubted(dtm):
    order = one(edi([*HEADER, dtm, *LINE]))
    assert order.requested_date is None
    assert any("requested date" in u for u in order.uncertain)


def test_header_free_text_and_allowance_become_notes():
    order = one(edi([*HEADER, "FTX+DEL+++PLEASE CALL:BEFORE DELIVERY", "CUX+2:CHF:9", "ALC+A++++DI::9:RABATT",
                     *LINE]))
    assert [value(n) for n in order.notes] == [
        "PLEASE CALL BEFORE DELIVERY", "allowance/charge present: allowance DI RABATT"]
    assert value(order.currency) == "CHF"


def test_missing_bgm_number_is_doubted():
    order = one(edi(["BGM+220++9", *LINE]))
    assert order.po_number is None
    assert any("PO number missing" in u for u in order.uncertain)


# --- synthetic: lines ----------------------------------------------------------------------------


def test_empty_ean_is_no_gtin():
    order = one(edi([*HEADER, "LIN+1++:EN", "QTY+21:1"]))
    assert order.lines[0].gtin is None
    assert "line 1: product identifier missing" in order.uncertain


def test_item_number_of_unknown_type_is_named_in_the_doubt():
    order = one(edi([*HEADER, "LIN+7++ABC:VN", "QTY+21:1"]))
    assert "line 7: product identifier missing (item numbers of a type not read: ABC:VN)" in order.uncertain


def test_pia_codes_fill_sku_buyer_part_and_gtin():
    order = one(edi([*HEADER, "LIN+1", "PIA+1+SKU-1:SA+CP-1:BP+4000001000012:SRV+MAKER-1:MF",
                     "PIA+3+SUB-1:SA", "QTY+21:1"]))
    assert ids(order.lines[0]) == ("4000001000012", "SKU-1", "CP-1")


def test_only_a_non_ordered_quantity_is_read_with_doubt():
    order = one(edi([*HEADER, "LIN+1++X:SA", "QTY+59:6:PCE"]))
    assert amounts(order.lines[0])[:2] == (6, "PCE")
    assert not order.lines[0].quantity.confident
    assert any("QTY+59" in u for u in order.uncertain)


def test_net_price_wins_over_gross_and_carries_its_basis():
    order = one(edi([*HEADER, "LIN+1++X:SA", "QTY+21:10:PCE", "PRI+AAB:3.00", "PRI+AAA:2.70:::100:PCE"]))
    line = order.lines[0]
    assert (value(line.unit_price), value(line.price_per)) == (Decimal("2.70"), Decimal("100"))
    assert line.unit_price.confident


def test_price_per_another_unit_than_ordered_is_not_confident():
    order = one(edi([*HEADER, "LIN+1++X:SA", "QTY+21:2:CT", "PRI+AAA:2.70:::1:PCE"]))
    assert not order.lines[0].unit_price.confident


def test_line_descriptions_dates_and_free_text():
    order = one(edi([*HEADER, "LIN+1++X:SA", "IMD+F++:::BLUE WIDGET:LARGE", "IMD+C++TU::9", "QTY+21:1",
                     "DTM+2:20261210:102", "FTX+AAI+++GIFT WRAP"]))
    line = order.lines[0]
    assert value(line.description) == "BLUE WIDGET LARGE"
    assert value(line.requested_date) == date(2026, 12, 10)
    assert value(line.line_number) == "1"
    assert [value(n) for n in order.notes] == ["line 1: GIFT WRAP"]


def test_unreadable_quantity_is_doubted():
    order = one(edi([*HEADER, "LIN+1++X:SA", "QTY+21:TEN"]))
    assert order.lines[0].quantity is None
    assert "line 1: quantity 'TEN' unreadable" in order.uncertain


def test_delivery_schedule_is_doubted():
    order = one(edi([*HEADER, "LIN+1++X:SA", "QTY+21:10", "SCC+1", "QTY+21:5", "DTM+2:20261201:102"]))
    assert "line 1: delivery schedule (SCC) not read" in order.uncertain


def test_line_level_delivery_split_is_doubted():
    order = one(edi([*HEADER, "LIN+1++X:SA", "QTY+21:10", "NAD+MF+MAKER::9", "LIN+2++Y:SA", "QTY+21:4",
                     "NAD+DP+4000001000098::9", "LIN+3++Z:SA", "LOC+7+4000001000098::9", "QTY+11:2"]))
    assert [u for u in order.uncertain if "not read" in u] == [
        "line 2: own delivery party (NAD+DP) not read", "line 3: quantities per location (LOC) not read"]


def test_summary_segments_do_not_leak_into_the_last_line():
    order = one(edi([*HEADER, *LINE, "UNS+S", "MOA+79:25.00", "CNT+2:1", "FTX+AAI+++TRAILER"]))
    assert len(order.lines) == 1
    assert order.notes == []
    assert order.uncertain == []


# --- robustness ----------------------------------------------------------------------------------

VALID = edi([*HEADER, "CTA+OC+:J", "COM+j@acme.example:EM", "NAD+DP+1::9++N+S+C++P+DE", "CUX+2:EUR:9",
             "LIN+1++4000001000012:EN", "PIA+1+SKU-1:SA", "IMD+F++:::X", "QTY+21:10:PCE",
             "PRI+AAA:2.50:::1:PCE", "DTM+2:20261201:102", "UNS+S", "CNT+2:1"], una="UNA:+.? '")


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    st.builds(lambda head, junk: head + junk, st.sampled_from([b"UNA:+.? '", b"UNB+", b"UNH+1+ORDERS'"]),
              st.binary(max_size=200)),
    st.lists(st.tuples(st.integers(0, len(VALID)), st.integers(0, 4), st.binary(max_size=4)), max_size=6)
    .map(lambda edits: _mutate(VALID, edits)),
))
def test_parse_never_raises_anything_but_parse_error(data):
    try:
        result = edifact.parse(data)
    except ParseError:
        return
    assert isinstance(result, ParseResult)


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for position, cut, insert in edits:
        data = data[:position] + insert + data[position + cut:]
    return data


# --- control counts ------------------------------------------------------------------------------

LINES = [*LINE, "LIN+2++4000001000029:EN", "QTY+21:3:PCE", "LIN+3++4000001000036:EN", "QTY+21:7:PCE"]


def test_control_counts_that_agree_leave_the_order_certain():
    order = one(edi([*HEADER, *LINES, "UNS+S", "CNT+2:3", "CNT+1:20"]))
    assert [value(line.quantity) for line in order.lines] == [10, 3, 7]
    assert order.uncertain == []


def test_a_message_missing_segments_under_its_unt_count_is_uncertain():
    # UNT counts the whole message; a line and the CNT went missing on the way.
    full = message([*HEADER, *LINES, "UNS+S", "CNT+2:3"])
    cut = full.replace("LIN+3++4000001000036:EN'QTY+21:7:PCE'", "").replace("UNS+S'CNT+2:3'", "")
    order = one(interchange(cut).encode())
    assert [value(line.quantity) for line in order.lines] == [10, 3]
    assert any("says it has 14 segments (UNT) but 10 were found" in u for u in order.uncertain)


def test_a_unt_referring_to_another_message_is_uncertain():
    order = one(interchange(message([*HEADER, *LINE]).replace("+1'", "+9'")).encode())
    assert any("trailer refers to message '9'" in u for u in order.uncertain)


def test_an_interchange_missing_a_message_under_its_unz_count_is_uncertain():
    data = interchange(message([*HEADER, *LINE])).replace("UNZ+1+77", "UNZ+2+77").encode()
    order = one(data)
    assert any("holds 2 messages (UNZ) but 1 were found" in u for u in order.uncertain)


@pytest.mark.parametrize("summary, doubt", [
    (["CNT+2:4"], "has 4 lines (CNT+2) but 3 were read"),
    (["CNT+1:21"], "quantities add up to 21 (CNT+1) but the lines add up to 20"),
])
def test_a_cnt_control_total_that_disagrees_is_uncertain(summary, doubt):
    order = one(edi([*HEADER, *LINES, "UNS+S", *summary]))
    assert any(doubt in u for u in order.uncertain)


@pytest.mark.parametrize("summary, agrees", [
    (["MOA+79:45"], True),  # 10 × 2.50 + 3 × 5 + 1 × 5
    (["MOA+79:45", "MOA+124:8.55", "MOA+86:53.55"], True),
    (["MOA+86:55"], False),
])
def test_summary_amounts_must_be_what_the_lines_make(summary, agrees):
    from integrations.parsers.totals import disagreement

    lines = [*LINE, "LIN+2++4000001000029:EN", "QTY+21:3:PCE", "PRI+AAA:5", "LIN+3++4000001000036:EN",
             "QTY+21:1:PCE", "PRI+AAA:5"]
    order = one(edi([*HEADER, *lines, "UNS+S", *summary]))
    assert (disagreement(order) is None) is agrees
