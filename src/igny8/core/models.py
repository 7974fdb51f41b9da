"""Abstract bases shared by every app."""

import uuid

from django.db import models


class BaseModel(models.Model):
    """Integer primary key for joins, a UUID for links that must not be guessable, timestamps."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def choices_check(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    """A database-level guard that a status-like column only ever holds one of its choices."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)
