"""REST endpoints of the writer: tasks, content, images."""

from igny8.core.viewsets import StatusBulkMixin, TenantViewSet
from igny8.writer import filters, selectors, services
from igny8.writer.models import Content, ContentStatus, Image, ImageStatus, Task, TaskStatus
from igny8.writer.serializers import ContentSerializer, ImageSerializer, TaskSerializer


class TaskViewSet(StatusBulkMixin, TenantViewSet):
    model = Task
    serializer_class = TaskSerializer
    selector = selectors.task_list
    status_choices = TaskStatus
    filterset_class = filters.TaskFilter
    search_fields = ["title", "brief"]
    ordering_fields = ["title", "word_count_target", "created_at", "status"]


class ContentViewSet(StatusBulkMixin, TenantViewSet):
    model = Content
    serializer_class = ContentSerializer
    selector = selectors.content_list
    create_service = services.content_create
    update_service = services.content_update
    status_choices = ContentStatus
    filterset_class = filters.ContentFilter
    search_fields = ["title", "meta_title", "excerpt"]
    ordering_fields = ["title", "word_count", "created_at", "status", "published_at"]


class ImageViewSet(StatusBulkMixin, TenantViewSet):
    model = Image
    serializer_class = ImageSerializer
    selector = selectors.image_list
    status_choices = ImageStatus
    filterset_class = filters.ImageFilter
    search_fields = ["prompt", "content__title"]
    ordering_fields = ["position", "created_at", "status", "image_type"]
