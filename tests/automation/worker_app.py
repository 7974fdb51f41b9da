"""The Celery app for real-worker tests and the bench: the project's app plus the fake functions."""

import django

from igny8.config.celery import app

django.setup()

from tests.automation import fakes  # noqa: E402  (needs Django set up)

fakes.install()

__all__ = ["app"]
