"""Automation rules (what to run, when, on which conditions) and their executions.

A rule's executions are ScheduledTask rows: the row is the truth about an execution (status,
per-action results, progress, credits), like the AI run row (docs/adr/0006). SiteLock is the
one-execution-per-site guard: a row per site, held by the running execution."""

from django.db import models
from django.db.models import Q

from igny8.core.fields import EncryptedJSONField
from igny8.core.models import BaseModel, choices_check


class Trigger(models.TextChoices):
    MANUAL = "manual", "Manual"
    SCHEDULE = "schedule", "Schedule"
    EVENT = "event", "Event"


class EventType(models.TextChoices):
    KEYWORDS_IMPORTED = "keywords_imported", "Keywords imported"
    CLUSTERS_CREATED = "clusters_created", "Clusters created"
    IDEAS_GENERATED = "ideas_generated", "Ideas generated"
    CONTENT_GENERATED = "content_generated", "Content generated"
    IMAGES_GENERATED = "images_generated", "Images generated"
    CONTENT_PUBLISHED = "content_published", "Content published"


class RuleStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    PAUSED = "paused", "Paused"


class AutomationRule(BaseModel):
    """public_id (BaseModel) names the rule in its inbound webhook URL."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="automation_rules")
    site = models.ForeignKey(
        "accounts.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="automation_rules"
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    schedule = models.CharField(max_length=120, blank=True, help_text="Cron expression (5 fields).")
    timezone = models.CharField(max_length=64, default="UTC")
    event_type = models.CharField(max_length=30, choices=EventType.choices, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    actions = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=RuleStatus.choices, default=RuleStatus.ACTIVE)
    max_credits_per_run = models.PositiveIntegerField(null=True, blank=True)
    step_delay_seconds = models.FloatField(default=0)
    last_executed_at = models.DateTimeField(null=True, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    execution_count = models.PositiveIntegerField(default=0)
    webhook_secret = EncryptedJSONField(blank=True)  # {"secret": "..."}

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            choices_check("trigger", Trigger, "automation_rule_trigger_valid"),
            choices_check("status", RuleStatus, "automation_rule_status_valid"),
            models.CheckConstraint(
                condition=~Q(trigger=Trigger.SCHEDULE) | ~Q(schedule=""), name="automation_rule_schedule_set"
            ),
            models.CheckConstraint(
                condition=~Q(trigger=Trigger.EVENT) | ~Q(event_type=""), name="automation_rule_event_set"
            ),
            models.CheckConstraint(condition=Q(step_delay_seconds__gte=0), name="automation_rule_delay_ge_0"),
        ]
        indexes = [models.Index(fields=["trigger", "event_type"], name="automation_rule_trigger_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def runnable(self) -> bool:
        return self.is_active and self.status == RuleStatus.ACTIVE


class TaskStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    PARTIALLY_COMPLETED = "partially_completed", "Partially completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED = (TaskStatus.COMPLETED, TaskStatus.PARTIALLY_COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)


class Source(models.TextChoices):
    MANUAL = "manual", "Manual"
    SCHEDULE = "schedule", "Schedule"
    EVENT = "event", "Event"
    WEBHOOK = "webhook", "Webhook"
    RERUN = "rerun", "Re-run"


class Control(models.TextChoices):
    NONE = "", "None"
    PAUSE = "pause", "Pause requested"
    CANCEL = "cancel", "Cancel requested"


class ScheduledTask(BaseModel):
    """One execution of a rule for one site."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(AutomationRule, on_delete=models.CASCADE, related_name="executions")
    site = models.ForeignKey("accounts.Site", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rerun_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    context = models.JSONField(default=dict, blank=True)  # what the trigger said
    state = models.JSONField(default=dict, blank=True)  # {"next_index": i, "ids": {...}} carried forward
    scheduled_at = models.DateTimeField(db_index=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    control = models.CharField(max_length=10, choices=Control.choices, blank=True, default="")
    results = models.JSONField(default=list, blank=True)  # one entry per action run
    error_message = models.TextField(blank=True)
    credits_estimated = models.PositiveIntegerField(default=0)
    credits_used = models.PositiveIntegerField(default=0)
    percentage = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    current_action = models.CharField(max_length=40, blank=True)
    current_index = models.PositiveSmallIntegerField(default=0)
    total_actions = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        constraints = [
            choices_check("status", TaskStatus, "automation_task_status_valid"),
            choices_check("source", Source, "automation_task_source_valid"),
            choices_check("control", Control, "automation_task_control_valid"),
            models.CheckConstraint(condition=Q(percentage__lte=100), name="automation_task_pct_max_100"),
            # A schedule slot runs once, however many beat processes saw it due.
            models.UniqueConstraint(
                fields=["rule", "site", "scheduled_at"],
                condition=Q(source="schedule"),
                name="automation_task_one_per_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["site", "status"], name="automation_task_site_status"),
            models.Index(fields=["status", "heartbeat_at"], name="automation_task_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} @ {self.scheduled_at:%Y-%m-%d %H:%M} ({self.status})"


class SiteLock(models.Model):
    """Held by the one running execution of a site; the unique site makes a second holder impossible."""

    site = models.OneToOneField("accounts.Site", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    task = models.OneToOneField(ScheduledTask, on_delete=models.CASCADE, related_name="lock")
    acquired_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"site {self.site_id} held by execution {self.task_id}"


class WebhookDelivery(models.Model):
    """A signed webhook delivery already received: its signature is its nonce. The unique pair
    makes a replay (or two racing copies of one delivery) start at most one execution; rows whose
    signed timestamp is past the tolerance window are pruned, the timestamp check refuses those."""

    rule = models.ForeignKey(AutomationRule, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=64)  # hex HMAC-SHA256 of "{timestamp}.{body}"
    signed_at = models.DateTimeField(db_index=True)  # the sender's X-IGNY8-Timestamp
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "signature"], name="automation_webhook_delivery_once")
        ]

    def __str__(self) -> str:
        return f"rule {self.rule_id} delivery {self.signature[:12]} @ {self.signed_at:%Y-%m-%d %H:%M:%S}"
