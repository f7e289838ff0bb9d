from django.db import migrations

from orders.roles import sync_roles


def update_roles(apps, schema_editor):
    sync_roles(apps, app_label="rules")


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_default_autonomy"), ("orders", "0005_roles_for_intake")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
