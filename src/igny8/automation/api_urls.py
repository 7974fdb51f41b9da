"""Automation routes, included from config/api_urls.py under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from igny8.automation import apis

router = SimpleRouter(trailing_slash=True)
router.register("automation/rules", apis.AutomationRuleViewSet, basename="automationrule")
router.register("automation/scheduled-tasks", apis.ScheduledTaskViewSet, basename="scheduledtask")

urlpatterns = [
    path(
        "automation/webhooks/<str:rule_public_id>/",
        apis.WebhookView.as_view(),
        name="automationwebhook",
    ),
    path("", include(router.urls)),
]
