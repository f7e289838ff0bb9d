from django.conf import settings
from django.db import migrations

from orders.roles import sync_roles


def create_roles(apps, schema_editor):
    sync_roles(apps)


def create_system_user(apps, schema_editor):
    # The user named in history for changes no person made. It cannot log in.
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    User.objects.get_or_create(
        username=settings.ORDERDESK_SYSTEM_USERNAME,
        defaults={"is_active": False, "password": "!", "first_name": "OrderDesk", "last_name": "system"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_system_user, migrations.RunPython.noop),
    ]
