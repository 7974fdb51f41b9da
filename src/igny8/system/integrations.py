"""What each integration's settings may hold, its defaults, and which of its keys are secrets."""

from rest_framework import serializers

from igny8.system.models import IntegrationType

SECRET_KEYS = {"apiKey", "app_password"}


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


class OpenAISettings(_StrictSerializer):
    apiKey = serializers.CharField(required=False, allow_blank=True, max_length=500)
    model = serializers.CharField(required=False, max_length=100, default="gpt-4o-mini")
    base_url = serializers.URLField(required=False, allow_blank=True, default="")
    enabled = serializers.BooleanField(required=False, default=True)


class RunwareSettings(_StrictSerializer):
    apiKey = serializers.CharField(required=False, allow_blank=True, max_length=500)
    model = serializers.CharField(required=False, max_length=100, default="runware:97@1")
    enabled = serializers.BooleanField(required=False, default=True)


class ImageGenerationSettings(_StrictSerializer):
    # Defaults of the reference (image-generation-changelog.md).
    provider = serializers.ChoiceField(choices=["openai", "runware"], required=False, default="openai")
    model = serializers.CharField(required=False, max_length=100, default="dall-e-3")
    image_type = serializers.ChoiceField(
        choices=["realistic", "artistic", "cartoon", "illustration", "photographic"],
        required=False,
        default="realistic",
    )
    max_in_article_images = serializers.IntegerField(min_value=0, max_value=10, required=False, default=2)
    image_format = serializers.ChoiceField(choices=["webp", "jpg", "png"], required=False, default="webp")
    desktop_enabled = serializers.BooleanField(required=False, default=True)
    mobile_enabled = serializers.BooleanField(required=False, default=True)
    # Image calls in flight at once in one run; 1 is the reference's sequential queue. Raise it
    # only as far as the provider's rate limit allows.
    concurrency = serializers.IntegerField(min_value=1, max_value=8, required=False, default=1)


class WordPressSettings(_StrictSerializer):
    url = serializers.URLField(required=False, allow_blank=True, default="")
    username = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    app_password = serializers.CharField(required=False, allow_blank=True, max_length=200)


SETTINGS_SCHEMAS: dict[str, type[serializers.Serializer]] = {
    IntegrationType.OPENAI: OpenAISettings,
    IntegrationType.RUNWARE: RunwareSettings,
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
