"""REST endpoints of the writer: tasks, content, images, and the AI runs started on them."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from igny8.ai.serializers import (
    ContentBodySerializer,
    ImagePromptsBodySerializer,
    StrictIdsSerializer,
    accepted,
    run_options,
)
from igny8.core.viewsets import StatusBulkMixin, TenantViewSet
from igny8.writer import filters, runs, selectors, services
from igny8.writer.models import Content, ContentStatus, Image, ImageStatus, Task, TaskStatus
from igny8.writer.serializers import ContentSerializer, ImageSerializer, TaskSerializer


class GenerateImagesSerializer(StrictIdsSerializer):
    content_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)


RUN_RESPONSES = {202: dict}


def _ids(request, serializer_class=StrictIdsSerializer) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class TaskViewSet(StatusBulkMixin, TenantViewSet):
    model = Task
    serializer_class = TaskSerializer
    selector = selectors.task_list
    status_choices = TaskStatus
    filterset_class = filters.TaskFilter
    search_fields = ["title", "brief"]
    ordering_fields = ["title", "word_count_target", "created_at", "status"]

    @extend_schema(request=ContentBodySerializer, responses=RUN_RESPONSES)
    @action(detail=False, methods=["post"])
    def auto_generate_content(self, request, *args, **kwargs):
        body = _ids(request, ContentBodySerializer)
        run = runs.content_generate_start(
            account=self.account,
            user=request.user,
            tasks=self.selected(body["ids"]),
            options=run_options(body),
        )
        return accepted(run)

    @extend_schema(request=StrictIdsSerializer, responses=RUN_RESPONSES)
    @action(detail=False, methods=["post"])
    def auto_generate_images(self, request, *args, **kwargs):
        tasks = self.selected(_ids(request)["ids"])
        run = runs.images_auto_generate_start(account=self.account, user=request.user, tasks=tasks)
        return accepted(run)


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

    @extend_schema(request=ImagePromptsBodySerializer, responses=RUN_RESPONSES)
    @action(detail=False, methods=["post"])
    def generate_image_prompts(self, request, *args, **kwargs):
        body = _ids(request, ImagePromptsBodySerializer)
        run = runs.image_prompts_generate_start(
            account=self.account,
            user=request.user,
            contents=self.selected(body["ids"]),
            options=run_options(body),
        )
        return accepted(run)


class ImageViewSet(StatusBulkMixin, TenantViewSet):
    model = Image
    serializer_class = ImageSerializer
    selector = selectors.image_list
    status_choices = ImageStatus
    filterset_class = filters.ImageFilter
    search_fields = ["prompt", "content__title"]
    ordering_fields = ["position", "created_at", "status", "image_type"]

    @extend_schema(request=GenerateImagesSerializer, responses=RUN_RESPONSES)
    @action(detail=False, methods=["post"])
    def generate_images(self, request, *args, **kwargs):
        body = _ids(request, GenerateImagesSerializer)
        run = runs.images_generate_start(
            account=self.account,
            user=request.user,
            images=self.selected(body["ids"]),
            content_id=body.get("content_id"),
        )
        return accepted(run)
