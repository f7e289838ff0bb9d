"""Intake on the unseen corpus (issue 14): documents written without looking at the reader.

    .venv/bin/python bench/unseen.py [--seed 11] [--today YYYY-MM-DD] [--class NAME] [--show 10]

Builds a fresh SQLite database in a temporary directory, loads the demo master
data, writes the unseen corpus (``manage.py generate_corpus DIR --unseen``,
orders.corpus.unseen), feeds every document through intake with autonomy on
and prints, class by class: documents, clean orders executed, instruction
orders routed with FREE_TEXT_INSTRUCTION, wrong executions and field accuracy.

A wrong execution is an order executed that should have gone to a person, or
a clean order executed with any scored field wrong (customer, ship-to, PO,
requested date, a line's product, quantity, base quantity, or a price read as
another amount): the order went out, but not as the buyer wrote it. A price
not read at all is only a field miss (the agreed price, the one written, applies).

The scoring is importable and needs no database (tests/test_unseen_corpus.py):
``Seen``/``SeenLine`` (what intake stored, one per order), ``judge`` (one
document) and ``tally`` (all, by class).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

INSTRUCTION = "FREE_TEXT_INSTRUCTION"


# --- scoring (no database) ----------------------------------------------------------------------


@dataclass
class SeenLine:
    sku: str | None
    quantity: object
    base_quantity: object
    unit_price: object


@dataclass
class Seen:
    """One order as intake stored it."""

    status: str
    codes: frozenset[str]
    po_number: str | None = None
    customer: str | None = None
    shipto: str | None = None
    requested_date: date | None = None
    lines: list[SeenLine] = field(default_factory=list)


@dataclass
class Verdict:
    outcome: str  # executed | routed | rejected | nothing | other (several orders, duplicate …)
    fields: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)
    wrong_execution: str = ""  # why it is one ("" when it is not)
    instruction_routed: bool = False


def same(got, want) -> bool:
    if want is None or want == "":
        return got in (None, "")
    try:
        return Decimal(str(got)) == Decimal(str(want))
    except (InvalidOperation, ValueError):
        return str(got).strip().casefold() == str(want).strip().casefold()


def judge(item, seen: list[Seen]) -> Verdict:
    """One document's orders against its ground truth (an ``orders.corpus.model.Expected``)."""
    statuses = [order.status for order in seen]
    codes = set().union(*(order.codes for order in seen)) if seen else set()
    if not seen:
        outcome = "nothing"
    elif len(seen) > 1:
        outcome = "other"
    else:
        outcome = {"executed": "executed", "exception": "routed", "rejected": "rejected"}.get(
            statuses[0], "other"
        )
    verdict = Verdict(outcome)
    harmful: list[str] = []
    if item.defect == INSTRUCTION:
        verdict.instruction_routed = outcome == "routed" and INSTRUCTION in codes
    if outcome in ("nothing", "rejected"):
        verdict.fields = 1 + 5 * len(item.lines)
        verdict.misses.append("no order read")
    else:
        harmful = _fields(verdict, item, seen[0])
    if "executed" in statuses:
        if item.status != "executed":
            verdict.wrong_execution = f"executed, want {item.status} ({item.defect})"
        elif len(seen) > 1:
            verdict.wrong_execution = f"{len(seen)} orders from one document"
        elif harmful:
            verdict.wrong_execution = "executed with " + "; ".join(harmful)
    return verdict


def _fields(verdict: Verdict, item, order: Seen) -> list[str]:
    """Compare the fields; returns the misses that change what is executed (a price not read at
    all is not one: the order then goes out at the agreed price, which is the one written)."""
    harmful = []

    def check(name: str, got, want) -> None:
        verdict.fields += 1
        if same(got, want):
            verdict.right += 1
            return
        text = f"{name}: got {got!r}, want {want!r}"
        verdict.misses.append(text)
        if not (name.endswith("unit_price") and got in (None, "")):
            harmful.append(text)

    check("po_number", order.po_number, item.po_number)
    check("customer", order.customer, item.customer_number)
    if item.requested_date:
        check("requested_date", order.requested_date, item.requested_date)
    if item.shipto_code:
        check("shipto", order.shipto, item.shipto_code)
    check("line_count", len(order.lines), len(item.lines))
    for number, (line, want) in enumerate(zip(order.lines, item.lines, strict=False), 1):
        check(f"line {number} product", line.sku, want.sku)
        check(f"line {number} quantity", line.quantity, want.quantity)
        if want.base_quantity:
            check(f"line {number} base_quantity", line.base_quantity, want.base_quantity)
        if want.unit_price is not None:
            check(f"line {number} unit_price", line.unit_price, want.unit_price)
    return harmful


