from django.contrib import admin

from igny8.automation.models import AutomationRule, ScheduledTask, SiteLock, WebhookDelivery


@admin.register(AutomationRule)
class AutomationRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "account",
        "site",
        "trigger",
        "status",
        "is_active",
        "next_run_at",
        "execution_count",
    ]
    list_filter = ["trigger", "status", "is_active"]
    search_fields = ["name"]
    exclude = ["webhook_secret"]
    readonly_fields = ["last_executed_at", "next_run_at", "execution_count"]


@admin.register(ScheduledTask)
class ScheduledTaskAdmin(admin.ModelAdmin):
    list_display = ["id", "rule", "site", "source", "status", "percentage", "scheduled_at", "finished_at"]
    list_filter = ["status", "source"]
    readonly_fields = [f.name for f in ScheduledTask._meta.fields]


@admin.register(SiteLock)
class SiteLockAdmin(admin.ModelAdmin):
    list_display = ["site", "task", "acquired_at", "heartbeat_at"]
    readonly_fields = [f.name for f in SiteLock._meta.fields]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["rule", "signed_at", "received_at"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
