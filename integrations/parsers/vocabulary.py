"""Words, numbers and dates as people write them in order documents.

The sheet (CSV/XLSX), PDF and e-mail-text parsers all read documents written by
people in the languages of ``LANGUAGES``. This module holds what they share: the
matching logic, as small pure functions over text, over word data that lives in
one file per language (``lexicon/<language>.json``, see ``lexicon/README.md``):

* ``HEADER_SYNONYMS`` and ``match_header`` — which item-table column is which;
* ``LABEL_SYNONYMS``, ``match_label`` and ``split_label`` — header fields found
  next to a label ("PO Number: 4711", "Liefertermin 01.12.2026"), also when the
  label names its role in two languages ("Bestell-Nr. / PO no.");
* ``parse_decimal`` / ``parse_decimal_ex`` / ``parse_quantity`` and
  ``guess_decimal_comma`` — numbers with either decimal mark;
* ``parse_date`` and ``guess_day_first`` — numeric and written-out dates; month and
  day names come from CLDR (babel), so every language has all their spellings;
* ``UNIT_WORDS`` and ``normalise_unit`` — unit words and UN/ECE unit codes;
* ``normalise_currency``, ``split_currency``, ``find_currency``, ``is_valid_gtin``;
* word lists for the e-mail parser and the order/non-order classifier.

Nothing here is fitted to a sample document. Matching is case-insensitive and
accent-insensitive ("Quantite" finds "quantité"), because people type headers
without accents; see ``fold``. Functions that can misread a value return an
``ambiguous`` flag instead of guessing silently, so callers can lower confidence.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import get_day_names, get_month_names
from babel.numbers import get_decimal_symbol

#: Languages with a lexicon file, in the order their words are merged.
LANGUAGES = ("en", "de", "fr", "da", "nl", "sv", "no", "it", "es", "pl", "pt", "fi", "cs")
LEXICON_DIR = Path(__file__).with_name("lexicon")
#: Codes written alike in every language (UN/ECE and X12 unit codes): merged before the languages.
INTERNATIONAL = "international"


def fold(text: str) -> str:
    """Casefold, drop accents and collapse whitespace: the form words are compared in."""
    text = str(text)
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())


def find_words(text: str, words: Iterable[str]) -> list[str]:
    """The entries of ``words`` that occur in ``text`` as whole words (folded)."""
    haystack = fold(text)
    return [word for word in words if _contains_word(haystack, fold(word))]


def _contains_word(haystack: str, needle: str) -> bool:
    if not needle or needle not in haystack:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


# --------------------------------------------------------------------------- lexicon

#: The roles a lexicon may name, per section. The line roles are the LineDraft fields
#: plus ``line_total``; ``po_number``, ``order_date``, ``customer_number`` and
#: ``currency`` are order-level columns of flat exports that repeat them on every line.
HEADER_ROLES = (
    "sku", "customer_part_number", "gtin", "description", "quantity", "uom", "unit_price", "price_per",
    "line_total", "line_number", "requested_date", "po_number", "order_date", "customer_number", "currency",
)
LABEL_ROLES = ("po_number", "order_date", "requested_date", "customer_number", "currency", "ship_to")
INFO_LABEL_ROLES = (
    "contact", "buyer", "phone", "fax", "email", "website", "page", "vat_id", "reference", "department",
    "bill_to", "supplier", "remarks",
)
ADDRESS_PARTS = ("name", "street", "postal_code", "city", "country")
UNIT_CODES = (
    "EA", "CS", "BX", "PAL", "PK", "KG", "G", "L", "M", "DZN", "SET", "ROL", "PR", "BG", "BDL", "CAN", "DR",
    "BOT", "TUB",
)
TEXT_WORD_KINDS = ("quantity", "article", "po", "date")
#: Sections that map a role to words, and the roles each one allows.
_KEYED_SECTIONS: dict[str, tuple[str, ...]] = {
    "headers": HEADER_ROLES,
    "labels": LABEL_ROLES,
    "info_labels": INFO_LABEL_ROLES,
    "address_headers": ADDRESS_PARTS,
    "units": UNIT_CODES,
    "text_words": TEXT_WORD_KINDS,
    "price_qualifiers": ("without", "taxes", "standalone"),
    "ship_to_qualifiers": ("prefix", "suffix"),
}
_LIST_SECTIONS = (
    "header_excluded", "order_titles", "form_words", "order_context_words", "non_order_words", "total_words",
    "total_qualifiers", "greetings", "signoffs", "date_fillers",
)


class LexiconError(ValueError):
    """A lexicon file names a section or role the matchers do not know, or holds no words."""


@functools.cache
def lexicon(language: str) -> Mapping[str, Any]:
    """The word data of one language (a LANGUAGES code or INTERNATIONAL), read once."""
    if language not in (*LANGUAGES, INTERNATIONAL):
        raise LexiconError(f"no lexicon for {language!r}")
    return read_lexicon(LEXICON_DIR / f"{language}.json")


def read_lexicon(path: Path) -> dict[str, Any]:
    """Read and check one lexicon file; a typo in a role fails here, not as a silently unused word."""
    data = json.loads(path.read_text(encoding="utf-8"))
    problems = _lexicon_problems(data)
    if problems:
        raise LexiconError(f"{path.name}: " + "; ".join(problems))
    return data


def _lexicon_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    for section, value in data.items():
        if section in _KEYED_SECTIONS:
            known = _KEYED_SECTIONS[section]
            problems += [f"{section}: unknown role {key!r}" for key in value if key not in known]
            problems += [f"{section}.{key}: no list of words" for key, words in value.items()
                         if not _is_words(words)]
        elif section in _LIST_SECTIONS:
            problems += [] if _is_words(value) else [f"{section}: no list of words"]
        elif section == "compound_heads":
            problems += [f"compound_heads: unknown role {role!r}" for role in value.values()
                         if role not in HEADER_ROLES]
        elif section == "extra_month_names":
            problems += [f"extra_month_names: {name!r} is no month" for name, month in value.items()
                         if month not in range(1, 13)]
        elif section not in ("_doc", "locale"):
            problems.append(f"unknown section {section!r}")
    return problems


def _is_words(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(word, str) and word.strip() for word in value)


def _merged(section: str, keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """One table over all lexicons: each key (in ``keys`` order) with its words, without repeats."""
    sources = (INTERNATIONAL, *LANGUAGES)
    table = {key: tuple(dict.fromkeys(
        word for source in sources for word in lexicon(source).get(section, {}).get(key, ())
    )) for key in keys}
    return {key: words for key, words in table.items() if words}


def _merged_words(section: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(word for language in LANGUAGES for word in lexicon(language).get(section, ())))


def _folded_alternation(words: Iterable[str]) -> str:
    """A regex alternation of the folded words, longest first."""
    return "|".join(re.escape(word) for word in sorted({fold(word) for word in words}, key=len, reverse=True))


def _compound_heads() -> dict[str, str]:
    heads: dict[str, str] = {}
    for language in LANGUAGES:
        for head, role in lexicon(language).get("compound_heads", {}).items():
            if heads.setdefault(fold(head), role) != role:
                raise LexiconError(f"compound head {head!r} names two roles")
    return heads


# --------------------------------------------------------------------------- headers

#: Item-table column role -> header words, all languages. Orders are written by the
#: buyer, so "your article no." / "Ihre Artikelnummer" is *our* number (sku) and "our
#: part no." / "unsere Artikelnummer" is the buyer's (customer_part_number).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = _merged("headers", HEADER_ROLES)

_PRICE_QUALIFIERS = _merged("price_qualifiers", ("without", "taxes", "standalone"))
_WITHOUT = _folded_alternation(_PRICE_QUALIFIERS["without"])
_TAXES = _folded_alternation(_PRICE_QUALIFIERS["taxes"])
#: Qualifiers that do not change a column's role ("Unit price excl. VAT", "Prezzo IVA esclusa").
_HEADER_QUALIFIERS = re.compile(
    rf"\b(?:{_WITHOUT})\b\.?\s*(?:{_TAXES})\b|\b(?:{_TAXES})\s+(?:{_WITHOUT})\b\.?"
    rf"|\b(?:{_folded_alternation(_PRICE_QUALIFIERS['standalone'])})\b"
)
#: Words that make a column something else: a tax, discount, weight or stock column.
_HEADER_EXCLUDED = tuple(dict.fromkeys(fold(word) for word in _merged_words("header_excluded")))
#: German, Danish, Dutch, Swedish, Norwegian and Finnish write column names as compounds
#: ("Bestellmenge", "Nettopreis", "Yksikköhinta"): a header ending in one of these heads
#: takes the head's role.
_COMPOUND_HEADS = _compound_heads()
#: "#" is kept: "Customer #" is a number, "Customer" is not.
_EDGE_PUNCTUATION = " .:;,*-_/\\|\"'`´’=?!"


def normalise_header(text: str) -> str:
    """Casefold, collapse whitespace and strip punctuation at both ends (accents kept).

    "#" is not stripped ("Customer #" is a number column, "Customer" is not), and a
    header that is only punctuation is kept as it is.
    """
    collapsed = " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())
    return collapsed.strip(_EDGE_PUNCTUATION) or collapsed


def _key(text: str) -> str:
    return fold(normalise_header(text))


def _compact(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum() or ch == "#")


_WORD = re.compile(r"\w+")


class _SynonymIndex:
    """Exact, compact ("Art.-Nr." = "artnr"), contained and compound look-ups."""

    def __init__(self, table: Mapping[str, tuple[str, ...]]) -> None:
        self.exact: dict[str, str] = {}
        self.compact: dict[str, str] = {}
        for role, synonyms in table.items():
            for synonym in synonyms:
                self.exact.setdefault(_key(synonym), role)
                if compact := _compact(synonym):
                    self.compact.setdefault(compact, role)
        # Longest first, so "total price" is tried before "price".
        self.words = sorted(self.exact.items(), key=lambda item: -len(item[0]))
        # Indexed by their first word: a header is compared with the synonyms that can be
        # in it, not with all of thirteen languages' (2 ms a look-up).
        self.by_first: dict[str, list[tuple[str, str]]] = {}
        for synonym, role in self.words:
            first = _WORD.search(synonym)
            self.by_first.setdefault(first.group() if first else synonym, []).append((synonym, role))

    def lookup(self, text: str) -> str | None:
        return self.exact.get(_key(text)) or self.compact.get(_compact(text))

    def contained(self, key: str) -> str | None:
        """Role of the longest synonym inside ``key``; None when two roles tie."""
        best: tuple[int, set[str]] = (0, set())
        found = (pair for word in set(_WORD.findall(key)) for pair in self.by_first.get(word, ()))
        candidates = sorted(found, key=lambda pair: -len(pair[0]))
        for synonym, role in candidates:
            if len(synonym) < max(3, best[0]):
                break
            if _contains_word(key, synonym):
                best = (len(synonym), best[1] | {role})
        roles = best[1]
        return roles.pop() if len(roles) == 1 else None


_HEADERS = _SynonymIndex(HEADER_SYNONYMS)


def match_header(text: str) -> str | None:
    """The column role ``text`` names (a key of HEADER_SYNONYMS), or None."""
    return match_header_ex(text)[0]


def match_header_ex(text: str) -> tuple[str | None, bool]:
    """(role, exact): exact is False when the role was found inside a longer header.

    Order of tries: the whole header (exact, then without punctuation), the header
    without bracketed parts and price qualifiers, the same role named in two or more
    languages ("Menge / Qty", "Antal | Quantity"), then the longest synonym contained
    as whole words ("Unit Price EUR" -> unit_price; "Total price" is itself a
    line_total synonym), then a compound head ("Bestellmenge" -> quantity). The loose
    tries refuse headers naming taxes, discounts, weights or stock, and text that
    reads like a label with a value ("Menge: 5").
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 60:
        return None, False
    if role := _HEADERS.lookup(text):
        return role, True
    key = _key(_HEADER_QUALIFIERS.sub(" ", re.sub(r"\(.*?\)|\[.*?\]", " ", fold(text))))
    if role := _HEADERS.lookup(key):
        return role, True
    if found := _bilingual_header(text):
        return found
    if not key or _is_excluded_header(key) or ":" in key or len(re.findall(r"\d", key)) > 2:
        return None, False
    return _HEADERS.contained(key) or _compound_role(key), False


