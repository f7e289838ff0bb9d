import argparse
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from rules.backtest import (
    SOURCES,
    BacktestReport,
    Tally,
    backtest_run,
    disable_parse,
    override_parse,
    rulebook_override,
    rulebook_version,
)
from rules.errors import RuleError
from rules.rulebook import RuleBook


class Command(BaseCommand):
    help = ("Judge the orders of the past under a draft rule set, without executing "
            "anything: how many would have run without a person, why the rest stop, and "
            "the difference to another rule set.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        # "--version N" names the draft's rule-set version (as the issue has
        # it), replacing Django's --version (which prints Django's version).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--version", dest="draft_version", default="current", metavar="N",
                            help="draft: the rules of this rule-set version (default: current)")
        parser.add_argument("--against", default="current", metavar="N|current",
                            help="baseline: a rule-set version number or 'current'")
        parser.add_argument("--set", dest="overrides", action="append", default=[],
                            metavar="CODE.param=value[@scope]",
                            help="change a parameter in the draft; scope like "
                                 "@customer=C1001,group=key,family=X,channel=email")
        parser.add_argument("--disable", action="append", default=[], metavar="CODE[@scope]",
                            help="switch a rule off in the draft (not a required one)")
        parser.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="first day")
        parser.add_argument("--until", type=_day, metavar="YYYY-MM-DD",
                            help="last day (default today)")
        parser.add_argument("--source", dest="sources", action="append", choices=SOURCES,
                            help="history import, past documents (default: both)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, draft_version, against, overrides, disable, since, until, sources,
               format, **options):
        try:
            draft = _draft(rulebook_version(draft_version), overrides, disable)
            baseline = rulebook_version(against)
            report = backtest_run(book=draft, baseline=baseline, since=since, until=until,
                                  sources=tuple(sources or SOURCES))
        except RuleError as exc:
            raise CommandError(str(exc)) from None
        if format == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write("\n".join(report_lines(report)))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _draft(book: RuleBook, overrides: list[str], disable: list[str]) -> RuleBook:
    for text in overrides:
        code, name, value, scope = override_parse(text)
        book = rulebook_override(book, code=code, scope=scope, params={name: value})
    for text in disable:
        code, scope = disable_parse(text)
        book = rulebook_override(book, code=code, scope=scope, enabled=False)
    return book


def report_lines(report: BacktestReport) -> list[str]:
    """The report in words and numbers."""
    period = f"from {report.since} to {report.until}" if report.since else f"up to {report.until}"
    sources = ", ".join(f"{count:,} from {source}"
                        for source, count in report.source_counts()) or "none"
    lines = [f"Backtest of {report.judged:,} historical orders, {period} ({sources}); "
             f"nothing was executed or written.", ""]
    lines += _tally_lines("Draft", report.draft)
    if report.baseline is not None:
        lines += _comparison_lines(report)
    lines += ["Stopped by cause (an order counts under each cause it fails):"]
    header = "  cause                      draft" + ("   baseline" if report.baseline else "")
    lines.append(header)
    for row in report.causes_compared():
        baseline = f"   {row['baseline']:8,}" if report.baseline else ""
        lines.append(f"  {row['code']:26s} {row['draft']:6,}{baseline}")
    lines += ["", *(f"Note: {note}" for note in report.notes),
              f"Judged in {report.seconds:.1f} s."]
    return lines


def _tally_lines(name: str, tally: Tally) -> list[str]:
    return [f"{name} (rule set {tally.version}): {tally.touchless:,} touchless (every check "
            f"passes), {tally.stopped_orders:,} stopped; {tally.autonomous:,} of the touchless "
            "are in segments that run autonomously today.", ""]


def _comparison_lines(report: BacktestReport) -> list[str]:
    lines = _tally_lines("Baseline", report.baseline) if report.rule_changes else []
    lines.append("Difference: " + report.difference())
    if report.changed:
        lines.append(f"First {len(report.changed)} orders whose outcome changes:")
        lines += [f"  {c.day}  {c.label} ({c.source}): "
                  f"{'touchless' if c.now_touchless else ', '.join(c.draft)} "
                  f"(was {', '.join(c.baseline) or 'touchless'})" for c in report.changed]
    return [*lines, ""]
