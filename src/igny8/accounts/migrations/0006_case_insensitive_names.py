"""Site and sector names become unique regardless of case. Names that already differ only by case
("Running shoes", "Running Shoes") get " (2)", " (3)"... appended first, so the constraint can be
created on an existing database; nothing is merged or deleted."""

import django.db.models.functions.text
from django.db import migrations, models


def _rename_case_duplicates(apps, schema_editor):
    for model_name, parent in (("Site", "account_id"), ("Sector", "site_id")):
        model = apps.get_model("accounts", model_name)
        seen: set[tuple[int, str]] = set()
        for row in model.objects.order_by("pk").only("pk", "name", parent):
            owner = getattr(row, parent)
            name, number = row.name, 1
            while (owner, name.lower()) in seen:
                number += 1
                name = f"{row.name[:190]} ({number})"
            seen.add((owner, name.lower()))
            if name != row.name:
                model.objects.filter(pk=row.pk).update(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_merge_invitation_plan_credits"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="sector", name="sector_name_unique_per_site"),
        migrations.RemoveConstraint(model_name="site", name="site_name_unique_per_account"),
        migrations.RunPython(_rename_case_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="sector",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"), models.F("site"), name="sector_name_unique_per_site"
            ),
        ),
        migrations.AddConstraint(
            model_name="site",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                models.F("account"),
                name="site_name_unique_per_account",
            ),
        ),
    ]
