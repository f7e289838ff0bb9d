"""Draft rule sets: a rule set (a version, or the rules in force) with changes
that are never saved, what two rule sets do differently, and a rule book that
answers the backtest's many identical questions once."""

from __future__ import annotations

from decimal import Decimal

from orders.selectors import plain_decimal
from rules.errors import RuleError
from rules.models import RuleSetVersion
from rules.rulebook import (
    PARAMETERS,
    REQUIRED,
    RULE_CODES,
    OrderRules,
    RuleBook,
    RuleValues,
    Scope,
    params_clean,
)
from rules.selectors import rulebook_current, rulebook_from
from rules.services import describe, scope_check

EVERYTHING = Scope()
#: How a draft's version reads: the version it started from, and changes.
DRAFT = " + changes"
SCOPE_KEYS = {"customer": "customer_number", "group": "customer_group",
              "family": "product_family", "channel": "channel"}


def rulebook_version(spec: str | int | None) -> RuleBook:
    """The rules in force (None or "current"), or as they stood at a version number."""
    if spec in (None, "", "current"):
        return rulebook_current()
    try:
        number = int(spec)
    except ValueError:
        raise RuleError(f"rule-set version {spec!r} is not a number or 'current'") from None
    version = RuleSetVersion.objects.filter(number=number).first()
    if version is None:
        raise RuleError(f"there is no rule-set version {number}")
    return rulebook_from(version)


def scope_parse(text: str) -> Scope:
    """``customer=C1001,group=key,family=X,channel=email`` (any of them) as a Scope."""
    fields = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        if key.strip() not in SCOPE_KEYS or not value.strip():
            raise RuleError(f"scope {part!r}: write {'|'.join(SCOPE_KEYS)}=VALUE")
        fields[SCOPE_KEYS[key.strip()]] = value.strip()
    return Scope(**fields)


def override_parse(text: str) -> tuple[str, str, str, Scope]:
    """``CODE.param=value[@scope]`` as (code, parameter, value, scope)."""
    head, _, scope = text.partition("@")
    code, _, assignment = head.partition(".")
    name, equals, value = assignment.partition("=")
    if not (code.strip() and name.strip() and equals and value.strip()):
        raise RuleError(f"--set {text!r}: write CODE.parameter=value[@scope]")
    return code.strip().upper(), name.strip(), value.strip(), scope_parse(scope)


def disable_parse(text: str) -> tuple[str, Scope]:
    """``CODE[@scope]`` as (code, scope)."""
    code, _, scope = text.partition("@")
    return code.strip().upper(), scope_parse(scope)


def rulebook_override(book: RuleBook, *, code: str, scope: Scope = EVERYTHING,
                      params: dict | None = None, enabled: bool | None = None) -> RuleBook:
    """A copy of ``book`` with the rule of ``code`` at ``scope`` changed (the
    draft is never saved). Parameters not given keep the values in force for
    the scope, as a proposed rule change does. Raises RuleError."""
    if code not in RULE_CODES:
        raise RuleError(f"there is no rule {code!r}")
    if enabled is False and code in REQUIRED:
        raise RuleError(f"{code} cannot be switched off: orders failing it cannot be "
                        "executed correctly or lawfully")
    try:
        params = params_clean(code, params or {})
    except ValueError as exc:
        raise RuleError(str(exc)) from None
    scope_check(scope)
    current = _rule_at(book, code, scope)
    rule = RuleValues(code, scope, current.enabled if enabled is None else enabled,
                      {**current.params, **params})
    others = [r for c in RULE_CODES for r in book.rules(c) if (c, r.scope) != (code, scope)]
    draft = book.version if book.version.endswith(DRAFT) else book.version + DRAFT
    return RuleBook([*others, rule], version=draft)


def _rule_at(book: RuleBook, code: str, scope: Scope) -> RuleValues:
    """The rule at exactly ``scope``, or the one in force for that segment."""
    exact = next((rule for rule in book.rules(code) if rule.scope == scope), None)
    return exact or book.rule(code, customer_number=scope.customer_number,
                              customer_group=scope.customer_group, family=scope.product_family,
                              channels={scope.channel} - {""})


