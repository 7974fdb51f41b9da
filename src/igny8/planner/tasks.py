"""Celery entry points of the planner, thin: a service does the work, safe to run twice."""

from celery import shared_task

from igny8.planner import embedding_cache


@shared_task(name="igny8.planner.tasks.prune_embeddings", ignore_result=True)
def prune_embeddings() -> int:
    """Hourly (beat): the embedding table keeps only what some keyword, idea or article needs."""
    return embedding_cache.prune().deleted
