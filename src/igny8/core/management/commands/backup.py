from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from igny8.core import backup


class Command(BaseCommand):
    help = (
        "Back up every row of the database (portable JSON: restores into SQLite or PostgreSQL), the "
        "media files, and the encryption key in a file of its own, into DIR, a new or empty folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="A new or empty folder for this backup.")
        parser.add_argument(
            "--key-file",
            type=Path,
            help="Write the encryption key here, not in DIR/encryption.key: keep it apart from the backup.",
        )
        parser.add_argument(
            "--no-key",
            action="store_true",
            help="Write no key (you keep IGNY8_ENCRYPTION_KEYS or var/encryption.key safe yourself).",
        )

    def handle(self, *args, dir: Path, key_file: Path | None, no_key: bool, **options):
        if key_file and no_key:
            raise CommandError("--key-file and --no-key contradict each other: choose one.")
        try:
            summary = backup.backup(target=dir, key_file=key_file, with_key=not no_key)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {summary.rows} rows, {summary.files} media files and "
            f"{summary.secrets} encrypted values to {dir}."
        )
        for note in summary.notes:
            self.stdout.write(note)
        if summary.key_path:
            self.stderr.write("Warning: " + backup.KEY_WARNING.format(path=summary.key_path))
