"""Which documents the corpus holds: formats, defects, layouts, and their intake order."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest
from random import Random

from orders.corpus.build import Context
from orders.corpus.defects import compliance_seedable
from orders.corpus.model import DUPLICATE, EMAIL_FORMATS, FORMATS, NOT_AN_ORDER, UNREADABLE
from orders.corpus.pdfs import LAYOUTS

#: Share of each format among all documents (e-mail and PDF together well above 35%).
FORMAT_WEIGHTS = {
    "email_body": 0.22,
    "email_pdf": 0.12,
    "pdf": 0.11,
    "csv": 0.08,
    "xlsx": 0.07,
    "ubl": 0.10,
    "x12": 0.09,
    "edifact": 0.09,
    "json": 0.12,
}
DEFECT_SHARE = 0.3
HUMAN_FORMATS = ("email_body", "email_pdf", "pdf")
ORDER_CHANGE = "ORDER_CHANGE"
EXTRACTION_UNCERTAIN = "EXTRACTION_UNCERTAIN"
#: Formats that can carry each defect (all formats where not listed).
CARRIERS = {
    DUPLICATE: EMAIL_FORMATS,
    NOT_AN_ORDER: ("email_body",),
    EXTRACTION_UNCERTAIN: ("pdf", "email_pdf"),
    # A file cut off in transfer; in an e-mail the message itself would still be read.
    UNREADABLE: ("pdf",),
    "FREE_TEXT_INSTRUCTION": ("email_body", "email_pdf", "pdf", "ubl", "x12", "edifact", "json"),
}
#: Documents that come as a pair: a clean first one and the defective follow-up.
PAIRED = (ORDER_CHANGE, DUPLICATE)
BUILT_DEFECTS = (
    "UNKNOWN_CUSTOMER", "AMBIGUOUS_CUSTOMER", "UNAUTHORIZED_SENDER", "UNKNOWN_SHIPTO", "UNKNOWN_PRODUCT",
    "DISCONTINUED_PRODUCT",
    "CONFIGURABLE_PRODUCT", "INVALID_UOM", "MIN_ORDER_QTY", "PRICE_MISSING", "PRICE_MISMATCH",
    "CURRENCY_MISMATCH", "QUANTITY_ANOMALY", "REQUESTED_DATE_INFEASIBLE", "INSUFFICIENT_STOCK", "CREDIT_HOLD",
    "CUSTOMER_BLOCKED", "COMPLIANCE_RESTRICTED", "DENIED_PARTY", "FREE_TEXT_INSTRUCTION",
    EXTRACTION_UNCERTAIN,
    "CREDIT_LIMIT_EXCEEDED", UNREADABLE,
)  # fmt: skip


#: Kinds of document taken in turns for a defect (NOT_AN_ORDER: which kind of non-order mail).
VARIANTS = {NOT_AN_ORDER: ("out_of_office", "newsletter", "invoice")}


@dataclass
class Job:
    kind: str  # "clean", a defect code, ORDER_CHANGE, DUPLICATE or NOT_AN_ORDER
    fmt: str
    layout: str = ""  # PDF layout of a clean PDF document; the kind of mail for NOT_AN_ORDER

    @property
    def documents(self) -> int:
        return 2 if self.kind in PAIRED else 1


def defect_codes(ctx: Context) -> list[str]:
    """Every defect the master data can carry (COMPLIANCE_RESTRICTED needs a restricted product
    a customer buys)."""
    skip = set() if compliance_seedable(ctx) else {"COMPLIANCE_RESTRICTED"}
    return [code for code in (*BUILT_DEFECTS, ORDER_CHANGE, DUPLICATE, NOT_AN_ORDER) if code not in skip]


def plan(ctx: Context, count: int, rng: Random) -> list[Job]:
    codes = defect_codes(ctx)
    defects = _defect_jobs(codes, max(2 * len(codes), round(count * DEFECT_SHARE)), rng)
    clean = count - sum(job.documents for job in defects)
    if clean < len(LAYOUTS):
        raise ValueError(f"count {count} is too small: the defects alone need {count - clean} documents")
    jobs = defects + _clean_jobs(clean, count, defects, rng)
    rng.shuffle(jobs)
    return jobs


def _defect_jobs(codes: list[str], total: int, rng: Random) -> list[Job]:
    """Every code at least twice, each time in another format where it can be."""
    extra = rng.sample(codes, len(codes))
    occurrences = {
        code: 2 + sum(1 for i in range(total - 2 * len(codes)) if extra[i % len(codes)] == code)
        for code in codes
    }
    jobs = []
    for code in codes:
        formats = _alternating(list(CARRIERS.get(code, FORMATS)), rng)
        variants = VARIANTS.get(code, ("",))
        jobs += [
            Job(code, formats[i % len(formats)], variants[i % len(variants)])
            for i in range(occurrences[code])
        ]
    return jobs


def _alternating(formats: list[str], rng: Random) -> list[str]:
    """Formats a person writes (e-mail, PDF) and machine formats in turns, each group shuffled."""
    human = rng.sample([f for f in formats if f in HUMAN_FORMATS], sum(f in HUMAN_FORMATS for f in formats))
    machine = rng.sample([f for f in formats if f not in HUMAN_FORMATS], len(formats) - len(human))
    return [f for pair in zip_longest(human, machine) for f in pair if f]


def _clean_jobs(clean: int, count: int, defects: list[Job], rng: Random) -> list[Job]:
    taken = {fmt: sum(job.documents for job in defects if job.fmt == fmt) for fmt in FORMATS}
    want = {fmt: max(0.0, FORMAT_WEIGHTS[fmt] * count - taken[fmt]) for fmt in FORMATS}
    formats = _apportion(want, clean)
    layouts = rng.sample(LAYOUTS, len(LAYOUTS))
    pdf_seen = 0
    jobs = []
    for fmt in formats:
        layout = ""
        if fmt in ("pdf", "email_pdf"):
            layout, pdf_seen = layouts[pdf_seen % len(layouts)], pdf_seen + 1
        jobs.append(Job("clean", fmt, layout))
    return jobs


def _apportion(want: dict[str, float], total: int) -> list[str]:
    """`total` formats in proportion to `want` (largest remainder)."""
    scale = total / (sum(want.values()) or 1)
    exact = {fmt: w * scale for fmt, w in want.items()}
    counts = {fmt: int(v) for fmt, v in exact.items()}
    for fmt in sorted(exact, key=lambda f: (counts[f] - exact[f], f))[: total - sum(counts.values())]:
        counts[fmt] += 1
    return [fmt for fmt in FORMATS for _ in range(counts[fmt])]
