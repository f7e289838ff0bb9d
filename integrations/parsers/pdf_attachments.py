"""XML files embedded in a PDF: the catalog's EmbeddedFiles name tree and its AF array.

PDF/A-3 lets an order carry its machine-readable form (Order-X ``order-x.xml``,
Factur-X ``factur-x.xml``, ZUGFeRD ``zugferd-invoice.xml``) inside the print.
pdfminer, which pdfplumber already uses, reads the catalog; the trees are walked
here with a bound on depth, on nodes and on each file's decoded size, because
the PDF is untrusted (a cyclic tree, a compressed bomb). Called from the PDF
reader's limited child (``pdf._parse_in_child``), so its time and memory limits
hold here too.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

#: Embedded files above this size are not read: no order XML comes near it.
MAX_FILE_BYTES = 10 * 1024 * 1024
#: File specifications looked at, and name-tree nodes visited, at most.
MAX_FILES = 20
_MAX_NODES = 200
_MAX_DEPTH = 10
#: Names the CII standards give their embedded XML: a PDF with one of them says that
#: the XML, not the print, is the document.
CII_NAMES = frozenset({"order-x.xml", "factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"})


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes = b""
    #: Why the file was not read (too large, undecodable); "" when ``data`` holds it.
    refused: str = ""


def xml_attachments(data: bytes) -> list[Attachment]:
    """The XML files the PDF embeds, in document order; [] when there are none or the
    catalog cannot be read (the text reading then reports what is wrong with the PDF)."""
    try:
        catalog = PDFDocument(PDFParser(io.BytesIO(data))).catalog
        specs = list(_file_specs(catalog))
    except MemoryError:
        raise
    except Exception:  # pdfminer raises many unrelated types on broken files
        return []
    found: list[Attachment] = []
    seen: set[int] = set()
    for spec in specs[:MAX_FILES]:
        attachment = _attachment(spec, seen)
        if attachment is not None:
            found.append(attachment)
    return found


def _file_specs(catalog: dict) -> Iterator[object]:
    names = resolve1(catalog.get("Names"))
    tree = resolve1(names.get("EmbeddedFiles")) if isinstance(names, dict) else None
    yield from _name_tree_values(tree)
    associated = resolve1(catalog.get("AF"))
    if isinstance(associated, list):
        yield from associated


def _name_tree_values(root: object) -> Iterator[object]:
    """The values of a name tree, leaves left to right; cycles and deep trees are cut."""
    stack: list[tuple[object, int]] = [(root, 0)]
    visited: set[int] = set()
    while stack and len(visited) < _MAX_NODES:
        node, depth = stack.pop()
        if isinstance(node, PDFObjRef):
            if node.objid in visited:
                continue
            visited.add(node.objid)
        node = resolve1(node)
        if not isinstance(node, dict) or depth > _MAX_DEPTH:
            continue
        pairs = resolve1(node.get("Names"))
        if isinstance(pairs, list):
            yield from pairs[1::2]
        kids = resolve1(node.get("Kids"))
        if isinstance(kids, list):
            stack += [(kid, depth + 1) for kid in reversed(kids)]


def _attachment(spec: object, seen: set[int]) -> Attachment | None:
    spec = resolve1(spec)
    if not isinstance(spec, dict):
        return None
    name = _file_name(spec)
    embedded = resolve1(spec.get("EF"))
    ref = embedded.get("UF") or embedded.get("F") if isinstance(embedded, dict) else None
    stream = resolve1(ref)
    if not isinstance(stream, PDFStream) or not _is_xml(name, stream):
        return None
    # The same file is usually listed twice: in the name tree and in AF.
    key = ref.objid if isinstance(ref, PDFObjRef) else id(stream)
    if key in seen:
        return None
    seen.add(key)
    try:
        return Attachment(name=name, data=_decoded(stream))
    except ValueError as exc:
        return Attachment(name=name, refused=str(exc))


def _file_name(spec: dict) -> str:
    for key in ("UF", "F"):
        value = resolve1(spec.get(key))
        if isinstance(value, bytes):
            return decode_text(value).strip()
    return ""


def _is_xml(name: str, stream: PDFStream) -> bool:
    subtype = stream.attrs.get("Subtype")
    mime = subtype.name if isinstance(subtype, PSLiteral) else ""
    return name.lower().endswith(".xml") or "xml" in str(mime).lower()


def _decoded(stream: PDFStream) -> bytes:
    """The file's bytes, decompressed no further than MAX_FILE_BYTES; ValueError beyond."""
    raw = stream.rawdata if stream.rawdata is not None else stream.data
    if raw is None or len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"the embedded file is above the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
    filters = stream.get_filters()
    if stream.rawdata is not None and stream.decipher is None and _plain_flate(filters):
        data = _inflate(raw) if filters else raw
    else:
        # Other filters (and encrypted files) go through pdfminer: none of them expands
        # its input the way deflate can, and the child's memory limit holds anyway.
        data = stream.get_data()
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"the embedded file is above the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
    return data


def _plain_flate(filters: list) -> bool:
    """No filter, or one FlateDecode without a predictor."""
    if not filters:
        return True
    (name, params), *rest = filters
    return not rest and name in LITERALS_FLATE_DECODE and not (params and "Predictor" in params)


def _inflate(raw: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw, MAX_FILE_BYTES + 1)
    except zlib.error as exc:
        raise ValueError(f"the embedded file cannot be decompressed: {exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"the embedded file is above the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
    return data
