from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from igny8.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `igny8 backup` into this installation: its rows, its media files and "
        "its encryption key. The database must be migrated and empty, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help="The backup folder (it holds manifest.json).")
        parser.add_argument(
            "--key-file",
            type=Path,
            help="The backup's encryption key, if kept apart (default: DIR/encryption.key when present).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace every row this installation already holds (media files of the same name too).",
        )

    def handle(self, *args, dir: Path, key_file: Path | None, force: bool, **options):
        try:
            summary = backup.restore(source=dir, key_file=key_file, force=force)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {summary.rows} rows and {summary.files} media files from {dir}; "
            f"{summary.secrets} encrypted values decrypt."
        )
        if summary.key_path:
            self.stdout.write(f"Installed the backup's encryption key at {summary.key_path}.")
        for note in summary.notes:
            self.stdout.write(note)
