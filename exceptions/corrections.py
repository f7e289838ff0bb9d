"""A correction given as order JSON (CONTRACT §3 and §6): only the fields to
set. Validated here, before anything is locked, so a bad field refuses the
whole correction with one line naming it and nothing is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from orders.errors import CaseActionError

HEADER_TEXT = ("po_number", "customer_number", "shipto_code", "currency")
HEADER_DATES = ("order_date", "requested_date")
ADDRESS = ("name", "street", "city", "postal_code", "country")
LINE_TEXT = ("sku", "customer_part_number", "description", "uom")
#: §3 fields a correction cannot set, and what to do instead.
NOT_CORRECTED = {
    "sender": "who sent an order is not corrected: add the sender as a contact (a master-data fix)",
    "notes": "the notes are what the customer wrote: name the sentences that are not "
             "instructions in not_instructions",
}


@dataclass
class Correction:
    """What a person sets on a case's order."""

    header: dict = field(default_factory=dict)
    #: Every line, replacing the order's, or None to keep them.
    lines: list[dict] | None = None
    not_instructions: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.header and self.lines is None and not self.not_instructions


def correction_from_json(data: object) -> Correction:
    """The correction an order JSON object asks for; CaseActionError on the first bad field."""
    if not isinstance(data, dict):
        raise CaseActionError("the correction must be a JSON object (an order JSON, CONTRACT §3)")
    known = {*HEADER_TEXT, *HEADER_DATES, "ship_to", "lines", "not_instructions"}
    for name in data:
        if name in NOT_CORRECTED:
            raise CaseActionError(f"{name}: {NOT_CORRECTED[name]}")
        if name not in known:
            raise CaseActionError(f"{name}: not a field of the order JSON that can be corrected")
    correction = Correction()
    for name in HEADER_TEXT:
        if name in data:
            correction.header[name] = _text(data[name], name)
    for name in HEADER_DATES:
        if name in data:
            correction.header[name] = _date(data[name], name)
    if "ship_to" in data:
        correction.header["ship_to"] = _address(data["ship_to"])
    if "lines" in data:
        correction.lines = _lines(data["lines"])
    if "not_instructions" in data:
        correction.not_instructions = _sentences(data["not_instructions"])
    if correction.is_empty():
        raise CaseActionError("the correction sets no field")
    return correction


def _text(value: object, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise CaseActionError(f"{name}: expected text, got {value!r}")
    return str(value).strip()


def _date(value: object, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CaseActionError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _decimal(value: object, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise CaseActionError(f"{name}: {value!r} is not a number") from None
    if not number.is_finite() or number < 0:
        raise CaseActionError(f"{name}: {value!r} is not a number of zero or more")
    return number


def _address(value: object) -> dict:
    if not isinstance(value, dict):
        raise CaseActionError("ship_to: expected an object with name, street, city, "
                              "postal_code, country")
    unknown = sorted(set(value) - set(ADDRESS))
    if unknown:
        raise CaseActionError(f"ship_to.{unknown[0]}: not a field of an address")
    return {name: _text(value[name], f"ship_to.{name}") for name in ADDRESS if name in value}


def _lines(value: object) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise CaseActionError("lines: expected a list of at least one line")
    return [_line(line, number) for number, line in enumerate(value, 1)]


def _line(value: object, number: int) -> dict:
    where = f"lines[{number}]"
    if not isinstance(value, dict):
        raise CaseActionError(f"{where}: expected an object")
    unknown = sorted(set(value) - {*LINE_TEXT, "quantity", "unit_price"})
    if unknown:
        raise CaseActionError(f"{where}.{unknown[0]}: not a field of a line")
    line = {name: _text(value[name], f"{where}.{name}") for name in LINE_TEXT if name in value}
    if not (line.get("sku") or line.get("customer_part_number")):
        raise CaseActionError(f"{where}: name the product (sku or customer_part_number)")
    line["quantity"] = _decimal(value.get("quantity"), f"{where}.quantity")
    if not line["quantity"]:
        raise CaseActionError(f"{where}.quantity: must be above zero")
    line["unit_price"] = _decimal(value.get("unit_price"), f"{where}.unit_price")
    return line


def _sentences(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise CaseActionError("not_instructions: expected a list of sentences")
    return [sentence.strip() for sentence in value]
