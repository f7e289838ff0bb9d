from django.db import migrations

from orders.roles import sync_roles


def update_roles(apps, schema_editor):
    sync_roles(apps, app_label="orders")


class Migration(migrations.Migration):
    dependencies = [("orders", "0007_confirmation_template")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
