from django.db import migrations, models

# The two plans a fresh install offers (billing/plans.py keeps the same definitions for databases
# emptied by tests or an operator): Starter, the default for sign-ups, and Unlimited for a team
# that pays its AI provider itself.
BUILTIN = {
    "Starter": {"monthly_credits": 5_000, "credit_cycle": "monthly"},
    "Unlimited": {
        "monthly_credits": 0,
        "credit_cycle": "never",
        "unlimited_credits": True,
        "max_sites": 1_000,
        "max_users": 1_000,
        "max_keywords": 10_000_000,
        "max_clusters": 1_000_000,
        "daily_cluster_limit": 1_000_000,
    },
}


def create_plans(apps, schema_editor):
    Plan = apps.get_model("accounts", "Plan")
    has_default = Plan.objects.filter(is_default=True).exists()
    for name, fields in BUILTIN.items():
        defaults = {**fields, "is_default": name == "Starter" and not has_default}
        Plan.objects.get_or_create(name=name, defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_token_expiry_password_changed")]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="unlimited_credits",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="plan",
            name="credit_cycle",
            field=models.CharField(
                choices=[("monthly", "Monthly"), ("yearly", "Yearly"), ("never", "Never")],
                default="monthly",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(credit_cycle__in=["monthly", "yearly", "never"]),
                name="plan_credit_cycle_valid",
            ),
        ),
        migrations.RunPython(create_plans, migrations.RunPython.noop),
    ]
