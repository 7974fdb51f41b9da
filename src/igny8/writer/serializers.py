from rest_framework import serializers

from igny8.core.serializers import SiteOwnedSerializer, TenantRelatedField
from igny8.planner.models import Cluster, ContentIdea
from igny8.planner.serializers import SITE_OWNED_FIELDS, SiteOwnedFieldsMixin
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
        ]
        read_only_fields = ["word_count", "external_id", "external_url", "published_at"]

    def validate_task(self, task):
        if (
            task is not None
            and Content.objects.filter(task=task).exclude(pk=getattr(self.instance, "pk", None)).exists()
        ):
            raise serializers.ValidationError("This task already has content.")
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
        clash = Image.objects.filter(content=content, image_type=image_type, position=position)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if content is not None and clash.exists():
            raise serializers.ValidationError({"position": ["This content already has that image slot."]})
        return attrs
