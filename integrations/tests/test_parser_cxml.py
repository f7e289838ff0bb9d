"""The cXML OrderRequest reader against small crafted documents and one real one."""

import json
import re
import threading
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers import cxml, detect_format, parse_document
from integrations.parsers.draft import DocumentKind, OrderDraft, ParseError, ParseResult
from integrations.parsers.totals import disagreement

REALWORLD = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "realworld"
REAL_ORDER = REALWORLD / "docs" / "cxmlphp_OrderRequest.xml"

DOCTYPE = '<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd">'
ENVELOPE_HEADER = (
    '<Header><From><Credential domain="NetworkID"><Identity>AN01000000001</Identity></Credential>'
    '<Credential domain="DUNS"><Identity>123456789</Identity></Credential></From>'
    '<To><Credential domain="DUNS"><Identity>987654321</Identity></Credential></To>'
    '<Sender><Credential domain="NetworkID"><Identity>AN01000000001</Identity>'
    "<SharedSecret>s3cret-abc</SharedSecret></Credential><UserAgent>Buyer 1.0</UserAgent></Sender>"
    "</Header>")
SHIP_TO = (
    '<ShipTo><Address isoCountryCode="DE" addressID="WH-7"><Name xml:lang="de">Lager Nord</Name>'
    "<PostalAddress><DeliverTo>Wareneingang Tor 3</DeliverTo><Street>Hafenstrasse 12</Street>"
    "<City>Hamburg</City><PostalCode>20457</PostalCode>"
    '<Country isoCountryCode="DE">Deutschland</Country></PostalAddress></Address></ShipTo>')
BILL_TO = ('<BillTo><Address addressID="BT-100"><Name xml:lang="de">Nordhandel GmbH</Name>'
           "<PostalAddress><Street>Ring 1</Street><City>Hamburg</City><PostalCode>20095</PostalCode>"
           '<Country isoCountryCode="DE">Deutschland</Country></PostalAddress></Address></BillTo>')
CONTACT = ('<Contact role="endUser"><Name xml:lang="en">Eve User</Name><Email>eve@nordhandel.example</Email>'
           '</Contact><Contact role="purchasingAgent"><Name xml:lang="en">Paul Buyer</Name>'
           "<Email>paul@nordhandel.example</Email></Contact>")


def item_out(line: str = "1", quantity: str = "10", sku: str = "SKU-1", price: str = "2.50",
             unit: str = "EA", extra: str = "", item_id_extra: str = "", detail_extra: str = "",
             attrs: str = "") -> str:
    return (f'<ItemOut quantity="{quantity}" lineNumber="{line}" {attrs}>'
            f"<ItemID><SupplierPartID>{sku}</SupplierPartID>{item_id_extra}</ItemID>"
            f'<ItemDetail><UnitPrice><Money currency="EUR">{price}</Money></UnitPrice>'
            f'<Description xml:lang="en">Widget {line}<ShortName>W{line}</ShortName></Description>'
            f"<UnitOfMeasure>{unit}</UnitOfMeasure>{detail_extra}</ItemDetail>{extra}</ItemOut>")


def order_request(header: str = "", items: str | None = None, attrs: str = 'orderID="PO-4711"',
                  mode: str = "production", doctype: str = DOCTYPE) -> bytes:
    body = item_out() if items is None else items
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
            f'<cXML payloadID="1@buyer.example" timestamp="2026-11-20T09:00:00+01:00">{ENVELOPE_HEADER}'
            f'<Request deploymentMode="{mode}"><OrderRequest>'
            f'<OrderRequestHeader {attrs} orderDate="2026-11-20T09:00:00+01:00">{header}</OrderRequestHeader>'
            f"{body}</OrderRequest></Request></cXML>").encode()


def one(data: bytes) -> OrderDraft:
    result = cxml.parse(data)
    assert result.not_an_order == ""
    assert len(result.orders) == 1
    return result.orders[0]


def value(found):
    return None if found is None else found.value


FULL_HEADER = ('<Total><Money currency="EUR">85.00</Money></Total>' + SHIP_TO + BILL_TO + CONTACT
               + "<Comments>Please deliver before noon.</Comments>"
               + '<Extrinsic name="CostCenter">4711-Lager</Extrinsic>')