#: What joins the names of one role in two languages: "Menge / Qty", "Antal | Qty",
#: "Ordernr - Order no.", or one name above the other in a two-line cell. A hyphen counts
#: only with spaces around it ("Art.-Nr." is one name).
_BILINGUAL_SEPARATOR = re.compile(r"\s*[/|\n]\s*|\s+[-–]\s+")


def _bilingual_parts(text: str) -> list[str]:
    """The names in ``text`` when it joins two or more with a separator, else []."""
    if not any(mark in text for mark in "/|\n-–"):
        return []
    parts = [part for part in _BILINGUAL_SEPARATOR.split(text) if part.strip(_EDGE_PUNCTUATION)]
    return parts if len(parts) >= 2 else []


def _bilingual_header(text: str) -> tuple[str, bool] | None:
    """(role, exact) when every part of a bilingual header names the same role."""
    found = [match_header_ex(part) for part in _bilingual_parts(text)]
    roles = {role for role, _ in found}
    role = roles.pop() if len(roles) == 1 else None
    return (role, all(exact for _, exact in found)) if role else None


def _bilingual_role(index: _SynonymIndex, text: str) -> str | None:
    """The role every part of a bilingual label names ("Bestell-Nr. / PO no."), or None."""
    roles = {index.lookup(part) for part in _bilingual_parts(text)}
    return roles.pop() if len(roles) == 1 and None not in roles else None


