"""The unseen corpus: order documents in layouts and wording the reader was not built on.

Issue 14 asks for "a part of the generator written without looking at the
reader (new layouts and phrasings added first, scored before any reader
change)". This is that part: nothing here, nor in ``unseen_words``,
``unseen_pdfs`` and ``unseen_mails``, was written with the reader's code in
view. The orders themselves come from the main generator's order builder
(``orders.corpus.build``: customers, ship-tos, agreed prices, stock and credit
of the demo master data), so every clean order here is one a correct system
executes; only the way it is written is new.

Classes (``CLASSES``; the class is the second part of each document's
``layout``, "unseen/<class>/<variant>"):

- pdf-bilingual: labels and column headers in two languages ("Menge / Qty").
- pdf-grid-below: header fields in a grid, the value below its label.
- pdf-three-blocks: Vendor | Bill to | Ship to side by side (or fields left,
  delivery address right).
- pdf-overprint: bold drawn by printing every glyph 2-3 times.
- pdf-odd-headers, pdf-no-header: item tables with header words outside any
  everyday vocabulary, or with no header at all.
- pdf-terms-page: a printed page of terms and conditions after the order.
- priced-units: prices with currency and unit ("@ 3.10 EUR/ea",
  "á 83,30 DKK pr. kasse"), in mail bodies and PDF price cells.
- mail-fixed-width: fixed-width listings in the mail body.
- mail-languages: order mails in Swedish, Norwegian, Italian, Spanish, Polish,
  Portuguese, Finnish and Czech.
- mail-framing: framing sentences, mail-system banners, register lines.
- week-dates: the delivery date written as a week ("KW 08/2026", "week 8").
  The requested date a correct reader takes is the Monday of that ISO week.
- sheet-shipto-address: a CSV/XLSX sheet whose "Ship To" column holds the
  full delivery address.
- instructions: orders with one genuine instruction in novel wording
  (FREE_TEXT_INSTRUCTION, must be routed); every other document is clean.

``generate_unseen`` writes the documents and returns their ground truth
(``Expected``, the main corpus's manifest shape); the same seed, master data
and ``today`` give the same bytes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random

from openpyxl import Workbook
from openpyxl.styles import Font

from orders.corpus.build import (
    Context,
    build_order,
    make_context,
    orderable,
    routine_customers,
    weighted_customer,
)
from orders.corpus.defects import CorpusError
from orders.corpus.master import Customer, Ledger, Rows, load_master
from orders.corpus.model import Document, Expected, OrderSpec, base_expected, expected_lines, unit_price
from orders.corpus.sheets import _stable_zip
from orders.corpus.textfmt import address_lines
from orders.corpus.unseen_mails import (
    BODY_STYLES,
    FIXED_STYLES,
    Writer,
    attachment_body,
    body_lines,
    fixed_width,
    mail_bytes,
    order_body,
    writer,
)
from orders.corpus.unseen_pdfs import LAYOUTS, Form, draw
from orders.corpus.unseen_words import (
    COUNTRY_LANG,
    HEADS,
    INSTRUCTIONS,
    LABELS,
    LANG_COUNTRIES,
    NEW_LANGS,
    ODD_HEADS,
    PDF_LANGS,
    PRICE_WITH_UNIT,
    SEPARATORS,
    TERMS_PAGES,
    TITLES,
    number,
    spell_date,
    spell_week,
    unit_text,
    unit_words,
)

#: Documents per class.
CLASSES = {
    "pdf-bilingual": 8, "pdf-grid-below": 7, "pdf-three-blocks": 7, "pdf-overprint": 7,
    "pdf-odd-headers": 7, "pdf-no-header": 6, "pdf-terms-page": 6, "priced-units": 8,
    "mail-fixed-width": 7, "mail-languages": 16, "mail-framing": 10, "week-dates": 8,
    "sheet-shipto-address": 6, "instructions": 15,
}  # fmt: skip
INSTRUCTION_CLASS = "instructions"
INSTRUCTION = "FREE_TEXT_INSTRUCTION"
#: Which country's customers write in each language (None: any).
COUNTRIES = {
    "en": ("GB", "US"),
    "de": ("DE", "AT", "CH"),
    "fr": ("FR", "BE"),
    "da": ("DK",),
    "nl": ("NL", "BE"),
    **LANG_COUNTRIES,
}
#: Languages of the instruction documents, one each.
INSTRUCTION_LANGS = ("en", "de", "fr", "da", "nl", "sv", "no", "fi", "it", "es", "pt", "pl", "cs", "en", "de")
PRICE_LANGS = ("da", "en", "sv", "de", "no", "it", "fr", "cs")
FILE_WORDS = {
    "en": "PO",
    "de": "Bestellung",
    "fr": "BC",
    "da": "Indkoebsordre",
    "nl": "Inkooporder",
    "sv": "Inkopsorder",
    "no": "Innkjopsordre",
    "fi": "Ostotilaus",
    "it": "Ordine",
    "es": "Pedido",
    "pt": "Encomenda",
}
#: Another site of the buyer for instructions that name one, by country.
OTHER_CITIES = {
    "DE": "Kassel",
    "AT": "Graz",
    "CH": "Lugano",
    "FR": "Reims",
    "BE": "Gent",
    "NL": "Breda",
    "DK": "Odense",
    "GB": "Derby",
    "US": "Toledo",
    "SE": "Borås",
}


@dataclass(frozen=True)
class Job:
    cls: str
    index: int  # the document's number within its class: picks its variant


def class_of(item: Expected) -> str:
    """The unseen class of a document ("" for one of the main corpus)."""
    parts = item.layout.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "unseen" else ""


def generate_unseen(directory: Path, *, master: Rows, seed: int = 11, today: date) -> list[Expected]:
    """Write every class's documents into `directory`; return their ground truth in intake order."""
    rng = Random(seed)  # noqa: S311 - reproducible test data
    data = load_master(master)
    ctx = make_context(data, Ledger(data), today, rng)
    jobs = [Job(cls, i) for cls, count in CLASSES.items() for i in range(count)]
    rng.shuffle(jobs)
    ctx.clean_left = sum(1 for job in jobs if job.cls != INSTRUCTION_CLASS)
    seeds = [rng.getrandbits(64) for _ in jobs]
    documents = [BUILDERS[job.cls](ctx, job, Random(s)) for job, s in zip(jobs, seeds, strict=True)]  # noqa: S311
    return _write(Path(directory), documents)


