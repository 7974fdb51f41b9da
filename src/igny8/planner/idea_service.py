"""Saving the ideas generated for one cluster: the whole idea (outline included), keywords held to
the cluster's own, and titles the site already has skipped and reported."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction

from igny8.core.text import normalize_keyword
from igny8.planner.models import Cluster, ClusterStatus, ContentIdea, Keyword
from igny8.writer.models import Task

MAX_IDEAS = 7
MIN_WORDS, MAX_WORDS = 300, 10_000
_NOT_WORD = re.compile(r"[^\w]+")


def normalize_title(title: str) -> str:
    """Two titles are the same idea when they differ only in case, punctuation and spacing."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class IdeaDraft:
    """One idea as the model (or the offline drafter) proposed it; see planner/ai/auto_generate_ideas."""

    title: str
    description: str
    outline: list[dict]
    primary_keyword: str
    secondary_keywords: list[str]
    content_type: str
    content_structure: str
    estimated_word_count: int


def cluster_keywords(*, cluster: Cluster) -> list[Keyword]:
    """The cluster's keywords, biggest first: the order prompts and drafts list them in."""
    return list(Keyword.objects.filter(cluster=cluster).order_by("-volume", "keyword"))


def site_titles(*, site_id: int) -> set[str]:
    titles = ContentIdea.objects.filter(site_id=site_id).values_list("title", flat=True)
    task_titles = Task.objects.filter(site_id=site_id).values_list("title", flat=True)
    return {normalize_title(t) for t in [*titles, *task_titles]}


def _own_keywords(draft: IdeaDraft, keywords: list[Keyword]) -> tuple[str, list[str]]:
    """Primary and secondary keywords restricted to the cluster's (the model may invent some);
    a primary that is not the cluster's becomes its top keyword."""
    by_norm = {k.normalized: k.keyword for k in keywords}
    primary = by_norm.get(normalize_keyword(draft.primary_keyword)) or (
        keywords[0].keyword if keywords else ""
    )
    secondary: list[str] = []
    for text in draft.secondary_keywords:
        own = by_norm.get(normalize_keyword(text))
        if own and own != primary and own not in secondary:
            secondary.append(own)
    return primary, secondary


@transaction.atomic
def ideas_save_for_cluster(*, cluster: Cluster, drafts: list[IdeaDraft]) -> dict:
    """Creates up to MAX_IDEAS ideas; a title the site already has (or one repeated within the
    answer) is skipped and listed. The cluster becomes active once it has ideas."""
    keywords = cluster_keywords(cluster=cluster)
    seen = site_titles(site_id=cluster.site_id)
    rows: list[ContentIdea] = []
    skipped: list[str] = []
    for draft in drafts[:MAX_IDEAS]:
        key = normalize_title(draft.title)
        if not key or key in seen:
            skipped.append(draft.title)
            continue
        seen.add(key)
        primary, secondary = _own_keywords(draft, keywords)
        rows.append(
            ContentIdea(
                account_id=cluster.account_id,
                site_id=cluster.site_id,
                sector_id=cluster.sector_id,
                cluster=cluster,
                title=draft.title.strip()[:255],
                description=draft.description.strip(),
                outline=draft.outline,
                primary_keyword=primary,
                secondary_keywords=secondary,
                content_type=draft.content_type,
                content_structure=draft.content_structure,
                estimated_word_count=min(max(draft.estimated_word_count, MIN_WORDS), MAX_WORDS),
            )
        )
    created = ContentIdea.objects.bulk_create(rows)
    if created:
        Cluster.objects.filter(pk=cluster.pk, status=ClusterStatus.NEW).update(status=ClusterStatus.ACTIVE)
    return {
        "cluster": cluster.name,
        "created": len(created),
        "idea_ids": [idea.pk for idea in created if idea.pk],
        "skipped_duplicates": skipped,
    }
