"""The boundary's rules as data: which checks run, with which parameters, where.

Each check of CONTRACT §5 is a rule. A rule row names a scope (customer,
customer group, product family, channel; empty = everything); for an order
the rule with the most specific matching scope wins, as for autonomy
(rules.selectors.autonomy_level). A ``RuleBook`` is a frozen picture of the
rules and their version: evaluation reads only the book, so a backtest can
hand it a draft rule set that was never saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rules.causes import Cause

#: Causes that are outcomes, not checks: they have no rule.
NOT_RULES = {Cause.AUTONOMY_DISABLED, Cause.NOT_AN_ORDER, Cause.UNREADABLE_DOCUMENT}

#: Checks that may never be switched off: without them an order cannot be
#: executed correctly (who, what, at which price, in which currency), or the
#: law forbids it (denied parties, restricted products), or money is at risk.
REQUIRED = {
    Cause.UNKNOWN_CUSTOMER, Cause.AMBIGUOUS_CUSTOMER, Cause.UNKNOWN_SHIPTO, Cause.UNKNOWN_PRODUCT,
    Cause.INVALID_UOM, Cause.CONFIGURABLE_PRODUCT, Cause.PRICE_MISSING, Cause.CURRENCY_MISMATCH,
    Cause.CUSTOMER_BLOCKED, Cause.DENIED_PARTY, Cause.COMPLIANCE_RESTRICTED, Cause.CREDIT_HOLD,
    Cause.CREDIT_LIMIT_EXCEEDED, Cause.INSUFFICIENT_STOCK, Cause.ORDER_CHANGE,
    Cause.EXTRACTION_UNCERTAIN,
}

RULE_CODES = [cause for cause in Cause if cause not in NOT_RULES]


@dataclass(frozen=True)
class Param:
    """One knob of a rule, and which way of turning it lets more orders through."""

    name: str
    label: str
    default: Decimal
    minimum: Decimal
    maximum: Decimal
    #: "up": a larger value widens the boundary; "down": a smaller one does.
    widens: str
    integer: bool = False

    def clean(self, raw) -> Decimal:
        try:
            value = Decimal(str(raw).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            raise ValueError(f"{self.label}: {raw!r} is not a number") from None
        if not value.is_finite():
            raise ValueError(f"{self.label}: {raw!r} is not a number")
        if self.integer and value != value.to_integral_value():
            raise ValueError(f"{self.label}: {raw!r} must be a whole number")
        if not self.minimum <= value <= self.maximum:
            raise ValueError(f"{self.label}: {value} is outside {self.minimum}–{self.maximum}")
        return value

    def is_wider(self, after: Decimal, before: Decimal) -> bool:
        return after > before if self.widens == "up" else after < before

    def strictest(self, values: Iterable[Decimal]) -> Decimal:
        return min(values) if self.widens == "up" else max(values)


PARAMETERS: dict[str, list[Param]] = {
    Cause.PRICE_MISMATCH: [
        Param("tolerance_pct", "price tolerance (%)", Decimal(2), Decimal(0), Decimal(100), "up"),
    ],
    Cause.QUANTITY_ANOMALY: [
        Param("factor", "largest earlier quantity × factor", Decimal(3), Decimal(1),
              Decimal(1000), "up"),
        Param("min_history", "earlier orders needed before judging", Decimal(3), Decimal(1),
              Decimal(1000), "up", integer=True),
    ],
    Cause.REQUESTED_DATE_INFEASIBLE: [
        Param("buffer_days", "lead-time buffer (days)", Decimal(0), Decimal(0), Decimal(365),
              "down", integer=True),
    ],
    Cause.DENIED_PARTY: [
        Param("match_pct", "name similarity that counts as a match (%)", Decimal(90),
              Decimal(70), Decimal(100), "up", integer=True),
    ],
}


def params_clean(code: str, raw: dict) -> dict[str, str]:
    """Validated parameters of a rule as stored (strings keep decimals exact);
    an empty value means the default. Raises ValueError naming the bad one."""
    specs = {param.name: param for param in PARAMETERS.get(code, [])}
    unknown = sorted(set(raw) - set(specs))
    if unknown:
        raise ValueError(f"{code} has no parameter {', '.join(unknown)}")
    return {name: str(specs[name].clean(value)) for name, value in raw.items()
            if value not in (None, "")}


@dataclass(frozen=True)
class Scope:
    customer_number: str = ""
    customer_group: str = ""
    product_family: str = ""
    channel: str = ""

    def specificity(self) -> tuple[int, ...]:
        """How specific the scope is: more dimensions first, then the narrower
        dimension (a customer beats a group beats a family beats a channel)."""
        named = (self.customer_number, self.customer_group, self.product_family, self.channel)
        return (sum(1 for value in named if value), *(1 if value else 0 for value in named))

    def label(self) -> str:
        parts = [f"{name} {value}" for name, value in (
            ("customer", self.customer_number), ("group", self.customer_group),
            ("family", self.product_family), ("channel", self.channel)) if value]
        return ", ".join(parts) or "everything"

    def covers(self, customer_number: str, customer_group: str, family: str,
               channels: set[str]) -> bool:
        return ((not self.customer_number or self.customer_number == customer_number)
                and (not self.customer_group or self.customer_group == customer_group)
                and (not self.product_family or self.product_family == family)
                and (not self.channel or self.channel in channels))


@dataclass(frozen=True)
class RuleValues:
    """One rule as the evaluation sees it."""

    code: str
    scope: Scope = Scope()
    enabled: bool = True
    params: dict = field(default_factory=dict)

    def param(self, name: str) -> Decimal:
        spec = next(p for p in PARAMETERS[self.code] if p.name == name)
        return Decimal(self.params[name]) if name in self.params else spec.default

    def as_dict(self) -> dict:
        return {"code": self.code, "scope": self.scope.label(), "enabled": self.enabled,
                "params": dict(self.params)}


class RuleBook:
    """Every rule, resolvable per order segment; "version" names the rule set."""

    def __init__(self, rules: Iterable[RuleValues] = (), version: str = "defaults"):
        self.version = version
        self._by_code: dict[str, list[RuleValues]] = {}
        for rule in rules:
            self._by_code.setdefault(rule.code, []).append(rule)

    def rules(self, code: str) -> list[RuleValues]:
        return list(self._by_code.get(code, []))

    def rule(self, code: str, *, customer_number: str = "", customer_group: str = "",
             family: str = "", channels: Iterable[str] = ()) -> RuleValues:
        """The most specific rule for the segment; the CONTRACT default if none matches."""
        channels = set(channels)
        matching = [r for r in self._by_code.get(code, []) if r.scope.covers(
            customer_number, customer_group, family, channels)]
        if not matching:
            return RuleValues(code)
        return max(matching, key=lambda r: r.scope.specificity())

    def for_order(self, *, customer_number: str, customer_group: str, families: Iterable[str],
                  channels: Iterable[str]) -> OrderRules:
        return OrderRules(self, customer_number, customer_group, set(families), set(channels))


class OrderRules:
    """The rules of one order. A line check reads its product family's rule;
    an order check reads all the order's families and keeps the strictest:
    enabled if any family's rule is, the strictest parameter value."""

    def __init__(self, book: RuleBook, customer_number: str, customer_group: str,
                 families: set[str], channels: set[str]):
        self.book = book
        self._segment = (customer_number, customer_group)
        self._families = families or {""}
        self._channels = channels

    def _rules(self, code: str, family: str | None) -> list[RuleValues]:
        families = self._families if family is None else {family}
        return [self.book.rule(code, customer_number=self._segment[0],
                               customer_group=self._segment[1], family=f, channels=self._channels)
                for f in families]

    def enabled(self, code: str, family: str | None = None) -> bool:
        return any(rule.enabled for rule in self._rules(code, family))

    def param(self, code: str, name: str, family: str | None = None) -> Decimal:
        spec = next(p for p in PARAMETERS[code] if p.name == name)
        rules = self._rules(code, family)
        return spec.strictest(rule.param(name) for rule in [r for r in rules if r.enabled] or rules)

    def disabled_note(self, code: str, family: str | None = None) -> str:
        scopes = sorted({rule.scope.label() for rule in self._rules(code, family)})
        return f"rule {code} is switched off for {', '.join(scopes)}"
