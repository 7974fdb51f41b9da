"""REST endpoints of automation. Thin: parse, call a service or selector, answer."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from igny8.automation import selectors, services, webhooks
from igny8.automation.models import AutomationRule, ScheduledTask
from igny8.automation.serializers import ExecuteSerializer, RuleSerializer, ScheduledTaskSerializer
from igny8.core.api import ok
from igny8.core.viewsets import AccountScopedMixin, TenantViewSet


class AutomationRuleViewSet(TenantViewSet):
    model = AutomationRule
    serializer_class = RuleSerializer
    selector = selectors.rule_list
    create_service = services.rule_create
    update_service = services.rule_update
    filterset_fields = ["trigger", "status", "is_active", "site", "event_type"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at", "last_executed_at", "next_run_at"]

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        rule = AutomationRule.objects.get(pk=response.data["id"])
        # The webhook secret is shown once, here and by rotate_secret.
        response.data["webhook_secret"] = rule.webhook_secret.get("secret", "")
        return response

    @extend_schema(request=ExecuteSerializer, responses={202: ScheduledTaskSerializer})
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        body = ExecuteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        task = services.rule_execute(
            rule=self.get_object(),
            site_id=body.validated_data.get("site_id"),
            context=body.validated_data["context"],
            user=request.user,
        )
        return ok(ScheduledTaskSerializer(task).data, message="Queued.", status_code=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        return ok(selectors.progress(rule=self.get_object()))

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def rotate_secret(self, request, pk=None):
        secret = services.rule_rotate_secret(rule=self.get_object())
        return ok({"webhook_secret": secret}, message="The old secret no longer works.")

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"], url_path="action-types", url_name="action-types")
    def action_types(self, request):
        return ok(selectors.action_types(account=self.account))

    @extend_schema(responses={200: ScheduledTaskSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="execution-history", url_name="execution-history")
    def execution_history(self, request):
        executions = selectors.execution_list(account=self.account)
        if request.query_params.get("rule"):
            executions = executions.filter(rule_id=request.query_params["rule"])
        page = self.paginate_queryset(executions)
        return self.get_paginated_response(ScheduledTaskSerializer(page, many=True).data)


class ScheduledTaskViewSet(AccountScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ScheduledTaskSerializer
    filterset_fields = ["status", "rule", "site", "source"]
    ordering_fields = ["scheduled_at", "created_at", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ScheduledTask.objects.none()
        return selectors.execution_list(account=self.account)

    def _answer(self, task: ScheduledTask, status_code: int = 200):
        return ok(ScheduledTaskSerializer(task).data, message=task.message, status_code=status_code)

    @extend_schema(request=None, responses={200: ScheduledTaskSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._answer(services.execution_cancel(task=self.get_object()))

    @extend_schema(request=None, responses={200: ScheduledTaskSerializer})
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._answer(services.execution_pause(task=self.get_object()))

    @extend_schema(request=None, responses={200: ScheduledTaskSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._answer(services.execution_resume(task=self.get_object()))

    @extend_schema(request=None, responses={202: ScheduledTaskSerializer})
    @action(detail=True, methods=["post"])
    def rerun(self, request, pk=None):
        task = services.execution_rerun(task=self.get_object(), user=request.user)
        return self._answer(task, status.HTTP_202_ACCEPTED)


class WebhookView(APIView):
    """No login: the HMAC signature of timestamp and body with the rule's secret is the authentication."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request) -> str:
        # Makes a refusal 401 (DRF answers 403 without a WWW-Authenticate value).
        return 'Signature headers="X-IGNY8-Timestamp X-IGNY8-Signature", algorithm="hmac-sha256"'

    @extend_schema(
        request=dict,
        responses={202: ScheduledTaskSerializer},
        parameters=[
            OpenApiParameter(
                "X-IGNY8-Timestamp",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="Unix seconds when sent; refused outside the tolerance (default 300 s).",
            ),
            OpenApiParameter(
                "X-IGNY8-Signature",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description='"sha256=" + hex HMAC-SHA256 of "{timestamp}.{body}" keyed by the secret.',
            ),
        ],
    )
    def post(self, request, rule_public_id: str):
        try:
            task = webhooks.webhook_receive(
                public_id=rule_public_id,
                body=request.body,
                signature=request.META.get(webhooks.HEADER, ""),
                timestamp=request.META.get(webhooks.TIMESTAMP_HEADER, ""),
            )
        except webhooks.SignatureRefused as refusal:
            raise AuthenticationFailed(refusal.message) from None
        return ok(
            {"scheduled_task_id": task.pk, "status": task.status},
            message="Queued.",
            status_code=status.HTTP_202_ACCEPTED,
        )
