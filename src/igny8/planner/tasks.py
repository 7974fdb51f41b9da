"""The planner's Celery entry points, thin: ids in, a service does the work; safe to run twice."""

from celery import shared_task

from igny8.planner import embedding_cache, import_jobs


@shared_task(name="igny8.planner.tasks.run_keyword_import", ignore_result=True, acks_late=True)
def run_keyword_import(import_id: int) -> str | None:
    return import_jobs.import_run(import_id=import_id)


@shared_task(name="igny8.planner.tasks.sweep_keyword_imports", ignore_result=True)
def sweep_keyword_imports() -> dict:
    return import_jobs.imports_sweep()


@shared_task(name="igny8.planner.tasks.prune_embeddings", ignore_result=True)
def prune_embeddings() -> int:
    """Hourly (beat): the embedding table keeps only what some keyword, idea or article needs."""
    return embedding_cache.prune().deleted
