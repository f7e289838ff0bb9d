"""Fixtures shared by every test tree."""

import csv
import io
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from orders.roles import ROLE_PERMISSIONS, roles_ensure
from orders.services.masterdata import masterdata_import


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Plain HTTP and unhashed static files, as a developer's test client sees them."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def load():
    """Load master data through the import service, failing loudly on errors."""

    def load(kind: str, rows: list[dict]):
        report = masterdata_import(kind=kind, data=csv_text(rows), file_name=f"{kind}.csv")
        assert report.ok, report.errors
        return report

    return load


@pytest.fixture
def make_user(db):
    # A transactional test's flush empties the groups the migrations created.
    if Group.objects.filter(name__in=ROLE_PERMISSIONS).count() < len(ROLE_PERMISSIONS):
        roles_ensure()

    def make_user(username: str, *roles: str, superuser: bool = False):
        user = get_user_model().objects.create_user(
            username=username, password="a-long-test-password", is_staff=True,
            is_superuser=superuser,
        )
        user.groups.set(Group.objects.filter(name__in=roles))
        return user

    return make_user


@pytest.fixture
def basic_masterdata(load):
    load("customers", [
        {"customer_number": "C1", "name": "Acme GmbH", "email_domains": "acme.example",
         "aliases": "ACME", "customer_group": "key", "country": "DE", "currency": "EUR"},
        {"customer_number": "C2", "name": "Beta SARL", "email_domains": "", "aliases": "",
         "customer_group": "smb", "country": "FR", "currency": "EUR"},
    ])
    load("products", [
        {"sku": "SKU-1", "description": "Widget", "base_uom": "EA", "uoms": "CS=12;PAL=480"},
        {"sku": "SKU-2", "description": "Gadget", "base_uom": "KG", "uoms": ""},
    ])


# Two customers, two products, autonomy on: the desk's (inbox, dashboard) fixtures.
@pytest.fixture
def desk_masterdata(load):
    load("customers", [
        {"customer_number": "C1", "name": "Acme GmbH", "email_domains": "acme.example",
         "country": "DE", "currency": "EUR"},
        {"customer_number": "C2", "name": "Beta SARL", "email_domains": "beta.example",
         "country": "FR", "currency": "EUR"}])
    load("shiptos", [
        {"customer_number": "C1", "shipto_code": "S1", "name": "Acme", "street": "Weg 1",
         "city": "Köln", "postal_code": "50667", "country": "DE", "is_default": "true"},
        {"customer_number": "C2", "shipto_code": "B1", "name": "Beta", "street": "Rue 2",
         "city": "Lyon", "postal_code": "69001", "country": "FR", "is_default": "true"}])
    load("products", [{"sku": "SKU-1", "description": "Widget", "base_uom": "EA",
                       "uoms": "CS=12"},
                      {"sku": "SKU-2", "description": "Gadget", "base_uom": "EA"}])
    load("prices", [{"customer_number": c, "sku": s, "unit_price": "1", "currency": "EUR"}
                    for c in ("C1", "C2") for s in ("SKU-1", "SKU-2")])
    load("inventory", [{"sku": s, "warehouse": "A", "on_hand": "10000"} for s in ("SKU-1",
                                                                                 "SKU-2")])
    load("credit", [{"customer_number": c, "credit_limit": "100000", "open_exposure": "0"}
                    for c in ("C1", "C2")])
    call_command("set_autonomy", "autonomous", stdout=StringIO())
