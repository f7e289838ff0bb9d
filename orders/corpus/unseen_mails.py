"""Order e-mails of the unseen corpus (issue 14, points 1, 6, 10, 11).

Bodies in thirteen languages with framing sentences, mail-system banners,
letterhead register lines, prices written with currency and unit, fixed-width
listings and week dates; or a short body carrying the order as a PDF. The
MIME envelope is the main corpus's (``orders.corpus.emails.to_bytes``); the
words are ``orders.corpus.unseen_words``'.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from random import Random

from orders.corpus.emails import Mail, sent_at, to_bytes
from orders.corpus.master import Master
from orders.corpus.model import LineSpec, OrderSpec
from orders.corpus.textfmt import address_lines
from orders.corpus.unseen_words import (
    ATTACHED,
    CLOSINGS,
    COUNTRY_LANG,
    COURTESY,
    CUSTOMER_LINE,
    DELIVERY,
    DELIVERY_WEEK,
    FRAMING,
    GREETINGS,
    HEADS,
    HEADS_MAIL,
    LINE_WORDS,
    PO_LINE,
    PRICE_WITH_UNIT,
    REGISTER_LINES,
    SEPARATORS,
    SHIP_INTRO,
    SUBJECTS,
    banner_bottom,
    banner_top,
    number,
    unit_text,
    unit_words,
)

BODY_STYLES = ("dash", "colon", "words", "table")
FIXED_STYLES = ("ruled", "qty_first", "boxed")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Writer:
    """One writer's habits, fixed for the mail."""

    lang: str
    country: str
    codes: bool  # units as our codes ("CS") rather than words
    grouping: bool  # thousands grouped in quantities
    price_form: int  # which PRICE_WITH_UNIT spelling

    def qty(self, value: int) -> str:
        return number(value, self.lang, grouping=self.grouping)

    def unit(self, line: LineSpec) -> str:
        return unit_text(line.unit, self.lang, line.quantity, codes=self.codes)

    def price(self, spec: OrderSpec, line: LineSpec) -> str:
        """'@ 3.10 EUR/ea', 'á 83,30 DKK pr. kasse'."""
        forms = PRICE_WITH_UNIT[self.lang]
        per = line.unit if self.codes else unit_words(line.unit, self.lang)[1]
        return forms[self.price_form % len(forms)].format(
            p=number(line.unit_price, self.lang), c=spec.currency, u=per
        )


def writer(spec: OrderSpec, rng: Random, *, codes: float = 0.25) -> Writer:
    native = COUNTRY_LANG.get(spec.buyer.country) == spec.language
    spaced = SEPARATORS[spec.language][0] == " "
    return Writer(
        spec.language,
        spec.buyer.country,
        rng.random() < codes,
        (native or spaced) and rng.random() < 0.6,
        rng.randrange(3),
    )


# --- the lines -------------------------------------------------------------------------------------


def body_lines(spec: OrderSpec, w: Writer, rng: Random, style: str) -> tuple[list[str], list[str]]:
    """(text lines, units as written) in one of the running-text styles or a tab/space table."""
    units = [w.unit(line) for line in spec.lines]
    priced = [f", {w.price(spec, ln)}" if ln.unit_price is not None else "" for ln in spec.lines]
    item, qty_word = LINE_WORDS[w.lang]
    describe = rng.random() < 0.6
    out = []
    for ln, unit, price in zip(spec.lines, units, priced, strict=True):
        desc = f" {ln.description}" if describe else ""
        if style == "dash":
            out.append(f"- {w.qty(ln.quantity)} {unit} {ln.ident}{desc}{price}")
        elif style == "colon":
            out.append(
                f"{ln.ident}{(' (' + ln.description + ')') if describe else ''}: "
                f"{w.qty(ln.quantity)} {unit}{price}"
            )
        elif style == "words":
            out.append(f"{item} {ln.ident}, {qty_word} {w.qty(ln.quantity)} {unit}{price}")
    if style == "table":
        return table_lines(spec, w, units, rng), units
    return out, units


