"""`igny8 plans`: the plans and what they give; `igny8 plans assign PLAN --account NAME` moves an
account to one."""

from django.core.management.base import BaseCommand, CommandError

from igny8.billing.plans import UnknownPlan, account_plan_set, plan_list, plan_named
from igny8.core.management.commands.credits import account_named, describe


class Command(BaseCommand):
    help = "List the plans (credits, renewal, limits, accounts), or move an account to a plan."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action")
        assign = actions.add_parser("assign", help="Move an account to a plan; its balance is kept.")
        assign.add_argument("plan", help="Plan name, e.g. Unlimited.")
        assign.add_argument("--account", required=True, help="Account name.")

    def handle(self, *args, action: str | None = None, **options):
        if action == "assign":
            account = account_named(options["account"])
            try:
                plan = plan_named(options["plan"])
            except UnknownPlan as error:
                raise CommandError(str(error)) from None
            account_plan_set(account=account, plan=plan)
            self.stdout.write(describe(account))
            return

        header = f"{'plan':<16} {'credits':>12} {'renews':<8} {'sites':>6} {'keywords':>9} {'accounts':>8}"
        lines = [header]
        for plan in plan_list():
            credits = "unlimited" if plan.unlimited_credits else str(plan.monthly_credits)
            name = plan.name + (" *" if plan.is_default else "")
            renews = "-" if plan.unlimited_credits else plan.credit_cycle
            lines.append(
                f"{name:<16} {credits:>12} {renews:<8} {plan.max_sites:>6} {plan.max_keywords:>9} "
                f"{plan.account_count:>8}"
            )
        lines.append("* the default plan of sign-ups; IGNY8_DEFAULT_PLAN picks the command line's.")
        self.stdout.write("\n".join(lines))
