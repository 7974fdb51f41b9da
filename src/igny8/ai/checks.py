"""The system test endpoints' work: prove a provider key, make one test image. Synchronous, as
in the reference: the person is waiting for the answer on the settings page."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from igny8.accounts.models import Account
from igny8.ai import rates, selectors
from igny8.ai.providers import factory
from igny8.ai.providers.base import ImageRequest, ProviderError
from igny8.ai.providers.factory import ProviderConfig
from igny8.billing import services as billing

EXTENSIONS = {"png": "png", "webp": "webp", "jpg": "jpg", "jpeg": "jpg"}


def _config(
    *, account: Account, kind: str, api_key: str = "", model: str = "", base_url: str = ""
) -> ProviderConfig:
    config = (
        selectors.text_provider_config(account=account)
        if kind == "openai"
        else selectors.image_provider_config(account=account, provider="runware")
    )
    if api_key:
        same = config.provider == kind
        config = ProviderConfig(
            provider=kind,
            api_key=api_key,
            source="request",
            model=config.model if same else "",
            base_url=config.base_url if same else "",
        )
    if config.provider != kind:
        raise ProviderError(
            f"No {kind} API key: save one in Settings > Integrations or send apiKey to test it."
        )
    default_model = settings.OPENAI_MODEL if kind == "openai" else selectors.DEFAULT_MODELS["runware"]
    return replace(config, model=model or config.model or default_model, base_url=base_url or config.base_url)


def integration_test(
    *, account: Account, kind: str, api_key: str = "", model: str = "", base_url: str = ""
) -> dict:
    """Raises ProviderError with a message to show; returns what the provider said on success."""
    config = _config(account=account, kind=kind, api_key=api_key, model=model, base_url=base_url)
    details = factory.build_provider(config).check()
    return {"provider": kind, "source": config.source, "model": config.model, **details}


def image_test(
    *, account: Account, prompt: str, provider: str = "", model: str = "", size: str = "1024x1024"
) -> dict:
    config = selectors.image_provider_config(account=account, provider=provider or None, model=model or None)
    image_format = selectors.image_settings(account=account).get("image_format", "png")
    result = factory.build_provider(config).generate_image(
        ImageRequest(prompt=prompt, model=config.model, size=size, n=1, output_format=image_format)
    )
    image = result.images[0]
    url = image.url
    if image.data:
        name = f"ai-tests/{account.pk}/{uuid.uuid4().hex}.{EXTENSIONS.get(image_format, 'png')}"
        url = default_storage.url(default_storage.save(name, ContentFile(image.data)))
    cost = result.cost_usd if result.cost_usd is not None else rates.image_cost(model=config.model, images=1)
    billing.usage_record(
        account_id=account.pk,
        run_id="",
        operation="generate_image_test",
        provider=config.provider,
        model=config.model,
        credits=0,
        cost_usd=cost or Decimal("0"),
        tokens_in=0,
        tokens_out=0,
    )
    return {
        "image_url": url,
        "revised_prompt": image.revised_prompt,
        "cost": str(cost or Decimal("0")),
        "provider": config.provider,
        "model": config.model,
        "offline": result.offline,
    }
