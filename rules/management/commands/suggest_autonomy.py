from django.core.management.base import BaseCommand, CommandError

from rules.suggestions import WINDOW_DAYS, segment_rates, suggestions_refresh


class Command(BaseCommand):
    help = (
        "Measure each customer group's first-time-right rate and propose promoting or demoting "
        "its autonomy level. Proposals wait for a person's approval (Boundary page or admin); "
        "nothing is changed here."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=WINDOW_DAYS,
                            help=f"measure over the last N days (default: {WINDOW_DAYS})")

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        pending = suggestions_refresh(days=days)
        for rate in segment_rates(days=days):
            self.stdout.write(f"{rate.customer_group} ({rate.level}): "
                              + (rate.evidence(days) if rate.orders else "no decided orders"))
        for suggestion in pending:
            self.stdout.write(f"suggested: {suggestion.customer_group} {suggestion.current_level}"
                              f" → {suggestion.suggested_level} (waits for approval)")
        if not pending:
            self.stdout.write("no suggestion: every level fits its figures")
