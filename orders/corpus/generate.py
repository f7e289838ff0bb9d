"""A realistic, varied corpus of order documents with ground truth.

``generate_corpus`` writes e-mails (order in the body, or a PDF attached),
PDFs in several layouts, CSV and XLSX sheets, UBL, X12 850, EDIFACT ORDERS
and order JSON, in five languages, against the given master data: clean
documents use only real customers, contacts, ship-tos, agreed prices, units
and quantities a correct system executes; about 30% carry exactly one seeded
defect, named by the CONTRACT §5 cause it must raise. Everything is drawn
from ``random.Random(seed)`` and ``today``: the same arguments write the same
bytes.

The ground truth (``Expected``) lists the documents in intake order (their
file names sort that way), so a follow-up (an order change, a duplicate)
always comes after the document it refers to.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path
from random import Random

from orders.corpus.build import (
    MANY_LINES,
    Context,
    build_order,
    make_context,
    routine_customers,
    weighted_customer,
)
from orders.corpus.defects import BUILDERS, CorpusError, changed
from orders.corpus.master import Address, Customer, Ledger, Rows, load_master
from orders.corpus.model import (
    DUPLICATE,
    NOT_AN_ORDER,
    UNREADABLE,
    Document,
    Expected,
    ExpectedLine,
    OrderSpec,
)
from orders.corpus.nonorders import KINDS as NON_ORDERS
from orders.corpus.pdfs import LAYOUT_LANGUAGES, layout_for
from orders.corpus.plan import ORDER_CHANGE, PAIRED, Job, plan
from orders.corpus.render import SCAN, render, resent

__all__ = ["CorpusError", "Expected", "ExpectedLine", "generate_corpus", "read_manifest", "write_manifest"]

#: Countries whose customers print each language-bound PDF layout.
LAYOUT_COUNTRIES = {"de_pos": ("DE", "AT", "CH"), "fr_ht": ("FR", "BE"), "minimal": ("DK", "NL", "BE")}
#: Intake positions between a document and its follow-up (change or duplicate).
FOLLOW_UP_GAP = (1, 25)


def generate_corpus(
    directory: Path, *, master: Rows, seed: int = 11, count: int = 240, today: date
) -> list[Expected]:
    """Write `count` documents into `directory`; return their ground truth in intake order."""
    rng = Random(seed)  # noqa: S311 - reproducible test data, not secrets
    data = load_master(master)
    ctx = make_context(data, Ledger(data), today, rng)
    jobs = plan(ctx, count, rng)
    ctx.clean_left = sum(1 for job in jobs if job.kind in ("clean", *PAIRED))
    # Each job draws from its own generator, so one document's wording never shifts the next's.
    seeds = [rng.getrandbits(64) for _ in jobs]
    documents: list[Document] = []
    # Long orders are built first, while every customer still has credit left for them; the
    # intake order stays the planned one.
    for position in sorted(range(len(jobs)), key=lambda i: jobs[i].layout != "multipage"):
        for document in run(ctx, jobs[position], Random(seeds[position])):  # noqa: S311
            document.order = (position + document.delay) * 2 + bool(document.delay)
            documents.append(document)
    return _write(Path(directory), documents)


def _write(directory: Path, documents: list[Document]) -> list[Expected]:
    directory.mkdir(parents=True, exist_ok=True)
    expected = []
    for number, document in enumerate(sorted(documents, key=lambda d: d.order), start=1):
        name = f"{number:04d}_{document.stem}.{document.extension}"
        (directory / name).write_bytes(document.data)
        expected.append(replace(document.expected, file=name))
    return expected


def write_manifest(path: Path, expected: list[Expected], **about: object) -> Path:
    """The ground truth as JSON: one object per document (dates ISO, lines as objects, the
    expected CONTRACT §4 status); ``about`` adds top-level facts (seed, today …)."""
    records = [_record(item) for item in expected]
    text = json.dumps({**about, "documents": records}, ensure_ascii=False, indent=1, default=_json_value)
    Path(path).write_text(text + "\n", encoding="utf-8")
    return Path(path)


def read_manifest(path: Path) -> list[Expected]:
    """The ground truth back from `write_manifest`."""
    records = json.loads(Path(path).read_text(encoding="utf-8"))["documents"]
    return [_expected(record) for record in records]


def _record(item: Expected) -> dict[str, object]:
    return {**asdict(item), "lines": [line._asdict() for line in item.lines], "status": item.status}


def _expected(record: dict) -> Expected:
    fields = {key: value for key, value in record.items() if key != "status"}
    for key in ("order_date", "requested_date"):
        fields[key] = date.fromisoformat(fields[key]) if fields[key] else None
    fields["lines"] = [ExpectedLine(**line) for line in fields["lines"]]
    fields["also"] = tuple(fields["also"])
    fields["ship_to"] = Address(**fields["ship_to"]) if fields["ship_to"] else None
    return Expected(**fields)


def _json_value(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


# --- running the jobs ---------------------------------------------------------------------------


def run(ctx: Context, job: Job, rng: Random) -> list[Document]:
    if job.kind == "clean":
        return [render_clean(ctx, job, rng)]
    if job.kind == NOT_AN_ORDER:
        return [NON_ORDERS[job.layout](ctx, rng)]
    if job.kind == ORDER_CHANGE:
        return order_change(ctx, job, rng)
    if job.kind == DUPLICATE:
        return duplicate(ctx, job, rng)
    spec = BUILDERS[job.kind](ctx, rng, job.fmt)
    layout = SCAN if job.kind == "EXTRACTION_UNCERTAIN" else layout_for(spec, rng)
    document = render(spec, job.fmt, layout, rng, ctx.master)
    return [_cut_off(document, rng) if job.kind == UNREADABLE else document]


def _cut_off(document: Document, rng: Random) -> Document:
    """The file as an interrupted transfer leaves it: only its first part arrived."""
    kept = int(len(document.data) * rng.uniform(0.3, 0.8))
    return replace(document, data=document.data[:kept])


def render_clean(ctx: Context, job: Job, rng: Random) -> Document:
    spec, layout = clean_spec(ctx, job, rng)
    return render(spec, job.fmt, layout, rng, ctx.master)


def clean_spec(ctx: Context, job: Job, rng: Random) -> tuple[OrderSpec, str]:
    """A booked clean order fitting the job's layout (falling back to the classic layout)."""
    layout = job.layout or "classic"
    for candidate in (layout, "classic"):
        spec = _clean_for_layout(ctx, job.fmt, candidate, rng)
        if spec:
            ctx.clean_left -= 1
            return spec, candidate
    raise CorpusError("stock or credit of the master data is used up: ask for fewer documents")


