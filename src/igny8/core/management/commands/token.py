from django.core.management.base import BaseCommand, CommandError

from igny8.accounts.models import User
from igny8.accounts.tokens import token_create


class Command(BaseCommand):
    help = "Print a new API token for a user (use it as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="cli")

    def handle(self, *args, email: str, name: str, **options):
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with email {email}.")
        self.stdout.write(token_create(user=user, name=name))
