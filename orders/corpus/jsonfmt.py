"""Order JSON (CONTRACT §3), as an integration or a portal posts it."""

from __future__ import annotations

import json
from random import Random

from orders.corpus.model import LineSpec, OrderSpec
from orders.corpus.textfmt import plain_number


def render_json(spec: OrderSpec, rng: Random) -> tuple[bytes, list[str]]:
    """(bytes, units as written): our unit codes, as the contract's example."""
    document: dict[str, object] = {"sender": spec.sender.email}
    if spec.customer_number:
        document["customer_number"] = spec.customer_number
    document |= {
        "po_number": spec.po_number,
        "order_date": spec.order_date.isoformat(),
        "requested_date": spec.requested_date.isoformat(),
        "currency": spec.currency,
    }
    if spec.change:
        document["kind"] = "change"
    document |= _ship(spec, rng)
    numbers = rng.random() < 0.3  # some integrations send numbers, not strings
    document["lines"] = [_line(line, numbers, rng) for line in spec.lines]
    if spec.notes:
        document["notes"] = " ".join(spec.notes)
    text = json.dumps(document, ensure_ascii=False, indent=2 if rng.random() < 0.7 else None)
    return (text + "\n").encode("utf-8"), [line.unit for line in spec.lines]


def _ship(spec: OrderSpec, rng: Random) -> dict[str, object]:
    """Our ship-to code (integrations know it) or the address; nothing means the default."""
    if spec.ship_to is None:
        return {"shipto_code": spec.shipto_code} if spec.shipto_code and rng.random() < 0.2 else {}
    if spec.shipto_code and rng.random() < 0.4:
        return {"shipto_code": spec.shipto_code}
    address = spec.ship_to
    return {
        "ship_to": {
            "name": address.name,
            "street": address.street,
            "city": address.city,
            "postal_code": address.postal_code,
            "country": address.country,
        }
    }


def _line(line: LineSpec, numbers: bool, rng: Random) -> dict[str, object]:
    entry: dict[str, object] = {}
    if line.part_number:
        entry["customer_part_number"] = line.part_number
    if not line.part_number or rng.random() < 0.5:
        entry["sku"] = line.sku
    entry["description"] = line.description
    entry["quantity"] = line.quantity if numbers else str(line.quantity)
    entry["uom"] = line.unit
    if line.unit_price is not None:
        entry["unit_price"] = float(line.unit_price) if numbers else plain_number(line.unit_price)
    return entry
