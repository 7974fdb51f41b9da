from django.contrib import admin

from igny8.ai.models import AIRun, AIRunHold, AIRunItem, ModelRate


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


@admin.register(AIRunItem)
class AIRunItemAdmin(admin.ModelAdmin):
    """Each item of a run, exactly once (ai.run_items): read-only, the engine writes them."""

    list_display = ["created_at", "run", "key", "label", "status", "attempt", "credits", "provider_calls"]
    list_filter = ["status"]
    search_fields = ["run__task_id", "key"]
    readonly_fields = [f.name for f in AIRunItem._meta.fields]


@admin.register(AIRunHold)
class AIRunHoldAdmin(admin.ModelAdmin):
    """Records a queued or running run holds (ai.holds): deleting one lets a second run start on it."""

    list_display = ["record", "run"]
    search_fields = ["record", "run__task_id"]
    readonly_fields = ["record", "run"]


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
