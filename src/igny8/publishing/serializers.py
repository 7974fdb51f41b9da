"""Shapes of the publishing API: request bodies and the rows it returns."""

from rest_framework import serializers

from igny8.core.errors import Invalid
from igny8.core.serializers import as_validation_error
from igny8.publishing import schedule_rules
from igny8.publishing.models import ContentRevision, PublishRecord, PublishSchedule, SitePage, WPStatus


class PublishBody(serializers.Serializer):
    status = serializers.ChoiceField(choices=WPStatus.choices, default=WPStatus.PUBLISH)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    categories = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=20
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)


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
