"""The AI run row (the reference's AITaskLog) and the admin's rows of the model catalogue.

The run row is the truth about a run: progress, steps, usage, credits and outcome are written here
as the run goes (docs/adr/0002), so task_progress works with any broker and survives restarts."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from igny8.core.models import BaseModel, choices_check


class RunStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCESS = "success", "Success"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


TERMINAL = (RunStatus.SUCCESS, RunStatus.FAILED, RunStatus.CANCELLED)


class Phase(models.TextChoices):
    INIT = "INIT"
    PREP = "PREP"
    AI_CALL = "AI_CALL"
    PARSE = "PARSE"
    SAVE = "SAVE"
    DONE = "DONE"


class AIRun(BaseModel):
    task_id = models.CharField(max_length=64, unique=True)
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="ai_runs")
    site = models.ForeignKey(
        "accounts.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    function_name = models.CharField(max_length=80, db_index=True)
    status = models.CharField(
        max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING, db_index=True
    )
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.INIT)
    percentage = models.PositiveSmallIntegerField(default=0)
    current = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    request_steps = models.JSONField(default=list, blank=True)
    response_steps = models.JSONField(default=list, blank=True)
    provider = models.CharField(max_length=30, blank=True)
    model = models.CharField(max_length=100, blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"))
    # Calls whose price nobody knows: cost_usd then covers only the others, and the run says so.
    unpriced_calls = models.PositiveIntegerField(default=0)
    credits_reserved = models.PositiveIntegerField(default=0)
    credits_used = models.PositiveIntegerField(default=0)
    credits_per_item = models.PositiveIntegerField(default=0)
    items_succeeded = models.PositiveIntegerField(default=0)
    items_failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # The batch's generation settings as checked when the run started: the author profile it chose
    # (None: each site's or sector's own) and the overrides (content structure, length, FAQ).
    generation = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Touched by every progress write; the sweep finds runs whose worker died by its age.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="ai_run_status_heartbeat")]
        constraints = [
            choices_check("status", RunStatus, "ai_run_status_valid"),
            choices_check("phase", Phase, "ai_run_phase_valid"),
            models.CheckConstraint(condition=Q(percentage__lte=100), name="ai_run_percentage_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.function_name} {self.task_id} ({self.status})"


class ItemStatus(models.TextChoices):
    CALLING = "calling", "With the provider"
    SUCCESS = "success", "Saved"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class AIRunItem(BaseModel):
    """One item of a run, written before its provider call and closed in the transaction that saves
    it (with its usage and credits): a re-run skips every item that has a row, so no item is sent
    to the provider, saved or charged twice, whichever worker dies when (docs/adr/0011)."""

    run = models.ForeignKey(AIRun, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=100)
    label = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.CALLING)
    # The run's attempt that sent it: only that attempt may close it.
    attempt = models.PositiveSmallIntegerField(default=0)
    credits = models.PositiveIntegerField(default=0)
    provider_calls = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="ai_run_item_once_per_run"),
            choices_check("status", ItemStatus, "ai_run_item_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.key} ({self.status})"


class AIRunHold(models.Model):
    """A record a queued or running run works on ("writer.task:17"): the unique key is what lets one
    run at a time hold a record, on SQLite and PostgreSQL alike, however many starts race. Written
    with the run, deleted when the run ends (ai.holds)."""

    run = models.ForeignKey(AIRun, on_delete=models.CASCADE, related_name="holds")
    record = models.CharField(max_length=120, unique=True)

    def __str__(self) -> str:
        return f"{self.record} held by {self.run_id}"


class RateKind(models.TextChoices):
    TEXT = "text", "Text (per 1M tokens)"
    IMAGE = "image", "Image (per image or per 1M image tokens)"


class JsonMode(models.TextChoices):
    SCHEMA = "schema", "Strict JSON schema"
    OBJECT = "object", "JSON mode"
    PROMPT = "prompt", "Instructions only"
    AUTO = "auto", "Negotiated with the server (schema, then JSON mode, then instructions)"


def _price(label: str) -> models.DecimalField:
    return models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True, help_text=label)


class ModelRate(models.Model):
    """An admin's row of the model catalogue (ai/catalogue.json ships the defaults): every field
    left empty keeps the shipped value, every field set overrides it for that model. A model the
    catalogue does not ship (a local server's, a new one) is described here in full."""

    model = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=5, choices=RateKind.choices, default=RateKind.TEXT)
    provider = models.CharField(max_length=30, blank=True, help_text="openai, runware, ...")
    input_per_1m = _price("USD per 1M input tokens (text tokens for GPT image models)")
    cached_input_per_1m = _price("USD per 1M cached input tokens")
    output_per_1m = _price("USD per 1M output tokens")
    image_input_per_1m = _price("USD per 1M image input tokens (GPT image models)")
    image_output_per_1m = _price("USD per 1M image output tokens (GPT image models)")
    per_image = _price("USD per image of any size and quality")
    image_prices = models.JSONField(
        default=dict, blank=True, help_text='USD per image by size and quality: {"1536x1024/medium": 0.041}'
    )
    json_mode = models.CharField(max_length=6, choices=JsonMode.choices, blank=True)
    reasoning = models.BooleanField(
        null=True, blank=True, help_text="Reasoning model: never sent a temperature; max_completion_tokens."
    )
    output_cap = models.PositiveIntegerField(null=True, blank=True, help_text="Output-token cap of a call")
    sizes = models.JSONField(default=list, blank=True, help_text='Image sizes, e.g. ["1024x1024"]')
    qualities = models.JSONField(default=list, blank=True, help_text="Image qualities; the first is used")
    max_n = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Most images per call")
    shutdown_on = models.DateField(null=True, blank=True, help_text="The provider's announced shutdown date")
    replacement = models.CharField(max_length=100, blank=True, help_text="The model to use instead")

    class Meta:
        verbose_name = "model (catalogue override)"
        verbose_name_plural = "model catalogue"
        constraints = [
            choices_check("kind", RateKind, "model_rate_kind_valid"),
            models.CheckConstraint(
                condition=Q(json_mode__in=["", *JsonMode.values]), name="model_rate_json_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.model
