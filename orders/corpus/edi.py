"""EDI purchase orders: ANSI X12 850 (4010) and UN/EDIFACT ORDERS D96A."""

from __future__ import annotations

from collections.abc import Iterable
from random import Random

from orders.corpus.model import LineSpec, OrderSpec
from orders.corpus.textfmt import plain_number, unit_code

RECEIVER = "ORDERDESKDEMO"
_X12_FORBIDDEN = str.maketrans({"*": " ", "~": " ", ">": " ", "\n": " "})


# --- X12 850 ------------------------------------------------------------------------------------


def render_x12(spec: OrderSpec, rng: Random) -> tuple[bytes, list[str]]:
    """(bytes, units as written): one interchange, one group, one 850."""
    units = [unit_code(line.unit, "x12", rng) for line in spec.lines]
    control = rng.randint(1000, 999999999)
    body = x12_order(spec, units)
    sender = _x12_id(spec)
    stamp = spec.order_date.strftime("%Y%m%d"), f"{rng.randint(6, 18):02d}{rng.randint(0, 59):02d}"
    envelope = [
        _isa(sender, stamp, control),
        ["GS", "PO", sender.strip(), RECEIVER, stamp[0], stamp[1], str(control % 100000), "X", "004010"],
        *body,
        ["GE", "1", str(control % 100000)],
        ["IEA", "1", f"{control:09d}"],
    ]
    end = "~\n" if rng.random() < 0.7 else "~"
    return "".join("*".join(segment) + end for segment in envelope).encode("utf-8"), units


def _x12_id(spec: OrderSpec) -> str:
    ident = spec.customer_number or spec.domain.split(".")[0].upper()
    return f"{ident[:15]:<15}"


def _isa(sender: str, stamp: tuple[str, str], control: int) -> list[str]:
    return [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        sender,
        "ZZ",
        f"{RECEIVER:<15}",
        stamp[0][2:],
        stamp[1],
        "U",
        "00401",
        f"{control:09d}",
        "0",
        "P",
        ">",
    ]


def x12_order(spec: OrderSpec, units: list[str]) -> list[list[str]]:
    segments = [["ST", "850", "0001"], _beg(spec), ["CUR", "BY", spec.currency]]
    segments += [["PER", "BD", _x(spec.sender.name), "EM", spec.sender.email, "TE", spec.phone]]
    segments += [["DTM", "002", spec.requested_date.strftime("%Y%m%d")]]
    segments += [["NTE", "GEN", _x(note)] for note in spec.notes]
    segments += _x12_parties(spec)
    for index, (line, unit) in enumerate(zip(spec.lines, units, strict=True), start=1):
        segments += [_po1(index, line, unit), ["PID", "F", "", "", "", _x(line.description)]]
    segments += [["CTT", str(len(spec.lines))]]
    return [*segments, ["SE", str(len(segments) + 1), "0001"]]


def _beg(spec: OrderSpec) -> list[str]:
    purpose = "04" if spec.change else "00"  # 04: change
    return ["BEG", purpose, "SA", spec.po_number, "", spec.order_date.strftime("%Y%m%d")]


def _x12_parties(spec: OrderSpec) -> list[list[str]]:
    buyer = ["N1", "BY", _x(spec.buyer.name)] + (["91", spec.customer_number] if spec.customer_number else [])
    segments = [buyer]
    if spec.ship_to:
        address = spec.ship_to
        segments += [
            ["N1", "ST", _x(address.name)],
            ["N3", _x(address.street)],
            ["N4", _x(address.city), "", address.postal_code, address.country],
        ]
    return segments


def _po1(index: int, line: LineSpec, unit: str) -> list[str]:
    price = [plain_number(line.unit_price), "PE"] if line.unit_price is not None else ["", ""]
    ids = ["VP", line.sku] + (["BP", line.part_number] if line.part_number else [])
    return ["PO1", str(index), str(line.quantity), unit, *price, *ids]


def _x(text: str) -> str:
    return text.translate(_X12_FORBIDDEN).strip()


# --- EDIFACT ORDERS D96A ------------------------------------------------------------------------


