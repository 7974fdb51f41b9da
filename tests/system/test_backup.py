"""`igny8 backup` / `igny8 restore` (core/backup.py): a round trip gives back the same rows, the same
files and secrets that still decrypt; what cannot be restored safely is refused before any change.
The suite runs on SQLite and on PostgreSQL (make test), so both round trips are covered."""

import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from igny8.accounts.models import Site, User
from igny8.core import backup, crypto
from igny8.planner.models import Keyword
from igny8.system.models import IntegrationSettings
from igny8.writer.models import Content, Image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_key(settings, tmp_path):
    """Each test has its own key file (as a machine has), created on first use."""
    settings.ENCRYPTION_KEYS = []
    settings.ENCRYPTION_KEY_FILE = tmp_path / "var" / "encryption.key"
    settings.ENCRYPTION_KEY_FILE.parent.mkdir()
    crypto._cipher.cache_clear()
    yield
    crypto._cipher.cache_clear()


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> dict:
    """Every row as Python values (encrypted columns decrypted), plus every stored ciphertext."""
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in backup.backed_up_models()
    }
    return {"rows": rows, "secrets": backup.stored_secrets()}


def workspace(alice, charlie) -> dict[str, bytes]:
    IntegrationSettings.objects.create(
        account=alice.account,
        integration_type="openai",
        config={"model": "gpt-5.4"},
        secrets={"apiKey": "sk-a1"},
    )
    Site.objects.filter(pk=charlie.site.pk).update(wp_url="https://wp.example")
    site = Site.objects.get(pk=charlie.site.pk)
    site.wp_secrets = {"app_password": "abcd efgh"}
    site.save()
    Keyword.objects.create(
        account=alice.account, site=alice.site, keyword="moka pot", normalized="moka pot", volume=900
    )
    Keyword.objects.filter(keyword="moka pot").update(
        created_at=datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)  # microseconds survive
    )
    content = Content.objects.create(account=alice.account, site=alice.site, title="Moka pot")
    image = Image.objects.create(account=alice.account, site=alice.site, content=content, prompt="A pot")
    image.file.save("pot.webp", ContentFile(b"RIFF\x00\x01webp-bytes"))
    default_storage.save(f"ai-tests/{alice.account.pk}/probe.png", ContentFile(b"\x89PNG\r\n"))
    return {
        name: default_storage.open(name).read()
        for name in (image.file.name, f"ai-tests/{alice.account.pk}/probe.png")
    }


# Real transactions: the backup's own (PostgreSQL: one REPEATABLE READ snapshot) and the restore's.
@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_identical_rows_files_and_secrets(alice, charlie, settings, tmp_path):
    files = workspace(alice, charlie)
    before = snapshot()
    old_key = settings.ENCRYPTION_KEY_FILE.read_text()
    target = tmp_path / "backup"

    out, err = run("backup", str(target))
    rows = sum(len(found) for found in before["rows"].values())
    assert out == f"Backed up {rows} rows, 2 media files and 2 encrypted values to {target}.\n"
    assert err == "Warning: " + backup.KEY_WARNING.format(path=target / "encryption.key") + "\n"
    assert (target / "encryption.key").read_text() == old_key.strip() + "\n"
    assert (target / "encryption.key").stat().st_mode & 0o777 == 0o600
    dump = (target / "database.json").read_text()
    assert "sk-a1" not in dump and "abcd efgh" not in dump  # the dump alone reveals no secret
    manifest = json.loads((target / "manifest.json").read_text())
    assert sorted(manifest["media"]) == sorted(files)

    # A new machine: empty database and media folder, no key yet.
    call_command("flush", interactive=False, verbosity=0)
    for name in files:
        default_storage.delete(name)
    settings.ENCRYPTION_KEY_FILE = tmp_path / "new-var" / "encryption.key"
    settings.ENCRYPTION_KEY_FILE.parent.mkdir()
    crypto._cipher.cache_clear()
    assert User.objects.count() == 0

    out, _ = run("restore", str(target))
    assert out == (
        f"Restored {rows} rows and 2 media files from {target}; 2 encrypted values decrypt.\n"
        f"Installed the backup's encryption key at {settings.ENCRYPTION_KEY_FILE}.\n"
    )
    assert snapshot() == before
    assert {name: default_storage.open(name).read() for name in files} == files
    assert IntegrationSettings.objects.get().secrets == {"apiKey": "sk-a1"}
    assert Site.objects.get(pk=charlie.site.pk).wp_secrets == {"app_password": "abcd efgh"}
    assert Keyword.objects.get(keyword="moka pot").created_at.microsecond == 123456
    # Sequences continue after the restored ids (PostgreSQL's must be reset by the restore).
    assert User.objects.create(email="later@example.com").pk > charlie.user.pk
    assert User.objects.get(email="alice@example.com").check_password("correct-horse-battery")


def test_restore_refuses_what_it_cannot_do_safely(alice, charlie, settings, tmp_path):
    workspace(alice, charlie)
    target = tmp_path / "backup"
    run("backup", str(target), "--key-file", str(tmp_path / "safe" / "backup.key"))
    assert not (target / "encryption.key").exists()
    with pytest.raises(
        CommandError, match=r"^.* is not an empty folder: choose a new one for each backup\.$"
    ):
        run("backup", str(target))

    with pytest.raises(CommandError) as refused:
        run("restore", str(target))
    assert str(refused.value) == (
        "This installation already holds data (accounts.user, accounts.account, MEDIA_ROOT): restore into "
        "an empty one, or pass --force to replace everything in it."
    )

    # A key that decrypts nothing of the backup is refused before anything changes.
    wrong = tmp_path / "wrong.key"
    wrong.write_text(Fernet.generate_key().decode())
    with pytest.raises(CommandError) as refused:
        run("restore", str(target), "--force", "--key-file", str(wrong))
    assert str(refused.value) == (
        f"The key {wrong} cannot decrypt this backup's stored secrets: pass the backup's own "
        "encryption.key with --key-file."
    )
    Keyword.objects.create(
        account=alice.account, site=alice.site, keyword="added after the backup", normalized="added"
    )

    # A media file changed since the backup is refused too.
    media = next((target / "media").rglob("probe.png"))
    media.write_bytes(b"tampered")
    with pytest.raises(CommandError, match=r"^media/ai-tests/\d+/probe\.png is missing or changed since"):
        run("restore", str(target), "--force", "--key-file", str(tmp_path / "safe" / "backup.key"))
    assert Keyword.objects.filter(keyword="added after the backup").exists()

    media.write_bytes(b"\x89PNG\r\n")
    out, _ = run("restore", str(target), "--force", "--key-file", str(tmp_path / "safe" / "backup.key"))
    assert out.startswith("Restored ") and "2 encrypted values decrypt" in out
    assert not Keyword.objects.filter(keyword="added after the backup").exists()
    assert Keyword.objects.get().keyword == "moka pot"

    with pytest.raises(CommandError, match=r"^\S+ holds no manifest\.json: not an IGNY8 backup, or one"):
        run("restore", str(tmp_path))


def test_a_backup_from_a_newer_version_is_refused(db, tmp_path):
    target = tmp_path / "backup"
    run("backup", str(target))
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["migrations"]["accounts"].append("9999_from_the_future")
    Path(target / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError) as refused:
        run("restore", str(target))
    assert str(refused.value) == (
        "This backup comes from a newer IGNY8 (unknown migrations: accounts.9999_from_the_future): "
        "upgrade IGNY8 first, then restore."
    )