def _write(directory: Path, documents: list[Document]) -> list[Expected]:
    directory.mkdir(parents=True, exist_ok=True)
    expected = []
    for number_, document in enumerate(documents, start=1):
        name = f"{number_:04d}_{document.stem}.{document.extension}"
        (directory / name).write_bytes(document.data)
        expected.append(replace(document.expected, file=name))
    return expected


# --- the orders ------------------------------------------------------------------------------------


def order_for(ctx: Context, rng: Random, fmt: str, *, lang: str | None = None, non_default: bool = False,
              clean: bool = True, priced: bool | None = None) -> OrderSpec:  # fmt: skip
    """An order of a routine customer (one writing `lang` where there is one), in `lang` or the
    customer's own language; booked against stock and credit when clean."""
    pool = [c for c in routine_customers(ctx) if not non_default or len(c.shiptos) > 1]
    countries = COUNTRIES.get(lang) if lang else None
    preferred = [c for c in pool if countries is None or c.country in countries]
    spec = None
    for candidates in (preferred, pool):
        spec = _build(ctx, rng, list(candidates), fmt, clean=clean, non_default=non_default)
        if spec:
            break
    if spec is None:
        raise CorpusError("stock or credit of the master data is used up for the unseen corpus")
    speak(spec, lang or COUNTRY_LANG.get(spec.customer.country, "en"), rng)
    if priced is True and not spec.show_prices:
        spec.lines = [replace(ln, unit_price=_agreed(spec.customer, ln)) for ln in spec.lines]
        spec.show_prices = True
    elif priced is False:
        spec.lines = [replace(ln, unit_price=None) for ln in spec.lines]
        spec.show_prices = False
    return spec


