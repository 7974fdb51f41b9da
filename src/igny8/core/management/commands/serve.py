"""Serve the web app with gunicorn (static files through whitenoise)."""

import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the web app on HOST:PORT (default 127.0.0.1:$PORT or 8000) with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
        # Threads per worker (gunicorn's gthread worker): a large upload being received holds one
        # thread, not a whole worker, so /healthz and pages still answer during six 19 MB imports.
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", 4)))

    def handle(self, *args, host: str, port: int, workers: int, threads: int, **options):
        from gunicorn.app.wsgiapp import WSGIApplication

        argv = [
            "gunicorn",
            "igny8.config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        import sys

        sys.argv = argv  # gunicorn reads its options from argv
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
