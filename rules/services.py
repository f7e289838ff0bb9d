"""Writes to the boundary's rules and autonomy levels."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from orders.models import Customer, Product
from orders.selectors import plain_decimal, system_user
from rules.causes import OWNERS
from rules.errors import RuleError
from rules.models import AutonomyLevel, AutonomySetting, Rule, RuleChange, RuleSetVersion
from rules.rulebook import PARAMETERS, REQUIRED, RuleBook, RuleValues, Scope, params_clean
from rules.selectors import rulebook_from

#: Values `--channel` accepts: how a document arrived, or what it is.
CHANNELS = ("email", "file", "api", "upload", "pdf", "csv", "xlsx", "ubl", "cxml", "cii", "x12",
            "edifact", "edi", "json", "text")


@dataclass(frozen=True)
class Segment:
    customer_number: str = ""
    customer_group: str = ""
    product_family: str = ""
    channel: str = ""


def autonomy_set(*, level: str, segment: Segment, actor=None, reason: str = "") -> tuple[
        AutonomySetting, str]:
    """Set the level of one segment; returns the setting and the level it had before."""
    _validate(level, segment)
    with transaction.atomic():
        setting, created = AutonomySetting.objects.select_for_update().get_or_create(
            customer_number=segment.customer_number, customer_group=segment.customer_group,
            product_family=segment.product_family, channel=segment.channel,
            defaults={"level": level},
        )
        before = "" if created else setting.level
        setting.level = level
        setting._history_user = actor or system_user()
        setting._change_reason = reason or f"set_autonomy {level}"
        setting.save()
    return setting, before


def _validate(level: str, segment: Segment) -> None:
    if level not in AutonomyLevel.values:
        raise RuleError(f"level {level!r} is not one of {', '.join(AutonomyLevel.values)}")
    _dimensions_check(segment)


def scope_check(scope: Scope) -> None:
    """Raise RuleError unless every dimension of the scope names something that
    exists: a misspelt scope would match no order and change nothing."""
    try:
        _dimensions_check(scope)
    except RuleError as exc:
        raise RuleError(f"scope: {exc}") from None


def _dimensions_check(segment: Segment | Scope) -> None:
    if segment.customer_number and not Customer.objects.filter(
            customer_number=segment.customer_number).exists():
        raise RuleError(f"customer {segment.customer_number!r} does not exist")
    if segment.customer_group and not Customer.objects.filter(
            customer_group=segment.customer_group).exists():
        raise RuleError(f"no customer is in the group {segment.customer_group!r}")
    if segment.product_family and not Product.objects.filter(
            product_family=segment.product_family).exists():
        raise RuleError(f"no product is in the family {segment.product_family!r}")
    if segment.channel and segment.channel not in CHANNELS:
        raise RuleError(f"channel {segment.channel!r} is not one of {', '.join(CHANNELS)}")


# --- Rules: proposed, reviewed (four eyes when widening), applied as a new version ------


def rule_change_submit(*, change: RuleChange, actor) -> RuleChange:
    """Store a proposed change; apply it at once unless it widens the boundary.

    ``change`` is unsaved, with code, scope, action, enabled, parameters and
    reason set. Raises RuleError when the actor may not edit this rule or the
    change is invalid.
    """
    rule_change_validate(change=change, actor=actor)
    with transaction.atomic():
        version = _lock_version()
        book = rulebook_from(version)
        current = Rule.objects.filter(code=change.code, **_scope_fields(change.scope)).first()
        if change.action == RuleChange.Action.DELETE and current is None:
            raise RuleError(f"there is no {change.code} rule for {change.scope.label()} to remove")
        if change.action == RuleChange.Action.DELETE and not any(change.scope.specificity()[1:]):
            raise RuleError("the rule for everything cannot be removed; change it instead")
        # Parameters not given keep the values in force for this scope.
        base = current.values() if current else _overridden(change, book)[-1]
        change.parameters = {**{name: str(value) for name, value in base.params.items()},
                             **change.parameters}
        change.summary, change.widens = _assess(change, current, book)
        change.author = actor
        change.state = RuleChange.State.PENDING
        change._history_user = actor
        change._change_reason = change.reason
        change.save()
        if not change.widens:
            _apply(change, version, reviewer=None)
    return change


def rule_change_validate(*, change: RuleChange, actor) -> None:
    """Raise RuleError unless ``actor`` may propose this change as it stands;
    normalises the parameters."""
    _check_owner(actor, change.code, "change")
    if not (change.reason or "").strip():
        raise RuleError("say why: a rule change needs a reason")
    _check_scope(change)
    try:
        change.parameters = params_clean(change.code, change.parameters or {})
    except ValueError as exc:
        raise RuleError(str(exc)) from None
    if change.action == RuleChange.Action.SET and not change.enabled and change.code in REQUIRED:
        raise RuleError(f"{change.code} cannot be switched off: orders failing it cannot be "
                        "executed correctly or lawfully")


def rule_change_approve(*, change_id: int, actor, note: str = "") -> RuleChange:
    return _review(change_id, actor, note, approve=True)


def rule_change_reject(*, change_id: int, actor, note: str = "") -> RuleChange:
    return _review(change_id, actor, note, approve=False)


def _review(change_id: int, actor, note: str, *, approve: bool) -> RuleChange:
    with transaction.atomic():
        version = _lock_version()
        change = RuleChange.objects.select_for_update().get(pk=change_id)
        if change.state != RuleChange.State.PENDING:
            raise RuleError(f"this change is already {change.get_state_display().lower()}")
        if change.author_id == actor.pk:
            raise RuleError("four eyes: a second person must review a change that widens "
                            "the boundary; its author cannot")
        _check_owner(actor, change.code, "review")
        change.review_note = note[:200]
        if approve:
            _apply(change, version, reviewer=actor)
        else:
            change.reviewer, change.state = actor, RuleChange.State.REJECTED
            change.decided_at = timezone.now()
            change._history_user = actor
            change._change_reason = f"rejected: {note}" if note else "rejected"
            change.save(update_fields=["reviewer", "state", "decided_at", "review_note"])
    return change


def _check_owner(actor, code: str, verb: str) -> None:
    owner = OWNERS[code]
    if actor is None or not actor.is_active:
        raise RuleError("only a signed-in person can change rules")
    if not (actor.is_superuser or actor.groups.filter(name=owner).exists()):
        raise RuleError(f"only {owner} may {verb} the {code} rule")


def _check_scope(change: RuleChange) -> None:
    scope_check(change.scope)


def _scope_fields(scope: Scope) -> dict:
    return {"customer_number": scope.customer_number, "customer_group": scope.customer_group,
            "product_family": scope.product_family, "channel": scope.channel}


def _lock_version() -> RuleSetVersion:
    """The latest version, locked: rule changes are applied one at a time, so
    each version is exactly its predecessor plus one change."""
    return RuleSetVersion.objects.select_for_update().order_by("-number").first()


def _overlaps(a: Scope, b: Scope) -> bool:
    # A customer and a group may overlap (the customer may be in the group):
    # assumed so, which can only make a change count as widening.
    pairs = ((a.customer_number, b.customer_number), (a.customer_group, b.customer_group),
             (a.product_family, b.product_family), (a.channel, b.channel))
    return all(not x or not y or x == y for x, y in pairs)


def _assess(change: RuleChange, current: Rule | None, book: RuleBook) -> tuple[str, bool]:
    """Describe the change and whether it lets any order through that the
    rules in force today would stop (widening)."""
    proposed = RuleValues(change.code, change.scope, change.enabled, change.parameters)
    others = _overridden(change, book)
    if change.action == RuleChange.Action.DELETE:
        before = current.values()
        return (f"remove the rule for {change.scope.label()}; the wider rule takes over",
                any(is_wider(after, before) for after in others))
    befores = [current.values()] if current else others
    summary = "; ".join(describe(before, proposed) for before in befores[:1])
    return summary, any(is_wider(proposed, before) for before in befores)


def _overridden(change: RuleChange, book: RuleBook) -> list[RuleValues]:
    """The rules a rule at the change's scope would take over from, least
    specific first (the CONTRACT default when no rule covers everything)."""
    others = sorted((rule for rule in book.rules(change.code) if rule.scope != change.scope
                     and _overlaps(rule.scope, change.scope)
                     and rule.scope.specificity() < change.scope.specificity()),
                    key=lambda rule: rule.scope.specificity())
    if not any(rule.scope == Scope() for rule in others):
        others.insert(0, RuleValues(change.code))
    return others


def is_wider(after: RuleValues, before: RuleValues) -> bool:
    """Whether ``after`` stops fewer orders than ``before`` in some case."""
    if not before.enabled:
        return False
    if not after.enabled:
        return True
    return any(spec.is_wider(after.param(spec.name), before.param(spec.name))
               for spec in PARAMETERS.get(after.code, []))


def describe(before: RuleValues, after: RuleValues) -> str:
    parts = []
    if before.enabled != after.enabled:
        parts.append("switch " + ("on" if after.enabled else "off"))
    for spec in PARAMETERS.get(after.code, []):
        old, new = before.param(spec.name), after.param(spec.name)
        if old != new:
            parts.append(f"{spec.label} {plain_decimal(old)} → {plain_decimal(new)}")
    return f"{after.code} for {after.scope.label()}: " + (", ".join(parts) or "no change")


def _apply(change: RuleChange, version: RuleSetVersion | None, *, reviewer) -> None:
    fields = _scope_fields(change.scope)
    reason = change.reason if reviewer is None else f"{change.reason} (approved by {reviewer})"
    if change.action == RuleChange.Action.DELETE:
        rule = Rule.objects.get(code=change.code, **fields)
        rule._history_user, rule._change_reason = change.author, reason
        rule.delete()
    else:
        rule = Rule.objects.filter(code=change.code, **fields).first() or Rule(code=change.code,
                                                                            **fields)
        rule.enabled, rule.parameters = change.enabled, change.parameters
        rule._history_user, rule._change_reason = change.author, reason
        rule.save()
    number = (version.number if version else 0) + 1
    RuleSetVersion.objects.create(number=number, snapshot=rules_snapshot(), change=change)
    change.reviewer, change.state = reviewer, RuleChange.State.APPLIED
    change.decided_at = timezone.now()
    change._history_user = reviewer or change.author
    change._change_reason = f"applied as rule set v{number}"
    change.save(update_fields=["reviewer", "state", "decided_at", "review_note"])
    transaction.on_commit(lambda: _reevaluate_later(change.code))


def rules_snapshot() -> list[dict]:
    return [{"code": rule.code, **_scope_fields(rule.scope), "enabled": rule.enabled,
             "parameters": rule.parameters} for rule in Rule.objects.order_by("pk")]


def _reevaluate_later(code: str) -> None:
    from exceptions.models import Case
    from exceptions.services import cases_reevaluate_later

    cases_reevaluate_later(codes=[code], reason=f"rule {code} changed",
                           resolution=Case.Resolution.RULE_CHANGED)
