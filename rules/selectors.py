"""Reads of the boundary's configuration worth a name."""

from __future__ import annotations

from collections.abc import Iterable

from rules.models import LEVEL_ORDER, AutonomyLevel, AutonomySetting
from rules.rulebook import RuleBook, RuleValues, Scope


def autonomy_level(*, customer_number: str, customer_group: str, product_families: Iterable[str],
                   channels: Iterable[str], settings: list[AutonomySetting] | None = None
                   ) -> tuple[str, list[AutonomySetting]]:
    """The autonomy level of an order and the settings that decided it.

    Each product family of the order is its own segment; the order runs at the
    least trusting level among them, so one "off" family keeps the order with a
    person. Without any matching setting the level is shadow (CONTRACT §2).
    ``settings``: every AutonomySetting, for callers that decide many orders.
    """
    if settings is None:  # callers deciding many orders read the settings once
        settings = list(AutonomySetting.objects.all())
    channels = set(channels)
    winners = []
    for family in set(product_families) or {""}:
        matching = [s for s in settings if s.scope.covers(customer_number, customer_group, family,
                                                           channels)]
        if matching:
            winners.append(max(matching, key=lambda s: s.scope.specificity()))
    if not winners:
        return AutonomyLevel.SHADOW, []
    level = min((s.level for s in winners), key=LEVEL_ORDER.index)
    return level, winners


_SENTENCES = {
    "autonomous": "execute without a person when every check passes",
    "shadow": "are decided and recorded, then released by a person",
    "off": "always go to a person",
}


def autonomy_overview() -> list[dict]:
    """Every autonomy setting in plain words, most specific first (the order they win in)."""
    from orders.models import Customer

    settings = sorted(AutonomySetting.objects.all(), key=lambda s: s.scope.specificity(),
                      reverse=True)
    names = dict(Customer.objects.filter(
        customer_number__in=[s.customer_number for s in settings if s.customer_number]
    ).values_list("customer_number", "name"))
    return [{"segment": _segment_words(s, names), "level": s.level,
             "sentence": _SENTENCES[s.level], "updated_at": s.updated_at} for s in settings]


def _segment_words(setting: AutonomySetting, names: dict[str, str]) -> str:
    parts = []
    if setting.customer_number:
        name = names.get(setting.customer_number, "")
        parts.append(f"customer {setting.customer_number}" + (f" ({name})" if name else ""))
    if setting.customer_group:
        parts.append(f"customers in the group “{setting.customer_group}”")
    if setting.product_family:
        parts.append(f"lines of the product family “{setting.product_family}”")
    if setting.channel:
        parts.append(f"orders arriving by {setting.channel}")
    return "Orders of " + ", ".join(parts) if parts else "All other orders"


def rulebook_from(version) -> RuleBook:
    """The rules as they stood at a RuleSetVersion (None: the CONTRACT defaults)."""
    if version is None:
        return RuleBook()
    rules = [RuleValues(row["code"], Scope(row["customer_number"], row["customer_group"],
                                           row["product_family"], row["channel"]),
                        row["enabled"], dict(row["parameters"])) for row in version.snapshot]
    return RuleBook(rules, version=str(version.number))


def rulebook_current() -> RuleBook:
    """The rule set in force. Read from the latest version's snapshot, one row,
    so a decision never sees half of a change being applied."""
    from rules.models import RuleSetVersion

    return rulebook_from(RuleSetVersion.objects.order_by("-number").first())


def owner_overview(*, groups: set[str], everything: bool = False) -> list[dict]:
    """For each owner group a person belongs to (every group for managers):
    its rules with their parameters, the changes waiting for approval, and
    the exceptions its rules produced (open, last 30 days, ever) per cause."""
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.utils import timezone

    from exceptions.models import CaseCause
    from rules.causes import OWNERS
    from rules.models import Rule, RuleChange

    since = timezone.now() - timedelta(days=30)
    produced = {row["code"]: row for row in CaseCause.objects.values("code").annotate(
        open=Count("pk", filter=Q(is_open__in=[True])),
        recent=Count("pk", filter=Q(case__opened_at__gte=since)), ever=Count("pk")).order_by()}
    owners = sorted(set(OWNERS.values())) if everything else sorted(groups & set(OWNERS.values()))
    rules = list(Rule.objects.order_by("code", "pk"))
    pending = list(RuleChange.objects.filter(state=RuleChange.State.PENDING)
                   .select_related("author").order_by("created_at"))
    return [{
        "group": group,
        "rules": [rule for rule in rules if OWNERS[rule.code] == group],
        "pending": [change for change in pending if OWNERS[change.code] == group],
        "exceptions": sorted(({"code": code, **produced.get(code, {"open": 0, "recent": 0,
                                                                     "ever": 0})}
                              for code, owner in OWNERS.items() if owner == group),
                             key=lambda row: (-row["open"], -row["ever"], row["code"])),
    } for group in owners]
