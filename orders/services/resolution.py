"""Resolve a parsed order draft against master data: who, where, what, how many.

Every step is conservative. A value that fits more than one row, or fits
nothing, becomes a finding with a cause code and the evidence in words; the
order is never "fixed up" by guessing. Later checks (prices, stock, credit
…) belong to the boundary and run on what this module resolved.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.db.models.functions import Lower
from rapidfuzz import fuzz, process

from integrations.parsers.draft import (
    AddressDraft,
    LineDraft,
    OrderDraft,
    Read,
    SenderVerdict,
    bound_lists,
    scrub_controls,
)
from integrations.parsers.totals import disagreement as totals_disagreement
from orders.models import (
    Contact,
    Customer,
    CustomerAlias,
    CustomerEmailDomain,
    CustomerPart,
    Product,
    ProductUnit,
    SalesRep,
    ShipTo,
    UnitAlias,
)
from orders.services.sender_auth import sender_problem
from orders.validators import is_public_mail_domain
from rules.causes import Cause

#: The precision order quantities are stored with (orders.models QUANTITY).
QUANTITY_STEP = Decimal("0.001")
QUANTITY_LIMIT = Decimal("1e15")  # 18 digits, 3 of them decimals
#: Fuzzy score (0-100) a name or description needs before it counts as a match,
#: and the lead it needs over the runner-up to count as the only one.
NAME_MATCH = 92
DESCRIPTION_MATCH = 97
UNIQUE_LEAD = 5


@dataclass
class Finding:
    code: str
    message: str
    evidence: str = ""
    line: int | None = None  # 1-based order line, when the finding is about one

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "evidence": self.evidence,
                "line": self.line}


@dataclass
class ResolvedLine:
    draft: LineDraft
    product: Product | None = None
    uom: str = ""
    factor: Decimal | None = None

    @property
    def base_quantity(self) -> Decimal | None:
        quantity = self.draft.quantity.value if self.draft.quantity else None
        if quantity is None or self.factor is None:
            return None
        return quantity * self.factor


@dataclass
class Resolution:
    customer: Customer | None = None
    sender: str = ""
    shipto: ShipTo | None = None
    lines: list[ResolvedLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Customers the sender is a contact of, else at one of whose e-mail domains it is.
    sender_customers: set[int] = field(default_factory=set)

    def add(self, code: str, message: str, evidence: str = "", line: int | None = None) -> None:
        self.findings.append(Finding(code, message, evidence, line))


def _text(value: Read | None) -> str:
    return str(value.value).strip() if value is not None and value.value is not None else ""


def _evidence(value: Read | None) -> str:
    return value.evidence.text if value is not None and value.evidence else ""


def resolve_order(draft: OrderDraft, *, sender: str = "",
                  sender_named_in_document: bool = True,
                  verified: tuple[SenderVerdict, ...] = ()) -> Resolution:
    """``sender_named_in_document`` False: only ``sender`` speaks for the order
    (an API user orders as itself, never as an address its JSON names).
    ``verified``: sender verdicts OrderDesk reached itself (DKIM_VERIFY)."""
    # Before anything reads it: a PO number with CR/LF reached a mail header once.
    bound_lists(draft)
    removed = scrub_controls(draft)  # rebuilds the draft's lists: read them after it
    draft.uncertain.extend(removed)
    result = Resolution()
    effective_sender = _effective_sender(draft, sender, named=sender_named_in_document)
    result.sender = effective_sender
    _authenticate_sender(draft, result, verified)
    result.customer = _resolve_customer(draft, effective_sender, result)
    if result.customer is not None:
        _authorise_sender(draft, sender, effective_sender, result)
        result.shipto = _resolve_shipto(draft, result.customer, result)
    result.lines = _resolve_lines(draft, result)
    _check_extraction(draft, result)
    return result


# --- Who ----------------------------------------------------------------------------


def _effective_sender(draft: OrderDraft, sender: str, *, named: bool = True) -> str:
    """The address that speaks for the customer.

    A sales rep forwarding a customer's mail speaks for nobody: the original
    sender does. Anyone else forwarding is the sender themselves. Without
    ``named`` the document's own From / buyer contact is not asked: it is text
    whoever submitted the document could type.
    """
    if named:
        sender = sender or draft.from_email or _text(draft.sender_email)
    sender = (sender or "").strip().lower()
    original = draft.forwarded_from.strip().lower()
    if original and sender and SalesRep.objects.filter(email=sender).exists():
        return original
    return sender


def _authenticate_sender(draft: OrderDraft, result: Resolution,
                         verified: tuple[SenderVerdict, ...]) -> None:
    """A From header the receiving host judged forged, or a forward deeper than
    a rep can vouch for, orders for nobody, whatever customer it names."""
    original = draft.forwarded_from.strip().lower()
    problem = sender_problem(draft, rep_forward=bool(original) and result.sender == original,
                             verified=verified)
    if problem is not None:
        result.add(Cause.UNAUTHORIZED_SENDER, *problem)


def _customers_of_sender(sender: str) -> tuple[set[int], str]:
    if not sender or "@" not in sender:
        return set(), ""
    contact = Contact.objects.filter(email=sender).values_list("customer_id", flat=True).first()
    if contact is not None:
        return {contact}, f"contact {sender}"
    domain = sender.rsplit("@", 1)[1]
    if is_public_mail_domain(domain):
        # Anyone can have an address there: a gmail.com row imported before the
        # import refused them vouches for nobody; only contacts do.
        return set(), ""
    ids = set(CustomerEmailDomain.objects.filter(domain=domain).values_list("customer_id", flat=True))
    return ids, f"e-mail domain {domain}" if ids else ""


def _buyer_keys(draft: OrderDraft) -> list[str]:
    """Buyer ids as written ("GLN:7300010000001") and bare ("7300010000001"):
    master data keeps them as customer aliases, usually without the scheme."""
    keys = []
    for buyer_id in draft.buyer_ids:
        text = _text(buyer_id)
        keys += [text, text.rpartition(":")[2]] if text else []
    return keys


def _customers_by_name(draft: OrderDraft) -> set[int]:
    names = [n for n in [_text(draft.customer_name), *_buyer_keys(draft)] if n]
    if not names:
        return set()
    exact = set(CustomerAlias.objects.filter(alias__in=names).values_list("customer_id", flat=True))
    exact |= set(Customer.objects.filter(name__in=names).values_list("pk", flat=True))
    if exact:
        return exact
    name = _text(draft.customer_name)
    return _fuzzy_customer(name) if name else set()


def _fuzzy_customer(name: str) -> set[int]:
    pairs = list(Customer.objects.values_list("pk", "name"))
    pairs += list(CustomerAlias.objects.values_list("customer_id", "alias"))
    best = process.extract(name, [text for _, text in pairs], scorer=fuzz.token_sort_ratio,
                           processor=_fold, limit=5)
    return {pairs[index][0] for _, score, index in best if score >= NAME_MATCH}


def _resolve_customer(draft: OrderDraft, sender: str, result: Resolution) -> Customer | None:
    number = _text(draft.customer_number)
    by_number = Customer.objects.filter(customer_number__iexact=number).first() if number else None
    by_sender, how = _customers_of_sender(sender)
    result.sender_customers = by_sender
    if by_number is not None:
        if by_sender and by_number.pk not in by_sender:
            result.add(Cause.AMBIGUOUS_CUSTOMER,
                       f"the document names customer {by_number.customer_number}, but {how} "
                       f"belongs to {_numbers(by_sender)}", _evidence(draft.customer_number))
            return None
        return by_number
    candidates = by_sender or _customers_by_name(draft)
    if len(candidates) > 1:
        narrowed = candidates & _customers_by_name(draft)
        candidates = narrowed or candidates
    if len(candidates) == 1:
        return Customer.objects.get(pk=candidates.pop())
    if candidates:
        result.add(Cause.AMBIGUOUS_CUSTOMER, f"{how or 'the name'} fits {_numbers(candidates)}",
                   sender or _text(draft.customer_name))
        return None
    said = f"customer number {number!r} is unknown; " if number else ""
    result.add(Cause.UNKNOWN_CUSTOMER,
               f"{said}no customer has the sender {sender or '(none)'} as contact or domain, "
               f"nor the name {_text(draft.customer_name)!r}",
               _evidence(draft.customer_number) or sender)
    return None


def _numbers(ids: set[int]) -> str:
    numbers = Customer.objects.filter(pk__in=ids).values_list("customer_number", flat=True)
    return ", ".join(sorted(numbers))


def _authorise_sender(draft: OrderDraft, raw_sender: str, sender: str, result: Resolution) -> None:
    customer = result.customer
    if not sender:
        result.add(Cause.UNAUTHORIZED_SENDER, "no sender address is known for this document")
        return
    if customer.pk in result.sender_customers:
        return  # the customer was found as the sender's (a contact of it, or its domain)
    if Contact.objects.filter(email=sender, customer=customer).exists():
        return
    domain = sender.rsplit("@", 1)[-1]
    if not is_public_mail_domain(domain) and customer.email_domains.filter(domain=domain).exists():
        return
    forwarded = f" (forwarded by {raw_sender})" if sender != raw_sender.lower() and raw_sender else ""
    result.add(Cause.UNAUTHORIZED_SENDER,
               f"{sender}{forwarded} is neither a contact of {customer.customer_number} nor at "
               "one of its e-mail domains", sender)


# --- Where ----------------------------------------------------------------------------

_STREET_WORDS = [
    (r"\bstra(ss|ß)e\b", "str"), (r"str\.", "str"), (r"\bstreet\b", "st"), (r"\bst\.", "st"),
    (r"\bavenue\b", "ave"), (r"\bav\.", "ave"), (r"\broad\b", "rd"), (r"\bvej\b", "vej"),
    (r"\bstraat\b", "str"), (r"\bplatz\b", "pl"), (r"\bgade\b", "gade"), (r"\brue\b", "rue"),
]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def normalise_street(text: str) -> str:
    text = str(text).casefold().replace("ß", "ss")
    for pattern, short in _STREET_WORDS:
        text = re.sub(pattern, short, text)
    text = re.sub(r"(\D)(\d)", r"\1 \2", text)
    return _fold(text)


def normalise_postal_code(text: str) -> str:
    return re.sub(r"[\s-]+", "", str(text)).upper()


def _resolve_shipto(draft: OrderDraft, customer: Customer, result: Resolution) -> ShipTo | None:
    shiptos = list(customer.shiptos.all())
    code = _text(draft.shipto_code)
    if code:
        match = next((s for s in shiptos if s.shipto_code.casefold() == code.casefold()), None)
        if match is not None:
            return match
    address = draft.ship_to
    if _has_address(address):
        return _match_address(address, shiptos, result)
    if not address.is_empty():
        # A delivery address was written but not read into street and postal
        # code: shipping to the default could send the goods to the wrong site.
        return _match_name_only(address, shiptos, result)
    if code:
        result.add(Cause.UNKNOWN_SHIPTO, f"ship-to code {code!r} is not one of "
                   f"{customer.customer_number}'s ship-tos", _evidence(draft.shipto_code))
        return None
    default = next((s for s in shiptos if s.is_default), None)
    if default is None:
        result.add(Cause.UNKNOWN_SHIPTO, f"the order names no delivery address and "
                   f"{customer.customer_number} has no default ship-to")
    return default


def _match_name_only(address: AddressDraft, shiptos: list[ShipTo], result: Resolution) -> ShipTo | None:
    name = _text(address.name)
    matches = [s for s in shiptos if name and _fold(s.name) == _fold(name)]
    if len(matches) == 1 and address.name.confident:
        return matches[0]
    shown = ", ".join(filter(None, [name, _text(address.city), _text(address.country)]))
    result.add(Cause.UNKNOWN_SHIPTO, "a delivery address is named but could not be read completely",
               shown)
    return None


def _has_address(address: AddressDraft) -> bool:
    return bool(_text(address.street) or _text(address.postal_code))


def _match_address(address: AddressDraft, shiptos: list[ShipTo], result: Resolution) -> ShipTo | None:
    street = normalise_street(_text(address.street))
    postal = normalise_postal_code(_text(address.postal_code))
    country = _text(address.country).upper()
    matches = [
        s for s in shiptos
        if (not postal or normalise_postal_code(s.postal_code) == postal)
        and (not street or fuzz.token_sort_ratio(normalise_street(s.street), street) >= NAME_MATCH)
        and (not country or s.country == country)
        and (postal or street)
    ]
    if not postal or not street:
        # Half an address is not enough to ship anything to.
        matches = []
    if len(matches) == 1:
        return matches[0]
    shown = ", ".join(filter(None, [_text(address.name), _text(address.street),
                                    _text(address.postal_code), _text(address.city),
                                    _text(address.country)]))
    result.add(Cause.UNKNOWN_SHIPTO,
               "the delivery address is not one of the customer's ship-tos"
               if not matches else "the delivery address fits several ship-tos",
               shown)
    return None


# --- What and how many ---------------------------------------------------------------


class _Catalogue:
    """The products an order's lines can name, loaded in a handful of queries.

    A 300-line PDF must not cost a query per identifier per line: the SKUs,
    customer part numbers and GTINs of all lines are looked up together.
    """

    def __init__(self, lines: list[LineDraft], customer: Customer | None, language: str = ""):
        self.customer = customer
        self.language = language  # of the document: "dozen" are boxes in Dutch, 12 in English
        values = {v for line in lines for v in (_text(line.sku), _text(line.customer_part_number))
                  if v}
        self.skus = self._lookup(values, Product.objects.all(), "sku", "pk")
        # Without a customer there are no customer part numbers to look for (and
        # filters built on an empty queryset still cost their compilation).
        self.parts = self._lookup(values, CustomerPart.objects.filter(customer=customer),
                                  "customer_part_number", "product_id", few=True) if customer else {}
        gtins = {form for line in lines for form in _gtin_forms(_text(line.gtin))}
        self.gtins: dict[str, set[int]] = {}
        for pk, gtin in Product.objects.filter(gtin__in=gtins).values_list("pk", "gtin"):
            self.gtins.setdefault(_gtin_key(gtin), set()).add(pk)
        found = set().union(*self.skus.values(), *self.parts.values(), *self.gtins.values())
        self.products = Product.objects.in_bulk(found)
        # Every product found gets an entry, also one without alternative units:
        # units_of() would otherwise ask the database again for each such line.
        self.units: dict[int, dict[str, Decimal]] = {pk: {} for pk in found}
        self.aliases: dict[str, str] = {}
        for product_id, uom, factor in ProductUnit.objects.filter(product_id__in=found).order_by(
                ).values_list("product_id", "uom", "factor"):
            self.units[product_id][uom] = factor

    @staticmethod
    def _lookup(values: set[str], queryset, field: str, target: str, *,
                few: bool = False) -> dict[str, set[int]]:
        """casefolded value -> ids: the spellings as written, in capitals and in small
        letters in one query (the key's index serves it), any other spelling of the
        case ("Sku-1" for "SKU-1") in a second one, only when some value is left.
        ``few``: the queryset holds few rows (one customer's part numbers), so one
        case-insensitive query reading them all is the cheaper way."""
        queryset = queryset.order_by()  # no ordering (and its joins) for a lookup
        found: dict[str, set[int]] = {}
        missing = values
        if not few:
            variants = values | {v.upper() for v in values} | {v.lower() for v in values}
            for key, pk in queryset.filter(**{f"{field}__in": variants}).values_list(field, target):
                found.setdefault(key.casefold(), set()).add(pk)
            missing = {value for value in values if value.casefold() not in found}
        if missing:
            anycase = queryset.annotate(lookup_key=Lower(field)).filter(
                lookup_key__in={value.lower() for value in missing})
            for key, pk in anycase.values_list(field, target):
                found.setdefault(key.casefold(), set()).add(pk)
        return found

    def product(self, pk: int) -> Product:
        if pk not in self.products:
            self.products[pk] = Product.objects.get(pk=pk)
        return self.products[pk]

    def unit_alias(self, written: str) -> str:
        """The unit code a person said ``written`` means (UnitAlias): the
        customer's own alias first, then one for everyone. Asked only for a
        unit nothing else matched, so most orders never pay the query."""
        key = written.casefold()
        if key not in self.aliases:
            whose = Q(customer__isnull=True)
            if self.customer:
                whose |= Q(customer=self.customer)
            rows = UnitAlias.objects.filter(whose, alias__iexact=written)
            ranked = sorted(rows.values_list("customer_id", "uom"),
                            key=lambda row: row[0] is None)
            self.aliases[key] = ranked[0][1] if ranked else ""
        return self.aliases[key]

    def units_of(self, product: Product) -> dict[str, Decimal]:
        if product.pk not in self.units:
            self.units[product.pk] = dict(product.units.values_list("uom", "factor"))
        return {product.base_uom: Decimal(1), **self.units[product.pk]}


def _resolve_lines(draft: OrderDraft, result: Resolution) -> list[ResolvedLine]:
    catalogue = _Catalogue(draft.lines, result.customer, draft.language)
    return [_resolve_line(line, number, catalogue, result)
            for number, line in enumerate(draft.lines, 1)]


def _resolve_line(line: LineDraft, number: int, catalogue: _Catalogue,
                  result: Resolution) -> ResolvedLine:
    resolved = ResolvedLine(draft=line)
    resolved.product = _resolve_product(line, number, catalogue, result)
    if resolved.product is not None:
        resolved.uom, resolved.factor = _resolve_unit(line, resolved.product, number, catalogue,
                                                      result)
    if resolved.factor is not None:
        _check_whole_units(resolved, number, catalogue.language, result)
    return resolved


#: Units that measure (weight, length, volume, area) rather than count, as the
#: vocabulary and UN/ECE Rec. 20 write them: only these are ordered in fractions.
MEASURED_UNITS = frozenset({
    "KG", "KGM", "G", "GRM", "MG", "T", "TNE", "LB", "LBR", "OZ", "ONZ", "L", "LTR", "ML", "MLT",
    "CL", "CLT", "HL", "HLT", "GAL", "GLL", "M", "MTR", "CM", "CMT", "MM", "MMT", "KM", "KMT", "FT",
    "FOT", "IN", "INH", "YD", "YRD", "M2", "MTK", "M3", "MTQ", "FT2", "FTK",
})


def is_counted_unit(code: str, language: str = "") -> bool:
    return code.upper() not in MEASURED_UNITS and _unit_key(code, language) not in MEASURED_UNITS


def _check_whole_units(resolved: ResolvedLine, number: int, language: str, result: Resolution) -> None:
    """100.5 EA, or a tenth of a case of 12: no warehouse can pick it, and rounding
    it would execute another quantity than the one ordered."""
    quantity = resolved.draft.quantity.value if resolved.draft.quantity else None
    if quantity is None or quantity <= 0:
        return
    base_uom = resolved.product.base_uom
    for amount, unit in ((quantity, resolved.uom), (resolved.base_quantity, base_uom)):
        if amount is not None and amount != amount.to_integral_value() and is_counted_unit(unit, language):
            result.add(Cause.INVALID_UOM, f"line {number}: {amount.normalize():f} {unit} is not a whole "
                       f"number of a unit that counts pieces", _evidence(resolved.draft.quantity), number)
            return


def _gtin_key(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits.zfill(14) if 8 <= len(digits) <= 14 else ""


def _gtin_forms(value: str) -> set[str]:
    """A GTIN as it may be stored: 14 digits, or without its leading zeros as 13/12/8."""
    key = _gtin_key(value)
    if not key:
        return set()
    bare = key.lstrip("0")
    return {key, bare, bare.zfill(13), bare.zfill(12), bare.zfill(8)}


def _by_identifiers(line: LineDraft, catalogue: _Catalogue) -> dict[int, list[str]]:
    """Product id -> which identifiers point at it. Ids are tried both ways:
    buyers write their own part numbers into "article" columns and ours into theirs."""
    found: dict[int, list[str]] = {}
    for value in {v for v in (_text(line.sku), _text(line.customer_part_number)) if v}:
        for pk in catalogue.skus.get(value.casefold(), ()):
            found.setdefault(pk, []).append(f"SKU {value}")
        for pk in catalogue.parts.get(value.casefold(), ()):
            found.setdefault(pk, []).append(f"customer part {value}")
    for pk in catalogue.gtins.get(_gtin_key(_text(line.gtin)), ()):
        found.setdefault(pk, []).append(f"GTIN {_text(line.gtin)}")
    return found


def _resolve_product(line: LineDraft, number: int, catalogue: _Catalogue,
                     result: Resolution) -> Product | None:
    found = _by_identifiers(line, catalogue)
    if len(found) == 1:
        return catalogue.product(next(iter(found)))
    shown = " / ".join(filter(None, [_text(line.sku), _text(line.customer_part_number),
                                     _text(line.gtin), _text(line.description)]))
    if len(found) > 1:
        detail = "; ".join(f"{', '.join(ids)} → {catalogue.product(pk).sku}"
                           for pk, ids in found.items())
        result.add(Cause.UNKNOWN_PRODUCT, f"line {number}: identifiers disagree ({detail})",
                   shown, number)
        return None
    product = _by_description(_text(line.description), result.customer)
    if product is None:
        result.add(Cause.UNKNOWN_PRODUCT, f"line {number}: no product matches {shown or '(nothing)'}",
                   shown, number)
    return product


def _by_description(text: str, customer: Customer | None) -> Product | None:
    if len(text) < 6:
        return None
    exact = list(Product.objects.filter(description__iexact=text)[:2])
    if len(exact) == 1:
        return exact[0]
    if exact or customer is None:
        return None
    # Fuzzy only among what this customer buys: a short list, so a close
    # description cannot land on an unrelated product of the catalogue.
    bought = Product.objects.filter(prices__customer=customer).distinct()
    choices = {p.pk: p.description for p in bought}
    best = process.extract(text, choices, scorer=fuzz.token_sort_ratio, processor=_fold, limit=2)
    if not best or best[0][1] < DESCRIPTION_MATCH:
        return None
    if len(best) > 1 and best[0][1] - best[1][1] < UNIQUE_LEAD:
        return None
    return Product.objects.get(pk=best[0][2])


def _unit_key(text: str, language: str = "") -> str:
    from integrations.parsers.vocabulary import normalise_unit

    return (normalise_unit(text, language=language or None) or text).upper()


def _resolve_unit(line: LineDraft, product: Product, number: int, catalogue: _Catalogue,
                  result: Resolution) -> tuple[str, Decimal | None]:
    written = _text(line.uom)
    units = catalogue.units_of(product)
    if not written:
        return product.base_uom, Decimal(1)
    for code, factor in units.items():
        if written.upper() == code.upper() or _unit_key(written, catalogue.language) == _unit_key(code):
            return code, factor
    aliased = catalogue.unit_alias(written)
    for code, factor in units.items():
        if aliased and aliased.upper() == code.upper():
            return code, factor
    result.add(Cause.INVALID_UOM, f"line {number}: unit {written!r} is not one of {product.sku}'s "
               f"units ({', '.join(units)})", _evidence(line.uom), number)
    return "", None


# --- How sure ---------------------------------------------------------------------------


def _check_extraction(draft: OrderDraft, result: Resolution) -> None:
    for problem in draft.uncertain:
        result.add(Cause.EXTRACTION_UNCERTAIN, problem)
    if draft.po_number is None or not _text(draft.po_number):
        if not any("PO number" in p for p in draft.uncertain):
            result.add(Cause.EXTRACTION_UNCERTAIN, "PO number missing")
    elif not draft.po_number.confident:
        result.add(Cause.EXTRACTION_UNCERTAIN, f"PO number read with confidence "
                   f"{draft.po_number.confidence:.0%}", _evidence(draft.po_number))
    if not draft.lines:
        result.add(Cause.EXTRACTION_UNCERTAIN, "no order lines could be read")
    if problem := totals_disagreement(draft):
        shown = "; ".join(total.evidence.text for total in draft.stated_totals if total.evidence)
        result.add(Cause.EXTRACTION_UNCERTAIN, problem, shown[:500])
    for number, line in enumerate(draft.lines, 1):
        _check_line_extraction(line, number, result)


def _storable(quantity: Decimal) -> bool:
    try:
        return quantity == quantity.quantize(QUANTITY_STEP) and quantity < QUANTITY_LIMIT
    except InvalidOperation:  # more digits than the decimal context holds
        return False


def _check_line_extraction(line: LineDraft, number: int, result: Resolution) -> None:
    quantity = line.quantity
    if quantity is None or quantity.value is None or quantity.value <= 0:
        result.add(Cause.EXTRACTION_UNCERTAIN, f"line {number}: no quantity", line=number)
        return
    if not _storable(quantity.value):
        # Stored to three places, 0.0000000000001 would become 0 and 10.0005 kg 10.001 kg.
        result.add(Cause.EXTRACTION_UNCERTAIN, f"line {number}: quantity {quantity.value:f} has more "
                   f"decimal places than an order keeps ({QUANTITY_STEP})", _evidence(quantity), number)
        return
    weak = [name for name in ("quantity", "uom", "sku", "customer_part_number", "gtin",
                              "unit_price")
            if getattr(line, name) is not None and not getattr(line, name).confident]
    if weak:
        result.add(Cause.EXTRACTION_UNCERTAIN,
                   f"line {number}: {', '.join(weak)} read with low confidence",
                   _evidence(getattr(line, weak[0])), number)
