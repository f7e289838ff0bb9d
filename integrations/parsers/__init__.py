"""Format detection and dispatch: bytes in, a ParseResult out.

The format is told from the content, never from the file name alone (a file
whose extension lies is read by what it holds); the name only breaks ties
between text formats.

``read_document`` is how the intake reads: the whole ``parse_document`` in one
limited child (``sandbox``), so every format and every attachment is under the
document's memory, CPU and time limits (``limits.Budget``), and a reader that
runs away costs the worker nothing but the wait.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass, replace

from integrations.parsers import limits, sandbox
from integrations.parsers.draft import ParseError, ParseResult

#: Documents above this size are refused before any parser sees them. The one
#: accepted size is settings.ORDERDESK_MAX_DOCUMENT_BYTES (intake refuses larger
#: input unread); the readers stay Django-free, so they read the same variable.
MAX_DOCUMENT_BYTES = int(os.environ.get("ORDERDESK_MAX_DOCUMENT_BYTES") or 25 * 1024 * 1024)

#: format -> module under integrations.parsers with a `parse(data, *, name)`.
PARSER_MODULES = {
    "x12": "x12",
    "edifact": "edifact",
    "ubl": "ubl",
    "cxml": "cxml",
    "cii": "cii",
    "json": "order_json",
    "csv": "sheet",
    "xlsx": "sheet",
    "pdf": "pdf",
    "email": "email",
    "text": "email",
}

#: How a limit message names the reader ("XLSX reading exceeded 60 s").
READER_LABELS = {"x12": "X12", "edifact": "EDIFACT", "ubl": "XML", "cxml": "cXML", "cii": "Order-X",
                 "json": "JSON", "csv": "CSV", "xlsx": "XLSX", "pdf": "PDF", "email": "e-mail",
                 "text": "text"}

_EMAIL_HEADER = re.compile(
    rb"^(from|to|subject|date|message-id|mime-version|received|return-path|delivered-to|"
    rb"reply-to|cc|content-type|dkim-signature|arc-[\w-]+|authentication-results|"
    rb"received-spf|thread-topic|thread-index|x-[\w-]+):",
    re.IGNORECASE,
)
#: What may precede an XML document's DOCTYPE and root: the declaration, processing
#: instructions, comments. Each alternative can match a text one way only, so hostile
#: input cannot make the match backtrack without end.
_XML_MISC = rb"(?:<\?(?:[^?]|\?(?!>))*\?>|<!--(?:[^-]|-(?!->))*-->|\s)*"
#: cXML names itself in its DOCTYPE or in its root element.
_CXML_HEAD = re.compile(_XML_MISC + rb"(?:<!DOCTYPE\s+cXML\b|(?:<!DOCTYPE[^\[>]*(?:\[[^\]]*\])?\s*>"
                        + _XML_MISC + rb")?<(?:[\w.-]+:)?cXML[\s/>])")


#: UN/CEFACT Cross Industry documents (Order-X, Factur-X) declare this namespace on their root.
_CII_NAMESPACE = b"urn:un:unece:uncefact:data:standard:"


def detect_format(data: bytes, name: str = "") -> str:
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"ISA") or _is_ebcdic_x12(head):
        return "x12"
    if head.startswith((b"UNA", b"UNB", b"UNH")):
        return "edifact"
    if head.startswith(b"<"):
        if _CXML_HEAD.match(head):
            return "cxml"
        return "cii" if _CII_NAMESPACE in head[:4096] else "ubl"
    if head.startswith((b"{", b"[")):
        return "json"
    if _looks_like_email(head):
        return "email"
    if name.lower().endswith((".csv", ".tsv")) or _looks_delimited(head):
        return "csv"
    return "text"


def _is_ebcdic_x12(head: bytes) -> bool:
    try:
        return head[:3].decode("cp500") == "ISA"
    except UnicodeDecodeError:
        return False


def _looks_like_email(head: bytes) -> bool:
    lines = head.splitlines()[:20]
    headers = sum(1 for line in lines if _EMAIL_HEADER.match(line))
    return headers >= 2 and bool(lines) and bool(_EMAIL_HEADER.match(lines[0]))


def _looks_delimited(head: bytes) -> bool:
    lines = [line for line in head.decode("utf-8", "replace").splitlines()[:10] if line.strip()]
    if len(lines) < 2:
        return False
    for delimiter in (";", ",", "\t", "|"):
        counts = {line.count(delimiter) for line in lines}
        if len(counts) == 1 and counts.pop() >= 1:
            return True
    return False


def parse_document(data: bytes, *, name: str = "") -> tuple[str, ParseResult]:
    """Read any supported document; ParseError when it cannot be read at all."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(f"document of {len(data)} bytes exceeds the {MAX_DOCUMENT_BYTES} byte limit")
    if not data.strip():
        raise ParseError("the document is empty")
    fmt = detect_format(data, name)
    try:
        module = importlib.import_module(f"integrations.parsers.{PARSER_MODULES[fmt]}")
    except ModuleNotFoundError:
        raise ParseError(f"no reader for {fmt} documents is installed") from None
    return fmt, module.parse(data, name=name)


@dataclass
class DocumentRead:
    fmt: str
    result: ParseResult
    #: Orders the document holds: more than ``result.orders`` when the budget cut them off.
    orders_found: int


def read_document(data: bytes, *, name: str = "", budget: limits.Budget = limits.DEFAULT) -> DocumentRead:
    """Read a document under ``budget`` in a limited child (module doc); ParseError naming
    the limit when it cannot be read within it."""
    if len(data) > MAX_DOCUMENT_BYTES:  # refused before it is copied to the child
        raise ParseError(f"document of {len(data)} bytes exceeds the {MAX_DOCUMENT_BYTES} byte limit")
    fmt = detect_format(data, name)
    if fmt != "email":
        # One reader, no attachments: the time of one (the PDF reader's 30 s by default).
        budget = replace(budget, seconds=min(budget.seconds, budget.part_seconds))
    return sandbox.run_limited(_read_within, data, name, budget, timeout_s=budget.seconds,
                               memory_mb=budget.memory_mb, warm=True,
                               label=READER_LABELS.get(fmt, "document"))


def _read_within(data: bytes, name: str, budget: limits.Budget) -> DocumentRead:
    with limits.spending(budget):
        fmt, result = parse_document(data, name=name)
    found = len(result.orders)
    # Cut here, in the child: the orders after them never cross the pipe or reach the worker.
    result.orders = result.orders[:budget.orders]
    limits.check_orders(result.orders)
    return DocumentRead(fmt, result, found)
