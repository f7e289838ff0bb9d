"""Fixing master data from a case: the cause is removed for good, not just
for this order. Each fix writes one master-data row (with history: who and
why), marks the case fixed permanently, decides the case again, then every
other open case the same fix may clear, and reports how many it released.

Who may fix what is checked here, on the server: customer service adds
contacts, e-mail domains, customer part numbers, ship-tos and unit aliases;
only finance adds or extends price agreements.

A price fix is the one that sets what an order executes at, so it is held
to more (an agreement was once replaced from the wrong line, then an order
executed at ten times the agreed price): it names the product of a line the
case holds a price cause for; it replaces an agreement in force only when
the person confirms that; and a price beyond the price tolerance from the
last price paid needs a second confirmation. A case counts as fixed
permanently only when a cause the fix addresses cleared on re-decision.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from exceptions.lifecycle import case_transition
from exceptions.models import Case, CaseCause, CaseEvent
from exceptions.services import case_reevaluate, case_return, case_take
from orders import roles
from orders.errors import CaseActionError
from orders.models import (
    Contact,
    Customer,
    CustomerEmailDomain,
    CustomerPart,
    Order,
    OrderLine,
    Price,
    Product,
    ShipTo,
    UnitAlias,
)
from orders.selectors import PricePaid, last_price_paid
from orders.validators import is_public_mail_domain
from rules.causes import Cause
from rules.checks import order_rules
from rules.selectors import rulebook_current

SENDER_CAUSES = frozenset({Cause.UNKNOWN_CUSTOMER, Cause.AMBIGUOUS_CUSTOMER,
                           Cause.UNAUTHORIZED_SENDER})
PRICE_CAUSES = frozenset({Cause.PRICE_MISSING, Cause.PRICE_MISMATCH})


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
    #: Whether a cause the fix addresses cleared on this case.
    cleared: bool = True
    #: The causes the fix addresses that this case still holds.
    remaining: tuple[str, ...] = ()

    @property
    def released(self) -> int:
        return self.others["executed"]

    def summary(self) -> str:
        checked = sum(self.others.values())
        state = {"executed": "this order is executed",
                 "still open": "this case still has other causes"}.get(self.this_case,
                                                                      "this case is unchanged")
        if not self.cleared and self.this_case != "executed":
            state = (f"{', '.join(self.remaining)} did not clear on this case, which is not "
                     f"marked fixed")
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
    before = _addressed(case.order.causes, fix)
    try:
        if fix.causes <= PRICE_CAUSES:
            _price_target(case, fix, data)
        with transaction.atomic():
            written, customer = WRITERS[kind](case.order, data, actor, note)
            case_transition(Case.objects.select_for_update().get(pk=case.pk),
                            kind=CaseEvent.Kind.FIXED, actor=actor, reason=reason,
                            changes={"fix": kind, "written": written})
    except (ValidationError, IntegrityError, InvalidOperation, ValueError) as exc:
        raise CaseActionError(f"cannot {fix.label.lower()}: {_message(exc)}") from None
    outcome = _decide_again(case, actor, note)
    order = Order.objects.only("causes").get(pk=case.order_id)
    # Fixed for good only when the fix took a cause away: a row written that
    # clears nothing here (the wrong product, a date that does not cover the
    # order) must not count as a permanent fix.
    after = _addressed(order.causes, fix)
    report = FixReport(fix=fix, written=written, this_case=outcome, cleared=bool(before - after),
                       remaining=tuple(sorted({code for code, _line in after})))
    if report.cleared:
        _mark_fixed(case.pk, actor, note)
    for other in _siblings(fix, case, customer):
        report.others[case_reevaluate(case_id=other, reason=note,
                                      resolution=Case.Resolution.MASTER_DATA_FIXED)] += 1
    return report


def _addressed(causes: list[dict], fix: Fix) -> set[tuple[str, int | None]]:
    return {(cause["code"], cause.get("line")) for cause in causes if cause["code"] in fix.causes}


def _mark_fixed(case_id: int, actor, note: str) -> None:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        case.fixed_permanently = True
        case._history_user, case._change_reason = actor, note
        case.save(update_fields=["fixed_permanently"])


def price_lines(case: Case, fix: Fix) -> list[OrderLine]:
    """The order's lines that a price fix addresses: those the case holds one
    of the fix's price causes for (cause line numbers count from 1)."""
    numbers = {cause.get("line") for cause in case.causes if cause["code"] in fix.causes}
    return [line for line in case.order.lines.select_related("product").order_by("position")
            if line.position + 1 in numbers and line.product_id]


def _price_target(case: Case, fix: Fix, data: dict) -> None:
    """A price fix names the product of a failing line, never another line's."""
    lines = price_lines(case, fix)
    sku = (data.get("sku") or "").strip().upper()
    if not any(line.product.sku.upper() == sku for line in lines):
        failing = ", ".join(f"line {line.position + 1} {line.product.sku}" for line in lines)
        raise ValueError(f"{sku or 'no SKU'} is not the product of a line with "
                         f"{' or '.join(sorted(fix.causes))} ({failing or 'none has a product'})")


