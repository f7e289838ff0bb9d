"""Benchmark: 100,000 products through the master-data import path.

    .venv/bin/python bench/import_products.py [--rows 100000] [--runs 3]

Each run is a fresh process with a fresh database (SQLite by default, or
DATABASE_URL), so its peak memory is the import's own. It imports the file
(every row created, with units, restrictions and history), then imports it
again (every row unchanged), and prints the median of the runs.
Target (issue 2): under 60 s for the first import on a 2-core machine.
"""

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ["fasteners", "adhesives", "tools", "safety", "packaging", "electrical"]


def write_products(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sku", "description", "product_family", "base_uom", "uoms", "status",
                         "configurable", "restricted_countries", "min_order_qty",
                         "lead_time_days"])
        for i in range(rows):
            writer.writerow([
                f"BENCH-{i:06d}", f"Bench product {i} M{i % 24 + 3}x{i % 90 + 10}",
                FAMILIES[i % len(FAMILIES)], "EA", f"CS={6 + i % 4 * 6};PAL={480 + i % 5 * 120}",
                "discontinued" if i % 97 == 0 else "active", "true" if i % 53 == 0 else "false",
                "IR;KP" if i % 41 == 0 else "", str(i % 10) if i % 3 == 0 else "", str(i % 21),
            ])


def one_run(csv_path: Path) -> dict:
    """Runs inside a fresh process: migrate, import twice, report figures."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orderdesk.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from orders.models import Product, ProductUnit
    from orders.services.masterdata import masterdata_import

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    data = csv_path.read_bytes()
    started = time.perf_counter()
    first = masterdata_import(kind="products", data=data, file_name=csv_path.name)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = masterdata_import(kind="products", data=data, file_name=csv_path.name)
    second_s = time.perf_counter() - started
    if not (first.ok and second.ok):
        raise SystemExit(f"import failed: {(first.errors + second.errors)[:3]}")
    return {**changelist_times(), 
        "first_s": first_s, "second_s": second_s, "created": first.created,
        "unchanged": second.unchanged, "products": Product.objects.count(),
        "units": ProductUnit.objects.count(), "history": Product.history.count(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


ADMIN_PAGES = {
    "changelist_ms": "/admin/orders/product/",
    "search_ms": "/admin/orders/product/?q=BENCH-099999",
    "filter_ms": "/admin/orders/product/?status__exact=discontinued&product_family=tools",
    "page100_ms": "/admin/orders/product/?p=99",
}


def changelist_times() -> dict:
    """Median of 5 GETs of the product admin at 100k rows (usable = well under 1 s)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(user)
    figures = {}
    for name, url in ADMIN_PAGES.items():
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
        figures[name] = statistics.median(samples)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(Path(args.child))))
        return
    with tempfile.TemporaryDirectory(prefix="od-bench-") as tmp:
        csv_path = Path(tmp) / "products.csv"
        write_products(csv_path, args.rows)
        results = []
        for run in range(args.runs):
            env = {**os.environ, "ORDERDESK_VAR_DIR": str(Path(tmp) / f"run{run}"),
                   "ORDERDESK_HTTPS": "false", "ALLOWED_HOSTS": "testserver",
                   "STATIC_ROOT": str(Path(tmp) / "static")}
            if "DATABASE_URL" not in os.environ:
                env["DATABASE_URL"] = ""
            out = subprocess.run([sys.executable, __file__, "--child", str(csv_path)], env=env,
                                 capture_output=True, text=True, check=False)
            if out.returncode:
                raise SystemExit(f"run {run + 1} failed:\n{out.stderr[-3000:]}")
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            r = results[-1]
            print(f"run {run + 1}: first import {r['first_s']:.1f} s, re-import "
                  f"{r['second_s']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB "
                  f"({r['products']} products, {r['units']} units, {r['history']} history rows)")
    median = {key: statistics.median(r[key] for r in results)
              for key in ("first_s", "second_s", "peak_rss_mb", *ADMIN_PAGES)}
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite (WAL)"
    print(f"median of {len(results)} on {database}, {args.rows} rows: "
          f"first import {median['first_s']:.1f} s ({args.rows / median['first_s']:.0f} rows/s), "
          f"re-import unchanged {median['second_s']:.1f} s, "
          f"peak RSS {median['peak_rss_mb']:.0f} MB; target < 60 s: "
          f"{'met' if median['first_s'] < 60 else 'NOT met'}")
    print("product admin at this size (median ms): " + ", ".join(
        f"{name.removesuffix('_ms')} {median[name]:.0f}" for name in ADMIN_PAGES))


if __name__ == "__main__":
    main()
