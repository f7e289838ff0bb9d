"""Postal addresses as people write them: address lines in, an ``AddressDraft`` out.

``parse_address_lines`` reads a block of address lines ("Acme Lager", "Industriestr. 4",
"80331 München", "Germany") or one line with the parts separated by commas ("Acme
Lager, Industriestr. 4, 80331 München, Germany") into name, street, postal code, city
and country. It knows the postal formats of the countries OrderDesk's customers write
from:

* four or five digits before the city (DE, AT, CH, FR, BE, DK, NO, LU …), optionally
  with a country prefix ("D-80331", "CH-8052", "DK-2600");
* the Dutch "1012 AB Amsterdam", the Swedish "114 55 Stockholm";
* British postcodes before or after the town ("SW1A 1AA London", "Leeds LS1 4AP");
* US "Redmond, WA 98052";
* six digits before the city (RU, BY, KZ, RO …: "109316 Moscow"), which imply no country;
* a postal code and its city in separate lines (sheet cells: "80331" then "München").

Country names in English, German, French, Danish and Dutch and ISO codes become ISO
3166 alpha-2 codes; a postal format or prefix that implies a country gives it at a
lower confidence. Nothing is looked up in master data.

Positions decide the rest: the line before the postal line is the street when it
looks like one (a house number or a street word), the lines before the street are the
name. Every part read is 1.0 when street, postal code and city were all found and no
line was left over, 0.6 otherwise, so a caller never acts on half an address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from integrations.parsers.draft import AddressDraft, Evidence, Read, read
from integrations.parsers.vocabulary import fold, has_legal_form

COMPLETE = 1.0
PARTIAL = 0.6
PREFIX_CONFIDENCE = 0.9

#: ISO 3166 alpha-2 code -> country names in en, de, fr, da and nl (and the local name).
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "DE": ("germany", "deutschland", "allemagne", "tyskland", "duitsland", "bundesrepublik deutschland"),
    "AT": ("austria", "österreich", "autriche", "østrig", "oostenrijk"),
    "CH": ("switzerland", "schweiz", "suisse", "svizzera", "zwitserland"),
    "LI": ("liechtenstein",),
    "FR": ("france", "frankreich", "frankrig", "frankrijk"),
    "MC": ("monaco",),
    "BE": ("belgium", "belgien", "belgique", "belgië"),
    "NL": ("netherlands", "the netherlands", "niederlande", "pays-bas", "nederland", "holland",
           "nederlandene"),
    "LU": ("luxembourg", "luxemburg"),
    "DK": ("denmark", "dänemark", "danemark", "danmark", "denemarken"),
    "SE": ("sweden", "schweden", "suède", "sverige", "zweden"),
    "NO": ("norway", "norwegen", "norvège", "norge", "noorwegen"),
    "FI": ("finland", "finnland", "finlande", "suomi"),
    "IS": ("iceland", "island", "islande", "ijsland"),
    "GB": ("united kingdom", "uk", "u.k.", "great britain", "england", "scotland", "wales",
           "northern ireland", "vereinigtes königreich", "großbritannien", "grossbritannien",
           "royaume-uni", "grande-bretagne", "storbritannien", "det forenede kongerige",
           "verenigd koninkrijk", "groot-brittannië"),
    "IE": ("ireland", "irland", "irlande", "ierland"),
    "US": ("united states", "united states of america", "usa", "u.s.a.", "vereinigte staaten",
           "états-unis", "forenede stater", "amerikas forenede stater", "verenigde staten"),
    "CA": ("canada", "kanada"),
    "IT": ("italy", "italien", "italie", "italië", "italia"),
    "ES": ("spain", "spanien", "espagne", "spanje", "españa"),
    "PT": ("portugal",),
    "PL": ("poland", "polen", "pologne", "polska"),
    "CZ": ("czech republic", "czechia", "tschechien", "république tchèque", "tjekkiet", "tsjechië"),
    "SK": ("slovakia", "slowakei", "slovaquie", "slovakiet", "slowakije"),
    "HU": ("hungary", "ungarn", "hongrie", "hongarije"),
    "SI": ("slovenia", "slowenien", "slovénie", "slovenien", "slovenië"),
    "HR": ("croatia", "kroatien", "croatie", "kroatië"),
    "RO": ("romania", "rumänien", "roumanie", "rumænien", "roemenië"),
    "BG": ("bulgaria", "bulgarien", "bulgarie", "bulgarije"),
    "GR": ("greece", "griechenland", "grèce", "grækenland", "griekenland"),
    "EE": ("estonia", "estland", "estonie"),
    "LV": ("latvia", "lettland", "lettonie", "letland"),
    "LT": ("lithuania", "litauen", "lituanie", "litouwen"),
    "TR": ("turkey", "türkei", "turquie", "tyrkiet", "turkije", "türkiye"),
    "BY": ("belarus", "weißrussland", "biélorussie", "hviderusland", "wit-rusland"),
    "UA": ("ukraine", "oekraïne"),
    "RU": ("russia", "russland", "russie", "rusland"),
    "CN": ("china", "chine", "kina"),
    "JP": ("japan", "japon"),
    "AE": ("united arab emirates", "uae", "vereinigte arabische emirate", "émirats arabes unis",
           "forenede arabiske emirater", "verenigde arabische emiraten"),
    "AU": ("australia", "australien", "australie", "australië"),
    "NZ": ("new zealand", "neuseeland", "nouvelle-zélande", "nieuw-zeeland"),
    "HK": ("hong kong", "hongkong"),
    "TW": ("taiwan", "taïwan"),
    "KR": ("south korea", "korea", "republic of korea", "südkorea", "corée du sud", "sydkorea", "zuid-korea"),
    "KP": ("north korea", "nordkorea", "corée du nord", "noord-korea"),
    "SG": ("singapore", "singapur", "singapour"),
    "IN": ("india", "indien", "inde"),
    "TH": ("thailand", "thaïlande"),
    "VN": ("vietnam", "viet nam", "viêt nam"),
    "MY": ("malaysia", "malaisie", "maleisië"),
    "ID": ("indonesia", "indonesien", "indonésie", "indonesië"),
    "MM": ("myanmar", "burma", "birma", "birmanie"),
    "IR": ("iran", "islamic republic of iran", "irán"),
    "IQ": ("iraq", "irak"),
    "SY": ("syria", "syrien", "syrie", "syrië"),
    "LB": ("lebanon", "libanon", "liban"),
    "IL": ("israel", "israël"),
    "SA": ("saudi arabia", "saudi-arabien", "arabie saoudite", "saudi-arabië"),
    "QA": ("qatar", "katar"),
    "OM": ("oman",),
    "KW": ("kuwait", "koweït", "koeweit"),
    "EG": ("egypt", "ägypten", "égypte", "egypten", "egypte"),
    "MA": ("morocco", "marokko", "maroc"),
    "TN": ("tunisia", "tunesien", "tunisie", "tunesië"),
    "DZ": ("algeria", "algerien", "algérie", "algeriet", "algerije"),
    "ZA": ("south africa", "südafrika", "afrique du sud", "sydafrika", "zuid-afrika"),
    "NG": ("nigeria", "nigéria"),
    "KZ": ("kazakhstan", "kasachstan", "kasakhstan", "kazachstan"),
    "KG": ("kyrgyzstan", "kirgisistan", "kirghizistan", "kirgizië"),
    "UZ": ("uzbekistan", "usbekistan", "ouzbékistan", "oezbekistan"),
    "AM": ("armenia", "armenien", "arménie", "armenië"),
    # Not "Georgia": in "Atlanta, Georgia" it is the US state.
    "GE": ("georgien", "géorgie", "georgië"),
    "AZ": ("azerbaijan", "aserbaidschan", "azerbaïdjan", "aserbajdsjan", "azerbeidzjan"),
    "MD": ("moldova", "moldau", "moldavie", "moldavien", "moldavië"),
    "RS": ("serbia", "serbien", "serbie", "servië"),
    "BA": ("bosnia and herzegovina", "bosnien und herzegowina", "bosnie-herzégovine"),
    "ME": ("montenegro", "monténégro"),
    "MK": ("north macedonia", "nordmazedonien", "macédoine du nord", "nordmakedonien", "noord-macedonië"),
    "AL": ("albania", "albanien", "albanie", "albanië"),
    "CY": ("cyprus", "zypern", "chypre", "cypern"),
    "MT": ("malta", "malte"),
    "MX": ("mexico", "mexiko", "mexique"),
    "BR": ("brazil", "brasilien", "brésil", "brazilië"),
    "AR": ("argentina", "argentinien", "argentine", "argentinië"),
    "CL": ("chile", "chili"),
    "CO": ("colombia", "kolumbien", "colombie"),
    "VE": ("venezuela",),
    "CU": ("cuba", "kuba"),
}  # fmt: skip
_COUNTRY_INDEX = {fold(name).strip(" ."): code for code, names in COUNTRY_NAMES.items() for name in names}
_ISO_CODES = frozenset(re.findall(
    r"[A-Z]{2}",
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
    "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW "
    "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY "
    "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV "
    "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG "
    "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM "
    "ZW",
))
_ALPHA3 = {
    "DEU": "DE", "AUT": "AT", "CHE": "CH", "FRA": "FR", "BEL": "BE", "NLD": "NL", "LUX": "LU",
    "DNK": "DK", "SWE": "SE", "NOR": "NO", "FIN": "FI", "GBR": "GB", "IRL": "IE", "USA": "US",
    "CAN": "CA", "ITA": "IT", "ESP": "ES", "PRT": "PT", "POL": "PL", "CZE": "CZ",
}  # fmt: skip
#: Country prefixes written before a postal code ("D-80331", "CH-8052", "DK-2600").
_POSTAL_PREFIXES = {
    "D": "DE", "A": "AT", "F": "FR", "B": "BE", "L": "LU", "S": "SE", "N": "NO", "I": "IT", "E": "ES",
    "P": "PT", "FIN": "FI", "SF": "FI", "DK": "DK", "CH": "CH", "NL": "NL", "PL": "PL", "CZ": "CZ",
    "DE": "DE", "AT": "AT", "FR": "FR", "BE": "BE", "LU": "LU", "SE": "SE", "NO": "NO", "FI": "FI",
    "IT": "IT", "ES": "ES", "PT": "PT", "LI": "LI", "FL": "LI", "MC": "MC", "SK": "SK", "GR": "GR",
}  # fmt: skip
#: US state codes, for "Redmond, WA 98052".
US_STATES = frozenset(re.findall(
    r"[A-Z]{2}",
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR",
))

_CITY = r"(?P<city>(?:'s-)?[^\W\d_][^\d,;|]{0,48}?)"
_GB_POSTCODE = r"[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][A-Z]{2}"
_NL_POSTCODE = r"[1-9][0-9]{3}\s?(?!SA|SD|SS)[A-Z]{2}"
_PREFIX = r"(?:(?P<prefix>[A-Z]{1,3})\s?-\s?)?"
# Without a hyphen only a known prefix, in capitals: "CH 8052 Zürich", not "Am 12345".
_SPACED_PREFIX = "(?P<prefix>" + "|".join(sorted(_POSTAL_PREFIXES, key=len, reverse=True)) + r")\s"
_3_2 = r"(?P<postal>[0-9]{3}\s[0-9]{2})"


@dataclass(frozen=True)
class _Format:
    country: str  # the country the format implies; "" when it implies none
    confidence: float  # of that country
    pattern: re.Pattern[str]


#: Postal code and city on one line; the first that matches wins.
_POSTAL_CITY = (
    _Format("US", 0.8, re.compile(
        r"^(?P<city>[^\d,;|]+?),?\s+(?P<state>[A-Z]{2})\.?\s+(?P<postal>[0-9]{5}(?:-[0-9]{4})?)$")),
    _Format("GB", 0.7, re.compile(rf"^(?P<postal>{_GB_POSTCODE})\s+{_CITY}$")),
    _Format("GB", 0.7, re.compile(rf"^{_CITY},?\s+(?P<postal>{_GB_POSTCODE})$")),
    _Format("NL", 0.7, re.compile(rf"^(?:NL\s?-\s?)?(?P<postal>{_NL_POSTCODE})\s+{_CITY}$")),
    _Format("SE", 0.6, re.compile(rf"^{_PREFIX}{_3_2}\s+{_CITY}$")),
    # Czech, Slovak and Greek codes look Swedish; their cities carry a district: "110 00 Praha 1".
    _Format("", 0.0, re.compile(rf"^{_PREFIX}{_3_2}\s+(?P<city>[^\W\d_][^\d,;|]{{0,48}}?\s[0-9]{{1,2}})$")),
    _Format("", 0.0, re.compile(
        rf"^{_PREFIX}(?P<postal>[0-9]{{4,5}})\s+{_CITY}(?:\s+cedex(?:\s+[0-9]{{1,2}})?)?$", re.IGNORECASE)),
    _Format("", 0.0, re.compile(rf"^{_SPACED_PREFIX}(?P<postal>[0-9]{{4,5}})\s+{_CITY}$")),
    # Six digits (RU, BY, KZ, RO …): where a forwarder or a consignee abroad is written.
    _Format("", 0.0, re.compile(rf"^(?P<postal>[0-9]{{6}})\s+{_CITY}$")),
)
#: A postal code on a line of its own (a sheet cell); its city is the line next to it.
_POSTAL_ONLY = (
    _Format("GB", 0.7, re.compile(rf"^(?P<postal>{_GB_POSTCODE})$")),
    _Format("NL", 0.7, re.compile(rf"^(?P<postal>{_NL_POSTCODE})$")),
    _Format("CA", 0.7, re.compile(r"^(?P<postal>[A-Z][0-9][A-Z]\s?[0-9][A-Z][0-9])$")),
    _Format("SE", 0.6, re.compile(r"^(?P<postal>[0-9]{3}\s[0-9]{2})$")),
    _Format("", 0.0, re.compile(r"^(?:(?P<prefix>[A-Z]{1,3})\s?-\s?)?(?P<postal>[0-9]{4,5})$")),
    _Format("", 0.0, re.compile(r"^(?P<postal>[0-9]{6})$")),
)
_US_STATE_ZIP = re.compile(r"^(?P<state>[A-Z]{2})\.?\s+[0-9]{5}(?:-[0-9]{4})?$")
_CITY_ONLY = re.compile(r"^(?:'s-)?[^\W\d_][^\d,;|@]{1,48}$")

_STREET_SUFFIXES = (
    "strasse", "straße", "str.", "str", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer",
    "chaussee", "markt", "steig", "pfad", "vej", "gade", "stræde", "torv", "vænge", "straat", "laan",
    "plein", "gracht", "kade", "dreef", "singel", "gatan", "gata", "vägen", "väg", "park",
)
_STREET_WORDS = (
    "rue", "avenue", "av", "av.", "boulevard", "bd", "bd.", "chemin", "place", "impasse", "quai",
    "route", "allée", "cours", "road", "rd", "rd.", "street", "st", "st.", "lane", "ln", "drive",
    "dr", "dr.", "way", "court", "ct", "square", "close", "crescent", "terrace", "parkway", "pkwy",
    "highway", "hwy", "blvd", "blvd.", "am", "an der", "auf der", "im", "zum", "zur",
    "postfach", "po box", "p.o. box", "box", "boîte postale", "bp", "case postale", "postboks",
    "postbus",
)
_STREET_WORD = re.compile(
    r"(?:^|\s)(?:" + "|".join(re.escape(w) for w in sorted(_STREET_WORDS, key=len, reverse=True))
    + r")(?=\s|$)|[\w-](?:" + "|".join(re.escape(s) for s in _STREET_SUFFIXES) + r")(?=\s|$|\d)"
)
_HOUSE_NUMBER = re.compile(
    r"^[0-9]{1,5}\s?[a-z]?(?:\s?[-/]\s?[0-9]{1,5}[a-z]?)?,?\s+[^\W\d_]"
    r"|[^\W\d_]\.?\s*[0-9]{1,5}\s?[a-z]?(?:\s?[-/]\s?[0-9]{1,5}\s?[a-z]?)?$"
)
# A city that names a street is a house number and a street: "9288 W Fulton St".
_STREET_END = re.compile(
    r"(?:\b(?:st|street|rd|road|ave|avenue|blvd|boulevard|lane|ln|drive|dr|way|highway|hwy|pkwy|parkway)"
    r"\.?|straße|strasse|str\.|straat|gade|vej|allee|laan)\s*$",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"^(?:(?:phone|tel|telefon|téléphone|tlf|fax|telefax|mobil|mobile|gsm|e-?mail|courriel|web"
    r"|website|internet|www)\b.*|(?:\+|00|\(?0)[0-9][0-9\s./()-]{6,}|\S+@\S+|www\.\S+|https?://\S+)$",
    re.IGNORECASE,
)
_ATTENTION = re.compile(
    r"^\s*(?:attn|attention|att|z\.?\s?hd\.?|zu händen|zhd|à l'attention de|a l'attention de"
    r"|t\.?a\.?v\.?|ter attentie van|att\.?|c/o)\b\.?:?",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:;|(?<![0-9]),|,(?![0-9]))\s*|\s+[|•·]\s+|\s*\n\s*")


@dataclass(frozen=True)
class PostalCity:
    """A postal code and its city, and the country their format or prefix implies."""

    postal_code: str
    city: str
    country: str  # "" when the format implies none
    country_confidence: float


@dataclass(frozen=True)
class _Part:
    line: int  # index of the line it came from
    text: str


# ------------------------------------------------------------------------ public helpers


def country_code(text: str) -> str | None:
    """ISO alpha-2 code for a country name (five languages) or an ISO code, or None.

    Codes count only in capitals ("DE", "DEU"): "de" is a French word.
    """
    if not isinstance(text, str):
        return None
    stripped = text.strip().strip(",;")
    if stripped in _ISO_CODES:
        return stripped
    if stripped in _ALPHA3:
        return _ALPHA3[stripped]
    return _COUNTRY_INDEX.get(fold(stripped).strip(" ."))


def postal_city(text: str) -> PostalCity | None:
    """Postal code and city of one line ("80331 München", "Leeds LS1 4AP"), or None."""
    if not isinstance(text, str) or len(text) > 80:
        return None
    stripped = text.strip().strip(",;")
    if _postal_only(stripped) is not None:
        return None  # "1012 AB" is a Dutch postal code, not 1012 in the town of AB
    for fmt in _POSTAL_CITY:
        found = fmt.pattern.match(stripped)
        if found and _city_fits(found.group("city")) and _state_ok(found):
            country, confidence = _implied_country(fmt, found)
            return PostalCity(_postal(found), found.group("city").strip(" ,"), country, confidence)
    return None


def is_postal_code(text: str) -> bool:
    """True for a postal code on its own ("80331", "1012 AB", "SW1A 1AA", "114 55")."""
    return isinstance(text, str) and _postal_only(text.strip()) is not None


def is_street(text: str) -> bool:
    """A street with house number ("Hauptstr. 5", "139 Mill Lane") or a street word."""
    if not isinstance(text, str) or not text.strip() or len(text) > 80:
        return False
    key = fold(text)
    if is_postal_code(text):
        return False
    if _STREET_WORD.search(key):
        return True
    return bool(_HOUSE_NUMBER.search(key)) and postal_city(text) is None


def split_address_line(text: str) -> list[str]:
    """The parts of a one-line address: split at commas, semicolons, bars and line breaks.

    A comma between digits ("5,7") is no separator.
    """
    return [part for part in _SPLIT.split(text.strip()) if part and part.strip(" ,;")]


# ---------------------------------------------------------------------------- the parser


def parse_address_lines(
    lines: Sequence[str], *, evidence: Callable[[int], Evidence] | None = None
) -> AddressDraft:
    """Name, street, postal code, city and country of an address block; see the module doc.

    ``evidence(i)`` gives the evidence of ``lines[i]`` (default: the line's text).
    Contact lines (phone, e-mail, web) and attention lines ("Attn: J. Smith") are
    skipped. An empty block gives an empty draft.
    """
    return parse_address_block(lines, evidence=evidence).address


@dataclass(frozen=True)
class AddressBlock:
    """An address block as read: the draft, and the lines holding text no part took."""

    address: AddressDraft
    #: Indexes of lines with a piece that is no name, street, postal code, city or
    #: country ("Hintereingang", "Building 3"): it may be a delivery instruction.
    unplaced: tuple[int, ...]
    #: The country was written as a name or code, not implied by a postal format or prefix.
    country_written: bool = False


def parse_address_block(
    lines: Sequence[str], *, evidence: Callable[[int], Evidence] | None = None
) -> AddressBlock:
    """Like ``parse_address_lines``, and say which lines were not fully placed."""
    texts = [str(line).strip() for line in lines]
    where = evidence or (lambda index: Evidence(text=texts[index]))
    parts = _rejoin_us(_parts(texts))
    layout = _Layout.read(parts)
    unplaced = tuple(sorted({parts[index].line for index in layout.leftovers()}))
    return AddressBlock(layout.draft(where), unplaced, layout.country is not None)


def reads_without_postal_code(block: AddressBlock) -> bool:
    """A block with no postal code that is still a whole address: a name, a street, a city
    and the country written out ("… / Krasta iela 52 / Riga / Latvia"), nothing left over."""
    found = block.address
    return (block.country_written and not block.unplaced
            and all(part is not None for part in (found.name, found.street, found.city)))


def _parts(texts: list[str]) -> list[_Part]:
    parts = []
    for index, text in enumerate(texts):
        for piece in split_address_line(text):
            piece = piece.strip(" ,;")
            if piece and not _CONTACT.match(piece) and not _ATTENTION.match(piece):
                parts.append(_Part(index, piece))
    return parts


def _rejoin_us(parts: list[_Part]) -> list[_Part]:
    """"Redmond" + "WA 98052" read together as one US city line."""
    for index in range(1, len(parts)):
        found = _US_STATE_ZIP.match(parts[index].text)
        if found and found.group("state") in US_STATES and _CITY_ONLY.match(parts[index - 1].text):
            joined = _Part(parts[index - 1].line, f"{parts[index - 1].text}, {parts[index].text}")
            return [*parts[: index - 1], joined, *parts[index + 1 :]]
    return parts


@dataclass
class _Layout:
    """Which part is which: indexes into ``parts``."""

    parts: list[_Part]
    postal: tuple[int, int, PostalCity] | None = None  # (postal part, city part, reading)
    country: tuple[int, str, float] | None = None  # (part, code, confidence)
    street: int | None = None
    town: int | None = None  # the city when there is no postal line

    @classmethod
    def read(cls, parts: list[_Part]) -> _Layout:
        layout = cls(parts)
        layout.country = _find_country(parts)
        layout.postal = _find_postal(parts, layout.skip())
        layout.street = _find_street(parts, layout.postal, layout.skip())
        layout.town = layout._city_without_postal() if layout.postal is None else None
        return layout

    def skip(self) -> set[int]:
        taken = {self.country[0]} if self.country else set()
        if self.postal:
            taken |= {self.postal[0], self.postal[1]}
        return taken

    def street_parts(self) -> list[int]:
        """The street part, and the parts before it on its own line when the name has lines of
        its own: "Jebel Ali Free Zone, Warehouse 7" under a company name is one street."""
        if self.street is None:
            return []
        line = self.parts[self.street].line
        if line == self.parts[0].line:
            # One line without a postal code (where addresses describe the place): a company
            # name ends at its legal form ("Acme FZE, Jebel Ali Free Zone, Warehouse 7, Dubai"),
            # so what stands between it and the street is the street's. With a postal code a
            # part there names the site ("Acme GmbH, Werk 2, Hauptstr. 5, 80331 München").
            named = self.street > 1 and self.postal is None and has_legal_form(self.parts[0].text)
            first = 1 if named else self.street
            return [index for index in range(first, self.street + 1) if index not in self.skip()]
        return [index for index in range(self.street + 1)
                if self.parts[index].line == line and index not in self.skip()]

    def name_parts(self) -> list[int]:
        """The parts before the street (or the postal line); all of them when neither is known."""
        starts = self.street_parts()[:1]
        starts += [self.postal[0], self.postal[1]] if self.postal else []
        end = min(starts) if starts else len(self.parts)
        return [index for index in range(end) if index not in self.skip()]

    def leftovers(self) -> list[int]:
        used = self.skip() | set(self.name_parts()) | set(self.street_parts()) | {self.town}
        return [index for index in range(len(self.parts)) if index not in used]

    def complete(self) -> bool:
        return self.street is not None and self.postal is not None and not self.leftovers()

    def draft(self, where: Callable[[int], Evidence]) -> AddressDraft:
        sure = COMPLETE if self.complete() else PARTIAL
        address = AddressDraft()
        address.name = self._joined(self.name_parts(), where, sure)
        if self.street is not None:
            address.street = self._joined(self.street_parts(), where, sure)
        if self.postal is not None:
            address.postal_code = self._read(self.postal[0], self.postal[2].postal_code, where, sure)
            address.city = self._read(self.postal[1], self.postal[2].city, where, sure)
        elif self.town is not None:
            address.city = self._read(self.town, self.parts[self.town].text, where, PARTIAL)
        address.country = self._country(where)
        return address

    def _city_without_postal(self) -> int | None:
        """Without a postal code, a town right after the street is probably the city."""
        after = (self.street + 1) if self.street is not None else None
        if after is None or after >= len(self.parts) or after in self.skip():
            return None
        return after if _CITY_ONLY.match(self.parts[after].text) else None

    def _country(self, where: Callable[[int], Evidence]) -> Read[str] | None:
        if self.country is not None:
            index, code, confidence = self.country
            return self._read(index, code, where, confidence)
        if self.postal is not None and self.postal[2].country:
            reading = self.postal[2]
            return self._read(self.postal[0], reading.country, where, reading.country_confidence)
        return None

    def _read(self, index: int, value: str, where: Callable[[int], Evidence], sure: float) -> Read[str]:
        return read(value, where(self.parts[index].line), sure)

    def _joined(self, indexes: list[int], where: Callable[[int], Evidence], sure: float) -> Read[str] | None:
        if not indexes:
            return None
        text = self.parts[indexes[0]].text
        for before, index in zip(indexes, indexes[1:], strict=False):
            same_line = self.parts[before].line == self.parts[index].line
            text += (", " if same_line else " ") + self.parts[index].text
        return read(text, where(self.parts[indexes[0]].line), sure)


def _find_country(parts: list[_Part]) -> tuple[int, str, float] | None:
    """The last part, or a part after a postal line, that is only a country name or code."""
    for index in range(len(parts) - 1, 0, -1):
        code = country_code(parts[index].text)
        after_postal = any(postal_city(p.text) or is_postal_code(p.text) for p in parts[:index])
        if code and (index == len(parts) - 1 or after_postal):
            return index, code, COMPLETE
    return None


def _find_postal(parts: list[_Part], skip: set[int]) -> tuple[int, int, PostalCity] | None:
    """The last line with a postal code: postal code and city together, or side by side."""
    for index in range(len(parts) - 1, -1, -1):
        if index in skip:
            continue
        alone = _postal_only(parts[index].text)
        city = _neighbour_city(parts, index, skip) if alone else None
        if alone and city is not None:
            postal, country, confidence = alone
            return index, city, PostalCity(postal, parts[city].text, country, confidence)
        if not alone and (reading := _with_trailing_country(parts[index].text)):
            return index, index, reading
    return None


def _with_trailing_country(text: str) -> PostalCity | None:
    """"80331 München Germany": the country written after the city without a comma."""
    reading = postal_city(text)
    if reading is None:
        return None
    words = reading.city.split()
    for size in (3, 2, 1):
        if len(words) > size and (code := country_code(" ".join(words[-size:]))):
            return PostalCity(reading.postal_code, " ".join(words[:-size]), code, COMPLETE)
    return reading


def _neighbour_city(parts: list[_Part], index: int, skip: set[int]) -> int | None:
    for neighbour in (index + 1, index - 1):
        if 0 < neighbour < len(parts) and neighbour not in skip and _is_city(parts[neighbour].text):
            return neighbour
    return None


def _is_city(text: str) -> bool:
    plain = bool(_CITY_ONLY.match(text)) and _plausible_city(text)
    return plain and country_code(text) is None and not is_street(text)


def _find_street(
    parts: list[_Part], postal: tuple[int, int, PostalCity] | None, skip: set[int]
) -> int | None:
    """The street: a street-like part before the postal line, one with a street word first."""
    end = min(postal[0], postal[1]) if postal else len(parts)
    candidates = [index for index in range(end) if index not in skip and is_street(parts[index].text)]
    worded = [index for index in candidates if _STREET_WORD.search(fold(parts[index].text))]
    chosen = worded or candidates
    return chosen[-1] if chosen else None


def _postal_only(text: str) -> tuple[str, str, float] | None:
    for fmt in _POSTAL_ONLY:
        found = fmt.pattern.match(text.strip())
        if found:
            return (_postal(found), *_implied_country(fmt, found))
    return None


def _postal(found: re.Match[str]) -> str:
    return found.group("postal").upper()


def _implied_country(fmt: _Format, found: re.Match[str]) -> tuple[str, float]:
    prefix = (found.groupdict().get("prefix") or "").upper()
    if prefix:
        code = _POSTAL_PREFIXES.get(prefix, "")
        return code, PREFIX_CONFIDENCE if code else 0.0
    return fmt.country, fmt.confidence


def _state_ok(found: re.Match[str]) -> bool:
    state = found.groupdict().get("state")
    return state is None or state in US_STATES


def _city_fits(text: str) -> bool:
    return _plausible_city(text) and not _STREET_END.search(text)


def _plausible_city(text: str) -> bool:
    words = text.split()
    letters = sum(ch.isalpha() for ch in text)
    return 0 < len(words) <= 5 and letters >= 2
