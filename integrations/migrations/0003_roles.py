"""Who may see the outbox and resolve what the machine could not (orders.roles):
every role reads it, the order desk manager also confirms or re-sends
unknown and dead messages."""

from django.db import migrations

from orders.roles import sync_roles


def update_roles(apps, schema_editor):
    sync_roles(apps, app_label="integrations")


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0002_outbox_response_code_and_reconcile"),
        ("orders", "0005_roles_for_intake"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
