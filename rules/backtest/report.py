"""What a backtest found, in numbers and in words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from rules.causes import Cause

CHANGED_SHOWN = 50


@dataclass
class Tally:
    """How one rule set would have judged the orders."""

    version: str
    judged: int = 0
    touchless: int = 0
    #: Touchless orders whose segment is autonomous today: they would have run without a person.
    autonomous: int = 0
    #: Orders stopped per cause; an order counts once under each cause it fails.
    stopped: Counter = field(default_factory=Counter)

    @property
    def stopped_orders(self) -> int:
        return self.judged - self.touchless

    def add(self, causes: frozenset[str], autonomous: bool) -> None:
        self.judged += 1
        if causes:
            self.stopped.update(causes)
        else:
            self.touchless += 1
            self.autonomous += autonomous

    def as_dict(self) -> dict:
        return {"version": self.version, "touchless": self.touchless,
                "autonomous": self.autonomous, "stopped": dict(self.stopped.most_common())}


@dataclass
class ChangedOrder:
    source: str
    label: str
    day: date
    draft: list[str]
    baseline: list[str]

    @property
    def now_touchless(self) -> bool:
        return not self.draft

    def as_dict(self) -> dict:
        return {"source": self.source, "order": self.label, "day": self.day.isoformat(),
                "draft_causes": self.draft, "baseline_causes": self.baseline}


@dataclass
class BacktestReport:
    since: date | None
    until: date
    draft: Tally
    baseline: Tally | None = None
    judged: int = 0
    by_source: Counter = field(default_factory=Counter)
    #: The draft's rules that differ from the baseline's, in words.
    rule_changes: list[str] = field(default_factory=list)
    #: Orders touchless under the draft but not under the baseline, and the reverse.
    gained: int = 0
    lost: int = 0
    #: The first orders (by day) whose outcome differs between the two.
    changed: list[ChangedOrder] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def source_counts(self) -> list[tuple[str, int]]:
        return sorted(self.by_source.items())

    def causes_compared(self) -> list[dict]:
        """Per cause, the orders it stops under the draft and the baseline, most first."""
        baseline = self.baseline.stopped if self.baseline else Counter()
        rows = [{"code": code, "label": Cause(code).label, "draft": self.draft.stopped[code],
                 "baseline": baseline[code] if self.baseline else None,
                 "change": self.draft.stopped[code] - baseline[code]}
                for code in set(self.draft.stopped) | set(baseline)]
        return sorted(rows, key=lambda row: (-row["draft"], -(row["baseline"] or 0), row["code"]))

    def difference(self) -> str:
        """The two rule sets compared in one sentence."""
        if self.baseline is None:
            return ""
        if not self.rule_changes:
            return (f"the draft has the same rules as the baseline: {_number(self.draft.touchless)} "
                    "touchless orders under both")
        return (f"{'; '.join(self.rule_changes)}: +{_number(self.gained)} touchless orders "
                f"({_number(self.baseline.touchless)} → {_number(self.draft.touchless)}); "
                f"{_number(self.lost)} fewer")

    def as_dict(self) -> dict:
        return {
            "since": self.since.isoformat() if self.since else None, "until": self.until.isoformat(),
            "judged": self.judged, "by_source": dict(self.by_source),
            "draft": self.draft.as_dict(),
            "baseline": self.baseline.as_dict() if self.baseline else None,
            "rule_changes": self.rule_changes, "gained": self.gained, "lost": self.lost,
            "difference": self.difference(), "changed": [c.as_dict() for c in self.changed],
            "notes": self.notes, "seconds": round(self.seconds, 3),
        }


def _number(count: int) -> str:
    """1 203: thousands apart by a space, as the report is read in any language."""
    return f"{count:,}".replace(",", " ")


NOTES = [
    "Stock and credit are the day's levels, not rules: a past document keeps the stock and "
    "credit outcome recorded when it was decided; orders of the history import are not "
    "judged on them.",
    "Price agreements are read as valid on each order's date and quantity history as it "
    "stood before it; customers, products, ship-tos, denied parties and restrictions as "
    "they stand today.",
    "Orders of the history import came by no known channel: channel-scoped rules and "
    "autonomy settings do not apply to them.",
]