def _build(ctx: Context, rng: Random, candidates: list[Customer], fmt: str, *, clean: bool,
           non_default: bool) -> OrderSpec | None:  # fmt: skip
    if not clean:
        rng.shuffle(candidates)
        for customer in candidates:
            spec = build_order(ctx, rng, customer, fmt=fmt, clean=False, lang="en", non_default=non_default)
            if spec:
                return spec
        return None
    while customer := weighted_customer(ctx, rng, candidates):
        spec = build_order(ctx, rng, customer, fmt=fmt, clean=True, lang="en", non_default=non_default)
        if spec:
            ctx.clean_left -= 1
            return spec
        candidates.remove(customer)
    return None


def _agreed(customer: Customer, line) -> Decimal:
    return unit_price(customer.prices[line.sku].amount, line.factor or 1)


def speak(spec: OrderSpec, lang: str, rng: Random) -> None:
    spec.language = lang
    spec.title = rng.choice(TITLES[lang])


def instruct(spec: OrderSpec, rng: Random) -> str:
    """Give the order one genuine instruction in its language (FREE_TEXT_INSTRUCTION)."""
    city = OTHER_CITIES.get(spec.buyer.country, "Kassel")
    sentence = rng.choice(INSTRUCTIONS[spec.language]).format(city=city, name=spec.sender.name)
    spec.notes.append(sentence)
    spec.defect, spec.note = INSTRUCTION, sentence
    return sentence


def week_of(ctx: Context, spec: OrderSpec) -> date | None:
    """Move the requested date to the Monday of its ISO week (or of a later week) where every
    line is still orderable then; None where no such Monday is near."""
    monday = spec.requested_date - timedelta(days=spec.requested_date.weekday())
    for _ in range(3):
        if all(orderable(ctx, spec.customer, ln.product, (spec.order_date, monday)) for ln in spec.lines):
            spec.requested_date = monday
            return monday
        monday += timedelta(days=7)
    return None


def pdf_lang(spec: OrderSpec, rng: Random, *, english: float = 0.3) -> str:
    native = COUNTRY_LANG.get(spec.customer.country, "en")
    return "en" if native not in PDF_LANGS or rng.random() < english else native


def grouped(spec: OrderSpec, lang: str) -> bool:
    """Thousands grouped where nobody can read the separator as a decimal mark."""
    return SEPARATORS[lang][0] == " " or COUNTRY_LANG.get(spec.buyer.country) == lang


# --- PDFs ------------------------------------------------------------------------------------------


def form_for(spec: OrderSpec, rng: Random, lang: str, *, heads: str = "plain", week: bool = False,
             price_unit: bool = False, terms: str = "", ship_always: bool = False,
             notes: list[str] | None = None) -> tuple[Form, list[str]]:  # fmt: skip
    """The order spelled for a form in `lang` ("de+en": bilingual); (form, units as written)."""
    native, _, second = lang.partition("+")
    labels = dict(LABELS[native])
    head_row: tuple[str, ...] | None = HEADS[native]
    second_heads = None
    if second:
        if rng.random() < 0.6 or heads == "bilingual-inline":
            head_row = tuple(f"{a} / {b}" for a, b in zip(HEADS[native], HEADS[second], strict=True))
        else:
            second_heads = HEADS[second]
        labels = {k: f"{v} / {LABELS[second][k]}" for k, v in labels.items()}
    if heads == "odd":
        head_row = rng.choice(ODD_HEADS[native])
    elif heads == "none":
        head_row = None
    codes = rng.random() < 0.3
    units = [unit_text(ln.unit, native, ln.quantity, codes=codes) for ln in spec.lines]
    group = grouped(spec, native)
    numbering = rng.choice(("{i}", "{i0}", "{i:04d}", "{i:03d}"))
    rows, amounts = [], []
    for i, (ln, unit) in enumerate(zip(spec.lines, units, strict=True), start=1):
        price = amount = ""
        if ln.unit_price is not None:
            value = (ln.unit_price * ln.quantity).quantize(Decimal("0.01"))
            amounts.append(value)
            amount = number(value, native, grouping=group)
            price = number(ln.unit_price, native)
            if price_unit:
                per = ln.unit if codes else unit_words(ln.unit, native)[1]
                form = rng.choice(("{p} {c}/{u}", "{c} {p} / {u}", *PRICE_WITH_UNIT[native]))
                price = form.format(p=price, c=spec.currency, u=per)
        pos = numbering.format(i=i, i0=i * 10) if "i0" in numbering else numbering.format(i=i)
        rows.append(
            [pos, ln.ident, ln.description, number(ln.quantity, native, grouping=group), unit, price, amount]
        )
    style = rng.randrange(2)
    if week:
        delivery = spell_week(spec.requested_date, native, rng.randrange(4))
    else:
        delivery = spell_date(spec.requested_date, native, style, spec.buyer.country)
    if ship_always and spec.ship_to is None:
        spec.ship_to = spec.buyer  # the buyer's head office, its default ship-to
    form = Form(
        spec=spec, lang=lang, labels=labels, heads=head_row,
        order_date=spell_date(spec.order_date, native, style, spec.buyer.country), delivery=delivery,
        rows=rows, total=number(sum(amounts), native, grouping=group) if amounts else None,
        ship_to=address_lines(spec.ship_to) if spec.ship_to else None,
        notes=list(notes or []), terms_page=terms, second_heads=second_heads,
    )  # fmt: skip
    return form, units


