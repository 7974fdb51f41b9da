"""Reads only the web pages need: the dashboard's counts per pipeline stage, in one query per model."""

from __future__ import annotations

from django.db.models import Count, Q

from igny8.accounts.models import Site
from igny8.planner.models import Cluster, ContentIdea, IdeaStatus, Keyword, KeywordStatus
from igny8.writer.models import Content, ContentStatus, Image, ImageStatus, Task, TaskStatus


def _by_status(model, *, site: Site, choices) -> dict[str, int]:
    counts = model.objects.filter(site=site).aggregate(
        total=Count("id"), **{value: Count("id", filter=Q(status=value)) for value in choices.values}
    )
    return counts


def pipeline_counts(*, site: Site | None) -> dict:
    if site is None:
        return {}
    return {
        "keywords": _by_status(Keyword, site=site, choices=KeywordStatus),
        "clusters": Cluster.objects.filter(site=site).count(),
        "ideas": _by_status(ContentIdea, site=site, choices=IdeaStatus),
        "tasks": _by_status(Task, site=site, choices=TaskStatus),
        "content": _by_status(Content, site=site, choices=ContentStatus),
        "images": _by_status(Image, site=site, choices=ImageStatus),
    }