def _is_excluded_header(key: str) -> bool:
    return any(_contains_word(key, word) or (len(word) >= 5 and word in key) for word in _HEADER_EXCLUDED)


def _compound_role(key: str) -> str | None:
    roles = {
        role
        for token in re.findall(r"\w+", key)
        for head, role in _COMPOUND_HEADS.items()
        if token.endswith(head) and len(token) > len(head)
    }
    return roles.pop() if len(roles) == 1 else None


# ---------------------------------------------------------------------------- labels

#: Header-level fields found by a label in free text, PDFs or sheet label rows, all
#: languages. "Your reference" is deliberately absent: it names the buyer's PO as often
#: as ours. Bare words ("Order", "Bestellung", "Date") are labels too, so callers must
#: check that what follows looks like a value for the role (see ``split_label``).
LABEL_SYNONYMS: dict[str, tuple[str, ...]] = _merged("labels", LABEL_ROLES)

_LABELS = _SynonymIndex(LABEL_SYNONYMS)
_LONGEST_LABEL = max(len(key) for key in _LABELS.exact)
_LABEL_SEPARATORS = " \t:#=-–.\u00a0"


@dataclass(frozen=True)
class LabelSplit:
    """A label at the start of a text and what follows it."""

    role: str
    label: str  # as written
    value: str  # stripped of separators; may be empty
    separated: bool  # a ":" "#" or "=" stood between label and value


def match_label(text: str) -> str | None:
    """The field role the whole of ``text`` labels ("PO Number:" -> po_number), or None."""
    if not isinstance(text, str) or len(text) > 60:
        return None
    return _LABELS.lookup(text) or _bilingual_role(_LABELS, text)


def split_label(text: str) -> LabelSplit | None:
    """Split "Bestellnummer: 4711" / "PO# 4711" into its label role and value.

    The longest label that starts ``text`` and ends at a word boundary wins, so
    "Date de livraison: …" is a requested date, not an order date. A label in two
    languages counts as one ("Bestell-Nr. / PO no.: 4711"). The value is not checked;
    callers validate it for the role (and may insist on ``separated``).
    """
    return _split_prefix(_LABELS, _LONGEST_LABEL, text)


def _split_prefix(index: _SynonymIndex, longest: int, text: str) -> LabelSplit | None:
    if not isinstance(text, str):
        return None
    stripped = text.strip()[:200]
    for end in _word_ends(stripped[: longest + 10]):
        role = index.exact.get(_key(stripped[:end])) or _bilingual_role(index, stripped[:end])
        if role:
            rest = stripped[end:]
            value = rest.lstrip(_LABEL_SEPARATORS)
            gap = rest[: len(rest) - len(value)]
            return LabelSplit(role, stripped[:end].strip(), value.strip(), any(c in gap for c in ":#="))
    return None


def _word_ends(text: str) -> list[int]:
    """Positions after each word, longest prefix first."""
    ends = [match.end() for match in re.finditer(r"\w(?!\w)|[#°](?!\w)", text)]
    return sorted(set(ends), reverse=True)


# ------------------------------------------------------------ labels that set no field

#: Labels of a document's header block that name no order field: who to contact, how,
#: on which page, under which tax id, and the other parties' blocks. A value next to
#: one of them is no instruction (callers still check that it looks like its role:
#: "Contact: please call before delivery" is one). ``remarks`` labels the document's
#: own free text, which a person must read.
INFO_LABEL_SYNONYMS: dict[str, tuple[str, ...]] = _merged("info_labels", INFO_LABEL_ROLES)

_INFO_LABELS = _SynonymIndex(INFO_LABEL_SYNONYMS)
_LONGEST_INFO_LABEL = max(len(key) for key in _INFO_LABELS.exact)


def match_info_label(text: str) -> str | None:
    """The INFO_LABEL_SYNONYMS role the whole of ``text`` labels ("Tel.:" -> phone), or None."""
    if not isinstance(text, str) or len(text) > 60:
        return None
    return _INFO_LABELS.lookup(text)


def split_info_label(text: str) -> LabelSplit | None:
    """Like ``split_label`` for INFO_LABEL_SYNONYMS: "Tel. +49 40 1234" -> phone, "+49 40 1234".

    Callers must check the value: short labels ("An", "To", "Note") start plain
    sentences too, so without ``separated`` the value is worth little.
    """
    return _split_prefix(_INFO_LABELS, _LONGEST_INFO_LABEL, text)


# ---------------------------------------------------------------- titles and companies

#: Titles of an order document: framing, not an instruction. Titles that revise or
#: cancel an order ("Revised purchase order", "Stornierung") are deliberately absent.
ORDER_TITLES = _merged_words("order_titles")
_TITLE_KEYS = frozenset(" ".join(re.findall(r"\w+", fold(title))) for title in ORDER_TITLES)


