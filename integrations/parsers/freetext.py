"""Sentence accounting: which free text is explained, and which may be an instruction.

A person writing an order mixes the order with greetings, polite framing,
signatures and legal boilerplate, and sometimes with an instruction the order
fields cannot carry ("please deliver to our new warehouse instead"). Missing
such an instruction executes a wrong order, so the rule is inverted: a sentence
is harmless only when a rule positively explains it; everything else is
returned as unexplained (FREE_TEXT_INSTRUCTION) for a person to read.

All matching happens on folded text (``vocabulary.fold``: casefolded, accents
dropped, so "Grüße" is "grusse" and "på forhånd" is "pa forhand"; æ and ø stay).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from integrations.parsers.draft import Evidence
from integrations.parsers.instructions import instruction_cues, substantive_cues
from integrations.parsers.vocabulary import LEGAL_FORMS, SIGNOFF_PATTERNS, fold, is_greeting, is_signoff

_EVIDENCE_MAX = 300
#: Lines longer than this are prose (or junk), never a greeting, signature or address line.
_LONGEST_LINE = 300

# --- what makes text ask for something ---------------------------------------------------------

_SHORT_DATE = r"\b\d{1,2}[./]\d{1,2}\.?(?=\s|$)"
_DATE = (
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b|" + _SHORT_DATE +
    r"|\b\d{1,2}(?:st|nd|rd|th|er|e)?\.?\s+(?:of\s+)?(?:jan|feb|mar|apr|ma[iyj]|mei|jun|jul|aug|sep|o[ck]t"
    r"|nov|de[cz]|janv|fev|avr|juin|juil|aout|mrt|maart|marts|marz|maerz)\w*"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
)
_WEEK = r"\b(?:kw|cw|wk|week|woche|semaine|sem|uge|calendar week|kalenderwoche)\.?\s*\d{1,2}\b"
_RELATIVE_DAY = (
    r"\b(?:today|tomorrow|tonight|heute|morgen|ubermorgen|aujourd'hui|demain|i dag|i morgen|vandaag"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag"
    r"|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|mandag|tirsdag"
    r"|onsdag|torsdag|fredag|lørdag|søndag|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
    r"|next week|nachste woche|semaine prochaine|naeste uge|næste uge|volgende week|end of (?:the )?month"
    r"|monatsende|fin du mois|ultimo)\b"
)
#: Words that change what an order means: replacements, urgency, splits, calls,
#: changes, cancellations, negations. Their presence keeps a line from being
#: waved through as a greeting, a signature or boilerplate.
_INSTRUCTION_WORDS = (
    r"\b(?:instead|rather than|stattdessen|statt|anstatt|anstelle|au lieu|plutot|i stedet|istedet"
    r"|in plaats van|urgent\w*|asap|a\.s\.a\.p|dringend\w*|eilig\w*|eilt|sofort\w*|umgehend\w*"
    r"|schnellstmoglich\w*|schnellstens|urgence|au plus vite|des que possible|immediatement|haster"
    r"|hurtigst\w*|snarest|straks|omgaande|spoed\w*|zo snel mogelijk|zsm|express|split\w*|partial\w*"
    r"|teillieferung\w*|aufteil\w*|getrennt\w*|separat\w*|fractionn\w*|partiel\w*|delvis\w*"
    r"|dellever\w*|opdel\w*|opsplit\w*|deellever\w*|gedeeltelijk\w*|gesplitst|call|phone me|anruf\w*"
    r"|rufen|telefonisch\w*|appelez|appeler|rappeler|ring(?:e|er)? (?:til|mig|os)|bel (?:me|ons)"
    r"|chang\w*|amend\w*|modif\w*|cancel\w*|stornier\w*|storno|anderung\w*|andern|geandert|annul\w*"
    r"|ændr\w*|annuller\w*|wijzig\w*|annuleer\w*|aanpass\w*|not|don't|do not|nicht|kein\w*|ne pas"
    r"|no(?= [a-z])|nein|non|nej|nee|without|ohne|sans|uden|zonder"
    r"|n'est pas|ikke|niet|geen|only|nur|seulement|kun|alleen|except|ausser|sauf|undtagen|behalve"
    r"|deliver\w*|ship(?:ped|ment|ments)?|liefer(?:n|t|e|ung|ungen|termin|datum)?|anliefer\w*|livr\w*"
    r"|lever(?:e|er|es|et|ing|en|t)?|afleveren|send(?:e|en|er|es|et|t)?|schick\w*|envoy\w*|stuur\w*"
    r"|zend\w*"
    r"|please|pls|plz|kindly|bitte|merci de|veuillez|pourriez|pouvez|venligst|graag|gelieve|could you"
    r"|can you|would you|konnen sie|konnten sie|wurden sie|kan i|kan du|kunne i|kunt u|wilt u|can we"
    r"|could we|konnen wir|konnten wir|pouvons-nous|pourrions-nous|kan vi|kunne vi|kunnen we|kunnen wij"
    r"|is it possible|ist es moglich|est-il possible|er det muligt|is het mogelijk|earlier|later|fruher"
    r"|spater|plus tot|plus tard|tidligere|senere|eerder"
    r"|p\.?s\.?|n\.?b\.?|note|hinweis|achtung|attention|important|wichtig|remarque|bemærk|vigtigt"
    r"|let op|belangrijk)\b"
)
_ASKS = re.compile(rf"\?|{_INSTRUCTION_WORDS}|{_DATE}|{_WEEK}|{_RELATIVE_DAY}")
#: The subset that overrides a disclaimer paragraph (disclaimers say "please notify").
_OVERRIDES_BOILERPLATE = re.compile(
    rf"\?|\b(?:instead|stattdessen|au lieu|i stedet|in plaats van|urgent\w*|asap|dringend\w*"
    rf"|split\w*|teillieferung\w*|aufteil\w*)\b|{_DATE}|{_WEEK}"
)


#: Words that name a variant in a product description ("mask without valve", "ohne Ventil",
#: "non-slip") rather than ask for something.
_PRIVATIVE = "|non|nej|nee|without|ohne|sans|uden|zonder"

#: In a product description "8.8" (a bolt grade) or "2.5 mm" is no date; "am 3.12" still is.
_DESCRIPTION_ASKS = re.compile(
    _ASKS.pattern.replace(_SHORT_DATE, r"(?!)").replace(_PRIVATIVE, "|nein")
    + r"|\b(?:am|on|by|bis|until|till|vor|before|avant|le|au|den|til|inden|senest|op|voor|tot|uiterlijk|ab"
      r"|from|fra|vanaf|zum|per|for)\s+" + _SHORT_DATE
)


def asks_something(text: str, *, description: bool = False) -> bool:
    """True when ``text`` holds a question, a request word, a date or a change word.

    ``description``: the text describes a product, where a short number like "8.8" is a
    date only after a word such as "am" or "by".
    """
    return bool((_DESCRIPTION_ASKS if description else _ASKS).search(fold(text)))


# --- lines that are harmless by their shape ---------------------------------------------------

_SEPARATOR_LINE = re.compile(r"^[\W_]*$")
_PHONE_LINE = re.compile(
    r"^(?:tel|tlf|telefon|telephone|phone|ph|fon|t|f|m|mob|mobile|mobil|cell|handy|fax|telefax|gsm"
    r"|portable|direct|direkt|dw|durchwahl|hotline|switchboard|zentrale)\b\.?\s*(?:\w+\.?\s*)?[:.]?\s*"
    r"[+(0-9]"
)
_BARE_PHONE = re.compile(r"^(?:\+|00|\(?0)\d[\d\s()/.\-–]{6,}$")
_WEB_LINE = re.compile(
    r"^(?:e-?mail|mail|email|web|www|internet|site|website|url|homepage|linkedin|twitter|facebook"
    r"|instagram|xing|youtube)\b|^(?:https?://|www\.)\S+$|^\S+@\S+\.\w+$"
)
_REGISTRATION = re.compile(
    r"\b(?:amtsgericht|registergericht|handelsregister|hrb|hra|ust-?id\w*|umsatzsteuer\w*|steuer-?nr\w*"
    r"|vat|tva|siret|siren|rcs|naf|ape|cvr|se-nr|kvk|btw|geschaftsfuhr\w*|vorstand|aufsichtsrat"
    r"|prokur\w*|managing director|directors?|ceo|registered (?:office|in|number)|company (?:no|number"
    r"|registration)|sitz der gesellschaft|iban|bic|swift|bank\w*|capital social|stammkapital"
    r"|directeur general|gerant|president|adm\. direktor|administrerende|direktion|statutair\w*"
    r"|handelsregisternummer|eori|duns|gln|ust|mwst-?nr)\b"
)
# Matched case-sensitively on the line as written: "AG", "SA" or "AS" in lower case are words.
_LEGAL_FORM = re.compile(
    r"(?<![\w&])(?:GmbH|gGmbH|AG|KG|OHG|UG|e\.K\.|GbR|mbH|Ltd\.?|Limited|LLC|Inc\.?|Corp\.?|PLC|plc|LLP|SA|SAS"
    r"|SARL|S\.A\.|S\.A\.S\.|EURL|SNC|BV|B\.V\.|NV|N\.V\.|VOF|BVBA|A/S|ApS|I/S|AB|Oy|AS|SpA|S\.p\.A\.|Srl"
    r"|S\.r\.l\.)(?![\w/])"
)
_STREET = re.compile(
    r"^[\w .'’-]*(?:str\.?|strasse|straße|weg|gasse|platz|allee|ring|damm|ufer|chaussee|markt|rue|avenue"
    r"|boulevard|bd|chemin|place|impasse|quai|route|vej|gade|alle|torv|straat|laan|plein|gracht|kade|gatan"
    r"|vagen|vägen|veien|gaten"
    r"|dreef|singel|road|rd|street|st|lane|ln|ave|drive|dr|way|park|court|square)\.?\s*\d+\s*\w?(?:[-/]\d+\w?)?,?"
    r"(?:\s+.{0,40})?$"
    r"|^\d+\w?,?\s+(?:rue|avenue|av\.?|bd|boulevard|chemin|place|route|impasse|allee|quai|road|street"
    r"|lane|drive|way)\b"
    r"|^\d+\w?,?\s+[\w .'’-]{2,30}\s(?:road|rd|street|st|lane|ln|avenue|ave|drive|dr|way|close|court|place"
    r"|square|crescent|terrace|gardens|park|row|hill)\.?$"
)
_POSTAL_CITY = re.compile(
    r"^(?:[a-z]{1,2}[- ])?(?:\d{4,5}|\d{3} \d{2})(?:\s?[a-z]{2})?\s+[^\W\d][\w .'’()-]{1,40}$"
    r"|^[^\W\d][\w .'’-]{1,40},?\s+(?:[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}|[a-z]{2}\s+\d{5}(?:-\d{4})?)$"
    r"|^(?:postfach|p\.?\s?o\.?\s?box|boite postale|bp|postboks|postbus)\s*\d+"
)
COUNTRY_NAMES: dict[str, str] = {
    "germany": "DE", "deutschland": "DE", "allemagne": "DE", "tyskland": "DE", "duitsland": "DE",
    "austria": "AT", "osterreich": "AT", "autriche": "AT", "østrig": "AT", "oostenrijk": "AT",
    "switzerland": "CH", "schweiz": "CH", "suisse": "CH", "zwitserland": "CH",
    "france": "FR", "frankreich": "FR", "frankrig": "FR", "frankrijk": "FR",
    "denmark": "DK", "danmark": "DK", "danemark": "DK", "dänemark": "DK", "denemarken": "DK",
    "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "niederlande": "NL",
    "pays-bas": "NL", "nederland": "NL", "holland (nl)": "NL",
    "belgium": "BE", "belgien": "BE", "belgique": "BE", "belgie": "BE",
    "luxembourg": "LU", "luxemburg": "LU", "sweden": "SE", "schweden": "SE", "suede": "SE",
    "sverige": "SE", "zweden": "SE", "norway": "NO", "norwegen": "NO", "norvege": "NO", "norge": "NO",
    "noorwegen": "NO", "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
    "grossbritannien": "GB", "royaume-uni": "GB", "storbritannien": "GB", "verenigd koninkrijk": "GB",
    "ireland": "IE", "irland": "IE", "irlande": "IE", "ierland": "IE", "spain": "ES", "spanien": "ES",
    "espagne": "ES", "spanje": "ES", "espana": "ES", "italy": "IT", "italien": "IT", "italie": "IT",
    "italie (it)": "IT", "italia": "IT", "poland": "PL", "polen": "PL", "pologne": "PL",
    "polska": "PL", "finland": "FI", "finnland": "FI", "finlande": "FI", "suomi": "FI",
    "usa": "US", "united states": "US", "vereinigte staaten": "US", "etats-unis": "US",
}


def country_code(text: str) -> str | None:
    """ISO code for a country name as written in one of the five languages, or None."""
    key = fold(text).strip(" .,")
    return COUNTRY_NAMES.get(key)


def is_signature_line(line: str) -> bool:
    """Phone, web, e-mail, street, postal-code, company or registration lines."""
    key = fold(line).strip()
    if not key or len(key) > _LONGEST_LINE or _ASKS_NOT_DATE.search(key):
        return False
    parts = [part for part in _SIGNATURE_SEPARATOR.split(line) if part.strip()]
    if len(parts) > 1:  # "ACME GmbH | Hafenstr. 1 | 20457 Hamburg"
        return _signature_parts(parts)
    if _PHONE_LINE.match(key) or _BARE_PHONE.match(key) or _WEB_LINE.match(key):
        return True
    if country_code(key) or _POSTAL_CITY.match(key) or _STREET.match(key):
        return True
    words = len(key.split())
    return bool(words <= 30 and _REGISTRATION.search(key) or words <= 8 and _LEGAL_FORM.search(line))


#: Parts of an address written on one line: "Manchester", "M17 0LF", "Columbus, 43219".
_PLACE_PART = re.compile(
    r"^(?:[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,2})?,?\s*"
    r"(?:[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}|\d{5}(?:-\d{4})?|\d{3} \d{2}|[a-z]{2}\s+\d{5}(?:-\d{4})?)?$"
)


def _signature_parts(parts: list[str]) -> bool:
    """Every part is a signature line, or a town or postcode next to a street or postcode part
    ("17 Trafford Park Road · Manchester · M17 0LF")."""
    known = [is_signature_line(part) for part in parts]
    if all(known):
        return True
    anchored = any(known)
    return anchored and all(ok or _is_place(part) for ok, part in zip(known, parts, strict=True))


def _is_place(part: str) -> bool:
    key = fold(part).strip()
    return bool(key) and bool(_PLACE_PART.match(key)) and not _ASKS_NOT_DATE.search(key)


_SIGNATURE_SEPARATOR = re.compile(r"\s+[|•·–]\s+|\s*\|\s*")


def is_street(line: str) -> bool:
    """A street and house number ("Hafenstr. 12", "12 Harbour Road", "5 rue de la Paix")."""
    return bool(_STREET.match(fold(line).strip()))


def is_contact_line(line: str) -> bool:
    """Phone, fax, web or e-mail lines: their digits are never quantities."""
    key = fold(line).strip()
    return bool(_PHONE_LINE.match(key) or _BARE_PHONE.match(key) or _WEB_LINE.match(key))


# A signature names people and companies; digits only appear in the patterns above.
_ASKS_NOT_DATE = re.compile(rf"\?|{_INSTRUCTION_WORDS}|{_WEEK}|{_RELATIVE_DAY}")

_NAME_WORDS = frozenset((
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "herr", "frau", "hr", "fr", "fru",
    "madame", "monsieur", "mme", "mlle", "m", "heer", "mevrouw", "dhr", "mevr", "team", "all",
    "everyone", "ladies", "gentlemen", "damen", "und", "herren", "and", "et", "og", "en", "zusammen",
    "tous", "à", "a", "alle", "allemaal", "allerseits", "colleagues", "kollegen", "collegues", "kolleger",
    "collega's", "de", "der", "van", "von", "le", "la", "den", "team", "or", "oder", "ou", "eller",
    "of", "sirs", "messieurs", "mesdames", "heren", "dames", "kære", "liebe", "lieber", "sehr",
    "geehrte", "geehrter", "geehrtes", "hello", "hi", "dear", "beste", "geachte", "hej", "hallo",
    "bonjour", "chere", "cher", "chers", "cheres", "goddag", "morning", "afternoon", "evening",
    "good", "guten", "tag", "morgen", "abend", "moin", "goedendag", "goedemorgen", "goedemiddag",
    "med", "jer", "dig", "allesammen", "iedereen", "tout", "monde", "everybody", "folks",
))


def _name_like(words: Iterable[str]) -> bool:
    """Words that address or name people: titles, or capitalised names."""
    return all(word.casefold().strip(".") in _NAME_WORDS or word[:1].isupper() for word in words)


def is_greeting_line(line: str) -> bool:
    """A salutation that says nothing else ("Dear Mr Smith,", "Sehr geehrte Damen und Herren,")."""
    words = re.findall(r"[^\W\d_][\w'’.-]*", line)
    return is_greeting(line) and len(words) <= 7 and _name_like(words) and not re.search(r"\d", line)


_SIGNOFF_TAIL = frozenset((
    "in", "advance", "again", "a", "lot", "very", "much", "so", "you", "all", "for", "now", "im",
    "voraus", "vorab", "und", "schone", "schon", "sehr", "d'avance", "par", "avance", "beaucoup",
    "pa", "forhand", "mange", "på", "forhånd", "alvast", "bij", "voorbaat", "wel", "je", "u",
    "from", "aus", "de", "fra", "van", "the", "team", "and", "og", "en", "et", "gruss", "grusse",
    "groet", "groeten", "hilsen", "salutations", "regards", "wishes", "best", "kind", "with",
    "beste", "vielen", "dank", "merci", "tak", "bedankt", "thanks", "thank",
    "bonne", "journee", "soiree", "semaine", "have", "nice", "good", "day", "weekend", "god", "dag",
    "fijne", "schonen", "tag", "freundliche", "grusse", "und",
))


#: Closing formulas the shared vocabulary does not list.
_MORE_SIGNOFFS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    r"^(?:freundliche|schone|schöne|sonnige|herzliche|liebe|beste|viele|gute)\s+gr(?:ü|ue|u)(?:ß|ss)e\b",
    r"^(?:lg|bg|vg|mfg)\b", r"^(?:en )?vous remerciant\b", r"^(?:bonne (?:journée|journee|soirée|soiree))\b",
    r"^(?:venlig|de bedste|mange) hilsne?r?\b",
    r"^(?:groetjes|vriendelijke groet(?:en)?|hartelijke groet(?:en)?)\b",
    r"^(?:all the best|best wishes|with best regards|regards)\b",
    # Thanks and greetings in one formula: "Vielen Dank und freundliche Grüße", "Thanks and best regards".
    r"^(?:vielen|besten|herzlichen) dank(?: im voraus| vorab)? (?:und|&) (?:mit )?"
    r"(?:freundliche[n]?|beste[n]?|viele[n]?|liebe[n]?|herzliche[n]?) gr(?:ü|ue|u)(?:ß|ss)(?:e|en)\b",
    r"^(?:many )?thanks(?: again| in advance)? (?:and|&) (?:kind|best|warm) regards\b",
    r"^merci (?:d'avance |encore )?et (?:bonne journée|bonne journee|cordialement|bien cordialement)\b",
    r"^(?:mange )?tak(?: på forhånd)? og (?:venlig hilsen|de bedste hilsner)\b",
    r"^(?:alvast )?bedankt en (?:met )?vriendelijke groet(?:en)?\b",
    # Only with a comma ("Thanks, Emma"): a bare "Thank you in advance." can sit mid-message.
    r"^(?:many thanks|thanks|thank you|vielen dank|danke|merci|mange tak|tak|bedankt|dank u|dank je)\b[^,]*,",
))


def _is_signoff(line: str) -> bool:
    return is_signoff(line) or any(pattern.search(line) for pattern in _MORE_SIGNOFFS)


def is_signoff_line(line: str) -> bool:
    """A closing formula, optionally with a name ("Best regards, John", "Mvh").

    Only short lines count, so "Thanks for the quote, please send …" is not one.
    """
    stripped = line.strip()
    if not _is_signoff(stripped) or _ASKS.search(fold(stripped)) or len(stripped) > 60:
        return False
    for pattern in (*(p for patterns in SIGNOFF_PATTERNS.values() for p in patterns), *_MORE_SIGNOFFS):
        stripped = pattern.sub("", stripped, count=1).strip()
    words = re.findall(r"[^\W\d_][\w'’.-]*", stripped)
    return len(words) <= 5 and all(fold(word) in _SIGNOFF_TAIL or word[:1].isupper() for word in words)


def is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


#: "On 12 Nov 2026, Jana Reuter <jana@example.com> wrote:": introduces quoted history.
_REPLY_HEADER = re.compile(
    r"^(?:on|am|le|den|op)\s[^?]{4,120}?\s(?:wrote|schrieb|a ecrit|skrev|schreef)"
    r"(?:\s+[^?:<>]{0,60}<[^<>\s]+@[^<>\s]+>)?\s*:?$"
)


def _is_reply_header(folded: str) -> bool:
    return bool(_REPLY_HEADER.match(folded)) and not re.search(_INSTRUCTION_WORDS, folded)


def _harmless_line(line: str, *, signature: bool) -> bool:
    stripped = line.strip()
    if is_quoted(stripped) or _SEPARATOR_LINE.match(stripped):
        return True
    if len(stripped) <= _LONGEST_LINE and _is_reply_header(fold(stripped)):
        return True
    if len(stripped) > _LONGEST_LINE:
        return False
    if is_greeting_line(stripped) or is_signoff_line(stripped) or is_signature_line(stripped):
        return True
    return signature and _signature_name_line(stripped)


def _signature_name_line(line: str) -> bool:
    # Names, job titles and departments: short, no digits, nothing that asks.
    words = line.split()
    return len(words) <= 7 and not re.search(r"\d", line) and not _ASKS.search(fold(line))


# --- sentences that are harmless by their words ----------------------------------------------

_BOILERPLATE = re.compile(
    r"confidential|privileged|intended recipient|addressee|received this (?:e-?mail|message|"
    r"communication) in error|in error,? please|unauthori[sz]ed|strictly (?:prohibited|forbidden)"
    r"|virus|think before you print|before printing|consider the environment|sent from my|sent from"
    r" outlook|get outlook for|vertraulich|rechtlich geschutzt|irrtumlich|falschlich|nicht der "
    r"(?:richtige|vorgesehene) (?:adressat|empfanger)|unbefugte|nicht gestattet|umwelt|von meinem \w+"
    r" gesendet|gesendet von|confidentiel|destinataire|par erreur|strictement interdit|environnement"
    r"|envoye de mon|envoye depuis|fortrolig|modtager|ved en fejl|fejlagtigt|sendt fra min|miljøet"
    r"|vertrouwelijk|geadresseerde|abusievelijk|per vergissing|verzonden (?:vanaf|met|van) mijn"
    r"|milieu|disclaimer|haftungsausschluss|avis de confidentialite|ansvarsfraskrivelse"
    # Mail-system banners on mail from outside the company.
    r"|(?:from|originated|comes) (?:from )?outside (?:of )?(?:the|your|our)"
    r" (?:organi[sz]ation|company|network)"
    r"|external (?:sender|e-?mail)|do not click (?:on )?links|unless you recogni[sz]e the sender"
    r"|ausserhalb (?:ihrer|unserer|der) organisation|externe[rn]? (?:absender|e-?mail)"
    r"|afkomstig van buiten (?:de|uw|onze) organisatie|^\W*\[(?:external|extern|externe?)\]"
    r"|be careful with links|do not reply|no-?reply|mailbox is not monitored"
    r"|nicht (?:auf diese e-?mail )?antworten"
    r"|ne pas repondre|wird nicht (?:uberwacht|gelesen)"
    # Notes a purchasing system prints on every order.
    r"|(?:valid|gultig|valable|gyldig|geldig|valido|valida|giltig|wazne|voimassa|platny)"
    r" (?:without|ohne|sans|uden|zonder|senza|sin|sem|utan|bez|ilman) (?:a )?"
    r"(?:signature|unterschrift|signatur|handtekening|firma|assinatura|underskrift|podpisu|allekirjoitusta)"
    r"|(?:generated|created) automatically|automatically generated|maschinell erstellt|automatisch erstellt"
)
_GREETING_HEAD = re.compile(r"^\W{0,5}((?:[^\W\d_][\w'’.-]{0,40}(?:\s+|(?=[,!:;]))){1,7}?)[,!:;]\s*")


def _strip_greeting(text: str) -> str:
    """Drop a leading salutation ("Hi John, …", "Sehr geehrte Frau Meier, …")."""
    found = _GREETING_HEAD.match(text)
    if not found or not is_greeting(found.group(1)) or not _name_like(found.group(1).split()):
        return text
    return text[found.end():]
_PO_REFERENCE = re.compile(
    r"\b(?:purchase order|order|po|p\.o\.|bestellung|bestellnummer|bestell-nr|auftrag|auftragsnummer"
    r"|commande|bon de commande|ordre|ordrenummer|ordrenr|bestilling|indkøbsordre|bestelling"
    r"|bestelnummer|inkooporder|ordernummer|ref|reference|referenz|referentie|our ref|unsere ref)"
    r"\.?\s*(?:no|nr|n°|no°|number|nummer|numero|num|#)?\.?\s*[:#]?\s*[a-z]{0,4}[-/]?\d[\w/.-]*"
)
_DATED = re.compile(rf"\b(?:dated|dated from|from|vom|du|af|van|d\.)\s+(?:{_DATE})")
_FRAMING = tuple(re.compile(pattern) for pattern in (
    r"^\W*(?:p\.? ?s\.?|n\.? ?b\.?)(?=\W)",  # a harmless postscript is still harmless
    # English
    r"\b(?:please )?(?:find|see) (?:attached|enclosed|below|herewith|hereby|attachment|the attachment)",
    r"\b(?:attached|enclosed|below|herewith) (?:please find|you will find|you find|is|are)",
    r"\b(?:we|i) (?:would like to|hereby|want to|wish to|kindly) (?:order|place (?:an|our|the|a|this) "
    r"order|purchase)",
    r"\bhereby (?:we|i) (?:order|place)", r"\b(?:we|i) (?:are|am) (?:sending|placing|ordering)( you)?",
    r"\b(?:here is|here's|this is|here are) (?:our|the|my|a)",
    r"\bvoici (?:notre|la|ma|nos)", r"\bhier (?:ist|sind|kommt|kommen) (?:unsere|die|meine)",
    r"\bher (?:er|kommer) (?:vores|den|min)", r"\bhier (?:is|zijn) (?:onze|de|mijn)",
    r"\bplease (?:deliver|send|supply|ship|provide)(?: us| me)? (?:the following|as follows|following)"
    r"(?: items| articles| products| goods| materials)?",
    r"^\W*(?:please|kindly) (?:deliver|send|supply|ship|provide)(?: us| me)?(?: the following)?\W*$",
    r"^\W*(?:bitte )?(?:liefern|senden|schicken) sie(?: uns)?(?: bitte)?\W*$",
    r"^\W*(?:merci de|veuillez)(?: bien vouloir)?(?: nous)? (?:livrer|envoyer|expedier)\W*$",
    r"^\W*(?:venligst lever|lever venligst|send venligst)\W*$",
    r"^\W*bitte um (?:lieferung|zusendung)(?: von| folgender artikel| der folgenden artikel)?\W*$",
    r"^\W*(?:could you|can you|would you|pouvez-vous|pourriez-vous|konnen sie|konnten sie|kunnen jullie"
    r"|kunt u|kan i|kan du)(?: please| bitte| svp| venligst| alstublieft)? (?:nous |us |uns |ons |os )?"
    r"(?:expedier|livrer|envoyer|send|ship|deliver|supply|liefern|schicken|leveren|sturen|levere|sende)"
    r"(?: the following"
    r"| folgendes| folgende artikel| les articles suivants| ce qui suit| het volgende| følgende)?\W*$",
    r"^\W*(?:we|i) (?:need|require|would like|want|would need)(?: to order)?(?: the following| as follows)?"
    r"(?: items| articles| products)?\W*$",
    r"^\W*(?:our|my|the) (?:po|purchase order|order) (?:number|no|#)? ?is\b",
    r"^\W*wir bestellen (?:wie folgt|folgendes|folgende artikel)\W*$",
    r"^\W*(?:hierbij|hier) (?:onze|de) bestelling\W*$",
    r"^\W*vi vil gerne bestille(?: folgende| følgende)?(?: varer)?\W*$",
    r"^\W*(?:wir|ich) (?:brauchen|benotigen|brauche|benotige|hatten gerne|mochten)(?: bitte)?\W*$",
    r"^\W*(?:nous avons besoin de|il nous faut|nous voudrions|nous souhaitons)\W*$",
    r"^\W*(?:vi har brug for|vi skal bruge|vi vil gerne have|vi onsker)\W*$",
    r"^\W*(?:wij|we) (?:willen graag|hebben nodig|zouden graag)\W*$",
    r"^\W*(?:graag|gelieve te) (?:leveren|sturen)\W*$",
    r"\b(?:please )?(?:confirm|acknowledge) (?:the |our |this )?(?:order|receipt|reception)"
    r"(?: of (?:the |our |this )?order)?",
    r"\bthanks?(?: you)?(?: very much| a lot| so much)?(?: in advance)?", r"\bmany thanks",
    r"\b(?:(?:best|kind|warm|warmest|many) )?regards", r"\bfyi\b", r"\bfor your (?:information|reference)",
    r"\bplease (?:process|handle|book|enter)",
    r"\bfor (?:the |your )?(?:quick |prompt |fast )?(?:processing|handling)",
    r"\bfor (?:processing|your processing)", r"\bfor (?:your|the) (?:help|support|cooperation|business)",
    r"\bhave a (?:nice|good|great|lovely) (?:day|weekend|week)",
    r"\b(?:i )?hope (?:you are|you're|you’re|all is) (?:doing )?well",
    r"\bhope this finds you well",
    r"\b(?:please )?let (?:me|us) know if you have any questions",
    r"\bif you have any (?:questions|queries),? (?:please )?"
    r"(?:do not hesitate to|don't hesitate to|feel free to) "
    r"(?:contact|call) (?:me|us)",
    r"\b(?:please )?(?:send|provide) (?:us |me )?(?:an? |the |your )?order "
    r"(?:confirmation|acknowledg(?:e)?ment)",
    r"\bfur (?:ruckfragen|fragen) stehe(?:n)? (?:ich|wir) (?:ihnen )?(?:gerne|jederzeit)? ?zur verfugung",
    r"\bbei (?:ruckfragen|fragen) (?:stehe(?:n)? (?:ich|wir) (?:ihnen )?(?:gerne )?zur verfugung"
    r"|melden sie sich"
    r"(?: gerne)?)",
    r"\b(?:ein )?(?:schones|schoenes|gutes) wochenende", r"\b(?:einen )?schonen tag",
    r"\bbitte senden sie (?:uns |mir )?eine (?:auftrags|bestell)bestatigung",
    r"\bje reste (?:a votre (?:entiere )?disposition|disponible)(?: pour (?:tout|toute) (?:renseignement|"
    r"information|question)s?(?: complementaires?)?)?",
    r"\bn'hesitez pas a (?:me|nous) contacter", r"\bbonne (?:journee|soiree|semaine)", r"\bbon week-?end",
    r"\bmerci de (?:nous|me) (?:envoyer|faire parvenir) "
    r"(?:un accuse de reception|une confirmation de commande)",
    r"\b(?:(?:du|i) er|er (?:du|i)) (?:velkommen|altid velkommen) til at kontakte (?:mig|os)",
    r"\bhvis (?:du|i) har (?:sporgsmal|spørgsmal)",
    r"\bgod (?:weekend|dag)", r"\bsend venligst (?:en )?ordrebekræftelse",
    r"\bvoor (?:vragen|meer informatie) kunt u (?:contact met (?:mij|ons) opnemen|mij bereiken)",
    r"\bbij vragen hoor ik het graag", r"\bfijne (?:dag|week)", r"\bfijn weekend",
    r"\bgraag (?:een |uw )?orderbevestiging",
    r"\bgraag ontvangen (?:wij|we|ik) (?:een |uw |de )?(?:order)?bevestiging"
    r"(?: van (?:de|deze|onze) (?:bestelling|order))?",
    r"\b(?:we|i) would (?:appreciate|like to receive) (?:an? |your )?(?:order )?"
    r"(?:confirmation|acknowledg(?:e)?ment)",
    r"\b(?:wir bitten|ich bitte) um (?:eine |ihre )?(?:kurze )?(?:auftrags|bestell)?bestatigung",
    r"\b(?:vi|jeg) (?:vil gerne have|modtager gerne) (?:en )?ordrebekræftelse",
    # a sales rep's note on an order the customer sent them directly
    r"\b(?:came|arrived|was sent) (?:in )?(?:directly )?to me(?: directly)?",
    r"\b(?:kam|ging) (?:direkt )?(?:bei mir|an mich)(?: direkt)? (?:an|ein)\b",
    r"\b(?:reçue?|recue?|arrivee?|envoyee?) directement(?: (?:chez moi|a moi|par le client))?",
    r"\bkom direkte (?:til mig|ind hos mig)", r"\b(?:kwam|is) (?:rechtstreeks|direct) bij mij(?: binnen)?",
    # German
    r"\b(?:anbei|anliegend|beiliegend|im anhang)(?: erhalten sie| finden sie| senden wir ihnen| sende "
    r"ich ihnen| ubersenden wir ihnen| ubersende ich ihnen)?",
    r"\bwir bestellen(?: hiermit| hierdurch| bei ihnen)?", r"\bhiermit bestellen wir",
    r"\b(?:ich|wir) mochten?(?: gerne)?(?: bei ihnen)?(?: folgendes| folgende artikel)? bestellen",
    r"\bbitte liefern sie(?: uns)?(?: folgende| die folgenden)?(?: artikel| positionen| waren)?",
    r"\bbitte (?:um )?lieferung (?:folgender|der folgenden) (?:artikel|positionen|waren)",
    r"\bbitte bestatigen sie(?: uns)?(?: den eingang| den erhalt| die bestellung| den auftrag)"
    r"(?: der bestellung| des auftrags| dieser bestellung)?",
    r"\bum (?:eine )?(?:kurze )?(?:auftrags|bestell)?bestatigung wird gebeten",
    r"\b(?:vielen|besten|herzlichen) dank(?: im voraus| vorab)?",
    r"\bdanke(?: schon| sehr)?(?: im voraus| vorab)?",
    r"\bzur (?:info|information|kenntnis)", r"\bsiehe (?:unten|anhang)",
    r"\bbitte (?:um )?(?:bearbeitung|erfassung)", r"\bbitte (?:bearbeiten|erfassen|buchen)",
    r"\b(?:mit )?(?:freundlichen|freundliche|besten|herzlichen|viele|beste|liebe)"
    r" gr(?:u|ue)(?:ss|ß)(?:en|e)?",
    r"\b(?:fur|for) (?:die|ihre) (?:schnelle |rasche |zugige )?(?:bearbeitung|erledigung)",
    r"\bzur (?:weiteren )?(?:bearbeitung|erledigung)",
    r"\bich hoffe,? es geht ihnen gut",
    # French
    r"\b(?:veuillez|vous) trouver ci[- ](?:joint|jointe|dessous|apres)", r"\bci[- ]jointe?",
    r"\bveuillez trouver", r"\bnous vous prions de bien vouloir nous livrer",
    r"\b(?:merci de|veuillez)(?: bien vouloir)?(?: nous)? (?:livrer|expedier|envoyer|fournir) "
    r"(?:les articles suivants|ce qui suit|la commande suivante|les produits suivants"
    r"|les references suivantes)",
    r"\bnous (?:souhaitons|voudrions|desirons|aimerions) commander", r"\bnous commandons",
    r"\bmerci de (?:bien vouloir )?(?:nous )?confirmer (?:la |notre |cette )?(?:bonne )?"
    r"(?:reception|commande)"
    r"(?: de (?:la|notre|cette) commande)?",
    r"\bmerci (?:d'avance|par avance|beaucoup|bien)",
    r"\bmerci pour (?:le|votre) traitement(?: rapide)?", r"\bpour traitement(?: svp| s'il vous plait)?",
    r"\bpour (?:information|info)", r"\bvoir ci-dessous",
    r"\b(?:bien )?cordialement", r"\b(?:meilleures |sinceres )?salutations",
    # Danish
    r"\bhermed bestiller (?:vi|jeg)", r"\bvi bestiller hermed", r"\bvi vil gerne bestille",
    r"\bvedhæftet(?: er| finder (?:du|i)| fremsendes| sender vi| sendes)?",
    r"\b(?:se|find) vedhæftede?", r"\bvenligst lever(?: folgende| følgende| nedenstaende| nedenstående)",
    r"\b(?:bekræft|bekraft) venligst (?:ordren|modtagelsen|bestillingen)",
    r"\bvenligst bekræft (?:ordren|modtagelsen)",
    r"\bpa forhand tak", r"\btak for (?:den )?(?:hurtige )?(?:behandling|ekspedition)",
    r"\btil (?:behandling|videre behandling)", r"\bhermed (?:vores )?(?:indkøbsordre|ordre|bestilling)",
    r"\bsom pdf\b", r"\btak for (?:hjælpen|hjaelpen)", r"\btil orientering", r"\bse nedenfor",
    r"\b(?:med )?venlig(?:st)? hilsen", r"\b(?:de )?bedste hilsner",
    # Dutch
    r"\b(?:hierbij|bij deze) bestellen (?:wij|we|ik)", r"\b(?:wij|we|ik) bestellen (?:hierbij|bij deze)",
    r"\bin de bijlage (?:vindt u|vind je|treft u aan|treft u)",
    r"\b(?:bijgaand|bijgevoegd)(?: vindt u| treft u| sturen wij| sturen we)?",
    r"\bgraag (?:bestellen|ontvangen) (?:wij|we)",
    r"\b(?:bijgaand |hierbij |in de bijlage )?(?:ontvangt u|ontvang je)\b",
    r"\bin de bijlage\b", r"\bhierbij (?:onze|de|mijn)\b",
    r"\bbedankt voor de (?:snelle )?(?:verwerking|behandeling)", r"\bter verwerking\b",
    r"\bgelieve (?:de volgende artikelen )?te leveren",
    r"\bgraag (?:een )?bevestiging(?: van (?:de|onze|deze) (?:bestelling|order|ontvangst))?",
    r"\b(?:wilt u|gelieve) (?:de (?:bestelling|order)|de ontvangst)(?: van de (?:bestelling|order))?"
    r" te bevestigen",
    r"\balvast bedankt", r"\bbij voorbaat dank", r"\bter info(?:rmatie)?", r"\bzie (?:hieronder|bijlage)",
    r"\bmet vriendelijke groet(?:en)?",
))
_FILLER = frozenset((
    # English
    "our", "my", "the", "a", "an", "new", "purchase", "order", "orders", "po", "following", "items",
    "articles", "products", "attached", "enclosed", "below", "here", "herewith", "as", "follows",
    "please", "you", "your", "we", "us", "i", "and", "thanks", "thank", "hi", "hello", "dear",
    "team", "all", "is", "are", "it", "this", "latest", "for", "of", "with", "kind", "regards",
    "best", "many", "again", "find", "see", "today's", "todays", "list", "attachment", "file", "pdf",
    "document", "from", "enter", "process", "book",
    # German
    "unsere", "unser", "unseren", "unserer", "die", "der", "das", "den", "dem", "des", "eine", "ein",
    "einen", "neue", "neuen", "bestellung", "bestellungen", "auftrag", "folgende", "folgenden",
    "artikel", "positionen", "anbei", "bitte", "sie", "wir", "ich", "uns", "ihnen", "und", "hiermit",
    "mit", "liebe", "hallo", "heutige", "heutigen", "datei", "anhang", "im", "als", "von", "unten",
    "erfassen", "bearbeiten", "buchen", "zusammen",
    # French
    "notre", "nos", "la", "le", "les", "une", "un", "nouvelle", "commande", "commandes", "suivante",
    "suivantes", "suivants", "articles", "ci", "joint", "jointe", "veuillez", "merci", "nous", "vous",
    "de", "du", "et", "bonjour", "cordialement", "en", "piece", "fichier", "dessous", "saisir",
    "traiter", "enregistrer",
    # Danish
    "vores", "det", "et", "ny", "nye", "ordre", "bestilling", "varer", "vedhæftet", "venligst", "tak",
    "vi", "jeg", "os", "dig", "jer", "og", "hej", "fil", "bilag", "vedhæftede", "er", "fra",
    "nedenfor", "nedenstaende", "registrere", "behandle",
    # Dutch
    "onze", "ons", "het", "een", "nieuwe", "bestelling", "volgende", "artikelen", "bijlage", "graag",
    "u", "wij", "we", "ik", "bedankt", "beste", "bijgaand", "bijgevoegd", "inkooporder", "hieronder",
    "invoeren", "verwerken", "boeken", "voor",
    "indkøbsordre", "hermed", "svp",
))
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


#: A company named by its legal form: capitalised words (and the small words names hold)
#: before "GmbH", "B.V.", "SAS" …, with a trailing "& Co. KG".
_COMPANY = re.compile(
    r"(?<![\w&])(?:[^\W\d_a-z][\w'’.-]*|&)"
    r"(?:\s+(?:[^\W\d_a-z][\w'’.-]*|&|du|de|des|la|le|der|van|von|für|of|and|und|et|og|en)){0,6}?"
    r"\s+(?:" + "|".join(re.escape(form) for form in sorted(LEGAL_FORMS, key=len, reverse=True)) + r")"
    r"(?:\s*&\s*Co\.?(?:\s*(?:KG|OHG|KGaA))?)?(?![\w/])"
)


def _without_company_names(text: str) -> str:
    """The text with company names taken out: a name by itself asks for nothing. A run of
    capitals holding a request word ("Please Deliver To Acme GmbH") is no name and stays."""
    return _COMPANY.sub(lambda found: found.group() if _ASKS_NOT_DATE.search(fold(found.group())) else " ",
                        text)


def is_harmless(text: str) -> bool:
    """True when a sentence only greets, frames the order, thanks or signs off."""
    folded = fold(text)
    if "?" in folded:
        return False
    if is_signoff_line(text):  # "Thanks, Emma" closing a note on the same line
        return True
    # "… for Acme Ltd. Thanks, Emma" or "… Ltd. Marc": the abbreviation's dot hid
    # the end of the sentence, and a sign-off or a bare first name follows it.
    for found in re.finditer(r"[.!]\s+", text):
        tail = text[found.end():]
        if is_signoff_line(tail) or _is_bare_name(tail):
            return is_harmless(text[: found.start() + 1])
    text = _without_company_names(text)
    folded = fold(text)
    if (_BOILERPLATE.search(folded) and not _OVERRIDES_BOILERPLATE.search(folded)
            and not substantive_cues(text)):
        return True
    rest = _DATED.sub(" ", fold(_strip_greeting(text)))
    if re.search(_DATE, rest):
        return False
    rest = _PO_REFERENCE.sub(" ", rest)
    for pattern in _FRAMING:
        rest = pattern.sub(" ", rest)
    if all(word in _FILLER for word in _WORD.findall(rest)):
        return True
    # Open world: wording no rule lists is harmless when it names nothing that the
    # execution or the promise depends on (instructions.py); any cue still routes.
    # A fragment of a word or two ("Lager Nord", "Werk 2") may name a site: it stays.
    return len(_WORD.findall(text)) >= _OPEN_WORLD_WORDS and not instruction_cues(text)


#: Words a text needs before it is judged as a sentence by what it names.
_OPEN_WORLD_WORDS = 3


# --- splitting text into sentences ---------------------------------------------------------------

_ABBREVIATIONS = frozenset((
    "nr", "no", "art", "z.b", "zb", "ca", "str", "tel", "mr", "mrs", "ms", "dr", "bzw", "inkl",
    "exkl", "evtl", "ggf", "usw", "etc", "ref", "réf", "st", "stk", "pcs", "vs", "e.g", "i.e", "approx",
    "hr", "fr", "prof", "mfg", "n°", "pos", "abt", "dept", "m", "mme", "jr", "sr", "inc", "ltd", "co",
    "p.o", "a.s.a.p", "u.a", "d.h", "o.ä", "vgl", "bzgl", "evt", "jf", "mht", "vedr", "bl.a", "dvs",
    "bijv", "m.b.t", "t.a.v", "resp", "incl", "excl", "p.s", "ps", "n.b", "nb",
))
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[^\s])")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pieces; a full stop after a number or abbreviation does not end one."""
    pieces: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start: match.start()]
        last = before.split()[-1] if before.split() else ""
        if _no_sentence_end(last, text[match.end():]):
            continue
        pieces.append((start, text[start: match.start()].strip()))
        start = match.end()
    pieces.append((start, text[start:].strip()))
    return [(offset, piece) for offset, piece in pieces if piece]