def pdf_document(ctx: Context, spec: OrderSpec, rng: Random, *, cls: str, variant: str, fmt: str, form: Form,
                 units: list[str], layout: str, overprint: int = 0, banner: bool = False,
                 register: bool = False) -> Document:  # fmt: skip
    data = draw(form, layout, rng, overprint=overprint)
    native = form.lang.partition("+")[0]
    stem = f"{FILE_WORDS.get(native, 'PO')}_{_safe(spec.po_number)}"
    expected = _expected(spec, fmt, cls, f"{layout}-{variant}" if variant else layout, units, form.lang)
    if fmt == "pdf":
        return Document(stem, "pdf", data, expected)
    body = attachment_body(spec, rng, ctx.master, banner=banner, register=register)
    expected.attachment = f"{stem}.pdf"
    mail = mail_bytes(
        spec, body, rng, attachment=(f"{stem}.pdf", data), external_tag=banner and rng.random() < 0.5
    )
    return Document("mail", "eml", mail, expected)


def _expected(spec: OrderSpec, fmt: str, cls: str, variant: str, units: list[str], lang: str) -> Expected:
    expected = base_expected(spec, fmt=fmt, layout=f"unseen/{cls}/{variant}")
    expected.lines = expected_lines(spec.lines, units)
    expected.language = lang
    return expected


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in text)


def _pdf_class(cls: str, *, heads: str = "plain", layouts: tuple[str, ...] = tuple(LAYOUTS),
               overprint: bool = False, terms: bool = False, ship_always: bool = False,
               non_default: float = 0.0, bilingual: bool = False):  # fmt: skip
    def build(ctx: Context, job: Job, rng: Random) -> Document:
        fmt = ("pdf", "email_pdf")[job.index % 2]
        spec = order_for(ctx, rng, fmt, non_default=rng.random() < non_default)
        lang = pdf_lang(spec, rng)
        if bilingual:
            native = COUNTRY_LANG.get(spec.customer.country, "en")
            native = (
                native
                if native in PDF_LANGS and native != "en"
                else rng.choice(("de", "da", "sv", "fr", "es", "it"))
            )
            lang = f"{native}+en"
        if heads == "odd" and lang not in ODD_HEADS:
            lang = "en"
        speak(spec, lang.partition("+")[0], rng)
        layout = layouts[job.index % len(layouts)]
        terms_lang = (lang if lang in TERMS_PAGES else "en") if terms else ""
        form, units = form_for(
            spec, rng, lang, heads=heads, terms=terms_lang, ship_always=ship_always or layout == "blocks"
        )
        depth = 2 + job.index % 2 if overprint else 0
        variant = f"x{depth}" if overprint else ("stacked" if form.second_heads else "")
        return pdf_document(
            ctx,
            spec,
            rng,
            cls=cls,
            variant=variant,
            fmt=fmt,
            form=form,
            units=units,
            layout=layout,
            overprint=depth,
        )

    return build


