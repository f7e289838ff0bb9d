"""Many open cases at once, for the inbox's load tests and bench/inbox.py.

Rows are written with bulk_create (no history, no checks run): this fills a
database to measure pages against, it is not a way orders enter OrderDesk.
"""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from exceptions.models import Case, CaseCause
from orders.models import Customer, InboundDocument, Order
from rules.causes import OWNERS, Cause

#: Causes the seeded cases carry, roughly as often as a real desk sees them.
CAUSE_MIX = [Cause.AUTONOMY_DISABLED] * 6 + [
    Cause.PRICE_MISMATCH, Cause.PRICE_MISMATCH, Cause.UNKNOWN_PRODUCT, Cause.UNKNOWN_SHIPTO,
    Cause.INSUFFICIENT_STOCK, Cause.QUANTITY_ANOMALY, Cause.CREDIT_LIMIT_EXCEEDED,
    Cause.FREE_TEXT_INSTRUCTION, Cause.EXTRACTION_UNCERTAIN, Cause.DENIED_PARTY,
    Cause.UNAUTHORIZED_SENDER, Cause.REQUESTED_DATE_INFEASIBLE]
ORDERS_PER_DOCUMENT = 100


def cases_seed(count: int, *, seed: int = 1, batch: int = 5000) -> int:
    """Create ``count`` open cases over the existing customers; returns the number made."""
    customers = list(Customer.objects.values_list("pk", "customer_number"))
    if not customers:
        raise ValueError("load customers first: seeded cases belong to real customers")
    rng = random.Random(seed)  # noqa: S311 - reproducible load data, not secrets
    now = timezone.now()
    made = 0
    while made < count:
        size = min(batch, count - made)
        with transaction.atomic():
            _seed_batch(rng, customers, made, size, now)
        made += size
    return made


def _seed_batch(rng: random.Random, customers, start: int, size: int, now) -> None:
    documents = InboundDocument.objects.bulk_create([
        _document(start + i, now) for i in range(0, size, ORDERS_PER_DOCUMENT)])
    orders = []
    for i in range(size):
        customer_id, number = rng.choice(customers)
        orders.append(Order(
            document=documents[i // ORDERS_PER_DOCUMENT], position=i % ORDERS_PER_DOCUMENT,
            source=f"seed-{start + i}.json", format="json", status=Order.State.EXCEPTION,
            po_number=f"PO-{start + i:07d}", currency="EUR", customer_id=customer_id,
            sender=f"buyer@{number.lower()}.example",
            order_value=Decimal(rng.randrange(5_000, 5_000_000)) / 100, decided_at=now))
    orders = Order.objects.bulk_create(orders)
    cases, codes = [], []
    for order in orders:
        picked = sorted(set(rng.sample(CAUSE_MIX, rng.choice((1, 1, 2, 3)))))
        causes = [{"code": code, "message": Cause(code).label, "evidence": "",
                   "owner": OWNERS[code]} for code in picked]
        case = Case(order=order, causes=causes, owners=sorted({c["owner"] for c in causes}))
        case.copy_order(order)
        cases.append(case)
        codes.append(picked)
    cases = Case.objects.bulk_create(cases)
    # opened_at is auto_now_add: spread the ages over the last week afterwards.
    for case in cases:
        case.opened_at = now - timedelta(minutes=rng.randrange(0, 7 * 24 * 60))
    Case.objects.bulk_update(cases, ["opened_at"], batch_size=1000)
    CaseCause.objects.bulk_create([CaseCause(case=case, code=code, owner=OWNERS[code])
                                   for case, picked in zip(cases, codes, strict=True)
                                   for code in picked])


def _document(number: int, now) -> InboundDocument:
    raw = f'{{"seed": {number}}}'.encode()
    return InboundDocument(source=f"seed-{number}.json", filename=f"seed-{number}.json",
                           channel=InboundDocument.Channel.FILE, raw=raw,
                           sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
                           received_at=now, status=InboundDocument.State.PROCESSED)
