"""Reads for sites, sectors and members of one account."""

from django.db.models import Count, QuerySet

from igny8.accounts.models import Account, Membership, Sector, Site


def site_list(*, account: Account) -> QuerySet[Site]:
    return Site.objects.filter(account=account).order_by("name", "id")


def sector_list(*, account: Account) -> QuerySet[Sector]:
    return Sector.objects.filter(account=account).order_by("site_id", "name", "id")


def member_list(*, account: Account) -> QuerySet[Membership]:
    return Membership.objects.filter(account=account).select_related("user").order_by("created_at", "id")


def account_usage(*, account: Account) -> dict:
    from igny8.planner.models import Cluster, Keyword

    counts = Account.objects.filter(pk=account.pk).aggregate(
        sites=Count("sites", distinct=True), users=Count("memberships", distinct=True)
    )
    return {
        **counts,
        "keywords": Keyword.objects.filter(account=account).count(),
        "clusters": Cluster.objects.filter(account=account).count(),
    }
