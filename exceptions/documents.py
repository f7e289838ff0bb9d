"""The original document beside the extracted order: every field the parser
read with its confidence and evidence, the text with the evidence lines
marked, and PDF pages drawn as images with the evidence regions highlighted.

Documents are untrusted input: PDF pages are drawn in the intake sandbox
(a forked child with time and memory limits), never in the web process.
"""

from __future__ import annotations

import email
import email.policy
import io
import json
import re
from dataclasses import dataclass, field

from integrations.parsers import sandbox
from integrations.parsers.draft import CONFIDENT, ParseError
from integrations.parsers.email import html_to_text
from orders.models import Order

RENDER_TIMEOUT_S = 20
RENDER_MEMORY_MB = 1024
#: Dots per inch of a drawn page: sharp enough to read 8-point text beside the order.
RENDER_DPI = 110
MAX_TEXT_LINES = 2000

HEADER_FIELDS = {
    "po_number": "PO number", "order_date": "Order date", "requested_date": "Requested date",
    "currency": "Currency", "customer_number": "Customer number", "customer_name": "Customer",
    "sender_email": "Buyer e-mail", "shipto_code": "Ship-to code", "references_po": "Refers to PO",
}
ADDRESS_FIELDS = {"name": "Ship-to name", "street": "Ship-to street", "city": "Ship-to city",
                  "postal_code": "Ship-to postal code", "country": "Ship-to country"}
LINE_FIELDS = {"sku": "SKU", "customer_part_number": "Customer part", "gtin": "GTIN",
               "description": "Description", "quantity": "Quantity", "uom": "Unit",
               "unit_price": "Unit price", "requested_date": "Date"}


@dataclass(frozen=True)
class FieldRead:
    """One value the parser read, where, and how sure it was."""

    key: str  # stable id for the page ("po_number", "line2-quantity")
    label: str
    value: str
    confidence: float
    text: str = ""  # the evidence text
    page: int | None = None
    line: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


@dataclass
class ReadOrder:
    header: list[FieldRead] = field(default_factory=list)
    #: Per line of the document (1-based position): its fields by LINE_FIELDS key.
    lines: dict[int, dict[str, FieldRead]] = field(default_factory=dict)
    uncertain: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)

    def all(self) -> list[FieldRead]:
        return self.header + [read for line in self.lines.values() for read in line.values()]


def read_order(draft: dict) -> ReadOrder:
    """The fields of a stored draft (orders.Order.draft), in display order."""
    result = ReadOrder(uncertain=list(draft.get("uncertain") or []),
                       unexplained=[e.get("text", "") for e in draft.get("unexplained") or []])
    for key, label in HEADER_FIELDS.items():
        _add(result.header, key, label, draft.get(key))
    for key, label in ADDRESS_FIELDS.items():
        _add(result.header, f"ship_to-{key}", label, (draft.get("ship_to") or {}).get(key))
    for number, line in enumerate(draft.get("lines") or [], start=1):
        fields: list[FieldRead] = []
        for key, label in LINE_FIELDS.items():
            _add(fields, f"line{number}-{key}", f"Line {number} {label.lower()}", line.get(key))
        result.lines[number] = {read.key.partition("-")[2]: read for read in fields}
    return result


def _add(target: list[FieldRead], key: str, label: str, read: dict | None) -> None:
    if not isinstance(read, dict) or read.get("value") in (None, ""):
        return
    evidence = read.get("evidence") or {}
    bbox = evidence.get("bbox")
    target.append(FieldRead(key=key, label=label, value=str(read["value"]),
                            confidence=float(read.get("confidence", 1.0)),
                            text=evidence.get("text", ""), page=evidence.get("page"),
                            line=evidence.get("line"), bbox=tuple(bbox) if bbox else None))


# --- The source ---------------------------------------------------------------------------


@dataclass
class SourceLine:
    number: int
    text: str
    fields: list[str] = field(default_factory=list)  # FieldRead keys read from this line


@dataclass
class Source:
    """What the case page shows on the left."""

    kind: str  # "pdf" or "text"
    name: str
    pages: list[int] = field(default_factory=list)  # PDF page numbers with evidence first
    lines: list[SourceLine] = field(default_factory=list)
    truncated: bool = False
    error: str = ""


def order_source(order: Order, reads: ReadOrder) -> Source:
    """The document (or its attachment) the order was read from."""
    name, data, text = _document_part(order)
    if data is not None and data.startswith(b"%PDF"):
        pages = sorted({read.page for read in reads.all() if read.page})
        try:
            count = pdf_page_count(data)
        except ParseError as exc:
            return Source(kind="pdf", name=name, error=str(exc))
        return Source(kind="pdf", name=name,
                      pages=pages + [n for n in range(1, count + 1) if n not in pages])
    if text is None:
        text = _readable(_decode(data or b""), order.format)
    return _text_source(name, text, reads)


