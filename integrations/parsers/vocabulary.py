"""Words, numbers and dates as people write them in order documents.

The sheet (CSV/XLSX), PDF and e-mail-text parsers all read documents written by
people in English, German, French, Danish or Dutch. This module holds what they
share, as data plus small pure functions over text:

* ``HEADER_SYNONYMS`` and ``match_header`` — which item-table column is which;
* ``LABEL_SYNONYMS``, ``match_label`` and ``split_label`` — header fields found
  next to a label ("PO Number: 4711", "Liefertermin 01.12.2026");
* ``parse_decimal`` / ``parse_decimal_ex`` / ``parse_quantity`` and
  ``guess_decimal_comma`` — numbers with either decimal mark;
* ``parse_date`` and ``guess_day_first`` — numeric and written-out dates;
* ``UNIT_WORDS`` and ``normalise_unit`` — unit words and UN/ECE unit codes;
* ``normalise_currency``, ``split_currency``, ``find_currency``, ``is_valid_gtin``;
* word lists for the e-mail parser and the order/non-order classifier.

Nothing here is fitted to a sample document. Matching is case-insensitive and
accent-insensitive ("Quantite" finds "quantité"), because people type headers
without accents; see ``fold``. Functions that can misread a value return an
``ambiguous`` flag instead of guessing silently, so callers can lower confidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

LANGUAGES = ("en", "de", "fr", "da", "nl")


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


# --------------------------------------------------------------------------- headers

#: Item-table column role -> header words (en, de, fr, da, nl). The line roles are the
#: LineDraft fields plus ``line_total``; ``po_number``, ``order_date``,
#: ``customer_number`` and ``currency`` are order-level columns of flat exports that
#: repeat them on every line. Orders are written by the buyer, so "your article no." /
#: "Ihre Artikelnummer" is *our* number (sku) and "our part no." / "unsere
#: Artikelnummer" is the buyer's (customer_part_number).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "sku": (
        "article", "article no", "article number", "art.-nr.", "art. nr.", "art.nr.", "artnr",
        "artikel", "artikelnummer", "artikelnr", "artikel-nr.", "item", "item no", "item #",
        "item number", "item code", "product code", "product no", "product number", "sku",
        "part number", "part no", "part #", "material", "materialnummer", "material no",
        "code", "ref", "reference", "référence", "réf.", "code article", "code produit",
        "n° article", "numéro d'article", "référence fournisseur", "varenummer", "varenr",
        "varenr.", "vare nr", "productcode", "productnummer", "produktnummer", "produktnr",
        "your part no", "your part number", "your item no", "your article no",
        "supplier part number", "supplier item", "vendor part number", "vendor item",
        "ihre artikelnummer", "ihre art.-nr.", "lieferantenartikelnummer",
        "lieferanten-artikelnummer", "votre référence article", "jeres varenummer",
        "leverandørens varenummer", "uw artikelnummer", "leveranciersartikelnummer",
    ),
    "customer_part_number": (
        "customer part", "customer part no", "customer part number", "customer item",
        "customer item no", "customer item number", "customer article no", "buyer part number",
        "buyer item", "our part no", "our part number", "our item no", "our article no",
        "unsere artikelnummer", "unsere art.-nr.", "kundenartikelnummer",
        "kunden-artikelnummer", "kundenartikelnr", "kundenmaterialnummer", "eigene artikelnummer",
        "référence client", "réf. client", "code article client", "notre référence article",
        "kundens varenummer", "vores varenummer", "kundevarenummer", "klantartikelnummer",
        "ons artikelnummer", "artikelnummer klant",
    ),
    "gtin": (
        "ean", "gtin", "upc", "ean code", "ean-code", "ean13", "ean-13", "ean nr", "ean-nr.",
        "ean nummer", "barcode", "bar code", "code ean", "code-barres", "code barre",
        "stregkode", "streepjescode", "gtin-13", "ean/upc",
    ),
    "description": (
        "description", "item description", "product description", "product name", "item name",
        "beschreibung", "bezeichnung", "artikelbezeichnung", "artikeltext", "artikelname",
        "produktname", "produktbezeichnung", "materialkurztext", "kurztext", "désignation",
        "libellé", "nom du produit", "description article", "beskrivelse", "betegnelse",
        "varebeskrivelse", "varenavn", "omschrijving", "artikelomschrijving", "productnaam",
        "artikelnaam", "product", "produkt", "produit", "vare",
    ),
    "quantity": (
        "qty", "quantity", "order qty", "order quantity", "qty ordered", "quantity ordered",
        "ordered", "menge", "bestellmenge", "anzahl", "stückzahl", "quantité",
        "quantité commandée", "qté", "antal", "mængde", "bestilt antal", "aantal",
        "hoeveelheid", "besteld aantal",
    ),
    "uom": (
        "unit", "uom", "u/m", "unit of measure", "einheit", "mengeneinheit", "me", "unité",
        "unité de mesure", "enhed", "eenheid", "pack",
    ),
    "unit_price": (
        "unit price", "price", "price per unit", "net price", "preis", "einzelpreis",
        "stückpreis", "e-preis", "nettopreis", "prix unitaire", "prix", "p.u.", "pu",
        "prix unitaire ht", "stykpris", "enhedspris", "pris", "prijs", "stukprijs",
        "eenheidsprijs",
    ),
    "price_per": ("preiseinheit", "pe", "prisenhed", "prijseenheid", "unité de prix"),
    "line_total": (
        "amount", "total", "line total", "total price", "total amount", "net amount",
        "line amount", "extended price", "ext. price", "extension", "gesamtpreis", "gesamt",
        "gesamtbetrag", "betrag", "positionswert", "montant", "montant ht", "total ht",
        "total ligne", "prix total", "beløb", "linjetotal", "i alt", "samlet pris", "bedrag",
        "totaal", "totaalbedrag", "totaalprijs", "regeltotaal",
    ),
    "line_number": (
        "pos", "pos.", "position", "pos.-nr.", "pos nr", "posnr", "line", "line no",
        "line number", "line #", "ln", "#", "no.", "nr.", "lfd. nr.", "zeile", "ligne",
        "n° ligne", "n°", "linje", "linjenr", "regel", "regelnr", "regelnummer",
    ),
    "requested_date": (
        "delivery date", "requested date", "requested delivery date", "required date",
        "need by", "due date", "ship date", "liefertermin", "lieferdatum", "wunschtermin",
        "wunschliefertermin", "date de livraison", "date livraison", "date souhaitée",
        "leveringsdato", "ønsket leveringsdato", "leverdatum", "gewenste leverdatum",
        "afleverdatum", "livraison souhaitée", "date de livraison souhaitée", "requested delivery",
        "gewünschter liefertermin", "ønsket levering",
    ),
    "po_number": (
        "po", "po #", "po no", "po number", "purchase order", "purchase order no",
        "order no", "order number", "bestellnummer", "bestell-nr.", "commande n°",
        "n° de commande", "numéro de commande", "ordrenummer", "ordrenr", "bestelnummer",
        "inkoopordernummer", "ordernummer", "n° commande", "no commande", "numéro commande",
        "n° de la commande", "bestellnr", "bestillingsnummer", "bestillingsnr", "bestelnr",
    ),
    "order_date": (
        "order date", "po date", "bestelldatum", "date de commande", "ordredato", "besteldatum",
        "date commande", "date de la commande", "auftragsdatum", "bestillingsdato", "orderdatum",
    ),
    "customer_number": (
        "customer no", "customer number", "customer #", "account no", "kundennummer",
        "kunden-nr.", "kundennr", "n° client", "numéro client", "kundenummer", "kundenr",
        "klantnummer", "debiteurnummer",
    ),
    "currency": ("currency", "cur", "curr", "währung", "whg", "devise", "monnaie", "valuta", "munt"),
}

#: Qualifiers that do not change a column's role ("Unit price excl. VAT" is a unit price).
_HEADER_QUALIFIERS = re.compile(
    r"\b(?:excl?|incl?|exkl|inkl|ekskl|zzgl|hors|ohne|uden|zonder|ex)\b\.?\s*"
    r"(?:vat|tax|taxes|mwst|ust|tva|moms|btw)\b|\b(?:ht|ttc|netto|brutto|net|gross)\b"
)
#: Words that make a column something else: a tax, discount, weight or stock column.
_HEADER_EXCLUDED = (
    "tax", "vat", "mwst", "ust", "steuer", "tva", "taxe", "moms", "btw", "discount",
    "rabatt", "rabat", "remise", "korting", "skonto", "pack size", "verpackung", "vpe",
    "weight", "gewicht", "poids", "vægt", "size", "taille", "stock", "lager", "bestand",
    "voorraad", "freight", "fracht", "fragt", "porto", "mindest", "minimum", "moq",
)
#: German, Danish and Dutch write column names as compounds ("Bestellmenge",
#: "Nettopreis"): a header ending in one of these heads takes the head's role.
_COMPOUND_HEADS = {
    "menge": "quantity", "anzahl": "quantity", "antal": "quantity", "aantal": "quantity",
    "preis": "unit_price", "pris": "unit_price", "prijs": "unit_price",
    "betrag": "line_total", "beløb": "line_total", "bedrag": "line_total",
    "bezeichnung": "description", "beschreibung": "description", "omschrijving": "description",
    "beskrivelse": "description", "betegnelse": "description",
    "einheit": "uom", "eenheid": "uom", "enhed": "uom", "termin": "requested_date",
}
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

    def lookup(self, text: str) -> str | None:
        return self.exact.get(_key(text)) or self.compact.get(_compact(text))

    def contained(self, key: str) -> str | None:
        """Role of the longest synonym inside ``key``; None when two roles tie."""
        best: tuple[int, set[str]] = (0, set())
        for synonym, role in self.words:
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
    without bracketed parts and price qualifiers, then the longest synonym contained
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
    if not key or _is_excluded_header(key) or ":" in key or len(re.findall(r"\d", key)) > 2:
        return None, False
    return _HEADERS.contained(key) or _compound_role(key), False


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

#: Header-level fields found by a label in free text, PDFs or sheet label rows.
#: "Your reference" is deliberately absent: it names the buyer's PO as often as ours.
#: Bare words ("Order", "Bestellung", "Date") are labels too, so callers must check
#: that what follows looks like a value for the role (see ``split_label``).
LABEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "po_number": (
        "po", "po #", "po no", "po no.", "po nr", "po number", "p.o. number", "p.o.",
        "purchase order", "purchase order no", "purchase order number", "order no",
        "order number", "order #", "order ref", "bestellnummer", "bestell-nr", "bestell-nr.",
        "bestellung", "bestellung nr", "bestellung nr.", "auftragsnummer", "auftrags-nr",
        "commande", "commande n°", "commande no", "n° de commande", "numéro de commande",
        "bon de commande", "bon de commande n°", "ordrenummer", "ordrenr", "ordre nr",
        "indkøbsordre", "indkøbsordre nr", "bestelnummer", "bestelling", "inkooporder",
        "inkoopordernummer", "ordernummer", "order", "n° commande", "no commande",
        "numéro commande", "n° de la commande", "bestellnr", "bestellnr.", "bestillingsnummer",
        "bestillingsnr", "bestelnr", "bestelnr.",
    ),
    "order_date": (
        "order date", "po date", "date", "datum", "bestelldatum", "auftragsdatum",
        "date de commande", "date commande", "dato", "ordredato", "besteldatum", "orderdatum",
        "date de la commande", "bestillingsdato",
    ),
    "requested_date": (
        "delivery date", "requested delivery", "requested delivery date", "requested date",
        "deliver by", "delivery by", "need by", "required by", "required date", "due date",
        "liefertermin", "lieferdatum", "wunschtermin", "wunschliefertermin", "gewünschter liefertermin",
        "date de livraison", "livraison souhaitée", "date de livraison souhaitée",
        "leveringsdato", "ønsket levering", "ønsket leveringsdato", "leverdatum",
        "gewenste leverdatum", "afleverdatum",
    ),
    "customer_number": (
        "customer no", "customer no.", "customer number", "customer #", "customer id",
        "account no", "account number", "kundennummer", "kunden-nr", "kunden-nr.", "kundennr",
        "n° client", "numéro client", "numéro de client", "code client", "kundenummer",
        "kundenr", "kunde nr", "klantnummer", "klantnr", "debiteurnummer", "debiteurnr",
        "kd.-nr", "kd.-nr.", "kd-nr", "kd.nr", "kdnr", "unsere kundennummer", "unsere kundennummer bei ihnen",
        "unsere kd.-nr.", "ihre kd.-nr. für uns", "ihre kundennummer für uns", "our customer no",
        "our customer number", "our customer number with you", "our account number", "notre n° client",
        "notre numéro client", "notre code client", "vores kundenummer", "vores kundenr", "ons klantnummer",
        "onze klantnummer",
    ),
    "currency": ("currency", "währung", "devise", "monnaie", "valuta", "munt"),
    "ship_to": (
        "ship to", "ship-to", "deliver to", "delivery address", "shipping address",
        "lieferadresse", "lieferanschrift", "warenempfänger", "adresse de livraison",
        "livrer à", "lieu de livraison", "leveringsadresse", "levér til", "lever til",
        "afleveradres", "leveradres", "afleveringsadres", "delivery to", "shipping to",
        "ship-to address", "lieferung an", "anlieferung an", "anlieferadresse", "lieferort",
        "livraison à", "adresse livraison", "levering til", "leveres til", "leveringssted",
        "leveren aan", "afleveren aan", "leveringsadres", "bezorgadres",
    ),
}

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
    return _LABELS.lookup(text)


def split_label(text: str) -> LabelSplit | None:
    """Split "Bestellnummer: 4711" / "PO# 4711" into its label role and value.

    The longest label that starts ``text`` and ends at a word boundary wins, so
    "Date de livraison: …" is a requested date, not an order date. The value is not
    checked; callers validate it for the role (and may insist on ``separated``).
    """
    return _split_prefix(_LABELS, _LONGEST_LABEL, text)


def _split_prefix(index: _SynonymIndex, longest: int, text: str) -> LabelSplit | None:
    if not isinstance(text, str):
        return None
    stripped = text.strip()[:200]
    for end in _word_ends(stripped[: longest + 10]):
        role = index.exact.get(_key(stripped[:end]))
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
INFO_LABEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "contact": (
        "contact", "contact person", "contact name", "your contact", "attn", "attention",
        "requested by", "requisitioner", "ordered by", "ansprechpartner", "ansprechpartnerin",
        "ansprechperson", "kontakt", "kontaktperson", "sachbearbeiter", "sachbearbeiterin",
        "bearbeiter", "bestellt von", "interlocuteur", "personne à contacter", "demandeur",
        "suivi par", "contactpersoon", "kontaktperson", "aangevraagd door", "besteld door",
    ),
    "buyer": (
        "buyer", "purchaser", "customer", "einkäufer", "einkäuferin", "einkauf", "besteller",
        "käufer", "kunde", "acheteur", "acheteuse", "client", "køber", "indkøber", "kunde",
        "koper", "inkoper", "klant",
    ),
    "phone": (
        "phone", "phone no", "telephone", "tel", "tel.", "tel no", "mobile", "mobil", "cell",
        "telefon", "telefonnummer", "handy", "téléphone", "portable", "tlf", "tlf.", "telefoon",
        "gsm",
    ),
    "fax": ("fax", "fax no", "telefax", "télécopie"),
    "email": (
        "e-mail", "email", "mail", "e-mail address", "email address", "courriel", "adresse e-mail",
        "e-post", "e-mailadres", "mailadres",
    ),
    "website": ("web", "website", "www", "internet", "homepage", "site web", "site internet", "hjemmeside"),
    "page": ("page", "seite", "blatt", "side", "pagina", "blad"),
    "vat_id": (
        "vat", "vat no", "vat number", "vat id", "vat reg no", "vat registration no", "tax id",
        "ust-id", "ust-idnr", "ust-id-nr", "ust.-id-nr.", "ust-idnr.", "umsatzsteuer-id",
        "steuernummer", "st.-nr.", "uid", "uid-nr", "n° tva", "numéro de tva", "tva",
        "tva intracommunautaire", "n° tva intracommunautaire", "siret", "siren", "cvr", "cvr-nr",
        "cvr nr", "se-nr", "moms-nr", "btw", "btw-nummer", "btw nr", "btw-nr", "kvk", "kvk-nummer",
        "eori", "duns", "gln", "iln",
    ),
    "reference": (
        "reference", "our reference", "our ref", "your reference", "your ref", "ihre referenz",
        "unsere referenz", "ihr zeichen", "unser zeichen", "votre référence", "notre référence",
        "vos réf", "nos réf", "jeres reference", "vores reference", "jeres ref", "vores ref",
        "uw referentie", "onze referentie", "uw kenmerk", "ons kenmerk",
    ),
    "department": (
        "department", "dept", "cost center", "cost centre", "project", "abteilung", "kostenstelle",
        "projekt", "service", "centre de coût", "centre de coûts", "projet", "afdeling",
        "omkostningssted", "projektnummer", "kostenplaats", "project nr",
    ),
    "bill_to": (
        "bill to", "bill-to", "invoice to", "invoice address", "billing address", "invoicing address",
        "rechnungsadresse", "rechnungsanschrift", "rechnungsempfänger", "adresse de facturation",
        "facturer à", "facturation", "faktureringsadresse", "faktura til", "fakturaadresse",
        "factuuradres", "factureringsadres", "factuur aan",
    ),
    "supplier": (
        "supplier", "vendor", "seller", "to", "lieferant", "an", "auftragnehmer", "fournisseur",
        "à", "leverandør", "til", "leverancier", "aan",
    ),
    "remarks": (
        "remarks", "remark", "comments", "comment", "notes", "note", "special instructions",
        "instructions", "delivery instructions", "bemerkungen", "bemerkung", "anmerkungen",
        "anmerkung", "hinweise", "hinweis", "lieferhinweis", "kommentar", "remarques", "remarque",
        "commentaires", "commentaire", "observations", "instructions de livraison",
        "bemærkninger", "bemærkning", "kommentarer", "noter", "opmerkingen", "opmerking",
        "toelichting", "leveringsinstructies",
    ),
}

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
ORDER_TITLES = (
    "order", "purchase order", "purchase order form", "order form", "order sheet", "new order",
    "po", "bestellung", "bestellformular", "bestellschein", "bestellbogen", "bestellliste",
    "einkaufsbestellung", "neue bestellung", "auftrag", "commande", "bon de commande",
    "bon de commande fournisseur", "commande fournisseur", "formulaire de commande",
    "nouvelle commande", "ordre", "indkøbsordre", "bestilling", "bestillingsseddel",
    "bestillingsformular", "købsordre", "ny ordre", "bestelling", "inkooporder", "bestelbon",
    "bestelformulier", "nieuwe bestelling", "inkoopopdracht",
)
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
#: "Name" is absent (it names products as often as recipients); "Land" is the
#: German, Danish and Dutch word for country.
ADDRESS_HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "ship-to name", "ship to name", "shipto name", "delivery name", "deliver to name",
        "consignee", "consignee name", "recipient", "recipient name", "lieferadresse name",
        "lieferanschrift name", "name lieferadresse", "empfänger", "empfängername",
        "warenempfänger", "name warenempfänger", "livraison nom", "nom livraison",
        "nom de livraison", "destinataire", "nom du destinataire", "leveringsnavn", "modtager",
        "modtagernavn", "afleveradres naam", "naam afleveradres", "ontvanger", "naam ontvanger",
    ),
    "street": (
        "street", "street address", "address", "address line 1", "address 1", "straße", "strasse",
        "str.", "anschrift", "adresse", "rue", "adresse ligne 1", "vej", "vejnavn", "gade",
        "straat", "adres", "straatnaam",
    ),
    "postal_code": (
        "postal code", "post code", "postcode", "zip", "zip code", "postal", "plz", "postleitzahl",
        "code postal", "cp", "postnr", "postnr.", "postnummer", "post nr",
    ),
    "city": ("city", "town", "ort", "stadt", "ville", "localité", "commune", "by", "bynavn", "plaats",
             "woonplaats", "stad"),
    "country": (
        "country", "country code", "land", "länderkennzeichen", "ländercode", "pays", "code pays",
        "landekode", "landcode",
    ),
}
_ADDRESS_HEADERS = _SynonymIndex(ADDRESS_HEADER_SYNONYMS)
#: Words that put a column into the delivery address ("Ship-to City", "Ville de livraison").
_SHIP_TO_QUALIFIER = re.compile(
    r"^(?:ship[- ]?to|delivery|deliver to|lieferadresse|lieferanschrift|liefer|empfanger"
    r"|livraison|adresse de livraison|levering|leverings|leveringsadresse|afleveradres|aflever"
    r"|afleverings)\b\s*|\s*\b(?:de livraison|livraison|levering|lieferung|delivery|ship[- ]?to)$"
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

#: Month names and abbreviations per language, folded (no accents).
MONTH_NAMES: dict[str, dict[str, int]] = {
    "en": {
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
        "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
        "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
        "dec": 12,
    },
    "de": {
        "januar": 1, "jan": 1, "janner": 1, "februar": 2, "feb": 2, "marz": 3, "maerz": 3, "mar": 3,
        "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
        "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
        "november": 11, "nov": 11, "dezember": 12, "dez": 12,
    },
    "fr": {
        "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
        "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
        "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
    },
    "da": {
        "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4,
        "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
        "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12,
        "dec": 12,
    },
    "nl": {
        "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
        "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9,
        "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12,
        "dec": 12,
    },
}
_WEEKDAYS = frozenset(
    (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
        "wed", "thu", "fri", "sat", "sun", "montag", "dienstag", "mittwoch", "donnerstag",
        "freitag", "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
        "samedi", "dimanche", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag",
        "søndag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"
    )
)
#: Ordinal suffixes and articles that may surround a written date ("1er", "20th of", "den 3.").
_DATE_FILLERS = _WEEKDAYS | {
    "st", "nd", "rd", "th", "er", "e", "de", "ste", "den", "der", "le", "the", "of", "am", "op", "on",
}
_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
_NUMERIC_DATE = re.compile(r"([0-9]{1,4})([./-])([0-9]{1,2})\2([0-9]{1,4})" + _TIME)
_ISO_SLASH_DATE = re.compile(r"([0-9]{4})([./-])([0-9]{1,2})\2([0-9]{1,2})" + _TIME)
_COMPACT_DATE = re.compile(r"((?:19|20)[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])")
_DATE_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+")


def parse_date(
    text: str, *, day_first: bool | None = None, languages: Iterable[str] | None = None
) -> tuple[date | None, bool]:
    """(date, ambiguous) for ISO, numeric and written dates in the five languages.

    Numeric dates: "2026-11-20", "20261120", "20.11.2026", "20/11/2026", "11/20/2026",
    "20-11-26" (two-digit years are 20xx). When both day/month readings are valid
    ("03/04/2026") ``day_first`` decides (True for DE/FR/DK/NL/GB senders, False for
    US); without it the day-first reading is returned with ambiguous=True. Dotted
    dates ("03.04.2026") are always day-first: nobody writes month-first with dots.
    When one reading is impossible ("13/04/2026") the other is used, unambiguously.
    Written dates: "20 November 2026", "Nov 20, 2026", "20. November 2026",
    "1er décembre 2026", "20-Nov-2026", weekday names allowed; ``languages`` limits
    the month names (codes from LANGUAGES; None = all). Calendar weeks are not read.
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
    return _written_date(stripped, _months(languages)), False


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
    month: int | None = None
    for token in _DATE_TOKEN.findall(fold(text)):
        if token.isascii() and token.isdigit():
            numbers.append(token)
        elif month is None and token in months:
            month = months[token]
        elif token not in _DATE_FILLERS:
            return None
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

