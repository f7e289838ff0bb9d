"""The CII (Order-X) reader, alone and embedded in a PDF, on documents built here and
on the real Order-X PDF of ../shared/corpus/realworld when it is present."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fpdf import FPDF

from integrations.parsers import cii, pdf_attachments, sandbox
from integrations.parsers import pdf as pdf_parser
from integrations.parsers.draft import DocumentKind, OrderDraft, ParseError
from integrations.parsers.totals import disagreement

REALWORLD = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "realworld"
ORDER_X_PDF = REALWORLD / "docs" / "orderx_reader-order-x-comfort.pdf"

RSM = "urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:128"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:128"


def _date(value: str) -> str:
    return f'<udt:DateTimeString format="102">{value}</udt:DateTimeString>'


def line_xml(line_id: str, *, seller_id: str, buyer_id: str, gtin: str, quantity: str, price: str,
             basis: str = "1", line_total: str | None = None, delivery: str = "") -> str:
    total = (f"<ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation>"
             f"<ram:LineTotalAmount>{line_total}</ram:LineTotalAmount>"
             f"</ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>"
             if line_total is not None else "")
    return (
        f"<ram:IncludedSupplyChainTradeLineItem>"
        f"<ram:AssociatedDocumentLineDocument><ram:LineID>{line_id}</ram:LineID>"
        f"</ram:AssociatedDocumentLineDocument>"
        f'<ram:SpecifiedTradeProduct><ram:GlobalID schemeID="0160">{gtin}</ram:GlobalID>'
        f"<ram:SellerAssignedID>{seller_id}</ram:SellerAssignedID>"
        f"<ram:BuyerAssignedID>{buyer_id}</ram:BuyerAssignedID><ram:Name>Widget {line_id}</ram:Name>"
        f"</ram:SpecifiedTradeProduct>"
        f"<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>"
        f'<ram:ChargeAmount>{price}</ram:ChargeAmount><ram:BasisQuantity unitCode="C62">{basis}'
        f"</ram:BasisQuantity></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>"
        f'<ram:SpecifiedLineTradeDelivery><ram:RequestedQuantity unitCode="C62">{quantity}'
        f"</ram:RequestedQuantity>{delivery}</ram:SpecifiedLineTradeDelivery>{total}"
        f"</ram:IncludedSupplyChainTradeLineItem>"
    )


TWO_LINES = (
    line_xml("1", seller_id="SKU-100", buyer_id="B-1", gtin="4006381333931", quantity="12",
             price="2.50", line_total="30.00")
    + line_xml("2", seller_id="SKU-200", buyer_id="B-2", gtin="4006381333948", quantity="10",
               price="20.00", basis="2", line_total="100.00",
               delivery=f"<ram:RequestedDeliverySupplyChainEvent><ram:OccurrenceDateTime>{_date('20261205')}"
                        f"</ram:OccurrenceDateTime></ram:RequestedDeliverySupplyChainEvent>")
)

BUYER = (
    "<ram:BuyerTradeParty><ram:ID>CUST-77</ram:ID>"
    '<ram:GlobalID schemeID="0088">4000001000005</ram:GlobalID><ram:Name>Brasserie Lumière SARL</ram:Name>'
    "<ram:DefinedTradeContact><ram:PersonName>Anne Martin</ram:PersonName>"
    "<ram:EmailURIUniversalCommunication><ram:URIID>achats@lumiere.example</ram:URIID>"
    "</ram:EmailURIUniversalCommunication></ram:DefinedTradeContact></ram:BuyerTradeParty>"
    "<ram:SellerTradeParty><ram:Name>OrderDesk Supplies</ram:Name></ram:SellerTradeParty>"
)

SHIP_TO = (
    "<ram:ShipToTradeParty><ram:ID>DEPOT-LYON</ram:ID><ram:Name>Lumière Dépôt Lyon</ram:Name>"
    "<ram:PostalTradeAddress><ram:PostcodeCode>69003</ram:PostcodeCode>"
    "<ram:LineOne>12 rue de la Gare</ram:LineOne><ram:CityName>Lyon</ram:CityName>"
    "<ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress></ram:ShipToTradeParty>"
    f"<ram:RequestedDeliverySupplyChainEvent><ram:OccurrenceDateTime>{_date('20261201')}"
    "</ram:OccurrenceDateTime></ram:RequestedDeliverySupplyChainEvent>"
)

SETTLEMENT = (
    "<ram:OrderCurrencyCode>EUR</ram:OrderCurrencyCode>"
    "<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:LineTotalAmount>130.00</ram:LineTotalAmount>"
    "<ram:GrandTotalAmount>154.70</ram:GrandTotalAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
)


def order_xml(*, po: str = "PO-4711", type_code: str = "220", purpose: str = "9", lines: str = TWO_LINES,
              agreement_extra: str = "", issued: str = "20261120", settlement: str = SETTLEMENT,
              root: str = "SCRDMCCBDACIOMessageStructure", note: str = "Deliver to the back door") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<rsm:{root} xmlns:rsm="{RSM}" xmlns:ram="{RAM}" xmlns:udt="{UDT}">'
        f"<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>"
        f"<ram:ID>urn:order-x.eu:1p0:basic</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>"
        f"</rsm:ExchangedDocumentContext>"
        f"<rsm:ExchangedDocument><ram:ID>{po}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode>"
        f"<ram:IssueDateTime>{_date(issued)}</ram:IssueDateTime><ram:PurposeCode>{purpose}</ram:PurposeCode>"
        f"<ram:IncludedNote><ram:Content>{note}</ram:Content></ram:IncludedNote></rsm:ExchangedDocument>"
        f"<rsm:SupplyChainTradeTransaction>{lines}"
        f"<ram:ApplicableHeaderTradeAgreement>{BUYER}{agreement_extra}</ram:ApplicableHeaderTradeAgreement>"
        f"<ram:ApplicableHeaderTradeDelivery>{SHIP_TO}</ram:ApplicableHeaderTradeDelivery>"
        f"<ram:ApplicableHeaderTradeSettlement>{settlement}</ram:ApplicableHeaderTradeSettlement>"
        f"</rsm:SupplyChainTradeTransaction></rsm:{root}>"
    ).encode()


def only(data: bytes) -> OrderDraft:
    result = cii.parse(data)
    assert result.not_an_order == ""
    assert len(result.orders) == 1
    return result.orders[0]


def values(line) -> tuple:
    def value(read):
        return None if read is None else read.value

    return (value(line.line_number), value(line.sku), value(line.customer_part_number), value(line.gtin),
            value(line.quantity), value(line.uom), value(line.unit_price), value(line.price_per))


# --- the XML alone ------------------------------------------------------------------------


def test_order_reads_header_parties_ship_to_lines_and_totals_with_evidence():
    order = only(order_xml())
    assert order.kind is DocumentKind.ORDER and order.format == "cii"
    assert order.po_number.value == "PO-4711" and order.po_number.evidence.text == "ID: PO-4711"
    assert order.order_date.value == date(2026, 11, 20)
    assert order.order_date.evidence.text == "IssueDateTime: 20261120 (format 102)"
    assert order.requested_date.value == date(2026, 12, 1)
    assert order.currency.value == "EUR" and order.currency.confidence == 1.0
    assert order.customer_name.value == "Brasserie Lumière SARL"
    assert order.sender_email.value == "achats@lumiere.example"
    assert [buyer.value for buyer in order.buyer_ids] == ["CUST-77", "0088:4000001000005"]
    assert order.customer_number is None  # a party id is matched as an alias, never trusted as ours
    assert order.shipto_code.value == "DEPOT-LYON" and order.shipto_code.confidence < 0.9
    ship_to = order.ship_to
    assert (ship_to.name.value, ship_to.street.value, ship_to.postal_code.value, ship_to.city.value,
            ship_to.country.value) == ("Lumière Dépôt Lyon", "12 rue de la Gare", "69003", "Lyon", "FR")
    assert [values(line) for line in order.lines] == [
        ("1", "SKU-100", "B-1", "4006381333931", Decimal("12"), "C62", Decimal("2.50"), Decimal("1")),
        ("2", "SKU-200", "B-2", "4006381333948", Decimal("10"), "C62", Decimal("20.00"), Decimal("2")),
    ]
    assert order.lines[1].requested_date.value == date(2026, 12, 5)
    assert [total.value for total in order.stated_totals] == [Decimal("130.00")]
    assert disagreement(order) is None
    assert [note.value for note in order.notes] == ["Deliver to the back door"]
    assert order.uncertain == []
    for read in (order.po_number, order.currency, order.lines[0].quantity, order.ship_to.city):
        assert read.evidence is not None and read.evidence.text


def test_order_change_refers_to_the_buyers_order():
    reference = "<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>PO-4711</ram:IssuerAssignedID>" \
                "</ram:BuyerOrderReferencedDocument>"
    order = only(order_xml(po="CHG-9", type_code="230", purpose="4", agreement_extra=reference))
    assert order.kind is DocumentKind.CHANGE
    assert order.references_po.value == "PO-4711" and order.po_number.value == "PO-4711"
    assert order.uncertain == []


def test_change_without_order_reference_is_uncertain():
    order = only(order_xml(po="CHG-9", type_code="230"))
    assert order.kind is DocumentKind.CHANGE
    assert order.po_number.confidence < 0.9
    assert any("order reference missing" in doubt for doubt in order.uncertain)


def test_cancellation_purpose_makes_a_cancel():
    reference = "<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>PO-4711</ram:IssuerAssignedID>" \
                "</ram:BuyerOrderReferencedDocument>"
    order = only(order_xml(type_code="230", purpose="1", agreement_extra=reference))
    assert order.kind is DocumentKind.CANCEL and order.references_po.value == "PO-4711"


def test_unreadable_values_are_uncertain_not_guessed():
    lines = line_xml("1", seller_id="SKU-100", buyer_id="B-1", gtin="4006381333931", quantity="ten",
                     price="2,50")
    order = only(order_xml(lines=lines, issued="20261341"))
    assert order.order_date is None and order.lines[0].quantity is None and order.lines[0].unit_price is None
    assert any("order date" in doubt for doubt in order.uncertain)
    assert any("line 1: quantity: 'ten'" in doubt for doubt in order.uncertain)
    assert any("line 1: price: '2,50'" in doubt for doubt in order.uncertain)


def test_line_total_that_is_not_quantity_times_price_is_uncertain():
    lines = line_xml("1", seller_id="SKU-100", buyer_id="B-1", gtin="4006381333931", quantity="12",
                     price="2.50", line_total="300.00")
    order = only(order_xml(lines=lines))
    assert any("line 1: line total 300.00" in doubt for doubt in order.uncertain)


def test_lines_that_do_not_make_the_stated_line_total_disagree():
    settlement = SETTLEMENT.replace("130.00", "150.00")
    assert disagreement(only(order_xml(settlement=settlement))) is not None


def test_copy_and_unknown_document_type_are_uncertain():
    assert any("copy" in doubt for doubt in only(order_xml(purpose="7")).uncertain)
    assert any("type code 221" in doubt for doubt in only(order_xml(type_code="221")).uncertain)


def test_invoice_and_order_response_are_not_orders():
    invoice = order_xml(root="CrossIndustryInvoice")
    assert "invoice" in cii.parse(invoice).not_an_order
    assert "response" in cii.parse(order_xml(type_code="231")).not_an_order


@pytest.mark.parametrize("data", [
    b"<rsm:SCRDMCCBDACIOMessageStructure xmlns:rsm='urn:un:unece:uncefact:data:x'><unclosed>",
    b"not xml at all",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x xmlns="urn:un:unece:uncefact:data:x">&a;</x>',
    b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>',
])
def test_malformed_hostile_or_foreign_xml_raises_parse_error(data: bytes):
    with pytest.raises(ParseError):
        cii.parse(data)


# --- embedded in a PDF ----------------------------------------------------------------------


def pdf_with(files: dict[str, bytes], *, printed: str = "Purchase order PO-PRINTED-1") -> bytes:
    """A one-page PDF (fpdf2) whose print says ``printed`` and which embeds ``files``."""
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=11)
    document.cell(text=printed)
    for name, data in files.items():
        document.embed_file(bytes=data, basename=name, mime_type="text/xml", compress=True,
                            desc="Order-X XML File")
    return bytes(document.output())


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "LIMITED", False)


def test_pdf_with_embedded_order_x_is_read_from_the_xml(in_process: None):
    result = pdf_parser.parse(pdf_with({"order-x.xml": order_xml()}), name="order.pdf")
    assert result.not_an_order == "" and len(result.orders) == 1
    order = result.orders[0]
    assert order.format == "pdf"
    assert order.locator == "embedded order-x.xml: SCRDMCCBDACIOMessageStructure PO-4711"
    assert order.po_number.value == "PO-4711"  # the XML's number, not the print's
    assert [values(line)[1] for line in order.lines] == ["SKU-100", "SKU-200"]
    assert order.ship_to.city.value == "Lyon" and order.uncertain == []


def test_pdf_with_embedded_order_x_is_read_in_the_limited_child_too():
    order = pdf_parser.parse(pdf_with({"order-x.xml": order_xml()})).orders[0]
    assert order.po_number.value == "PO-4711" and len(order.lines) == 2


def test_pdf_carrying_a_factur_x_invoice_is_not_an_order(in_process: None):
    result = pdf_parser.parse(pdf_with({"factur-x.xml": order_xml(root="CrossIndustryInvoice")}))
    assert result.orders == [] and "invoice" in result.not_an_order


def test_pdf_whose_order_x_cannot_be_read_is_unreadable(in_process: None):
    with pytest.raises(ParseError, match="embedded order-x.xml cannot be read"):
        pdf_parser.parse(pdf_with({"order-x.xml": b"<rsm:broken"}))


def test_embedded_file_above_the_size_cap_is_refused(in_process: None, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pdf_attachments, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ParseError, match="above the"):
        pdf_parser.parse(pdf_with({"order-x.xml": order_xml()}))


def test_unrelated_xml_attachment_leaves_the_print_to_be_read(in_process: None):
    data = pdf_with({"drawing.xml": b"<drawing><part>A-1</part></drawing>"})
    assert [a.name for a in pdf_attachments.xml_attachments(data)] == ["drawing.xml"]
    result = pdf_parser.parse(data)
    assert not any(order.locator.startswith("embedded") for order in result.orders)


def test_pdf_without_attachments_has_none():
    assert pdf_attachments.xml_attachments(pdf_with({})) == []
    assert pdf_attachments.xml_attachments(b"%PDF-1.4 garbage %%EOF") == []


# --- the real Order-X PDF ------------------------------------------------------------------


def _expected(file: str) -> dict:
    documents = json.loads((REALWORLD / "expected.json").read_text(encoding="utf-8"))["documents"]
    return next(entry for entry in documents if entry["file"] == file)


@pytest.mark.skipif(not ORDER_X_PDF.is_file(), reason=f"real-world corpus not present: {ORDER_X_PDF}")
def test_real_order_x_pdf_matches_the_clerks_reading(in_process: None):
    expected = _expected("docs/orderx_reader-order-x-comfort.pdf")
    result = pdf_parser.parse(ORDER_X_PDF.read_bytes(), name=ORDER_X_PDF.name)
    assert result.not_an_order == "" and len(result.orders) == 1
    order = result.orders[0]
    assert order.po_number.value == expected["po_number"]
    assert order.currency.value == expected["currency"]
    assert len(order.lines) == len(expected["lines"])
    for line, want in zip(order.lines, expected["lines"], strict=True):
        assert line.quantity.value == Decimal(want["quantity"])
        assert line.uom.value == want["unit"]
        assert (line.sku.value, line.customer_part_number.value, line.gtin.value) == (
            want["seller_item"], want["buyer_item"], want["gtin"])
    assert disagreement(order) is None


def test_a_cross_industry_order_file_is_told_from_ubl_by_its_namespace():
    from integrations.parsers import detect_format

    data = (b'<?xml version="1.0"?><rsm:SCRDMCCBDACIOMessageStructure '
            b'xmlns:rsm="urn:un:unece:uncefact:data:standard:SCRDMCCBDACIOMessageStructure:100"/>')
    assert detect_format(data, "order.xml") == "cii"
    assert detect_format(b'<?xml version="1.0"?><Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
                         b'Order-2"/>', "order.xml") == "ubl"
