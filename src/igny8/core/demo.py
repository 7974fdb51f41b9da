"""The demo workspace `make run` opens on: idempotent, so running it again reuses what exists."""

from importlib import resources

from django.db import transaction

from igny8.accounts import services
from igny8.accounts.models import Account, Membership, Role, Sector, Site, User
from igny8.billing.plans import plan_for_new_accounts
from igny8.pipeline.runner import run_pipeline
from igny8.planner.models import Keyword

DEMO_ACCOUNT = "Demo"
DEMO_SITE = "Home Coffee Lab"
DEMO_SECTOR = "Coffee brewing at home"
DEMO_SECTOR_DESCRIPTION = "Guides, gear reviews and recipes for people brewing specialty coffee at home."


def sample_keywords_csv() -> bytes:
    return (resources.files("igny8") / "data" / "sample_keywords.csv").read_bytes()


@transaction.atomic
def demo_workspace(*, email: str, password: str) -> dict:
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = services.user_create(email=email, password=password, full_name="Demo Owner")
    account = Account.objects.filter(name=DEMO_ACCOUNT, memberships__user=user).first()
    if account is None:
        account = services.account_create(name=DEMO_ACCOUNT, owner=user, plan=plan_for_new_accounts())
    Membership.objects.get_or_create(user=user, account=account, defaults={"role": Role.OWNER})
    site = Site.objects.filter(account=account, name=DEMO_SITE).first() or services.site_create(
        account=account, name=DEMO_SITE, url="https://coffee.example.com"
    )
    sector = Sector.objects.filter(site=site, name=DEMO_SECTOR).first() or services.sector_create(
        site=site, name=DEMO_SECTOR, description=DEMO_SECTOR_DESCRIPTION
    )
    if not Keyword.objects.filter(site=site).exists():
        # The same code path as `igny8 pipeline run`, limited to the import: the AI stages are the
        # user's to start (from the API, the CLI or an automation rule), with their own provider.
        run_pipeline(site=site, sector=sector, data=sample_keywords_csv(), stages=())
    return {
        "created": created,
        "account": account.name,
        "site": site.name,
        "keywords": Keyword.objects.filter(site=site).count(),
    }
