"""Shapes of the publishing API: request bodies and the rows it returns."""

from django.urls import reverse
from rest_framework import serializers

from igny8.core.errors import Invalid
from igny8.core.serializers import as_validation_error
from igny8.core.text import is_id
from igny8.publishing import schedule_rules
from igny8.publishing.models import (
    ContentRevision,
    PublishRecord,
    PublishSchedule,
    SitemapPage,
    SitePage,
    WPStatus,
)


class StrictBody(serializers.Serializer):
    """A request body that refuses fields it does not know: a misspelt option (wp_status for
    status) silently ignored is how a post went live that was meant to be a draft."""

    def validate(self, attrs):
        known = set(self.fields)
        unknown = [name for name in getattr(self, "initial_data", {}) if name not in known]
        if unknown:
            accepted = ", ".join(sorted(known))
            raise serializers.ValidationError(
                {
                    name: [f"Unknown field “{name}”; this request accepts {accepted}."]
                    for name in sorted(unknown)
                }
            )
        return super().validate(attrs)


class PublishBody(StrictBody):
    # Draft unless the request asks for more: nothing goes live by default.
    status = serializers.ChoiceField(choices=WPStatus.choices, default=WPStatus.DRAFT)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    categories = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=20,
        help_text="Category ids from the site's list (GET .../wp_choices/), or names (created when missing).",
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)
    author = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="A WordPress user id from the site's authors (.../wp_choices/).",
    )
    force = serializers.BooleanField(
        default=False,
        help_text="Publish live even an offline draft or an article whose generation failed.",
    )


def split_categories(values: list[str] | None) -> tuple[list[str] | None, list[int] | None]:
    """(names, ids) of a publish body's categories: digits are the ids the pickers offer."""
    if values is None:
        return None, None
    ids = [int(v) for v in values if is_id(v.strip())]
    return [v for v in values if not is_id(v.strip())], ids


class ExportBody(StrictBody):
    """A zip of chosen articles (ids) or of every article of one site (site): one of the two."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=500, required=False
    )
    site = serializers.IntegerField(min_value=1, required=False)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if ("ids" in attrs) == ("site" in attrs):
            raise serializers.ValidationError(
                {"ids": ["Send either ids (the articles to export) or site (all its articles), not both."]}
            )
        return attrs


class BulkPublishBody(PublishBody):
    author = None  # one article at a time (the content publish endpoint); refused here, not ignored
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)


class IdsBody(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)
    start = serializers.DateTimeField(required=False, allow_null=True, default=None)


class LinksBody(serializers.Serializer):
    max_links = serializers.IntegerField(min_value=1, max_value=20, required=False)


class AcceptBody(StrictBody):
    """Apply an optimisation proposal: the run that made it, and which changed fields to apply
    (default: every change except fields edited by hand, which must be named to be replaced)."""

    task_id = serializers.CharField(max_length=64)
    fields = serializers.ListField(
        child=serializers.ChoiceField(choices=["title", "meta_title", "meta_description", "html"]),
        required=False,
        min_length=1,
    )


class RestoreBody(serializers.Serializer):
    revision = serializers.IntegerField(min_value=1)


class RecordSerializer(serializers.ModelSerializer):
    content_title = serializers.CharField(source="content.title", read_only=True)

    class Meta:
        model = PublishRecord
        fields = [
            "id",
            "site",
            "content",
            "content_title",
            "destination",
            "status",
            "wp_status",
            "scheduled_for",
            "wp_date",
            "external_id",
            "external_url",
            "remote_status",
            "attempts",
            "error",
            "published_at",
            "log",
            "updated_at",
        ]


class QueuedRecordSerializer(RecordSerializer):
    """Publish now's answer: the queued record and where to poll it until it is published or failed."""

    status_url = serializers.SerializerMethodField()

    class Meta(RecordSerializer.Meta):
        fields = [*RecordSerializer.Meta.fields, "status_url"]

    def get_status_url(self, record: PublishRecord) -> str:
        return reverse("publish-record-detail", kwargs={"pk": record.pk})


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContentRevision
        fields = ["id", "content", "reason", "title", "meta_title", "meta_description", "score", "created_at"]


class ScheduleSerializer(serializers.ModelSerializer):
    slots = serializers.ListField(child=serializers.RegexField(r"^([01]\d|2[0-3]):[0-5]\d$"), max_length=24)

    class Meta:
        model = PublishSchedule
        fields = ["mode", "slots", "window_start", "window_end", "daily_cap", "timezone"]
        # The model's CheckConstraint (daily_cap >= 1) is not checked by DRF; without this a 0 is a 500.
        extra_kwargs = {"daily_cap": {"min_value": 1}}

    # The rules are publishing.schedule_rules' (schedule_save applies them too).
    def validate_timezone(self, value: str) -> str:
        try:
            schedule_rules.timezone_check(value)
        except Invalid as error:
            raise serializers.ValidationError(error.message) from error
        return value

    def validate(self, attrs):
        try:
            schedule_rules.window_check(
                window_start=attrs.get("window_start"), window_end=attrs.get("window_end")
            )
        except Invalid as error:
            raise as_validation_error(error) from None
        return attrs


class PageSerializer(serializers.ModelSerializer):
    class Meta:
        model = SitePage
        fields = [
            "id",
            "site",
            "parent",
            "page_type",
            "title",
            "slug",
            "description",
            "keywords",
            "cluster",
            "content",
            "position",
        ]


class SitemapBody(StrictBody):
    """Import the site's existing pages: `url` (the sitemap's address) or `file` (a sitemap.xml
    upload, multipart), one of the two."""

    url = serializers.URLField(required=False, max_length=1000)
    file = serializers.FileField(required=False)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if ("url" in attrs) == ("file" in attrs):
            raise serializers.ValidationError(
                {"url": ["Send the sitemap's address (url) or upload the file (file), one of the two."]}
            )
        return attrs


class SitemapPageSerializer(serializers.ModelSerializer):
    class Meta:
        model = SitemapPage
        fields = ["id", "url", "title", "slug", "lastmod"]
