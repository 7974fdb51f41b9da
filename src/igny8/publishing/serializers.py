"""Shapes of the publishing API: request bodies and the rows it returns."""

from rest_framework import serializers

from igny8.core.errors import Invalid
from igny8.core.serializers import as_validation_error
from igny8.publishing import schedule_rules
from igny8.publishing.models import ContentRevision, PublishRecord, PublishSchedule, SitePage, WPStatus


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
        child=serializers.CharField(max_length=200), required=False, max_length=20
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)
    force = serializers.BooleanField(
        default=False,
        help_text="Publish live even an offline draft or an article whose generation failed.",
    )


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
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)


class IdsBody(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)
    start = serializers.DateTimeField(required=False, allow_null=True, default=None)


class LinksBody(serializers.Serializer):
    max_links = serializers.IntegerField(min_value=1, max_value=20, required=False)


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
