import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from orders.roles import ORDER_DESK_MANAGER


class Command(BaseCommand):
    help = (
        "Create the first administrator if there is none. The password comes from "
        "ORDERDESK_ADMIN_PASSWORD, or is generated and printed this once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ORDERDESK_ADMIN_USER", "admin"))
        parser.add_argument("--url", default="", help="where the app runs, to print")

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        given = os.environ.get("ORDERDESK_ADMIN_PASSWORD", "")
        user = User.objects.filter(username=username).first()
        if user is None:
            password = given or secrets.token_urlsafe(12)
            user = User.objects.create_superuser(username=username, password=password, email="")
            user.groups.add(*Group.objects.filter(name=ORDER_DESK_MANAGER))
            shown = "(from ORDERDESK_ADMIN_PASSWORD)" if given else password
            note = "" if given else "  — shown only this once; change it after logging in"
        elif given and not user.check_password(given):
            user.set_password(given)
            user.save(update_fields=["password"])
            shown, note = "(from ORDERDESK_ADMIN_PASSWORD, updated)", ""
        else:
            shown = "(unchanged: as printed on the first run)"
            note = f"  — reset with: python manage.py changepassword {username}"
        if url:
            self.stdout.write(self.style.SUCCESS(f"OrderDesk is starting at {url}"))
        self.stdout.write(f"Login: {username} / {shown}{note}")
