"""Per-account integration settings, prompt overrides, and worker liveness."""

from django.db import models

from igny8.core.fields import EncryptedJSONField
from igny8.core.models import BaseModel, JobRow, JobStatus, choices_check


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


class PointOfView(models.TextChoices):
    ANY = "", "Any"
    FIRST_SINGULAR = "first_singular", "First person singular (I)"
    FIRST_PLURAL = "first_plural", "First person plural (we)"
    SECOND = "second", "Second person (you)"
    THIRD = "third", "Third person"


class ReadingLevel(models.TextChoices):
    ANY = "", "Any"
    SIMPLE = "simple", "Simple (plain words, short sentences)"
    GENERAL = "general", "General public"
    EXPERT = "expert", "Expert (the field's vocabulary)"


class AuthorProfile(BaseModel):
    """How an account's articles sound: language and country, tone, point of view, audience and
    the rest (the reference's AuthorProfile). A site chooses one; a sector may choose another
    (accounts.Site/Sector.author_profile). Every text prompt receives it (system/author_profiles.py)."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="author_profiles")
    name = models.CharField(max_length=100)
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 tag, e.g. en, de-AT, pt-BR.")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, e.g. DE.")
    tone = models.CharField(max_length=200, blank=True)
    point_of_view = models.CharField(max_length=20, choices=PointOfView.choices, blank=True)
    audience = models.CharField(max_length=300, blank=True)
    reading_level = models.CharField(max_length=10, choices=ReadingLevel.choices, blank=True)
    brand_voice = models.TextField(blank=True)
    words_to_use = models.JSONField(default=list, blank=True)
    words_to_avoid = models.JSONField(default=list, blank=True)
    article_length = models.PositiveIntegerField(
        null=True, blank=True, help_text="Words; empty: each task's own target."
    )
    include_faq = models.BooleanField(default=False)
    example_passages = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "name"], name="author_profile_name_unique_per_account"
            ),
            choices_check("point_of_view", PointOfView, "author_profile_point_of_view_valid"),
            choices_check("reading_level", ReadingLevel, "author_profile_reading_level_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderCheck(BaseModel, JobRow):
    """One Settings → Test (a provider key or a test image) run by a worker (system/provider_checks.py),
    so a provider that never answers holds a worker, not a web request."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)  # a keyed provider's name, or "image" for a test image
    # The test's own inputs (prompt, provider, model, size); encrypted because they are the caller's.
    params = EncryptedJSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [choices_check("status", JobStatus, "provider_check_status_valid")]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind} test ({self.status})"