def is_order_title(text: str) -> bool:
    """True for a document title that only says "this is an order" ("PURCHASE ORDER")."""
    if not isinstance(text, str) or len(text) > 60:
        return False
    return " ".join(re.findall(r"\w+", fold(text))) in _TITLE_KEYS


#: Legal forms of companies, matched case-sensitively as written: "AG", "SA" and "AS"
#: in lower case are ordinary words.
LEGAL_FORMS = (
    "GmbH", "gGmbH", "mbH", "AG", "KG", "KGaA", "OHG", "UG", "GbR", "e.K.", "e.V.", "SE", "Ltd",
    "Ltd.", "Limited", "PLC", "plc", "LLP", "LLC", "L.L.C.", "Inc", "Inc.", "Corp", "Corp.",
    "Corporation", "Co.", "SA", "S.A.", "SAS", "S.A.S.", "SASU", "SARL", "S.A.R.L.", "EURL", "SNC",
    "SCOP", "NV", "N.V.", "BV", "B.V.", "VOF", "CV", "BVBA", "SRL", "A/S", "ApS", "I/S", "K/S",
    "P/S", "IVS", "AB", "HB", "AS", "ASA", "Oy", "Oyj", "SpA", "S.p.A.", "Srl", "S.r.l.", "S.L.",
    "Lda", "s.r.o.", "a.s.", "Sp. z o.o.", "Kft.", "Zrt.", "SIA", "UAB", "OÜ", "JSC", "PJSC", "OJSC",
    "OOO", "OAO", "ZAO", "TOO", "FZE", "FZCO", "FZ-LLC", "Pte. Ltd.", "Pte Ltd", "Pvt. Ltd.", "Sdn. Bhd.",
    "Sdn Bhd", "K.K.", "A.Ş.", "Ltda.",
)
_LEGAL_FORM = re.compile(
    r"(?<![\w&/.])(?:" + "|".join(re.escape(form) for form in sorted(LEGAL_FORMS, key=len, reverse=True))
    + r")(?![\w/])"
)


def has_legal_form(text: str) -> bool:
    """True when ``text`` names a company by its legal form ("Acme GmbH", "Nordvang A/S")."""
    return isinstance(text, str) and _LEGAL_FORM.search(text) is not None


# ------------------------------------------------------------------- address columns

#: Columns of a flat export that hold the delivery address, one part each. Bare
#: "Name" is absent (it names products as often as recipients), and so is Italian
#: "Via" (English sheets use it for the carrier).
ADDRESS_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = _merged("address_headers", ADDRESS_PARTS)
_ADDRESS_HEADERS = _SynonymIndex(ADDRESS_HEADER_SYNONYMS)
_SHIP_TO = _merged("ship_to_qualifiers", ("prefix", "suffix"))
#: Words that put a column into the delivery address ("Ship-to City", "Ville de livraison").
_SHIP_TO_QUALIFIER = re.compile(
    rf"^(?:{_folded_alternation(_SHIP_TO['prefix'])})\b\s*|\s*\b(?:{_folded_alternation(_SHIP_TO['suffix'])})$"
)