def fix_facts(fix: Fix, case: Case) -> list[str]:
    """What a person should see on the case page before applying ``fix``."""
    order = case.order
    if fix.causes <= PRICE_CAUSES:
        return [fact for line in price_lines(case, fix)[:5] for fact in _price_facts(order, line)]
    domain = (order.sender or "").lower().rpartition("@")[2]
    if fix.kind == "email_domain" and domain and is_public_mail_domain(domain):
        return [f"{domain} is a public e-mail domain and cannot be a customer's: add "
                f"{order.sender.lower()} as a contact instead."]
    return []


def _price_facts(order: Order, line: OrderLine) -> list[str]:
    product, customer = line.product, order.customer
    facts = [f"Line {line.position + 1}: {product.sku} {product.description}"]
    if customer is None:
        return facts
    on = order.order_date or timezone.localdate()
    current = (Price.objects.filter(customer=customer, product=product)
               .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
               .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
               .order_by(F("valid_from").desc(nulls_last=True)).first())
    facts.append(f"current agreement on {on}: "
                 + (agreement_text(current) if current else "none"))
    paid = last_price_paid(customer=customer, product=product)
    facts.append(f"last price paid: {paid_text(paid) if paid else 'none on record'}; a new price "
                 f"beyond {price_tolerance(order, product).normalize():f}% from it needs a "
                 f"second confirmation")
    return facts


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
    if is_public_mail_domain(domain):
        who = order.sender.lower() if (order.sender or "").lower().endswith(f"@{domain}") \
            else "the sender"
        raise ValueError(f"{domain} is a public e-mail domain: anyone can have an address there. "
                         f"Add {who} as a contact instead (“{FIXES['contact'].label}”).")
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
    # The customer's row is the lock: two people fixing prices of one customer
    # at once must each see the agreement the other wrote.
    Customer.objects.select_for_update().get(pk=customer.pk)
    current = _agreements_in_force(price)
    if current and not data.get("replace_agreement"):
        raise ValueError(f"{customer.customer_number} has an agreement for {product.sku} over "
                         f"these dates: {'; '.join(map(agreement_text, current))}. Tick "
                         f"“replace the current agreement” to replace it with {price.unit_price}")
    _hold_to_last_paid(order, price, data)
    same_start = next((row for row in current if row.valid_from == price.valid_from), None)
    if same_start is not None:  # the key is taken: the confirmed replacement changes that row
        same_start.unit_price, same_start.currency = price.unit_price, price.currency
        same_start.valid_to = price.valid_to
        price = same_start
    _save(price, actor, note)
    replaced = f", replacing {'; '.join(map(agreement_text, current))}" if current else ""
    return (f"price agreement {product.sku} {price.unit_price} {price.currency} for "
            f"{customer.customer_number} from {price.valid_from}{replaced}"), customer


def _agreements_in_force(price: Price) -> list[Price]:
    """The customer's agreements for the product whose dates overlap ``price``'s."""
    rows = Price.objects.filter(customer=price.customer, product=price.product).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=price.valid_from))
    if price.valid_to is not None:
        rows = rows.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=price.valid_to))
    return list(rows.order_by(F("valid_from").asc(nulls_first=True)))


def agreement_text(price: Price) -> str:
    start = price.valid_from or "open start"
    return f"{price.unit_price.normalize():f} {price.currency} from {start} to " \
           f"{price.valid_to or 'open end'}"


def price_tolerance(order: Order, product: Product) -> Decimal:
    """The price tolerance (%) the rules in force give this order's product."""
    return order_rules(order, rulebook_current()).param(Cause.PRICE_MISMATCH, "tolerance_pct",
                                                        product.product_family)


def _hold_to_last_paid(order: Order, price: Price, data: dict) -> None:
    """A price beyond the tolerance from the last price paid is a typo or a
    wrong unit as often as a new deal: it takes a second confirmation."""
    paid = last_price_paid(customer=price.customer, product=price.product)
    if paid is None or data.get("confirm_far_price"):
        return
    tolerance = price_tolerance(order, price.product)
    deviation = _deviation(price.unit_price, paid)
    if abs(deviation) > tolerance:
        raise ValueError(f"{price.unit_price.normalize():f} is {deviation:+.0f}% from the last "
                         f"price paid ({paid_text(paid)}), beyond the {tolerance.normalize():f}% "
                         f"tolerance. Tick “confirm a price far from the last price paid” if it "
                         f"is right")


def _deviation(price: Decimal, paid: PricePaid) -> Decimal:
    if paid.unit_price == 0:
        return Decimal(0) if price == 0 else Decimal(100)
    return (price - paid.unit_price) / paid.unit_price * 100


def paid_text(paid: PricePaid) -> str:
    return f"{paid.unit_price.normalize():f} on {paid.on} (PO {paid.po_number})"


def _write_price_extension(order: Order, data: dict, actor, note: str) -> tuple[str, Customer]:
    customer, product = _customer(order, data), _product(data)
    price = (Price.objects.select_for_update().filter(customer=customer, product=product)
             .order_by("-valid_from").first())
    if price is None:
        raise ValueError(f"{customer.customer_number} has no agreement for {product.sku} to extend")
    price.valid_to = _date(data.get("valid_to"))
    _hold_to_last_paid(order, price, data)  # an old price, brought back into force
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
