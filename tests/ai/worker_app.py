"""The Celery app for the real-worker test: the project's app plus the test AI functions."""

import django

from igny8.config.celery import app

django.setup()

from igny8.ai import registry  # noqa: E402  (needs Django set up)
from tests.ai.fakes import FUNCTIONS  # noqa: E402

for _name, _path in FUNCTIONS.items():
    registry.register(_name, _path)

__all__ = ["app"]
