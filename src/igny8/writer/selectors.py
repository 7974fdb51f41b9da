"""Reads for writer tasks, content and images, always within one account."""

from django.db.models import QuerySet

from igny8.accounts.models import Account
from igny8.writer.models import Content, Image, Task


def task_list(*, account: Account) -> QuerySet[Task]:
    return Task.objects.filter(account=account).select_related("cluster").order_by("-created_at", "-id")


def content_list(*, account: Account) -> QuerySet[Content]:
    return Content.objects.filter(account=account).order_by("-created_at", "-id")


def image_list(*, account: Account) -> QuerySet[Image]:
    return (
        Image.objects.filter(account=account)
        .select_related("content")
        .order_by("content_id", "image_type", "position", "id")
    )
