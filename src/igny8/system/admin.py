from django.contrib import admin

from igny8.system.models import AIPrompt, IntegrationSettings, WorkerHeartbeat


@admin.register(IntegrationSettings)
class IntegrationSettingsAdmin(admin.ModelAdmin):
    list_display = ["account", "integration_type", "is_active", "updated_at"]
    exclude = ["secrets"]  # secrets are set through the API, never shown


@admin.register(AIPrompt)
class AIPromptAdmin(admin.ModelAdmin):
    list_display = ["account", "prompt_type", "is_active", "updated_at"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker", "last_seen_at"]