#: Canonical unit code -> words and UN/ECE codes people write for it (folded).
#: Mapping a unit to one of a product's own units happens later, against master data.
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "EA": (
        "ea", "each", "pc", "pcs", "pcs.", "piece", "pieces", "stk", "stk.", "stck", "stück",
        "stueck", "st", "st.", "pce", "pièce", "pièces", "stuks", "stuk", "c62", "h87", "nar",
        "unit", "units", "niu", "unité", "unités", "u.", "styk", "stykker", "uds",
    ),
    # "CA" is the X12 code for a case (UN/ECE's can is "CA" too, but ANSI usage wins
    # here: a product sold in cans lists CAN, so a misread still ends as INVALID_UOM).
    "CS": (
        "cs", "ca", "case", "cases", "karton", "kartons", "kartoner", "kartonnen", "ktn", "kt", "kt.",
        "krt", "krt.",
        "kart.", "carton", "cartons", "ct", "ctn", "colis", "caisse", "caisses", "kasse",
        "kasser", "omdoos", "omdozen",
    ),
    "BX": ("bx", "box", "boxes", "schachtel", "schachteln", "schacht.", "boîte", "boîtes", "bte",
           "btes", "æske", "æsker", "doos", "doosje", "doosjes"),
    "PAL": (
        "pal", "pallet", "pallets", "palette", "paletten", "palettes", "palle", "paller", "pl",
        "plt", "px",
    ),
    "PK": (
        "pk", "pack", "packs", "pack.", "paket", "pakete", "pakke", "pakker", "pak", "pakken",
        "paquet", "paquets", "pkg",
    ),
    "KG": ("kg", "kgs", "kgm", "kilo", "kilos", "kilogram", "kilogramm", "kilogramme"),
    "G": ("g", "gr", "grm", "gram", "gramm", "gramme", "grams"),
    "L": ("l", "ltr", "lt", "litre", "litres", "liter", "liters"),
    "M": ("m", "mr", "mtr", "meter", "meters", "mètre", "mètres", "metre", "metres", "lfm"),
    "DZN": ("dz", "dzn", "dutzend", "douzaine", "douzaines", "dusin"),
    "SET": ("set", "sets", "satz", "sæt", "jeu", "jeux"),
    "ROL": ("rol", "ro", "rl", "rll", "roll", "rolls", "rolle", "rollen", "rouleau", "rouleaux",
            "rulle", "ruller"),
    "PR": ("pr", "pair", "pairs", "paar", "paire", "paires", "par"),
    "BG": ("bg", "bag", "bags", "beutel", "sack", "säcke", "sac", "sacs", "sachet", "pose",
           "poser", "sæk", "sække", "zak", "zakken"),
    "BDL": ("bdl", "bdls", "be", "bundle", "bundles", "bund", "bünde", "bündel", "bundel",
            "bundels", "botte", "bottes", "bundt", "bundter"),
    "CAN": ("can", "cans", "cn", "kanister", "bidon", "bidons", "jerrycan", "jerrycans",
            "jerrican", "jerricans", "dunk", "dunke", "blik", "blikken"),
    "DR": ("dr", "drm", "drum", "drums", "fass", "fässer", "fût", "fûts", "tønde", "tønder",
           "vat", "vaten", "barrel", "barrels", "baril", "barils"),
    "BOT": ("bot", "btl", "bottle", "bottles", "flasche", "flaschen", "bouteille",
            "bouteilles", "flaske", "flasker", "fles", "flessen"),
    "TUB": ("tu", "tube", "tubes", "tuben", "tuber"),
}
#: Words of order forms and sheets by language (folded), to tell the language of a document
#: with little prose: its column headers and labels. A word two languages share counts for none.
_FORM_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("description", "quantity", "qty", "unit", "price", "amount", "item", "delivery", "date",
           "order", "customer", "number", "total", "ship", "please", "each", "pcs", "street", "city",
           "country", "postal", "code", "currency", "purchase"),
    "de": ("bezeichnung", "menge", "einheit", "preis", "betrag", "artikel", "lieferdatum", "liefertermin",
           "bestellung", "bestellnummer", "kundennummer", "summe", "stuck", "lieferadresse", "strasse",
           "ort", "plz", "wahrung", "artikelnummer", "bestelldatum", "einzelpreis"),
    "fr": ("designation", "quantite", "qte", "unite", "prix", "montant", "reference", "livraison",
           "commande", "client", "devise", "rue", "ville", "pays", "postal", "unitaire", "nom"),
    "da": ("beskrivelse", "antal", "enhed", "pris", "belob", "varenr", "leveringsdato", "ordre", "ordrenr",
           "ordredato", "kundenr", "adresse", "postnr", "by", "leveringsnavn", "stk"),
    "nl": ("omschrijving", "aantal", "eenheid", "prijs", "bedrag", "artikelnummer", "leverdatum",
           "bestelling", "ordernummer", "orderdatum", "klantnummer", "straat", "plaats", "postcode",
           "afleveradres", "stuks", "naam"),
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

