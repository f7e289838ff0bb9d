from django.core.management.base import BaseCommand

from orders.services.schedules import schedules_ensure


class Command(BaseCommand):
    help = "Create or update OrderDesk's recurring tasks (idempotent)."

    def handle(self, *args, **options):
        for line in schedules_ensure():
            self.stdout.write(line)
