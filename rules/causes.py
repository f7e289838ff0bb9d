"""Cause codes (CONTRACT §5): why an order is not executed without a person."""

from django.db import models


class Cause(models.TextChoices):
    UNKNOWN_CUSTOMER = "UNKNOWN_CUSTOMER", "No customer can be determined"
    AMBIGUOUS_CUSTOMER = "AMBIGUOUS_CUSTOMER", "More than one customer fits"
    UNAUTHORIZED_SENDER = "UNAUTHORIZED_SENDER", "Sender may not order for this customer"
    CUSTOMER_BLOCKED = "CUSTOMER_BLOCKED", "Customer is blocked"
    UNKNOWN_SHIPTO = "UNKNOWN_SHIPTO", "Delivery address is not a known ship-to"
    DENIED_PARTY = "DENIED_PARTY", "Matches the denied-parties list"
    UNKNOWN_PRODUCT = "UNKNOWN_PRODUCT", "Product cannot be determined"
    DISCONTINUED_PRODUCT = "DISCONTINUED_PRODUCT", "Product is discontinued"
    CONFIGURABLE_PRODUCT = "CONFIGURABLE_PRODUCT", "Product needs configuration"
    INVALID_UOM = "INVALID_UOM", "Unit is not one of the product's units"
    MIN_ORDER_QTY = "MIN_ORDER_QTY", "Below the minimum order quantity"
    PRICE_MISSING = "PRICE_MISSING", "No valid price agreement"
    PRICE_MISMATCH = "PRICE_MISMATCH", "Price differs from the agreement beyond tolerance"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH", "Currency is not the customer's"
    QUANTITY_ANOMALY = "QUANTITY_ANOMALY", "Quantity far outside the customer's history"
    REQUESTED_DATE_INFEASIBLE = "REQUESTED_DATE_INFEASIBLE", "Requested date cannot be met"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK", "Available stock does not cover a line"
    CREDIT_HOLD = "CREDIT_HOLD", "Customer credit is on hold"
    CREDIT_LIMIT_EXCEEDED = "CREDIT_LIMIT_EXCEEDED", "Order would exceed the credit limit"
    COMPLIANCE_RESTRICTED = "COMPLIANCE_RESTRICTED", "Product restricted for the ship-to country"
    ORDER_CHANGE = "ORDER_CHANGE", "Changes or cancels an order already received"
    FREE_TEXT_INSTRUCTION = "FREE_TEXT_INSTRUCTION", "Holds an instruction the system cannot act on"
    EXTRACTION_UNCERTAIN = "EXTRACTION_UNCERTAIN", "A field could not be read with confidence"
    AUTONOMY_DISABLED = "AUTONOMY_DISABLED", "Inside the boundary, but autonomy is off or shadow"
    NOT_AN_ORDER = "NOT_AN_ORDER", "The document holds no order"
    UNREADABLE_DOCUMENT = "UNREADABLE_DOCUMENT", "The document cannot be read"


#: The group that owns each cause: who resolves its exceptions and edits its rule.
OWNERS = {
    Cause.UNKNOWN_CUSTOMER: "Customer service",
    Cause.AMBIGUOUS_CUSTOMER: "Customer service",
    Cause.UNAUTHORIZED_SENDER: "Customer service",
    Cause.CUSTOMER_BLOCKED: "Finance",
    Cause.UNKNOWN_SHIPTO: "Customer service",
    Cause.DENIED_PARTY: "Compliance",
    Cause.UNKNOWN_PRODUCT: "Customer service",
    Cause.DISCONTINUED_PRODUCT: "Customer service",
    Cause.CONFIGURABLE_PRODUCT: "Customer service",
    Cause.INVALID_UOM: "Customer service",
    Cause.MIN_ORDER_QTY: "Customer service",
    Cause.PRICE_MISSING: "Finance",
    Cause.PRICE_MISMATCH: "Finance",
    Cause.CURRENCY_MISMATCH: "Finance",
    Cause.QUANTITY_ANOMALY: "Customer service",
    Cause.REQUESTED_DATE_INFEASIBLE: "Customer service",
    Cause.INSUFFICIENT_STOCK: "Customer service",
    Cause.CREDIT_HOLD: "Finance",
    Cause.CREDIT_LIMIT_EXCEEDED: "Finance",
    Cause.COMPLIANCE_RESTRICTED: "Compliance",
    Cause.ORDER_CHANGE: "Customer service",
    Cause.FREE_TEXT_INSTRUCTION: "Customer service",
    Cause.EXTRACTION_UNCERTAIN: "Customer service",
    Cause.AUTONOMY_DISABLED: "Customer service",
    Cause.NOT_AN_ORDER: "Customer service",
    Cause.UNREADABLE_DOCUMENT: "Customer service",
}


#: Causes kept per code and in all on one order. A document can name a million
#: unexplained segments; a person needs the first few and the count, and every
#: page, export and e-mail that shows the causes must stay small whatever came in.
MAX_CAUSES_PER_CODE = 25
MAX_CAUSES = 100


def causes_bounded(causes: list[dict]) -> list[dict]:
    """At most MAX_CAUSES_PER_CODE causes of each code (the first ones, in order)
    and MAX_CAUSES in all; what is left out is counted in one cause per code."""
    kept: list[dict] = []
    left_out: dict[str, list[dict]] = {}
    counts: dict[str, int] = {}
    for cause in causes:
        code = cause["code"]
        counts[code] = counts.get(code, 0) + 1
        if counts[code] <= MAX_CAUSES_PER_CODE and len(kept) < MAX_CAUSES - len(counts):
            kept.append(cause)
        else:
            left_out.setdefault(code, []).append(cause)
    for code, rest in left_out.items():
        first = rest[0]
        kept.append({"code": code, "line": None, "evidence": str(first.get("evidence", ""))[:500],
                     "message": f"{len(rest):,} more {code} causes like the above, the first of them: "
                                f"{str(first.get('message', ''))[:300]}"})
    return kept
