"""The Celery app of the chaos workers: the project's app plus both sets of test AI functions (the
per-item function of tests/ai/fakes.py and the pipeline's fakes of tests/automation/fakes.py)."""

import django

from igny8.config.celery import app

django.setup()

from igny8.ai import registry  # noqa: E402  (needs Django set up)
from tests.ai.fakes import FUNCTIONS  # noqa: E402
from tests.automation import fakes  # noqa: E402

for _name, _path in FUNCTIONS.items():
    registry.register(_name, _path)
fakes.install()

__all__ = ["app"]
