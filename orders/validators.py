"""Validators for codes the database stores as plain text.

The database enforces the shape (upper-case, fixed length) with check
constraints; membership in the ISO lists is checked here, on every path that
writes master data (admin forms, CSV import), because ISO lists change and
a schema migration per new country would be absurd.
"""

from functools import cache

import pycountry
from django.core.exceptions import ValidationError


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def _currency_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def validate_country_code(value: str) -> None:
    if value not in _country_codes():
        raise ValidationError(
            "%(value)s is not an ISO 3166 alpha-2 country code.",
            code="invalid_country",
            params={"value": value},
        )


def validate_currency_code(value: str) -> None:
    if value not in _currency_codes():
        raise ValidationError(
            "%(value)s is not an ISO 4217 currency code.",
            code="invalid_currency",
            params={"value": value},
        )


def validate_uom_code(value: str) -> None:
    if not value or not value.replace("-", "").replace("_", "").isalnum():
        raise ValidationError(
            "%(value)s is not a unit code (letters and digits only).",
            code="invalid_uom",
            params={"value": value},
        )
