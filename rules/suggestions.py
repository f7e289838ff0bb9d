"""Autonomy suggestions: promote a segment whose orders the boundary judged
right, demote one where it was wrong, and let a person decide.

A segment is a customer group. Its *first-time-right rate* counts the orders
the boundary judged inside the boundary when they arrived:
- executed autonomously: right unless the customer changed or cancelled the
  order later (an ORDER_CHANGE that points at it);
- held by shadow (or off): right when a person released it as it stood; wrong
  when the person corrected it first or rejected it, or it was changed or
  cancelled later. Still waiting: not counted yet.
A suggestion is only a proposal: ``suggestion_approve`` applies it, by a person
who may set autonomy levels, through the same service as ``set_autonomy``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from orders.selectors import system_user
from rules.errors import RuleError
from rules.models import AutonomyLevel, AutonomySuggestion, Decision
from rules.selectors import autonomy_level
from rules.services import Segment, autonomy_set

WINDOW_DAYS = 90
#: Fewer orders than this say too little to move a level either way.
MIN_ORDERS = 20
PROMOTE_AT = Decimal("98")
DEMOTE_BELOW = Decimal("95")

PROMOTE = {AutonomyLevel.OFF: AutonomyLevel.SHADOW, AutonomyLevel.SHADOW: AutonomyLevel.AUTONOMOUS}
DEMOTE = {AutonomyLevel.AUTONOMOUS: AutonomyLevel.SHADOW}
INSIDE = (Decision.Outcome.EXECUTED, Decision.Outcome.WOULD_EXECUTE)


@dataclass
class SegmentRate:
    customer_group: str
    level: str
    orders: int = 0
    right: int = 0
    waiting: int = 0
    #: Why orders were not right the first time: reason -> count.
    wrong: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> Decimal | None:
        return (Decimal(self.right) * 100 / self.orders).quantize(Decimal("0.1")) if self.orders \
            else None

    @property
    def wrong_text(self) -> str:
        return ", ".join(f"{n} {why}" for why, n in self.wrong.most_common())

    def suggestion(self) -> str:
        """The level to move to, or "" to stay."""
        if self.orders < MIN_ORDERS:
            return ""
        if self.rate >= PROMOTE_AT and self.level in PROMOTE:
            return PROMOTE[self.level]
        if self.rate < DEMOTE_BELOW and self.level in DEMOTE:
            return DEMOTE[self.level]
        return ""

    def evidence(self, days: int) -> str:
        text = (f"{self.right} of {self.orders} orders inside the boundary in the last {days} days "
                f"were right the first time ({self.rate}%)")
        if self.wrong:
            text += f"; not right: {self.wrong_text}"
        if self.waiting:
            text += f"; {self.waiting} still wait for a person and are not counted"
        return text


def segment_rates(*, days: int = WINDOW_DAYS, now=None) -> list[SegmentRate]:
    """The first-time-right rate of every customer group with decided orders."""
    since = (now or timezone.now()) - timedelta(days=days)
    decisions = defaultdict(list)
    groups = {}
    for order_id, outcome, group in (
            Decision.objects.filter(created_at__gte=since, order__customer__isnull=False)
            .exclude(order__customer__customer_group="")
            .order_by("order_id", "created_at", "pk")
            .values_list("order_id", "outcome", "order__customer__customer_group")):
        decisions[order_id].append(outcome)
        groups[order_id] = group
    judged = [pk for pk, outcomes in decisions.items() if outcomes[0] in INSIDE]
    changed, corrected = _changed_later(judged), _corrected(judged)
    rates = {group: SegmentRate(group, _level(group)) for group in sorted(set(groups.values()))}
    for pk in judged:
        _count(rates[groups[pk]], decisions[pk], changed=pk in changed,
               corrected=pk in corrected)
    return list(rates.values())


def _corrected(order_ids: list[int]) -> set[int]:
    """Orders a person corrected (orders.services.correction names each change so)."""
    from orders.models import Order
    from orders.services.correction import CORRECTED

    return set(Order.history.filter(id__in=order_ids, history_change_reason__startswith=CORRECTED)
               .values_list("id", flat=True))


def _changed_later(order_ids: list[int]) -> set[int]:
    from orders.models import Order

    return set(Order.objects.filter(related_order_id__in=order_ids)
               .exclude(status__in=[Order.State.DUPLICATE, Order.State.REJECTED])
               .values_list("related_order_id", flat=True))


def _count(rate: SegmentRate, outcomes: list[str], *, changed: bool, corrected: bool) -> None:
    first, later = outcomes[0], outcomes[1:]
    if first == Decision.Outcome.WOULD_EXECUTE and Decision.Outcome.RELEASED not in later \
            and Decision.Outcome.REJECTED not in later:
        rate.waiting += 1
        return
    rate.orders += 1
    if changed:
        rate.wrong["changed or cancelled by the customer later"] += 1
    elif Decision.Outcome.REJECTED in later:
        rate.wrong["rejected by a person"] += 1
    elif corrected or Decision.Outcome.EXCEPTION in later:
        rate.wrong["corrected by a person before release"] += 1
    else:
        rate.right += 1


def _level(group: str) -> str:
    level, _ = autonomy_level(customer_number="", customer_group=group, product_families=(),
                              channels=())
    return level


# --- Services ----------------------------------------------------------------------------


def suggestions_refresh(*, days: int = WINDOW_DAYS, now=None) -> list[AutonomySuggestion]:
    """Measure every segment again; keep one pending suggestion per segment
    whose figures support a move, withdraw the ones they no longer support."""
    actor = system_user()
    pending = []
    with transaction.atomic():
        open_ = {s.customer_group: s for s in AutonomySuggestion.objects.select_for_update()
                 .filter(state=AutonomySuggestion.State.PENDING)}
        for rate in segment_rates(days=days, now=now):
            target = rate.suggestion()
            current = open_.pop(rate.customer_group, None)
            if current is not None and (current.suggested_level != target
                                        or current.current_level != rate.level):
                _close(current, AutonomySuggestion.State.WITHDRAWN, actor,
                       "the figures no longer support it")
                current = None
            if target:
                pending.append(_propose(current, rate, target, days, actor))
        for stale in open_.values():
            _close(stale, AutonomySuggestion.State.WITHDRAWN, actor, "no decided orders any more")
    return pending


def _propose(current: AutonomySuggestion | None, rate: SegmentRate, target: str, days: int,
             actor) -> AutonomySuggestion:
    suggestion = current or AutonomySuggestion(customer_group=rate.customer_group)
    suggestion.current_level, suggestion.suggested_level = rate.level, target
    suggestion.orders, suggestion.first_time_right = rate.orders, rate.right
    suggestion.evidence = rate.evidence(days)
    suggestion._history_user, suggestion._change_reason = actor, "measured again"
    suggestion.save(update_fields=None if current is None else [
        "current_level", "suggested_level", "orders", "first_time_right", "evidence",
        "updated_at"])
    return suggestion


def _close(suggestion: AutonomySuggestion, state: str, actor, note: str) -> None:
    suggestion.state, suggestion.note = state, note[:200]
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = None if actor.username == system_user().username else actor
    suggestion._history_user, suggestion._change_reason = actor, note[:100]
    suggestion.save(update_fields=["state", "note", "decided_at", "decided_by", "updated_at"])


def suggestion_approve(*, suggestion_id: int, actor, note: str = "") -> AutonomySuggestion:
    """Apply a pending suggestion: the segment's level moves as proposed."""
    _check_may_set_autonomy(actor)
    with transaction.atomic():
        suggestion = _lock_pending(suggestion_id)
        if _level(suggestion.customer_group) != suggestion.current_level:
            raise RuleError("the segment's level changed since this was measured; "
                                  "refresh the suggestions first")
        reason = (f"autonomy suggestion {suggestion.pk} approved: "
                  f"{suggestion.orders} orders, {suggestion.rate}% right first time")
        autonomy_set(level=suggestion.suggested_level,
                     segment=Segment(customer_group=suggestion.customer_group), actor=actor,
                     reason=reason[:100])
        _close(suggestion, AutonomySuggestion.State.APPROVED, actor, note or "approved")
    return suggestion


def suggestion_dismiss(*, suggestion_id: int, actor, note: str) -> AutonomySuggestion:
    _check_may_set_autonomy(actor)
    if not note.strip():
        raise RuleError("say why the suggestion is dismissed")
    with transaction.atomic():
        suggestion = _lock_pending(suggestion_id)
        _close(suggestion, AutonomySuggestion.State.DISMISSED, actor, note)
    return suggestion


def _check_may_set_autonomy(actor) -> None:
    if not actor.has_perm("rules.change_autonomysetting"):
        raise RuleError("only a person who may set autonomy levels decides suggestions")


def _lock_pending(suggestion_id: int) -> AutonomySuggestion:
    suggestion = AutonomySuggestion.objects.select_for_update().get(pk=suggestion_id)
    if suggestion.state != AutonomySuggestion.State.PENDING:
        raise RuleError(f"the suggestion is {suggestion.get_state_display().lower()}")
    return suggestion
