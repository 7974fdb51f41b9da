from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from igny8.accounts import services
from igny8.accounts.models import Account, Membership, Role, User
from igny8.billing.plans import UnknownPlan, plan_for_new_accounts, plan_named
from igny8.core.errors import Invalid


class Command(BaseCommand):
    help = "Create a user; with --account, make them owner of that account (created if new)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--account", help="Account name to own (created if it does not exist).")
        parser.add_argument("--role", default=Role.OWNER, choices=Role.values)
        parser.add_argument("--staff", action="store_true", help="Also allow the Django admin.")
        parser.add_argument(
            "--plan", help="Plan of a new account (default: IGNY8_DEFAULT_PLAN, else the default plan)."
        )

    @transaction.atomic
    def handle(
        self,
        *args,
        email: str,
        password: str,
        account: str | None,
        role: str,
        staff: bool,
        plan: str | None,
        **options,
    ):
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with email {email} already exists.")
        try:  # checked before anything is written, so a typo creates nobody
            chosen = plan_named(plan) if plan else plan_for_new_accounts()
        except UnknownPlan as error:
            raise CommandError(str(error)) from None
        try:
            user = services.user_create(email=email, password=password)
        except Invalid as error:  # the password rules, as on the sign-up page
            raise CommandError(" ".join(error.errors["password"])) from None
        if staff:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if account:
            existing = Account.objects.filter(name=account).first()
            if existing is None:
                services.account_create(name=account, owner=user, plan=chosen)
            else:
                Membership.objects.create(user=user, account=existing, role=role)
        self.stdout.write(
            self.style.SUCCESS(f"Created {email}" + (f" in account {account}" if account else ""))
        )
