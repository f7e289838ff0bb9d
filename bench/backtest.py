"""Benchmark: backtest of a draft rule set over 100,000 historical orders.

    .venv/bin/python bench/backtest.py [--orders 100000] [--documents 0] [--runs 3]

"Orders" are orders, not lines: --orders order-history orders of one to five
lines each (three on average, so 100,000 orders are about 300,000
order_history rows), grouped by customer and PO number as the backtest reads
them. --documents adds orders of past inbound documents (one to five lines,
a recorded decision each), the backtest's other source.

A fresh database (a temporary SQLite file) is migrated and seeded with
bulk_create: 1,000 customers in four groups, 3,000 products in twelve
families, an assortment of 40 agreed products per customer (half re-priced
on 2025-01-01), 300 denied parties, restrictions, and order history spread
over 2024-2025 — most lines at the agreed price, some 1 %, 2.5 % or 5 %
above it or without an agreement, a few with quantities far above the
customer's usual. Autonomy is autonomous except for one customer group.

Each run times ``backtest_run`` of the current rules (tolerance 2 %) against
a draft with a 3 % price tolerance — every order judged under both — and the
median wall time of the runs, orders/s and the difference sentence are
printed. Peak memory: the process's maximum resident set (seeding
included), and the Python allocations of one more, untimed run under
tracemalloc. Target (issue 6): 100,000 orders in under 60 s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAMILIES = ["fasteners", "adhesives", "tools", "safety", "packaging", "electrical", "hydraulics",
            "pneumatics", "bearings", "seals", "lubricants", "abrasives"]
GROUPS = ["key_account", "smb", "wholesale", "retail"]
COUNTRIES = ["DE", "FR", "NL", "AT"]
FIRST_DAY, DAYS = date(2024, 1, 1), 730
ASSORTMENT = 40
#: How a line's price sits against its agreement, roughly as often as a desk sees it.
PRICE_MIX = [Decimal("1")] * 88 + [Decimal("1.01")] * 5 + [Decimal("1.025")] * 4 + \
    [Decimal("1.05")] * 2 + [None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000, help="order-history orders")
    parser.add_argument("--documents", type=int, default=0, help="past document orders")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="od-bench-backtest-"))
    os.environ.update({"ORDERDESK_VAR_DIR": str(tmp), "LOG_LEVEL": "WARNING",
                       "DJANGO_SETTINGS_MODULE": "orderdesk.settings", "ORDERDESK_HTTPS": "false",
                       "DATABASE_URL": ""})
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    lines = seed(args.orders, args.documents)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {args.orders:,} history orders ({lines:,} lines) and {args.documents:,} "
          f"document orders in {time.perf_counter() - started:.0f} s")
    measure(args)


def measure(args) -> None:
    from rules.backtest import backtest_run, rulebook_override
    from rules.selectors import rulebook_current

    current = rulebook_current()
    draft = rulebook_override(current, code="PRICE_MISMATCH", params={"tolerance_pct": "3"})
    today = FIRST_DAY + timedelta(days=DAYS)
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        report = backtest_run(book=draft, baseline=current, today=today)
        times.append(time.perf_counter() - began)
    median = statistics.median(times)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    backtest_run(book=draft, baseline=current, today=today)
    traced_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    print(f"orders judged: {report.judged:,} ({dict(report.by_source)}), each under both rule sets")
    print(f"wall time: median {median:.1f} s of {args.runs} runs "
          f"({', '.join(f'{t:.1f}' for t in times)}); {report.judged / median:,.0f} orders/s")
    print(f"peak memory: process max RSS {rss_mb:,.0f} MB (seeding included); "
          f"backtest Python allocations peak {traced_mb:,.0f} MB (tracemalloc run)")
    print(f"difference: {report.difference()}")
    print("stopped under the draft: " + ", ".join(f"{row['code']} {row['draft']:,}"
                                                  for row in report.causes_compared()))
    print(f"target: 100,000 orders < 60 s -> {'met' if median < 60 else 'NOT met'} "
          f"for {report.judged:,} orders")


# --- Seeding ------------------------------------------------------------------------------


def seed(orders: int, documents: int) -> int:
    from django.db import transaction

    rng = random.Random(6)
    with transaction.atomic():
        customers, products, agreements = _masterdata(rng)
        lines = _history(rng, orders, customers, products, agreements)
        _documents(rng, documents, customers, products, agreements)
    return lines


def _masterdata(rng: random.Random):
    from orders.models import (
        Credit,
        Customer,
        DeniedParty,
        Price,
        Product,
        ProductRestriction,
        ShipTo,
        Status,
    )
    from rules.models import AutonomySetting

    customers = Customer.objects.bulk_create([Customer(
        customer_number=f"C{i:05d}", name=f"Bench Customer {i} GmbH", customer_group=GROUPS[i % 4],
        country=COUNTRIES[i % 4], currency="EUR",
        status=Status.BLOCKED if i % 97 == 0 else Status.ACTIVE) for i in range(1000)])
    ShipTo.objects.bulk_create([ShipTo(
        customer=c, shipto_code=code, name=f"{c.name} {code}", street="Weg 1", city="Köln",
        postal_code="50667", country=c.country, is_default=code == "MAIN")
        for c in customers for code in ("MAIN", "NORTH")])
    Credit.objects.bulk_create([Credit(customer=c, credit_limit=Decimal(1_000_000))
                                for c in customers])
    products = Product.objects.bulk_create([Product(
        sku=f"SKU-{i:05d}", description=f"Bench product {i}", product_family=FAMILIES[i % 12],
        base_uom="EA", status="discontinued" if i % 211 == 0 else "active",
        configurable=i % 499 == 0, min_order_qty=Decimal(5) if i % 17 == 0 else None)
        for i in range(3000)])
    ProductRestriction.objects.bulk_create([ProductRestriction(product=p, country="FR")
                                            for p in products[::150]])
    DeniedParty.objects.bulk_create([DeniedParty(
        name=f"Sanctioned Trading {i} Ltd", country=COUNTRIES[i % 4]) for i in range(300)])
    agreements, prices = {}, []
    for c in customers:
        for p in rng.sample(products, ASSORTMENT):
            old = Decimal(rng.randrange(100, 10_000)) / 100
            new = old * Decimal("1.04") if rng.random() < 0.5 else None  # re-priced for 2025
            agreements[c.pk, p.pk] = (old, new)
            if new is not None:
                prices += [Price(customer=c, product=p, unit_price=old, currency="EUR",
                                 valid_to=date(2024, 12, 31)),
                           Price(customer=c, product=p, unit_price=new, currency="EUR",
                                 valid_from=date(2025, 1, 1))]
            else:
                prices.append(Price(customer=c, product=p, unit_price=old, currency="EUR"))
    Price.objects.bulk_create(prices, batch_size=5000)
    AutonomySetting.objects.update_or_create(
        customer_group="", customer_number="", product_family="", channel="",
        defaults={"level": "autonomous"})
    AutonomySetting.objects.create(customer_group="retail", level="shadow")
    return customers, products, agreements


def _history(rng, orders: int, customers, products, agreements) -> int:
    from orders.models import OrderHistoryLine

    assortments = _assortments(customers, agreements)
    usual = {}
    batch, written = [], 0
    for number in range(orders):
        customer = customers[rng.randrange(len(customers))]
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        for product_id, quantity, price in _lines(rng, customer, assortments, products, agreements,
                                                  usual, day):
            batch.append(OrderHistoryLine(
                customer_id=customer.pk, po_number=f"PO-{number:07d}", order_date=day,
                product_id=product_id, quantity=quantity, unit_price=price,
                shipto_code="NORTH" if number % 7 == 0 else ""))
        if len(batch) >= 20_000:
            written += len(OrderHistoryLine.objects.bulk_create(batch, batch_size=5000))
            batch = []
    return written + len(OrderHistoryLine.objects.bulk_create(batch, batch_size=5000))


def _assortments(customers, agreements) -> dict[int, list[int]]:
    assortments: dict[int, list[int]] = {c.pk: [] for c in customers}
    for customer_id, product_id in agreements:
        assortments[customer_id].append(product_id)
    return assortments


def _lines(rng, customer, assortments, products, agreements, usual, day):
    """One to five lines (three on average) of distinct products, mostly of the
    customer's assortment, each near the customer's usual quantity."""
    count = rng.choice((1, 2, 3, 3, 4, 5))
    picked = set(rng.sample(assortments[customer.pk], count))
    if rng.random() < 0.02:  # a product without an agreement
        picked.add(products[rng.randrange(len(products))].pk)
    for product_id in picked:
        base = usual.setdefault((customer.pk, product_id), rng.randrange(10, 200))
        factor = 6 if rng.random() < 0.01 else rng.uniform(0.5, 1.5)
        quantity = Decimal(max(1, round(base * factor)))
        old, new = agreements.get((customer.pk, product_id), (Decimal("9.99"), None))
        agreed = new if new is not None and day >= date(2025, 1, 1) else old
        markup = rng.choice(PRICE_MIX)
        yield product_id, quantity, None if markup is None else (agreed * markup).quantize(
            Decimal("0.0001"))


def _documents(rng, count: int, customers, products, agreements) -> None:
    """Past document orders, executed or routed, each with its lines and the
    boundary's decision (stock recorded short for one in fifty)."""
    if not count:
        return
    import hashlib

    from django.utils import timezone

    from orders.models import InboundDocument, Order, OrderLine
    from rules.models import Decision

    assortments = _assortments(customers, agreements)
    documents = InboundDocument.objects.bulk_create([InboundDocument(
        source=f"bench-{i}.json", filename=f"bench-{i}.json", channel="email", raw=b"{}",
        sha256=hashlib.sha256(str(i).encode()).hexdigest(), size=2, status="processed",
        received_at=_moment(rng)) for i in range(count)],
        batch_size=2000)
    orders = Order.objects.bulk_create([Order(
        document=d, position=0, source=d.source, format="json", po_number=f"DOC-{i:07d}",
        customer=customers[rng.randrange(len(customers))], currency="EUR",
        status="exception" if i % 50 == 0 else "executed") for i, d in enumerate(documents)],
        batch_size=2000)
    lines, decisions = [], []
    for order in orders:
        day = timezone.localdate(order.document.received_at)
        for position, (product_id, quantity, price) in enumerate(_lines(
                rng, order.customer, assortments, products, agreements, {}, day)):
            lines.append(OrderLine(order=order, position=position, product_id=product_id,
                                   sku="", quantity=quantity, uom="EA", resolved_uom="EA",
                                   base_quantity=quantity, unit_price=price))
        short = order.status == "exception"
        decisions.append(Decision(order=order, outcome=order.status, autonomy_level="autonomous",
                                  checks=[{"code": "INSUFFICIENT_STOCK", "passed": not short,
                                           "message": "bench", "line": 1}],
                                  causes=[{"code": "INSUFFICIENT_STOCK", "message": "bench"}]
                                  if short else []))
    OrderLine.objects.bulk_create(lines, batch_size=5000)
    Decision.objects.bulk_create(decisions, batch_size=2000)


def _moment(rng) -> datetime:
    """A working hour of a day in the history's two years."""
    from django.utils import timezone

    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    return datetime(day.year, day.month, day.day, rng.randrange(7, 18),
                    tzinfo=timezone.get_current_timezone())


if __name__ == "__main__":
    main()