def _no_sentence_end(last_word: str, following: str) -> bool:
    word = last_word.rstrip(".!?\"')]").casefold()
    if last_word.endswith(("!", "?")) or last_word.endswith("..") and not last_word.endswith("..."):
        return False  # "… B.V.. Thanks": an abbreviation's dot and the full stop
    starts_lower = following[:1].islower()
    dotted = "." in word  # "Art.-Nr.", "z.B.", "u.a."
    return word in _ABBREVIATIONS or word.isdigit() or len(word) == 1 or starts_lower or dotted


# --- accounting -------------------------------------------------------------------------------------


def account(
    lines: list[str], *, used: set[int], first_line: int = 1, part: str = "body", signature: bool = False
) -> list[Evidence]:
    """Unexplained sentences among the non-empty lines that ``used`` does not hold.

    ``signature`` is for a signature block (after "-- " or a sign-off): there short
    name and title lines are harmless too, but a P.S., a question or a request is not.
    """
    found: list[Evidence] = []
    runs = _runs(lines, used, signature=signature)
    if len(runs) > 1 and len(runs[-1]) == 1 and _is_bare_name(runs[-1][0][1]):
        runs.pop()  # the writer's first name under a note ("Please process.\n\nMarc")
    for run in runs:
        found += _account_run(run, first_line, part)
    return found


