"""Generic writes for rows with no rules beyond their fields."""

from django.db import models, transaction


@transaction.atomic
def row_create(*, model: type[models.Model], account, **data) -> models.Model:
    return model.objects.create(account=account, **data)


@transaction.atomic
def row_update(*, instance: models.Model, **data) -> models.Model:
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
