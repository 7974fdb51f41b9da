from django.contrib import admin

from igny8.system.models import AIPrompt, AuthorProfile, IntegrationSettings, ProviderCheck, WorkerHeartbeat


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


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "language", "country", "point_of_view", "updated_at"]
    list_filter = ["language"]
    search_fields = ["name"]
    raw_id_fields = ["account"]


@admin.register(ProviderCheck)
class ProviderCheckAdmin(admin.ModelAdmin):
    """Settings tests run by a worker: their outcome, never their inputs (encrypted, the caller's)."""

    list_display = ["kind", "account", "status", "created_at"]
    list_filter = ["status", "kind"]
    exclude = ["params"]
    raw_id_fields = ["account"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