# --- mails -----------------------------------------------------------------------------------------


def _body_document(ctx: Context, spec: OrderSpec, rng: Random, *, cls: str, variant: str, block: list[str],
                   units: list[str], week: bool = False, banner: bool = False, register: bool = False,
                   html: bool = False) -> Document:  # fmt: skip
    if week:
        when = spell_week(spec.requested_date, spec.language, rng.randrange(4))
    else:
        when = spell_date(spec.requested_date, spec.language, rng.randrange(2), spec.buyer.country)
    body = order_body(
        spec, rng, ctx.master, block=block, when=when, week=week, banner=banner, register=register
    )
    expected = _expected(spec, "email_body", cls, variant, units, spec.language)
    data = mail_bytes(spec, body, rng, external_tag=banner and rng.random() < 0.4, html=html)
    return Document("mail", "eml", data, expected)


def build_fixed_width(ctx: Context, job: Job, rng: Random) -> Document:
    spec = order_for(ctx, rng, "email_body", lang=("en", "de", "da", "sv", "nl", "fr", "en")[job.index % 7])
    style = FIXED_STYLES[job.index % len(FIXED_STYLES)]
    w = writer(spec, rng, codes=0.6)
    block, units = fixed_width(spec, w, rng, style)
    return _body_document(ctx, spec, rng, cls="mail-fixed-width", variant=style, block=block, units=units)