#: Whether a country writes decimal commas ("1.500,00") or points ("1,500.00"); None where
#: both are usual (Canada).
COUNTRY_DECIMAL_COMMA: dict[str, bool | None] = {
    "DE": True, "AT": True, "FR": True, "BE": True, "NL": True, "LU": True, "DK": True, "SE": True,
    "NO": True, "FI": True, "IT": True, "ES": True, "PT": True, "PL": True, "CZ": True,
    "GB": False, "IE": False, "US": False, "CH": False, "CA": None,
}  # fmt: skip
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


#: Words whose unit depends on the language: English "dozen" is 12, Dutch "dozen" are boxes.
AMBIGUOUS_UNIT_WORDS: dict[str, dict[str, str]] = {"dozen": {"en": "DZN", "nl": "BX"}}
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

#: Words that introduce a quantity in running text ("Menge: 5", "quantité 12").
QUANTITY_WORDS = (
    "qty", "quantity", "pcs", "menge", "anzahl", "stück", "quantité", "qté", "antal", "stk",
    "mængde", "aantal", "hoeveelheid", "stuks",
)
#: Words that introduce an article number in running text ("Artikel 4711 – 5 Karton").
ARTICLE_WORDS = (
    "sku", "article", "art.", "art.-nr.", "art. nr.", "item", "item no", "part", "part no",
    "product", "artikel", "artikelnummer", "artikel-nr.", "produkt", "material", "référence",
    "réf.", "réf", "code article", "varenummer", "varenr", "vare", "artikelnr", "productcode",
)
#: Words that introduce a PO number in running text.
PO_WORDS = (
    "po", "po#", "po number", "purchase order", "order", "order no", "order number",
    "bestellung", "bestellnummer", "auftrag", "auftragsnummer", "commande", "bon de commande",
    "ordre", "ordrenummer", "indkøbsordre", "bestilling", "bestelling", "bestelnummer",
    "inkooporder", "ordernummer",
)
#: Words that introduce a date in running text.
DATE_WORDS = (
    "date", "dated", "delivery", "deliver by", "by", "datum", "lieferung", "liefertermin",
    "bis", "bis zum", "date", "livraison", "avant le", "pour le", "dato", "levering",
    "senest", "inden", "leverdatum", "levering", "voor",
)

