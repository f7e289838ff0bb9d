from django.db import migrations


def default_shadow(apps, schema_editor):
    # CONTRACT §2: a fresh installation is "shadow" everywhere.
    Setting = apps.get_model("rules", "AutonomySetting")
    Setting.objects.get_or_create(customer_group="", customer_number="", product_family="",
                                  channel="", defaults={"level": "shadow"})


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_autonomy")]

    operations = [migrations.RunPython(default_shadow, migrations.RunPython.noop)]