def render_edifact(spec: OrderSpec, rng: Random) -> tuple[bytes, list[str]]:
    """(bytes, units as written): UNA, one interchange with one ORDERS message, ISO 8859-1 (UNOC)."""
    units = [unit_code(line.unit, "edifact", rng) for line in spec.lines]
    reference = str(rng.randint(10000, 99999999))
    message = edifact_order(spec, units, rng)
    stamp = f"{spec.order_date:%y%m%d}:{rng.randint(6, 18):02d}{rng.randint(0, 59):02d}"
    segments = [
        ["UNB", ["UNOC", "3"], [_edi_id(spec), "ZZ"], [RECEIVER, "ZZ"], stamp.split(":"), reference],
        *message,
        ["UNZ", "1", reference],
    ]
    end = "'\n" if rng.random() < 0.6 else "'"
    text = "UNA:+.? '" + ("\n" if end == "'\n" else "") + "".join(_segment(s) + end for s in segments)
    return text.encode("latin-1", "replace"), units


def _edi_id(spec: OrderSpec) -> str:
    return spec.customer_number or spec.domain.split(".")[0].upper()[:35]


def edifact_order(spec: OrderSpec, units: list[str], rng: Random) -> list[list]:
    function = "5" if spec.change else "9"  # 5: replace, 9: original
    head = [
        ["UNH", "1", ["ORDERS", "D", "96A", "UN"]],
        ["BGM", "220", spec.po_number, function],
        ["DTM", ["137", f"{spec.order_date:%Y%m%d}", "102"]],
        ["DTM", ["2", f"{spec.requested_date:%Y%m%d}", "102"]],
    ]
    head += [["FTX", "AAI", "", "", _chunks(note, 70)] for note in spec.notes]
    head += _edifact_parties(spec) + [["CUX", ["2", spec.currency, "9"]]]
    lines = [
        seg
        for i, (line, unit) in enumerate(zip(spec.lines, units, strict=True), start=1)
        for seg in _lin(i, line, unit, rng)
    ]
    tail = [["UNS", "S"], ["CNT", ["2", str(len(spec.lines))]]]
    return [*head, *lines, *tail, ["UNT", str(len(head) + len(lines) + len(tail) + 1), "1"]]


def _edifact_parties(spec: OrderSpec) -> list[list]:
    buyer = spec.buyer
    party = [spec.customer_number, "", "91"] if spec.customer_number else ""
    segments = [
        [
            "NAD",
            "BY",
            party,
            "",
            _chunks(buyer.name, 35),
            buyer.street,
            buyer.city,
            "",
            buyer.postal_code,
            buyer.country,
        ],
        ["CTA", "OC", ["", spec.sender.name]],
        ["COM", [spec.sender.email, "EM"]],
        ["COM", [spec.phone, "TE"]],
    ]
    if spec.ship_to:
        address = spec.ship_to
        segments.append(
            [
                "NAD",
                "DP",
                "",
                "",
                _chunks(address.name, 35),
                address.street,
                address.city,
                "",
                address.postal_code,
                address.country,
            ]
        )
    return segments


def _lin(index: int, line: LineSpec, unit: str, rng: Random) -> list[list]:
    if rng.random() < 0.7:
        segments = [["LIN", str(index), "", [line.sku, "SA"]]]
    else:
        segments = [["LIN", str(index)], ["PIA", "5", [line.sku, "SA"]]]
    if line.part_number:
        segments.append(["PIA", "1", [line.part_number, "IN"]])
    segments += [
        ["IMD", "F", "", ["", "", "", line.description[:35]]],
        ["QTY", ["21", str(line.quantity), unit]],
    ]
    if line.unit_price is not None:
        segments.append(["PRI", ["AAA", plain_number(line.unit_price)]])
    return segments


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)][:5] or [""]


def _segment(parts: list) -> str:
    """Tag and elements joined with + and :, escaping the service characters with ?."""
    elements = [_element(part) for part in parts]
    while elements and not elements[-1]:
        elements.pop()
    return "+".join(elements)


def _element(part: str | Iterable[str]) -> str:
    if isinstance(part, str):
        return _escape(part)
    components = [_escape(c) for c in part]
    while components and not components[-1]:
        components.pop()
    return ":".join(components)


def _escape(text: str) -> str:
    return "".join("?" + c if c in "?:+'" else c for c in text)
