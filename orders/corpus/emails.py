"""E-mails: the order in the body text (many line styles) or as a PDF attachment.

A mail is written the way buyers write them: greeting, a sentence, the lines,
delivery date and address, sign-off, signature, sometimes a legal
disclaimer, sometimes as a reply quoting our earlier confirmation, sometimes
forwarded by one of our sales reps.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from random import Random

from orders.corpus.master import Master, Person
from orders.corpus.model import LineSpec, OrderSpec
from orders.corpus.phrases import (
    ATTACHED,
    CHANGE_INTROS,
    CHANGE_SUBJECTS,
    CLOSINGS,
    CURRENCY_LINE,
    CUSTOMER_NUMBER,
    DISCLAIMERS,
    FORWARD_HEADERS,
    FORWARD_NOTES,
    GREETINGS,
    INTROS,
    LINE_WORDS,
    ORDER_INBOX,
    PO_LABELS,
    POLITE,
    QUOTE_HEADERS,
    QUOTED_CONFIRMATIONS,
    REP_CLIENTS,
    REPLY_PREFIX,
    REQUESTED,
    SHIP_TO,
    SUBJECTS,
    TABLE_HEADERS,
)
from orders.corpus.textfmt import (
    address_lines,
    date_style,
    format_date,
    groups_thousands,
    money,
    number,
    written_units,
)

STYLES = ("times", "sku_qty", "article_dash", "qty_first", "table_tab", "table_space", "bullets")
UTC_OFFSETS = {"GB": 0, "US": -6}  # everyone else writes from CET
MAILERS = ("Microsoft Outlook 16.0", "", "", "Apple Mail (2.3774.300.61.1.2)", "Mozilla Thunderbird 115.9")


@dataclass
class Mail:
    sender: Person
    subject: str
    sent: datetime
    body: str
    domain: str
    to: str = ORDER_INBOX
    html: bool = False
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Habits:
    """How this writer spells things, fixed for the whole mail."""

    lang: str
    country: str
    date_style: int
    sign: bool
    per_unit: bool
    descriptions: bool

    def day(self, value: date) -> str:
        return format_date(value, self.lang, self.date_style, country=self.country)


def habits(spec: OrderSpec, rng: Random) -> Habits:
    country = spec.buyer.country
    return Habits(
        spec.language,
        country,
        date_style(rng, spec.language, country),
        rng.random() < 0.3,
        rng.random() < 0.4,
        rng.random() < 0.5,
    )


# --- the order lines ------------------------------------------------------------------------


def order_block(spec: OrderSpec, h: Habits, rng: Random) -> tuple[list[str], list[LineSpec], list[str], str]:
    """(text lines, lines as written, units as written, style) in one of the line styles."""
    style = pick_style(spec, rng)
    if style == "times":
        lines = [line.in_base_unit() for line in spec.lines]
        units = [""] * len(lines)
    else:
        lines = spec.lines
        units = written_units([line.unit for line in lines], h.lang, rng)
    text = STYLE_WRITERS[style](spec, h, list(zip(lines, units, strict=True)))
    return text, lines, units, style


def pick_style(spec: OrderSpec, rng: Random) -> str:
    # "10 x SKU" names no unit, so it is only used where every line converts to base units.
    base_ok = all(line.factor for line in spec.lines)
    return rng.choice([s for s in STYLES if base_ok or s != "times"])


def _desc(h: Habits, line: LineSpec, form: str = "  {}") -> str:
    return form.format(line.description) if h.descriptions and line.description else ""


def _price(spec: OrderSpec, h: Habits, line: LineSpec, unit: str) -> str:
    if line.unit_price is None:
        return ""
    per = f"/{unit}" if unit and h.per_unit else ""
    return f" {LINE_WORDS[h.lang]['each']} {money(line.unit_price, spec.currency, h.lang, sign=h.sign)}{per}"


def _qty(h: Habits, line: LineSpec) -> str:
    return number(line.quantity, h.lang, grouping=groups_thousands(h.lang, h.country))


def _times(spec: OrderSpec, h: Habits, rows: list[tuple[LineSpec, str]]) -> list[str]:
    return [f"{_qty(h, ln)} x {ln.ident}{_desc(h, ln)}{_price(spec, h, ln, u)}" for ln, u in rows]


def _sku_qty(spec: OrderSpec, h: Habits, rows: list[tuple[LineSpec, str]]) -> list[str]:
    word = LINE_WORDS[h.lang]["qty"]
    return [f"{ln.ident} {word} {_qty(h, ln)} {u}{_price(spec, h, ln, u)}" for ln, u in rows]


def _article_dash(spec: OrderSpec, h: Habits, rows: list[tuple[LineSpec, str]]) -> list[str]:
    word = LINE_WORDS[h.lang]["item"]
    return [
        f"{word} {ln.ident} – {_qty(h, ln)} {u}{_desc(h, ln, ' ({})')}{_price(spec, h, ln, u)}"
        for ln, u in rows
    ]


def _qty_first(spec: OrderSpec, h: Habits, rows: list[tuple[LineSpec, str]]) -> list[str]:
    word = LINE_WORDS[h.lang]["item_no"]
    return [
        f"{_qty(h, ln)} {u} {word} {ln.ident}{_desc(h, ln, ', {}')}{_price(spec, h, ln, u)}" for ln, u in rows
    ]


def _bullets(spec: OrderSpec, h: Habits, rows: list[tuple[LineSpec, str]]) -> list[str]:
    def item(ln: LineSpec) -> str:
        return f"{ln.description} ({ln.ident})" if h.descriptions else ln.ident

    return [f"- {_qty(h, ln)} {u} {item(ln)}{_price(spec, h, ln, u)}" for ln, u in rows]


def table_rows(spec: OrderSpec, h: Habits, rows: list[tuple[LineSpec, str]]) -> list[list[str]]:
    """Header and one row per line: Pos, Item, Description, Qty, Unit[, Price]."""
    pos, item, desc, qty, unit, price, _ = TABLE_HEADERS[h.lang]
    priced = any(ln.unit_price is not None for ln, _ in rows)
    header = [pos, item, desc, qty, unit, *([f"{price} {spec.currency}"] if priced else [])]
    body = [
        [str(i), ln.ident, ln.description[:42], _qty(h, ln), u,
         *([number(ln.unit_price, h.lang) if ln.unit_price is not None else ""] if priced else [])]
        for i, (ln, u) in enumerate(rows, start=1)
    ]  # fmt: skip
    return [header, *body]


def _table_tab(spec: OrderSpec, h: Habits, rows: list[tuple[LineSpec, str]]) -> list[str]:
    return ["\t".join(cells) for cells in table_rows(spec, h, rows)]


def _table_space(spec: OrderSpec, h: Habits, rows: list[tuple[LineSpec, str]]) -> list[str]:
    table = table_rows(spec, h, rows)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return ["  ".join(_aligned(i, cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in table]


def _aligned(column: int, cell: str, width: int) -> str:
    return cell.rjust(width) if column in (0, 3, 5) else cell.ljust(width)


STYLE_WRITERS = {
    "times": _times, "sku_qty": _sku_qty, "article_dash": _article_dash, "qty_first": _qty_first,
    "table_tab": _table_tab, "table_space": _table_space, "bullets": _bullets,
}  # fmt: skip


# --- the letter around it --------------------------------------------------------------------


def greeting(spec: OrderSpec, rng: Random, master: Master) -> str:
    choices = GREETINGS[spec.language]
    if spec.customer is None:
        choices = tuple(g for g in choices if "{rep}" not in g)
    rep = rng.choice(master.sales_reps).name.split()[0] if master.sales_reps else ""
    return rng.choice(choices).format(rep=rep)


def reference_lines(spec: OrderSpec, rng: Random, *, po_said: bool) -> list[str]:
    lines = [] if po_said else [rng.choice(PO_LABELS[spec.language]).format(po=spec.po_number)]
    if spec.customer_number:
        lines.append(rng.choice(CUSTOMER_NUMBER[spec.language]).format(number=spec.customer_number))
    return lines


def delivery_lines(spec: OrderSpec, h: Habits, rng: Random) -> list[str]:
    lines = [rng.choice(REQUESTED[h.lang]).format(date=h.day(spec.requested_date))]
    if spec.ship_to:
        lines += ["", rng.choice(SHIP_TO[h.lang]), *address_lines(spec.ship_to)]
    customer_currency = spec.customer.currency if spec.customer else spec.currency
    if spec.currency != customer_currency or (spec.show_prices and rng.random() < 0.4):
        # "All prices in X" only where prices are given; otherwise "Currency: X".
        phrase = rng.choice(CURRENCY_LINE[h.lang]) if spec.show_prices else CURRENCY_LINE[h.lang][1]
        lines += ["", phrase.format(currency=spec.currency)]
    return lines


def signature(spec: OrderSpec, rng: Random) -> list[str]:
    company = spec.customer.name if spec.customer else spec.buyer.name
    lines = ["-- "] if rng.random() < 0.3 else []
    lines += [spec.sender.name, spec.title, company]
    if rng.random() < 0.5:
        lines.append(" · ".join(address_lines(spec.buyer)[1:]))
    lines.append(f"Tel. {spec.phone}" if spec.language != "en" else f"Phone: {spec.phone}")
    if rng.random() < 0.4:
        lines.append(spec.sender.email)
    return lines


def closing(spec: OrderSpec, rng: Random) -> list[str]:
    lines = ["", rng.choice(POLITE[spec.language])] if rng.random() < 0.5 else []
    return [*lines, "", rng.choice(CLOSINGS[spec.language]), *signature(spec, rng)]


def disclaimer(spec: OrderSpec, rng: Random) -> list[str]:
    if rng.random() > 0.25:
        return []
    return ["", "", rng.choice(DISCLAIMERS[spec.language]).format(city=spec.buyer.city)]


def order_mail_text(
    spec: OrderSpec, rng: Random, master: Master
) -> tuple[str, list[LineSpec], list[str], str]:
    """(body, lines as written, units as written, style) for an order in the body."""
    h = habits(spec, rng)
    block, lines, units, style = order_block(spec, h, rng)
    intro = rng.choice(CHANGE_INTROS[h.lang] if spec.change else INTROS[h.lang])
    refs = reference_lines(spec, rng, po_said="{po}" in intro)
    text = [
        greeting(spec, rng, master),
        "",
        *refs,
        *([""] if refs else []),
        _capital(intro, bool(refs)).format(po=spec.po_number),
        "",
        *block,
        "",
        *delivery_lines(spec, h, rng),
    ]
    text += ["", *spec.notes] if spec.notes else []
    text += [*closing(spec, rng), *disclaimer(spec, rng)]
    return "\n".join(text) + "\n", lines, units, style


def _capital(text: str, capital: bool) -> str:
    return text[:1].upper() + text[1:] if capital else text


def attachment_mail_text(spec: OrderSpec, rng: Random, master: Master) -> str:
    """Body of a mail that carries the order as a PDF; a free-text note may sit here."""
    sentence = rng.choice(ATTACHED[spec.language]).format(po=spec.po_number)
    text = [greeting(spec, rng, master), "", _capital(sentence, False), *spec.notes, *closing(spec, rng)]
    return "\n".join([*text, *disclaimer(spec, rng)]) + "\n"


def subject(spec: OrderSpec, rng: Random) -> str:
    h = habits(spec, rng)
    pattern = rng.choice(CHANGE_SUBJECTS[h.lang] if spec.change else SUBJECTS[h.lang])
    return pattern.format(po=spec.po_number, date=h.day(spec.requested_date))


# --- replies and forwards -----------------------------------------------------------------------


def as_reply(mail: Mail, spec: OrderSpec, rng: Random, master: Master) -> Mail:
    """The buyer answers our confirmation of an earlier order and puts the new order on top."""
    old_po = rng.choice(sorted(spec.customer.history_pos))
    rep = rng.choice(master.sales_reps)
    earlier = spec.order_date - timedelta(days=rng.randint(8, 60))
    h = habits(spec, rng)
    said, regards, team = QUOTED_CONFIRMATIONS[h.lang]
    quoted = [
        greeting(spec, rng, master),
        "",
        said.format(po=old_po, date=h.day(earlier + timedelta(days=9))),
        "",
        regards,
        rep.name,
        team,
    ]
    header = QUOTE_HEADERS[h.lang].format(date=h.day(earlier), name=rep.name, email=rep.email)
    mail.body += "\n" + header + "\n" + "\n".join(f"> {line}".rstrip() for line in quoted) + "\n"
    if rng.random() < 0.5:
        mail.subject = REPLY_PREFIX[h.lang] + SUBJECTS[h.lang][0].format(po=old_po)
    return mail


def as_forward(mail: Mail, rng: Random, master: Master, customer_name: str) -> tuple[Mail, Person]:
    """One of our sales reps got the order directly and forwards it to the order desk."""
    rep = rng.choice(master.sales_reps)
    client = rng.choice(REP_CLIENTS.get(rep.name.split()[0], ("en",)))
    (title, by, when, about, to), prefix = FORWARD_HEADERS[client]
    lang = client.partition("-")[0]
    note = rng.choice(FORWARD_NOTES[lang]).format(customer=customer_name, rep=rep.name.split()[0])
    sent = format_date(mail.sent.date(), lang, 0) + mail.sent.strftime(" %H:%M")
    block = [
        title,
        f"{by}: {mail.sender.name} <{mail.sender.email}>",
        f"{when}: {sent}",
        f"{about}: {mail.subject}",
        f"{to}: {mail.to}",
    ]
    later = mail.sent + timedelta(minutes=rng.randint(20, 300))
    body = note + "\n\n" + "\n".join(block) + "\n\n" + mail.body
    forward = Mail(
        rep,
        prefix + mail.subject,
        later,
        body,
        rep.email.rpartition("@")[2],
        html=mail.html,
        attachments=mail.attachments,
    )
    return forward, rep


# --- MIME ---------------------------------------------------------------------------------------


def sent_at(day: date, country: str, rng: Random) -> datetime:
    zone = timezone(timedelta(hours=UTC_OFFSETS.get(country, 1)))
    return datetime.combine(day, time(rng.randint(7, 17), rng.randint(0, 59), rng.randint(0, 59)), zone)


def to_bytes(mail: Mail, rng: Random) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr((mail.sender.name, mail.sender.email))
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.sent)
    message["Message-ID"] = f"<{rng.getrandbits(64):016x}.{rng.getrandbits(24):06x}@{mail.domain}>"
    for name, value in [*mail.headers, *_mailer(rng)]:
        message[name] = value
    message.set_content(mail.body)
    if mail.html:
        message.add_alternative(_html(mail.body), subtype="html")
    for name, data in mail.attachments:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    _fix_boundaries(message, rng)
    return message.as_bytes()


def _mailer(rng: Random) -> list[tuple[str, str]]:
    mailer = rng.choice(MAILERS)
    return [("X-Mailer", mailer)] if mailer else []


def _html(text: str) -> str:
    paragraphs = "".join(f"<div>{html.escape(line) or '<br>'}</div>\n" for line in text.splitlines())
    return f'<html><body style="font-family:Calibri,Arial,sans-serif">\n{paragraphs}</body></html>\n'


def _fix_boundaries(message: EmailMessage, rng: Random) -> None:
    """The email package draws MIME boundaries from the global random state; ours are seeded."""
    for part in message.walk():
        if part.is_multipart():
            part.set_boundary(f"----=_Part_{rng.getrandbits(40):010x}")
