from django.db import migrations

from orders.roles import sync_roles


def update_roles(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("orders", "0004_intake_documents_and_orders")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
