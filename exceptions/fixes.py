"""Fixing master data from a case: the cause is removed for good, not just
for this order. Each fix writes one master-data row (with history: who and
why), marks the case fixed permanently, decides the case again, then every
other open case the same fix may clear, and reports how many it released.

Who may fix what is checked here, on the server: customer service adds
contacts, e-mail domains, customer part numbers, ship-tos and unit aliases;
only finance adds or extends price agreements.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from exceptions.models import Case, CaseCause
from exceptions.services import case_reevaluate, case_return, case_take
from orders import roles
from orders.errors import CaseActionError
from orders.models import (
    Contact,
    Customer,
    CustomerEmailDomain,
    CustomerPart,
    Order,
    Price,
    Product,
    ShipTo,
    UnitAlias,
)
from rules.causes import Cause

SENDER_CAUSES = frozenset({Cause.UNKNOWN_CUSTOMER, Cause.AMBIGUOUS_CUSTOMER,
                           Cause.UNAUTHORIZED_SENDER})


@dataclass(frozen=True)
class Fix:
    kind: str
    label: str
    group: str
    causes: frozenset[str]
    #: Whether the fix is about the customer as such (then cases without a
    #: customer yet, e.g. UNKNOWN_CUSTOMER from the same sender, may clear too).
    reaches_unknown_customers: bool = False


FIXES: dict[str, Fix] = {fix.kind: fix for fix in (
    Fix("contact", "Add the sender as a contact", roles.CUSTOMER_SERVICE, SENDER_CAUSES, True),
    Fix("email_domain", "Add the sender's e-mail domain", roles.CUSTOMER_SERVICE, SENDER_CAUSES,
        True),
    Fix("customer_part", "Add a customer part number", roles.CUSTOMER_SERVICE,
        frozenset({Cause.UNKNOWN_PRODUCT})),
    Fix("shipto", "Add the address as a ship-to", roles.CUSTOMER_SERVICE,
        frozenset({Cause.UNKNOWN_SHIPTO})),
    Fix("unit_alias", "Add a unit alias", roles.CUSTOMER_SERVICE,
        frozenset({Cause.INVALID_UOM})),
    Fix("price", "Add a price agreement", roles.FINANCE,
        frozenset({Cause.PRICE_MISSING, Cause.PRICE_MISMATCH})),
    Fix("price_extend", "Extend a price agreement", roles.FINANCE,
        frozenset({Cause.PRICE_MISSING})),
)}


@dataclass
class FixReport:
    fix: Fix
    written: str  # the row, in words
    this_case: str  # "executed", "still open", "unchanged"
    others: Counter = field(default_factory=Counter)

    @property
    def released(self) -> int:
        return self.others["executed"]

    def summary(self) -> str:
        checked = sum(self.others.values())
        state = {"executed": "this order is executed",
                 "still open": "this case still has other causes"}.get(self.this_case,
                                                                      "this case is unchanged")
        return (f"{self.written}: {state}; {checked} other open case(s) with the same cause "
                f"re-checked, {self.released} released.")


def fixes_for(causes: set[str], groups: set[str], *, superuser: bool = False) -> list[Fix]:
    """The fixes a person may apply to a case with ``causes``."""
    return [fix for fix in FIXES.values()
            if fix.causes & causes and (superuser or fix.group in groups)]


def case_fix(*, case_id: int, actor, kind: str, data: dict, reason: str) -> FixReport:
    """Write the master-data row of fix ``kind`` from the case, then decide the
    case and every other open case it may clear again."""
    fix = FIXES.get(kind)
    if fix is None:
        raise CaseActionError(f"unknown fix {kind!r}")
    if not (actor.is_superuser or actor.groups.filter(name=fix.group).exists()):
        raise CaseActionError(f"only {fix.group} may {fix.label.lower()}")
    if not reason.strip():
        raise CaseActionError("say why the master data changes")
    case = Case.objects.select_related("order__customer").get(pk=case_id)
    if not case.is_open:
        raise CaseActionError("the case is resolved")
    if not fix.causes & {cause["code"] for cause in case.causes}:
        raise CaseActionError(f"this case has none of {', '.join(sorted(fix.causes))}")
    note = f"{fix.label.lower()} from case {case.pk}: {reason}"[:100]
    with transaction.atomic():
        try:
            with transaction.atomic():
                written, customer = WRITERS[kind](case.order, data, actor, note)
        except (ValidationError, IntegrityError, InvalidOperation, ValueError) as exc:
            raise CaseActionError(f"cannot {fix.label.lower()}: {_message(exc)}") from None
        case = Case.objects.select_for_update().get(pk=case_id)
        case.fixed_permanently = True
        case._history_user, case._change_reason = actor, note
        case.save(update_fields=["fixed_permanently"])
    report = FixReport(fix=fix, written=written, this_case=_decide_again(case, actor, note))
    for other in _siblings(fix, case, customer):
        report.others[case_reevaluate(case_id=other, reason=note,
                                      resolution=Case.Resolution.MASTER_DATA_FIXED)] += 1
    return report


def _decide_again(case: Case, actor, note: str) -> str:
    """Decide the fixed case again. A case the person holds goes back to the
    queue for that (re-evaluation leaves held cases alone) and is taken again
    when it stays open."""
    held = case.status == Case.State.IN_PROGRESS and case.assignee_id == actor.pk
    if held:
        case_return(case_id=case.pk, actor=actor)
    outcome = case_reevaluate(case_id=case.pk, reason=note,
                              resolution=Case.Resolution.MASTER_DATA_FIXED)
    if held and Case.objects.filter(pk=case.pk, status=Case.State.OPEN).exists():
        case_take(case_id=case.pk, actor=actor)
    return outcome


def _siblings(fix: Fix, case: Case, customer: Customer | None) -> list[int]:
    """Other open cases holding a cause the fix addresses, of the same
    customer (every fix is a customer's row, or reaches only the customer's
    orders), or without a customer where the fix names one."""
    same = Q(customer=customer) if customer else Q(customer__isnull=True)
    if customer and fix.reaches_unknown_customers:
        same |= Q(customer__isnull=True)
    return list(Case.objects.filter(same, status=Case.State.OPEN)
                .filter(Exists(CaseCause.objects.filter(case=OuterRef("pk"),
                                                        code__in=sorted(fix.causes))))
                .exclude(pk=case.pk).order_by("opened_at").values_list("pk", flat=True))


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
                         for name, errors in exc.message_dict.items())
    if isinstance(exc, IntegrityError):
        return "such a row exists already"
    return str(exc) or "the value is not valid"


# --- The rows each fix writes --------------------------------------------------------------


def _save(row, actor, note: str):
    row.full_clean()
    row._history_user, row._change_reason = actor, note
    row.save()
    return row


def _customer(order: Order, data: dict) -> Customer:
    number = (data.get("customer_number") or "").strip()
    if number:
        customer = Customer.objects.filter(customer_number__iexact=number).first()
        if customer is None:
            raise ValueError(f"there is no customer {number}")
        return customer
    if order.customer is None:
        raise ValueError("name the customer (customer number)")
    return order.customer


def _product(data: dict) -> Product:
    sku = (data.get("sku") or "").strip()
    product = Product.objects.filter(sku__iexact=sku).first() if sku else None
    if product is None:
        raise ValueError(f"there is no product {sku!r}" if sku else "name the product (SKU)")
    return product


def _sender(order: Order, data: dict) -> str:
    sender = (data.get("email") or order.sender or "").strip().lower()
    if "@" not in sender:
        raise ValueError("the order has no sender address to add")
    return sender


def _write_contact(order: Order, data: dict, actor, note: str) -> tuple[str, Customer]:
    customer, sender = _customer(order, data), _sender(order, data)
    if Contact.objects.filter(email=sender).exists():
        raise ValueError(f"{sender} is already a contact")
    _save(Contact(email=sender, customer=customer, name=(data.get("name") or "")[:200]),
          actor, note)
    return f"{sender} added as a contact of {customer.customer_number}", customer


def _write_domain(order: Order, data: dict, actor, note: str) -> tuple[str, Customer]:
    customer = _customer(order, data)
    domain = (data.get("domain") or _sender(order, data).rpartition("@")[2]).strip().lower()
    _save(CustomerEmailDomain(customer=customer, domain=domain), actor, note)
    return f"{domain} added as an e-mail domain of {customer.customer_number}", customer


def _write_part(order: Order, data: dict, actor, note: str) -> tuple[str, Customer]:
    customer, product = _customer(order, data), _product(data)
    part = (data.get("customer_part_number") or "").strip()
    if not part:
        raise ValueError("give the customer's part number")
    _save(CustomerPart(customer=customer, customer_part_number=part, product=product), actor, note)
    return f"part {part} of {customer.customer_number} now means {product.sku}", customer


def _write_shipto(order: Order, data: dict, actor, note: str) -> tuple[str, Customer]:
    customer = _customer(order, data)
    values = {name: (data.get(name) or getattr(order, f"ship_to_{name}") or "").strip()
              for name in ("name", "street", "city", "postal_code", "country")}
    values["country"] = values["country"].upper()
    code = (data.get("shipto_code") or "").strip()
    shipto = _save(ShipTo(customer=customer, shipto_code=code, **values), actor, note)
    return f"ship-to {shipto.shipto_code} ({shipto.street}, {shipto.city}) added to " \
           f"{customer.customer_number}", customer


def _write_unit_alias(order: Order, data: dict, actor, note: str) -> tuple[str, Customer | None]:
    alias, uom = (data.get("alias") or "").strip(), (data.get("uom") or "").strip().upper()
    if not alias or not uom:
        raise ValueError("give the word as written and the unit code it means")
    everyone = data.get("scope") == "everyone"
    customer = None if everyone else _customer(order, data)
    _save(UnitAlias(customer=customer, alias=alias, uom=uom), actor, note)
    whose = "everyone" if customer is None else customer.customer_number
    return f"unit {alias!r} now means {uom} for {whose}", customer or order.customer


def _write_price(order: Order, data: dict, actor, note: str) -> tuple[str, Customer]:
    customer, product = _customer(order, data), _product(data)
    price = Price(customer=customer, product=product,
                  unit_price=Decimal(str(data.get("unit_price") or "").replace(",", ".")),
                  currency=(data.get("currency") or customer.currency).upper(),
                  valid_from=_date(data.get("valid_from")) or order.order_date
                  or timezone.localdate(),
                  valid_to=_date(data.get("valid_to")))
    _save(price, actor, note)
    return (f"price agreement {product.sku} {price.unit_price} {price.currency} for "
            f"{customer.customer_number} from {price.valid_from}"), customer


def _write_price_extension(order: Order, data: dict, actor, note: str) -> tuple[str, Customer]:
    customer, product = _customer(order, data), _product(data)
    price = (Price.objects.select_for_update().filter(customer=customer, product=product)
             .order_by("-valid_from").first())
    if price is None:
        raise ValueError(f"{customer.customer_number} has no agreement for {product.sku} to extend")
    price.valid_to = _date(data.get("valid_to"))
    _save(price, actor, note)
    until = price.valid_to or "open end"
    return f"price agreement {product.sku} for {customer.customer_number} extended to {until}", \
        customer


def _date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


WRITERS: dict[str, Callable[[Order, dict, object, str], tuple[str, Customer | None]]] = {
    "contact": _write_contact, "email_domain": _write_domain, "customer_part": _write_part,
    "shipto": _write_shipto, "unit_alias": _write_unit_alias, "price": _write_price,
    "price_extend": _write_price_extension,
}