TWO_LINES = (item_out("1", "10", "SKU-1", "2.10", attrs='requestedDeliveryDate="2026-12-01"')
             + item_out("2", "20", "SKU-2", "3.20", attrs='requestedDeliveryDate="2026-12-01T00:00:00Z"',
                        item_id_extra="<BuyerPartID>CUST-22</BuyerPartID>",
                        extra='<Comments type="Line">Blue ones only</Comments>'))


# --- a new order ------------------------------------------------------------------------------------


def test_order_with_two_lines_reads_header_parties_and_lines():
    order = one(order_request(FULL_HEADER, TWO_LINES))
    assert order.format == "cxml" and order.kind is DocumentKind.ORDER
    assert order.po_number.value == "PO-4711" and order.references_po is None
    assert order.locator == "OrderRequest PO-4711"
    assert order.order_date.value == date(2026, 11, 20)
    assert order.currency.value == "EUR" and order.currency.confidence == 1.0
    assert order.requested_date.value == date(2026, 12, 1) and order.requested_date.confidence == 1.0
    assert [line.line_number.value for line in order.lines] == ["1", "2"]
    assert [(value(line.sku), value(line.customer_part_number), value(line.quantity), value(line.uom),
             value(line.unit_price), value(line.description)) for line in order.lines] == [
        ("SKU-1", None, Decimal("10"), "EA", Decimal("2.10"), "Widget 1"),
        ("SKU-2", "CUST-22", Decimal("20"), "EA", Decimal("3.20"), "Widget 2"),
    ]
    assert order.uncertain == []


def test_ship_to_bill_to_and_contact_fill_the_draft():
    order = one(order_request(FULL_HEADER, TWO_LINES))
    ship_to = order.ship_to
    assert ship_to.name.value == "Lager Nord, Wareneingang Tor 3"
    assert (ship_to.street.value, ship_to.city.value, ship_to.postal_code.value, ship_to.country.value) == (
        "Hafenstrasse 12", "Hamburg", "20457", "DE")
    assert order.shipto_code.value == "WH-7" and order.shipto_code.confidence == 0.8
    assert order.customer_name.value == "Nordhandel GmbH"
    assert order.customer_number is None  # the buyer's own ids are aliases, never our number
    assert [b.value for b in order.buyer_ids] == ["NetworkID:AN01000000001", "DUNS:123456789", "BT-100"]
    assert order.sender_email.value == "paul@nordhandel.example"  # the purchaser, not the end user


def test_every_field_carries_evidence():
    order = one(order_request(FULL_HEADER, TWO_LINES))
    assert order.po_number.evidence.text == "OrderRequestHeader orderID: PO-4711"
    assert order.stated_totals[0].evidence.text == "Total Money: 85.00 EUR"
    assert order.lines[1].unit_price.evidence.text == "UnitPrice Money: 3.20 EUR"
    assert order.ship_to.name.evidence.text == "Name: Lager Nord; DeliverTo: Wareneingang Tor 3"
    reads = [order.po_number, order.order_date, order.currency, order.customer_name, order.sender_email,
             order.shipto_code, *order.buyer_ids, *order.notes, *order.stated_totals,
             *(getattr(order.ship_to, name) for name in ("name", "street", "city", "postal_code", "country")),
             *(getattr(line, name) for line in order.lines for name in (
                 "quantity", "uom", "sku", "description", "unit_price", "requested_date", "line_number"))]
    assert all(found.evidence is not None and found.evidence.text for found in reads)


def test_comments_and_extrinsics_become_notes_for_the_free_text_accounting():
    order = one(order_request(FULL_HEADER, TWO_LINES))
    assert [note.value for note in order.notes] == [
        "Please deliver before noon.", "CostCenter: 4711-Lager", "line 2: Blue ones only"]
    assert order.notes[2].evidence.text == "Comments: (Line) Blue ones only"


def test_the_shared_secret_of_the_sender_is_never_read():
    order = one(order_request(FULL_HEADER, TWO_LINES))
    assert "s3cret" not in repr(order)


@pytest.mark.parametrize(("stated", "agrees"), [("85.00", True), ("95.00", False)])
def test_the_order_total_must_be_what_the_lines_make(stated, agrees):
    order = one(order_request(f'<Total><Money currency="EUR">{stated}</Money></Total>', TWO_LINES))
    assert [str(total.value) for total in order.stated_totals] == [stated]
    assert (disagreement(order) is None) is agrees