GREETING_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    lang: tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)
    for lang, patterns in {
        "en": (r"^(hello|hi|hey|dear)\b", r"^good (morning|afternoon|evening)\b", r"^to whom it may concern"),
        "de": (r"^guten (tag|morgen|abend)\b", r"^sehr geehrte", r"^hallo\b", r"^liebe[rs]?\b", r"^moin\b"),
        "fr": (r"^bonjour\b", r"^bonsoir\b", r"^madame\b", r"^monsieur\b", r"^ch[eè]re?s?\b"),
        "da": (r"^hej\b", r"^kære\b", r"^goddag\b", r"^god morgen\b"),
        "nl": (
            r"^goedendag\b", r"^goedemorgen\b", r"^goedemiddag\b", r"^beste\b", r"^geachte\b",
            r"^hallo\b",
        ),
    }.items()
}
SIGNOFF_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    lang: tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)
    for lang, patterns in {
        "en": (
            r"^((best|kind|warm|warmest)\s+)?regards\b", r"^(many\s+)?thanks\b", r"^thank you\b",
            r"^yours (sincerely|faithfully|truly)\b", r"^(sincerely|cheers)\b", r"^best( wishes)?\s*,?$",
        ),
        "de": (
            r"^mit (freundlichen|besten|herzlichen) gr(ü|ue|u)(ß|ss)(en)?\b",
            r"^(viele|beste|liebe|herzliche) gr(ü|ue|u)(ß|ss)e\b", r"^mfg\b", r"^vg\b",
            r"^gru(ß|ss)\b", r"^danke\b",
        ),
        "fr": (
            r"^(bien )?cordialement\b", r"^bien (à|a) vous\b", r"^(meilleures|sinc[eè]res) salutations\b",
            r"^salutations\b", r"^merci\b", r"^veuillez agr[ée]er\b",
        ),
        "da": (
            r"^(med )?venlig(st)? hilsen\b", r"^mvh\b", r"^(de )?bedste hilsner\b", r"^hilsen\b",
            r"^tak\b",
        ),
        "nl": (
            r"^met vriendelijke groet(en)?\b", r"^(vriendelijke |hartelijke )?groet(en|jes)?\b",
            r"^mvg\b", r"^bedankt\b", r"^dank( u| je)?( wel)?\b",
        ),
    }.items()
}


