"""Score intake against a generated corpus's ground truth, field by field.

``intake_corpus`` feeds every document (in manifest order, with ``--sender``
where the file names none) through the store-first intake; ``score`` then
compares each document's orders with what the manifest says a correct reader
finds. Only what intake decides is scored here: fields, resolution, and the
cause codes intake itself raises; the boundary's checks are scored by its
own end-to-end test.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from orders.corpus.model import DUPLICATE, REJECTED, Expected
from orders.models import InboundDocument, Order
from orders.services.intake import document_process, document_receive

#: Cause codes intake raises by itself (the rest come from the boundary).
INTAKE_CAUSES = {
    "UNKNOWN_CUSTOMER", "AMBIGUOUS_CUSTOMER", "UNAUTHORIZED_SENDER", "UNKNOWN_SHIPTO",
    "UNKNOWN_PRODUCT", "INVALID_UOM", "ORDER_CHANGE", "FREE_TEXT_INSTRUCTION",
    "EXTRACTION_UNCERTAIN",
}
#: Defects that make a field legitimately unreadable or unresolvable.
NO_CUSTOMER = {"UNKNOWN_CUSTOMER", "AMBIGUOUS_CUSTOMER"}
NO_SHIPTO = {"UNKNOWN_SHIPTO", "DENIED_PARTY"} | NO_CUSTOMER


def intake_corpus(documents: Path, expected: list[Expected]) -> None:
    for item in expected:
        path = documents / item.file
        channel = "email" if item.channel == "email" else "file"
        sender = item.sender if item.sender_argument else ""
        document, _ = document_receive(data=path.read_bytes(), source=str(path), channel=channel,
                                       sender=sender, enqueue=False)
        document_process(document_id=document.pk)


@dataclass
class Score:
    fields: Counter = field(default_factory=Counter)  # format -> fields compared
    right: Counter = field(default_factory=Counter)  # format -> fields right
    misses: list[str] = field(default_factory=list)  # "file: field: got X, want Y"
    false_exceptions: list[str] = field(default_factory=list)  # clean doc with intake causes
    missed_defects: list[str] = field(default_factory=list)  # seeded intake defect not raised
    wrong_status: list[str] = field(default_factory=list)

    def check(self, fmt: str, where: str, name: str, got, want) -> None:
        self.fields[fmt] += 1
        if _same(got, want):
            self.right[fmt] += 1
        else:
            self.misses.append(f"{where}: {name}: got {got!r}, want {want!r}")

    def accuracy(self, fmt: str | None = None) -> float:
        total = self.fields[fmt] if fmt else sum(self.fields.values())
        right = self.right[fmt] if fmt else sum(self.right.values())
        return right / total if total else 1.0

    def table(self) -> str:
        rows = [f"{fmt:<11} {self.right[fmt]:>5}/{self.fields[fmt]:<5} {self.accuracy(fmt):6.1%}"
                for fmt in sorted(self.fields)]
        rows.append(f"{'all':<11} {sum(self.right.values()):>5}/{sum(self.fields.values()):<5} "
                    f"{self.accuracy():6.1%}")
        return "\n".join(rows)


def _same(got, want) -> bool:
    if want is None or want == "":
        return got in (None, "")
    try:
        return Decimal(str(got)) == Decimal(str(want))
    except (InvalidOperation, ValueError):
        return str(got).strip().casefold() == str(want).strip().casefold()


def score(documents: Path, expected: list[Expected]) -> Score:
    result = Score()
    orders = _orders_by_source()
    for item in expected:
        source = str(documents / item.file)
        key = f"{source}#{item.attachment}" if item.attachment else source
        found = orders.get(key) or orders.get(source, [])
        _score_document(result, item, found)
    return result


def _orders_by_source() -> dict[str, list[Order]]:
    """Orders keyed by CONTRACT §4 source (PATH, or PATH#ATTACHMENT), intake order."""
    by_source: dict[str, list[Order]] = defaultdict(list)
    queryset = Order.objects.select_related("customer", "shipto", "document").prefetch_related(
        "lines__product").order_by("document_id", "position")
    for order in queryset:
        by_source[order.source].append(order)
        if order.source != order.document.source:
            by_source.setdefault(order.document.source, [])
    return by_source


def _score_document(result: Score, item: Expected, orders: list[Order]) -> None:
    where = f"{item.file} ({item.format}/{item.language}/{item.layout})"
    codes = {cause["code"] for order in orders for cause in order.causes}
    if item.defect in REJECTED:
        if [o.status for o in orders] != ["rejected"] or item.defect not in codes:
            result.wrong_status.append(f"{where}: want rejected ({item.defect}), got "
                                       f"{[o.status for o in orders]} {sorted(codes)}")
        return
    if item.defect == DUPLICATE:
        if not orders or any(o.status != "duplicate" for o in orders):
            result.wrong_status.append(f"{where}: want duplicate, got {[o.status for o in orders]}")
        return
    if not orders or orders[0].status == "rejected":
        result.wrong_status.append(f"{where}: no order read ({[c for c in codes]})")
        result.fields[item.format] += 1 + 5 * len(item.lines)
        return
    _score_fields(result, item, orders[0], where)
    _score_causes(result, item, codes, where)


def _score_fields(result: Score, item: Expected, order: Order, where: str) -> None:
    check = lambda name, got, want: result.check(item.format, where, name, got, want)  # noqa: E731
    check("po_number", order.po_number, item.po_number)
    if item.defect not in NO_CUSTOMER and item.defect != "UNAUTHORIZED_SENDER":
        check("customer", order.customer.customer_number if order.customer else None,
              item.customer_number)
    if item.requested_date and item.defect != "REQUESTED_DATE_INFEASIBLE":
        check("requested_date", order.requested_date, item.requested_date)
    if item.defect not in NO_SHIPTO and item.shipto_code:
        check("shipto", order.shipto.shipto_code if order.shipto else None, item.shipto_code)
    lines = list(order.lines.all())
    check("line_count", len(lines), len(item.lines))
    for number, (line, want) in enumerate(zip(lines, item.lines, strict=False), 1):
        _score_line(check, number, line, want, item)


def _score_line(check, number: int, line, want, item: Expected) -> None:
    check(f"line {number} quantity", line.quantity, want.quantity)
    if want.unit_price is not None:
        check(f"line {number} unit_price", line.unit_price, want.unit_price)
    if item.defect in {"UNKNOWN_PRODUCT"} or item.defect == "INVALID_UOM":
        return
    check(f"line {number} product", line.product.sku if line.product else None, want.sku)
    if want.base_quantity:
        check(f"line {number} base_quantity", line.base_quantity, want.base_quantity)


def _score_causes(result: Score, item: Expected, codes: set[str], where: str) -> None:
    intake_codes = codes & INTAKE_CAUSES
    if item.defect is None and intake_codes:
        result.false_exceptions.append(f"{where}: {sorted(intake_codes)}")
    elif item.defect in INTAKE_CAUSES and item.defect not in codes:
        result.missed_defects.append(f"{where}: want {item.defect}, got {sorted(codes)}")


def documents_processed() -> int:
    return InboundDocument.objects.filter(status=InboundDocument.State.PROCESSED).count()


@dataclass
class Outcomes:
    """CONTRACT §4 statuses against the ground truth (autonomy on everywhere)."""

    total: int = 0
    clean: int = 0
    executed_clean: int = 0
    wrong_executions: list[str] = field(default_factory=list)  # executed, but should not be
    routed_clean: list[str] = field(default_factory=list)  # clean, but went to a person
    defect_caught: int = 0
    defect_missed: list[str] = field(default_factory=list)  # routed, but not for its defect
    wrong_status: list[str] = field(default_factory=list)

    @property
    def touchless(self) -> float:
        return self.executed_clean / self.clean if self.clean else 0.0


def outcomes(documents: Path, expected: list[Expected]) -> Outcomes:
    result = Outcomes()
    orders = _orders_by_source()
    for item in expected:
        source = str(documents / item.file)
        key = f"{source}#{item.attachment}" if item.attachment else source
        found = orders.get(key) or orders.get(source, [])
        _judge(result, item, found)
    return result


def _judge(result: Outcomes, item: Expected, orders: list[Order]) -> None:
    where = f"{item.file} ({item.format}/{item.language}/{item.layout})"
    statuses = [o.status for o in orders]
    codes = {cause["code"] for order in orders for cause in order.causes}
    result.total += 1
    if item.status == "executed":
        result.clean += 1
        if statuses == ["executed"]:
            result.executed_clean += 1
        else:
            result.routed_clean.append(f"{where}: {statuses} {sorted(codes)}")
        return
    if "executed" in statuses:
        result.wrong_executions.append(f"{where}: want {item.status} ({item.defect}), executed")
    elif item.status != "exception":
        rejected_for_another = item.status == "rejected" and item.defect not in codes
        if not orders or any(s != item.status for s in statuses) or rejected_for_another:
            result.wrong_status.append(f"{where}: want {item.status} ({item.defect}), got {statuses} "
                                       f"{sorted(codes)}")
    elif item.defect in codes and statuses and all(s == "exception" for s in statuses):
        # Its own seeded cause, not only one that follows from it (`also`).
        result.defect_caught += 1
    else:
        result.defect_missed.append(f"{where}: want {item.defect}, got {statuses} {sorted(codes)}")