def match_address_header(text: str) -> str | None:
    """Which AddressDraft part a flat export's column holds ("PLZ" -> postal_code), or None.

    Only whole headers are matched, optionally qualified as the delivery address
    ("Ship-to City", "Lieferadresse PLZ"): "Land of origin" or "Lagerort" are no
    address columns.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 60:
        return None
    if role := _ADDRESS_HEADERS.lookup(text):
        return role
    bare = _SHIP_TO_QUALIFIER.sub("", _key(text)).strip()
    return _ADDRESS_HEADERS.lookup(bare) if bare and bare != _key(text) else None


# --------------------------------------------------------------------------- numbers

_CURRENCY_CODES = (
    "EUR", "USD", "GBP", "CHF", "DKK", "SEK", "NOK", "ISK", "PLN", "CZK", "HUF", "RON", "BGN",
    "CAD", "AUD", "NZD", "JPY", "CNY", "HKD", "SGD", "ZAR", "MXN", "BRL", "INR", "TRY",
)
_CURRENCY_SYMBOLS = {"€": "EUR", "£": "GBP", "US$": "USD", "¥": None, "$": None, "kr": None, "kr.": None}
_CURRENCY_TOKEN = r"(?:US\$|[€$£¥]|kr\.?(?![A-Za-z])|(?:" + "|".join(_CURRENCY_CODES) + r")(?![A-Za-z]))"
_CURRENCY_LEAD = re.compile(rf"^(?P<cur>{_CURRENCY_TOKEN})", re.IGNORECASE)
_CURRENCY_TRAIL = re.compile(rf"(?<![A-Za-z])(?P<cur>{_CURRENCY_TOKEN})$", re.IGNORECASE)
_GROUP_SPACES = re.compile(r"[ '’\u00a0\u2007\u2009\u202f]")
_DIGITS = re.compile(r"[0-9]*")


def split_currency(text: str) -> tuple[str, str]:
    """Split a currency code or symbol off either end: "€ 12,50" -> ("12,50", "€")."""
    stripped = text.strip()
    if stripped[:1].isdigit() and stripped[-1:].isdigit():
        return stripped, ""
    found = _CURRENCY_LEAD.search(stripped) or _CURRENCY_TRAIL.search(stripped)
    if not found:
        return stripped, ""
    return (stripped[: found.start()] + stripped[found.end() :]).strip(), found.group("cur")


#: "4.61/Ea", "10.15 EA", "@ 3.10 SEK/ea", "á 83,30 DKK pr. kasse", "3,10 € je Stück":
#: an amount and the unit it is for.
_AMOUNT_PER_UNIT = re.compile(
    r"^(?:@|á|à|je|per)?\s*(?P<amount>(?:[€$£]|(?:eur|usd|gbp|chf|dkk|sek|nok|pln|czk)\b)?\s*\d[\d.,' ]*?"
    r"(?:\s*(?:[€$£]|\b(?:eur|usd|gbp|chf|dkk|sek|nok|pln|czk|kr)\b\.?))?)"
    r"\s*(?:/|\b(?:per|pr\.?|pro|par|je|por|paa|på|za)(?!\w))?\s*(?P<unit>[^\W\d_]{1,12}\.?)$", re.IGNORECASE)


def split_amount_unit(text: str, *, language: str | None = None) -> tuple[str, str]:
    """An amount written with the unit it is for: ("4.61", "EA") for "4.61/Ea", ("3.10 SEK",
    "EA") for "@ 3.10 SEK/ea"; (text, "") when no known unit follows the amount."""
    found = _AMOUNT_PER_UNIT.match(text.strip()) if isinstance(text, str) and len(text) <= 64 else None
    if found is None:
        return text, ""
    written = found.group("unit")
    unit = None if normalise_currency(written.rstrip(".")) else normalise_unit(written, language=language)
    return (found.group("amount").strip(), unit) if unit else (text, "")


def normalise_currency(text: str) -> str | None:
    """ISO 4217 code for a code or an unambiguous symbol ("€" -> EUR); None otherwise.

    "$", "kr" and "¥" name several currencies and give None; any three-letter
    alphabetic code is returned upper-cased (whether it exists is checked later).
    """
    stripped = str(text).strip()
    if stripped in _CURRENCY_SYMBOLS or stripped.lower() in _CURRENCY_SYMBOLS:
        return _CURRENCY_SYMBOLS.get(stripped, _CURRENCY_SYMBOLS.get(stripped.lower()))
    if re.fullmatch(r"[A-Za-z]{3}", stripped):
        return stripped.upper()
    return "EUR" if fold(stripped) in ("euro", "euros") else None


def find_currency(text: str) -> str | None:
    """The one currency named anywhere in ``text`` ("Preis (EUR)"); None if none or several."""
    codes = {
        normalise_currency(match.group(0))
        for match in re.finditer(rf"(?<![A-Za-z]){_CURRENCY_TOKEN}", text, re.IGNORECASE)
    }
    return codes.pop() if len(codes) == 1 else None


def parse_decimal(text: str, *, decimal_comma: bool | None = None) -> Decimal | None:
    """A number as people write it, or None; see ``parse_decimal_ex`` for the rules."""
    return parse_decimal_ex(text, decimal_comma=decimal_comma)[0]


def parse_decimal_ex(text: str, decimal_comma: bool | None = None) -> tuple[Decimal | None, bool]:
    """(value, ambiguous) for "1,234.56", "1.234,56", "1 234,56", "1'234.56", "€ 12,50" …

    Signs may lead ("-3"), trail ("3-") or be parentheses ("(3.00)"); a currency code
    or symbol may stand on either side; spaces and apostrophes group thousands.
    With both "." and "," the last one is the decimal mark. A single separator
    followed by exactly three digits ("1,234", "1.234") is the only ambiguous case:
    ``decimal_comma`` (True: "," is the decimal mark) resolves it; without the hint
    the separator is read as the decimal mark and ``ambiguous`` is True, so callers
    must lower their confidence. Anything else that is not a number gives (None, False).
    """
    body = _number_body(text)
    if body is None:
        return None, False
    negative, digits = body
    value, ambiguous = _to_decimal(digits, decimal_comma)
    if value is None:
        return None, False
    return (-value if negative else value), ambiguous


def _number_body(text: str) -> tuple[bool, str] | None:
    """(negative, digits and separators) once currency, sign and group spaces are gone."""
    if not isinstance(text, str) or not text.strip() or len(text) > 64:
        return None
    stripped, _ = split_currency(text)
    # "12,-" and "12.–" are whole amounts (German and Swiss price style).
    negative, stripped = _strip_sign(re.sub(r"(?<=[0-9])[.,][-–]$", "", stripped))
    stripped, _ = split_currency(stripped)
    grouped = _drop_group_spaces(stripped)
    return None if grouped is None else (negative, grouped)


def _strip_sign(text: str) -> tuple[bool, str]:
    if not text:
        return False, text
    if text.startswith("(") and text.endswith(")"):
        return True, text[1:-1].strip()
    if text[0] in "-−–+":
        return text[0] != "+", text[1:].strip()
    if text.endswith("-"):
        return True, text[:-1].strip()
    return False, text


def _drop_group_spaces(text: str) -> str | None:
    """Remove spaces/apostrophes that group thousands; None when they group wrongly."""
    parts = _GROUP_SPACES.split(text)
    if len(parts) == 1:
        return text
    middle_ok = all(re.fullmatch(r"[0-9]{3}", part) for part in parts[1:-1])
    if re.fullmatch(r"[0-9]{1,3}", parts[0]) and middle_ok and re.match(r"[0-9]{3}(?![0-9])", parts[-1]):
        return "".join(parts)
    return None


def _to_decimal(body: str, decimal_comma: bool | None) -> tuple[Decimal | None, bool]:
    if not re.fullmatch(r"[0-9.,]*[0-9][0-9.,]*", body):
        return None, False
    if "." in body and "," in body:
        return _with_mark(body, "." if body.rfind(".") > body.rfind(",") else ","), False
    separator = "." if "." in body else ("," if "," in body else "")
    if not separator:
        return Decimal(body), False
    if body.count(separator) > 1:
        return _grouped(body, separator), False
    head, tail = body.split(separator)
    if len(tail) != 3 or not re.fullmatch(r"[1-9][0-9]{0,2}", head):
        return _with_mark(body, separator), False
    if decimal_comma is None:
        return _with_mark(body, separator), True
    if (separator == ",") == decimal_comma:
        return _with_mark(body, separator), False
    return Decimal(head + tail), False


def _grouped_digits(text: str, separator: str) -> str | None:
    groups = text.split(separator)
    if len(groups) == 1:
        return text if _DIGITS.fullmatch(text) else None
    valid = re.fullmatch(r"[0-9]{1,3}", groups[0]) and all(re.fullmatch(r"[0-9]{3}", g) for g in groups[1:])
    return "".join(groups) if valid else None


def _grouped(body: str, separator: str) -> Decimal | None:
    digits = _grouped_digits(body, separator)
    return Decimal(digits) if digits else None


def _with_mark(body: str, mark: str) -> Decimal | None:
    if body.count(mark) != 1:
        return None
    whole, fraction = body.split(mark)
    digits = _grouped_digits(whole, "," if mark == "." else ".")
    if digits is None or not _DIGITS.fullmatch(fraction) or not (digits or fraction):
        return None
    return Decimal(f"{digits or '0'}.{fraction or '0'}")


def guess_decimal_comma(texts: Iterable[str]) -> bool | None:
    """Whether a document's numbers use a decimal comma, judged from all of them.

    "12,5" or "1.234,56" vote for a comma, "12.50" or "1,234.56" for a point;
    "1.234" votes for neither. True/False when only one side got votes, else None.
    """
    votes = {_separator_vote(text) for text in texts} - {None}
    return votes.pop() == "," if len(votes) == 1 else None


def _separator_vote(text: str) -> str | None:
    body = _number_body(text)
    if body is None:
        return None
    value, ambiguous = _to_decimal(body[1], None)
    marks = [ch for ch in body[1] if ch in ".,"]
    if value is None or ambiguous or not marks:
        return None
    if len(set(marks)) == 2 or len(marks) == 1:
        return marks[-1]
    return "," if marks[0] == "." else "."


_QUANTITY = re.compile(
    r"(?P<num>[-+−]?[0-9][0-9.,'’ \u00a0\u2009\u202f]*?(?:[.,][-–])?)\s*"
    r"(?:[x×](?=\s|$)\s*)?(?P<unit>[A-Za-zÀ-ÿ][^\s0-9]{0,11})?"
)


def parse_quantity(text: str, *, decimal_comma: bool | None = None) -> tuple[Decimal | None, str, bool]:
    """(number, unit as written, ambiguous) for "10", "10 CS", "5 Karton", "12,5kg", "3 x".

    The unit is returned as written (map it with ``normalise_unit`` if needed); the
    number follows ``parse_decimal_ex``. (None, "", False) when it is no quantity.
    """
    if not isinstance(text, str) or len(text) > 64:
        return None, "", False
    found = _QUANTITY.fullmatch(text.strip())
    if not found:
        return None, "", False
    value, ambiguous = parse_decimal_ex(found.group("num"), decimal_comma)
    if value is None:
        return None, "", False
    return value, found.group("unit") or "", ambiguous


def is_valid_gtin(text: str) -> bool:
    """True for an 8, 12, 13 or 14 digit GTIN/EAN/UPC with a correct check digit."""
    digits = str(text).strip()
    if not re.fullmatch(r"[0-9]{8}|[0-9]{12,14}", digits):
        return False
    body = [int(ch) for ch in reversed(digits[:-1])]
    total = sum(value * (3 if index % 2 == 0 else 1) for index, value in enumerate(body))
    return (10 - total % 10) % 10 == int(digits[-1])


# ----------------------------------------------------------------------------- dates

_DATE_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+")


def _cldr_names(language: str, names: Any) -> dict[str, int]:
    """Folded CLDR month or day names of a language, wide and abbreviated, in both the
    format ("12. března") and the stand-alone ("březen") form, abbreviations without dot."""
    locale = lexicon(language)["locale"]
    found: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in names(width, context, locale=locale).items():
                if _DATE_TOKEN.fullmatch(key := fold(name).rstrip(".")):
                    found.setdefault(key, number)
    return found


def _month_names(language: str) -> dict[str, int]:
    extra = lexicon(language).get("extra_month_names", {})
    return _cldr_names(language, get_month_names) | {fold(name): month for name, month in extra.items()}


#: Month names and abbreviations per language, folded (no accents): CLDR's, plus the
#: spellings people use besides them (lexicon ``extra_month_names``: "Mrz", "Sept").
MONTH_NAMES: dict[str, dict[str, int]] = {language: _month_names(language) for language in LANGUAGES}
_WEEKDAYS = frozenset(name for language in LANGUAGES for name in _cldr_names(language, get_day_names))
#: Ordinal suffixes and articles that may surround a written date ("1er", "20th of", "den 3.",
#: "3 de febrero de 2026"), and weekday names.
_DATE_FILLERS = _WEEKDAYS | {fold(word) for word in _merged_words("date_fillers")}
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
_NUMERIC_DATE = re.compile(r"([0-9]{1,4})([./-])([0-9]{1,2})\2([0-9]{1,4})" + _TIME)
_ISO_SLASH_DATE = re.compile(r"([0-9]{4})([./-])([0-9]{1,2})\2([0-9]{1,2})" + _TIME)
_COMPACT_DATE = re.compile(r"((?:19|20)[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])")


def parse_date(
    text: str, *, day_first: bool | None = None, languages: Iterable[str] | None = None
) -> tuple[date | None, bool]:
    """(date, ambiguous) for ISO, numeric and written dates in the LANGUAGES.

    Numeric dates: "2026-11-20", "20261120", "20.11.2026", "20/11/2026", "11/20/2026",
    "20-11-26" (two-digit years are 20xx). When both day/month readings are valid
    ("03/04/2026") ``day_first`` decides (True for DE/FR/DK/NL/GB senders, False for
    US); without it the day-first reading is returned with ambiguous=True. Dotted
    dates ("03.04.2026") are always day-first: nobody writes month-first with dots.
    When one reading is impossible ("13/04/2026") the other is used, unambiguously.
    Written dates: "20 November 2026", "Nov 20, 2026", "20. November 2026",
    "1er décembre 2026", "20-Nov-2026", "3 de febrero de 2026", "12. března 2026",
    weekday names allowed; ``languages`` limits
    the month names (codes from LANGUAGES; None = all). A calendar week with its year
    ("KW 08/2026", "week 8 2026", "uge 01/2027") is its Monday (ISO 8601), as ERP
    systems store a week-format delivery date; without a year it is not read.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 60:
        return None, False
    stripped = text.strip()
    if found := _COMPACT_DATE.fullmatch(stripped):
        return _safe_date(*(int(part) for part in found.groups())), False
    if found := _ISO_SLASH_DATE.fullmatch(stripped):
        return _safe_date(int(found.group(1)), int(found.group(3)), int(found.group(4))), False
    if found := _NUMERIC_DATE.fullmatch(stripped):
        return _numeric_date(found, day_first)
    if found := _CALENDAR_WEEK.fullmatch(fold(stripped)):
        return _week_monday(int(found.group("year")), int(found.group("week"))), False
    return _written_date(stripped, _months(languages)), False