@dataclass
class ClassTally:
    documents: int = 0
    clean: int = 0
    clean_executed: int = 0
    instructions: int = 0
    instructions_routed: int = 0
    wrong_executions: list[str] = field(default_factory=list)
    fields: int = 0
    right: int = 0
    problems: list[str] = field(default_factory=list)  # clean not executed, instruction not routed
    misses: list[str] = field(default_factory=list)  # fields read wrong

    @property
    def accuracy(self) -> float:
        return self.right / self.fields if self.fields else 1.0

    def add(self, other: ClassTally) -> None:
        for name in (
            "documents",
            "clean",
            "clean_executed",
            "instructions",
            "instructions_routed",
            "fields",
            "right",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.wrong_executions += other.wrong_executions
        self.problems += other.problems
        self.misses += other.misses


def tally(expected: list, seen_by_file: dict[str, list[Seen]], class_of) -> dict[str, ClassTally]:
    """Per class (``class_of(item)``), in the order classes first appear; the key "all" sums them."""
    result: dict[str, ClassTally] = defaultdict(ClassTally)
    for item in expected:
        seen = seen_by_file.get(item.file, [])
        verdict = judge(item, seen)
        row = result[class_of(item) or "?"]
        where = f"{item.file} ({item.layout}, {item.language})"
        row.documents += 1
        row.fields += verdict.fields
        row.right += verdict.right
        if item.defect is None:
            row.clean += 1
            if verdict.outcome == "executed":
                row.clean_executed += 1
            else:
                causes = sorted(set().union(*(s.codes for s in seen))) if seen else []
                row.problems.append(f"{where}: clean, {verdict.outcome} {causes}")
        elif item.defect == INSTRUCTION:
            row.instructions += 1
            if verdict.instruction_routed:
                row.instructions_routed += 1
            else:
                causes = sorted(set().union(*(s.codes for s in seen))) if seen else []
                row.problems.append(f"{where}: instruction, {verdict.outcome} {causes}")
        row.misses += [f"{where}: {miss}" for miss in verdict.misses]
        if verdict.wrong_execution:
            row.wrong_executions.append(f"{where}: {verdict.wrong_execution}")
    total = ClassTally()
    for row in result.values():
        total.add(row)
    return {**result, "all": total}


def table(rows: dict[str, ClassTally]) -> str:
    head = (
        f"{'class':<22} {'docs':>4} {'clean executed':>15} {'instr. routed':>14} {'wrong exec':>10} "
        f"{'fields right':>16}"
    )
    lines = [head, "-" * len(head)]
    for name, row in rows.items():
        if name == "all":
            lines.append("-" * len(head))
        executed = f"{row.clean_executed}/{row.clean}" if row.clean else "-"
        routed = f"{row.instructions_routed}/{row.instructions}" if row.instructions else "-"
        lines.append(
            f"{name:<22} {row.documents:>4} {executed:>15} {routed:>14} {len(row.wrong_executions):>10} "
            f"{row.right:>6}/{row.fields:<5} {row.accuracy:5.1%}"
        )
    return "\n".join(lines)


# --- the run ----------------------------------------------------------------------------------------


def seen_orders() -> dict[str, list[Seen]]:
    """What intake stored, by file name (an attachment's orders under its mail's name)."""
    from orders.models import Order

    by_file: dict[str, list[Seen]] = defaultdict(list)
    queryset = (
        Order.objects.select_related("customer", "shipto", "document")
        .prefetch_related("lines__product")
        .order_by("document_id", "position")
    )
    for order in queryset:
        name = Path(order.document.source.partition("#")[0]).name
        by_file[name].append(
            Seen(
                status=order.status,
                codes=frozenset(cause["code"] for cause in order.causes),
                po_number=order.po_number,
                customer=order.customer.customer_number if order.customer else None,
                shipto=order.shipto.shipto_code if order.shipto else None,
                requested_date=order.requested_date,
                lines=[
                    SeenLine(
                        line.product.sku if line.product else None,
                        line.quantity,
                        line.base_quantity,
                        line.unit_price,
                    )
                    for line in order.lines.all()
                ],
            )
        )
    return by_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--today",
        default=date.today().isoformat(),  # noqa: DTZ011
        help="the corpus's anchor date (default: today)",
    )
    parser.add_argument("--class", dest="only", default="", help="list problems of this class only")
    parser.add_argument("--show", type=int, default=10, help="problems listed per kind")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="od-unseen-"))
    os.environ.update(
        {
            "ORDERDESK_VAR_DIR": str(tmp),
            "DATABASE_URL": "",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "orderdesk.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from orders.corpus.generate import read_manifest
    from orders.corpus.score import intake_corpus
    from orders.corpus.unseen import class_of
    from orders.resources import RESOURCES
    from orders.services.masterdata import masterdata_import

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command(
            "generate_corpus",
            str(tmp / "c"),
            "--unseen",
            "--today",
            args.today,
            "--seed",
            str(args.seed),
            stdout=quiet,
        )
    for kind in RESOURCES:
        data = (tmp / "c" / "masterdata" / f"{kind}.csv").read_bytes()
        masterdata_import(kind=kind, data=data, file_name=f"{kind}.csv")
    expected = read_manifest(tmp / "c" / "manifest.json")
    with open(os.devnull, "w") as quiet:
        call_command("set_autonomy", "autonomous", stdout=quiet)
    from orders.services.execution import INLINE

    INLINE.set(True)  # confirmations delivered here, as `intake --sync` does
    started = time.perf_counter()
    intake_corpus(tmp / "c" / "documents", expected)
    seconds = time.perf_counter() - started
    rows = tally(expected, seen_orders(), class_of)
    ordered = {name: rows[name] for name in sorted(n for n in rows if n != "all")}
    ordered["all"] = rows["all"]
    print(
        f"unseen corpus (seed {args.seed}, today {args.today}): {len(expected)} documents read in "
        f"{seconds:.1f} s ({seconds / len(expected) * 1000:.0f} ms each)"
    )
    print(table(ordered))
    for name, row in ordered.items():
        if name == "all" or (args.only and name != args.only):
            continue
        for title, items in (
            ("WRONG EXECUTIONS", row.wrong_executions),
            ("not as expected", row.problems),
            ("field misses", row.misses),
        ):
            if items:
                print(f"--- {name}: {title} ({len(items)})")
                for text in items[: args.show]:
                    print("  ", text)
    from orders.models import Order

    causes = Counter(c["code"] for o in Order.objects.all() for c in o.causes)
    print("causes raised:", dict(causes.most_common()))


if __name__ == "__main__":
    main()
