"""Shared start for benchmark scripts: a fresh database under a throw-away IGNY8_HOME."""

import os
import tempfile


def django_with_fresh_database() -> None:
    os.environ.setdefault("IGNY8_HOME", tempfile.mkdtemp(prefix="igny8-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "igny8.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
