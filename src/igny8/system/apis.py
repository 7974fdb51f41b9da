"""REST endpoints for integration settings and prompt templates."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from igny8.accounts import access
from igny8.core.api import ok
from igny8.core.viewsets import AccountScopedMixin
from igny8.system import selectors, services
from igny8.system.integrations import SETTINGS_SCHEMAS
from igny8.system.models import AIPrompt
from igny8.system.prompts import PROMPT_TYPES, placeholder_problems


class IntegrationSettingsViewSet(AccountScopedMixin, viewsets.ViewSet):
    """One settings object per integration type: openai, runware, image_generation, wordpress.
    Secrets are write-only; reads show masked hints."""

    write_role = access.MANAGE
    lookup_field = "integration_type"

    def _type(self, integration_type: str) -> str:
        if integration_type not in SETTINGS_SCHEMAS:
            raise Http404(f"No integration type {integration_type!r}.")
        return integration_type

    @extend_schema(responses={200: dict})
    def list(self, request):
        return ok(selectors.integration_list(account=self.account))

    @extend_schema(responses={200: dict})
    def retrieve(self, request, integration_type: str):
        view = selectors.integration_view(account=self.account, integration_type=self._type(integration_type))
        response = ok(view)
        if integration_type == "image_generation":
            # The reference's client reads {success, config: {...}} (image-generation changelog);
            # ours (data.config) stays.
            response.data["config"] = view["config"]
        return response

    def _save(self, request, integration_type: str, *, replace: bool):
        kind = self._type(integration_type)
        # A partial save is judged against what is saved (a provider switch against the saved model).
        saved = (
            {}
            if replace
            else selectors.integration_view(account=self.account, integration_type=kind)["config"]
        )
        body = SETTINGS_SCHEMAS[kind](data=request.data, partial=not replace, context={"saved": saved})
        body.is_valid(raise_exception=True)
        # Only what the caller sent (defaults are shown on read, not frozen into the row), plus the
        # model a provider switch brought with it (that provider's default).
        switched = "provider" in request.data and "model" not in request.data
        sent = {
            key: value
            for key, value in body.validated_data.items()
            if key in request.data or (switched and key == "model")
        }
        row = services.integration_save(
            account=self.account, integration_type=kind, values=sent, replace=replace
        )
        return ok(
            selectors.integration_view(account=self.account, integration_type=kind, row=row),
            message="Settings saved.",
        )

    @extend_schema(request=dict, responses={200: dict})
    def update(self, request, integration_type: str):
        return self._save(request, integration_type, replace=True)

    @extend_schema(request=dict, responses={200: dict})
    def partial_update(self, request, integration_type: str):
        return self._save(request, integration_type, replace=False)

    def destroy(self, request, integration_type: str):
        services.integration_delete(account=self.account, integration_type=self._type(integration_type))
        return ok(None, message="Settings removed; defaults apply.")


class PromptWriteSerializer(serializers.Serializer):
    value = serializers.CharField(max_length=50_000, trim_whitespace=False)
    is_active = serializers.BooleanField(required=False, default=True)


class PromptViewSet(AccountScopedMixin, viewsets.ViewSet):
    """Prompt templates: the shipped default unless the account saved its own. Saving checks the
    placeholders; reset deletes the override."""

    write_role = access.MANAGE
    lookup_field = "prompt_type"

    def _type(self, prompt_type: str) -> str:
        if prompt_type not in PROMPT_TYPES:
            raise Http404(f"No prompt type {prompt_type!r}.")
        return prompt_type

    @extend_schema(responses={200: dict})
    def list(self, request):
        return ok(selectors.prompt_list(account=self.account))

    @extend_schema(responses={200: dict})
    def retrieve(self, request, prompt_type: str):
        kind = self._type(prompt_type)
        override = AIPrompt.objects.filter(account=self.account, prompt_type=kind).first()
        return ok(selectors.prompt_view(prompt_type=kind, override=override))

    @extend_schema(request=PromptWriteSerializer, responses={200: dict})
    def update(self, request, prompt_type: str):
        kind = self._type(prompt_type)
        body = PromptWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        problems = placeholder_problems(prompt_type=kind, template=body.validated_data["value"])
        if problems:
            raise serializers.ValidationError({"value": problems})
        prompt = services.prompt_save(account=self.account, prompt_type=kind, **body.validated_data)
        return ok(selectors.prompt_view(prompt_type=kind, override=prompt), message="Prompt saved.")

    partial_update = update

    @extend_schema(request=None, responses={200: dict})
    def reset(self, request, prompt_type: str):
        kind = self._type(prompt_type)
        services.prompt_reset(account=self.account, prompt_type=kind)
        return ok(selectors.prompt_view(prompt_type=kind, override=None), message="Prompt reset to default.")