def table_lines(spec: OrderSpec, w: Writer, units: list[str], rng: Random) -> list[str]:
    heads = HEADS.get(w.lang) or HEADS_MAIL[w.lang]
    priced = any(ln.unit_price is not None for ln in spec.lines)
    rows = [[heads[0], heads[1], heads[2], heads[3], heads[4], *([heads[5]] if priced else [])]]
    for i, (ln, unit) in enumerate(zip(spec.lines, units, strict=True), start=1):
        price = [number(ln.unit_price, w.lang) if ln.unit_price is not None else ""] if priced else []
        rows.append([str(i), ln.ident, ln.description[:40], w.qty(ln.quantity), unit, *price])
    if rng.random() < 0.5:
        return ["\t".join(row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "   ".join(
            cell.rjust(widths[i]) if i in (0, 3, 5) else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def fixed_width(spec: OrderSpec, w: Writer, rng: Random, style: str) -> tuple[list[str], list[str]]:
    """A fixed-width listing as host systems and old mail clients produce it (issue 14, point 10)."""
    units = [w.unit(line) for line in spec.lines]
    heads = HEADS.get(w.lang) or HEADS_MAIL[w.lang]
    priced = any(ln.unit_price is not None for ln in spec.lines)
    numbered = [f"{i:03d}" if style == "ruled" else str(i * 10) for i in range(1, len(spec.lines) + 1)]
    upper = style == "ruled" and rng.random() < 0.6
    rows = []
    for pos, ln, unit in zip(numbered, spec.lines, units, strict=True):
        desc = ln.description.upper() if upper else ln.description
        price = number(ln.unit_price, w.lang) if ln.unit_price is not None else ""
        amount = (
            number((ln.unit_price * ln.quantity).quantize(CENT), w.lang) if ln.unit_price is not None else ""
        )
        rows.append(
            {
                "p": pos,
                "i": ln.ident,
                "d": desc[:30],
                "q": w.qty(ln.quantity),
                "u": unit,
                "r": price,
                "a": amount,
            }
        )
    head = {
        "p": heads[0],
        "i": heads[1],
        "d": heads[2],
        "q": heads[3],
        "u": heads[4],
        "r": heads[5],
        "a": heads[6],
    }
    if upper:
        head = {k: v.upper() for k, v in head.items()}
    order = {"ruled": "pidqura", "qty_first": "quid", "boxed": "piduqr"}[style]
    if not priced:
        order = order.replace("r", "").replace("a", "")
    widths = {k: max(len(head[k]), *(len(r[k]) for r in rows)) for k in order}
    right = set("qra")

    def cell(key: str, text: str) -> str:
        return text.rjust(widths[key]) if key in right else text.ljust(widths[key])

    if style == "boxed":
        rule = "+" + "+".join("-" * (widths[k] + 2) for k in order) + "+"
        line = lambda r: "| " + " | ".join(cell(k, r[k]) for k in order) + " |"  # noqa: E731
        return [rule, line(head), rule, *(line(r) for r in rows), rule], units
    gap = "  " if style == "ruled" else "   "
    under = "-" if style == "ruled" else "="
    text = [gap.join(cell(k, head[k]) for k in order).rstrip(), gap.join(under * widths[k] for k in order)]
    text += [gap.join(cell(k, r[k]) for k in order).rstrip() for r in rows]
    if priced and style == "ruled":
        amounts = sum((ln.unit_price * ln.quantity for ln in spec.lines), Decimal(0))
        width = len(text[0])
        label = ("TOTAL" if upper else head["a"]) + f" {spec.currency}"
        text.append(f"{label}  {number(amounts.quantize(CENT), w.lang)}".rjust(width))
    return text, units


# --- the letter around them ------------------------------------------------------------------------


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def greeting(spec: OrderSpec, rng: Random, master: Master) -> str:
    rep = master.sales_reps and rng.choice(master.sales_reps).name.split()
    name = rep[0] if rep else ""
    if spec.language in ("pl", "cs") and rep:
        name = rep[-1]
    return rng.choice(GREETINGS[spec.language]).format(rep=name)


def signature(spec: OrderSpec, rng: Random, *, register: bool) -> list[str]:
    company = spec.customer.name if spec.customer else spec.buyer.name
    lines = [spec.sender.name, spec.title, company]
    if rng.random() < 0.6:
        lines.append(" | ".join(address_lines(spec.buyer)[1:]))
    lines.append(f"Tel. {spec.phone}" if rng.random() < 0.6 else f"T {spec.phone}")
    if rng.random() < 0.3:
        lines.append(f"www.{spec.domain}")
    if register and spec.buyer.country in REGISTER_LINES:
        lines += ["", rng.choice(REGISTER_LINES[spec.buyer.country]).format(city=spec.buyer.city)]
    return lines


def delivery_lines(spec: OrderSpec, rng: Random, when: str, *, week: bool) -> list[str]:
    lines = [rng.choice((DELIVERY_WEEK if week else DELIVERY)[spec.language]).format(when=when)]
    if spec.ship_to:
        lines += ["", rng.choice(SHIP_INTRO[spec.language]), *address_lines(spec.ship_to)]
    return lines


def order_body(spec: OrderSpec, rng: Random, master: Master, *, block: list[str], when: str,
               week: bool = False, banner: bool = False, register: bool = False) -> str:  # fmt: skip
    """Greeting, references, framing sentence, the lines, delivery, notes, courtesy, signature."""
    lang = spec.language
    framing = rng.choice(FRAMING[lang])
    refs = [] if "{po}" in framing else [rng.choice(PO_LINE[lang]).format(po=spec.po_number)]
    if spec.customer_number:
        refs.append(rng.choice(CUSTOMER_LINE[lang]).format(n=spec.customer_number))
    text = []
    if banner:
        text += [banner_top(rng, spec.sender.email), ""]
    text += [greeting(spec, rng, master), ""]
    if refs and rng.random() < 0.5:
        text += [*refs, ""]
        refs = []
    text += [_capital(framing.format(po=spec.po_number)), "", *block, ""]
    text += delivery_lines(spec, rng, when, week=week)
    if refs:
        text += ["", *refs]
    if spec.notes:
        text += ["", *spec.notes]
    if rng.random() < 0.6:
        text += ["", rng.choice(COURTESY[lang])]
    text += ["", rng.choice(CLOSINGS[lang]).format(city=spec.buyer.city)]
    text += signature(spec, rng, register=register or rng.random() < 0.3)
    if banner or rng.random() < 0.2:
        text += ["", banner_bottom(rng, spec.language)]
    return "\n".join(text) + "\n"


def attachment_body(spec: OrderSpec, rng: Random, master: Master, *, banner: bool = False,
                    register: bool = False) -> str:  # fmt: skip
    lang = spec.language if spec.language in ATTACHED else "en"
    text = [banner_top(rng, spec.sender.email), ""] if banner else []
    text += [greeting(spec, rng, master), "", _capital(rng.choice(ATTACHED[lang]).format(po=spec.po_number))]
    if spec.notes:
        text += ["", *spec.notes]
    text += ["", rng.choice(CLOSINGS[spec.language]).format(city=spec.buyer.city)]
    text += signature(spec, rng, register=register)
    if banner and rng.random() < 0.5:
        text += ["", banner_bottom(rng, spec.language)]
    return "\n".join(text) + "\n"


def mail_bytes(spec: OrderSpec, body: str, rng: Random, *, attachment: tuple[str, bytes] | None = None,
               external_tag: bool = False, html: bool = False) -> bytes:  # fmt: skip
    company = spec.customer.name if spec.customer else spec.buyer.name
    subject = rng.choice(SUBJECTS[spec.language]).format(po=spec.po_number, company=company)
    if external_tag:
        subject = "[EXTERNAL] " + subject
    mail = Mail(
        spec.sender, subject, sent_at(spec.order_date, spec.buyer.country, rng), body, spec.domain, html=html
    )
    if attachment:
        mail.attachments.append(attachment)
    return to_bytes(mail, rng)
