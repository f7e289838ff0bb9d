"""The order JSON of CONTRACT §3, which is also the body of the REST intake endpoint.

The format is ours, so it is validated strictly: anything that does not fit
raises ParseError naming the field path ("lines[2].quantity: 'ten' is not a
number"), so the sender can fix it, instead of being read half-way. Keys the
format does not know are ignored. Additions to the contract: a top-level list
of orders, `kind` ("order" | "change" | "cancel") with `references_po`, and per
line `gtin`, `line_number`, `price_per` and `requested_date`.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

from integrations.parsers.draft import (
    AddressDraft,
    DocumentKind,
    Evidence,
    LineDraft,
    OrderDraft,
    ParseError,
    ParseResult,
    Read,
    read,
)
from integrations.parsers.limits import MAX_ORDERS

FORMAT = "json"

_KINDS = {kind.value: kind for kind in DocumentKind}
# Identifiers are often numeric, so a JSON number is accepted for these; other
# text fields must be strings.
_ID_FIELDS = frozenset({
    "po_number", "customer_number", "shipto_code", "references_po", "postal_code",
    "sku", "customer_part_number", "gtin", "line_number",
})
_ADDRESS_FIELDS = ("name", "street", "city", "postal_code", "country")
# Decimal() alone would also take "1_000", "NaN" or non-ASCII digits.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Beyond 10**13 (or below 10**-13) a quantity or price is a typo, not an order.
_DECIMAL_MAX_DIGITS = 13
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHOWN_MAX = 60
_EVIDENCE_MAX = 200


def parse(data: bytes, *, name: str = "") -> ParseResult:
    """Read one order object or a list of them; raise ParseError on any invalid field."""
    document = _load(data)
    if isinstance(document, dict):
        return ParseResult(orders=[_order(document, "", "")])
    if not isinstance(document, list):
        raise ParseError(f"the JSON must be an order object or a list of orders, not {_type(document)}")
    if not document:
        raise ParseError("the JSON list holds no orders")
    if len(document) > MAX_ORDERS:  # before a draft is made of any
        raise ParseError(f"the JSON list holds {len(document):,} orders; at most {MAX_ORDERS:,} are read")
    orders = [_order(_object(item, f"[{index}]"), f"[{index}]", f"order {index + 1}")
              for index, item in enumerate(document)]
    return ParseResult(orders=orders)


# --- loading and plumbing ---------------------------------------------------------------


def _load(data: bytes) -> object:
    try:
        text = data.decode(json.detect_encoding(data))
    except (UnicodeDecodeError, LookupError) as exc:
        raise ParseError("not JSON: the bytes are not UTF-8 text") from exc
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
    except RecursionError as exc:
        raise ParseError("invalid JSON: nested too deeply") from exc
    except ValueError as exc:
        raise ParseError(f"invalid JSON: {exc}") from exc


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON value")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # json.loads silently keeps the last of two equal keys; which one the sender
    # meant is a guess, so refuse.
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    names = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number"}
    return names.get(type(value), "null")


def _show(value: object) -> str:
    shown = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= _SHOWN_MAX else shown[: _SHOWN_MAX - 3] + "..."


def _evidence(path: str, value: object) -> Evidence:
    return Evidence(text=f"{path} = {json.dumps(value, ensure_ascii=False)}"[:_EVIDENCE_MAX])


def _object(value: object, path: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ParseError(f"{path or 'document'}: expected an object, got {_type(value)}")
    return value


def _absent(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- typed fields -------------------------------------------------------------------------


def _text(obj: dict[str, object], prefix: str, key: str) -> Read[str] | None:
    path, value = _join(prefix, key), obj.get(key)
    if _absent(value):
        return None
    numeric_id = key in _ID_FIELDS and isinstance(value, int) and not isinstance(value, bool)
    if not isinstance(value, str) and not numeric_id:
        raise ParseError(f"{path}: expected a string, got {_type(value)}")
    return read(str(value).strip(), _evidence(path, value))


def _required_text(obj: dict[str, object], prefix: str, key: str) -> Read[str]:
    found = _text(obj, prefix, key)
    if found is None:
        raise ParseError(f"{_join(prefix, key)}: missing")
    return found


def _decimal(obj: dict[str, object], prefix: str, key: str) -> Read[Decimal] | None:
    path, value = _join(prefix, key), obj.get(key)
    if _absent(value):
        return None
    number = isinstance(value, int | float) and not isinstance(value, bool)
    # str() of a JSON number gives its shortest exact spelling, so 0.1 stays 0.1.
    text = str(value) if number else value.strip() if isinstance(value, str) else ""
    if not _DECIMAL.fullmatch(text):
        raise ParseError(f"{path}: {_show(value)} is not a number")
    parsed = Decimal(text)
    if parsed and not -_DECIMAL_MAX_DIGITS <= parsed.adjusted() < _DECIMAL_MAX_DIGITS:
        raise ParseError(f"{path}: {_show(value)} is out of range")
    return read(parsed, _evidence(path, value))


def _date(obj: dict[str, object], prefix: str, key: str) -> Read[date] | None:
    path, value = _join(prefix, key), obj.get(key)
    if _absent(value):
        return None
    text = value.strip() if isinstance(value, str) else ""
    try:
        if _DATE.fullmatch(text):
            return read(date.fromisoformat(text), _evidence(path, value))
    except ValueError:
        pass
    raise ParseError(f"{path}: {_show(value)} is not a date (YYYY-MM-DD)")


# --- the order ----------------------------------------------------------------------------------


def _order(obj: dict[str, object], prefix: str, locator: str) -> OrderDraft:
    draft = OrderDraft(format=FORMAT, kind=_kind(obj, prefix), locator=locator)
    draft.po_number = _required_text(obj, prefix, "po_number")
    draft.references_po = _references(obj, prefix, draft)
    draft.order_date = _date(obj, prefix, "order_date")
    draft.requested_date = _date(obj, prefix, "requested_date")
    draft.currency = _upper(_text(obj, prefix, "currency"))
    _read_parties(draft, obj, prefix)
    draft.notes = _notes(obj, prefix)
    draft.lines = _lines(obj, prefix, draft.kind)
    return draft


def _kind(obj: dict[str, object], prefix: str) -> DocumentKind:
    value = obj.get("kind")
    if value is None:
        return DocumentKind.ORDER
    if isinstance(value, str) and value.strip().lower() in _KINDS:
        return _KINDS[value.strip().lower()]
    raise ParseError(f"{_join(prefix, 'kind')}: {_show(value)} is not one of order, change, cancel")


def _references(obj: dict[str, object], prefix: str, draft: OrderDraft) -> Read[str] | None:
    reference = _text(obj, prefix, "references_po")
    if draft.kind is DocumentKind.ORDER:
        if reference is not None:
            raise ParseError(f"{_join(prefix, 'references_po')}: only allowed with kind change or cancel")
        return None
    # A change that names no other order changes the one its PO number names.
    return reference or draft.po_number


def _upper(found: Read[str] | None) -> Read[str] | None:
    return None if found is None else read(found.value.upper(), found.evidence, found.confidence)


def _read_parties(draft: OrderDraft, obj: dict[str, object], prefix: str) -> None:
    draft.sender_email = _text(obj, prefix, "sender")
    draft.customer_number = _text(obj, prefix, "customer_number")
    draft.shipto_code = _text(obj, prefix, "shipto_code")
    draft.ship_to = _address(obj, prefix)


def _address(obj: dict[str, object], prefix: str) -> AddressDraft:
    path, value = _join(prefix, "ship_to"), obj.get("ship_to")
    if value is None:
        return AddressDraft()
    ship_to = _object(value, path)
    return AddressDraft(**{key: _text(ship_to, path, key) for key in _ADDRESS_FIELDS})


def _notes(obj: dict[str, object], prefix: str) -> list[Read[str]]:
    path, value = _join(prefix, "notes"), obj.get("notes")
    if not isinstance(value, list):
        note = _text(obj, prefix, "notes")
        return [] if note is None else [note]
    if not all(isinstance(note, str) for note in value):
        raise ParseError(f"{path}: expected a string or a list of strings")
    return [read(note.strip(), _evidence(f"{path}[{index}]", note))
            for index, note in enumerate(value) if note.strip()]


# --- lines ----------------------------------------------------------------------------------------


def _lines(obj: dict[str, object], prefix: str, kind: DocumentKind) -> list[LineDraft]:
    path, value = _join(prefix, "lines"), obj.get("lines")
    if value is None or value == []:
        if kind is DocumentKind.CANCEL:
            return []
        problem = "missing" if value is None else "empty"
        raise ParseError(f"{path}: {problem}; an order needs at least one line")
    if not isinstance(value, list):
        raise ParseError(f"{path}: expected an array, got {_type(value)}")
    return [_line(_object(item, f"{path}[{index}]"), f"{path}[{index}]", kind)
            for index, item in enumerate(value)]


def _line(obj: dict[str, object], path: str, kind: DocumentKind) -> LineDraft:
    line = LineDraft(
        line_number=_text(obj, path, "line_number"),
        sku=_text(obj, path, "sku"),
        customer_part_number=_text(obj, path, "customer_part_number"),
        gtin=_text(obj, path, "gtin"),
        description=_text(obj, path, "description"),
        quantity=_quantity(obj, path, kind),
        uom=_text(obj, path, "uom"),
        unit_price=_amount(obj, path, "unit_price", allow_zero=True),
        price_per=_amount(obj, path, "price_per", allow_zero=False),
        requested_date=_date(obj, path, "requested_date"),
    )
    if not line.has_product_identifier():
        raise ParseError(f"{path}: no product identifier (sku, customer_part_number, gtin or description)")
    return line


def _quantity(obj: dict[str, object], path: str, kind: DocumentKind) -> Read[Decimal]:
    quantity = _decimal(obj, path, "quantity")
    if quantity is None:
        raise ParseError(f"{path}.quantity: missing")
    # Zero can only mean "drop this line", which only a change may say.
    if quantity.value < 0 or (quantity.value == 0 and kind is not DocumentKind.CHANGE):
        raise ParseError(f"{path}.quantity: {_show(obj['quantity'])} must be greater than zero")
    return quantity


def _amount(obj: dict[str, object], path: str, key: str, *, allow_zero: bool) -> Read[Decimal] | None:
    amount = _decimal(obj, path, key)
    if amount is not None and (amount.value < 0 or (amount.value == 0 and not allow_zero)):
        bound = "zero or more" if allow_zero else "greater than zero"
        raise ParseError(f"{path}.{key}: {_show(obj[key])} must be {bound}")
    return amount