_NAME_WORD = re.compile(r"[^\W\d_a-z][^\W\d_A-Z]+(?:[-'’][^\W\d_][^\W\d_A-Z]*)?\.?")


def _is_bare_name(text: str) -> bool:
    """A first name, perhaps with an initial, and nothing else: how a note is signed ("Marc",
    "Emma W."). Two words ("Lager Nord") may name a site, so they stay to be read."""
    words = text.strip().rstrip(",").split()
    return (len(words) in (1, 2) and bool(_NAME_WORD.fullmatch(words[0].rstrip(".")))
            and all(re.fullmatch(r"[A-Z]\.?", word) for word in words[1:])
            and not _ASKS.search(fold(text)))


def _runs(lines: list[str], used: set[int], *, signature: bool) -> list[list[tuple[int, str]]]:
    """Consecutive lines of one paragraph that are neither used, blank, nor harmless by their shape."""
    runs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if index in used or not line.strip() or _harmless_line(line, signature=signature):
            if current:
                runs.append(current)
            current = []
            continue
        if current and _ends_paragraph(current[-1][1], line.strip()):
            runs.append(current)
            current = []
        current.append((index, line.strip()))
    if current:
        runs.append(current)
    return runs


def _ends_paragraph(previous: str, line: str) -> bool:
    """A line break ends a sentence after a short line ("PO: 4711") or before a list item;
    only long lines are wrapped prose."""
    return len(previous) < 50 or previous.endswith((".", "!", "?", ":", ";")) or bool(_LIST_ITEM.match(line))


