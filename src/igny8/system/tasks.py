"""Periodic housekeeping run by the worker."""

from celery import shared_task

from igny8.system import provider_checks
from igny8.system.health import record_heartbeat as _record


@shared_task(name="igny8.system.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat(worker: str | None = None) -> None:
    _record(worker=worker or record_heartbeat.request.hostname)


@shared_task(name="igny8.system.tasks.run_provider_check", ignore_result=True, acks_late=True)
def run_provider_check(check_id: int) -> str | None:
    return provider_checks.check_run(check_id=check_id)


@shared_task(name="igny8.system.tasks.sweep_provider_checks", ignore_result=True)
def sweep_provider_checks() -> dict:
    return provider_checks.checks_sweep()
