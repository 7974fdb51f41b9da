"""`igny8 doctor` (core/doctor.py): one line per check with the fix; a failed check makes the command
fail naming every failed check; a warning does not. Doctor creates nothing it finds missing."""

from collections import namedtuple
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from igny8.config.celery import app
from igny8.core import crypto, doctor
from igny8.system.models import IntegrationSettings, WorkerHeartbeat

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
Usage = namedtuple("Usage", "total used free")
GIB = 1024**3


@pytest.fixture(autouse=True)
def machine(settings, tmp_path, monkeypatch):
    """A var folder, key file, media folder and disk of the test's own; no provider key."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    settings.ENCRYPTION_KEYS = []
    settings.ENCRYPTION_KEY_FILE = settings.VAR_DIR / "encryption.key"
    settings.OPENAI_API_KEY = settings.RUNWARE_API_KEY = settings.OPENAI_MODEL = ""
    settings.MEDIA_ROOT = settings.VAR_DIR / "media"
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda path: Usage(100 * GIB, 90 * GIB, 10 * GIB))
    crypto._cipher.cache_clear()
    yield
    crypto._cipher.cache_clear()


def doctor_output(*args) -> tuple[list[str], str | None]:
    out = StringIO()
    try:
        call_command("doctor", *args, stdout=out)
    except CommandError as error:
        return out.getvalue().splitlines(), str(error)
    return out.getvalue().splitlines(), None


def database_line() -> str:
    where = connection.settings_dict["NAME"] if connection.vendor == "sqlite" else "postgresql"
    return f"ok    database: {where} answers; every migration is applied."


def running(*, worker_ago: int = 5, beat_ago: int = 40) -> None:
    WorkerHeartbeat.objects.create(worker="celery@box", last_seen_at=NOW - timedelta(seconds=worker_ago))
    every = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="worker-heartbeat",
        task="igny8.system.tasks.record_heartbeat",
        interval=every,
        last_run_at=NOW - timedelta(seconds=beat_ago),
    )


def test_a_healthy_installation_passes_every_check(alice, settings):
    running()
    IntegrationSettings.objects.create(
        account=alice.account, integration_type="openai", secrets={"apiKey": "sk-1"}
    )
    settings.MEDIA_ROOT.mkdir()
    with time_machine.travel(NOW, tick=False):
        lines, failed = doctor_output()
    assert failed is None
    assert lines == [
        database_line(),
        "ok    broker: filesystem answers.",
        "ok    worker: celery@box last reported 5 s ago.",
        "ok    scheduler: beat last ran 5 s ago.",  # the heartbeat beat sent, newer than last_run_at
        f"ok    encryption key: {settings.ENCRYPTION_KEY_FILE}; 1 stored secret(s) decrypt.",
        "ok    provider keys: server: none; 1 account key(s).",
        "ok    AI models: no configured model is shut down or shutting down within 30 days.",
        f"ok    media folder: {settings.MEDIA_ROOT} is writable.",
        f"ok    free disk: 10.0 GiB free at {settings.VAR_DIR}.",
    ]
    assert list(settings.MEDIA_ROOT.iterdir()) == []  # the write probe leaves nothing behind


def test_a_fresh_installation_says_what_to_start_and_creates_nothing(db, settings):
    lines, failed = doctor_output()
    assert lines[1:] == [
        "ok    broker: filesystem answers.",
        "FAIL  worker: no worker has reported yet. Fix: start `igny8 worker` (make run starts one); runs "
        "wait in the queue until a worker takes them.",
        "FAIL  scheduler: beat has never run. Fix: start exactly one `igny8 beat` (make run starts it): it "
        "sends heartbeats and scheduled runs.",
        f"ok    encryption key: none yet: {settings.ENCRYPTION_KEY_FILE} is made when the first secret is "
        "saved.",
        "warn  provider keys: no key on the server or in any account: every run uses the offline provider "
        "(placeholders). Fix: set OPENAI_API_KEY in .env, or add a key in Settings > Integrations.",
        "ok    AI models: no configured model is shut down or shutting down within 30 days.",
        f"ok    media folder: {settings.MEDIA_ROOT} will be created with the first file.",
        f"ok    free disk: 10.0 GiB free at {settings.VAR_DIR}.",
    ]
    assert failed == "2 check(s) failed (worker, scheduler): each FAIL line above says how to fix it."
    assert not settings.ENCRYPTION_KEY_FILE.exists() and not settings.MEDIA_ROOT.exists()


def test_each_failure_names_its_fix(alice, settings, monkeypatch):
    running(worker_ago=900, beat_ago=3600)
    settings.OPENAI_API_KEY = "sk-server"
    settings.SHARE_SERVER_KEYS = False
    IntegrationSettings.objects.create(
        account=alice.account, integration_type="openai", secrets={"apiKey": "sk-1"}
    )
    settings.ENCRYPTION_KEY_FILE.write_text(Fernet.generate_key().decode())  # not the key it was made with
    settings.ENCRYPTION_KEY_FILE.chmod(0o644)
    settings.MEDIA_ROOT.write_text("a file where the folder should be")
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda path: Usage(100 * GIB, 99 * GIB, GIB // 4))
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    with time_machine.travel(NOW, tick=False):
        lines, failed = doctor_output("--only", "broker", "worker", "scheduler", "encryption", "providers")
        media, _ = doctor_output("--only", "media", "disk")
    assert lines[0].startswith("FAIL  broker: ") and " does not answer (Error 111 " in lines[0]
    assert lines[0].endswith(
        "Fix: check CELERY_BROKER_URL in .env and that the broker (e.g. Redis) is running."
    )
    key = settings.ENCRYPTION_KEY_FILE
    assert lines[1:] == [
        "FAIL  worker: celery@box last reported 900 s ago (more than WORKER_HEARTBEAT_STALE_SECONDS=120). "
        "Fix: start `igny8 worker` (make run starts one); runs wait in the queue until a worker takes them.",
        "FAIL  scheduler: beat last ran 15 min ago. Fix: start exactly one `igny8 beat` (make run starts "
        "it): it sends heartbeats and scheduled runs.",
        f"FAIL  encryption key: 1 of 1 stored secret(s) do not decrypt with {key}. Fix: put back the key "
        f"they were encrypted with (your backup's encryption.key) as {key}, or list it in "
        "IGNY8_ENCRYPTION_KEYS (newest first).",
        f"warn  encryption key: {key} can be read by other users of this machine. Fix: chmod 600 {key}",
        "ok    provider keys: server: OpenAI (not shared with accounts: IGNY8_SHARE_SERVER_KEYS); "
        "0 account key(s).",
    ]
    assert failed == (
        "4 check(s) failed (broker, worker, scheduler, encryption key): each FAIL line above says how to "
        "fix it."
    )
    fix = f"make {settings.MEDIA_ROOT} a folder the IGNY8 user can write (or point MEDIA_ROOT at one)."
    assert media == [
        f"FAIL  media folder: {settings.MEDIA_ROOT} is not a folder. Fix: {fix}",
        f"FAIL  free disk: 0.2 GiB free at {settings.VAR_DIR}. Fix: free space on the disk of "
        f"{settings.VAR_DIR} (old backups, logs), or move var to a larger one.",
    ]


def test_secrets_without_any_key_fail_and_a_low_disk_warns(alice, settings, monkeypatch):
    IntegrationSettings.objects.create(
        account=alice.account, integration_type="openai", secrets={"apiKey": "sk-1"}
    )
    settings.ENCRYPTION_KEY_FILE.unlink()
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda path: Usage(100 * GIB, 99 * GIB, GIB))
    lines, failed = doctor_output("--only", "encryption", "disk")
    assert lines == [
        f"FAIL  encryption key: 1 stored secret(s) but no key ({settings.ENCRYPTION_KEY_FILE} is "
        "missing). Fix: put back the key they were encrypted with (your backup's encryption.key) as "
        f"{settings.ENCRYPTION_KEY_FILE}, or list it in IGNY8_ENCRYPTION_KEYS (newest first).",
        f"warn  free disk: 1.0 GiB free at {settings.VAR_DIR}. Fix: free space on the disk of "
        f"{settings.VAR_DIR} (old backups, logs), or move var to a larger one.",
    ]
    assert failed == "1 check(s) failed (encryption key): each FAIL line above says how to fix it."


def test_checks_that_need_the_database_wait_for_it(db, monkeypatch):
    monkeypatch.setattr(doctor.health, "database_status", lambda: {"ok": False, "error": "refused"})
    lines, failed = doctor_output("--only", "database", "worker")
    assert lines[1] == "FAIL  worker: not checked: the database does not answer. Fix: fix it first."
    assert lines[0].endswith(
        "does not answer (refused). Fix: check DATABASE_URL in .env and that the database server is running."
    )
    assert failed == "2 check(s) failed (database, worker): each FAIL line above says how to fix it."


def test_a_fresh_heartbeat_proves_the_scheduler_before_beat_saves_its_runs(db):
    """Beat writes last_run_at every few minutes; the heartbeat only it sends is the newer proof."""
    from django.utils import timezone

    from igny8.core import doctor
    from igny8.system.models import WorkerHeartbeat

    (never,) = doctor.check_scheduler()
    assert never.message == "beat has never run."
    WorkerHeartbeat.objects.create(worker="celery@host", last_seen_at=timezone.now())
    (check,) = doctor.check_scheduler()
    assert (check.status, check.message.startswith("beat last ran ")) == (doctor.OK, True)
