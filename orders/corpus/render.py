"""One order in one format: the file's bytes and what a correct reader takes from it."""

from __future__ import annotations

from dataclasses import replace
from email import message_from_bytes, policy
from email.utils import format_datetime
from random import Random

from orders.corpus.edi import render_edifact, render_x12
from orders.corpus.emails import (
    Mail,
    as_forward,
    as_reply,
    attachment_mail_text,
    order_mail_text,
    sent_at,
    subject,
    to_bytes,
)
from orders.corpus.jsonfmt import render_json
from orders.corpus.master import Master
from orders.corpus.model import Document, Expected, LineSpec, OrderSpec, base_expected, expected_lines
from orders.corpus.pdfs import render_pdf
from orders.corpus.scan import render_scan
from orders.corpus.sheets import render_csv, render_xlsx
from orders.corpus.ubl import render_ubl

SCAN = "scan"
#: What a buyer calls the PDF it attaches or uploads.
FILE_WORDS = {"en": "PO", "de": "Bestellung", "fr": "Commande", "da": "Ordre", "nl": "Bestelling"}
MACHINE = {
    "x12": (render_x12, "x12", "x12-850-4010", "850_{po}"),
    "edifact": (render_edifact, "edi", "edifact-orders-d96a", "ORDERS_{po}"),
    "ubl": (render_ubl, "xml", "ubl-2.1-order", "UBL_Order_{po}"),
    "json": (render_json, "json", "order-json", "order_{po}"),
}


def render(spec: OrderSpec, fmt: str, layout: str, rng: Random, master: Master) -> Document:
    if fmt == "email_body":
        return email_body(spec, rng, master)
    if fmt == "email_pdf":
        return email_pdf(spec, layout, rng, master)
    if fmt == "pdf":
        return standalone_pdf(spec, layout, rng)
    if fmt in ("csv", "xlsx"):
        return sheet(spec, fmt, rng)
    writer, extension, layout_id, stem = MACHINE[fmt]
    data, units = writer(spec, rng)
    return _document(
        spec, fmt, layout_id, stem.format(po=_safe(spec.po_number)), extension, data, spec.lines, units
    )


def _document(spec: OrderSpec, fmt: str, layout: str, stem: str, extension: str, data: bytes,
              lines: list[LineSpec], units: list[str]) -> Document:  # fmt: skip
    expected = base_expected(spec, fmt=fmt, layout=layout)
    expected.lines = expected_lines(lines, units)
    return Document(stem, extension, data, expected)


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)


def pdf_bytes(spec: OrderSpec, layout: str, rng: Random) -> tuple[bytes, list[str]]:
    return render_scan(spec, rng) if layout == SCAN else render_pdf(spec, layout, rng)


def pdf_name(spec: OrderSpec, layout: str, rng: Random) -> str:
    if layout == SCAN:
        return f"Scan_{spec.order_date:%Y%m%d}_{rng.randint(800, 1700):04d}"
    word = FILE_WORDS[spec.language]
    return rng.choice(
        (f"{word}_{_safe(spec.po_number)}", _safe(spec.po_number), f"{word}-{_safe(spec.po_number)}")
    )


def standalone_pdf(spec: OrderSpec, layout: str, rng: Random) -> Document:
    data, units = pdf_bytes(spec, layout, rng)
    return _document(
        spec, "pdf", f"pdf-{layout}", pdf_name(spec, layout, rng), "pdf", data, spec.lines, units
    )


def sheet(spec: OrderSpec, fmt: str, rng: Random) -> Document:
    data, units, layout = (render_csv if fmt == "csv" else render_xlsx)(spec, rng)
    stem = f"{FILE_WORDS[spec.language]}_{_safe(spec.po_number)}"
    return _document(spec, fmt, layout, stem, fmt, data, spec.lines, units)


# --- e-mail ---------------------------------------------------------------------------------------


def email_body(spec: OrderSpec, rng: Random, master: Master) -> Document:
    body, lines, units, style = order_mail_text(spec, rng, master)
    mail = _mail(spec, body, rng)
    document = _document(spec, "email_body", f"email-{style}", "mail", "eml", b"", lines, units)
    return _send(spec, mail, document, rng, master)


def email_pdf(spec: OrderSpec, layout: str, rng: Random, master: Master) -> Document:
    data, units = pdf_bytes(spec, layout, rng)
    name = pdf_name(spec, layout, rng) + ".pdf"
    mail = _mail(spec, attachment_mail_text(spec, rng, master), rng)
    mail.attachments.append((name, data))
    document = _document(spec, "email_pdf", f"pdf-{layout}", "mail", "eml", b"", spec.lines, units)
    document.expected.attachment = name
    return _send(spec, mail, document, rng, master)


def _mail(spec: OrderSpec, body: str, rng: Random) -> Mail:
    return Mail(
        spec.sender,
        subject(spec, rng),
        sent_at(spec.order_date, spec.buyer.country, rng),
        body,
        spec.domain,
        html=rng.random() < 0.3,
    )


def _send(spec: OrderSpec, mail: Mail, document: Document, rng: Random, master: Master) -> Document:
    """Sometimes as a reply quoting our earlier mail, sometimes forwarded by a sales rep."""
    roll, expected = rng.random(), document.expected
    trusted = spec.customer is not None and spec.defect != "UNAUTHORIZED_SENDER"
    if trusted and spec.customer.history_pos and roll < 0.15:
        mail, expected.variant = as_reply(mail, spec, rng, master), "reply"
    elif trusted and master.sales_reps and roll < 0.27:
        mail, rep = as_forward(mail, rng, master, spec.customer.name)
        expected.variant, expected.forwarded_by = "forward", rep.email
    document.data = to_bytes(mail, rng)
    return document


def resent(document: Document, rng: Random) -> Document:
    """The same mail sent again a little later: new Message-ID and Date, same content."""
    message = message_from_bytes(document.data, policy=policy.default)
    sent = message["Date"].datetime
    message.replace_header(
        "Message-ID", f"<{rng.getrandbits(64):016x}.resend@{message['From'].addresses[0].domain}>"
    )
    message.replace_header("Date", format_datetime(sent.replace(minute=(sent.minute + 7) % 60)))
    return Document(document.stem, document.extension, message.as_bytes(), _copy(document.expected))


def _copy(expected: Expected) -> Expected:
    return replace(expected, lines=list(expected.lines))
