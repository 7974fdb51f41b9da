# Joins the two migrations written side by side (invitations; plan credits). No operations.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_invitation"),
        ("accounts", "0004_plan_credits"),
    ]

    operations = []
