"""The order JSON parser (CONTRACT §3): the example, every validation error, fuzz."""

import copy
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.parsers import order_json
from integrations.parsers.draft import DocumentKind, OrderDraft, ParseError, ParseResult

# The example of CONTRACT §3, verbatim.
EXAMPLE = {
    "sender": "buyer@acme.example", "customer_number": "C1001", "po_number": "4711",
    "order_date": "2026-11-20", "requested_date": "2026-12-01", "currency": "EUR",
    "shipto_code": "S1",
    "ship_to": {"name": "", "street": "", "city": "", "postal_code": "", "country": ""},
    "lines": [{"sku": "SKU-1", "customer_part_number": "", "description": "",
               "quantity": "10", "uom": "CS", "unit_price": "12.50"}],
    "notes": "",
}


def parse_obj(document: object) -> ParseResult:
    return order_json.parse(json.dumps(document).encode())


def one(document: object) -> OrderDraft:
    result = parse_obj(document)
    assert len(result.orders) == 1
    return result.orders[0]


def example(**changes: object) -> dict:
    document = copy.deepcopy(EXAMPLE)
    document.update(changes)
    return document


def example_line(**changes: object) -> dict:
    return example(lines=[{**EXAMPLE["lines"][0], **changes}])


def test_contract_example_round_trips_into_the_draft():
    order = one(EXAMPLE)
    assert order.format == "json" and order.kind is DocumentKind.ORDER
    assert order.po_number.value == "4711"
    assert order.sender_email.value == "buyer@acme.example"
    assert order.customer_number.value == "C1001"
    assert order.order_date.value == date(2026, 11, 20)
    assert order.requested_date.value == date(2026, 12, 1)
    assert order.currency.value == "EUR"
    assert order.shipto_code.value == "S1"
    assert order.ship_to.is_empty()
    assert order.notes == [] and order.uncertain == []
    assert len(order.lines) == 1
    line = order.lines[0]
    assert (line.sku.value, line.quantity.value, line.uom.value, line.unit_price.value) == (
        "SKU-1", Decimal("10"), "CS", Decimal("12.50"))
    assert line.customer_part_number is None and line.description is None
    assert line.quantity.evidence.text == 'lines[0].quantity = "10"'
    assert line.quantity.confidence == 1.0


def test_full_address_notes_and_lower_case_currency():
    ship_to = {"name": "Acme Dock 2", "street": "Hafenstr. 1", "city": "Hamburg", "postal_code": "20457",
               "country": "DE"}
    order = one(example(ship_to=ship_to, notes="Please call before delivery", currency="eur"))
    assert order.currency.value == "EUR"
    assert order.ship_to.street.value == "Hafenstr. 1"
    assert order.ship_to.country.value == "DE"
    assert [note.value for note in order.notes] == ["Please call before delivery"]


def test_json_numbers_are_read_without_float_artefacts():
    order = one(example_line(quantity=0.1, unit_price=12.5))
    assert order.lines[0].quantity.value == Decimal("0.1")
    assert order.lines[0].unit_price.value == Decimal("12.5")
    assert order.lines[0].quantity.evidence.text == "lines[0].quantity = 0.1"


def test_numeric_identifiers_are_accepted_as_text():
    order = one(example(po_number=4711, lines=[{"sku": 12345, "quantity": 3}]))
    assert order.po_number.value == "4711"
    assert order.lines[0].sku.value == "12345"


def test_gtin_alone_identifies_a_line():
    order = one(example(lines=[{"gtin": "05704066204093", "quantity": "2"}]))
    assert order.lines[0].gtin.value == "05704066204093"


def test_description_alone_identifies_a_line():
    order = one(example(lines=[{"description": "blue widget", "quantity": "2"}]))
    assert order.lines[0].description.value == "blue widget"


def test_a_list_holds_several_orders():
    result = parse_obj([example(po_number="A-1"), example(po_number="A-2")])
    assert [order.po_number.value for order in result.orders] == ["A-1", "A-2"]
    assert [order.locator for order in result.orders] == ["order 1", "order 2"]
    assert result.orders[1].po_number.evidence.text == '[1].po_number = "A-2"'


def test_change_and_cancel_kinds():
    change = one(example(kind="change", references_po="4700"))
    assert change.kind is DocumentKind.CHANGE and change.references_po.value == "4700"
    cancel = one({"po_number": "4711", "kind": "cancel"})
    assert cancel.kind is DocumentKind.CANCEL and cancel.lines == []
    assert cancel.references_po.value == "4711"


def test_unknown_keys_are_ignored():
    order = one(example(priority="high", lines=[{"sku": "A", "quantity": "1", "colour": "red"}]))
    assert order.lines[0].sku.value == "A"


