"""Mail that reaches the order inbox but holds no order (NOT_AN_ORDER): status `rejected`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from random import Random

from orders.corpus.build import Context, routine_customers
from orders.corpus.emails import Mail, sent_at, to_bytes
from orders.corpus.master import Person
from orders.corpus.model import NOT_AN_ORDER, Document, Expected
from orders.corpus.textfmt import format_date, number

OUT_OF_OFFICE = {
    "de": ("Automatische Antwort: {subject}",
           "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich {date} nicht im Büro und habe "
           "keinen Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich bitte an {colleague}.\n\n"
           "Mit freundlichen Grüßen\n{name}"),
    "en": ("Out of Office: {subject}",
           "Thank you for your email. I am out of the office until {date} with limited access to email. "
           "For urgent matters please contact {colleague}.\n\nKind regards\n{name}"),
    "fr": ("Réponse automatique : {subject}",
           "Bonjour, je suis absente du bureau jusqu'au {date} inclus. Pour toute demande urgente, merci de "
           "contacter {colleague}.\n\nCordialement,\n{name}"),
    "da": ("Automatisk svar: {subject}",
           "Tak for din mail. Jeg er på ferie til og med {date}. Kontakt venligst {colleague} i mellemtiden."
           "\n\nMed venlig hilsen\n{name}"),
    "nl": ("Automatisch antwoord: {subject}",
           "Dank voor uw bericht. Ik ben tot en met {date} afwezig. Voor dringende zaken kunt u contact "
           "opnemen met {colleague}.\n\nMet vriendelijke groet,\n{name}"),
}  # fmt: skip

NEWSLETTER = (
    Person("newsletter@fachmesse-nord.example", "Fachmesse Nord"),
    "Jetzt Tickets sichern: Fachmesse Instandhaltung {year}",
    "Sehr geehrte Damen und Herren,\n\nvom 12. bis 14. Mai {year} trifft sich die Instandhaltungsbranche in "
    "Hannover. Über 400 Aussteller zeigen Neuheiten aus Hydraulik, Antriebstechnik und Arbeitsschutz.\n\n"
    "Sichern Sie sich jetzt Ihr Frühbucher-Ticket: https://fachmesse-nord.example/tickets\n\n"
    "Highlights:\n- Live-Vorführungen Predictive Maintenance\n- Fachforum Ersatzteillogistik\n"
    "- Karriere-Treff\n\nSie erhalten diese E-Mail, weil Sie sich für unseren Newsletter angemeldet haben.\n"
    "Abmelden: https://fachmesse-nord.example/unsubscribe?u=4711\n",
)

INVOICE = (
    Person("rechnung@spedition-albers.example", "Spedition Albers GmbH"),
    "Rechnung {number}",
    "Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie unsere Rechnung Nr. {number} vom {date} für "
    "Transportleistungen im {month}.\n\nPos  Leistung                         Menge  Betrag EUR\n"
    "1    Sammelgut Hamburg - München      3 Sdg  {a}\n2    Palettentausch                   6 Stk  {b}\n"
    "3    Dieselzuschlag                   1      {c}\n\n"
    "Gesamtbetrag netto: {total} EUR, zahlbar innerhalb von "
    "14 Tagen ohne Abzug.\n\nMit freundlichen Grüßen\nBuchhaltung Spedition Albers GmbH\nHafenrandstraße 12, "
    "28197 Bremen\n",
)


def _expected(sender: str, language: str, layout: str, note: str) -> Expected:
    return Expected(
        file="",
        channel="email",
        format="email_body",
        language=language,
        layout=layout,
        sender=sender,
        customer_number=None,
        po_number=None,
        order_date=None,
        requested_date=None,
        currency=None,
        shipto_code=None,
        lines=[],
        defect=NOT_AN_ORDER,
        note=note,
    )


def out_of_office(ctx: Context, rng: Random) -> Document:
    """A buyer's auto-reply to one of our confirmations."""
    customer = rng.choice([c for c in routine_customers(ctx) if c.history_pos])
    person = rng.choice(customer.contacts)
    lang = {"DE": "de", "AT": "de", "FR": "fr", "BE": "fr", "DK": "da", "NL": "nl"}.get(
        customer.country, "en"
    )
    title, text = OUT_OF_OFFICE[lang]
    back = format_date(ctx.today + timedelta(days=rng.randint(3, 14)), lang, 0, country=customer.country)
    colleague = rng.choice([c for c in customer.contacts if c != person] or [person])
    subject = title.format(subject=f"Order confirmation {rng.choice(sorted(customer.history_pos))}")
    body = text.format(date=back, colleague=f"{colleague.name} ({colleague.email})", name=person.name) + "\n"
    mail = Mail(
        person,
        subject,
        sent_at(ctx.today, customer.country, rng),
        body,
        person.email.rpartition("@")[2],
        headers=[("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")],
    )
    return Document(
        "mail", "eml", to_bytes(mail, rng), _expected(person.email, lang, "email-out_of_office", "auto-reply")
    )


def newsletter(ctx: Context, rng: Random) -> Document:
    sender, subject, body = NEWSLETTER
    year = ctx.today.year
    mail = Mail(
        sender,
        subject.format(year=year),
        sent_at(ctx.today, "DE", rng),
        body.format(year=year),
        sender.email.rpartition("@")[2],
        html=True,
        headers=[
            ("List-Unsubscribe", "<https://fachmesse-nord.example/unsubscribe?u=4711>"),
            ("Precedence", "bulk"),
        ],
    )
    return Document(
        "mail", "eml", to_bytes(mail, rng), _expected(sender.email, "de", "email-newsletter", "newsletter")
    )


def invoice(ctx: Context, rng: Random) -> Document:
    """A carrier's invoice: has positions, quantities and amounts, but orders nothing."""
    sender, subject, body = INVOICE
    amounts = [rng.randint(20000, 90000), rng.randint(3000, 9000), rng.randint(1500, 6000)]
    values = [number(_cents(a), "de") for a in amounts]
    number_ = f"RE-{ctx.today.year}-{rng.randint(10000, 99999)}"
    last_month = ctx.today.replace(day=1) - timedelta(days=1)
    text = body.format(
        number=number_,
        date=format_date(ctx.today, "de", 0),
        month=_month(last_month),
        a=values[0],
        b=values[1],
        c=values[2],
        total=number(_cents(sum(amounts)), "de"),
    )
    mail = Mail(
        sender,
        subject.format(number=number_),
        sent_at(ctx.today, "DE", rng),
        text,
        sender.email.rpartition("@")[2],
    )
    return Document(
        "mail", "eml", to_bytes(mail, rng), _expected(sender.email, "de", "email-invoice", "invoice")
    )


def _cents(value: int) -> Decimal:
    return Decimal(value) / 100


def _month(day: date) -> str:
    return format_date(day, "de", 1).split(" ", 1)[1]


KINDS = {"out_of_office": out_of_office, "newsletter": newsletter, "invoice": invoice}
