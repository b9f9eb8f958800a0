"""The demo programs as data, so eligibility checks work on a freshly migrated database."""

from django.db import migrations


def forwards(apps, schema_editor):
    from threadline.intake.demo_programs import install

    install(
        apps.get_model("intake", "Program"),
        apps.get_model("intake", "RuleVersion"),
        apps.get_model("intake", "CountyRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
