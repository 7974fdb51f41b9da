"""What each integration's settings may hold, its defaults, and which of its keys are secrets."""

from django.core.validators import RegexValidator
from rest_framework import serializers

from igny8.ai import catalogue
from igny8.ai.providers.base import ProviderInfo
from igny8.ai.providers.registry import image_providers, keyed, provider_info, serving
from igny8.system.models import IntegrationType

SECRET_KEYS = {"apiKey", "app_password"}


class OptionalIntegerField(serializers.IntegerField):
    """A number that may be left blank: the settings form sends a cleared field as ''."""

    def validate_empty_values(self, data):
        if isinstance(data, str) and not data.strip():
            return (True, None)
        return super().validate_empty_values(data)


def api_key_field() -> serializers.CharField:
    """An API key goes into an HTTP header: printable ASCII only, said before anything is sent."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        validators=[
            RegexValidator(
                r"^[\x21-\x7e]*$",
                "An API key is letters, digits and punctuation only (no spaces or accented letters); "
                "paste it again from the provider's dashboard.",
            )
        ],
    )


class _StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, naming them, instead of silently dropping a typo."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [f"Unknown setting; allowed: {', '.join(sorted(self.fields))}."]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


def _retired_problem(model: str, *, kind: str, provider: str) -> str:
    """A model the provider has shut down is refused when saved, naming what to use instead."""
    spec = catalogue.spec(model, kind=kind, provider=provider)
    return catalogue.lifecycle_warning(spec) if spec.retired() else ""


def provider_settings(info: ProviderInfo) -> type[_StrictSerializer]:
    """A keyed provider's settings, from what it declares: its key, its model (the provider's
    default), a base_url where it may run on an account's own server, and the on/off switch."""
    kind = "text" if info.capabilities.text else "image"
    fields: dict = {
        "apiKey": api_key_field(),
        "model": serializers.CharField(
            required=False, max_length=100, default=info.default_text_model or info.default_image_model
        ),
        "enabled": serializers.BooleanField(required=False, default=True),
    }
    if info.own_base_url:
        fields["base_url"] = serializers.URLField(required=False, allow_blank=True, default="")

    def validate_model(self, value: str) -> str:
        problem = _retired_problem(value, kind=kind, provider=info.name)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    fields["validate_model"] = validate_model
    return type(f"{info.display_name.replace(' ', '')}Settings", (_StrictSerializer,), fields)


_IMAGE_DEFAULT = image_providers()[0]


class ImageGenerationSettings(_StrictSerializer):
    # The reference's defaults (image-generation-changelog.md), with a model that is still served.
    provider = serializers.ChoiceField(
        choices=[info.name for info in image_providers()], required=False, default=_IMAGE_DEFAULT.name
    )
    model = serializers.CharField(required=False, max_length=100, default=_IMAGE_DEFAULT.default_image_model)
    image_type = serializers.ChoiceField(
        choices=["realistic", "artistic", "cartoon", "illustration", "photographic"],
        required=False,
        default="realistic",
    )
    max_in_article_images = serializers.IntegerField(min_value=0, max_value=10, required=False, default=2)
    image_format = serializers.ChoiceField(choices=["webp", "jpg", "png"], required=False, default="webp")
    desktop_enabled = serializers.BooleanField(required=False, default=True)
    mobile_enabled = serializers.BooleanField(required=False, default=True)
    # An optional cap on a run's image calls in flight (1 = the reference's sequential queue).
    # Blank (the default): the provider's adaptive pace decides (ai/pacing.py, docs/ai-engine.md).
    concurrency = OptionalIntegerField(
        min_value=1, max_value=8, required=False, allow_null=True, default=None
    )

    def validate(self, attrs: dict) -> dict:
        """The model must be one the chosen provider serves (provider openai with runware:97@1 would
        be sent to OpenAI's images endpoint) and not shut down. A partial save is checked against
        the saved settings the caller passes as context["saved"]; without them, a partial save is
        checked only for what it names (the saved provider is unknown here)."""
        if "model" not in attrs and "provider" not in attrs:
            return attrs
        if "saved" not in self.context and "provider" not in attrs:
            problem = _retired_problem(attrs["model"], kind="image", provider="")
            if problem:
                raise serializers.ValidationError({"model": [problem]})
            return attrs
        saved = {**defaults_for(IntegrationType.IMAGE_GENERATION), **(self.context.get("saved") or {})}
        provider = attrs.get("provider", saved["provider"])
        info = provider_info(provider)
        sent = isinstance(self.initial_data, dict) and "model" in self.initial_data
        model = attrs.get("model", saved["model"])
        if not sent and info.image_models is not None and not info.image_models.fullmatch(model):
            # A provider switch without a model: that provider's own default, not a mismatch.
            model = attrs["model"] = info.default_image_model
        if info.image_models is not None and not info.image_models.fullmatch(model):
            serves = ", ".join(other.display_name for other in serving(model)) or "no configured provider"
            raise serializers.ValidationError(
                {
                    "model": [
                        f"{info.display_name} cannot make images with {model} (a model for {serves}). "
                        f"Choose one {info.display_name} serves, such as {info.image_model_example}, or "
                        "change the provider."
                    ]
                }
            )
        problem = _retired_problem(model, kind="image", provider=provider)
        if problem:
            raise serializers.ValidationError({"model": [problem]})
        return attrs


class WordPressSettings(_StrictSerializer):
    url = serializers.URLField(required=False, allow_blank=True, default="")
    username = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    app_password = serializers.CharField(required=False, allow_blank=True, max_length=200)


# One per keyed provider (from the registry), then the image and publishing settings.
SETTINGS_SCHEMAS: dict[str, type[serializers.Serializer]] = {
    **{info.name: provider_settings(info) for info in keyed()},
    IntegrationType.IMAGE_GENERATION: ImageGenerationSettings,
    IntegrationType.WORDPRESS: WordPressSettings,
}


def defaults_for(integration_type: str) -> dict:
    schema = SETTINGS_SCHEMAS[integration_type]()
    return {
        name: field.default
        for name, field in schema.fields.items()
        if name not in SECRET_KEYS and field.default is not serializers.empty
    }