def build_languages(ctx: Context, job: Job, rng: Random) -> Document:
    lang = NEW_LANGS[job.index // 2 % len(NEW_LANGS)]
    attached = job.index % 2 == 1 and lang in PDF_LANGS
    spec = order_for(ctx, rng, "email_pdf" if attached else "email_body", lang=lang)
    if attached:
        form, units = form_for(spec, rng, lang)
        layout = rng.choice(("letter", "grid", "blocks"))
        return pdf_document(
            ctx,
            spec,
            rng,
            cls="mail-languages",
            variant=lang,
            fmt="email_pdf",
            form=form,
            units=units,
            layout=layout,
        )
    style = rng.choice(BODY_STYLES)
    block, units = body_lines(spec, writer(spec, rng), rng, style)
    return _body_document(
        ctx,
        spec,
        rng,
        cls="mail-languages",
        variant=f"{lang}-{style}",
        block=block,
        units=units,
        html=rng.random() < 0.3,
    )


def build_framing(ctx: Context, job: Job, rng: Random) -> Document:
    lang = ("en", "de", "fr", "da", "nl")[job.index % 5]
    if job.index >= 5:
        spec = order_for(ctx, rng, "email_pdf", lang=lang)
        form, units = form_for(spec, rng, lang if lang in PDF_LANGS else "en")
        return pdf_document(
            ctx,
            spec,
            rng,
            cls="mail-framing",
            variant=lang,
            fmt="email_pdf",
            form=form,
            units=units,
            layout=rng.choice(tuple(LAYOUTS)),
            banner=True,
            register=True,
        )
    spec = order_for(ctx, rng, "email_body", lang=lang)
    style = rng.choice(BODY_STYLES)
    block, units = body_lines(spec, writer(spec, rng), rng, style)
    return _body_document(
        ctx,
        spec,
        rng,
        cls="mail-framing",
        variant=f"{lang}-{style}",
        block=block,
        units=units,
        banner=True,
        register=True,
        html=rng.random() < 0.4,
    )


def build_priced(ctx: Context, job: Job, rng: Random) -> Document:
    lang = PRICE_LANGS[job.index % len(PRICE_LANGS)]
    if job.index < 5:
        spec = order_for(ctx, rng, "email_body", lang=lang, priced=True)
        style = rng.choice(("dash", "colon", "words"))
        block, units = body_lines(spec, writer(spec, rng), rng, style)
        return _body_document(
            ctx, spec, rng, cls="priced-units", variant=f"{lang}-{style}", block=block, units=units
        )
    spec = order_for(ctx, rng, "pdf", lang=lang, priced=True)
    pdf_language = lang if lang in PDF_LANGS else "en"
    speak(spec, pdf_language, rng)
    form, units = form_for(spec, rng, pdf_language, price_unit=True)
    return pdf_document(
        ctx,
        spec,
        rng,
        cls="priced-units",
        variant="",
        fmt="pdf",
        form=form,
        units=units,
        layout=rng.choice(("letter", "grid")),
    )


def build_week(ctx: Context, job: Job, rng: Random) -> Document:
    body = job.index < 5
    lang = ("de", "en", "sv", "no", "fi", "de", "nl", "da")[job.index % 8]
    spec = order_for(ctx, rng, "email_body" if body else "pdf", lang=lang)
    week = week_of(ctx, spec) is not None
    if body:
        block, units = body_lines(spec, writer(spec, rng), rng, rng.choice(BODY_STYLES))
        document = _body_document(
            ctx,
            spec,
            rng,
            cls="week-dates",
            variant=lang if week else f"{lang}-date",
            block=block,
            units=units,
            week=week,
        )
    else:
        form, units = form_for(spec, rng, lang, week=week)
        document = pdf_document(
            ctx,
            spec,
            rng,
            cls="week-dates",
            variant=lang if week else f"{lang}-date",
            fmt="pdf",
            form=form,
            units=units,
            layout=rng.choice(("grid", "letter", "blocks")),
        )
    if week:
        document.expected.note = "delivery written as a week: the requested date is its Monday"
    return document


def build_instruction(ctx: Context, job: Job, rng: Random) -> Document:
    lang = INSTRUCTION_LANGS[job.index % len(INSTRUCTION_LANGS)]
    fmt = ("email_body", "email_pdf", "pdf")[job.index % 3] if lang in PDF_LANGS else "email_body"
    spec = order_for(ctx, rng, fmt, lang=lang, clean=False)
    sentence = instruct(spec, rng)
    if fmt == "email_body":
        block, units = body_lines(spec, writer(spec, rng), rng, rng.choice(BODY_STYLES))
        return _body_document(
            ctx, spec, rng, cls=INSTRUCTION_CLASS, variant=f"{lang}-body", block=block, units=units
        )
    # In a PDF the sentence is a remark on the form; with a PDF attached it is in the mail.
    form, units = form_for(spec, rng, lang, notes=[sentence] if fmt == "pdf" else None)
    if fmt == "pdf":
        spec.notes = []
    return pdf_document(
        ctx,
        spec,
        rng,
        cls=INSTRUCTION_CLASS,
        variant=f"{lang}-{fmt}",
        fmt=fmt,
        form=form,
        units=units,
        layout=rng.choice(tuple(LAYOUTS)),
    )


# --- sheets ----------------------------------------------------------------------------------------

SHEET_HEADERS = {
    "en": ("PO Number", "Order Date", "Need By", "Line", "Item", "Description", "Qty", "UOM", "Unit Price",
           "Ship To"),
    "de": ("Bestellung", "Datum", "Wunschtermin", "Pos", "Artikel", "Text", "Menge", "ME", "Preis",
           "Lieferanschrift"),
    "sv": ("Ordernr", "Datum", "Leveransdatum", "Rad", "Artikel", "Benämning", "Antal", "Enhet", "Pris",
           "Leveransadress"),
    "da": ("Ordrenr", "Dato", "Leveres", "Linje", "Varenr", "Tekst", "Antal", "Enhed", "Pris",
           "Leveringsadresse"),
}  # fmt: skip


def build_sheet(ctx: Context, job: Job, rng: Random) -> Document:
    """A sheet whose "Ship To" column holds the whole delivery address in one cell (issue 14,
    point 7: the order that once went to the default ship-to)."""
    fmt = "csv" if job.index < 3 else "xlsx"
    spec = order_for(ctx, rng, fmt, non_default=job.index % 3 != 0)
    lang = COUNTRY_LANG.get(spec.customer.country, "en")
    lang = lang if lang in SHEET_HEADERS else "en"
    speak(spec, lang, rng)
    if spec.ship_to is None:
        spec.ship_to = spec.buyer
    address = ", ".join(address_lines(spec.ship_to, with_country=rng.random() < 0.3))
    codes = rng.random() < 0.5
    units = [unit_text(ln.unit, lang, ln.quantity, codes=codes) for ln in spec.lines]
    headers = list(SHEET_HEADERS[lang])
    extra = lang == "en" and rng.random() < 0.5
    if extra:
        headers.insert(9, "Requested By")
    expected = _expected(spec, fmt, "sheet-shipto-address", fmt, units, lang)
    stem = f"order_{_safe(spec.po_number)}"
    if fmt == "csv":
        comma = lang != "en"
        iso = rng.random() < 0.5

        def day(value: date) -> str:
            return value.isoformat() if iso else spell_date(value, lang, 0, spec.buyer.country)

        def num(value) -> str:
            return "" if value is None else (number(value, lang) if comma else str(value))

        rows = [headers]
        for i, (ln, unit) in enumerate(zip(spec.lines, units, strict=True), start=1):
            row = [
                spec.po_number,
                day(spec.order_date),
                day(spec.requested_date),
                str(i),
                ln.ident,
                ln.description,
                str(ln.quantity),
                unit,
                num(ln.unit_price),
                address,
            ]
            if extra:
                row.insert(9, spec.sender.name)
            rows.append(row)
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";" if comma else ",", lineterminator="\r\n").writerows(rows)
        return Document(stem, "csv", buffer.getvalue().encode("utf-8"), expected)
    book = Workbook()
    sheet = book.active
    sheet.title = "PO"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, (ln, unit) in enumerate(zip(spec.lines, units, strict=True), start=1):
        row = [
            spec.po_number,
            spec.order_date,
            spec.requested_date,
            i,
            ln.ident,
            ln.description,
            ln.quantity,
            unit,
            float(ln.unit_price) if ln.unit_price is not None else None,
            address,
        ]
        if extra:
            row.insert(9, spec.sender.name)
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "YYYY-MM-DD" if lang == "en" else "DD.MM.YYYY"
    sheet.column_dimensions["F"].width = 40
    sheet.column_dimensions["J"].width = 60
    stamp = datetime.combine(spec.order_date, time(8, 15))
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = spec.sender.name
    buffer = io.BytesIO()
    book.save(buffer)
    return Document(stem, "xlsx", _stable_zip(buffer.getvalue(), stamp), expected)


