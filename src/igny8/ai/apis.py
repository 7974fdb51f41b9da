"""REST endpoints: task progress (the reference's contract), runs (start, list, detail, cancel) and
the integration test endpoints. Thin: parse, call a selector or service, answer."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from igny8.accounts import access
from igny8.ai import checks, selectors, services
from igny8.ai.models import AIRun
from igny8.ai.providers import offline, registry
from igny8.ai.providers.base import ProviderError
from igny8.ai.serializers import StrictSerializer, accepted
from igny8.core.api import ok
from igny8.core.viewsets import AccountScopedMixin
from igny8.system import provider_checks
from igny8.system.integrations import api_key_field


class RunSerializer(serializers.ModelSerializer):
    class Meta:
        model = AIRun
        fields = [
            "task_id",
            "function_name",
            "status",
            "phase",
            "percentage",
            "current",
            "total",
            "message",
            "provider",
            "model",
            "tokens_in",
            "tokens_out",
            "cost_usd",
            "unpriced_calls",
            "credits_reserved",
            "credits_used",
            "items_succeeded",
            "items_failed",
            "error",
            "payload",
            "result",
            "request_steps",
            "response_steps",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "duration_ms",
        ]


class RunStartSerializer(StrictSerializer):
    function = serializers.CharField(max_length=80)
    payload = serializers.DictField(required=False, default=dict)
    site_id = serializers.IntegerField(required=False)


class FunctionListView(AccountScopedMixin, APIView):
    """GET /api/v1/ai/functions/: every AI function (the pipeline's and every app's ai/ folder):
    name, title, kind, prompt type, price per unit, the payload keys it takes besides ids."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        from igny8.ai.discovery import function_catalogue

        return ok(function_catalogue())


class TaskProgressView(AccountScopedMixin, APIView):
    """GET /system/settings/task_progress/{task_id}/: {state, meta, result} read from the run row.
    The body carries "success" so the envelope renderer leaves the reference's shape alone."""

    @extend_schema(responses={200: dict})
    def get(self, request, task_id: str):
        run = selectors.run_get(account=self.account, task_id=task_id)
        return Response({"success": True, **selectors.task_progress(run=run)})


class RunViewSet(AccountScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RunSerializer
    lookup_field = "task_id"
    filterset_fields = ["function_name", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AIRun.objects.none()
        return selectors.run_list(account=self.account)

    @extend_schema(request=RunStartSerializer, responses={202: dict})
    def create(self, request):
        body = RunStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        site_id = body.validated_data.get("site_id")
        site = access.access_site(account=self.account, site_id=site_id) if site_id else None
        run = services.run_start(
            account=self.account,
            function_name=body.validated_data["function"],
            payload=body.validated_data["payload"],
            site=site,
            user=request.user,
        )
        return accepted(run)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def cancel(self, request, task_id: str):
        run = services.run_cancel(run=selectors.run_get(account=self.account, task_id=task_id))
        return ok(RunSerializer(run).data, message=run.message)


class ProviderTestSerializer(serializers.Serializer):
    apiKey = api_key_field()
    model = serializers.CharField(required=False, allow_blank=True, max_length=100)
    base_url = serializers.URLField(required=False, allow_blank=True)


class ImageTestSerializer(serializers.Serializer):
    prompt = serializers.CharField(
        max_length=checks.TEST_PROMPT_MAX, required=False, default=checks.DEFAULT_TEST_PROMPT
    )
    provider = serializers.ChoiceField(
        choices=[info.name for info in registry.image_providers()], required=False
    )
    model = serializers.CharField(required=False, allow_blank=True, max_length=100)
    size = serializers.CharField(
        required=False, default="1024x1024", max_length=11, help_text=f"{offline.SIZE_FORM}."
    )

    def validate_size(self, value: str) -> str:
        # Refused here, before credits are reserved or a provider allocates the canvas.
        try:
            width, height = offline.image_size(value)
        except ValueError as error:
            raise serializers.ValidationError(f"Send {offline.SIZE_FORM}; got {value!r}.") from error
        return f"{width}x{height}"


def _provider_failed(error: ProviderError) -> Response:
    # The provider's refusal is the caller's to fix (bad key, bad model): 400, never 5xx; a rate
    # limit (ours on test images, or the provider's) is a 429 with the wait.
    if error.status == 429:
        headers = {"Retry-After": str(int(error.retry_after))} if error.retry_after else {}
        return Response(
            {"success": False, "error": error.message, "errors": {}},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers=headers,
        )
    return Response(
        {"success": False, "error": error.message, "errors": {}}, status=status.HTTP_400_BAD_REQUEST
    )


class IntegrationTestView(AccountScopedMixin, APIView):
    """POST /system/settings/integrations/{openai|runware}/test/ (admin/owner): proves the key."""

    read_role = write_role = access.MANAGE

    @extend_schema(request=ProviderTestSerializer, responses={200: dict})
    def post(self, request, kind: str):
        body = ProviderTestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            data = checks.integration_test(
                account=self.account,
                kind=kind,
                api_key=body.validated_data.get("apiKey", ""),
                model=body.validated_data.get("model", ""),
                base_url=body.validated_data.get("base_url", ""),
            )
        except ProviderError as error:
            return _provider_failed(error)
        return ok(data, message=f"{kind} connection works.")


class ImageTestView(AccountScopedMixin, APIView):
    """POST /system/settings/integrations/generate_image/ (admin/owner): one test image, made on a
    worker (an image takes the provider up to minutes); 202 with the test's status_url."""

    read_role = write_role = access.MANAGE

    @extend_schema(request=ImageTestSerializer, responses={202: dict})
    def post(self, request, kind: str = ""):
        body = ImageTestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        try:
            check = provider_checks.image_check_start(
                account=self.account,
                prompt=values["prompt"],
                provider=values.get("provider") or kind,
                model=values.get("model", ""),
                size=values["size"],
            )
        except ProviderError as error:  # this hour's test images are used up: 429
            return _provider_failed(error)
        status_url = reverse("integration-check-status", kwargs={"check_id": check.pk})
        return ok(
            {**provider_checks.check_view(check=check), "status_url": status_url},
            status_code=202,
            message="Making the test image on a worker; poll status_url for it.",
        )


class CheckStatusView(AccountScopedMixin, APIView):
    """GET /system/settings/integrations/tests/{id}/ (admin/owner): a test started by the API or
    the settings page: queued, running, done (with its result) or failed (with the reason)."""

    read_role = write_role = access.MANAGE

    @extend_schema(responses={200: dict})
    def get(self, request, check_id: int):
        check = provider_checks.check_get(account=self.account, check_id=check_id)
        return ok(provider_checks.check_view(check=check))
