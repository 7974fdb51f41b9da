"""`igny8 billing check`: proves the credit books balance (exit 1 naming every difference)."""

from django.core.management.base import BaseCommand, CommandError

from igny8.ai.models import TERMINAL, AIRun
from igny8.billing import selectors


class Command(BaseCommand):
    help = "Check the credit books: ledger sum = balance per account, usage = debits per run."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("check", help="Ledger sum = balance per account; usage = debits per settled run.")

    def handle(self, *args, action: str, **options):
        open_runs = set(AIRun.objects.exclude(status__in=TERMINAL).values_list("task_id", flat=True))
        accounts, runs, problems = selectors.ledger_problems(open_runs=open_runs)
        if problems:
            raise CommandError(f"{len(problems)} difference(s):\n" + "\n".join(problems), returncode=1)
        self.stdout.write(
            f"OK: {accounts} account(s), ledger = balance; {runs} run(s), usage = ledger debits."
        )
