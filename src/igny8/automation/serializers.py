"""Shapes of rules and executions in the API."""

from django.utils import timezone
from rest_framework import serializers

from igny8.accounts.models import Site
from igny8.automation import selectors
from igny8.automation.models import AutomationRule, ScheduledTask
from igny8.automation.validation import rule_check
from igny8.core.errors import Invalid
from igny8.core.serializers import TenantRelatedField, as_validation_error

RULE_CHECKED = ("conditions", "actions", "trigger", "schedule", "timezone", "event_type")


class RuleSerializer(serializers.ModelSerializer):
    site = TenantRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    schedule_description = serializers.SerializerMethodField()
    next_runs = serializers.SerializerMethodField()
    webhook_url = serializers.SerializerMethodField()
    conditions = serializers.JSONField(required=False)
    actions = serializers.JSONField()

    class Meta:
        model = AutomationRule
        fields = [
            "id",
            "public_id",
            "name",
            "description",
            "site",
            "trigger",
            "schedule",
            "timezone",
            "event_type",
            "conditions",
            "actions",
            "is_active",
            "status",
            "max_credits_per_run",
            "step_delay_seconds",
            "last_executed_at",
            "next_run_at",
            "execution_count",
            "schedule_description",
            "next_runs",
            "webhook_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["public_id", "last_executed_at", "next_run_at", "execution_count"]
        # The table's check constraint (>= 0): refused here with a 400 rather than an IntegrityError.
        extra_kwargs = {"step_delay_seconds": {"min_value": 0}}

    def validate(self, attrs):
        merged = {name: getattr(self.instance, name) for name in RULE_CHECKED} if self.instance else {}
        merged.update({name: attrs[name] for name in RULE_CHECKED if name in attrs})
        try:
            cleaned = rule_check(data=merged)  # 400 naming the field (and the condition) on a bad rule
        except Invalid as error:
            raise as_validation_error(error) from None
        attrs.update({name: cleaned[name] for name in ("actions", "schedule", "conditions") if name in attrs})
        return attrs

    def get_schedule_description(self, rule) -> str:
        return selectors.schedule_info(rule=rule, now=timezone.now())["description"]

    def get_next_runs(self, rule) -> list[str]:
        return selectors.schedule_info(rule=rule, now=timezone.now())["next_runs"]

    def get_webhook_url(self, rule) -> str:
        return f"/api/v1/automation/webhooks/{rule.public_id}/"


class ScheduledTaskSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField(source="rule.name", read_only=True)

    class Meta:
        model = ScheduledTask
        fields = [
            "id",
            "public_id",
            "rule",
            "rule_name",
            "site",
            "source",
            "context",
            "scheduled_at",
            "executed_at",
            "finished_at",
            "status",
            "control",
            "results",
            "error_message",
            "credits_estimated",
            "credits_used",
            "percentage",
            "message",
            "current_action",
            "current_index",
            "total_actions",
            "attempts",
            "rerun_of",
            "created_at",
        ]
        read_only_fields = fields


class ExecuteSerializer(serializers.Serializer):
    context = serializers.DictField(required=False, default=dict)
    site_id = serializers.IntegerField(required=False, allow_null=True)
