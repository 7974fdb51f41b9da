import django_filters

from igny8.core.filters import SiteOwnedFilter
from igny8.planner.models import Cluster, ContentIdea, Keyword


class KeywordFilter(SiteOwnedFilter):
    cluster_id = django_filters.NumberFilter(field_name="cluster_id")
    unclustered = django_filters.BooleanFilter(field_name="cluster", lookup_expr="isnull")
    volume_min = django_filters.NumberFilter(field_name="volume", lookup_expr="gte")
    volume_max = django_filters.NumberFilter(field_name="volume", lookup_expr="lte")
    difficulty_min = django_filters.NumberFilter(field_name="difficulty", lookup_expr="gte")
    difficulty_max = django_filters.NumberFilter(field_name="difficulty", lookup_expr="lte")

    class Meta:
        model = Keyword
        fields = ["status", "intent"]


class ClusterFilter(SiteOwnedFilter):
    class Meta:
        model = Cluster
        fields = ["status"]


class ContentIdeaFilter(SiteOwnedFilter):
    cluster_id = django_filters.NumberFilter(field_name="cluster_id")

    class Meta:
        model = ContentIdea
        fields = ["status", "content_type", "content_structure"]
