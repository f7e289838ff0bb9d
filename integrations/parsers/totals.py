"""A document's stated totals against its lines.

A printed total that the lines do not add up to means a line was misread,
dropped or added: "2,317.00" printed over lines that make 2,247.00 executed
once. Readers put every amount of a totals row ("Subtotal", "MwSt 19 %",
"Freight", "Total") into ``OrderDraft.stated_totals``; ``disagreement`` then
judges them the same way for every format.

The largest amount is the document's total. It must be the lines' sum, or the
sum plus the document's other stated amounts (tax, freight, charges), or the
sum plus one of them; otherwise the order is uncertain. A document whose lines
are not all priced cannot be checked and is left to the price checks.
"""

from __future__ import annotations

import re
from decimal import Decimal

from integrations.parsers.draft import OrderDraft
from integrations.parsers.vocabulary import fold, parse_decimal

#: Totals rows that count things, not money ("Total qty 30", "Gesamtgewicht 12 kg").
_NOT_MONEY = re.compile(
    r"\b(?:qty|quantity|quantities|menge|anzahl|antal|aantal|quantite|pieces?|pcs|stuck|items?|positions?"
    r"|pos|lines?|weight|gewicht|poids|vaegt|kg|colli|cartons?|pallets?|paletten|volume|cbm|m3)\b"
)
_AMOUNT = re.compile(r"-?\d[\d.,' ]*\d|-?\d")


def counts_things(label: str) -> bool:
    """A totals label of pieces, lines or weight, not money ("Total qty", "Gesamtgewicht")."""
    return bool(_NOT_MONEY.search(fold(label)))


def stated_amount(text: str, *, decimal_comma: bool | None) -> Decimal | None:
    """The amount a totals row states: its last number, unless the row counts things."""
    if counts_things(text):
        return None
    numbers = [n for n in _AMOUNT.findall(text) if not n.rstrip().endswith("%")]
    tail = text[text.rfind(numbers[-1]) + len(numbers[-1]):] if numbers else ""
    if not numbers or tail.lstrip().startswith("%"):
        return None
    return parse_decimal(numbers[-1].strip(), decimal_comma=decimal_comma)


def disagreement(draft: OrderDraft) -> str | None:
    """Why the stated totals do not fit the lines, or None."""
    amounts = [read.value for read in draft.stated_totals if read.value is not None]
    lines = _line_sum(draft)
    if not amounts or lines is None:
        return None
    tolerance = Decimal("0.01") * max(2, len(draft.lines))
    total = max(amounts)
    charges = list(amounts)
    charges.remove(total)
    charges = [amount for amount in charges if abs(amount - lines) > tolerance]
    candidates = [lines, lines + sum(charges), *(lines + charge for charge in charges)]
    if any(abs(total - candidate) <= tolerance for candidate in candidates):
        return None
    return f"the document states a total of {total:,.2f}, the lines add up to {lines:,.2f}"


def _line_sum(draft: OrderDraft) -> Decimal | None:
    total = Decimal(0)
    for line in draft.lines:
        if line.quantity is None or line.unit_price is None:
            return None
        per = line.price_per.value if line.price_per is not None and line.price_per.value else Decimal(1)
        total += line.quantity.value * line.unit_price.value / per
    return total
