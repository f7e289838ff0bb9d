"""The UBL parser against the shared corpus and small synthetic documents."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers import ubl
from integrations.parsers.draft import DocumentKind, OrderDraft, ParseError, ParseResult

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "ubl"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"../shared/corpus not present: {CORPUS}")

ORDER_NS = "urn:oasis:names:specification:ubl:schema:xsd:Order-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def corpus_order(relative: str) -> OrderDraft:
    result = ubl.parse((CORPUS / relative).read_bytes(), name=relative)
    assert result.not_an_order == ""
    assert len(result.orders) == 1
    return result.orders[0]


def values(line) -> tuple:
    def value(read):
        return None if read is None else read.value

    return (value(line.sku), value(line.gtin), value(line.description), value(line.quantity),
            value(line.uom), value(line.unit_price))


QUANTITY = '<cbc:Quantity unitCode="EA">10</cbc:Quantity>'
PRICE = '<cac:Price><cbc:PriceAmount currencyID="EUR">2.50</cbc:PriceAmount></cac:Price>'
SELLER_ID = "<cac:SellersItemIdentification><cbc:ID>SKU-1</cbc:ID></cac:SellersItemIdentification>"


def line_xml(line_id: str = "1", quantity: str = QUANTITY, price: str = PRICE, item: str = SELLER_ID,
             extra: str = "") -> str:
    return (f"<cac:OrderLine><cac:LineItem><cbc:ID>{line_id}</cbc:ID>{quantity}{extra}{price}"
            f"<cac:Item>{item}</cac:Item></cac:LineItem></cac:OrderLine>")


def order_xml(header: str = "<cbc:ID>PO-1</cbc:ID><cbc:IssueDate>2026-11-20</cbc:IssueDate>",
              lines: str | None = None, root: str = "Order") -> bytes:
    body = line_xml() if lines is None else lines
    return (f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="urn:oasis:names:specification:ubl:'
            f'schema:xsd:{root}-2" xmlns:cac="{CAC}" xmlns:cbc="{CBC}">{header}{body}</{root}>').encode()


def one(data: bytes) -> OrderDraft:
    result = ubl.parse(data)
    assert len(result.orders) == 1
    return result.orders[0]


# --- corpus: OASIS ------------------------------------------------------------------


@needs_corpus
def test_oasis_order_21_reads_header_buyer_delivery_and_two_lines():
    order = corpus_order("oasis/UBL-Order-2.1-Example.xml")
    assert order.kind is DocumentKind.ORDER
    assert order.po_number.value == "34"
    assert order.po_number.evidence.text == "ID: 34"
    assert order.order_date.value == date(2010, 1, 20)
    assert order.currency.value == "SEK" and order.currency.confidence == 1.0
    assert order.requested_date.value == date(2010, 2, 10)
    assert order.customer_name.value == "Johnssons byggvaror"
    assert order.sender_email.value == "pelle@johnsson.se"
    assert [b.value for b in order.buyer_ids] == ["GLN:7300072311115", "GLN:7300070011115", "PartyID123"]
    assert order.ship_to.street.value == "Rådhusgatan 5"
    assert (order.ship_to.city.value, order.ship_to.postal_code.value, order.ship_to.country.value) == (
        "Stockholm", "11000", "SE")
    assert len(order.lines) == 2
    assert values(order.lines[0]) == ("SItemNo001", "1234567890123", "Falu Rödfärg", Decimal("120"),
                                      "LTR", Decimal("50"))
    assert values(order.lines[1]) == ("SItemNo011", "123452340123", "Pensel 20 mm", Decimal("15"),
                                      "C62", Decimal("15"))
    assert order.lines[0].price_per.value == Decimal("1")
    assert order.lines[0].requested_date.value == date(2010, 2, 10)
    notes = [note.value for note in order.notes]
    assert "Information text for the whole order" in notes
    assert "allowance/charge present: Transport documents 100" in notes
    assert "allowance/charge present: Total order value discount 100" in notes
    assert order.uncertain == []


@needs_corpus
def test_oasis_order_20_takes_currency_from_amounts_and_account_id_as_customer():
    order = corpus_order("oasis/UBL-Order-2.0-Example-International.xml")
    assert order.po_number.value == "AEG012345"
    assert order.currency.value == "USD" and order.currency.confidence == 0.8
    assert order.customer_number.value == "GT00978567" and order.customer_number.confidence == 1.0
    assert [b.value for b in order.buyer_ids] == ["XFB01"]
    assert order.ship_to.street.value == "Avon Way 56A"
    assert order.requested_date.value == date(2005, 6, 29)
    assert len(order.lines) == 1
    line = order.lines[0]
    assert values(line) == ("17589683", None, "Acme Beeswax", Decimal("100"), "KGM", Decimal("10.00"))
    assert line.customer_part_number.value == "6578489"


@needs_corpus
def test_oasis_order_change_refers_to_order_34():
    order = corpus_order("oasis/UBL-OrderChange-2.1-Example.xml")
    assert order.kind is DocumentKind.CHANGE
    assert order.references_po.value == "34"
    assert order.po_number.value == "34"
    assert order.locator == "OrderChange 7"
    assert len(order.lines) == 1
    assert values(order.lines[0])[3:] == (Decimal("240"), "LTR", Decimal("50"))
    assert "line 1: LineStatusCode Revised" in [note.value for note in order.notes]
    assert order.uncertain == []


@needs_corpus
def test_oasis_order_cancellation_refers_to_order_34_without_lines():
    order = corpus_order("oasis/UBL-OrderCancellation-2.1-Example.xml")
    assert order.kind is DocumentKind.CANCEL
    assert order.references_po.value == "34"
    assert order.lines == []
    assert [note.value for note in order.notes] == ["With reference to phone call"]
    assert order.uncertain == []


@needs_corpus
@pytest.mark.parametrize(("relative", "root"), [
    ("oasis/UBL-OrderResponse-2.1-Example.xml", "OrderResponse"),
    ("oasis/UBL-OrderResponseSimple-2.1-Example.xml", "OrderResponseSimple"),
    ("oca/oca-edi_UBL-RequestForQuotation-2.1-Example.xml", "RequestForQuotation"),
    ("peppol/peppol-advord-sc1_OrderResponse_sc1.xml", "OrderResponse"),
])
def test_ubl_documents_that_are_no_order_are_not_an_order(relative, root):
    result = ubl.parse((CORPUS / relative).read_bytes())
    assert result.orders == []
    assert result.not_an_order == f"UBL {root} is not a purchase order"


# --- corpus: OCA copies -----------------------------------------------------------------


@needs_corpus
def test_oca_order_20_keeps_non_standard_unit_and_changed_price():
    order = corpus_order("oca/oca-edi_UBL-Order-2.0-Example.xml")
    assert order.po_number.value == "AEG012345"
    assert order.currency.value == "GBP" and order.currency.confidence == 0.8
    assert len(order.lines) == 1
    assert values(order.lines[0]) == ("17589683", None, "beeswax", Decimal("100"), "KG", Decimal("100.00"))


@needs_corpus
def test_oca_order_21_has_the_changed_gtin_on_line_2():
    order = corpus_order("oca/oca-edi_UBL-Order-2.1-Example.xml")
    assert order.po_number.value == "34"
    assert [line.gtin.value for line in order.lines] == ["1234567890123", "1122334455"]
    assert [line.quantity.value for line in order.lines] == [Decimal("120"), Decimal("15")]


# --- corpus: Peppol BIS 3 ------------------------------------------------------------------


@needs_corpus
def test_peppol_uc1_three_lines_with_seller_id_and_gtin():
    order = corpus_order("peppol/peppol-bis3_UC1_Order.xml")
    assert order.po_number.value == "1"
    assert order.currency.value == "EUR"
    assert [b.value for b in order.buyer_ids] == ["0088:7300010000001"]
    assert order.sender_email.value == "martin.foggerty@cityhospital.se"
    assert [values(line) for line in order.lines] == [
        ("SN-33", "05704066204093", "Brown sauce", Decimal("10"), "NAR", Decimal("4")),
        ("SN-34", "08722700575887", "White sauce", Decimal("5"), "NAR", Decimal("6")),
        ("SN-35", "08722700577584", "Pepper sauce", Decimal("15"), "NAR", Decimal("3")),
    ]
    assert order.lines[0].gtin.confidence == 1.0


@needs_corpus
def test_peppol_uc2_lines_identified_only_by_name():
    order = corpus_order("peppol/peppol-bis3_UC2_Order.xml")
    assert [values(line) for line in order.lines] == [
        (None, None, "Item 1", Decimal("10"), "NAR", Decimal("40")),
        (None, None, "Item 2", Decimal("50"), "NAR", Decimal("6")),
    ]
    assert order.uncertain == []


@needs_corpus
def test_peppol_uc3_service_line_in_days():
    order = corpus_order("peppol/peppol-bis3_UC3_Order.xml")
    assert order.po_number.value == "5"
    assert [values(line) for line in order.lines] == [
        (None, None, "Translation", Decimal("1"), "DAY", Decimal("400"))]


@needs_corpus
def test_peppol_uc4_one_line_with_notes_and_allowances():
    order = corpus_order("peppol/peppol-bis3_UC4_Order.xml")
    assert order.po_number.value == "5"
    assert [values(line) for line in order.lines] == [
        ("SN-33", "09876543211234", "Snow shovel", Decimal("50"), "NAR", Decimal("1"))]
    assert order.lines[0].requested_date.value == date(2013, 7, 15)
    notes = [note.value for note in order.notes]
    assert notes[:3] == ["Notes regarding the order", "allowance/charge present: Freight cost 10",
                         "allowance/charge present: Agreed discount 10"]
    assert order.ship_to.name.value == "Hospital Stock management"
    assert {b.value for b in order.buyer_ids} == {"0007:5541277710", "0088:7300010000001"}


@needs_corpus
def test_peppol_uc5_swedish_crowns_and_delivery_location_code():
    order = corpus_order("peppol/peppol-bis3_UC5_Order.xml")
    assert order.currency.value == "SEK"
    assert order.customer_name.value == "Region West"
    assert order.shipto_code.value == "73512333000108" and order.shipto_code.confidence == 0.8
    assert order.ship_to.name.value == "Southern Hospital"
    assert order.ship_to.street.value == "Sjukhusgatan 14"
    assert [values(line)[0] for line in order.lines] == ["11111", "111125", "11135"]
    assert [line.quantity.value for line in order.lines] == [Decimal("10"), Decimal("5"), Decimal("15")]
    assert {line.uom.value for line in order.lines} == {"EA"}


@needs_corpus
def test_peppol_uc6_line_identified_by_gtin_only():
    order = corpus_order("peppol/peppol-bis3_UC6_Order.xml")
    line = order.lines[0]
    assert line.sku is None and line.customer_part_number is None
    assert line.gtin.value == "05704066204093"
    assert values(line)[3:] == (Decimal("10"), "NAR", Decimal("40"))
    assert order.requested_date is None and order.ship_to.is_empty()


@needs_corpus
def test_peppol_advanced_ordering_thread():
    order = corpus_order("peppol/peppol-advord-sc1_Order_sc1.xml")
    assert order.kind is DocumentKind.ORDER and order.po_number.value == "Order-1"
    assert [line.quantity.value for line in order.lines] == [Decimal("10"), Decimal("50")]
    assert [line.description.value for line in order.lines] == ["Item 1", "Item 2"]

    change = corpus_order("peppol/peppol-advord-sc1_OrderChange_sc1.xml")
    assert change.kind is DocumentKind.CHANGE
    assert (change.po_number.value, change.references_po.value) == ("Order-1", "Order-1")
    assert change.locator == "OrderChange Change-1"
    assert [line.quantity.value for line in change.lines] == [Decimal("5"), Decimal("50")]
    assert "line 1: LineStatusCode 3" in [note.value for note in change.notes]

    cancel = corpus_order("peppol/peppol-advord-sc1_OrderCancellation_sc1.xml")
    assert cancel.kind is DocumentKind.CANCEL
    assert cancel.references_po.value == "Order-1" and cancel.lines == []
    assert cancel.customer_name.value == "City Hospital 345433"


@needs_corpus
def test_every_corpus_file_parses():
    for path in sorted(CORPUS.rglob("*.xml")):
        result = ubl.parse(path.read_bytes())
        assert bool(result.orders) != bool(result.not_an_order), path.name


# --- synthetic documents ------------------------------------------------------------------


def test_billion_laughs_is_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2">&lol3;</Order>')
    with pytest.raises(ParseError, match="refused"):
        ubl.parse(data)


def test_external_entity_is_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>&xxe;</ID></Order>')
    with pytest.raises(ParseError, match="refused"):
        ubl.parse(data)


@pytest.mark.parametrize("data", [
    b"", b"not xml at all", b"\xff\xfe\x00garbage", b"<Order><unclosed></Order>",
    b'<?xml version="1.0" encoding="no-such-encoding"?><Order/>',
])
def test_bytes_that_are_not_xml_raise_parse_error(data):
    with pytest.raises(ParseError):
        ubl.parse(data)


@pytest.mark.parametrize("data", [
    b"<html><body><p>Order 4711</p></body></html>",
    b"<Order><ID>4711</ID></Order>",
    b'<Order xmlns="http://example.com/public"><ID>4711</ID></Order>',
])
def test_xml_that_is_not_ubl_raises_parse_error(data):
    with pytest.raises(ParseError, match="not UBL"):
        ubl.parse(data)


def test_invoice_is_not_an_order():
    data = order_xml(root="Invoice")
    assert ubl.parse(data) == ParseResult(not_an_order="UBL Invoice is not a purchase order")


def test_order_without_id_is_uncertain():
    order = one(order_xml(header="<cbc:IssueDate>2026-11-20</cbc:IssueDate>"))
    assert order.po_number is None
    assert "PO number missing" in order.uncertain


def test_prefixes_do_not_matter():
    data = (b'<ubl:Order xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Order-2" '
            b'xmlns:a="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
            b'xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
            b"<b:ID>PO-9</b:ID><a:OrderLine><a:LineItem><b:ID>1</b:ID>"
            b'<b:Quantity unitCode="CS">3</b:Quantity><a:Item><b:Name>Widget</b:Name></a:Item>'
            b"</a:LineItem></a:OrderLine></ubl:Order>")
    order = one(data)
    assert order.po_number.value == "PO-9"
    assert values(order.lines[0]) == (None, None, "Widget", Decimal("3"), "CS", None)


def test_line_without_quantity_or_identifier_is_uncertain():
    order = one(order_xml(lines=line_xml("1", quantity="") + line_xml("2", item="")))
    assert "line 1: quantity missing" in order.uncertain
    assert "line 2: product identifier missing" in order.uncertain
    assert len(order.lines) == 2


def test_unreadable_quantity_is_uncertain_not_guessed():
    order = one(order_xml(lines=line_xml(quantity='<cbc:Quantity unitCode="EA">1,5</cbc:Quantity>')))
    assert order.lines[0].quantity is None
    assert "line 1: quantity: '1,5' is not a number" in order.uncertain


def test_zero_quantity_in_an_order_is_uncertain():
    order = one(order_xml(lines=line_xml(quantity="<cbc:Quantity>0</cbc:Quantity>")))
    assert "line 1: quantity 0 is not positive" in order.uncertain


def test_line_total_is_not_taken_as_price():
    total = '<cbc:LineExtensionAmount currencyID="EUR">25</cbc:LineExtensionAmount>'
    order = one(order_xml(lines=line_xml(price="", extra=total)))
    assert order.lines[0].unit_price is None
    assert order.currency.value == "EUR" and order.currency.confidence == 0.8


def test_price_per_other_unit_is_uncertain():
    price = ('<cac:Price><cbc:PriceAmount>12</cbc:PriceAmount>'
             '<cbc:BaseQuantity unitCode="KGM">1</cbc:BaseQuantity></cac:Price>')
    order = one(order_xml(lines=line_xml(price=price)))
    assert order.lines[0].unit_price.confidence < 0.9
    assert "line 1: price is per KGM, quantity is in EA" in order.uncertain


def test_requested_date_falls_back_to_the_lines():
    delivery = ("<cac:Delivery><cac:RequestedDeliveryPeriod><cbc:EndDate>2026-12-01</cbc:EndDate>"
                "</cac:RequestedDeliveryPeriod></cac:Delivery>")
    order = one(order_xml(lines=line_xml("1", extra=delivery) + line_xml("2", extra=delivery)))
    assert order.requested_date.value == date(2026, 12, 1)
    assert order.requested_date.confidence == 1.0


def test_bad_issue_date_is_uncertain():
    order = one(order_xml(header="<cbc:ID>1</cbc:ID><cbc:IssueDate>20.11.2026</cbc:IssueDate>"))
    assert order.order_date is None
    assert "order date: '20.11.2026' is not a date" in order.uncertain


def test_change_without_order_reference_uses_its_own_id_uncertainly():
    order = one(order_xml(header="<cbc:ID>CH-1</cbc:ID>", root="OrderChange"))
    assert order.kind is DocumentKind.CHANGE
    assert order.po_number.value == "CH-1" and order.po_number.confidence < 0.9
    assert order.references_po is None
    assert any("order reference missing" in entry for entry in order.uncertain)


def test_order_without_lines_is_uncertain():
    assert "no order lines" in one(order_xml(lines="")).uncertain


# --- fuzz ------------------------------------------------------------------------------------

SEED = order_xml(
    header=("<cbc:ID>PO-1</cbc:ID><cbc:IssueDate>2026-11-20</cbc:IssueDate>"
            "<cac:BuyerCustomerParty><cac:Party><cbc:EndpointID schemeID=\"0088\">1</cbc:EndpointID>"
            "</cac:Party></cac:BuyerCustomerParty><cac:Delivery><cac:DeliveryLocation><cbc:ID>S1</cbc:ID>"
            "<cac:Address><cbc:StreetName>Main</cbc:StreetName></cac:Address></cac:DeliveryLocation>"
            "</cac:Delivery>"),
    lines=line_xml("1") + line_xml("2"),
)

_spliced = st.tuples(st.integers(0, len(SEED)), st.integers(0, 40), st.binary(max_size=30)).map(
    lambda cut: SEED[: cut[0]] + cut[2] + SEED[cut[0] + cut[1]:])
_refilled = st.tuples(st.text(max_size=20), st.text(max_size=20), st.text(max_size=20)).map(
    lambda texts: order_xml(
        header=f"<cbc:ID>{escape(texts[0])}</cbc:ID><cbc:IssueDate>{escape(texts[1])}</cbc:IssueDate>",
        lines=line_xml(quantity=f'<cbc:Quantity unitCode="{escape(texts[2], {chr(34): "&quot;"})}">'
                                f"{escape(texts[2])}</cbc:Quantity>")))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=500), _spliced, _refilled))
def test_fuzzed_input_gives_a_result_or_parse_error(data):
    try:
        result = ubl.parse(data)
    except ParseError:
        return
    assert isinstance(result, ParseResult)


@pytest.mark.parametrize("stated, agrees", [("25.00", True), ("27.50", False)])
def test_the_lines_total_amount_must_be_what_the_lines_make(stated, agrees):
    from integrations.parsers.totals import disagreement

    total = (f'<cac:AnticipatedMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">{stated}'
             "</cbc:LineExtensionAmount></cac:AnticipatedMonetaryTotal>")
    order = one(order_xml(header="<cbc:ID>PO-1</cbc:ID><cbc:IssueDate>2026-11-20</cbc:IssueDate>" + total))
    assert [str(t.value) for t in order.stated_totals] == [stated]
    assert (disagreement(order) is None) is agrees
