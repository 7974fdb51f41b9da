"""AI routes: the reference's system/settings paths and /ai/runs/. Included from config/api_urls.py."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from igny8.ai import apis

router = SimpleRouter(trailing_slash=True)
router.register("ai/runs", apis.RunViewSet, basename="ai-run")

urlpatterns = [
    path("ai/functions/", apis.FunctionListView.as_view(), name="ai-function-list"),
    path(
        "system/settings/task_progress/<str:task_id>/", apis.TaskProgressView.as_view(), name="task-progress"
    ),
    path(
        "system/settings/integrations/tests/<int:check_id>/",
        apis.CheckStatusView.as_view(),
        name="integration-check-status",
    ),
    path(
        "system/settings/integrations/generate_image/",
        apis.ImageTestView.as_view(),
        name="integration-image-test",
    ),
    path(
        "system/settings/integrations/openai/generate_image/",
        apis.ImageTestView.as_view(),
        {"kind": "openai"},
        name="integration-image-test-openai",
    ),
    path(
        "system/settings/integrations/runware/generate_image/",
        apis.ImageTestView.as_view(),
        {"kind": "runware"},
        name="integration-image-test-runware",
    ),
    path(
        "system/settings/integrations/openai/test_openai/",
        apis.IntegrationTestView.as_view(),
        {"kind": "openai"},
        name="integration-test-openai",
    ),
    path(
        "system/settings/integrations/runware/test_runware/",
        apis.IntegrationTestView.as_view(),
        {"kind": "runware"},
        name="integration-test-runware",
    ),
    path(
        "system/settings/integrations/openai/test/",
        apis.IntegrationTestView.as_view(),
        {"kind": "openai"},
        name="integration-test-openai-short",
    ),
    path(
        "system/settings/integrations/runware/test/",
        apis.IntegrationTestView.as_view(),
        {"kind": "runware"},
        name="integration-test-runware-short",
    ),
    path("", include(router.urls)),
]