@pytest.mark.parametrize(("data", "message"), [
    (b"{not json", "invalid JSON"),
    (b"\xff\xfe\xfa", "not JSON"),
    (b"", "invalid JSON"),
    (b'"an order"', "not a string"),
    (b"42", "not a number"),
    (b"[]", "holds no orders"),
    (b'{"po_number": "1", "po_number": "2", "lines": []}', "duplicate key 'po_number'"),
    (b'{"po_number": "1", "lines": [{"sku": "A", "quantity": NaN}]}', "NaN"),
    (b"[" * 100000, "invalid JSON"),
])
def test_unreadable_documents(data, message):
    with pytest.raises(ParseError, match=message):
        order_json.parse(data)


@pytest.mark.parametrize(("document", "message"), [
    ([example(), 3], "[1]: expected an object, got a number"),
    (example(po_number=None), "po_number: missing"),
    (example(po_number="  "), "po_number: missing"),
    (example(po_number=True), "po_number: expected a string, got true/false"),
    (example(lines=None), "lines: missing"),
    (example(lines=[]), "lines: empty"),
    (example(lines="SKU-1 x 10"), "lines: expected an array, got a string"),
    (example(lines=[EXAMPLE["lines"][0], "x"]), "lines[1]: expected an object, got a string"),
    (example_line(quantity=None), "lines[0].quantity: missing"),
    (example_line(quantity="ten"), "lines[0].quantity: 'ten' is not a number"),
    (example_line(quantity="1,5"), "lines[0].quantity: '1,5' is not a number"),
    (example_line(quantity="1_000"), "lines[0].quantity: '1_000' is not a number"),
    (example_line(quantity=True), "lines[0].quantity: true is not a number"),
    (example_line(quantity="1e99"), "lines[0].quantity: '1e99' is out of range"),
    (example_line(quantity="0"), "lines[0].quantity: '0' must be greater than zero"),
    (example_line(quantity=-2), "lines[0].quantity: -2 must be greater than zero"),
    (example_line(unit_price="12,50"), "lines[0].unit_price: '12,50' is not a number"),
    (example_line(unit_price="-1"), "lines[0].unit_price: '-1' must be zero or more"),
    (example_line(sku="", customer_part_number="", description=""), "lines[0]: no product identifier"),
    (example_line(sku=["A"]), "lines[0].sku: expected a string, got an array"),
    (example_line(requested_date="01.12.2026"), "lines[0].requested_date: '01.12.2026' is not a date"),
    (example(order_date="2026-02-30"), "order_date: '2026-02-30' is not a date"),
    (example(requested_date="20261201"), "requested_date: '20261201' is not a date"),
    (example(requested_date=20261201), "requested_date: 20261201 is not a date"),
    (example(ship_to="Hafenstr. 1"), "ship_to: expected an object, got a string"),
    (example(sender=7), "sender: expected a string, got a number"),
    (example(notes={"text": "x"}), "notes: expected a string, got an object"),
    (example(notes=["ok", 1]), "notes: expected a string or a list of strings"),
    (example(kind="quote"), "kind: 'quote' is not one of order, change, cancel"),
    (example(references_po="4700"), "references_po: only allowed with kind change or cancel"),
    ([example(), example_line(quantity="x")], "[1].lines[0].quantity: 'x' is not a number"),
])
def test_invalid_fields_name_their_path(document, message):
    with pytest.raises(ParseError) as raised:
        parse_obj(document)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_zero_quantity_is_allowed_in_a_change():
    order = one(example_line(quantity="0") | {"kind": "change"})
    assert order.lines[0].quantity.value == Decimal("0")


# --- fuzz -----------------------------------------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=20,
)
_fields = st.sampled_from(["po_number", "order_date", "requested_date", "currency", "sender",
                           "customer_number", "shipto_code", "ship_to", "lines", "notes", "kind",
                           "references_po"])
_line_fields = st.sampled_from(["sku", "customer_part_number", "gtin", "description", "quantity", "uom",
                                "unit_price", "price_per", "requested_date", "line_number"])


def _mutate_header(change: tuple[str, object]) -> bytes:
    return json.dumps(example(**{change[0]: change[1]})).encode()


def _mutate_line(change: tuple[str, object]) -> bytes:
    return json.dumps(example_line(**{change[0]: change[1]})).encode()


@settings(max_examples=200, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    _json_values.map(lambda value: json.dumps(value).encode()),
    st.tuples(_fields, _json_values).map(_mutate_header),
    st.tuples(_line_fields, _json_values).map(_mutate_line),
))
def test_fuzzed_input_gives_a_result_or_parse_error(data):
    try:
        result = order_json.parse(data)
    except ParseError:
        return
    assert isinstance(result, ParseResult)
    assert all(order.po_number is not None and (order.lines or order.kind is DocumentKind.CANCEL)
               for order in result.orders)
