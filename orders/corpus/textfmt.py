"""Numbers, dates and units spelled the way people in each language write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from random import Random

from orders.corpus.master import Address
from orders.corpus.phrases import (
    COUNTRY_NAMES,
    DATE_STYLES,
    FOREIGN_COUNTRIES,
    MONTHS,
    REC20_UNITS,
    UNIT_WORDS,
    X12_UNITS,
)

_SEPARATORS = {"en": (",", "."), "de": (".", ","), "fr": (" ", ","), "da": (".", ","), "nl": (".", ",")}


def number(value: Decimal | int, lang: str, *, grouping: bool = True) -> str:
    """12.5 -> '12,50' (de); quantities stay whole; prices keep at least two decimals."""
    thousands, decimal = _SEPARATORS[lang]
    if isinstance(value, int):
        text = f"{value:,}" if grouping else str(value)
    else:
        places = _places(value)
        text = f"{value:,.{places}f}" if grouping else f"{value:.{places}f}"
    return text.translate(str.maketrans({",": thousands, ".": decimal}))


#: Countries whose own writing puts a point before decimals ("1,500.50"); the others use a comma.
DECIMAL_POINT_COUNTRIES = ("GB", "US", "IE", "CH")


def groups_thousands(lang: str, country: str) -> bool:
    """Whether a writer groups thousands in this language: only where the language's decimal
    mark is their country's too. A German writing English puts "2000", not "2,000" (which he
    would read as two) nor "2.000" (which his reader would).
    """
    return (_SEPARATORS[lang][1] == ".") == (country in DECIMAL_POINT_COUNTRIES)


def plain_number(value: Decimal | int) -> str:
    """Machine formats: '12.50', '120', '0.0423'."""
    return str(value) if isinstance(value, int) else f"{value:.{_places(value)}f}"


def _places(value: Decimal) -> int:
    """Two decimals, more only where they carry digits: 0.3300 -> 0.33, 0.0423 stays."""
    return max(2, -value.normalize().as_tuple().exponent)


def format_date(day: date, lang: str, style: int, *, country: str = "") -> str:
    key = "en-US" if lang == "en" and country == "US" else lang
    styles = DATE_STYLES[key]
    pattern = styles[style % len(styles)]
    return pattern.format(
        d=day.day, dd=f"{day.day:02d}", m=day.month, mm=f"{day.month:02d}",
        month=MONTHS[lang][day.month - 1], yyyy=day.year,
    )  # fmt: skip


def date_style(rng: Random, lang: str, country: str) -> int:
    """An unambiguous spelling: numeric dd/mm only where the customer's country reads it so."""
    if lang == "en" and country not in ("GB", "US"):
        return rng.choice((0, 1))  # "3 December 2026" or ISO for SE/CH writing English
    return rng.randrange(3)


def unit_word(unit: str, lang: str, rng: Random) -> str:
    """How a person writes our unit code in running text or a form."""
    words = UNIT_WORDS[lang].get(unit, (unit,))
    return words[0] if rng.random() < 0.6 else rng.choice(words)


def unit_code(unit: str, fmt: str, rng: Random) -> str:
    """The unit code an EDI sender writes: the standard's where it differs, else ours."""
    if fmt == "x12":
        return X12_UNITS.get(unit, unit)
    if fmt in ("edifact", "ubl") and unit in REC20_UNITS and rng.random() < 0.6:
        return rng.choice(REC20_UNITS[unit])
    return unit


def writable_in(unit: str, fmt: str) -> bool:
    """Whether a format has an unambiguous code for the unit."""
    return unit in X12_UNITS if fmt == "x12" else True


def written_units(units: list[str], lang: str, rng: Random, *, words: float = 0.75) -> list[str]:
    """How a document spells each line's unit: one habit per document (words or codes)."""
    use_words = rng.random() < words
    return [unit_word(unit, lang, rng) if use_words else unit for unit in units]


CURRENCY_SIGNS = {"EUR": "€", "GBP": "£", "USD": "$"}


def money(value: Decimal, currency: str, lang: str, *, sign: bool = False) -> str:
    """'12,50 EUR', '€ 12,50' (nl), '$12.50' (en)."""
    amount = number(value, lang)
    symbol = CURRENCY_SIGNS.get(currency) if sign else None
    if symbol and lang == "en":
        return f"{symbol}{amount}"
    if symbol and lang == "nl":
        return f"{symbol} {amount}"
    return f"{amount} {symbol or currency}"


def address_lines(address: Address, *, with_country: bool = False) -> list[str]:
    """Postal lines as the country writes them."""
    if address.country == "GB":
        place = [address.city, address.postal_code]
    elif address.country == "US":
        place = [f"{address.city}, {address.postal_code}"]
    else:
        place = [f"{address.postal_code} {address.city}".strip()]
    lines = [address.name, address.street, *place]
    if with_country or address.country in FOREIGN_COUNTRIES:
        lines.append(
            COUNTRY_NAMES.get(address.country) or FOREIGN_COUNTRIES.get(address.country, address.country)
        )
    return [line for line in lines if line]
