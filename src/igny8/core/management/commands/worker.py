import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a Celery worker (any number may run, on any machine sharing the database and broker)."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=int(os.environ.get("WORKER_CONCURRENCY", 2)))
        parser.add_argument("--loglevel", default=os.environ.get("LOG_LEVEL", "INFO"))
        parser.add_argument("--hostname", default=None, help="Worker name (default: celery@<host>).")

    def handle(self, *args, concurrency: int, loglevel: str, hostname: str | None, **options):
        from igny8.config.celery import app

        argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}"]
        if hostname:
            argv.append(f"--hostname={hostname}")
        app.worker_main(argv)