#: "KW 08/2026", "KW08-2026", "week 8, 2026", "uge 01/2027", "vecka 3 2027", "CW 8/26".
_CALENDAR_WEEK = re.compile(
    r"(?:kw|cw|wk|week|woche|kalenderwoche|calendar week|semaine|sem|uge|vecka|v|uke|settimana|semana"
    r"|tydzien|tydz|viikko|vko|tyden|tyd)\.?\s*(?P<week>\d{1,2})\s*(?:[/,.-]|\s)\s*(?P<year>(?:20)?\d{2})")


def _week_monday(year: int, week: int) -> date | None:
    try:
        return date.fromisocalendar(year if year > 99 else 2000 + year, week, 1)
    except ValueError:  # week 54, week 0
        return None


def _numeric_date(found: re.Match[str], day_first: bool | None) -> tuple[date | None, bool]:
    first, separator, second, year_text = found.groups()
    if len(first) > 2 or len(year_text) not in (2, 4):
        return None, False
    year = _full_year(year_text)
    day_month = _safe_date(year, int(second), int(first))
    month_day = _safe_date(year, int(first), int(second))
    if day_month is None or month_day is None or day_month == month_day:
        return day_month or month_day, False
    if day_first is None:
        return day_month, separator != "."
    return (day_month if day_first else month_day), False


