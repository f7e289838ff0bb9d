"""Backtest: how a draft rule set would have judged the orders of the past.

Nothing is executed and nothing is written. The historical orders are the
order-history import (its lines grouped by customer and PO number) and the
orders of past inbound documents (executed or routed to a person). Each is
judged as of the day it arrived, by the same check functions as a live
decision (rules.checks.evaluate_with), reading facts loaded once for all of
them (``HistoryFacts``): price agreements valid on the order's date, the
customer's quantity history dated before it. So 100,000 orders cost a few
queries, not a few per order.

Stock and credit are the day's levels, not rules, and today's levels say
nothing about a past day: a past document keeps the stock and credit outcome
recorded in its decision; order-history orders are not judged on them.
"""

from rules.backtest.drafts import (
    RememberingBook,
    disable_parse,
    override_parse,
    rulebook_changes,
    rulebook_override,
    rulebook_version,
    scope_check,
    scope_parse,
)
from rules.backtest.past import SOURCES, HistoryFacts, Judged, past_orders
from rules.backtest.report import BacktestReport, ChangedOrder, Tally
from rules.backtest.run import AutonomyLevels, backtest_run, order_causes

__all__ = [
    "SOURCES", "AutonomyLevels", "BacktestReport", "ChangedOrder", "HistoryFacts", "Judged",
    "RememberingBook", "Tally", "backtest_run", "disable_parse", "order_causes",
    "override_parse", "past_orders", "rulebook_changes", "rulebook_override",
    "rulebook_version", "scope_check", "scope_parse",
]
