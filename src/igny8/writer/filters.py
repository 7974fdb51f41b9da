import django_filters

from igny8.core.filters import SiteOwnedFilter
from igny8.writer.models import Content, Image, Task


class TaskFilter(SiteOwnedFilter):
    cluster_id = django_filters.NumberFilter(field_name="cluster_id")
    idea_id = django_filters.NumberFilter(field_name="idea_id")

    class Meta:
        model = Task
        fields = ["status", "content_type", "content_structure"]


class ContentFilter(SiteOwnedFilter):
    task_id = django_filters.NumberFilter(field_name="task_id")

    class Meta:
        model = Content
        fields = ["status", "content_type"]


class ImageFilter(SiteOwnedFilter):
    content_id = django_filters.NumberFilter(field_name="content_id")

    class Meta:
        model = Image
        fields = ["status", "image_type"]
