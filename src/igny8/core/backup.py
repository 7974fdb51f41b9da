"""Backups an operator can restore: the database's rows as portable JSON, the media files, and the
encryption key in a file of its own.

Layout of a backup folder (docs/operators.md, "Backups"):
- `database.json`: every row, through Django's serializers with natural foreign keys, so it loads
  into SQLite or PostgreSQL alike. Encrypted columns are written as their stored ciphertext, never
  decrypted: the dump alone reveals no API key.
- `media/`: a copy of MEDIA_ROOT.
- `encryption.key`: the Fernet key(s) that decrypt those columns (or wherever `key_file` says).
- `manifest.json`, written last: a folder without it is an unfinished backup. It holds the applied
  migrations, row counts and a SHA-256 of every media file, checked before anything is restored.

Content types, permissions and sessions are left out: `migrate` recreates the first two (the dump
refers to them by natural key) and sessions are signed with SECRET_KEY, which is not in a backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Cast
from django.utils import timezone

from igny8.core import crypto
from igny8.core.fields import EncryptedJSONField

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
MEDIA = "media"
KEY_FILE = "encryption.key"
# Rebuilt by `migrate` (contenttypes, permissions) or meaningless without SECRET_KEY (sessions).
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
RAW = "_igny8_raw_"  # prefix of the annotation that carries an encrypted column's stored text
KEY_WARNING = (
    "{path} decrypts every API key and password stored in IGNY8. Keep it apart from the backup (a "
    "password manager, another disk): whoever holds both reads every stored secret."
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class Summary:
    rows: int = 0
    files: int = 0
    secrets: int = 0
    key_path: Path | None = None
    notes: list[str] = field(default_factory=list)


# -- what is backed up ---------------------------------------------------------------------------
def backed_up_models() -> list[type[models.Model]]:
    """Every table's model, in an order where natural-key targets come before their users."""
    by_app: dict = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in SKIPPED:
            continue
        by_app.setdefault(meta.app_config, []).append(model)
    return serializers.sort_dependencies(list(by_app.items()), allow_cycles=True)


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedJSONField)]


def _queryset(model: type[models.Model]) -> models.QuerySet:
    """All rows in pk order, encrypted columns read as stored (so a wrong key cannot stop a backup)."""
    queryset = model._base_manager.order_by("pk")
    secret = encrypted_fields(model)
    if secret:
        raw = {RAW + f.name: Cast(f.name, output_field=models.TextField()) for f in secret}
        queryset = queryset.defer(*[f.name for f in secret]).annotate(**raw)
    return queryset


