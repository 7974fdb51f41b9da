"""Reads for publishing, always within one account (or one site of it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from igny8.accounts.models import Account, Site
from igny8.planner.models import Keyword
from igny8.publishing.models import ContentRevision, PublishRecord, PublishSchedule, SitemapPage, SitePage
from igny8.writer.models import Content


@dataclass(frozen=True)
class ContentKeywords:
    primary: str
    secondary: list[str]
    target_words: int


CLUSTER_KEYWORDS = 6


def content_keywords(
    *, content: Content, cluster_keywords: dict[int, list[str]] | None = None
) -> ContentKeywords:
    """The keywords an article targets: its idea's, else its task's list, else its cluster's
    biggest keywords; the length target is the task's. `cluster_keywords` (cluster id -> its
    biggest keywords, from clusters_top_keywords) saves the query when many articles are read."""
    task = content.task
    idea = task.idea if task else None
    target = task.word_count_target if task else 1500
    if idea and idea.primary_keyword:
        return ContentKeywords(
            idea.primary_keyword, [k for k in idea.secondary_keywords if isinstance(k, str)], target
        )
    if task and task.keywords:
        words = [k for k in task.keywords if isinstance(k, str) and k.strip()]
        if words:
            return ContentKeywords(words[0], words[1:], target)
    cluster = task.cluster if task else None
    if cluster is not None:
        if cluster_keywords is not None:
            words = cluster_keywords.get(cluster.pk, [])
        else:
            words = list(
                Keyword.objects.filter(cluster=cluster)
                .order_by("-volume", "id")
                .values_list("keyword", flat=True)[:CLUSTER_KEYWORDS]
            )
        if words:
            return ContentKeywords(words[0], words[1:], target)
    return ContentKeywords("", [], target)


def clusters_top_keywords(*, cluster_ids: set[int]) -> dict[int, list[str]]:
    """Each cluster's biggest keywords (as content_keywords falls back to), in one query."""
    found: dict[int, list[str]] = {pk: [] for pk in cluster_ids}
    rows = (
        Keyword.objects.filter(cluster_id__in=cluster_ids)
        .order_by("cluster_id", "-volume", "id")
        .values_list("cluster_id", "keyword")
    )
    for cluster_id, keyword in rows:
        if len(found[cluster_id]) < CLUSTER_KEYWORDS:
            found[cluster_id].append(keyword)
    return found


def content_cluster_id(*, content: Content) -> int | None:
    task = content.task
    if task is None:
        return None
    return task.cluster_id or (task.idea.cluster_id if task.idea else None)


def record_list(*, account: Account) -> QuerySet[PublishRecord]:
    return (
        PublishRecord.objects.filter(account=account).select_related("content").order_by("-updated_at", "-id")
    )


def record_for(*, content: Content) -> PublishRecord | None:
    return PublishRecord.objects.filter(content=content, destination="wordpress").first()


def revision_list(*, account: Account) -> QuerySet[ContentRevision]:
    return ContentRevision.objects.filter(account=account).order_by("-created_at", "-id")


def schedule_for(*, site: Site) -> PublishSchedule:
    """The site's schedule, or an unsaved default (slots 09:00 and 15:00, 3 a day, UTC)."""
    found = PublishSchedule.objects.filter(site=site).first()
    return found or PublishSchedule(account=site.account, site=site, slots=["09:00", "15:00"], daily_cap=3)


def page_list(*, account: Account) -> QuerySet[SitePage]:
    return (
        SitePage.objects.filter(account=account)
        .select_related("parent", "content")
        .order_by("site_id", "position", "id")
    )


def contents_in_site(*, site: Site) -> QuerySet[Content]:
    return Content.objects.filter(site=site).select_related("task", "task__idea", "task__cluster")


def sitemap_pages(*, site: Site) -> QuerySet[SitemapPage]:
    return SitemapPage.objects.filter(site=site).order_by("url")


def link_candidates(*, site: Site) -> QuerySet[Content]:
    """The site's articles with only what the linker reads (no bodies): it reads them all on every
    pause in the editor's typing."""
    return contents_in_site(site=site).only(
        "pk",
        "site_id",
        "title",
        "external_url",
        "task__keywords",
        "task__word_count_target",
        "task__cluster_id",
        "task__idea_id",
        "task__cluster__name",
        "task__idea__primary_keyword",
        "task__idea__secondary_keywords",
        "task__idea__cluster_id",
    )
