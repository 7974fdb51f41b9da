"""The operator's checks behind `igny8 doctor`: one Check per moving part, each with the fix.

Reads only: a check never creates what it finds missing (not even the encryption key file that
crypto.py would make at first use), so running doctor changes nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.utils import timezone

from igny8.system import health

OK, WARN, FAIL = "ok", "warn", "FAIL"
# DatabaseScheduler writes last_run_at when it syncs (every 3 minutes) and the shortest schedule
# is 30 s: ten quiet minutes mean no scheduler is running.
SCHEDULER_STALE = timedelta(minutes=10)
DISK_FAIL_BYTES = 512 * 1024**2
DISK_WARN_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    message: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.status:<4}  {self.name}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix and self.status != OK else text


def _gib(size: int) -> str:
    return f"{size / 1024**3:.1f} GiB"


def check_database() -> list[Check]:
    status = health.database_status()
    where = connection.settings_dict["NAME"] if connection.vendor == "sqlite" else connection.vendor
    if not status["ok"]:
        fix = "check DATABASE_URL in .env and that the database server is running."
        return [Check("database", FAIL, f"{where} does not answer ({status['error'].rstrip('.')}).", fix)]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        message = f"{where} answers, but {len(pending)} migration(s) are not applied."
        return [Check("database", FAIL, message, "run `igny8 migrate`.")]
    return [Check("database", OK, f"{where} answers; every migration is applied.")]


def check_broker() -> list[Check]:
    status = health.broker_status()
    if status["ok"]:
        return [Check("broker", OK, f"{status['transport']} answers.")]
    fix = "check CELERY_BROKER_URL in .env and that the broker (e.g. Redis) is running."
    return [
        Check("broker", FAIL, f"{status['transport']} does not answer ({status['error'].rstrip('.')}).", fix)
    ]


def check_worker() -> list[Check]:
    status = health.worker_status()
    fix = "start `igny8 worker` (make run starts one); runs wait in the queue until a worker takes them."
    if "seconds_ago" not in status:
        return [Check("worker", FAIL, "no worker has reported yet.", fix)]
    heard = f"{status['worker']} last reported {int(status['seconds_ago'])} s ago"
    if not status["ok"]:
        limit = settings.WORKER_HEARTBEAT_STALE_SECONDS
        return [Check("worker", FAIL, f"{heard} (more than WORKER_HEARTBEAT_STALE_SECONDS={limit}).", fix)]
    return [Check("worker", OK, f"{heard}.")]


def check_scheduler() -> list[Check]:
    from django_celery_beat.models import PeriodicTask

    from igny8.system.models import WorkerHeartbeat

    fix = "start exactly one `igny8 beat` (make run starts it): it sends heartbeats and scheduled runs."
    # Beat saves last_run_at only every few minutes, but only beat sends the heartbeat task: a
    # fresh heartbeat is the newest proof that it runs.
    seen = [
        PeriodicTask.objects.filter(enabled=True).aggregate(last=Max("last_run_at"))["last"],
        WorkerHeartbeat.objects.aggregate(last=Max("last_seen_at"))["last"],
    ]
    last = max((when for when in seen if when is not None), default=None)
    if last is None:
        return [Check("scheduler", FAIL, "beat has never run.", fix)]
    age = timezone.now() - last
    if age > SCHEDULER_STALE:
        return [Check("scheduler", FAIL, f"beat last ran {int(age.total_seconds() // 60)} min ago.", fix)]
    return [Check("scheduler", OK, f"beat last ran {int(age.total_seconds())} s ago.")]


def _configured_keys() -> tuple[list[str], str]:
    if settings.ENCRYPTION_KEYS:
        return list(settings.ENCRYPTION_KEYS), "IGNY8_ENCRYPTION_KEYS"
    key_file = Path(settings.ENCRYPTION_KEY_FILE)
    return ([key_file.read_text().strip()] if key_file.exists() else []), str(key_file)


def check_encryption() -> list[Check]:
    from igny8.core.backup import stored_secrets

    keys, source = _configured_keys()
    stored = stored_secrets()
    restore_fix = (
        "put back the key they were encrypted with (your backup's encryption.key) as "
        f"{settings.ENCRYPTION_KEY_FILE}, or list it in IGNY8_ENCRYPTION_KEYS (newest first)."
    )
    if not keys:
        if stored:
            message = f"{len(stored)} stored secret(s) but no key ({source} is missing)."
            return [Check("encryption key", FAIL, message, restore_fix)]
        return [Check("encryption key", OK, f"none yet: {source} is made when the first secret is saved.")]
    try:
        cipher = MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        fix = (
            "each key must be a Fernet key: 44 characters of URL-safe base64, as Fernet.generate_key() makes."
        )
        return [Check("encryption key", FAIL, f"{source} does not hold a valid Fernet key.", fix)]
    unreadable = 0
    for _label, _pk, token in stored:
        try:
            cipher.decrypt(token.encode())
        except InvalidToken:
            unreadable += 1
    found = []
    if unreadable:
        message = f"{unreadable} of {len(stored)} stored secret(s) do not decrypt with {source}."
        found.append(Check("encryption key", FAIL, message, restore_fix))
    else:
        found.append(Check("encryption key", OK, f"{source}; {len(stored)} stored secret(s) decrypt."))
    key_file = Path(settings.ENCRYPTION_KEY_FILE)
    if source == str(key_file) and key_file.stat().st_mode & 0o077:
        message = f"{key_file} can be read by other users of this machine."
        found.append(Check("encryption key", WARN, message, f"chmod 600 {key_file}"))
    return found


def check_providers(*, secrets_readable: bool) -> list[Check]:
    from igny8.ai.providers.registry import PROVIDERS
    from igny8.system.models import IntegrationSettings

    server = [
        info.display_name for info in PROVIDERS.values() if getattr(settings, info.key_setting or "", "")
    ]
    own = 0
    if secrets_readable:
        kinds = [name for name, info in PROVIDERS.items() if info.key_setting]
        rows = IntegrationSettings.objects.filter(integration_type__in=kinds, is_active=True)
        own = sum(1 for row in rows if row.secrets.get("apiKey"))
    if not server and not own:
        fix = "set OPENAI_API_KEY in .env, or add a key in Settings > Integrations."
        message = (
            "no key on the server or in any account: every run uses the offline provider (placeholders)."
        )
        return [Check("provider keys", WARN, message, fix)]
    shared = "" if settings.SHARE_SERVER_KEYS else " (not shared with accounts: IGNY8_SHARE_SERVER_KEYS)"
    names = ", ".join(server) or "none"
    return [Check("provider keys", OK, f"server: {names}{shared}; {own} account key(s).")]


def check_models() -> list[Check]:
    from igny8.ai import catalogue, selectors

    found = []
    for entry in selectors.configured_models():
        spec = catalogue.spec(entry["model"], kind=entry["kind"], provider=entry["provider"])
        warning = catalogue.lifecycle_warning(spec)
        if warning:
            found.append(Check("AI models", FAIL if spec.retired() else WARN, f"{entry['where']}: {warning}"))
    return found or [
        Check("AI models", OK, "no configured model is shut down or shutting down within 30 days.")
    ]


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_media() -> list[Check]:
    root = Path(settings.MEDIA_ROOT)
    fix = f"make {root} a folder the IGNY8 user can write (or point MEDIA_ROOT at one)."
    if root.exists() and not root.is_dir():
        return [Check("media folder", FAIL, f"{root} is not a folder.", fix)]
    if not root.exists():
        parent = _existing(root)
        if parent.is_dir() and os.access(parent, os.W_OK):
            return [Check("media folder", OK, f"{root} will be created with the first file.")]
        return [Check("media folder", FAIL, f"{root} is missing and cannot be created.", fix)]
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".doctor-"):
            pass
    except OSError as error:
        return [Check("media folder", FAIL, f"{root} is not writable ({error.strerror}).", fix)]
    return [Check("media folder", OK, f"{root} is writable.")]


def check_disk() -> list[Check]:
    found, seen = [], set()
    for label, path in (("var", Path(settings.VAR_DIR)), ("media", Path(settings.MEDIA_ROOT))):
        existing = _existing(path)
        device = existing.stat().st_dev
        if device in seen:
            continue
        seen.add(device)
        free = shutil.disk_usage(existing).free
        fix = f"free space on the disk of {existing} (old backups, logs), or move {label} to a larger one."
        if free < DISK_FAIL_BYTES:
            found.append(Check("free disk", FAIL, f"{_gib(free)} free at {existing}.", fix))
        elif free < DISK_WARN_BYTES:
            found.append(Check("free disk", WARN, f"{_gib(free)} free at {existing}.", fix))
        else:
            found.append(Check("free disk", OK, f"{_gib(free)} free at {existing}."))
    return found


def _providers() -> list[Check]:
    readable = all(check.status != FAIL for check in check_encryption())
    return check_providers(secrets_readable=readable)


# The names `igny8 doctor --only` accepts, in the order the lines are printed.
CHECKS: dict[str, Callable[[], list[Check]]] = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker,
    "scheduler": check_scheduler,
    "encryption": check_encryption,
    "providers": _providers,
    "models": check_models,
    "media": check_media,
    "disk": check_disk,
}
NEEDS_DATABASE = {"worker", "scheduler", "encryption", "providers", "models"}


def run_checks(*, only: list[str] | None = None) -> list[Check]:
    database_ok = health.database_status()["ok"]
    results: list[Check] = []
    for name, check in CHECKS.items():
        if only and name not in only:
            continue
        if name in NEEDS_DATABASE and not database_ok:
            results.append(Check(name, FAIL, "not checked: the database does not answer.", "fix it first."))
            continue
        try:
            results += check()
        except DatabaseError as error:  # e.g. a table missing before `igny8 migrate`
            results.append(Check(name, FAIL, f"could not be checked ({error}).", "run `igny8 migrate`."))
    return results