def rulebook_changes(before: RuleBook, after: RuleBook) -> list[str]:
    """Every rule ``after`` holds differently from ``before``, in words; none
    when the two judge every order alike."""
    changes = []
    for code in RULE_CODES:
        old = {rule.scope: rule for rule in before.rules(code)}
        new = {rule.scope: rule for rule in after.rules(code)}
        for scope, rule in new.items():
            previous = old.get(scope) or _rule_at(before, code, scope)
            if _effective(previous) != _effective(rule):
                changes.append(describe(previous, rule))
            elif scope not in old:
                # As in force for its scope, yet it may take over from a more
                # specific rule of another dimension (a customer beats a family).
                changes.append(f"{code} for {scope.label()}: a rule of its own, "
                               f"{_words(rule)}")
        changes += [f"{code} for {scope.label()}: removed" for scope in old.keys() - new.keys()]
    return changes


def _effective(rule: RuleValues) -> tuple:
    return rule.enabled, [rule.param(spec.name) for spec in PARAMETERS.get(rule.code, [])]


def _words(rule: RuleValues) -> str:
    values = [f"{spec.label} {plain_decimal(rule.param(spec.name))}"
              for spec in PARAMETERS.get(rule.code, [])]
    return ", ".join(["on" if rule.enabled else "off", *values])


class RememberingBook(RuleBook):
    """A rule book that answers each question about a segment once.

    RuleBook.rule scans and ranks the scoped rules on every call, and the
    checks ask it the same few questions for every order. A dimension that no
    rule names cannot change an answer, so it is left out of what is
    remembered: without scoped rules, every order shares one set of answers.
    """

    def __init__(self, book: RuleBook):
        super().__init__([rule for code in RULE_CODES for rule in book.rules(code)],
                         version=book.version)
        self._named = {code: _named(book.rules(code)) for code in RULE_CODES}
        self._named_any = _named([rule for code in RULE_CODES for rule in book.rules(code)])
        self._rules: dict[tuple, RuleValues] = {}
        self._segments: dict[tuple, RememberingRules] = {}

    def rule(self, code: str, *, customer_number: str = "", customer_group: str = "",
             family: str = "", channels=()) -> RuleValues:
        key = (code, *_reduced(self._named[code], customer_number, customer_group, {family},
                               channels))
        found = self._rules.get(key)
        if found is None:
            found = self._rules[key] = super().rule(
                code, customer_number=customer_number, customer_group=customer_group,
                family=family, channels=channels)
        return found

    def for_order(self, *, customer_number: str, customer_group: str, families,
                  channels) -> OrderRules:
        key = _reduced(self._named_any, customer_number, customer_group, families, channels)
        rules = self._segments.get(key)
        if rules is None:
            rules = self._segments[key] = RememberingRules(
                self, customer_number, customer_group, set(families), set(channels))
        return rules


class RememberingRules(OrderRules):
    """The rules of every order of one segment, each answer found once."""

    def __init__(self, *args):
        super().__init__(*args)
        self._answers: dict[tuple, object] = {}

    def enabled(self, code: str, family: str | None = None) -> bool:
        key = (code, family)
        if key not in self._answers:
            self._answers[key] = super().enabled(code, family)
        return self._answers[key]

    def param(self, code: str, name: str, family: str | None = None) -> Decimal:
        key = (code, name, family)
        if key not in self._answers:
            self._answers[key] = super().param(code, name, family)
        return self._answers[key]


def _named(rules: list[RuleValues]) -> tuple[set[str], ...]:
    """The customers, groups, families and channels the rules name."""
    return tuple({getattr(rule.scope, name) for rule in rules} - {""} for name in (
        "customer_number", "customer_group", "product_family", "channel"))


def _reduced(named: tuple[set[str], ...], customer_number: str, customer_group: str, families,
             channels) -> tuple:
    """A segment as far as rules naming only ``named`` can tell it apart."""
    numbers, groups, named_families, named_channels = named
    return (customer_number if customer_number in numbers else "",
            customer_group if customer_group in groups else "",
            frozenset(f if f in named_families else "" for f in families or {""}),
            frozenset(named_channels.intersection(channels)))
