from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from igny8.billing.plans import UnknownPlan
from igny8.core.demo import demo_workspace
from igny8.core.errors import Invalid


class Command(BaseCommand):
    help = "Create (or reuse) the demo workspace: account Demo, its owner, a site, a sector, sample keywords."

    def handle(self, *args, **options):
        try:
            result = demo_workspace(email=settings.DEMO_EMAIL, password=settings.DEMO_PASSWORD)
        except Invalid as error:  # a DEMO_PASSWORD the password rules refuse
            raise CommandError("DEMO_PASSWORD: " + " ".join(error.errors["password"])) from None
        except UnknownPlan as error:
            raise CommandError(f"IGNY8_DEFAULT_PLAN: {error}") from None
        verb = "Created" if result["created"] else "Reusing"
        self.stdout.write(
            f"{verb} the demo workspace: account {result['account']!r}, site {result['site']!r}, "
            f"{result['keywords']} keywords."
        )
