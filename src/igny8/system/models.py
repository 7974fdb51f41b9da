"""Per-account integration settings, prompt overrides, and worker liveness."""

from django.db import models

from igny8.core.fields import EncryptedJSONField
from igny8.core.models import BaseModel, choices_check


class IntegrationType(models.TextChoices):
    OPENAI = "openai", "OpenAI"
    RUNWARE = "runware", "Runware"
    IMAGE_GENERATION = "image_generation", "Image generation"
    WORDPRESS = "wordpress", "WordPress"


class IntegrationSettings(BaseModel):
    """Plain options live in `config`; API keys and passwords live encrypted in `secrets`."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="integrations")
    integration_type = models.CharField(max_length=20, choices=IntegrationType.choices)
    config = models.JSONField(default=dict, blank=True)
    secrets = EncryptedJSONField(blank=True, default=dict)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "integration settings"
        constraints = [
            models.UniqueConstraint(fields=["account", "integration_type"], name="one_integration_per_type"),
            choices_check("integration_type", IntegrationType, "integration_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.integration_type} for {self.account_id}"


class AIPrompt(BaseModel):
    """An account's override of a shipped default prompt (see igny8/system/prompts/)."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="prompts")
    prompt_type = models.CharField(max_length=50)
    value = models.TextField()
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "prompt_type"], name="one_prompt_per_type_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.prompt_type} for {self.account_id}"


class WorkerHeartbeat(models.Model):
    """Written by the worker when beat's heartbeat task runs: proof the whole loop
    (beat → broker → worker → database) works, whatever the broker."""

    worker = models.CharField(max_length=200, unique=True)
    last_seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker
