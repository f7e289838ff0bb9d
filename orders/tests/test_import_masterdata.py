"""CSV import per CONTRACT §1, through the command and the service."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import csv_text
from orders import models
from orders.errors import MasterDataImportError
from orders.resources import RESOURCES
from orders.services.masterdata import masterdata_import

pytestmark = pytest.mark.django_db


def run(kind: str, path, *args) -> str:
    out = StringIO()
    call_command("import_masterdata", kind, str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


CUSTOMERS = (
    "customer_number,name,email_domains,aliases,customer_group,country,currency,status\n"
    "C1001,Acme GmbH,acme.example;ACME-shop.example,ACME;Acme Germany,key,de,eur,\n"
    "C1002,Beta SARL,beta.example,,smb,FR,EUR,blocked\n"
)


def test_import_creates_then_reports_unchanged(tmp_path):
    path = write(tmp_path, "customers.csv", CUSTOMERS)
    assert "2 created, 0 updated, 0 unchanged, 0 invalid" in run("customers", path)
    assert "0 created, 0 updated, 2 unchanged, 0 invalid" in run("customers", path)
    acme = models.Customer.objects.get(customer_number="C1001")
    assert (acme.country, acme.currency, acme.status) == ("DE", "EUR", "active")
    assert sorted(acme.email_domains.values_list("domain", flat=True)) == [
        "acme-shop.example", "acme.example",
    ]
    assert models.Customer.objects.get(customer_number="C1002").status == "blocked"


def test_reimport_updates_changed_rows_and_records_history(tmp_path):
    run("customers", write(tmp_path, "customers.csv", CUSTOMERS))
    changed = CUSTOMERS.replace("Beta SARL", "Beta SAS")
    out = run("customers", write(tmp_path, "customers2.csv", changed), "--reason", "rename")
    assert "0 created, 1 updated, 1 unchanged" in out
    beta = models.Customer.objects.get(customer_number="C1002")
    latest = beta.history.first()
    assert latest.name == "Beta SAS"
    assert latest.history_type == "~"
    assert latest.history_user.username == "orderdesk-system"
    assert latest.history_change_reason == "rename"


def test_one_bad_row_writes_nothing_and_names_its_line(tmp_path):
    text = CUSTOMERS + "C1003,Gamma BV,,,,NL,EUR,\nC1004,Delta,,,,XX,EUR,\n"
    path = write(tmp_path, "customers.csv", text)
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 invalid row\(s\) \(lines 5\); nothing written"):
        call_command("import_masterdata", "customers", str(path), stdout=StringIO(), stderr=err)
    assert "customers.csv line 5: country: XX is not an ISO 3166 alpha-2 country code." in err.getvalue()
    assert not models.Customer.objects.exists()
    assert not models.Customer.history.exists()


def test_blank_lines_do_not_shift_line_numbers(tmp_path):
    text = CUSTOMERS + "\n\nC1005,Epsilon,,,,SE,SEKX,\n"
    report = masterdata_import(kind="customers", data=text, file_name="c.csv")
    assert report.errors[0].startswith("line 6: currency:")


def test_every_bad_row_is_reported(basic_masterdata):
    text = (
        "customer_number,sku,unit_price,currency,valid_from\n"
        "C1,SKU-1,1.04,EUR,2026-01-01\n"
        "C1,SKU-9,1.04,EUR,2026-01-01\n"
        'C2,SKU-1,"1,04",EUR,2026-13-01\n'
        "C1,SKU-1,1.05,EUR,2026-01-01\n"
    )
    report = masterdata_import(kind="prices", data=text, file_name="p.csv")
    assert report.invalid == 3
    assert "line 3: sku: unknown sku 'SKU-9'" in report.errors
    assert "line 4: unit_price: '1,04' is not a decimal number (use . as the separator)" in report.errors
    assert "line 4: valid_from: '2026-13-01' is not a date in YYYY-MM-DD form" in report.errors
    assert "line 5: same key as line 2 (customer_number=C1, sku=SKU-1, valid_from=2026-01-01)" in (
        report.errors
    )


def test_dry_run_validates_and_writes_nothing(tmp_path):
    out = run("customers", write(tmp_path, "customers.csv", CUSTOMERS), "--dry-run")
    assert "2 created" in out and "dry run: nothing written" in out
    assert not models.Customer.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("customer_number,name,country,currency,colour\nC1,A,DE,EUR,red\n", "unknown column(s): colour"),
        ("customer_number,name,country\nC1,A,DE\n", "missing required column(s): currency"),
        ("customer_number,name,name,country,currency\n", "duplicate column(s): name"),
        ("", "the file is empty"),
        ("customer_number,name,country,currency\nC1,A,DE\n", "line 2 has 3 cells, the header 4"),
    ],
)
def test_unusable_files_are_refused_whole(tmp_path, text, message):
    path = write(tmp_path, "customers.csv", text)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("customers", path)
    assert not models.Customer.objects.exists()


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes("customer_number,name,country,currency\nC1,Müller,DE,EUR\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("customers", path)


def test_missing_file_and_unknown_kind_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("customers", tmp_path / "nope.csv")
    with pytest.raises(MasterDataImportError, match="unknown kind 'suppliers'"):
        masterdata_import(kind="suppliers", data="a\n", file_name="x.csv")


def test_columns_may_come_in_any_order_and_bom_is_accepted(basic_masterdata):
    text = "\ufeffsku,customer_number,currency,unit_price\nSKU-1,C1,EUR,10.30\n"
    report = masterdata_import(kind="prices", data=text.encode(), file_name="p.csv")
    assert report.created == 1
    price = models.Price.objects.get()
    assert (price.unit_price, price.valid_from) == (Decimal("10.30"), None)


def test_price_without_valid_from_is_upserted_not_duplicated(basic_masterdata, load):
    row = {"customer_number": "C1", "sku": "SKU-1", "unit_price": "10.30", "currency": "EUR",
           "valid_from": "", "valid_to": ""}
    load("prices", [row])
    report = load("prices", [{**row, "unit_price": "10.50"}])
    assert (report.created, report.updated) == (0, 1)
    assert models.Price.objects.get().unit_price == Decimal("10.50")


def test_units_are_child_rows_kept_in_step_with_the_file(basic_masterdata, load):
    product = models.Product.objects.get(sku="SKU-1")
    assert dict(product.units.values_list("uom", "factor")) == {"CS": 12, "PAL": 480}
    report = load("products", [{"sku": "SKU-1", "description": "Widget", "base_uom": "EA",
                                "uoms": "CS=10;BOX=5"}])
    assert report.updated == 1
    assert dict(product.units.values_list("uom", "factor")) == {"CS": 10, "BOX": 5}
    removed = models.ProductUnit.history.filter(uom="PAL", history_type="-").get()
    assert removed.history_user.username == "orderdesk-system"


@pytest.mark.parametrize(
    ("uoms", "message"),
    [
        ("CS=0", "the factor of CS must be a positive number"),
        ("CS", "'CS' is not UNIT=FACTOR"),
        ("EA=2", "the base unit EA must have factor 1"),
        ("CS=12;CS=6", "unit CS is given twice"),
    ],
)
def test_bad_unit_lists_are_invalid_rows(db, uoms, message):
    text = csv_text([{"sku": "S", "description": "d", "base_uom": "EA", "uoms": uoms}])
    report = masterdata_import(kind="products", data=text, file_name="p.csv")
    assert report.errors == [f"line 2: uoms: {message}"]


def test_restricted_countries_are_validated(db):
    text = csv_text([{"sku": "S", "description": "d", "base_uom": "EA",
                      "restricted_countries": "ir;XQ"}])
    report = masterdata_import(kind="products", data=text, file_name="p.csv")
    assert report.errors == ["line 2: restricted_countries: XQ is not an ISO 3166 alpha-2 country code."]


def test_new_default_shipto_replaces_the_old_one(basic_masterdata, load):
    base = {"customer_number": "C1", "name": "Acme", "street": "Hauptstr. 1", "city": "Köln",
            "postal_code": "50667", "country": "DE"}
    load("shiptos", [{**base, "shipto_code": "S1", "is_default": "true"},
                     {**base, "shipto_code": "S2", "is_default": "false"}])
    load("shiptos", [{**base, "shipto_code": "S2", "is_default": "true"}])
    defaults = models.ShipTo.objects.filter(is_default=True).values_list("shipto_code", flat=True)
    assert list(defaults) == ["S2"]


def test_two_defaults_for_one_customer_in_a_file_are_refused(basic_masterdata):
    base = {"customer_number": "C1", "name": "Acme", "street": "s", "city": "c",
            "postal_code": "1", "country": "DE", "is_default": "true"}
    text = csv_text([{**base, "shipto_code": "S1"}, {**base, "shipto_code": "S2"}])
    report = masterdata_import(kind="shiptos", data=text, file_name="s.csv")
    assert report.errors == ["line 3: is_default: line 2 already makes S1 the default"]


def test_booleans_decimals_and_dates_are_strict(basic_masterdata):
    text = csv_text([
        {"sku": "SKU-1", "warehouse": "W1", "on_hand": "-1", "next_receipt_date": "1.2.2027",
         "next_receipt_qty": "5"},
    ])
    report = masterdata_import(kind="inventory", data=text, file_name="i.csv")
    assert "line 2: on_hand: Ensure this value is greater than or equal to 0." in report.errors
    assert "line 2: next_receipt_date: '1.2.2027' is not a date in YYYY-MM-DD form" in report.errors
    text = csv_text([{"customer_number": "C1", "credit_limit": "100", "on_hold": "yes"}])
    report = masterdata_import(kind="credit", data=text, file_name="c.csv")
    assert report.errors == ["line 2: on_hold: 'yes' is not true or false"]


def test_every_kind_of_contract_section_1_imports(basic_masterdata, load):
    load("contacts", [{"email": "Buyer@Acme.example", "customer_number": "C1", "name": "B"}])
    load("sales_reps", [{"email": "rep@us.example", "name": "Rep"}])
    load("customer_parts", [{"customer_number": "C1", "customer_part_number": "A-1", "sku": "SKU-2"}])
    load("inventory", [{"sku": "SKU-1", "warehouse": "W1", "on_hand": "100",
                        "next_receipt_date": "2027-01-05", "next_receipt_qty": "50"}])
    load("credit", [{"customer_number": "C1", "credit_limit": "5000", "open_exposure": "",
                     "on_hold": ""}])
    load("order_history", [{"customer_number": "C1", "po_number": "P1", "order_date": "2026-01-05",
                            "sku": "SKU-1", "quantity": "24", "shipto_code": "", "unit_price": ""}])
    load("denied_parties", [{"name": "Bad Corp", "street": "", "city": "", "country": "IR"}])
    assert models.Contact.objects.get().email == "buyer@acme.example"
    assert models.CustomerPart.objects.get().product.sku == "SKU-2"
    assert models.Inventory.objects.get().next_receipt_date == date(2027, 1, 5)
    credit = models.Credit.objects.get()
    assert (credit.open_exposure, credit.on_hold) == (0, False)
    assert models.OrderHistoryLine.objects.get().quantity == 24
    assert models.DeniedParty.objects.get().country == "IR"
    assert set(RESOURCES) == {
        "customers", "contacts", "sales_reps", "shiptos", "products", "customer_parts",
        "prices", "inventory", "credit", "order_history", "denied_parties",
    }


def test_public_mail_domains_are_refused_with_their_line(tmp_path):
    text = (CUSTOMERS + "C1003,Gamma BV,gamma.example;GMAIL.com,,,NL,EUR,\n"
            "C1004,Delta,mailinator.com,,,SE,SEK,\n")
    path = write(tmp_path, "customers.csv", text)
    err = StringIO()
    with pytest.raises(CommandError, match=r"2 invalid row\(s\) \(lines 4, 5\); nothing written"):
        call_command("import_masterdata", "customers", str(path), stdout=StringIO(), stderr=err)
    assert ("customers.csv line 4: email_domains: gmail.com is a public e-mail domain (anyone can "
            "have an address there): import the buyers' addresses as contacts instead"
            in err.getvalue())
    assert "customers.csv line 5: email_domains: mailinator.com is a public" in err.getvalue()
    assert not models.CustomerEmailDomain.objects.exists()
