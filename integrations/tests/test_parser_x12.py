"""X12 850/860 parser: the bots-plugins corpus files and synthetic interchanges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers.draft import DocumentKind, OrderDraft, ParseError, ParseResult
from integrations.parsers.x12 import parse

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
X12_DIR = CORPUS / "x12"
needs_corpus = pytest.mark.skipif(not X12_DIR.is_dir(), reason=f"../shared/corpus not present: {X12_DIR}")


def _corpus(name: str) -> ParseResult:
    return parse((X12_DIR / name).read_bytes(), name=name)


def _only(result: ParseResult) -> OrderDraft:
    assert len(result.orders) == 1, result
    return result.orders[0]


def _line_tuple(order: OrderDraft, index: int) -> tuple[object, ...]:
    """(quantity, uom, unit price, sku, customer part number, gtin) of one line."""
    line = order.lines[index]
    values = (line.quantity, line.uom, line.unit_price, line.sku, line.customer_part_number, line.gtin)
    return tuple(None if value is None else value.value for value in values)


# --- building synthetic interchanges -------------------------------------------------------


def _isa(element: str = "*", component: str = ">", usage: str = "P") -> str:
    fields = ["ISA", "00", " " * 10, "00", " " * 10, "ZZ", "BUYER".ljust(15), "ZZ", "SELLER".ljust(15),
              "240301", "1200", "U", "00401", "000000001", "0", usage, component]
    return element.join(fields)


def _set(code: str, *segments: str, control: str = "0001") -> list[str]:
    body = [f"ST*{code}*{control}", *segments]
    return [*body, f"SE*{len(body) + 1}*{control}"]


def _x12(*sets: list[str], element: str = "*", terminator: str = "~\n", usage: str = "P",
         groups: bool = True) -> bytes:
    inner = [segment for one in sets for segment in one]
    if groups:
        inner = ["GS*PO*BUYER*SELLER*20240301*1200*1*X*004010", *inner, "GE*1*1"]
    segments = [*(segment.replace("*", element) for segment in inner), f"IEA{element}1{element}000000001"]
    return (terminator.join([_isa(element, usage=usage), *segments]) + terminator).encode("latin-1")


def _order(*segments: str, **options: object) -> OrderDraft:
    return _only(parse(_x12(_set("850", *segments), **options)))  # type: ignore[arg-type]


BEG = "BEG*00*SA*PO-1001**20240301"
PO1 = "PO1*1*10*CS*12.50**VP*SKU-1*BP*CP-1*UP*012345678905"


# --- corpus ------------------------------------------------------------------------------


@needs_corpus
def test_newline_terminated_po_with_buyer_and_vendor_item_numbers() -> None:
    order = _only(_corpus("bots-plugins_850-004010-01.x12"))
    assert order.kind is DocumentKind.ORDER
    assert order.po_number.value == "91393058"
    assert order.po_number.evidence.text == "BEG*00*SA*91393058**19971107"
    assert order.po_number.evidence.line == 4  # ISA, GS, ST, BEG
    assert order.order_date.value == date(1997, 11, 7)
    assert order.requested_date.value == date(1998, 2, 10)  # DTM*010
    assert [b.value for b in order.buyer_ids] == ["92:33333"]
    assert order.shipto_code.value == "333333"
    assert order.ship_to.city.value == "GUAYNABO"
    assert order.ship_to.postal_code.value == "00928"
    assert len(order.lines) == 8
    assert all(line.line_number is None for line in order.lines)  # PO1-01 is empty
    assert _line_tuple(order, 0) == (Decimal(6), "EA", Decimal(12), "12307", "17920108", None)
    assert _line_tuple(order, 7) == (Decimal(6), "EA", Decimal(12), "12309", "17950204", None)
    assert order.lines[0].description.value == "KAK S/S PRINT CAMP; OR/BK"
    assert order.lines[7].description.value == "KAK PRINT PANT; BKML2"
    assert order.lines[0].sku.confidence < 0.9  # VA is a style number shared by colours
    assert order.uncertain == []


@needs_corpus
def test_four_transaction_sets_with_the_same_po_number_stay_four_orders() -> None:
    result = _corpus("bots-plugins_850-004010-02.x12")
    assert [o.po_number.value for o in result.orders] == ["95018017"] * 4
    assert len({o.locator for o in result.orders}) == 4  # all four STs carry control 000000001
    assert all(o.locator.startswith("ST 000000001") for o in result.orders)
    for order in result.orders:
        assert len(order.lines) == 1
        assert _line_tuple(order, 0) == (Decimal(4), "EA", Decimal(330), "X357-W2", "525", None)
        assert order.lines[0].line_number.value == "001"
        assert order.lines[0].description.value == "HIGH PERFORMANCE WIDGET"
        assert order.lines[0].requested_date.value == date(2007, 10, 1)  # SCH*…*002*20071001
        assert order.ship_to.name.value == "JIT MANUFACTURING"
        assert order.ship_to.street.value == "BUILDING 3B, 2001 ENTERPRISE PARK"
        assert order.ship_to.city.value == "JUAREZ"
        assert order.ship_to.country.value == "MEX"
        assert not order.ship_to.country.confident  # not an ISO alpha-2 code
        assert order.uncertain == []


@needs_corpus
def test_isbn_lines_with_a_discount_multiplier_are_flagged() -> None:
    order = _only(_corpus("bots-plugins_850-004010-03.x12"))
    assert order.po_number.value == "0123456789123"
    assert order.order_date.value == date(1998, 1, 6)
    assert order.requested_date is None  # DTM*175 is not a wanted date
    assert [_line_tuple(order, i) for i in range(3)] == [
        (Decimal(2), "UN", Decimal("10.5"), None, None, "0835201031"),
        (Decimal(10), "UN", Decimal("9.25"), None, None, "0835202151"),
        (Decimal(5), "UN", Decimal(30), None, None, "0835208338"),
    ]
    assert not order.lines[0].gtin.confident  # an ISBN-10 is not a GTIN as written
    # PO105 "SR" is a suggested retail price and CTP DIS .8 a discount: neither is applied here.
    assert any("basis SR" in text for text in order.uncertain)
    assert sum("DIS .8" in note.value for note in order.notes) == 3


@needs_corpus
def test_three_interchanges_stand_alone_blanket_and_release() -> None:
    result = _corpus("bots-plugins_850-004010-12.x12")
    assert [o.po_number.value for o in result.orders] == ["4167427123", "1234567890", "1234567890"]
    assert [len(o.lines) for o in result.orders] == [2, 4, 4]
    stand_alone, blanket, release = result.orders
    assert _line_tuple(stand_alone, 0) == (
        Decimal(36), "EA", Decimal(21), "TTG-500", "976280009", "499762800094")
    assert stand_alone.lines[0].description.value == "NOT APPLICABLE; No Size; COFEMKR 2 GO"
    assert stand_alone.requested_date.value == date(2006, 4, 21)  # DTM*037
    notes = [n.value for n in stand_alone.notes]
    assert any(n.startswith("line 1:") and "Promotional Allowance" in n for n in notes)
    assert [b.value for b in stand_alone.buyer_ids] == ["92:00996"]
    assert any("blanket order" in text for text in blanket.uncertain)
    assert _line_tuple(blanket, 1) == (Decimal(82), "EA", Decimal(60), "375L", "914500094", "499145000943")
    assert _line_tuple(release, 1) == (Decimal(96), "EA", Decimal(60), "375L", "914500094", "499145000943")
    assert any("release 1234567895" in n.value for n in release.notes)
    assert not any(n.value.startswith("CTP") for o in result.orders for n in o.notes)  # CTP*RS ignored


@needs_corpus
def test_minimal_po_with_upc_and_ndc_lines() -> None:
    order = _only(_corpus("bots-plugins_850-004010-ascii-lf.x12"))
    assert order.po_number.value == "12345678"
    assert order.order_date.value == date(2007, 8, 31)
    assert [_line_tuple(order, i) for i in range(4)] == [
        (Decimal(1), "CA", Decimal("23.52"), None, None, "123456789012"),
        (Decimal(2), "CA", Decimal("26.28"), None, None, "234567890123"),
        (Decimal(1), "CA", Decimal("23.52"), None, None, "34567890123"),
        (Decimal(1), "CA", Decimal("26.28"), None, None, "456789012345"),
    ]
    assert order.uncertain == []


@needs_corpus
def test_ebcdic_file_reads_as_the_ascii_po() -> None:
    ebcdic = _only(_corpus("bots-plugins_850-ebcdic.x12"))
    ascii_lf = _only(_corpus("bots-plugins_850-004010-ascii-lf.x12"))
    assert ebcdic.po_number.value == ascii_lf.po_number.value == "12345678"
    assert ebcdic.order_date == ascii_lf.order_date
    assert [_line_tuple(ebcdic, i) for i in range(4)] == [_line_tuple(ascii_lf, i) for i in range(4)]
    assert ebcdic.lines[0].quantity.evidence.text == "PO1**1*CA*23.52**UP*123456789012"  # no record padding
    assert ebcdic.uncertain == []


@needs_corpus
def test_del_and_nak_separators_on_one_line_give_four_pos_with_169_lines() -> None:
    result = _corpus("bots-plugins_850-004010VICS-01.x12")
    assert [o.po_number.value for o in result.orders] == [
        "15918851602", "15918861602", "15918871602", "15918881602"]
    assert [len(o.lines) for o in result.orders] == [64, 58, 25, 22]
    assert sum(len(o.lines) for o in result.orders) == 169
    first = result.orders[0]
    assert first.currency.value == "CAD"
    assert first.shipto_code.value == "1602"
    assert _line_tuple(first, 0) == (Decimal(7), "EA", Decimal("34.98"), None, "01112061", "058824014093")
    assert first.lines[0].unit_price.evidence.text == "CTP\x7f\x7fUCP\x7f34.98"  # VICS cost price
    assert _line_tuple(result.orders[3], 21)[:2] == (Decimal(19), "EA")
    assert result.orders[3].lines[21].gtin.value == "058824068461"
    assert any("CAMION DU FOURNISSEUR" in n.value for n in first.notes)
    assert any(n.value.startswith("line 1: SDQ") for n in first.notes)
    assert all(o.uncertain == [] for o in result.orders)  # CTT and SE counts agree


@needs_corpus
def test_vics_po_with_messages_and_a_price_per_pound() -> None:
    order = _only(_corpus("bots-plugins_850-004010VICS-02.x12"))
    assert order.po_number.value == "520981"
    assert order.requested_date.value == date(2001, 10, 11)  # DTM*002
    assert order.sender_email is None  # PER*BD carries a phone, no EM
    assert order.ship_to.name.value == "MACDONALDS CO A DIV. OF CANADA SAFE"
    assert order.ship_to.postal_code.value == "T2C4C7"
    assert order.shipto_code.value == "2100988521100"
    assert _line_tuple(order, 0) == (Decimal(20), "CA", Decimal("226.56"), "4531", "71039103", "006299966412")
    assert _line_tuple(order, 1)[:3] == (Decimal(100), "CA", Decimal("2.82"))
    assert not order.lines[1].unit_price.confident
    assert any("basis PP" in text for text in order.uncertain)
    assert sum(n.value.startswith(("ALL COSTS", "EDI VENDOR", "FAX:", "THIS PURCHASE", "CONDITIONS"))
               for n in order.notes) == 5
    assert any(n.value.startswith("line 1: SAC allowance/charge present") for n in order.notes)


@needs_corpus
def test_nak_crlf_terminated_po_in_cad() -> None:
    order = _only(_corpus("bots-plugins_850-004030-01.x12"))
    assert order.po_number.value == "587852"
    assert order.currency.value == "CAD"
    assert order.requested_date.value == date(2005, 6, 8)
    assert [_line_tuple(order, i) for i in range(2)] == [
        (Decimal(6), "EA", Decimal(22), "56065050", None, None),
        (Decimal(6), "EA", Decimal(22), "56065150", None, None),
    ]
    assert order.lines[0].quantity.evidence.text == "PO1*1*6*EA*22**SK*56065050*VC*5323-1151"


@needs_corpus
def test_three_pos_with_56_lines_and_prices_differing_within_a_style() -> None:
    result = _corpus("bots-plugins_850-004030-02.x12")
    assert [o.po_number.value for o in result.orders] == ["589094", "589109", "604025"]
    assert [len(o.lines) for o in result.orders] == [26, 26, 4]
    first = result.orders[0]
    assert _line_tuple(first, 0) == (Decimal(19), "EA", Decimal(26), "54895030", None, None)
    assert _line_tuple(first, 7) == (Decimal(22), "EA", Decimal("27.6"), "54903030", None, None)
    assert _line_tuple(first, 25) == (Decimal(22), "EA", Decimal("24.8"), "60335130", None, None)
    assert first.shipto_code.value == "C005002"
    assert all(o.uncertain == [] for o in result.orders)


@needs_corpus
def test_tilde_element_separator_and_test_usage_indicator() -> None:
    order = _only(_corpus("bots-plugins_850_01-tilde-elements.x12"))
    assert order.po_number.value == "333333333333"
    assert _line_tuple(order, 0) == (Decimal(1), "EA", Decimal("11.11"), "123456789012345", "666666", None)
    assert order.ship_to.street.value == "1111 XX XXXXXXXX XXXX, XXXXXXXXXXXXXXXXX"
    assert order.uncertain == ["the interchange is marked as test data (ISA15 = T)"]


@needs_corpus
def test_pipe_elements_four_pos_without_prices() -> None:
    result = _corpus("bots-plugins_850-02-pipe-elements.x12")
    assert [o.po_number.value for o in result.orders] == ["12345678", "12345678", "12456777", "11223344"]
    assert [o.locator for o in result.orders] == ["ST 0001", "ST 0002", "ST 0003", "ST 0004"]
    assert [len(o.lines) for o in result.orders] == [5, 2, 1, 11]
    assert all(line.unit_price is None for o in result.orders for line in o.lines)
    assert _line_tuple(result.orders[2], 0) == (Decimal(5000), "EA", None, None, None, "999999999991")
    assert result.orders[3].lines[9].gtin.value == "999999999910"
    assert result.orders[3].uncertain == ["line 9: quantity 0 is not a positive quantity"]


@needs_corpus
def test_every_corpus_file_is_read() -> None:
    files = sorted(X12_DIR.glob("*.x12"))
    assert len(files) == 12
    for path in files:
        assert parse(path.read_bytes(), name=path.name).orders, path.name


# --- synthetic: kinds ------------------------------------------------------------------


def test_beg01_cancellation_is_a_cancel_referring_to_the_po() -> None:
    order = _order("BEG*01*SA*PO-9**20240301")
    assert order.kind is DocumentKind.CANCEL
    assert order.references_po.value == "PO-9"
    assert order.uncertain == []  # a cancellation needs no lines


def test_beg01_change_is_a_change_referring_to_the_po() -> None:
    order = _order("BEG*04*SA*PO-7**20240301", PO1)
    assert order.kind is DocumentKind.CHANGE
    assert order.references_po.value == "PO-7"
    assert order.po_number.value == "PO-7"


def test_unknown_purpose_code_is_read_as_order_but_flagged() -> None:
    order = _order("BEG*06*SA*PO-7**20240301", PO1)
    assert order.kind is DocumentKind.ORDER
    assert any("BEG01" in text for text in order.uncertain)


def test_860_is_a_change_with_its_poc_lines() -> None:
    data = _x12(_set("860", "BCH*04*SA*PO-5**3*20240301", "POC*1*QI*12*2*EA*1.50**VP*ABC", "CTT*1"))
    order = _only(parse(data))
    assert order.kind is DocumentKind.CHANGE
    assert order.references_po.value == "PO-5"
    assert order.order_date.value == date(2024, 3, 1)
    assert _line_tuple(order, 0) == (Decimal(12), "EA", Decimal("1.50"), "ABC", None, None)
    assert [n.value for n in order.notes] == ["line 1: change type QI (quantity increase)"]
    assert order.uncertain == []


def test_860_cancellation_is_a_cancel() -> None:
    order = _only(parse(_x12(_set("860", "BCH*01*SA*PO-5**3*20240301"))))
    assert order.kind is DocumentKind.CANCEL


def test_blanket_order_is_flagged() -> None:
    order = _order("BEG*00*BK*PO-1**20240301", PO1)
    assert any("blanket" in text for text in order.uncertain)


# --- synthetic: header fields ----------------------------------------------------------


def test_per_email_becomes_the_sender_and_the_buyer_contact_wins() -> None:
    order = _order(BEG, "PER*IC*Info*EM*info@acme.example",
                   "PER*BD*Jane Buyer*TE*5550100*EM*jane@acme.example", PO1)
    assert order.sender_email.value == "jane@acme.example"
    assert order.sender_email.confident
    assert order.sender_email.evidence.text == "PER*BD*Jane Buyer*TE*5550100*EM*jane@acme.example"


def test_currency_from_cur() -> None:
    order = _order(BEG, "CUR*BY*EUR", PO1)
    assert order.currency.value == "EUR"
    assert order.currency.confident


def test_six_digit_date_gets_its_century() -> None:
    order = _order("BEG*00*SA*PO-1**971107", PO1)
    assert order.order_date.value == date(1997, 11, 7)


def test_delivery_requested_date_is_preferred_over_ship_dates() -> None:
    order = _order(BEG, "DTM*037*20240310", "DTM*002*20240315", "DTM*010*20240312", PO1)
    assert order.requested_date.value == date(2024, 3, 15)
    assert order.requested_date.evidence.text == "DTM*002*20240315"


def test_unreadable_date_is_uncertain() -> None:
    order = _order(BEG, "DTM*002*20241345", PO1)
    assert order.requested_date is None
    assert any("20241345" in text for text in order.uncertain)


def test_buyer_party_ids_and_seller_assigned_customer_number() -> None:
    order = _order(BEG, "N1*BY*ACME GmbH*91*C1001", PO1)
    assert order.customer_name.value == "ACME GmbH"
    assert [b.value for b in order.buyer_ids] == ["91:C1001"]
    assert order.customer_number.value == "C1001"
    assert order.customer_number.confidence == 0.6


def test_buyer_assigned_id_is_no_customer_number() -> None:
    order = _order(BEG, "N1*BY*ACME GmbH*92*1234", "N1*SF*Shipper*1*0123456789", PO1)
    assert [b.value for b in order.buyer_ids] == ["92:1234"]
    assert order.customer_number is None


def test_ship_to_address_from_n1_loop() -> None:
    order = _order(BEG, "N1*ST*ACME Werk 2*92*S1", "N2*Tor 4", "N3*Hafenstr. 1*Halle 3",
                   "N4*Hamburg**20457*DE", "N1*BT*ACME Buchhaltung", "N3*Elsewhere 9", PO1)
    address = order.ship_to
    assert address.name.value == "ACME Werk 2"
    assert address.street.value == "Hafenstr. 1, Halle 3"
    assert (address.city.value, address.postal_code.value) == ("Hamburg", "20457")
    assert address.country.value == "DE"
    assert address.country.confident
    assert order.shipto_code.value == "S1"
    assert order.shipto_code.confidence == 0.8


def test_messages_notes_and_allowances_go_to_notes() -> None:
    order = _order(BEG, "MSG*Deliver to gate 4", "NTE*GEN*Call before delivery", PO1,
                   "MSG*Gift wrap this line", "SAC*C*D240***1500" + "*" * 10 + "Freight")
    assert [n.value for n in order.notes] == [
        "Deliver to gate 4",
        "Call before delivery",
        "line 1: Gift wrap this line",
        "line 1: SAC allowance/charge present: charge D240, Freight, amount 15.00",
    ]
    assert order.notes[2].evidence.line == 8  # ISA GS ST BEG MSG NTE PO1 MSG


def test_ctp_other_than_retail_is_a_note() -> None:
    order = _order(BEG, PO1, "CTP*RS*RES*19.99", "CTP******DIS*.9")
    assert [n.value for n in order.notes] == ["line 1: CTP price condition present: DIS .9"]


# --- synthetic: lines ------------------------------------------------------------------


def test_line_fields_and_identifier_classes() -> None:
    order = _order(BEG, PO1, "PID*F*08***Widget blue", "PID*F*75***large", "DTM*002*20240320", "CTT*1")
    line = order.lines[0]
    assert _line_tuple(order, 0) == (Decimal(10), "CS", Decimal("12.50"), "SKU-1", "CP-1", "012345678905")
    assert line.line_number.value == "1"
    assert line.description.value == "Widget blue; large"
    assert line.requested_date.value == date(2024, 3, 20)
    assert line.quantity.evidence.text == PO1
    assert order.uncertain == []


def test_missing_quantity_is_uncertain() -> None:
    order = _order(BEG, "PO1*1**EA*1.00**VP*X")
    assert order.lines[0].quantity is None
    assert order.uncertain == ["line 1: quantity missing"]


def test_unreadable_quantity_and_missing_identifier_are_uncertain() -> None:
    order = _order(BEG, "PO1*1*ten*EA*1.00**ZZ*X")
    assert order.lines[0].quantity is None
    assert "line 1: quantity 'ten' is not a number" in order.uncertain
    assert "line 1: product identifier missing" in order.uncertain


def test_price_per_hundred() -> None:
    order = _order(BEG, "PO1*1*500*EA*42.00*HP*VP*X")
    assert order.lines[0].unit_price.value == Decimal("42.00")
    assert order.lines[0].price_per.value == Decimal(100)


def test_line_count_disagreeing_with_ctt_is_uncertain() -> None:
    order = _order(BEG, PO1, "CTT*2")
    assert order.uncertain == ["CTT counts 2 lines but the order has 1"]


def test_several_schedule_dates_are_uncertain() -> None:
    order = _order(BEG, PO1, "SCH*4*CS***002*20240310", "SCH*6*CS***002*20240320")
    assert any("2 dates" in text for text in order.uncertain)


def test_line_level_ship_to_is_uncertain() -> None:
    order = _order(BEG, "N1*ST*Main*92*S1", PO1, "N1*ST*Other*92*S2", "N3*Somewhere 1")
    assert order.shipto_code.value == "S1"
    assert order.ship_to.street is None  # the line's N3 is not the order's address
    assert any("own ship-to" in text for text in order.uncertain)


# --- synthetic: envelopes and separators -----------------------------------------------


def test_810_only_is_not_an_order() -> None:
    result = parse(_x12(_set("810", "BIG*20240301*INV-1**PO-1", "IT1*1*10*EA*1.00**VP*X")))
    assert result.orders == []
    assert "810" in result.not_an_order


def test_850_next_to_an_810_is_read_alone() -> None:
    result = parse(_x12(_set("810", "BIG*20240301*INV-1"), _set("850", BEG, PO1, control="0002")))
    assert [o.locator for o in result.orders] == ["ST 0002"]


def test_interchange_without_transaction_sets_is_not_an_order() -> None:
    result = parse(_x12(groups=False))
    assert result.not_an_order


@pytest.mark.parametrize(("element", "terminator"), [
    ("*", "~"), ("*", "\n"), ("*", "\r\n"), ("*", "~\r\n"), ("|", "~"), ("~", "\n"),
    ("\x7f", "\x15"), ("|", "\x15\r\n"), ("^", "'"),
])
def test_separators_are_taken_from_the_isa(element: str, terminator: str) -> None:
    order = _order(BEG, PO1, element=element, terminator=terminator)
    assert order.po_number.value == "PO-1001"
    assert _line_tuple(order, 0) == (Decimal(10), "CS", Decimal("12.50"), "SKU-1", "CP-1", "012345678905")
    assert order.uncertain == []


def test_leading_whitespace_bom_missing_groups_and_trailing_garbage() -> None:
    data = b"\xef\xbb\xbf \r\n" + _x12(_set("850", BEG, PO1), groups=False) + b"\r\n-- sent by EDI box\x00"
    order = _only(parse(data))
    assert order.po_number.value == "PO-1001"
    assert order.po_number.evidence.line == 3  # ISA, ST, BEG


def test_ebcdic_interchange_in_80_column_records() -> None:
    text = _x12(_set("850", BEG, PO1), terminator="\x85").decode("latin-1")
    segments = [segment + "\x85" for segment in text.split("\x85") if segment]
    records = "".join(segment + " " * (-len(segment) % 80) for segment in segments)
    order = _only(parse(records.encode("cp500")))
    assert order.po_number.value == "PO-1001"
    assert order.lines[0].sku.value == "SKU-1"


def test_several_interchanges_with_their_own_separators() -> None:
    data = _x12(_set("850", BEG, PO1)) + _x12(_set("850", "BEG*00*SA*PO-2**20240301", PO1), element="|")
    result = parse(data)
    assert [o.po_number.value for o in result.orders] == ["PO-1001", "PO-2"]


def test_missing_se_means_the_order_may_be_incomplete() -> None:
    data = _x12(["ST*850*0001", BEG, PO1])
    order = _only(parse(data))
    assert any("no SE trailer" in text for text in order.uncertain)


def test_wrong_se_count_means_the_order_may_be_incomplete() -> None:
    order = _only(parse(_x12(["ST*850*0001", BEG, PO1, "SE*9*0001"])))
    assert any("SE counts 9" in text for text in order.uncertain)


def test_test_interchange_is_uncertain() -> None:
    order = _order(BEG, PO1, usage="T")
    assert "the interchange is marked as test data (ISA15 = T)" in order.uncertain


def test_truncated_isa_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="truncated"):
        parse(_isa().encode()[:80])
    with pytest.raises(ParseError, match="truncated"):
        parse(b"ISA*00**00**ZZ*BUYER*ZZ~")


def test_unpadded_isa_is_read_by_its_sixteen_elements() -> None:
    # Some senders strip the fixed-width padding; the separators still follow ISA16.
    body = (b"ISA*00**00**ZZ*BUYER*ZZ*SELLER*240301*1200*U*00401*1*0*P*>~GS*PO*B*S*1*1*1*X*004010~"
            b"ST*850*0001~BEG*00*SA*PO-77**20240301~PO1*1*5*EA*2.5**VP*W-1~CTT*1~SE*5*0001~"
            b"GE*1*1~IEA*1*1~")
    [order] = parse(body).orders
    assert order.po_number.value == "PO-77"
    assert order.lines[0].sku.value == "W-1"
    assert order.lines[0].quantity.value == 5


def test_order_segments_outside_a_transaction_set_are_a_parse_error() -> None:
    with pytest.raises(ParseError, match="outside"):
        parse(_x12([BEG, PO1]))


@pytest.mark.parametrize("data", [
    b"", b"\x00\x01\x02garbage\xff\xfe", b"UNA:+.? 'UNB+UNOC:3+X+Y'", b"<?xml version='1.0'?><Order/>",
    bytes(range(256)),
])
def test_bytes_that_are_not_x12_are_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse(data)


# --- robustness ------------------------------------------------------------------------

_VALID = _x12(_set("850", BEG, "CUR*BY*EUR", "DTM*002*20240315", "N1*BY*ACME*91*C1", "N1*ST*W*92*S1",
                   "N3*Street 1", "N4*City**12345*DE", "PER*BD*J*EM*j@x.example", PO1,
                   "PID*F*08***Widget", "SAC*A*F800***100", "CTP******DIS*.8", "CTT*1"))


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(_VALID)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        chunk = draw(st.binary(min_size=1, max_size=4) | st.sampled_from([b"*", b"~", b"\n", b"ST*850*9~"]))
        if action == "replace":
            data[at:at + len(chunk)] = chunk
        elif action == "insert":
            data[at:at] = chunk
        elif action == "delete":
            del data[at:at + len(chunk)]
        else:
            del data[at:]
    return bytes(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | _mutated())
def test_random_and_mutated_bytes_never_raise_anything_but_parse_error(data: bytes) -> None:
    try:
        result = parse(data)
    except ParseError:
        return
    assert isinstance(result, ParseResult)
    assert result.orders or result.not_an_order


# --- input caps, checked before a segment is made (issue 13) ---------------------------------------


def test_a_file_of_too_many_segments_is_refused_before_they_are_made(monkeypatch) -> None:
    # A 25 MB file of PO1 segments ran the worker out of memory and left its document processing.
    from integrations.parsers import x12

    monkeypatch.setattr(x12, "MAX_SEGMENTS", 50)
    with pytest.raises(ParseError, match=r"^the X12 file has more than 50 segments$"):
        parse(_x12(_set("850", BEG, *[PO1] * 60)))
    assert _only(parse(_x12(_set("850", BEG, *[PO1] * 40)))).lines


def test_a_segment_longer_than_any_x12_segment_is_refused() -> None:
    with pytest.raises(ParseError, match=r"^an X12 segment has 20,0\d\d characters; at most 10,000 are"):
        parse(_x12(_set("850", BEG, "MSG*" + "x" * 20_004, PO1)))


def test_a_total_transaction_amount_the_lines_do_not_make_is_a_disagreement() -> None:
    from integrations.parsers.totals import disagreement

    assert disagreement(_order(BEG, PO1, "CTT*1", "AMT*TT*125")) is None
    wrong = _order(BEG, PO1, "CTT*1", "AMT*TT*135")
    assert disagreement(wrong) == "the document states a total of 135.00, the lines add up to 125.00"


def test_a_component_separator_before_every_line_break_is_no_empty_component() -> None:
    # ISA16 "~" followed by a line break: the sender's "~" terminator, read as ISA16, ended
    # every last element ("CTT*1~") and the line count no longer matched.
    isa = ("ISA*00*          *00*          *01*049351117      *ZZ*BARSAN         *190805*1134*U*00401"
           "*000000001*0*P*~\n")
    body = ["GS*PO*049351117*BARSAN*20190805*1134*1*X*004010~", "ST*850*0001~", f"{BEG}~", f"{PO1}~",
            "CTT*1~", "SE*5*0001~", "GE*1*1~", "IEA*1*000000001~"]
    (order,) = parse(("".join([isa, "\n".join(body), "\n"])).encode()).orders
    assert order.uncertain == []
    assert [line.quantity.value for line in order.lines] == [10]
