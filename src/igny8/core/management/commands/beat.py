import os

from django.core.management.base import BaseCommand

from igny8.config.paths import var_dir


class Command(BaseCommand):
    help = "Run the Celery beat scheduler (exactly one per installation)."

    def handle(self, *args, **options):
        from igny8.config.celery import app

        pidfile = var_dir() / "celerybeat.pid"
        app.start(["beat", f"--loglevel={os.environ.get('LOG_LEVEL', 'INFO')}", f"--pidfile={pidfile}"])
