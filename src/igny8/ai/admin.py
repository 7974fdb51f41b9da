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
    """The model catalogue's overrides: an empty field keeps ai/catalogue.json's value."""

    list_display = [
        "model",
        "kind",
        "provider",
        "input_per_1m",
        "cached_input_per_1m",
        "output_per_1m",
        "per_image",
        "shutdown_on",
        "replacement",
    ]
    list_filter = ["kind", "provider"]
    search_fields = ["model"]
    fieldsets = [
        (None, {"fields": ["model", "kind", "provider"]}),
        ("Text", {"fields": ["json_mode", "reasoning", "output_cap"]}),
        (
            "Prices (USD)",
            {
                "fields": [
                    "input_per_1m",
                    "cached_input_per_1m",
                    "output_per_1m",
                    "image_input_per_1m",
                    "image_output_per_1m",
                    "per_image",
                    "image_prices",
                ]
            },
        ),
        ("Images", {"fields": ["sizes", "qualities", "max_n"]}),
        ("Lifecycle", {"fields": ["shutdown_on", "replacement"]}),
    ]
