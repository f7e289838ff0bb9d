"""The database itself refuses master data the order checks would misread."""

from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction
from simple_history.models import HistoricalRecords

from orders import models

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except (IntegrityError, DataError):  # PostgreSQL refuses over-long codes as DataError
        return True
    return False


@pytest.fixture
def acme():
    return models.Customer.objects.create(customer_number="C1", name="Acme", country="DE",
                                          currency="EUR")


@pytest.fixture
def widget():
    return models.Product.objects.create(sku="SKU-1", description="Widget", base_uom="EA")


def test_iso_codes_must_have_their_shape(acme):
    assert refused(lambda: models.Customer.objects.create(customer_number="C2", name="x",
                                                          country="de", currency="EUR"))
    assert refused(lambda: models.Customer.objects.create(customer_number="C3", name="x",
                                                          country="DE", currency="EURO"))
    assert refused(lambda: models.DeniedParty.objects.create(name="x", country="DEU"))


def test_keys_are_unique(acme, widget):
    assert refused(lambda: models.Customer.objects.create(customer_number="C1", name="again",
                                                          country="DE", currency="EUR"))
    models.Price.objects.create(customer=acme, product=widget, unit_price=1, currency="EUR")
    # A second open-ended agreement for the same pair collides although its
    # valid_from is NULL.
    assert refused(lambda: models.Price.objects.create(customer=acme, product=widget,
                                                       unit_price=2, currency="EUR"))


def test_quantities_and_amounts_are_not_negative(acme, widget):
    assert refused(lambda: models.Inventory.objects.create(product=widget, warehouse="W",
                                                           on_hand=Decimal("-1")))
    assert refused(lambda: models.Credit.objects.create(customer=acme, credit_limit=-5))
    assert refused(lambda: models.Price.objects.create(customer=acme, product=widget,
                                                       unit_price=-1, currency="EUR"))


def test_unit_factors_are_positive(widget):
    assert refused(lambda: models.ProductUnit.objects.create(product=widget, uom="CS", factor=0))
    models.ProductUnit.objects.create(product=widget, uom="CS", factor=12)
    assert refused(lambda: models.ProductUnit.objects.create(product=widget, uom="CS", factor=6))


def test_price_validity_cannot_end_before_it_starts(acme, widget):
    assert refused(lambda: models.Price.objects.create(
        customer=acme, product=widget, unit_price=1, currency="EUR",
        valid_from="2026-02-01", valid_to="2026-01-01"))


def test_every_master_data_model_keeps_history():
    for model in (models.Customer, models.CustomerEmailDomain, models.CustomerAlias,
                  models.Contact, models.SalesRep, models.ShipTo, models.Product,
                  models.ProductUnit, models.ProductRestriction, models.CustomerPart,
                  models.Price, models.Inventory, models.Credit, models.OrderHistoryLine,
                  models.DeniedParty):
        assert any(isinstance(m, HistoricalRecords) or hasattr(model, "history")
                   for m in [getattr(model, "history", None)]), model
        assert model.history.model._meta.get_field("history_change_reason")
        assert model.history.model._meta.get_field("history_user")
