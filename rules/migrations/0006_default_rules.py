from django.db import migrations

from orders.roles import sync_roles


def create_default_rules(apps, schema_editor):
    """Every check of CONTRACT §5 as a rule for everything, at the CONTRACT's
    defaults, and rule set v1 holding them."""
    from rules.rulebook import PARAMETERS, RULE_CODES

    Rule = apps.get_model("rules", "Rule")
    RuleSetVersion = apps.get_model("rules", "RuleSetVersion")
    if RuleSetVersion.objects.exists():
        return
    snapshot = []
    for code in RULE_CODES:
        params = {p.name: str(p.default) for p in PARAMETERS.get(code, [])}
        Rule.objects.get_or_create(code=code.value, customer_group="", customer_number="",
                                   product_family="", channel="",
                                   defaults={"enabled": True, "parameters": params})
    for rule in Rule.objects.order_by("pk"):
        snapshot.append({"code": rule.code, "customer_number": "", "customer_group": "",
                         "product_family": "", "channel": "", "enabled": rule.enabled,
                         "parameters": rule.parameters})
    RuleSetVersion.objects.create(number=1, snapshot=snapshot)


def update_roles(apps, schema_editor):
    sync_roles(apps, app_label="rules")


class Migration(migrations.Migration):
    dependencies = [("rules", "0005_rules_as_data")]

    operations = [
        migrations.RunPython(create_default_rules, migrations.RunPython.noop),
        migrations.RunPython(update_roles, migrations.RunPython.noop),
    ]
