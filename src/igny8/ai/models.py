"""The AI run row (the reference's AITaskLog) and the editable model price table.

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
    credits_reserved = models.PositiveIntegerField(default=0)
    credits_used = models.PositiveIntegerField(default=0)
    credits_per_item = models.PositiveIntegerField(default=0)
    items_succeeded = models.PositiveIntegerField(default=0)
    items_failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
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


class RateKind(models.TextChoices):
    TEXT = "text", "Text (per 1M tokens)"
    IMAGE = "image", "Image (per image)"


class ModelRate(models.Model):
    """An admin's price for a model; overrides ai/rates.json for that model."""

    model = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=5, choices=RateKind.choices, default=RateKind.TEXT)
    input_per_1m = models.DecimalField(max_digits=10, decimal_places=4, default=Decimal("0"))
    output_per_1m = models.DecimalField(max_digits=10, decimal_places=4, default=Decimal("0"))
    per_image = models.DecimalField(max_digits=10, decimal_places=4, default=Decimal("0"))

    class Meta:
        constraints = [choices_check("kind", RateKind, "model_rate_kind_valid")]

    def __str__(self) -> str:
        return self.model
