"""Fixtures of the inbox tests: two customers, two products, autonomy on."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def masterdata(load):
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
