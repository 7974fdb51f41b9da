"""`igny8 credits show|grant|set --account NAME`: an operator's view of and hand on a balance."""

from django.core.management.base import BaseCommand, CommandError

from igny8.accounts.models import Account
from igny8.billing import selectors, services


def account_named(name: str) -> Account:
    account = Account.objects.select_related("plan").filter(name=name).first()
    if account is None:
        known = ", ".join(Account.objects.order_by("name").values_list("name", flat=True)[:10]) or "none yet"
        raise CommandError(f"No account named {name!r} (accounts: {known}).")
    return account


def describe(account: Account) -> str:
    plan = account.plan
    if plan.unlimited_credits:
        return f"{account.name}: unlimited credits ({plan.name} plan; balance {account.credits} is not used)"
    renewal = "never renews" if plan.credit_cycle == "never" else f"renews {plan.credit_cycle}"
    return (
        f"{account.name}: {account.credits} credits "
        f"({plan.name} plan: {plan.monthly_credits} credits a period, {renewal})"
    )


class Command(BaseCommand):
    help = "Show, grant or set an account's credits; every change is written to the account's ledger."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        show = actions.add_parser("show", help="The balance, the plan and the latest ledger rows.")
        show.add_argument("--account", required=True, help="Account name.")
        show.add_argument("--last", type=int, default=10, help="How many ledger rows (default 10).")
        for name, text in (("grant", "Add AMOUNT credits."), ("set", "Set the balance to AMOUNT.")):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("amount", type=int, help="Credits.")
            sub.add_argument("--account", required=True, help="Account name.")
            sub.add_argument("--note", default="", help="Why, for the ledger.")

    def handle(self, *args, action: str, account: str, **options):
        target = account_named(account)
        if action == "show":
            self._show(target, last=options["last"])
            return
        amount, note = options["amount"], options["note"] or f"igny8 credits {action}"
        if action == "grant":
            if amount <= 0:
                raise CommandError(f"amount: grant a positive number of credits, got {amount}.")
            services.credits_grant(account=target, amount=amount, note=note)
        elif amount < 0:
            raise CommandError(f"amount: a balance is 0 or more credits, got {amount}.")
        else:
            services.credits_set(account=target, amount=amount, note=note)
        target.refresh_from_db(fields=["credits"])
        self.stdout.write(describe(target))

    def _show(self, account: Account, *, last: int) -> None:
        lines = [describe(account)]
        rows = selectors.transaction_list(account=account)[: max(0, last)]
        for row in rows:
            when = row.created_at.strftime("%Y-%m-%d %H:%M")
            note = f"  {row.note}" if row.note else ""
            lines.append(f"  {when}  {row.amount:+7d}  = {row.balance_after:<7d} {row.reason}{note}")
        self.stdout.write("\n".join(lines))
