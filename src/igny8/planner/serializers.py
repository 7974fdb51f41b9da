from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from igny8.accounts.models import Sector, Site
from igny8.ai.serializers import StrictSerializer
from igny8.core.serializers import IdsSerializer, SiteOwnedSerializer, TenantRelatedField
from igny8.planner import cannibalisation
from igny8.planner.clustering import AUTO
from igny8.planner.models import Cluster, ContentIdea, Keyword

SITE_OWNED_FIELDS = ["id", "site", "sector", "created_at", "updated_at"]


class SiteOwnedFieldsMixin(serializers.Serializer):
    site = TenantRelatedField(queryset=Site.objects.all())
    sector = TenantRelatedField(queryset=Sector.objects.all(), required=False, allow_null=True)


class KeywordSerializer(SiteOwnedFieldsMixin, SiteOwnedSerializer):
    cluster = TenantRelatedField(queryset=Cluster.objects.all(), required=False, allow_null=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True, default=None)
    difficulty = serializers.IntegerField(min_value=0, max_value=100, required=False)
    volume = serializers.IntegerField(min_value=0, max_value=2_000_000_000, required=False)
    cpc = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)

    class Meta:
        model = Keyword
        fields = [
            *SITE_OWNED_FIELDS,
            "keyword",
            "volume",
            "difficulty",
            "cpc",
            "intent",
            "status",
            "cluster",
            "cluster_name",
        ]


class ClusterSerializer(SiteOwnedFieldsMixin, SiteOwnedSerializer):
    class Meta:
        model = Cluster
        fields = [
            *SITE_OWNED_FIELDS,
            "name",
            "description",
            "status",
            "keywords_count",
            "volume",
            "avg_difficulty",
            "locked",
        ]
        # locked changes through the lock / unlock actions; metrics are recounted from the keywords.
        read_only_fields = ["keywords_count", "volume", "avg_difficulty", "locked"]


class OutlineSectionSerializer(serializers.Serializer):
    heading = serializers.CharField(max_length=255)
    subsections = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, default=list
    )


class ContentIdeaSerializer(SiteOwnedFieldsMixin, SiteOwnedSerializer):
    cluster = TenantRelatedField(queryset=Cluster.objects.all(), required=False, allow_null=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True, default=None)
    outline = OutlineSectionSerializer(many=True, required=False)
    secondary_keywords = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, max_length=50
    )
    estimated_word_count = serializers.IntegerField(min_value=100, max_value=20_000, required=False)
    cannibalises = serializers.SerializerMethodField(
        help_text="Ideas and articles of the site that compete for the same search, each named with why."
    )

    class Meta:
        model = ContentIdea
        fields = [
            *SITE_OWNED_FIELDS,
            "cluster",
            "cluster_name",
            "title",
            "description",
            "outline",
            "primary_keyword",
            "secondary_keywords",
            "content_type",
            "content_structure",
            "estimated_word_count",
            "status",
            "cannibalises",
        ]

    def get_cannibalises(self, idea) -> list[dict]:
        # One index per response: a list computes each site's pairs once, not once per row.
        index = self.context.setdefault("cannibalisation", cannibalisation.Index())
        return index.for_item(site_id=idea.site_id, kind="idea", id=idea.pk)


class KeywordImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    site_id = serializers.IntegerField(min_value=1)
    sector_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)


@extend_schema_field(
    {"oneOf": [{"type": "number", "minimum": 0.3, "maximum": 1.0}, {"type": "string", "enum": [AUTO]}]}
)
class ThresholdField(serializers.Field):
    """A similarity threshold from 0.3 to 1.0, or "auto": chosen per keyword list
    (clustering/adaptive.py), which is also what leaving it out means."""

    def to_internal_value(self, data):
        if data == AUTO:
            return AUTO
        try:
            return serializers.FloatField(min_value=0.3, max_value=1.0).run_validation(data)
        except serializers.ValidationError:
            raise serializers.ValidationError(
                f'Must be "{AUTO}" (chosen for these keywords) or a number from 0.3 to 1.0.'
            ) from None

    def to_representation(self, value):
        return value


class AutoClusterSerializer(StrictSerializer):
    """auto_cluster's body: the keywords (ids) or a whole site's unclustered ones (site_id); any
    other key is a 400 naming it."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, allow_empty=False, max_length=20_000
    )
    site_id = serializers.IntegerField(min_value=1, required=False)
    method = serializers.ChoiceField(choices=["semantic", "llm", "serp"], default="semantic")
    serp_mode = serializers.ChoiceField(choices=["soft", "hard"], required=False)
    threshold = ThresholdField(required=False)
    min_cluster_size = serializers.IntegerField(min_value=1, max_value=100, required=False)
    batch_size = serializers.IntegerField(min_value=5, max_value=500, required=False)
    min_shared = serializers.IntegerField(min_value=1, max_value=10, required=False)
    author_profile_id = serializers.IntegerField(
        min_value=1, required=False, help_text="The language of names."
    )
    prompt_override = serializers.CharField(required=False, trim_whitespace=False, max_length=50_000)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if ("ids" in attrs) == ("site_id" in attrs):
            raise serializers.ValidationError(
                {"ids": ["Send either ids (keywords to cluster) or site_id (all its unclustered keywords)."]}
            )
        return attrs


class ClusterRenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)


class ClusterMergeSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=2, max_length=1_000)
    into = serializers.IntegerField(
        min_value=1, required=False, help_text="The cluster that stays (default: the one with most keywords)."
    )
    name = serializers.CharField(
        max_length=255, required=False, help_text="A new name for the merged cluster."
    )


class ClusterSplitSerializer(serializers.Serializer):
    keyword_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=20_000
    )
    name = serializers.CharField(max_length=255, help_text="The new cluster's name.")


class ClusterMoveSerializer(serializers.Serializer):
    keyword_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=20_000
    )
    to_cluster = serializers.IntegerField(
        min_value=1, allow_null=True, help_text="Another cluster of the site; null: out of every cluster."
    )


class IdeaQueueSerializer(IdsSerializer):
    confirm = serializers.BooleanField(
        default=False,
        help_text="Queue even when the ideas form cannibalisation pairs (without it: 409 naming the pairs).",
    )
