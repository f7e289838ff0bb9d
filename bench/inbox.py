"""Benchmark: exception inbox page times with many open cases.

    .venv/bin/python bench/inbox.py [--cases 100000] [--runs 7] [--postgres]

Builds a fresh database (a temporary SQLite file, or with --postgres a
scratch PostgreSQL database on 127.0.0.1:5432), loads the demo master data,
seeds the open cases (exceptions.bulk: real customers, one to three causes
each, ages spread over a week) and renders each queue page through Django's
full request path (test client: middleware, session, template) as a
customer-service user. Prints the median and worst time of each page over
the runs, and the queries it took.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="od-bench-inbox-"))
    database = f"orderdesk_bench_inbox_{os.getpid()}" if args.postgres else ""
    os.environ.update({"ORDERDESK_VAR_DIR": str(tmp), "LOG_LEVEL": "WARNING",
                       "DJANGO_SETTINGS_MODULE": "orderdesk.settings", "ORDERDESK_HTTPS": "false",
                       "DATABASE_URL": f"{POSTGRES}/{database}" if database else ""})
    if database:
        _psql(f"CREATE DATABASE {database}")
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if database:
            _psql(f"DROP DATABASE IF EXISTS {database}")
        shutil.rmtree(tmp, ignore_errors=True)


def run(args) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from exceptions.bulk import cases_seed
    from exceptions.models import Case
    from orders import roles

    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        call_command("demo_data", stdout=quiet)
    started = time.perf_counter()
    cases_seed(args.cases)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what `manage.py` deployments get from PRAGMA optimize
    print(f"seeded {args.cases:,} open cases in {time.perf_counter() - started:.0f} s "
          f"({connection.vendor})")
    user = User.objects.create_user("bench")  # logged in directly, no password
    user.groups.set(Group.objects.filter(name=roles.CUSTOMER_SERVICE))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    customer = Case.objects.values_list("customer_id", flat=True).first()
    case = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    pages = {
        "my queue, oldest first": "/inbox/",
        "all open, oldest first": "/inbox/?queue=all",
        "all open, highest value": "/inbox/?queue=all&sort=value",
        "all open, page 500": "/inbox/?queue=all&page=500",
        "by cause (price mismatch)": "/inbox/?queue=all&cause=PRICE_MISMATCH",
        "by customer": f"/inbox/?queue=all&customer={customer}",
        "search PO number": "/inbox/?queue=all&q=PO-00420",
        "search customer name": "/inbox/?queue=all&q=elteknik",
        "case page": f"/inbox/case/{case}/",
    }
    print(f"{'page':32s} {'median ms':>10s} {'max ms':>8s} {'queries':>8s}")
    for name, url in pages.items():
        times, queries = [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as done:
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            queries = len(done.captured_queries)
        print(f"{name:32s} {statistics.median(times):10.1f} {max(times):8.1f} {queries:8d}")


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql)


if __name__ == "__main__":
    main()
