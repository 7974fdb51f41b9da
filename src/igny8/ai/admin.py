from django.contrib import admin

from igny8.ai.models import AIRun, ModelRate


@admin.register(AIRun)
class AIRunAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "function_name",
        "account",
        "status",
        "phase",
        "percentage",
        "credits_used",
        "cost_usd",
    ]
    list_filter = ["status", "function_name"]
    search_fields = ["task_id"]
    readonly_fields = [f.name for f in AIRun._meta.fields]


@admin.register(ModelRate)
class ModelRateAdmin(admin.ModelAdmin):
    list_display = ["model", "kind", "input_per_1m", "output_per_1m", "per_image"]
