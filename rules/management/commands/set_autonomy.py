from django.core.management.base import BaseCommand, CommandError

from rules.errors import RuleError
from rules.models import AutonomyLevel
from rules.services import CHANNELS, Segment, autonomy_set


class Command(BaseCommand):
    help = "Set the autonomy level of a segment (CONTRACT §2); the most specific segment wins."

    def add_arguments(self, parser):
        parser.add_argument("level", choices=AutonomyLevel.values)
        parser.add_argument("--customer-group", default="")
        parser.add_argument("--customer", default="", help="customer number")
        parser.add_argument("--product-family", default="")
        parser.add_argument("--channel", default="", help=f"one of {', '.join(CHANNELS)}")
        parser.add_argument("--reason", default="", help="why, recorded in history")

    def handle(self, *args, level, customer_group, customer, product_family, channel, reason,
               **options):
        segment = Segment(customer_number=customer.strip(), customer_group=customer_group.strip(),
                          product_family=product_family.strip(), channel=channel.strip().lower())
        try:
            setting, before = autonomy_set(level=level, segment=segment, reason=reason)
        except RuleError as exc:
            raise CommandError(str(exc)) from None
        was = f" (was {before})" if before and before != level else ""
        self.stdout.write(f"{setting.segment_label()}: {level}{was}")
