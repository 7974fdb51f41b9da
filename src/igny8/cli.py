"""The `igny8` command: every Django management command, with IGNY8's own among them
(serve, worker, beat, createuser, token, import-keywords, demo)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "igny8.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "igny8"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
