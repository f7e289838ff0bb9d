"""E-mail orders (RFC 822 messages) and plain-text documents.

A message is read in layers: MIME parts (bodies and attachments), then the body
text is split into the forwarder's own words, the forwarded original, quoted
reply history and signatures. Order lines come only from the original's own
text (``text.read_order_text``) and from attachments (through the dispatcher);
every other sentence is accounted for by ``freetext``, and whatever no rule
explains is copied onto every draft of the message, because an instruction in
the mail ("deliver to our new warehouse instead") applies to the attached
order too.

The parser is conservative: a message that talks about an order but whose order
cannot be read gives a draft with ``uncertain`` entries (EXTRACTION_UNCERTAIN),
never a silent rejection; only auto-replies, bounces, newsletters and invoices
without order lines, and messages that do not mention an order, are
``not_an_order``.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import dataclass, field
from datetime import date
from email.message import Message

import authres

from integrations.parsers import READER_LABELS, detect_format, freetext, limits, parse_document, sandbox
from integrations.parsers.draft import Evidence, OrderDraft, ParseError, ParseResult, Read, SenderVerdict
from integrations.parsers.htmltext import html_to_text
from integrations.parsers.text import has_multiplier_shape, parse_order_line, read_order_text
from integrations.parsers.vocabulary import (
    COUNTRY_DECIMAL_COMMA,
    GENERIC_TLDS,
    ORDER_CONTEXT_WORDS,
    find_words,
    fold,
    phone_country,
)

FORMAT = "email"
TEXT_FORMAT = "text"
#: Messages inside messages inside messages … are read this deep, no deeper.
MAX_DEPTH = 3
_EVIDENCE_MAX = 200
_COULD_NOT_READ = "the order could not be read from the message"

# --- entry points -------------------------------------------------------------------------------


def parse(data: bytes, *, name: str = "") -> ParseResult:
    """Read an RFC 822 message, or a plain-text document (the whole bytes as a body)."""
    try:
        return _parse(data, name=name, depth=0)
    except ParseError:
        raise
    except RecursionError as exc:
        raise ParseError("the e-mail is nested too deeply to read") from exc
    except Exception as exc:  # the stdlib e-mail package fails in many ways on hostile input
        raise ParseError(f"the e-mail could not be read ({type(exc).__name__})") from exc


def _parse(data: bytes, *, name: str, depth: int) -> ParseResult:
    if not isinstance(data, bytes | bytearray) or not bytes(data).strip():
        raise ParseError("the document is empty")
    if detect_format(bytes(data), name) == "email" or _looks_like_message(bytes(data)):
        message = email.message_from_bytes(bytes(data), policy=email.policy.default)
        return _read_message(message, depth=depth).result()
    return _read_text_document(_decode_document(bytes(data)))


_FIELD = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,60}):")


def _looks_like_message(data: bytes) -> bool:
    """A header block ("Name: value" lines and folded continuations) with From, then a blank line.

    The dispatcher only knows common first headers; mail exported with DKIM or ARC
    headers first is still a message.
    """
    names: set[bytes] = set()
    for line in data[:65536].splitlines()[:300]:
        if not line.strip():
            return b"from" in names and len(names) >= 2
        if line[:1] in (b" ", b"\t") and names:
            continue
        found = _FIELD.match(line)
        if not found:
            return False
        names.add(found.group(1).lower())
    return False


# --- outcome of one message -----------------------------------------------------------------------


@dataclass
class _Outcome:
    drafts: list[OrderDraft] = field(default_factory=list)
    not_an_order: str = ""

    def result(self) -> ParseResult:
        if self.drafts:
            return ParseResult(orders=self.drafts)
        return ParseResult(not_an_order=self.not_an_order or "no order found in the message")


@dataclass
class _Attachments:
    drafts: list[OrderDraft] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # bodies of attached messages, for classification


def _read_message(message: Message, *, depth: int) -> _Outcome:
    from_email = _address(_header(message, "From"))
    subject = _header(message, "Subject")
    if reason := _automatic_reason(message, subject, from_email):
        return _Outcome(not_an_order=reason)
    parts = _Parts()
    _walk(message, parts)
    body = _read_body(parts, subject=subject, sender=from_email, fmt=FORMAT, sent=_sent_day(message))
    attached = _read_attachments(parts, depth=depth)
    drafts = _combine(body, attached)
    verdicts = sender_verdicts(message)
    for draft in drafts:
        _sent_by(draft, from_email, verdicts)
    if drafts and not attached.drafts and (kind := _other_document(subject, body)):
        # A table of services or goods under an invoice/statement subject is
        # not an order when nothing in the message speaks of ordering.
        return _Outcome(not_an_order=f"the message is a {kind}, not an order")
    if drafts:
        _flag_doubtful(drafts, body, subject)
        return _Outcome(drafts=drafts)
    return _without_orders(message, subject, body, attached)


def _other_document(subject: str, body: _Body) -> str:
    kind = next((word for word in _DOCUMENT_WORDS if find_words(subject, [word])), "")
    return "" if not kind or _mentions_order(f"{subject}\n{body.text}") else kind


def _without_orders(message: Message, subject: str, body: _Body, attached: _Attachments) -> _Outcome:
    text = "\n".join([body.text, *attached.texts])
    names = " ".join(attached.names + attached.unreadable)
    if reason := _non_order_reason(message, subject, text, names, footer=body.full):
        return _Outcome(not_an_order=reason)
    if not (body.draft or _mentions_order(f"{subject}\n{text}\n{names}")):
        return _Outcome(not_an_order="no order found in the message")
    draft = body.draft or OrderDraft(format=FORMAT)
    draft.format, draft.locator = FORMAT, "body"
    draft.uncertain = [*attached.unreadable, *attached.images, *draft.uncertain, *body.uncertain,
                       _COULD_NOT_READ]
    draft.unexplained = [*body.unexplained, *body.subject_evidence(None), *draft.unexplained]
    draft.forwarded_from, draft.forward_depth = body.forwarded_from, body.forward_depth
    _sent_by(draft, _address(_header(message, "From")), sender_verdicts(message))
    return _Outcome(drafts=[draft])


def _sent_by(draft: OrderDraft, from_email: str, verdicts: list[SenderVerdict]) -> None:
    """The message's own sender and what its receiving hosts said of it. An
    attached message's headers are overwritten by the message that carries it:
    only the outermost message reached our hosts."""
    draft.from_email, draft.authentication = from_email, verdicts
    if draft.forwarded_from == from_email:
        # A message the sender attached from their own mailbox.
        draft.forwarded_from, draft.forward_depth = "", 0


# --- headers -------------------------------------------------------------------------------------------

_ADDRESS = re.compile(r"[\w.+'%=-]+@[\w-]+(?:\.[\w-]+)+")


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
        return "" if value is None else " ".join(str(value).split())
    except Exception:  # a header the stdlib cannot parse: fall back to its raw text
        raw = [str(value) for key, value in message.raw_items() if key.lower() == name.lower()]
        return " ".join(raw[0].split()) if raw else ""


def _address(value: str) -> str:
    _, parsed = email.utils.parseaddr(value)
    if _ADDRESS.fullmatch(parsed or ""):
        return parsed.lower()
    found = _ADDRESS.search(value)
    return found.group().lower() if found else ""


def sender_verdicts(message: Message) -> list[SenderVerdict]:
    """Every Authentication-Results verdict (RFC 8601) of the message, as written.

    A header any host could have written: which hosts are believed is decided
    where the verdicts are read (the operator's trusted authserv-ids), never here.
    """
    verdicts: list[SenderVerdict] = []
    for raw in _all_headers(message, "Authentication-Results")[:_MAX_VERDICT_HEADERS]:
        text = " ".join(raw.split())[:_EVIDENCE_MAX * 5]
        try:
            parsed = authres.AuthenticationResultsHeader.parse_value(text)
        except Exception:  # noqa: BLE001 - authres raises its own and stdlib errors on bad input
            host = text.split(";", 1)[0].strip().split(" ", 1)[0]
            verdicts.append(SenderVerdict(host.lower(), "", "unreadable", text=text))
            continue
        for result in parsed.results:
            verdicts.append(SenderVerdict(
                str(parsed.authserv_id or "").lower(), str(result.method or "").lower(),
                str(result.result or "").lower(), _judged_domain(result), text=text))
    return verdicts


#: A message carries one Authentication-Results header per judging hop; more is noise or an attack.
_MAX_VERDICT_HEADERS = 20
#: The property that names the domain each method judged (RFC 8601 §2.7, RFC 7489 §11.2).
_JUDGED = {"dmarc": ("header", "from"), "dkim": ("header", "d"), "spf": ("smtp", "mailfrom")}


def _judged_domain(result) -> str:
    wanted = _JUDGED.get(str(result.method or "").lower())
    for prop in result.properties if wanted else []:
        if (str(prop.type).lower(), str(prop.name).lower()) == wanted:
            value = str(prop.value or "").lower()
            return value.rsplit("@", 1)[-1]
    return ""


def _all_headers(message: Message, name: str) -> list[str]:
    try:
        return [str(value) for value in message.get_all(name) or []]
    except Exception:  # noqa: BLE001 - a header the stdlib cannot parse: take its raw text
        return [str(value) for key, value in message.raw_items() if key.lower() == name.lower()]


_AUTO_SUBJECT = re.compile(
    r"\b(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?reply|autoreply|abwesenheitsnotiz"
    r"|automatische antwort|abwesend|reponse automatique|absence du bureau|absent du bureau|autosvar"
    r"|automatisk svar|fraværende|fravaerende|ikke pa kontoret|automatisch antwoord|afwezig|out-of-office)\b"
)
_BOUNCE_SUBJECT = re.compile(
    r"\b(?:undeliverable|undelivered|delivery status notification|mail delivery (?:failed|failure)"
    r"|returned mail|unzustellbar|nicht zustellbar|non remis|echec de (?:la )?remise|kunne ikke leveres"
    r"|onbestelbaar|niet afgeleverd)|^(?:read|gelesen|lu|læst|gelezen|lest)\s?:"
)


def _automatic_reason(message: Message, subject: str, sender: str) -> str:
    """Auto-replies, bounces and read receipts: never orders, whatever they quote."""
    submitted = _header(message, "Auto-Submitted").lower()
    flags = " ".join(_header(message, name).lower() for name in ("X-Autoreply", "X-Autorespond"))
    if submitted.startswith("auto-replied") or "yes" in flags or _header(message, "X-Autorespond"):
        return "automatic reply"
    if _header(message, "Precedence").lower() == "auto_reply" or _AUTO_SUBJECT.search(fold(subject)):
        return "automatic reply"
    report = message.get_content_type() == "multipart/report"
    daemon = sender.startswith(("mailer-daemon@", "postmaster@"))
    if report or daemon or _BOUNCE_SUBJECT.search(fold(subject)):
        return "delivery status notification or read receipt"
    return ""


_UNSUBSCRIBE = ("unsubscribe", "abmelden", "abbestellen", "désabonner", "se désinscrire", "désinscrire",
                "afmeld", "afmelden", "frameld", "uitschrijven", "newsletter", "nieuwsbrief")
_DOCUMENT_WORDS = (
    "invoice", "rechnung", "facture", "faktura", "factuur", "credit note", "gutschrift", "facture d'avoir",
    "note de crédit", "kreditnota", "creditnota", "account statement", "statement of account", "kontoauszug",
    "relevé de compte", "kontoudtog", "rekeningoverzicht",
    "remittance", "zahlungsavis", "avis de paiement", "betalingsadvis", "delivery note", "lieferschein",
    "bon de livraison", "følgeseddel", "pakbon", "payment reminder", "zahlungserinnerung", "mahnung",
    "relance", "rykker", "betalingspåmindelse", "betalingsherinnering", "trade confirmation",
)
#: Requests for a quotation: they name articles and quantities but order nothing yet.
_QUOTE_WORDS = ("request for quotation", "request for quote", "quotation request", "rfq", "please quote",
                "price request", "price inquiry", "anfrage", "preisanfrage", "angebotsanfrage",
                "bitte um ein angebot", "bitte um angebot", "demande de prix", "demande de devis",
                "demande de cotation", "forespørgsel", "prisforespørgsel", "tilbudsforespørgsel",
                "prijsaanvraag", "offerteaanvraag", "aanvraag", "offerte aanvragen")


def _non_order_reason(message: Message, subject: str, text: str, names: str, *, footer: str) -> str:
    if _header(message, "Auto-Submitted").lower() not in ("", "no"):
        return "automatically generated message without an order"
    bulk = _header(message, "List-Unsubscribe") or _header(message, "List-Id")
    precedence = _header(message, "Precedence").lower()
    if bulk or precedence in ("bulk", "list", "junk") or find_words(footer, _UNSUBSCRIBE):
        return "newsletter or bulk mail"
    return _document_reason(subject, text, names)


def _document_reason(subject: str, text: str, names: str) -> str:
    in_subject = find_words(subject, _DOCUMENT_WORDS)
    if in_subject:
        return f"the message is about a document that is no order ('{in_subject[0]}')"
    in_body = find_words(f"{text}\n{names}", _DOCUMENT_WORDS)
    if in_body and not _mentions_order(f"{subject}\n{names}"):
        return f"the message is about a document that is no order ('{in_body[0]}')"
    return ""


_ORDER_WORDS = re.compile(
    r"\b(?:(?:re)?order\w*|purchase|po|p\.o|(?:nach)?bestell\w*|auftrag\w*|command\w*|bestil\w*|ordre\w*"
    r"|inkoop\w*)\b"
)


def _mentions_order(text: str) -> bool:
    folded = re.sub(r"\bin order to\b|\bin order\b", " ", fold(text))
    return bool(_ORDER_WORDS.search(folded) or find_words(folded, ORDER_CONTEXT_WORDS))


# --- MIME parts -------------------------------------------------------------------------------------

_IGNORED_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef", "text/vcard", "text/x-vcard",
                  "text/directory", "application/pgp-signature", "application/pkcs7-signature",
                  "application/x-pkcs7-signature", "application/pgp-keys", "text/calendar")
_IGNORED_NAMES = re.compile(r"(?:^winmail\.dat$|\.(?:vcf|p7s|asc|ics|sig)$)", re.IGNORECASE)


@dataclass
class _Parts:
    #: One entry per body: (plain text, text of the HTML alternative); either may be "".
    bodies: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    nested: list[tuple[str, Message]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


def _walk(part: Message, parts: _Parts) -> None:
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        _nested(part, parts)
    elif part.is_multipart():
        children = [child for child in part.get_payload() if isinstance(child, Message)]
        if content_type == "multipart/alternative":
            _alternative(children, parts)
        else:
            for child in children:
                _walk(child, parts)
    elif _is_attachment(part):
        _attachment(part, parts)
    elif content_type == "text/plain":
        parts.bodies.append((_part_text(part), ""))
    elif content_type == "text/html":
        parts.bodies.append(("", html_to_text(_part_text(part))))


def _nested(part: Message, parts: _Parts) -> None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else payload
    if isinstance(inner, Message):
        parts.nested.append((_filename(part) or _header(inner, "Subject") or "attached message", inner))


def _alternative(children: list[Message], parts: _Parts) -> None:
    """Keep both renderings of one body; the reader picks the one that holds the order."""
    plain = html = ""
    for child in children:
        kind = child.get_content_type()
        if kind == "text/plain" and not plain:
            plain = _part_text(child)
        elif kind == "text/html" and not html:
            html = html_to_text(_part_text(child))
        elif child.is_multipart():
            inner = _Parts()
            _walk(child, inner)
            html = html or "\n".join(text or alt for text, alt in inner.bodies)
            parts.attachments += inner.attachments
            parts.nested += inner.nested
            parts.images += inner.images
    parts.bodies.append((plain, html))


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # a malformed Content-Disposition parameter
        name = ""
    return " ".join(str(name).split())[:200]


def _is_attachment(part: Message) -> bool:
    disposition = part.get_content_disposition()
    if disposition == "attachment" or _filename(part):
        return True
    return not part.get_content_type().startswith(("text/", "image/", "multipart/"))


def _attachment(part: Message, parts: _Parts) -> None:
    name = _filename(part) or f"unnamed {part.get_content_type()} attachment"
    content_type = part.get_content_type()
    if content_type in _IGNORED_TYPES or _IGNORED_NAMES.search(name):
        return
    if content_type.startswith("image/"):
        # Inline images are logos; attached ones may be a photographed order we cannot read.
        if part.get_content_disposition() == "attachment" and not part.get("Content-ID"):
            parts.images.append(f"attachment {name} is an image; images are not read")
        return
    payload = part.get_payload(decode=True)
    parts.attachments.append((name, payload if isinstance(payload, bytes) else b""))


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        text = _decode_loose(payload)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if part.get_param("format") == "flowed":
        text = _unflow(text, delsp=str(part.get_param("delsp") or "").lower() == "yes")
    return text


def _decode_loose(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _unflow(text: str, *, delsp: bool) -> str:
    """RFC 3676: a line ending in a space continues on the next line."""
    lines: list[str] = []
    carry = ""
    for line in text.split("\n"):
        if line.endswith(" ") and line != "-- ":
            carry += line[:-1] if delsp else line
            continue
        lines.append(carry + line)
        carry = ""
    if carry:
        lines.append(carry)
    return "\n".join(lines)


# --- HTML: integrations/parsers/htmltext.py ---------------------------------------------------------


# --- the body: forwards, quotes, signatures --------------------------------------------------------

_FORWARD_MARKER = re.compile(
    r"^[\s\-_=*>]*(?:-+ ?)?(?:forwarded message|begin forwarded message|forwarded e-?mail"
    r"|weitergeleitete (?:nachricht|e-?mail)|anfang der weitergeleiteten (?:nachricht|e-?mail)"
    r"|message transf[eé]r[eé]|d[eé]but du message r[eé]exp[eé]di[eé]|message r[eé]exp[eé]di[eé]"
    r"|videresendt (?:meddelelse|besked|e-?mail)"
    r"|start p[aå] videresendt (?:besked|meddelelse)|doorgestuurd bericht|begin doorgestuurd bericht)"
    r"\s*:?[\s\-_=*]*$",
    re.IGNORECASE,
)
_ORIGINAL_MARKER = re.compile(
    r"^[\s\-_=*]*(?:original message|urspr(?:ü|ue|u)ngliche nachricht|originalnachricht|message d'origine"
    r"|oprindelig meddelelse|oorspronkelijk bericht)[\s\-_=*]*$",
    re.IGNORECASE,
)
_REPLY_HEADER = re.compile(
    r"^\s*.{0,300}\b(?:wrote|schrieb|a [ée]crit|skrev|schreef)\s*:?\s*$|^\s*-{2,}\s*reply\s*-{2,}",
    re.IGNORECASE,
)
_REPLY_OPENING = re.compile(r"^\s*(?:on|am|le|den|d\.|op)\s+\S", re.IGNORECASE)
_HEADER_LINE = re.compile(
    r"^\s*\*?(?P<name>from|von|de|fra|van|date|datum|dato|sent|gesendet|envoy[ée]|sendt|verzonden|to|an|[àa]"
    r"|til|aan|cc|bcc|subject|betreff|objet|emne|onderwerp|reply-to|antwort an|importance|wichtigkeit"
    r"|priorit[ée])\*?\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_FROM_NAMES = frozenset(("from", "von", "de", "fra", "van"))
_SENT_NAMES = frozenset(("sent", "gesendet", "envoyé", "envoye", "sendt", "verzonden", "date", "datum",
                         "dato"))
_SUBJECT_NAMES = frozenset(("subject", "betreff", "objet", "emne", "onderwerp"))
_FORWARD_SUBJECT = re.compile(
    r"^\s*(?:\[[^\]]*\]\s*)?(?:(?:re|aw|sv|antw)\s*:\s*)*(?:fwd?|fw|wg|tr|vs|vb|doorst|rv|enc|wtrd)\s*:",
    re.IGNORECASE,
)
_SIGNATURE_SEPARATOR = re.compile(r"^(?:--|—|–|__+|-- )\s*$")


@dataclass
class _Segments:
    content: set[int] = field(default_factory=set)  # the original message's own lines
    own: set[int] = field(default_factory=set)  # a forwarder's text above the forwarded part
    signature: set[int] = field(default_factory=set)
    forwarded: bool = False
    forwards: int = 0  # forwarded header blocks passed, the outermost first
    forwarded_from: str = ""
    forwarded_name: str = ""
    subject: str = ""


@dataclass
class _Boundary:
    kind: str  # "forward", "reply" (history follows) or "quoted-reply" (history follows as "> " lines)
    index: int  # first line of the boundary (marker or header block)
    headers: int  # first line of the header block that follows


def segment(lines: list[str], *, forward_subject: bool) -> tuple[list[str], _Segments]:
    """Split body lines into own text, forwarded content, signatures; quoted history is dropped.

    Returns the lines (a forwarded part quoted with "> " is unquoted) and the segments.
    """
    lines = list(lines)
    segments = _Segments()
    start = 0
    while True:
        boundary = _boundary(lines, start, forward=forward_subject and not segments.forwarded)
        if boundary is not None and boundary.kind == "quoted-reply":
            # "On … wrote:" over "> " lines: quotes are skipped, text below them is the writer's own.
            _add_part(lines, start, boundary.index, segments, segments.content)
            start = boundary.headers
            continue
        if boundary is None or boundary.kind == "reply":
            end = len(lines) if boundary is None else boundary.index
            _add_part(lines, start, end, segments, segments.content)
            return lines, segments
        _add_part(lines, start, boundary.index, segments, segments.own)
        _unquote_forward(lines, boundary.headers)
        start = _forward_headers(lines, boundary.headers, segments)
        segments.forwarded = True
        segments.forwards += 1


def _boundary(lines: list[str], start: int, *, forward: bool) -> _Boundary | None:
    for index in range(start, len(lines)):
        line = lines[index]
        if freetext.is_quoted(line):  # markers inside quoted history belong to the history
            continue
        if _FORWARD_MARKER.match(line):
            return _Boundary("forward", index, index + 1)
        if _ORIGINAL_MARKER.match(line):
            return _Boundary("forward" if forward else "reply", index, index + 1)
        if _is_reply_header(lines, index):
            after = index + 1 if _REPLY_HEADER.match(lines[index]) else index + 2
            following = next((line for line in lines[after:] if line.strip()), "")
            return _Boundary("quoted-reply" if freetext.is_quoted(following) else "reply", index, after)
        if _is_header_block(lines, index):
            ruled = index > start and re.fullmatch(r"\s*[_\-=]{5,}\s*", lines[index - 1])
            first = index - 1 if ruled else index
            return _Boundary("forward" if forward else "reply", first, index)
    return None


def _is_reply_header(lines: list[str], index: int) -> bool:
    line = lines[index]
    if len(line) <= 400 and _REPLY_HEADER.match(line) and (":" in line[-3:] or "reply" in line.lower()):
        return True
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return bool(_REPLY_OPENING.match(line) and len(line) < 200 and re.match(
        r"^.{0,200}\b(?:wrote|schrieb|a [ée]crit|skrev|schreef)\s*:\s*$", following, re.IGNORECASE))


def _is_header_block(lines: list[str], index: int) -> bool:
    """Outlook's "From: … / Sent: … / To: … / Subject: …" block without a marker line."""
    found = _HEADER_LINE.match(lines[index])
    if not found or found.group("name").lower() not in _FROM_NAMES or not found.group("value").strip():
        return False
    names = set()
    for line in lines[index + 1: index + 6]:
        match = _HEADER_LINE.match(line)
        if match:
            names.add(match.group("name").lower())
    return bool(names & _SENT_NAMES) and bool(names & (_SUBJECT_NAMES | {"to", "an", "à", "a", "til", "aan"}))


def _unquote_forward(lines: list[str], start: int) -> None:
    """Apple Mail quotes a forwarded message with "> ": take one level off."""
    rest = [line for line in lines[start:] if line.strip()]
    if rest and sum(line.lstrip().startswith(">") for line in rest) * 10 >= len(rest) * 8:
        for index in range(start, len(lines)):
            lines[index] = re.sub(r"^\s*> ?", "", lines[index], count=1)


def _forward_headers(lines: list[str], start: int, segments: _Segments) -> int:
    """Read From/Subject of a forwarded header block; return the first line after it."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    last = ""
    while index < len(lines) and lines[index].strip():
        found = _HEADER_LINE.match(lines[index])
        if found:
            last = found.group("name").lower()
            _forward_header(segments, last, found.group("value").strip())
        elif last not in ("to", "an", "à", "a", "til", "aan", "cc", "bcc"):
            break
        index += 1
    return index


def _forward_header(segments: _Segments, name: str, value: str) -> None:
    if name in _FROM_NAMES:
        address = _address(value)
        segments.forwarded_from = address
        segments.forwarded_name = "" if address else value.strip("*")
    elif name in _SUBJECT_NAMES:
        segments.subject = value


def _add_part(lines: list[str], start: int, end: int, segments: _Segments, target: set[int]) -> None:
    cut = _signature_start(lines, start, end)
    target.update(i for i in range(start, cut) if not freetext.is_quoted(lines[i]))
    segments.signature.update(i for i in range(cut, end) if not freetext.is_quoted(lines[i]))


def _signature_start(lines: list[str], start: int, end: int) -> int:
    content = [i for i in range(start, end) if lines[i].strip() and not freetext.is_quoted(lines[i])]
    last_order = _last_explicit_line(lines, content)
    for index in content:
        if _SIGNATURE_SEPARATOR.match(lines[index]) or lines[index] == "-- ":
            return index
        # "Thanks a lot!" above the order lines is no sign-off: explicit lines still follow.
        if index != content[0] and index > last_order and freetext.is_signoff_line(lines[index]):
            return index
    return _trailing_signature(lines, content) if len(content) > 1 else end


def _trailing_signature(lines: list[str], content: list[int]) -> int:
    """A closing block of names, titles, phone, web and address lines without a sign-off.

    A bare name ("Tom") counts alone; otherwise one line must be unmistakably a
    signature line (phone, web, company, address), so a short order remark is not swallowed.
    """
    first, strong = None, False
    for index in reversed(content[1:]):
        line = lines[index]
        if freetext.is_signature_line(line) and not freetext.asks_something(line):
            strong = True
        elif not _is_name(line, words=4):
            break
        first = index
    if first is None:
        return content[-1] + 1
    alone_name = first == content[-1] and _is_name(lines[first])
    return first if strong or alone_name else content[-1] + 1


def _last_explicit_line(lines: list[str], content: list[int]) -> int:
    """Index of the last "10 x SKU-1"-style line, -1 if there is none."""
    for index in reversed(content):
        found, _ = parse_order_line(lines[index], None, Evidence(text=""))
        if has_multiplier_shape(lines[index]) and any(
                draft.quantity and draft.quantity.confidence >= 1.0 for draft, _ in found):
            return index
    return -1


_NAME_CONNECTORS = frozenset(("of", "and", "&", "für", "fur", "de", "du", "la", "le", "des", "van", "der",
                              "den", "og", "en", "und", "et", "i.a.", "i.v.", "ppa.", "|", "-", "–"))


def _is_name(line: str, *, words: int = 3) -> bool:
    """A name or job title: capitalised words, connectors allowed ("Head of Purchasing")."""
    found = line.strip().rstrip(".,").split()
    capitalised = [word for word in found if word.casefold() not in _NAME_CONNECTORS]
    short = 0 < len(found) <= words + 2 and 0 < len(capitalised) <= words
    return (short and not freetext.asks_something(line)
            and all(re.fullmatch(r"[^\W\d_][\w'’.-]*", word) and word[0].isupper() for word in capitalised))


# --- reading the body ---------------------------------------------------------------------------------


@dataclass
class _Body:
    draft: OrderDraft | None = None  # what the text names; may hold fields but no lines
    unexplained: list[Evidence] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    forwarded_from: str = ""
    forward_depth: int = 0
    text: str = ""  # the writers' own text, without signatures and quoted history
    # A subject that may ask for something, and the fields it names if it names nothing else
    # (one reading per way its numeric dates can be read).
    subject: tuple[Evidence, list[OrderDraft]] | None = None

    def subject_evidence(self, draft: OrderDraft | None) -> list[Evidence]:
        """The subject as unexplained text, unless it only repeats what ``draft`` states."""
        if self.subject is None:
            return []
        evidence, readings = self.subject
        if draft is not None and any(_repeats_fields(named, draft) for named in readings):
            return []
        return [evidence]
    full: str = ""  # every line, for newsletter footers


def _read_body(parts: _Parts, *, subject: str, sender: str, fmt: str, sent: date | None = None) -> _Body:
    plain = "\n\n".join(text or alternative for text, alternative in parts.bodies)
    body = _read_text(plain, subject=subject, sender=sender, fmt=fmt, sent=sent)
    has_html = any(text and alternative for text, alternative in parts.bodies)
    if has_html and not (body.draft and body.draft.lines):
        # Mail programs turn an HTML table into one cell per line in the text part.
        html = "\n\n".join(alternative or text for text, alternative in parts.bodies)
        rich = _read_text(html, subject=subject, sender=sender, fmt=fmt, sent=sent)
        if rich.draft and rich.draft.lines:
            return rich
    return body


def _sent_day(message: Message) -> date | None:
    """The calendar day of the message's Date header, as the sender's clock had it."""
    try:
        sent = email.utils.parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return sent.date() if sent is not None else None


def _read_text(text: str, *, subject: str, sender: str, fmt: str, sent: date | None = None) -> _Body:
    part = "body" if fmt == FORMAT else ""
    lines, segments = segment(text.split("\n"), forward_subject=bool(_FORWARD_SUBJECT.match(subject)))
    content = [line if i in segments.content else "" for i, line in enumerate(lines)]
    prose = "\n".join(lines[i] for i in sorted(segments.content | segments.own))
    # The order's own writer sets the conventions, not a colleague's note above a forward.
    language = detect_language("\n".join(lines[i] for i in sorted(segments.content)))
    writer = segments.forwarded_from or sender
    day_first = day_first_for(writer, language)
    decimal_comma = _decimal_comma(language)
    country = writer_country(writer, [lines[i] for i in sorted(segments.content | segments.signature)])
    # A forwarded order was written before the forward was sent, on a day not known here.
    draft, used = read_order_text(content, day_first=day_first, part=part,
                                  subject=segments.subject or subject, decimal_comma=decimal_comma,
                                  written_on=None if segments.forwarded else sent,
                                  convention_confirmed=decimal_comma is not None
                                  and COUNTRY_DECIMAL_COMMA.get(country) == decimal_comma)
    body = _Body(draft=draft, forwarded_from=segments.forwarded_from, text=prose, full=text,
                 forward_depth=segments.forwards if segments.forwarded_from else 0)
    body.unexplained = freetext.account(content, used=set(used), part=part)
    body.unexplained += freetext.account(_only(lines, segments.own), used=set(), part=part)
    body.unexplained += _signature_evidence(lines, segments, part)
    body.subject = _subject_check(segments.subject or subject, day_first)
    if segments.forwarded and not segments.forwarded_from:
        shown = segments.forwarded_name or "no sender line"
        body.uncertain.append(f"forwarded message without the original sender's address ({shown})")
    if draft is not None:
        draft.format, draft.locator = fmt, "body" if fmt == FORMAT else ""
        draft.language = language or ""
    return body


def _only(lines: list[str], keep: set[int]) -> list[str]:
    return [line if i in keep else "" for i, line in enumerate(lines)]


def _signature_evidence(lines: list[str], segments: _Segments, part: str) -> list[Evidence]:
    signature = _only(lines, segments.signature)
    found = freetext.account(signature, used=set(), signature=True, part=part)
    stray, _ = read_order_text(signature, day_first=None)
    for line in stray.lines if stray else []:
        evidence = line.quantity.evidence if line.quantity else None
        if evidence is not None:
            found.append(Evidence(text=f"order line after the signature: {evidence.text}", line=evidence.line,
                                  part=part))
    return found


def _subject_check(subject: str, day_first: bool | None) -> tuple[Evidence, list[OrderDraft]] | None:
    """The subject when it may ask for something, with the fields it names if it names
    nothing else. A date the sender's conventions leave open ("09/12/2026") is read both
    ways: the subject only restates the order when one reading is the order's own date."""
    cleaned = re.sub(r"^\s*(?:(?:re|aw|sv|antw|fwd?|fw|wg|tr|vs|vb|doorst|rv|enc)\s*:\s*)+", "", subject,
                     flags=re.IGNORECASE).strip()
    if not cleaned or not freetext.asks_something(cleaned) or freetext.is_harmless(cleaned):
        return None
    readings = []
    for convention in (day_first,) if day_first is not None else (True, False):
        named, used = read_order_text([cleaned], day_first=convention)
        if named is not None and used == [0] and not named.lines and not named.uncertain:
            readings.append(named)
    return Evidence(text=cleaned[:_EVIDENCE_MAX], part="subject"), readings


_SUBJECT_FIELDS = ("po_number", "requested_date", "order_date", "customer_number")


def _repeats_fields(named: OrderDraft, draft: OrderDraft) -> bool:
    """"Bestellung 4711 / Liefertermin 14.12.2026": the subject names only fields, and the
    order states the same values."""
    return all(_same_value(getattr(named, name), getattr(draft, name)) for name in _SUBJECT_FIELDS)


def _same_value(named: Read | None, stated: Read | None) -> bool:
    if named is None:
        return True
    if stated is None:
        return False
    return _key(named.value) == _key(stated.value)


def _key(value: object) -> str:
    return re.sub(r"[\W_]", "", str(value)).casefold()


# --- language and dates --------------------------------------------------------------------------------

_STOPWORDS = {
    "en": frozenset(("the", "and", "please", "we", "you", "our", "for", "with", "thank", "thanks",
                     "regards", "of", "to", "are", "this", "would", "find", "attached", "below", "kind",
                     "order", "best", "following", "items", "delivery", "requested", "hello", "hi", "dear",
                     "many", "supply", "purchase", "required", "deliver", "like", "morning", "team")),
    "de": frozenset(("und", "der", "die", "das", "bitte", "wir", "sie", "mit", "für", "unsere", "ist",
                     "nicht", "ich", "vielen", "dank", "grüße", "grüßen", "bestellung", "anbei", "folgende",
                     "liefern", "dem", "uns", "ihnen", "freundlichen", "hallo", "sehr", "geehrte",
                     "liefertermin", "artikel", "bestellen", "gewünschter", "guten", "menge", "hiermit",
                     "wie", "folgt", "zusammen", "gerne", "lieferanschrift", "lieferadresse")),
    "fr": frozenset(("le", "la", "les", "et", "nous", "vous", "pour", "une", "merci", "notre", "commande",
                     "cordialement", "veuillez", "avec", "du", "est", "bonjour", "livrer", "ci-joint", "au",
                     "souhaitons", "commander", "suivants", "livraison", "souhaitée", "articles", "madame",
                     "monsieur", "bonne", "journée")),
    "da": frozenset(("og", "vi", "til", "med", "ikke", "venligst", "vores", "jeg", "af", "på", "hilsen",
                     "tak", "hej", "bestilling", "ordre", "følgende", "levere", "det", "venlig", "vil",
                     "hermed", "leveringsdato", "ønsket", "bestille", "bestiller", "kundenummer", "lever",
                     "senest", "goddag", "mvh", "jer", "leveringsadresse")),
    "nl": frozenset(("het", "wij", "onze", "een", "voor", "graag", "niet", "bestelling", "bijlage",
                     "groet", "vriendelijke", "bedankt", "hierbij", "ons", "van", "zijn", "leveren", "u",
                     "uw", "alvast", "volgende", "leverdatum", "gewenste", "goedemorgen",
                     "beste", "met", "groet", "groeten", "afleveradres", "bestelnummer")),
}
#: Two-letter top-level domains that are used as generic names, not as a country.


def detect_language(text: str) -> str | None:
    """"en", "de", "fr", "da" or "nl" when the function words clearly say so, else None."""
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", text.casefold())
    scores = sorted(((sum(word in stop for word in words), language)
                     for language, stop in _STOPWORDS.items()), reverse=True)
    (best, language), (second, _) = scores[0], scores[1]
    return language if best >= 3 and best >= 1.5 * second else None


def day_first_for(address: str, language: str | None) -> bool | None:
    """Whether the sender writes dates day-first: from the country domain, else the language."""
    domain = address.rsplit("@", 1)[-1].lower()
    tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
    if tld == "us":
        return False
    if len(tld) == 2 and tld not in GENERIC_TLDS:
        return True
    return True if language in ("de", "fr", "da", "nl") else None


def writer_country(address: str, lines: list[str]) -> str | None:
    """The writer's country: from a country domain ("…@acme.de"), else from the dialling code
    of the telephone numbers in the text, when they all agree ("Phone: +44 161 …")."""
    domain = address.rsplit("@", 1)[-1].lower()
    tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
    if len(tld) == 2 and tld not in GENERIC_TLDS:
        return {"uk": "GB"}.get(tld, tld.upper())
    return phone_country(lines)


def _decimal_comma(language: str | None) -> bool | None:
    if language is None:
        return None
    return language != "en"


# --- attachments and nested messages -----------------------------------------------------------------


def _read_attachments(parts: _Parts, *, depth: int) -> _Attachments:
    attached = _Attachments(images=list(parts.images))
    for name, data in parts.attachments:
        attached.names.append(name)
        _read_attachment(attached, name, data, depth=depth)
    for name, inner in parts.nested:
        attached.names.append(name)
        _read_nested(attached, name, inner, depth=depth)
    return attached


def _read_attachment(attached: _Attachments, name: str, data: bytes, *, depth: int) -> None:
    try:
        if not data.strip():
            raise ParseError("the attachment is empty")
        seconds, memory_mb = limits.attachment_limits()
        if detect_format(data, name) in ("email", "text"):
            if depth + 1 > MAX_DEPTH:
                raise ParseError("messages are nested too deeply")
            # Read here: its own attachments are each limited, and counted in the budget.
            result = _parse(data, name=name, depth=depth + 1)
        else:
            result = _read_limited(data, name, seconds, memory_mb)
    except ParseError as exc:
        attached.unreadable.append(f"attachment {name} could not be read: {exc}")
        return
    except Exception as exc:  # a bug in another reader must not lose this message's other orders
        attached.unreadable.append(f"attachment {name} could not be read ({type(exc).__name__})")
        return
    for draft in result.orders:
        draft.attachment = f"{name}/{draft.attachment}" if draft.attachment else name
        if draft.from_email:  # a message saved as a file and attached
            _forwarded_by_attaching(draft, draft.from_email)
        attached.drafts.append(draft)


def _read_limited(data: bytes, name: str, seconds: float, memory_mb: int) -> ParseResult:
    """Another format's reader in a child of its own: an attachment that runs away costs its
    own share of the time and memory, not the message's other orders."""
    label = READER_LABELS.get(detect_format(data, name), "document")
    return sandbox.run_limited(_parse_other, data, name, timeout_s=seconds, memory_mb=memory_mb,
                               label=label)


def _parse_other(data: bytes, name: str) -> ParseResult:
    return parse_document(data, name=name)[1]


def _read_nested(attached: _Attachments, name: str, inner: Message, *, depth: int) -> None:
    if depth + 1 > MAX_DEPTH:
        attached.unreadable.append(f"attached message {name} could not be read: nested too deeply")
        return
    try:
        limits.attachment_limits()  # counted, and read only while the document's time lasts
    except ParseError as exc:
        attached.unreadable.append(f"attached message {name} could not be read: {exc}")
        return
    outcome = _read_message(inner, depth=depth + 1)
    sender = _address(_header(inner, "From"))
    attached.texts.append(_header(inner, "Subject"))
    for draft in outcome.drafts:
        draft.attachment = f"{name}/{draft.attachment}" if draft.attachment else name
        _forwarded_by_attaching(draft, sender)
        attached.drafts.append(draft)


def _forwarded_by_attaching(draft: OrderDraft, sender: str) -> None:
    """A message attached to another is forwarded one more level: its own
    sender is the original's, or, if it forwarded a message itself, its
    original is one level further away."""
    if draft.forwarded_from:
        draft.forward_depth += 1
    elif sender:
        draft.forwarded_from, draft.forward_depth = sender, 1


# --- putting a message together ------------------------------------------------------------------------


def _combine(body: _Body, attached: _Attachments) -> list[OrderDraft]:
    drafts: list[OrderDraft] = []
    if body.draft is not None and body.draft.lines:
        drafts.append(body.draft)
        if attached.drafts:
            names = ", ".join(sorted({draft.attachment for draft in attached.drafts}))
            body.draft.uncertain.append(f"the message body and the attachment ({names}) both hold order "
                                        "lines; the body may repeat the attachment")
    for draft in attached.drafts:
        draft.unexplained = _conflicts(body.draft, draft) + draft.unexplained
        drafts.append(draft)
    for draft in drafts:
        draft.unexplained = [*body.unexplained, *body.subject_evidence(draft), *draft.unexplained]
        draft.uncertain = [*attached.unreadable, *body.uncertain, *draft.uncertain]
        if not draft.forwarded_from:
            draft.forwarded_from, draft.forward_depth = body.forwarded_from, body.forward_depth
    return drafts


def _conflicts(body: OrderDraft | None, attachment: OrderDraft) -> list[Evidence]:
    """What the mail text says that the attached order does not."""
    if body is None:
        return []
    found: list[Evidence] = []
    if body.requested_date is not None and not _same_date(body.requested_date.value, attachment):
        said = attachment.requested_date.value.isoformat() if attachment.requested_date else "no date"
        asked = body.requested_date.value.isoformat()
        found.append(_body_evidence(body.requested_date.evidence,
                                    f"the e-mail asks for delivery on {asked}, the attachment says {said}"))
    if not body.ship_to.is_empty() and not _same_address(body, attachment):
        found.append(_body_evidence(_address_evidence(body), f"the e-mail names the delivery address "
                                    f"'{_address_text(body)}', the attachment "
                                    f"{_address_text(attachment) or 'names none'}"))
    named, said = body.po_number, attachment.po_number
    if named is not None and said is not None and not _same_po(named.value, said.value):
        found.append(_body_evidence(named.evidence, f"the e-mail names PO {named.value}, "
                                    f"the attachment says {said.value}"))
    return found


def _body_evidence(evidence: Evidence | None, text: str) -> Evidence:
    line = evidence.line if evidence else None
    return Evidence(text=text[:300], line=line, part=evidence.part if evidence else "body")


def _same_date(wanted: object, attachment: OrderDraft) -> bool:
    if attachment.requested_date is not None:
        return attachment.requested_date.value == wanted
    dates = {line.requested_date.value for line in attachment.lines if line.requested_date}
    return dates == {wanted}


def _address_text(draft: OrderDraft) -> str:
    parts = (draft.ship_to.name, draft.ship_to.street, draft.ship_to.postal_code, draft.ship_to.city)
    return ", ".join(str(part.value) for part in parts if part is not None)


def _address_evidence(draft: OrderDraft) -> Evidence | None:
    for part in (draft.ship_to.name, draft.ship_to.street, draft.ship_to.city):
        if part is not None:
            return part.evidence
    return None


def _same_address(body: OrderDraft, attachment: OrderDraft) -> bool:
    if attachment.ship_to.is_empty():
        return False

    def key(draft: OrderDraft) -> tuple[str, str]:
        street = draft.ship_to.street.value if draft.ship_to.street else ""
        postal = draft.ship_to.postal_code.value if draft.ship_to.postal_code else ""
        return re.sub(r"\W", "", fold(street)), re.sub(r"\W", "", fold(postal))

    return key(body) == key(attachment)


def _same_po(first: str, second: str) -> bool:
    a, b = (re.sub(r"[^0-9a-z]", "", value.casefold()) for value in (first, second))
    return bool(a and b) and (a == b or a in b or b in a)


def _flag_doubtful(drafts: list[OrderDraft], body: _Body, subject: str) -> None:
    """Orders found in a message that also reads like something else go to a person."""
    words = find_words(subject, _QUOTE_WORDS + _DOCUMENT_WORDS + _UNSUBSCRIBE)
    if words:
        for draft in drafts:
            draft.uncertain.append(f"the subject mentions '{words[0]}': the message may not be an order")
    if body.draft is not None and body.draft.lines and find_words(body.text, _QUOTE_WORDS + _UNSUBSCRIBE):
        word = find_words(body.text, _QUOTE_WORDS + _UNSUBSCRIBE)[0]
        body.draft.uncertain.append(f"the message mentions '{word}': it may be a request, not an order")


# --- plain-text documents ----------------------------------------------------------------------------


def _decode_document(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError("not a text document: invalid UTF-16") from exc
    else:
        text = _decode_loose(data.removeprefix(b"\xef\xbb\xbf"))
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    if "\x00" in text or controls * 50 > len(text):
        raise ParseError("not a text document: the bytes are binary")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_text_document(text: str) -> ParseResult:
    body = _read_text(text, subject="", sender="", fmt=TEXT_FORMAT)
    if body.draft is not None and body.draft.lines:
        body.draft.unexplained = [*body.unexplained, *body.draft.unexplained]
        body.draft.uncertain += body.uncertain
        body.draft.forwarded_from, body.draft.forward_depth = body.forwarded_from, body.forward_depth
        return ParseResult(orders=[body.draft])
    if find_words(text, _UNSUBSCRIBE):
        return ParseResult(not_an_order="newsletter or bulk mail")
    if reason := _document_reason("", text, ""):
        return ParseResult(not_an_order=reason)
    if not (body.draft or _mentions_order(text)):
        return ParseResult(not_an_order="no order found in the document")
    draft = body.draft or OrderDraft(format=TEXT_FORMAT)
    draft.format = TEXT_FORMAT
    draft.uncertain = [*draft.uncertain, *body.uncertain, "the order could not be read from the document"]
    draft.unexplained = [*body.unexplained, *draft.unexplained]
    return ParseResult(orders=[draft])


__all__ = ["day_first_for", "detect_language", "html_to_text", "parse", "segment"]