def _any_of(table: dict[str, tuple[re.Pattern[str], ...]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p.pattern})" for patterns in table.values() for p in patterns), re.I)


_ANY_GREETING = _any_of(GREETING_PATTERNS)
_ANY_SIGNOFF = _any_of(SIGNOFF_PATTERNS)


def is_greeting(line: str) -> bool:
    """True when ``line`` opens like a salutation in one of the five languages."""
    return _ANY_GREETING.search(line.strip()) is not None


def is_signoff(line: str) -> bool:
    """True when ``line`` reads like a closing formula ("Mit freundlichen Grüßen", "Mvh")."""
    return _ANY_SIGNOFF.search(line.strip()) is not None


#: Words that suggest a document is an order (weigh, do not decide, with them).
ORDER_CONTEXT_WORDS = (
    "order", "purchase order", "po", "please supply", "please deliver", "please send",
    "we would like to order", "bestellung", "bestellen", "bestellnummer", "auftrag",
    "bitte liefern", "commande", "commander", "bon de commande", "merci de livrer",
    "veuillez livrer", "bestilling", "bestille", "ordre", "indkøbsordre", "venligst lever",
    "bestelling", "inkooporder", "graag leveren", "gelieve te leveren",
)
#: Words that suggest a document is not an order: invoices, statements, newsletters,
#: auto-replies, delivery notes, quotations.
NON_ORDER_WORDS = (
    "invoice", "rechnung", "facture", "faktura", "factuur", "credit note", "gutschrift",
    "avoir", "kreditnota", "creditnota", "newsletter", "unsubscribe", "abmelden",
    "abbestellen", "désabonner", "se désinscrire", "afmeld", "afmelden", "uitschrijven",
    "out of office", "abwesenheitsnotiz", "automatic reply", "auto-reply", "autoreply",
    "automatische antwort", "réponse automatique", "automatisk svar", "fraværende",
    "automatisch antwoord", "afwezig", "trade confirmation", "statement", "kontoauszug",
    "relevé", "kontoudtog", "rekeningoverzicht", "remittance", "zahlungsavis",
    "avis de paiement", "betalingsadvis", "delivery note", "lieferschein", "bon de livraison",
    "følgeseddel", "pakbon", "quotation", "angebot", "devis", "tilbud", "offerte",
)

