"""Writes for keywords, clusters and ideas."""

from django.db import transaction

from igny8.accounts.models import Account
from igny8.core.errors import Conflict, PlanLimit
from igny8.core.text import clean_keyword, normalize_keyword
from igny8.planner.clustering.intent import classify_intent
from igny8.planner.models import ContentIdea, IdeaStatus, Keyword
from igny8.writer.models import Task


def _keyword_fields(data: dict) -> dict:
    if "keyword" in data:
        data["keyword"] = clean_keyword(data["keyword"])
        data["normalized"] = normalize_keyword(data["keyword"])
    return data


def _with_intent(data: dict) -> dict:
    """A keyword created without an intent gets the one its words say (clustering.intent)."""
    if not data.get("intent") and data.get("keyword"):
        data["intent"] = classify_intent(data["keyword"])
    return data


def _refuse_duplicate(*, site_id: int, normalized: str, exclude_pk: int | None = None) -> None:
    clash = Keyword.objects.filter(site_id=site_id, normalized=normalized).exclude(pk=exclude_pk)
    if clash.exists():
        raise Conflict("This keyword already exists in the site.", field="keyword")


@transaction.atomic
def keyword_create(*, account: Account, **data) -> Keyword:
    data = _with_intent(_keyword_fields(data))
    if Keyword.objects.filter(account=account).count() >= account.plan.max_keywords:
        raise PlanLimit(f"Your plan allows {account.plan.max_keywords} keywords.")
    _refuse_duplicate(site_id=data["site"].pk, normalized=data["normalized"])
    return Keyword.objects.create(account=account, **data)


@transaction.atomic
def keyword_update(*, instance: Keyword, **data) -> Keyword:
    data = _keyword_fields(data)
    if "normalized" in data:
        _refuse_duplicate(site_id=instance.site_id, normalized=data["normalized"], exclude_pk=instance.pk)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.save()
    return instance


def task_fields_from_idea(idea: ContentIdea) -> dict:
    keywords = (
        [idea.primary_keyword, *idea.secondary_keywords]
        if idea.primary_keyword
        else list(idea.secondary_keywords)
    )
    return {
        "account_id": idea.account_id,
        "site_id": idea.site_id,
        "sector_id": idea.sector_id,
        "idea": idea,
        "cluster_id": idea.cluster_id,
        "title": idea.title,
        "brief": idea.description,
        "keywords": keywords,
        "content_type": idea.content_type,
        "content_structure": idea.content_structure,
        "word_count_target": idea.estimated_word_count,
    }


@transaction.atomic
def ideas_queue_to_writer(*, ideas: list[ContentIdea]) -> dict:
    """One writer task per new idea, in bulk; ideas already queued are reported, not doubled."""
    fresh = [idea for idea in ideas if idea.status == IdeaStatus.NEW]
    tasks = Task.objects.bulk_create([Task(**task_fields_from_idea(idea)) for idea in fresh])
    ContentIdea.objects.filter(pk__in=[idea.pk for idea in fresh]).update(status=IdeaStatus.QUEUED)
    return {
        "queued": len(tasks),
        "task_ids": [task.pk for task in tasks] if all(t.pk for t in tasks) else [],
        "skipped": [
            {"id": idea.pk, "reason": f"idea is {idea.status}"} for idea in ideas if idea not in fresh
        ],
    }