def _written_date(text: str, months: dict[str, int]) -> date | None:
    numbers: list[str] = []
    named: set[tuple[bool, int]] = set()  # (also a weekday, month): "mar" is March and martes
    for token in _DATE_TOKEN.findall(fold(text)):
        if token.isascii() and token.isdigit():
            numbers.append(token)
        elif token in months:
            named.add((token in _WEEKDAYS, months[token]))
        elif token not in _DATE_FILLERS:
            return None
    candidates = {month for weekday, month in named if not weekday} or {month for _, month in named}
    month = candidates.pop() if len(candidates) == 1 else None
    if month is None or len(numbers) != 2 or len(numbers[0]) > 2 or len(numbers[1]) not in (2, 4):
        return None
    return _safe_date(_full_year(numbers[1]), month, int(numbers[0]))


def _months(languages: Iterable[str] | None) -> dict[str, int]:
    chosen = LANGUAGES if languages is None else tuple(languages)
    unknown = set(chosen) - set(LANGUAGES)
    if unknown:
        raise ValueError(f"unknown language codes: {sorted(unknown)}")
    return {name: number for code in chosen for name, number in MONTH_NAMES[code].items()}


def _full_year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def guess_day_first(texts: Iterable[str]) -> bool | None:
    """Whether a document's numeric dates are day-first, judged from all of them.

    "20/11/2026" votes day-first, "11/20/2026" month-first; dates valid both ways
    vote for neither. True/False when only one side got votes, else None.
    """
    votes: set[bool] = set()
    for text in texts:
        found = _NUMERIC_DATE.fullmatch(text.strip()) if isinstance(text, str) and len(text) <= 60 else None
        if found and len(found.group(1)) <= 2:
            first, second = int(found.group(1)), int(found.group(3))
            if first > 12 >= second or second > 12 >= first:
                votes.add(first > 12)
    return votes.pop() if len(votes) == 1 else None


# ----------------------------------------------------------------------------- units

def _unit_tables() -> tuple[dict[str, tuple[str, ...]], dict[str, dict[str, str]]]:
    """(unit words by code, words whose code depends on the language). A word two languages
    give different codes ("dozen": twelve in English, boxes in Dutch; "kpl": pieces in
    Finnish, sets in Polish) is left out of the first table and goes into the second."""
    codes: dict[str, dict[str, str]] = {}
    for source in (INTERNATIONAL, *LANGUAGES):
        for code, words in lexicon(source).get("units", {}).items():
            for word in words:
                codes.setdefault(fold(word), {})[source] = code
    ambiguous = {word: languages for word, languages in codes.items() if len(set(languages.values())) > 1}
    plain = {
        code: tuple(word for word in words if fold(word) not in ambiguous)
        for code, words in _merged("units", UNIT_CODES).items()
    }
    return plain, ambiguous


#: Canonical unit code -> words and UN/ECE codes people write for it. Mapping a unit to
#: one of a product's own units happens later, against master data.
UNIT_WORDS, AMBIGUOUS_UNIT_WORDS = _unit_tables()
#: Words of order forms and sheets by language (folded), to tell the language of a document
#: with little prose: its column headers and labels. A word two languages share counts for none.
_FORM_WORDS: dict[str, tuple[str, ...]] = {
    language: tuple(fold(word) for word in lexicon(language).get("form_words", ())) for language in LANGUAGES
}
_FORM_WORD_LANGUAGE = {
    word: language for language, words in _FORM_WORDS.items() for word in words
    if sum(word in others for others in _FORM_WORDS.values()) == 1
}


def form_language(texts: Iterable[str]) -> str | None:
    """The language of a form's labels and headers ("Omschrijving", "Aantal" -> "nl"), when
    at least two of its words say so and no other language comes close."""
    counts: dict[str, set[str]] = {}
    for text in texts:
        for word in re.findall(r"[^\W\d_]+", fold(text)) if isinstance(text, str) else ():
            if language := _FORM_WORD_LANGUAGE.get(word):
                counts.setdefault(language, set()).add(word)
    ranked = sorted(((len(words), language) for language, words in counts.items()), reverse=True)
    if not ranked or ranked[0][0] < 2 or len(ranked) > 1 and ranked[1][0] * 2 > ranked[0][0]:
        return None
    return ranked[0][1]


# ------------------------------------------------------------------ the writer's country

def _decimal_comma(country: str) -> bool:
    """Whether the country's main language (CLDR's likely subtags) writes a decimal comma."""
    return get_decimal_symbol(Locale.parse(f"und_{country}")) == ","


