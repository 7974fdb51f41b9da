from rest_framework import serializers

from igny8.core.errors import Invalid
from igny8.core.serializers import SiteOwnedSerializer, TenantRelatedField, as_validation_error
from igny8.planner import cannibalisation
from igny8.planner.models import Cluster, ContentIdea
from igny8.planner.serializers import SITE_OWNED_FIELDS, SiteOwnedFieldsMixin
from igny8.writer import services
from igny8.writer.models import Content, Image, Task


class TaskSerializer(SiteOwnedFieldsMixin, SiteOwnedSerializer):
    idea = TenantRelatedField(queryset=ContentIdea.objects.all(), required=False, allow_null=True)
    cluster = TenantRelatedField(queryset=Cluster.objects.all(), required=False, allow_null=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True, default=None)
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, max_length=50
    )
    word_count_target = serializers.IntegerField(min_value=100, max_value=20_000, required=False)

    class Meta:
        model = Task
        fields = [
            *SITE_OWNED_FIELDS,
            "idea",
            "cluster",
            "cluster_name",
            "title",
            "brief",
            "keywords",
            "content_type",
            "content_structure",
            "word_count_target",
            "status",
        ]


class ContentSerializer(SiteOwnedFieldsMixin, SiteOwnedSerializer):
    task = TenantRelatedField(queryset=Task.objects.all(), required=False, allow_null=True)
    cannibalises = serializers.SerializerMethodField(
        help_text="Ideas and articles of the site that compete for the same search, each named with why."
    )

    class Meta:
        model = Content
        fields = [
            *SITE_OWNED_FIELDS,
            "task",
            "title",
            "slug",
            "html",
            "excerpt",
            "meta_title",
            "meta_description",
            "word_count",
            "content_type",
            "status",
            "external_id",
            "external_url",
            "published_at",
            "scheduled_at",
            "cannibalises",
        ]
        read_only_fields = ["word_count", "external_id", "external_url", "published_at"]

    def get_cannibalises(self, content) -> list[dict]:
        index = self.context.setdefault("cannibalisation", cannibalisation.Index())
        return index.for_item(site_id=content.site_id, kind="content", id=content.pk)

    def validate_task(self, task):
        try:
            services.content_task_check(task=task, content=self.instance)
        except Invalid as error:
            raise serializers.ValidationError(error.message) from None
        return task


class ImageSerializer(SiteOwnedFieldsMixin, SiteOwnedSerializer):
    content = TenantRelatedField(queryset=Content.objects.all())
    content_title = serializers.CharField(source="content.title", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = [
            *SITE_OWNED_FIELDS,
            "content",
            "content_title",
            "image_type",
            "position",
            "prompt",
            "alt_text",
            "status",
            "file_url",
            "url",
            "provider",
            "model",
            "cost",
            "error",
        ]
        read_only_fields = ["url", "provider", "model", "cost", "error"]
        validators = []  # the slot check in validate() names the field; DRF's generic one does not

    def get_file_url(self, image: Image) -> str | None:
        return image.file.url if image.file else None

    def validate(self, attrs):
        attrs = super().validate(attrs)
        content = attrs.get("content") or getattr(self.instance, "content", None)
        image_type = attrs.get("image_type", getattr(self.instance, "image_type", "in_article"))
        position = attrs.get("position", getattr(self.instance, "position", 0))
        try:
            services.image_slot_check(
                content=content, image_type=image_type, position=position, image=self.instance
            )
        except Invalid as error:
            raise as_validation_error(error) from None
        return attrs
