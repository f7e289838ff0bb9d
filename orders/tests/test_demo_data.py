"""demo_data: deterministic CSV files that load through the import path and re-load as a no-op."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Exists, F, OuterRef, Q

from orders import demo
from orders.models import Credit, Customer, OrderHistoryLine, Price, Product
from orders.resources import RESOURCES

TODAY = date(2026, 3, 15)
SUMMARY = re.compile(r"^(\w+) from \S+: (\d+) created, (\d+) updated, (\d+) unchanged, (\d+) invalid$")


def run_demo_data(directory: Path, **options) -> str:
    out = io.StringIO()
    call_command("demo_data", directory=directory, stdout=out, **options)
    return out.getvalue()


def summaries(output: str) -> dict[str, dict[str, int]]:
    found = (SUMMARY.match(line) for line in output.splitlines())
    labels = ("created", "updated", "unchanged", "invalid")
    return {m[1]: dict(zip(labels, map(int, m.groups()[1:]), strict=True)) for m in found if m}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_writes_identical_files(tmp_path):
    first = demo.write_demo_csvs(tmp_path / "a", seed=3, today=TODAY)
    second = demo.write_demo_csvs(tmp_path / "b", seed=3, today=TODAY)

    assert list(first) == list(second) == list(RESOURCES)
    for kind, path in first.items():
        assert path.name == f"{kind}.csv"
        assert path.read_bytes() == second[kind].read_bytes(), kind


def test_other_seed_writes_other_data(tmp_path):
    first = demo.write_demo_csvs(tmp_path / "a", seed=3, today=TODAY)
    other = demo.write_demo_csvs(tmp_path / "b", seed=4, today=TODAY)

    assert first["order_history"].read_bytes() != other["order_history"].read_bytes()


def test_files_use_only_import_columns(tmp_path):
    paths = demo.write_demo_csvs(tmp_path, today=TODAY)

    for kind, path in paths.items():
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert set(RESOURCES[kind].required) <= set(header) <= set(RESOURCES[kind].column_names())


def test_gtins_carry_a_valid_gs1_check_digit(tmp_path):
    products = read_rows(demo.write_demo_csvs(tmp_path, today=TODAY)["products"])
    gtins = [row["gtin"] for row in products if row["gtin"]]

    assert demo.gtin13("400638133393") == "4006381333931"
    assert gtins
    assert all(len(g) == 13 and g.isdigit() and demo.gtin13(g[:12]) == g for g in gtins)


def test_order_history_quantities_are_whole_packs(tmp_path):
    paths = demo.write_demo_csvs(tmp_path, today=TODAY)
    products = {row["sku"]: row for row in read_rows(paths["products"])}

    for line in read_rows(paths["order_history"]):
        product = products[line["sku"]]
        units = (item.partition("=") for item in product["uoms"].split(";") if item)
        pack = min((int(f) for u, _, f in units if u not in demo.BULK_UNITS), default=1)
        assert int(line["quantity"]) % pack == 0
        assert int(line["quantity"]) >= int(product["min_order_qty"] or 0)


@pytest.mark.django_db
def test_demo_data_loads_coherent_master_data(tmp_path):
    run_demo_data(tmp_path)

    customers = Customer.objects.annotate(
        defaults=Count("shiptos", filter=Q(shiptos__is_default=True), distinct=True),
        priced=Count("prices", distinct=True),
    )
    assert 18 <= customers.count() <= 25
    assert Product.objects.count() == 200
    assert {c.defaults for c in customers} == {1}
    assert all(c.priced >= 20 for c in customers)
    assert Credit.objects.count() == customers.count()
    assert not Price.objects.exclude(currency=F("customer__currency")).exists()


@pytest.mark.django_db
def test_every_order_history_line_has_the_agreed_price(tmp_path):
    run_demo_data(tmp_path)

    agreed = Price.objects.filter(
        customer=OuterRef("customer"), product=OuterRef("product"), unit_price=OuterRef("unit_price")
    )
    assert OrderHistoryLine.objects.count() > 100
    assert not OrderHistoryLine.objects.filter(~Exists(agreed)).exists()


@pytest.mark.django_db
def test_second_run_creates_and_updates_nothing(tmp_path):
    first = summaries(run_demo_data(tmp_path))
    second = summaries(run_demo_data(tmp_path))

    assert list(second) == list(RESOURCES)
    assert all(counts["created"] > 0 for counts in first.values())
    assert all(counts["created"] == counts["updated"] == 0 for counts in second.values())
    assert {kind: counts["unchanged"] for kind, counts in second.items()} == {
        kind: counts["created"] for kind, counts in first.items()
    }


@pytest.mark.django_db
def test_write_only_imports_nothing(tmp_path):
    run_demo_data(tmp_path, write_only=True)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.csv" for k in RESOURCES)
    assert not Customer.objects.exists()


@pytest.mark.django_db
def test_a_bad_file_fails_in_one_line_and_loads_nothing(tmp_path, monkeypatch):
    def write_with_unknown_sku(directory, **kwargs):
        paths = demo.write_demo_csvs(directory, **kwargs)
        with paths["prices"].open("a", encoding="utf-8") as handle:
            handle.write("C1001,NO-SUCH-SKU,1.00,EUR,2020-01-01,\n")
        return paths

    monkeypatch.setattr("orders.management.commands.demo_data.write_demo_csvs", write_with_unknown_sku)
    with pytest.raises(CommandError, match=r"^prices\.csv line \d+: sku: unknown sku") as error:
        run_demo_data(tmp_path)

    assert "\n" not in str(error.value)
    assert not Customer.objects.exists()