#: Countries whose writers' number style a document's sender may tell.
_DECIMAL_COUNTRIES = (
    "DE", "AT", "FR", "BE", "NL", "LU", "DK", "SE", "NO", "FI", "IT", "ES", "PT", "PL", "CZ",
    "GB", "IE", "US", "CH",
)
#: Whether a country writes decimal commas ("1.500,00") or points ("1,500.00"), from CLDR;
#: None where both are usual: Canada (English points, Québec commas; CLDR says en_CA).
COUNTRY_DECIMAL_COMMA: dict[str, bool | None] = {
    **{country: _decimal_comma(country) for country in _DECIMAL_COUNTRIES}, "CA": None,
}
#: Two-letter top-level domains that are used as generic names, not as a country.
GENERIC_TLDS = frozenset(("io", "co", "ai", "me", "tv", "cc", "ws", "fm", "gg", "ly", "to", "so", "ca"))
#: International dialling codes, longest first (so "+353" is Ireland, not "+35…").
_DIALLING_CODES = sorted({
    "1": "US", "44": "GB", "353": "IE", "49": "DE", "43": "AT", "41": "CH", "33": "FR", "32": "BE",
    "31": "NL", "352": "LU", "45": "DK", "46": "SE", "47": "NO", "358": "FI", "39": "IT", "34": "ES",
    "351": "PT", "48": "PL", "420": "CZ",
}.items(), key=lambda item: -len(item[0]))  # fmt: skip
_PHONE_NUMBER = re.compile(
    r"(?<![\w])(?:phone|tel|telephone|telefon|téléphone|tlf|mobile|mobil|mob|fax|gsm)\b\.?\s*:?\s*"
    r"(?:\+|00)(?P<number>\d[\d\s()./-]{6,})|^\s*\+(?P<bare>\d[\d\s()./-]{6,}\d)\s*$",
    re.IGNORECASE,
)


def phone_country(lines: Iterable[str]) -> str | None:
    """The country of the telephone numbers written in ``lines`` ("Tel. +31 10 …" -> "NL"),
    when there are some and they all agree; None otherwise."""
    found: set[str | None] = set()
    for line in lines:
        for match in _PHONE_NUMBER.finditer(line) if isinstance(line, str) else ():
            digits = re.sub(r"\D", "", match.group("number") or match.group("bare"))
            found.add(next((country for code, country in _DIALLING_CODES if digits.startswith(code)), None))
    return found.pop() if len(found) == 1 else None


_UNIT_INDEX = {fold(word): code for code, words in UNIT_WORDS.items() for word in words}


def normalise_unit(text: str, *, language: str | None = None) -> str | None:
    """Canonical code (a key of UNIT_WORDS) for a unit as written ("Stk." -> EA).

    A word in AMBIGUOUS_UNIT_WORDS needs ``language`` and gives None without it.
    An unknown plain code of 1-4 letters comes back upper-cased and unmapped
    ("DRM" -> "DRM"): the caller decides whether a product knows it. Else None.
    """
    if not isinstance(text, str):
        return None
    key = fold(text)
    if key in AMBIGUOUS_UNIT_WORDS:
        return AMBIGUOUS_UNIT_WORDS[key].get(language or "")
    code = _UNIT_INDEX.get(key) or _UNIT_INDEX.get(key.rstrip("."))
    if code:
        return code
    return text.strip().upper() if re.fullmatch(r"[A-Za-z]{1,4}", text.strip()) else None


# ------------------------------------------------------------- e-mail text and totals

def _text_words(kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(
        word for language in LANGUAGES for word in lexicon(language).get("text_words", {}).get(kind, ())
    ))


#: Words that introduce a quantity in running text ("Menge: 5", "quantité 12").
QUANTITY_WORDS = _text_words("quantity")
#: Words that introduce an article number in running text ("Artikel 4711 – 5 Karton").
ARTICLE_WORDS = _text_words("article")
#: Words that introduce a PO number in running text.
PO_WORDS = _text_words("po")
#: Words that introduce a date in running text.
DATE_WORDS = _text_words("date")


def _patterns(section: str) -> dict[str, tuple[re.Pattern[str], ...]]:
    return {
        language: tuple(re.compile(pattern, re.IGNORECASE) for pattern in lexicon(language).get(section, ()))
        for language in LANGUAGES
    }


GREETING_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = _patterns("greetings")
SIGNOFF_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = _patterns("signoffs")

def _any_of(table: dict[str, tuple[re.Pattern[str], ...]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p.pattern})" for patterns in table.values() for p in patterns), re.I)


_ANY_GREETING = _any_of(GREETING_PATTERNS)
_ANY_SIGNOFF = _any_of(SIGNOFF_PATTERNS)


def is_greeting(line: str) -> bool:
    """True when ``line`` opens like a salutation in one of the LANGUAGES."""
    return _ANY_GREETING.search(line.strip()) is not None


def is_signoff(line: str) -> bool:
    """True when ``line`` reads like a closing formula ("Mit freundlichen Grüßen", "Mvh")."""
    return _ANY_SIGNOFF.search(line.strip()) is not None


#: Words that suggest a document is an order (weigh, do not decide, with them).
ORDER_CONTEXT_WORDS = _merged_words("order_context_words")
#: Words that suggest a document is not an order: invoices, statements, newsletters,
#: auto-replies, delivery notes, quotations.
NON_ORDER_WORDS = _merged_words("non_order_words")

#: Labels of totals, tax and charge rows that end an item table.
TOTAL_WORDS = _merged_words("total_words")
#: Currency codes may follow a total's label ("Total EUR"); they are no words of a language.
_TOTAL_CURRENCIES = frozenset(("eur", "usd", "gbp", "chf", "dkk", "sek", "nok", "pln", "czk"))
_TOTAL_QUALIFIERS = frozenset(fold(word) for word in _merged_words("total_qualifiers")) | _TOTAL_CURRENCIES
_TOTAL_PHRASES = frozenset(" ".join(re.findall(r"[^\W\d_]+", fold(word))) for word in TOTAL_WORDS)
_TOTAL_HEADS = frozenset(phrase for phrase in _TOTAL_PHRASES if " " not in phrase)


def is_total_label(text: str) -> bool:
    """True for a totals/tax/charge label ("Summe", "Total HT", "MwSt 19 %", "I alt").

    Digits, percentages, currency and punctuation are ignored; a product name that
    merely starts with such a word ("Total Care Shampoo") is not a label.
    """
    if not isinstance(text, str) or len(text) > 60:
        return False
    words = re.findall(r"[^\W\d_]+", fold(text))
    if not words:
        return False
    if " ".join(words) in _TOTAL_PHRASES:
        return True
    return any(w in _TOTAL_HEADS for w in words) and all(
        w in _TOTAL_HEADS or w in _TOTAL_QUALIFIERS for w in words
    )