def test_tax_and_shipping_are_stated_beside_the_total():
    header = ('<Total><Money currency="EUR">85.00</Money></Total>'
              '<Shipping><Money currency="EUR">5.00</Money><Description xml:lang="en">DHL Express'
              '</Description></Shipping><Tax><Money currency="EUR">17.10</Money>'
              '<Description xml:lang="en">VAT</Description></Tax>')
    order = one(order_request(header, TWO_LINES))
    assert [str(total.value) for total in order.stated_totals] == ["85.00", "17.10", "5.00"]
    assert disagreement(order) is None
    assert "shipping: DHL Express" in [note.value for note in order.notes]


# --- updates and deletions ------------------------------------------------------------------------


def test_update_changes_the_order_of_the_same_order_id():
    attrs = 'orderID="PO-4711" type="update" orderVersion="2"'
    reference = '<DocumentReference payloadID="1@buyer.example"/>'
    order = one(order_request(reference, item_out(quantity="0") + item_out("2"), attrs=attrs))
    assert order.kind is DocumentKind.CHANGE
    assert (order.po_number.value, order.references_po.value) == ("PO-4711", "PO-4711")
    assert order.locator == "OrderRequest PO-4711 version 2"
    assert order.lines[0].quantity.value == 0  # an update restates the order: zero drops a line
    assert order.uncertain == []


def test_delete_cancels_the_order():
    attrs = 'orderID="PO-4711" type="delete"'
    order = one(order_request('<DocumentReference payloadID="1@buyer.example"/>', items="", attrs=attrs))
    assert order.kind is DocumentKind.CANCEL
    assert order.references_po.value == "PO-4711" and order.lines == []
    assert order.uncertain == []


def test_unknown_order_type_is_uncertain():
    order = one(order_request(attrs='orderID="PO-1" type="replace"'))
    assert order.kind is DocumentKind.ORDER
    assert "order type 'replace' is none of new, update, delete" in order.uncertain


# --- what is no order ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("envelope", "payload"), [
    ("Request", "ConfirmationRequest"),
    ("Request", "ShipNoticeRequest"),
    ("Request", "PunchOutSetupRequest"),
    ("Message", "PunchOutOrderMessage"),
    ("Response", "PunchOutSetupResponse"),
])
def test_cxml_that_is_no_order_request_is_not_an_order(envelope, payload):
    status = '<Status code="200" text="OK"/>' if envelope == "Response" else ""
    data = (f'<?xml version="1.0"?>{DOCTYPE}<cXML payloadID="2@x" timestamp="2026-11-20T09:00:00Z">'
            f"{ENVELOPE_HEADER}<{envelope}>{status}<{payload}><Whatever/></{payload}></{envelope}></cXML>")
    result = cxml.parse(data.encode())
    assert result == ParseResult(not_an_order=f"cXML {payload} is not a purchase order")


def test_bare_status_response_is_not_an_order():
    data = b'<cXML payloadID="3@x"><Response><Status code="200" text="OK"/></Response></cXML>'
    assert cxml.parse(data).not_an_order == "cXML document without a request or message"


@pytest.mark.parametrize("data", [
    b"", b"not xml at all", b"\xff\xfe\x00garbage", b"<cXML><Request><OrderRequest></cXML>",
    b'<?xml version="1.0" encoding="no-such-encoding"?><cXML/>',
])
def test_malformed_xml_raises_parse_error(data):
    with pytest.raises(ParseError):
        cxml.parse(data)


