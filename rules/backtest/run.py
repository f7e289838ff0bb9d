"""Judging the orders of the past under two rule sets."""

from __future__ import annotations

import time
from datetime import date

from django.utils import timezone

from rules.backtest.drafts import RememberingBook, rulebook_changes
from rules.backtest.past import SOURCES, HistoryFacts, Judged, past_orders
from rules.backtest.report import CHANGED_SHOWN, NOTES, BacktestReport, ChangedOrder, Tally
from rules.checks import evaluate_with
from rules.errors import RuleError
from rules.models import AutonomyLevel, AutonomySetting
from rules.rulebook import REQUIRED, RuleBook
from rules.selectors import autonomy_level


def order_causes(item: Judged, book: RuleBook, facts: HistoryFacts) -> frozenset[str]:
    """Every cause that would have stopped the order under ``book``."""
    customer = item.order.customer
    rules = book.for_order(customer_number=customer.customer_number if customer else "",
                           customer_group=customer.customer_group if customer else "",
                           families=item.families, channels=item.channels)
    causes = {code for code in item.intake if code in REQUIRED or rules.enabled(code)}
    if customer is not None:
        evaluation = evaluate_with(item.order, item.lines, rules=rules, facts=facts,
                                   today=item.day, history_before=item.day, levels=False)
        causes.update(outcome.code for outcome in evaluation.failures)
    return frozenset(causes | item.levels)


class AutonomyLevels:
    """rules.selectors.autonomy_level over the settings read once,
    remembered per segment."""

    def __init__(self):
        self._settings = list(AutonomySetting.objects.all())
        self._known: dict[tuple, str] = {}

    def level(self, item: Judged) -> str:
        customer = item.order.customer
        key = (customer.customer_number if customer else "",
               customer.customer_group if customer else "", item.families, item.channels)
        if key not in self._known:
            self._known[key] = self._decide(*key)
        return self._known[key]

    def _decide(self, number: str, group: str, families, channels) -> str:
        return autonomy_level(customer_number=number, customer_group=group,
                              product_families=families, channels=channels,
                              settings=self._settings)[0]


def backtest_run(*, book: RuleBook, baseline: RuleBook | None = None, since: date | None = None,
                 until: date | None = None, sources=SOURCES,
                 today: date | None = None) -> BacktestReport:
    """Judge every historical order that arrived from ``since`` to ``until``
    (default: ``today``) under ``book`` and, if given, ``baseline``. Reads only."""
    started = time.perf_counter()
    unknown = set(sources) - set(SOURCES)
    if unknown or not sources:
        raise RuleError(f"sources must be among {', '.join(SOURCES)}")
    until = until or today or timezone.localdate()
    if since is not None and since > until:
        raise RuleError(f"since {since} is after until {until}")
    past = past_orders(since=since, until=until, sources=sources)
    report = BacktestReport(since, until, Tally(book.version),
                            Tally(baseline.version) if baseline else None,
                            rule_changes=rulebook_changes(baseline, book) if baseline else [],
                            notes=NOTES + past.notes)
    same = not report.rule_changes  # the same rules judge alike: judge once
    book, baseline = RememberingBook(book), baseline and RememberingBook(baseline)
    autonomy = AutonomyLevels()
    for item in past.items:
        causes = order_causes(item, book, past.facts)
        before = causes if same or baseline is None else order_causes(item, baseline, past.facts)
        _count(report, item, causes, before, autonomy)
    report.seconds = time.perf_counter() - started
    return report


def _count(report: BacktestReport, item: Judged, causes: frozenset[str],
           before: frozenset[str], autonomy: AutonomyLevels) -> None:
    report.judged += 1
    report.by_source[item.source] += 1
    touchless = not causes or not before
    autonomous = touchless and autonomy.level(item) == AutonomyLevel.AUTONOMOUS
    report.draft.add(causes, autonomous)
    if report.baseline is None:
        return
    report.baseline.add(before, autonomous)
    if bool(causes) != bool(before):
        report.gained += not causes
        report.lost += not before
        if len(report.changed) < CHANGED_SHOWN:
            report.changed.append(ChangedOrder(item.source, item.label, item.day,
                                               sorted(causes), sorted(before)))
