"""Writes to the boundary's rules and autonomy levels."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from orders.models import Customer, Product
from orders.selectors import system_user
from rules.errors import RuleError
from rules.models import AutonomyLevel, AutonomySetting

#: Values `--channel` accepts: how a document arrived, or what it is.
CHANNELS = ("email", "file", "api", "upload", "pdf", "csv", "xlsx", "ubl", "x12", "edifact",
            "edi", "json", "text")


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
