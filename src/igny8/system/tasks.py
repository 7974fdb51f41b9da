"""Periodic housekeeping run by the worker."""

from celery import shared_task

from igny8.system.health import record_heartbeat as _record


@shared_task(name="igny8.system.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat(worker: str | None = None) -> None:
    _record(worker=worker or record_heartbeat.request.hostname)
