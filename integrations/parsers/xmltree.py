"""Reading XML order documents (UBL, cXML, Cross Industry Order): safe parsing and
namespace-blind navigation, shared by their readers.

Elements are found by local name along "A/B/C" paths whatever the namespaces:
the same document arrives with default, prefixed or missing namespace
declarations. Parsing refuses entity declarations and external references
(defusedxml): an order document needs neither.
"""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from integrations.parsers.draft import Evidence, OrderDraft, ParseError, Read, read

#: xsd:decimal as written; Decimal() alone would also take "1_000", "NaN" or non-ASCII digits.
DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
EVIDENCE_MAX = 200


def load(data: bytes) -> Element:
    try:
        return SafeET.fromstring(data.lstrip(b" \t\r\n"))
    except DefusedXmlException as exc:
        raise ParseError(f"XML refused: {type(exc).__name__} (entity declarations or external "
                         "references are not accepted)") from exc
    except (XMLParseError, ValueError, LookupError) as exc:
        raise ParseError(f"not well-formed XML: {exc}") from exc


def local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def namespace(tag: object) -> str:
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def kids(parent: Element | None, name: str) -> list[Element]:
    return [] if parent is None else [kid for kid in parent if local(kid.tag) == name]


def all_of(parent: Element | None, path: str) -> list[Element]:
    found = [] if parent is None else [parent]
    for step in path.split("/"):
        found = [kid for element in found for kid in kids(element, step)]
    return found


def first(parent: Element | None, *paths: str) -> Element | None:
    """The first element found along the paths, tried in order."""
    return next((found for path in paths for found in all_of(parent, path)), None)


def first_text(parent: Element | None, *paths: str) -> Element | None:
    """Like `first`, but skips elements that are present yet empty."""
    return next((found for path in paths for found in all_of(parent, path) if text(found)), None)


def text(element: Element | None) -> str:
    return "" if element is None else "".join(element.itertext()).strip()


def attr(element: Element | None, name: str) -> str:
    return "" if element is None else (element.get(name) or "").strip()


# --- typed reads ----------------------------------------------------------------


def evidence(element: Element, shown: str | None = None, name: str = "") -> Evidence:
    value = text(element) if shown is None else shown
    return Evidence(text=f"{name or local(element.tag)}: {value}"[:EVIDENCE_MAX])


def str_read(element: Element | None, confidence: float = 1.0) -> Read[str] | None:
    value = text(element)
    return read(value, evidence(element), confidence) if value else None


def decimal_read(draft: OrderDraft, element: Element | None, what: str) -> Read[Decimal] | None:
    value = text(element)
    if not value:
        return None
    if not DECIMAL.fullmatch(value):
        draft.uncertain.append(f"{what}: '{value}' is not a number")
        return None
    return read(Decimal(value), evidence(element))
