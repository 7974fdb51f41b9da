"""A worker reports itself the moment it is ready, so /healthz need not wait for beat."""

from celery.signals import worker_ready


@worker_ready.connect
def _worker_ready(sender=None, **kwargs):
    from igny8.system.health import record_heartbeat

    record_heartbeat(worker=getattr(sender, "hostname", None))
