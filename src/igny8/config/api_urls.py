"""Every REST route under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from igny8.accounts import apis as accounts
from igny8.planner import apis as planner
from igny8.system import apis as system
from igny8.system.author_profile_apis import AuthorProfileViewSet
from igny8.writer import apis as writer

router = DefaultRouter(trailing_slash=True)
router.register("accounts/sites", accounts.SiteViewSet, basename="site")
router.register("accounts/sectors", accounts.SectorViewSet, basename="sector")
router.register("accounts/members", accounts.MemberViewSet, basename="member")
router.register("planner/keywords", planner.KeywordViewSet, basename="keyword")
router.register("planner/clusters", planner.ClusterViewSet, basename="cluster")
router.register("planner/ideas", planner.ContentIdeaViewSet, basename="idea")
router.register("writer/tasks", writer.TaskViewSet, basename="task")
router.register("writer/content", writer.ContentViewSet, basename="content")
router.register("writer/images", writer.ImageViewSet, basename="image")
router.register("system/author-profiles", AuthorProfileViewSet, basename="author-profile")

integrations = system.IntegrationSettingsViewSet
prompts = system.PromptViewSet

urlpatterns = [
    path("auth/token/", accounts.TokenView.as_view(), name="auth-token"),
    path("auth/me/", accounts.MeView.as_view(), name="auth-me"),
    path("", include("igny8.accounts.api_urls")),
    path("system/integrations/", integrations.as_view({"get": "list"}), name="integration-list"),
    path(
        "system/integrations/<str:integration_type>/",
        integrations.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
        ),
        name="integration-detail",
    ),
    path("system/prompts/", prompts.as_view({"get": "list"}), name="prompt-list"),
    path(
        "system/prompts/<str:prompt_type>/",
        prompts.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="prompt-detail",
    ),
    path("system/prompts/<str:prompt_type>/reset/", prompts.as_view({"post": "reset"}), name="prompt-reset"),
    path("", include(router.urls)),
    path("", include("igny8.ai.api_urls")),
    path("billing/", include("igny8.billing.api_urls")),
    path("", include("igny8.automation.api_urls")),
    path("", include("igny8.publishing.api_urls")),
]