def _clean_for_layout(ctx: Context, fmt: str, layout: str, rng: Random) -> OrderSpec | None:
    candidates = [c for c in routine_customers(ctx) if _suits(c, layout)]
    while customer := weighted_customer(ctx, rng, candidates):
        spec = build_order(
            ctx,
            rng,
            customer,
            fmt=fmt,
            clean=True,
            lang=_layout_language(customer, layout),
            count=rng.randint(*MANY_LINES) if layout == "multipage" else None,
            non_default=layout == "deliver_to",
        )
        if spec:
            return spec
        candidates.remove(customer)
    return None


def _suits(customer: Customer, layout: str) -> bool:
    if layout == "deliver_to":
        return len(customer.shiptos) > 1
    if layout == "multipage":
        return len(customer.prices) >= MANY_LINES[0] + 5
    return customer.country in LAYOUT_COUNTRIES.get(layout, (customer.country,))


def _layout_language(customer: Customer, layout: str) -> str | None:
    languages = LAYOUT_LANGUAGES.get(layout)
    if not languages:
        return None
    return "da" if "da" in languages and customer.country == "DK" else languages[-1]


def order_change(ctx: Context, job: Job, rng: Random) -> list[Document]:
    """A clean order, and later the same PO again with one quantity changed."""
    spec, layout = clean_spec(ctx, replace(job, layout=job.layout or _pair_layout(job, rng)), rng)
    first = render(spec, job.fmt, layout, rng, ctx.master)
    second = render(changed(spec, rng, ctx), job.fmt, layout, rng, ctx.master)
    return [first, _follow(second, rng)]


def duplicate(ctx: Context, job: Job, rng: Random) -> list[Document]:
    """A clean e-mail, and later the same e-mail again (byte for byte, or re-sent)."""
    spec, layout = clean_spec(ctx, replace(job, layout=_pair_layout(job, rng)), rng)
    first = render(spec, job.fmt, layout, rng, ctx.master)
    if rng.random() < 0.5:
        second = Document(first.stem, first.extension, first.data, replace(first.expected))
    else:
        second = resent(first, rng)
    second.expected.defect, second.expected.note = DUPLICATE, "the same e-mail again"
    return [first, _follow(second, rng)]


def _pair_layout(job: Job, rng: Random) -> str:
    return rng.choice(("classic", "two_column")) if job.fmt in ("pdf", "email_pdf") else ""


def _follow(document: Document, rng: Random) -> Document:
    """A follow-up goes a few positions after its original in intake order."""
    document.delay = rng.randint(*FOLLOW_UP_GAP)
    return document
