"""Writes for content: HTML is sanitised and the word count follows it."""

from django.db import transaction
from django.utils.text import slugify

from igny8.accounts.models import Account
from igny8.writer import html as article_html
from igny8.writer.models import Content


def _content_fields(data: dict) -> dict:
    if "html" in data:
        data["html"] = article_html.sanitize(data["html"])
        data["word_count"] = article_html.word_count(data["html"])
    if not data.get("slug") and data.get("title"):
        data["slug"] = slugify(data["title"], allow_unicode=True)[:255]
    return data


@transaction.atomic
def content_create(*, account: Account, **data) -> Content:
    return Content.objects.create(account=account, **_content_fields(data))


@transaction.atomic
def content_update(*, instance: Content, **data) -> Content:
    for name, value in _content_fields(data).items():
        setattr(instance, name, value)
    instance.save()
    return instance