def test_xml_that_is_not_cxml_raises_parse_error():
    with pytest.raises(ParseError, match="not cXML"):
        cxml.parse(b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>')


# --- hostile documents --------------------------------------------------------------------------------


@pytest.fixture
def listener():
    """A local HTTP server that records every request: nothing may reach it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "leaked">')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_external_dtd_of_the_doctype_is_not_fetched(listener):
    url, hits = listener
    order = one(order_request(doctype=f'<!DOCTYPE cXML SYSTEM "{url}/cXML.dtd">'))
    assert order.po_number.value == "PO-4711"
    assert hits == []


def test_external_entity_is_refused_and_not_fetched(listener):
    url, hits = listener
    data = order_request(header="<Comments>&xxe;</Comments>",
                         doctype=f'<!DOCTYPE cXML [<!ENTITY xxe SYSTEM "{url}/secret">]>')
    with pytest.raises(ParseError, match="refused"):
        cxml.parse(data)
    assert hits == []


def test_billion_laughs_is_refused():
    doctype = ('<!DOCTYPE cXML [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
               '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    with pytest.raises(ParseError, match="refused"):
        cxml.parse(order_request(header="<Comments>&lol3;</Comments>", doctype=doctype))


# --- what routes ------------------------------------------------------------------------------------


def test_test_deployment_is_uncertain():
    order = one(order_request(mode="test"))
    assert 'the sender marked the document a test (deploymentMode="test")' in order.uncertain


def test_header_content_nobody_reads_is_reported_not_dropped():
    terms = ('<TermsOfDelivery><TermsOfDeliveryCode value="DeliveryCondition"/>'
             '<ShippingPaymentMethod value="Customer"/></TermsOfDelivery>')
    harmless = '<Payment><PCard number="4111" expiration="2027-01-31"/></Payment>'
    order = one(order_request(terms + harmless))
    assert order.uncertain == ["OrderRequestHeader: TermsOfDelivery not read"]


def test_line_schedule_and_header_ship_complete_are_uncertain():
    schedule = ('<ScheduleLine quantity="5" requestedDeliveryDate="2026-12-01">'
                "<UnitOfMeasure>EA</UnitOfMeasure></ScheduleLine>")
    order = one(order_request(items=item_out(extra=schedule), attrs='orderID="PO-1" shipComplete="yes"'))
    assert "ship complete requested: no partial deliveries" in order.uncertain
    assert "line 1: ItemOut: ScheduleLine not read" in order.uncertain


def test_supplier_part_auxiliary_id_is_uncertain():
    auxiliary = "<SupplierPartAuxiliaryID>red-XL</SupplierPartAuxiliaryID>"
    order = one(order_request(items=item_out(item_id_extra=auxiliary)))
    assert order.lines[0].sku.value == "SKU-1"
    assert "line 1: SupplierPartAuxiliaryID 'red-XL' was not matched" in order.uncertain


def test_line_shipping_elsewhere_is_uncertain():
    other = SHIP_TO.replace("Hafenstrasse 12", "Kai 4")
    order = one(order_request(SHIP_TO, item_out("1") + item_out("2", extra=other)))
    assert order.ship_to.street.value == "Hafenstrasse 12"
    assert order.uncertain == ["line 2: a delivery address of its own"]


def test_lines_that_all_ship_to_one_place_give_the_order_its_ship_to():
    order = one(order_request("", item_out("1", extra=SHIP_TO) + item_out("2", extra=SHIP_TO)))
    assert order.ship_to.postal_code.value == "20457"
    assert order.uncertain == []


def test_price_in_another_currency_is_uncertain():
    order = one(order_request('<Total><Money currency="USD">25.00</Money></Total>'))
    assert "amounts in several currencies: EUR, USD" in order.uncertain


def test_price_per_other_unit_is_uncertain():
    basis = ('<PriceBasisQuantity quantity="1" conversionFactor="12"><UnitOfMeasure>BX</UnitOfMeasure>'
             "</PriceBasisQuantity>")
    order = one(order_request(items=item_out(detail_extra=basis)))
    assert "line 1: price is per BX (conversion factor 12), quantity is in EA" in order.uncertain
    assert order.lines[0].unit_price.confidence < 0.9


def test_price_per_hundred_is_read_as_price_basis():
    basis = ('<PriceBasisQuantity quantity="100" conversionFactor="1"><UnitOfMeasure>EA</UnitOfMeasure>'
             "</PriceBasisQuantity>")
    order = one(order_request(items=item_out(detail_extra=basis)))
    assert order.lines[0].price_per.value == Decimal("100")
    assert order.uncertain == []


@pytest.mark.parametrize(("quantity", "doubt"), [
    ("1,5", "line 1: quantity: '1,5' is not a number"),
    ("0", "line 1: quantity 0 is not positive"),
    ("", "line 1: quantity missing"),
])
def test_unreadable_quantity_is_uncertain_not_guessed(quantity, doubt):
    order = one(order_request(items=item_out(quantity=quantity)))
    assert doubt in order.uncertain


def test_bad_order_date_and_missing_order_id_are_uncertain():
    order = one(order_request(attrs="").replace(b"2026-11-20T09:00:00+01:00", b"20.11.2026"))
    assert order.po_number is None and order.order_date is None
    assert "PO number missing" in order.uncertain
    assert "order date: '20.11.2026' is not a date" in order.uncertain


def test_order_without_lines_is_uncertain():
    assert "no order lines" in one(order_request(items="")).uncertain


def test_return_line_is_uncertain():
    order = one(order_request(items=item_out(attrs='isReturn="yes"')))
    assert "line 1: marked as a return" in order.uncertain


SEED = order_request(FULL_HEADER, TWO_LINES)
_spliced = st.tuples(st.integers(0, len(SEED)), st.integers(0, 40), st.binary(max_size=30)).map(
    lambda cut: SEED[: cut[0]] + cut[2] + SEED[cut[0] + cut[1]:])


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=500), _spliced))
def test_fuzzed_input_gives_a_result_or_parse_error(data):
    try:
        result = cxml.parse(data)
    except ParseError:
        return
    assert isinstance(result, ParseResult)


# --- detection and dispatch -------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "fmt"), [
    (order_request(), "cxml"),
    (order_request(doctype=""), "cxml"),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- from the hub -->\n<cXML payloadID="x"/>', "cxml"),
    (b'<!DOCTYPE cXML SYSTEM "cXML.dtd">\n<cXML/>', "cxml"),
    (b'<c:cXML xmlns:c="urn:x"/>', "cxml"),
    (b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><cXML/></Order>', "ubl"),
    (b"<cXMLish/>", "ubl"),
])
def test_cxml_is_told_from_its_root_or_doctype(data, fmt):
    assert detect_format(data) == fmt


def test_detection_does_not_backtrack_on_many_processing_instructions():
    assert detect_format(b"<?a?>" * 1600 + b"<Order/>") == "ubl"


def test_parse_document_dispatches_cxml():
    fmt, result = parse_document(order_request(FULL_HEADER, TWO_LINES), name="po.xml")
    assert fmt == "cxml"
    assert result.orders[0].po_number.value == "PO-4711"


# --- a real document ----------------------------------------------------------------------------------


def _plain(text: str | None) -> str:
    """The clerk's value without the annotation in brackets: "Zinc GmbH (BillTo)" -> "Zinc GmbH"."""
    return re.sub(r"\s*\(.*\)\s*$", "", text or "")


@pytest.mark.skipif(not REAL_ORDER.is_file(), reason=f"../shared/corpus not present: {REAL_ORDER}")
def test_real_order_request_reads_as_the_clerk_read_it():
    documents = json.loads((REALWORLD / "expected.json").read_text())["documents"]
    want = next(doc for doc in documents if doc["file"] == "docs/cxmlphp_OrderRequest.xml")
    order = one(REAL_ORDER.read_bytes())
    assert order.po_number.value == want["po_number"]
    assert order.order_date.value == date.fromisoformat(want["order_date"])
    assert order.requested_date.value == date.fromisoformat(want["requested_date"])
    assert order.currency.value == want["currency"]
    assert [str(total.value) for total in order.stated_totals] == [want["total"]]
    assert disagreement(order) is None
    assert order.customer_name.value == _plain(want["buyer"]["name"])
    assert _plain(want["buyer"]["network_id"]) in [b.value.rpartition(":")[2] for b in order.buyer_ids]
    ship_to = want["ship_to"]
    assert order.ship_to.name.value.startswith(ship_to["name"])
    assert order.ship_to.street.value in ship_to["lines"]
    assert any(order.ship_to.postal_code.value in line and order.ship_to.city.value in line
               for line in ship_to["lines"])
    assert [(value(line.line_number), value(line.sku), value(line.customer_part_number),
             str(value(line.quantity)), value(line.uom), str(value(line.unit_price)),
             value(line.description), str(value(line.requested_date))) for line in order.lines] == [
        (line["line"], line["seller_item"], line["buyer_item"], line["quantity"], line["unit"],
         line["unit_price"], line["description"], line["requested_date"]) for line in want["lines"]]
    # Sent in test mode, with a file attached to the comments: a person looks first.
    assert order.uncertain == ['the sender marked the document a test (deploymentMode="test")',
                               "attachment 'delivery-note.pdf' of the comments was not read"]
    assert [note.value for note in order.notes] == ["line 2: Test comment"]
    assert "coyote" not in repr(order)  # the Sender's shared secret
