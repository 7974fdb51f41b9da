"""The automation pages' routes (included by web/urls.py)."""

from django.urls import path

from igny8.web.views import automation, automation_executions

urlpatterns = [
    path("automation/", automation.rule_list, name="automation"),
    path("automation/new/", automation.rule_new, name="automation-new"),
    path(
        "automation/schedule-preview/", automation.schedule_preview_view, name="automation-schedule-preview"
    ),
    path("automation/history/", automation_executions.history, name="automation-history"),
    path("automation/<int:pk>/", automation.rule_detail, name="automation-rule"),
    path("automation/<int:pk>/edit/", automation.rule_edit, name="automation-edit"),
    path("automation/<int:pk>/delete/", automation.rule_delete, name="automation-delete"),
    path("automation/<int:pk>/execute/", automation.rule_execute, name="automation-execute"),
    path("automation/<int:pk>/secret/", automation.rule_rotate_secret, name="automation-secret"),
    path("automation/<int:pk>/workflow/", automation.rule_workflow, name="automation-workflow"),
    path(
        "automation/executions/<int:pk>/",
        automation_executions.execution_detail,
        name="automation-execution",
    ),
    path(
        "automation/executions/<int:pk>/progress/",
        automation_executions.execution_progress,
        name="automation-execution-progress",
    ),
    path(
        "automation/executions/<int:pk>/rerun/",
        automation_executions.execution_rerun,
        name="automation-execution-rerun",
    ),
    *(
        path(
            f"automation/executions/<int:pk>/{action}/",
            automation_executions.execution_control,
            {"action": action},
            name=f"automation-execution-{action}",
        )
        for action in automation_executions.TASK_ACTIONS
    ),
]
