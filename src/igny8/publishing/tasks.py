"""Celery entry points: thin, ids in, safe to run twice (a record is claimed before it is sent)."""

from celery import shared_task


@shared_task(name="igny8.publishing.tasks.publish_records", ignore_result=True, acks_late=True)
def publish_records(record_ids: list[int]) -> int:
    from igny8.publishing.services import records_publish

    return len(records_publish(record_ids=record_ids))


@shared_task(name="igny8.publishing.tasks.publish_due", ignore_result=True)
def publish_due() -> int:
    """Beat, every minute: scheduled publications whose time has come (and queued ones a lost
    broker message left behind are retried by the same claim)."""
    from igny8.publishing.scheduling import due_records
    from igny8.publishing.services import records_publish

    return len(records_publish(record_ids=due_records()))


@shared_task(name="igny8.publishing.tasks.run_sitemap_import", ignore_result=True, acks_late=True)
def run_sitemap_import(import_id: int) -> str | None:
    from igny8.publishing.sitemap_jobs import import_run

    return import_run(import_id=import_id)


@shared_task(name="igny8.publishing.tasks.sweep_sitemap_imports", ignore_result=True)
def sweep_sitemap_imports() -> dict:
    from igny8.publishing.sitemap_jobs import imports_sweep

    return imports_sweep()