_LIST_ITEM = re.compile(r"^(?:[-*•·▪]|\d{1,3}[.)])\s")


def _account_run(run: list[tuple[int, str]], first_line: int, part: str) -> list[Evidence]:
    text, starts = "", []
    for _, line in run:
        starts.append(len(text))
        text += line + " "
    # A disclaimer runs over many sentences that cannot all be listed: one strong
    # sentence marks the paragraph, unless the paragraph also asks for something.
    if (_BOILERPLATE.search(fold(text)) and not _OVERRIDES_BOILERPLATE.search(fold(text))
            and not substantive_cues(text)):
        return []
    found: list[Evidence] = []
    sentences = split_sentences(text)
    if len(sentences) > 1 and _is_bare_name(sentences[-1][1]):
        sentences.pop()  # "… de Rhône SAS. Marc": a note signed on its last line
    for offset, sentence in sentences:
        if not is_harmless(sentence):
            index = run[bisect.bisect_right(starts, offset) - 1][0]
            found.append(Evidence(text=sentence[:_EVIDENCE_MAX], line=first_line + index, part=part))
    return found


def unexplained_in(text: str) -> list[str]:
    """Sentences of a structured format's free-text note that no rule explains."""
    if not isinstance(text, str) or not text.strip():
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [evidence.text for evidence in account(lines, used=set())]
