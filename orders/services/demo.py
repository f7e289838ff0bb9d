"""The demo inbox `make run` processes, so every page has real figures to show.

A generated corpus of order documents (orders.corpus, against the demo master
data of ``manage.py demo_data``) goes through the ordinary intake, checks and
execution; then two demo colleagues work part of the inbox through the same
services a person uses in the browser: customer service releases the orders
that shadow autonomy held, finance turns price mismatches into agreements.
The rest stays open for whoever tries the inbox.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from exceptions.fixes import case_fix
from exceptions.models import Case
from orders import roles
from orders.corpus.generate import generate_corpus
from orders.demo import build_demo_rows
from orders.errors import CaseActionError
from orders.models import InboundDocument
from orders.services.execution import order_release
from rules.causes import Cause
from rules.checks import stated_price_per_base_unit
from rules.services import Segment, autonomy_set
from rules.suggestions import suggestions_refresh

DEMO_MASTER_SEED = 7  # the seed `demo_data` loads the master data with
#: Customer groups the demo runs in shadow: the autonomy suggestions then have
#: a segment to propose promoting.
SHADOW_GROUPS = ("smb",)


@dataclass
class DemoReport:
    documents: int = 0
    released: int = 0
    fixed: int = 0
    seconds: float = 0.0
    skipped: str = ""

    def summary(self) -> str:
        if self.skipped:
            return self.skipped
        return (f"Demo inbox: {self.documents} documents processed in {self.seconds:.0f} s; "
                f"demo colleagues released {self.released} shadow-held orders and fixed "
                f"{self.fixed} price agreement(s)")


def demo_inbox_run(*, directory: Path, count: int, seed: int, today: date) -> DemoReport:
    """Generate (once) and process (once) the demo inbox, then work part of it."""
    documents = directory / "documents"
    if InboundDocument.objects.filter(source__startswith=str(documents)).exists():
        return DemoReport(skipped=f"Demo inbox {documents} was processed before; nothing to do")
    started = time.monotonic()
    if not documents.exists() or not any(documents.iterdir()):
        generate_corpus(documents, master=build_demo_rows(seed=DEMO_MASTER_SEED, today=today),
                        seed=seed, count=count, today=today)
    _demo_autonomy()
    call_command("intake", str(documents), "--sync", stdout=StringIO())
    report = DemoReport(documents=InboundDocument.objects.filter(
        source__startswith=str(documents)).count())
    report.released, report.fixed = _demo_staff_work()
    suggestions_refresh()
    report.seconds = time.monotonic() - started
    return report


def _demo_autonomy() -> None:
    reason = "demo: autonomous except the shadow groups"
    autonomy_set(level="autonomous", segment=Segment(), reason=reason)
    for group in SHADOW_GROUPS:
        autonomy_set(level="shadow", segment=Segment(customer_group=group), reason=reason)


def demo_colleague(username: str, role: str, name: str):
    """A colleague who works cases in the demo; cannot log in (no password)."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name, "last_name": "(demo)"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=role))
    return user


def _demo_staff_work() -> tuple[int, int]:
    service = demo_colleague("demo-cs", roles.CUSTOMER_SERVICE, "Sam")
    finance = demo_colleague("demo-finance", roles.FINANCE, "Fran")
    fixed = 0
    for case in _open_cases_with({Cause.PRICE_MISMATCH}):
        fixed += _accept_price(case, finance) if fixed < 3 else 0
    # Then the shadow-held orders, the fixed ones among them.
    released = 0
    for case in _open_cases_with({Cause.AUTONOMY_DISABLED}):
        order_release(order_id=case.order_id, actor=service,
                      reason="shadow: checked, releasing as the desk proposed")
        released += 1
    return released, fixed


def _open_cases_with(codes: set[str]) -> list[Case]:
    """Open cases held for exactly these causes."""
    return [case for case in Case.objects.filter(is_open=True).select_related("order")
            .order_by("pk") if {cause["code"] for cause in case.causes} == codes]


def _accept_price(case: Case, actor) -> int:
    """Finance accepts the price the customer wrote as the new agreement."""
    numbers = {cause.get("line") for cause in case.causes}
    line = next((line for line in case.order.lines.select_related("product")
                 if line.position + 1 in numbers and line.product_id), None)
    per_base = stated_price_per_base_unit(line) if line is not None else None
    if per_base is None or len(numbers) != 1:
        return 0
    try:
        # Both confirmations, as the person ticks them: the demo's Finance
        # colleague knowingly replaces the agreement with the customer's price.
        case_fix(case_id=case.pk, actor=actor, kind="price",
                 data={"sku": line.product.sku, "unit_price": f"{per_base:.4f}",
                       "replace_agreement": True, "confirm_far_price": True},
                 reason="demo: new price agreed with the customer")
    except (CaseActionError, ValueError):
        return 0
    return 1
