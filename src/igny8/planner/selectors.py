"""Reads for keywords, clusters and ideas. Each takes the account; there is no 'all rows'."""

from django.db.models import QuerySet

from igny8.accounts.models import Account
from igny8.planner.models import Cluster, ContentIdea, Keyword


def keyword_list(*, account: Account) -> QuerySet[Keyword]:
    return Keyword.objects.filter(account=account).select_related("cluster").order_by("-created_at", "-id")


def cluster_list(*, account: Account) -> QuerySet[Cluster]:
    return Cluster.objects.filter(account=account).order_by("-created_at", "-id")


def idea_list(*, account: Account) -> QuerySet[ContentIdea]:
    return (
        ContentIdea.objects.filter(account=account).select_related("cluster").order_by("-created_at", "-id")
    )
