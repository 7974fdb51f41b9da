"""Generic writes for rows with no rules beyond their fields."""

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from igny8.core.errors import Invalid

# What a site-owned row may point at: each must be of the row's own site.
SITE_BOUND_FIELDS = ("sector", "cluster", "idea", "content")


def site_binding_check(*, data: Mapping[str, Any], instance: models.Model | None = None) -> None:
    """A site-owned row stays in its site, and the sector, cluster, idea or content it points at
    belongs to that site (an id of another site of the same account is refused, naming the field)."""
    # Ids only, never `instance.site`: that would load the site, and a site deleted after the row
    # was read (a PATCH racing a DELETE) would raise Site.DoesNotExist, a 500.
    site = data.get("site")
    site_id = site.pk if site is not None else getattr(instance, "site_id", None)
    if instance is not None and "site" in data and site_id != instance.site_id:
        raise Invalid("A record cannot move to another site.", field="site")
    for name in SITE_BOUND_FIELDS:
        related = data.get(name)
        if related is not None and site_id is not None and getattr(related, "site_id", site_id) != site_id:
            raise Invalid(f"This {name} belongs to another site.", field=name)


@transaction.atomic
def row_create(*, model: type[models.Model], account, **data) -> models.Model:
    site_binding_check(data=data)
    return model.objects.create(account=account, **data)


@transaction.atomic
def row_update(*, instance: models.Model, **data) -> models.Model:
    site_binding_check(data=data, instance=instance)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.save()
    return instance


@transaction.atomic
def rows_delete(*, queryset: models.QuerySet) -> int:
    # Count this model's rows only: cascaded children would inflate delete()'s total.
    count = queryset.count()
    queryset.delete()
    return count


@transaction.atomic
def rows_set_status(*, queryset: models.QuerySet, status: str) -> int:
    return queryset.update(status=status)
