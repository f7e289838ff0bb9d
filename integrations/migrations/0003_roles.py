"""Who may see the outbox and resolve what the machine could not.

Granted here (added to the groups, not replacing their permissions) so the
roles of orders.roles keep one owner: every role reads the outbox, the order
desk manager also confirms or re-sends unknown and dead messages.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from orders.roles import COMPLIANCE, CUSTOMER_SERVICE, FINANCE, ORDER_DESK_MANAGER

GRANTS = {
    CUSTOMER_SERVICE: ["view_outboxmessage"],
    FINANCE: ["view_outboxmessage"],
    COMPLIANCE: ["view_outboxmessage"],
    ORDER_DESK_MANAGER: ["view_outboxmessage", "reconcile_outboxmessage"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("integrations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="integrations",
                                                         codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(*Permission.objects.filter(
                content_type__app_label="integrations", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0002_outbox_response_code_and_reconcile"),
        ("orders", "0005_roles_for_intake"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
