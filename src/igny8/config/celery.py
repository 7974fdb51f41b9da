"""The Celery application. Tasks are discovered in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "igny8.config.settings")

app = Celery("igny8")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