BUILDERS = {
    "pdf-bilingual": _pdf_class(
        "pdf-bilingual", bilingual=True, layouts=("bilingual", "bilingual", "grid", "blocks")
    ),
    "pdf-grid-below": _pdf_class("pdf-grid-below", layouts=("grid",), non_default=0.3),
    "pdf-three-blocks": _pdf_class(
        "pdf-three-blocks", layouts=("blocks",), non_default=0.6, ship_always=True
    ),
    "pdf-overprint": _pdf_class(
        "pdf-overprint", overprint=True, layouts=("grid", "blocks", "letter", "bilingual")
    ),
    "pdf-odd-headers": _pdf_class("pdf-odd-headers", heads="odd", layouts=("letter", "grid")),
    "pdf-no-header": _pdf_class("pdf-no-header", heads="none", layouts=("letter", "blocks")),
    "pdf-terms-page": _pdf_class("pdf-terms-page", terms=True, layouts=("grid", "letter", "blocks")),
    "priced-units": build_priced,
    "mail-fixed-width": build_fixed_width,
    "mail-languages": build_languages,
    "mail-framing": build_framing,
    "week-dates": build_week,
    "sheet-shipto-address": build_sheet,
    "instructions": build_instruction,
}
assert set(BUILDERS) == set(CLASSES)  # noqa: S101

__all__ = ["CLASSES", "INSTRUCTION_CLASS", "Writer", "class_of", "generate_unseen"]