#: Labels of totals, tax and charge rows that end an item table.
TOTAL_WORDS = (
    "total", "subtotal", "sub-total", "grand total", "sum", "summe", "zwischensumme", "gesamt",
    "gesamtsumme", "endsumme", "gesamtbetrag", "sous-total", "total ht", "total ttc",
    "montant total", "i alt", "total i alt", "totaal", "subtotaal", "tax", "vat", "mwst",
    "ust", "umsatzsteuer", "mehrwertsteuer", "tva", "moms", "btw", "shipping", "freight",
    "fracht", "versand", "versandkosten", "porto", "fragt", "frais de port", "port",
    "verzendkosten", "handling", "discount", "rabatt", "remise", "rabat", "korting", "skonto",
)
_TOTAL_QUALIFIERS = frozenset(
    (
        "net", "netto", "gross", "brutto", "excl", "incl", "exkl", "inkl", "ex", "zzgl", "ht",
        "ttc", "hors", "taxe", "taxes", "amount", "betrag", "order", "grand", "line", "lines",
        "items", "sub", "i", "alt", "de", "du", "la", "le", "des", "et", "and", "und", "og", "en",
        "costs", "cost", "charge", "charges", "kosten", "fee", "fees", "port", "livraison",
        "levering", "verpackung", "packing", "&", "total", "sum", "summe", "eur", "usd", "gbp",
        "chf", "dkk", "sek", "nok"
    )
)
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
