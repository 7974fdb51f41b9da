"""Reads for keywords, clusters and ideas. Each takes the account; there is no 'all rows'."""

from django.db.models import QuerySet

from igny8.accounts.models import Account
from igny8.planner.models import Cluster, ContentIdea, Keyword, KeywordStatus


def keyword_list(*, account: Account) -> QuerySet[Keyword]:
    return Keyword.objects.filter(account=account).select_related("cluster").order_by("-created_at", "-id")


def cluster_list(*, account: Account) -> QuerySet[Cluster]:
    return Cluster.objects.filter(account=account).order_by("-created_at", "-id")


def idea_list(*, account: Account) -> QuerySet[ContentIdea]:
    return (
        ContentIdea.objects.filter(account=account).select_related("cluster").order_by("-created_at", "-id")
    )


def keywords_to_cluster(*, account: Account, site) -> QuerySet[Keyword]:
    """What a site-wide clustering run (and the automation) works on: the new keywords without a
    cluster, plus those an earlier run could not group ("Not grouped") once new keywords have
    arrived, since they may fit with the newcomers. Without new keywords: nothing, as the same
    keywords would not group differently (re-cluster them by id to try other settings)."""
    free = Keyword.objects.filter(account=account, site=site, cluster__isnull=True)
    if not free.filter(status=KeywordStatus.NEW).exists():
        return free.none()
    return free.filter(status__in=[KeywordStatus.NEW, KeywordStatus.UNCLUSTERED])


def keywords_not_grouped(*, account: Account, site) -> QuerySet[Keyword]:
    return Keyword.objects.filter(
        account=account, site=site, cluster__isnull=True, status=KeywordStatus.UNCLUSTERED
    )
