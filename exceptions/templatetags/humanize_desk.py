"""Small display filters of the desk's pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """12345 -> "12,345"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def money(value) -> str:
    """Two decimals with thousands separators: 1234.5 -> "1,234.50"."""
    if value in (None, ""):
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def cause_words(code: str) -> str:
    """PRICE_MISMATCH -> "Price mismatch"."""
    return str(code).replace("_", " ").capitalize()


@register.filter
def percent(value) -> str:
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def getfield(form, name: str):
    """form|getfield:"po_number": a bound field by a name held in a variable."""
    return form[name]