def _document_part(order: Order) -> tuple[str, bytes | None, str | None]:
    """(name, bytes, text): the attachment the order came from, the body of
    an e-mail, or the document itself."""
    document = order.document
    raw = bytes(document.raw)
    attachment = (order.draft or {}).get("attachment") or ""
    if not _is_mail(raw):
        return document.filename or document.source, raw, None
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if attachment:
        for part in message.walk():
            if part.get_filename() == attachment:
                return attachment, part.get_payload(decode=True) or b"", None
    return f"E-mail: {_header(message, 'Subject')}", None, _mail_text(message, raw)


def _is_mail(raw: bytes) -> bool:
    head = raw[:2000].lower()
    return b"\nsubject:" in head or head.startswith((b"from:", b"received:", b"return-path:",
                                                     b"message-id:", b"mime-version:"))


def _mail_text(message, raw: bytes) -> str:
    """The headers a person recognises, then the body as the parser read it.
    A hostile message (an encoded line break in From, a broken charset) shows
    as much as can be read, never an error page."""
    head = "\n".join(f"{name}: {value}" for name in ("From", "To", "Date", "Subject")
                     if (value := _header(message, name)))
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        if body is None:
            return head
        content = body.get_content()
        if body.get_content_type() == "text/html":
            content = html_to_text(content)
    except Exception:  # noqa: BLE001 - the stdlib fails in many ways on hostile mail
        content = _decode(raw.partition(b"\n\n")[2] or raw)
    return f"{head}\n\n{content}"


#: Controls that would break a header line or make text display otherwise than it is stored.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _header(message, name: str) -> str:
    try:
        value = str(message[name] or "")
    except Exception:  # noqa: BLE001 - a header the registry cannot parse: its raw text
        value = next((str(v) for key, v in message.raw_items() if key.lower() == name.lower()), "")
    return " ".join(_CONTROL.sub(" ", value).split())


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _readable(text: str, fmt: str) -> str:
    """JSON on one line is laid out, one field per line, so evidence marks a line."""
    if fmt == "json":
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError:
            return text
    return text


def _text_source(name: str, text: str, reads: ReadOrder) -> Source:
    lines = [SourceLine(number, line) for number, line in enumerate(text.splitlines(), start=1)]
    truncated = len(lines) > MAX_TEXT_LINES
    lines = lines[:MAX_TEXT_LINES]
    for read in reads.all():
        target = _evidence_line(lines, read)
        if target is not None:
            target.fields.append(read.key)
    return Source(kind="text", name=name, lines=lines, truncated=truncated)


def _evidence_line(lines: list[SourceLine], read: FieldRead) -> SourceLine | None:
    """The line the evidence text sits on: the parser's line number when its
    text is there (line numbers count from the body), else the first line
    holding the text."""
    needle = read.text.strip()
    if not needle:
        return None
    first = needle.splitlines()[0].strip()
    candidates = [line for line in lines if first and first in line.text]
    if read.line:
        near = [line for line in candidates if line.number >= read.line]
        if near:
            return near[0]
    return candidates[0] if candidates else None


# --- PDF pages ----------------------------------------------------------------------------


def pdf_page_count(data: bytes) -> int:
    return sandbox.run_limited(_count_pages, data, timeout_s=RENDER_TIMEOUT_S,
                               memory_mb=RENDER_MEMORY_MB)


def pdf_page_png(data: bytes, page: int, boxes: list[tuple[float, float, float, float]]) -> bytes:
    """Page ``page`` (1-based) as a PNG with ``boxes`` (PDF points, top-left
    origin as pdfplumber gives them) highlighted."""
    return sandbox.run_limited(_draw_page, data, page, boxes, timeout_s=RENDER_TIMEOUT_S,
                               memory_mb=RENDER_MEMORY_MB)


def order_pdf(order: Order) -> bytes | None:
    _name, data, _text = _document_part(order)
    return data if data is not None and data.startswith(b"%PDF") else None


def _count_pages(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _draw_page(data: bytes, page: int, boxes: list) -> bytes:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if not 1 <= page <= len(pdf.pages):
            raise ParseError(f"the document has no page {page}")
        image = pdf.pages[page - 1].to_image(resolution=RENDER_DPI)
        if boxes:
            image.draw_rects([tuple(box) for box in boxes], fill=(255, 196, 0, 70),
                             stroke=(230, 120, 0, 230), stroke_width=2)
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