def stored_secrets() -> list[tuple[str, object, str]]:
    """(model label, pk, ciphertext) of every non-empty encrypted value in the database."""
    found = []
    for model in backed_up_models():
        for f in encrypted_fields(model):
            rows = model._base_manager.annotate(raw=Cast(f.name, output_field=models.TextField()))
            for pk, raw in rows.exclude(raw="").exclude(raw=None).values_list("pk", "raw"):
                found.append((model._meta.label, pk, raw))
    return found


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; a restore must give back the same values."""

    def default(self, o):
        if isinstance(o, datetime | date | time):
            return o.isoformat()
        return super().default(o)


class _Serializer(JSONSerializer):
    def handle_field(self, obj, field):
        if isinstance(field, EncryptedJSONField):
            self._current[field.name] = getattr(obj, RAW + field.name) or ""
        else:
            super().handle_field(obj, field)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def current_keys() -> list[str]:
    """The configured encryption keys, newest first; [] when none exists yet."""
    if settings.ENCRYPTION_KEYS:
        return list(settings.ENCRYPTION_KEYS)
    key_file = Path(settings.ENCRYPTION_KEY_FILE)
    return [key_file.read_text().strip()] if key_file.exists() else []


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


# -- backup --------------------------------------------------------------------------------------
def backup(*, target: Path, key_file: Path | None = None, with_key: bool = True) -> Summary:
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not an empty folder: choose a new one for each backup.")
    key_path = Path(key_file) if key_file else target / KEY_FILE
    if with_key and key_path.exists():
        raise BackupError(f"{key_path} already exists: choose another --key-file.")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.chmod(0o700)  # it holds password hashes and, by default, the key
    summary = Summary()
    counts: dict[str, int] = {}

    with transaction.atomic():
        _snapshot_isolation()
        chosen = backed_up_models()
        for model in chosen:
            counts[model._meta.label_lower] = model._base_manager.count()
        with (target / DATABASE).open("x", encoding="utf-8") as handle:
            os.chmod(target / DATABASE, 0o600)
            _Serializer().serialize(
                (obj for model in chosen for obj in _queryset(model).iterator(chunk_size=500)),
                stream=handle,
                use_natural_foreign_keys=True,
                cls=_Encoder,
            )
        migrations = _applied_migrations()
        summary.secrets = len(stored_secrets())
    summary.rows = sum(counts.values())

    media_root = Path(settings.MEDIA_ROOT)
    hashes = {}
    for source in _media_files(media_root):
        name = source.relative_to(media_root).as_posix()
        copy = target / MEDIA / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
        hashes[name] = _sha256(copy)
    summary.files = len(hashes)

    keys = current_keys()
    if with_key and keys:
        key_path.parent.mkdir(parents=True, exist_ok=True)
        _write_private(key_path, "\n".join(keys) + "\n")
        summary.key_path = key_path
    elif with_key:
        summary.notes.append("No encryption key exists yet (nothing has been encrypted): none written.")
    else:
        summary.notes.append(
            "No key written (--no-key): restoring the stored secrets needs the key you keep."
        )

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "migrations": migrations,
        "rows": counts,
        "encrypted_values": summary.secrets,
        "media": hashes,
        "key_written": summary.key_path is not None,
    }
    _write_private(target / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return summary


def _snapshot_isolation() -> None:
    """On PostgreSQL, one snapshot for every table (the default gives each query its own); SQLite's
    transaction already reads one state of the file."""
    if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


# -- restore -------------------------------------------------------------------------------------
def read_manifest(*, source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: not an IGNY8 backup, or one that did not finish.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path} is not readable JSON ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup format this IGNY8 reads (format {FORMAT}).")
    return manifest


def _check_schema(*, manifest: dict) -> None:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in loader.disk_migrations
    )
    if unknown:
        raise BackupError(
            f"This backup comes from a newer IGNY8 (unknown migrations: {', '.join(unknown[:3])}): "
            "upgrade IGNY8 first, then restore."
        )
    pending = set(loader.graph.leaf_nodes()) - set(loader.applied_migrations)
    if pending:
        raise BackupError("The database is not up to date: run `igny8 migrate`, then restore.")


def _check_media(*, source: Path, manifest: dict) -> list[tuple[str, Path]]:
    files = []
    for name, digest in sorted(manifest.get("media", {}).items()):
        parts = name.split("/")
        if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise BackupError(f"The manifest names a media file outside the media folder: {name!r}.")
        path = Path(source) / MEDIA / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"media/{name} is missing or changed since the backup was made.")
        files.append((name, path))
    return files


def occupied() -> list[str]:
    """What makes this installation not empty: users, accounts, media files. Rows that `migrate`
    itself writes (the shipped plans, for one) do not count; the restore replaces them all."""
    from igny8.accounts.models import Account, User

    found = [m._meta.label_lower for m in (User, Account) if m._base_manager.exists()]
    if _media_files(Path(settings.MEDIA_ROOT)):
        found.append("MEDIA_ROOT")
    return found


def _read_keys(path: Path) -> list[str]:
    keys = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    try:
        MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise BackupError(f"{path} does not hold Fernet keys ({error}).") from error
    if not keys:
        raise BackupError(f"{path} is empty.")
    return keys


def _keys_for(*, source: Path, key_file: Path | None, ciphertexts: list[str]) -> list[str] | None:
    """The keys to install under var/ (None: keep the configured ones), after checking that the keys
    in effect after the restore decrypt every stored value of the backup."""
    key_path = Path(key_file) if key_file else Path(source) / KEY_FILE
    if key_file and not key_path.is_file():
        raise BackupError(f"No such key file: {key_path}.")
    backup_keys = _read_keys(key_path) if key_path.is_file() else None
    from_env = bool(settings.ENCRYPTION_KEYS)
    keys = list(settings.ENCRYPTION_KEYS) if from_env else (backup_keys or current_keys())
    if ciphertexts:
        if not keys:
            raise BackupError(
                f"The backup holds {len(ciphertexts)} encrypted value(s) and no key: pass the backup's "
                "encryption.key with --key-file."
            )
        cipher = MultiFernet([Fernet(key.encode()) for key in keys])
        try:
            for token in ciphertexts:
                cipher.decrypt(token.encode())
        except InvalidToken as error:
            if from_env:
                raise BackupError(
                    "IGNY8_ENCRYPTION_KEYS cannot decrypt this backup's stored secrets: set it to the "
                    f"key in {key_path}, or unset it to use that file."
                ) from error
            raise BackupError(
                f"The key {key_path if backup_keys else settings.ENCRYPTION_KEY_FILE} cannot decrypt "
                "this backup's stored secrets: pass the backup's own encryption.key with --key-file."
            ) from error
    if from_env or backup_keys is None or backup_keys == current_keys():
        return None
    return backup_keys


def _tables(chosen: list[type[models.Model]]) -> list[str]:
    tables = []
    for model in chosen:
        tables.append(model._meta.db_table)
        for m2m in model._meta.local_many_to_many:
            if m2m.remote_field.through._meta.auto_created:
                tables.append(m2m.remote_field.through._meta.db_table)
    return tables


def _install_keys(keys: list[str], summary: Summary) -> None:
    key_file = Path(settings.ENCRYPTION_KEY_FILE)
    if key_file.exists():
        kept = key_file.with_name(f"{key_file.name}.replaced-{timezone.now():%Y%m%d%H%M%S}")
        key_file.rename(kept)
        summary.notes.append(f"The previous key was kept as {kept}.")
    _write_private(key_file, "\n".join(keys) + "\n")
    crypto._cipher.cache_clear()
    summary.key_path = key_file


def restore(*, source: Path, key_file: Path | None = None, force: bool = False) -> Summary:
    source = Path(source)
    manifest = read_manifest(source=source)
    _check_schema(manifest=manifest)
    media = _check_media(source=source, manifest=manifest)
    try:
        records = json.loads((source / DATABASE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{source / DATABASE} cannot be read ({error}).") from error
    if not isinstance(records, list):
        raise BackupError(f"{source / DATABASE} is not a list of rows.")
    secrets: list[tuple[type[models.Model], object, str, str]] = []
    for record in records:
        try:
            model = apps.get_model(record["model"])
        except (LookupError, KeyError, TypeError) as error:
            raise BackupError(f"{DATABASE} names a model this IGNY8 does not have: {error}.") from error
        for secret_field in encrypted_fields(model):
            raw = record.get("fields", {}).pop(secret_field.name, "")
            if raw:
                secrets.append((model, record["pk"], secret_field.name, raw))
    keys = _keys_for(source=source, key_file=key_file, ciphertexts=[raw for *_, raw in secrets])
    taken = occupied()
    if taken and not force:
        raise BackupError(
            f"This installation already holds data ({', '.join(taken)}): restore into an empty one, "
            "or pass --force to replace everything in it."
        )

    chosen = backed_up_models()
    tables = _tables(chosen)
    summary = Summary(rows=len(records), files=len(media), secrets=len(secrets))
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # TRUNCATE refuses tables with deferred foreign-key checks still pending in the
                # enclosing transaction (a caller's own writes): run those checks now.
                connection.check_constraints()
            connection.ops.execute_sql_flush(
                connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=False)
            )
            deferred = []
            for obj in serializers.deserialize("python", records, handle_forward_references=True):
                obj.save()
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields()
            connection.check_constraints(table_names=tables)
            for model, pk, name, raw in secrets:
                stored = models.Value(raw, output_field=models.TextField())
                model._base_manager.filter(pk=pk).update(**{name: stored})
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), chosen):
                    cursor.execute(statement)
    except (serializers.base.DeserializationError, IntegrityError) as error:
        raise BackupError(f"{DATABASE} could not be loaded, nothing was changed: {error}") from error

    media_root = Path(settings.MEDIA_ROOT)
    for name, path in media:
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    if keys is not None:
        _install_keys(keys, summary)
    for _label, _pk, raw in stored_secrets():
        crypto.decrypt(raw)  # the check above makes this pass; a failure here is a bug
    return summary
