"""The system test endpoints' work: prove a provider key, make one test image. The settings page
and the API's test image run on a worker (system/provider_checks.py); a key test, wherever it runs,
makes one call with a short timeout (factory.check_runtime): the API's answers in the request.

Keys belong to whoever set them: a test never sends a saved key or the server's key to an address
that arrives with the request, and a test image is priced and rate-limited like any image."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from igny8.accounts.models import Account
from igny8.ai import catalogue, rates, selectors
from igny8.ai.providers import factory
from igny8.ai.providers.base import ImageRequest, ProviderConfig, ProviderError
from igny8.ai.providers.registry import provider_info
from igny8.billing import services as billing
from igny8.billing.selectors import credit_cost

# What a test image shows when nobody typed a prompt (the API's default and the settings page's).
DEFAULT_TEST_PROMPT = "A cup of coffee on a wooden table, morning light"
TEST_PROMPT_MAX = 4000

MODELS_SHOWN = 50
EXTENSIONS = {"png": "png", "webp": "webp", "jpg": "jpg", "jpeg": "jpg"}
REQUEST_URL_NEEDS_REQUEST_KEY = (
    "Send apiKey together with base_url: a saved key or the server's key is never sent to an address "
    "given in a test request."
)


def _config(
    *, account: Account, kind: str, api_key: str = "", model: str = "", base_url: str = ""
) -> ProviderConfig:
    if base_url and not api_key:
        raise ProviderError(REQUEST_URL_NEEDS_REQUEST_KEY)
    info = provider_info(kind)
    config = (
        selectors.text_provider_config(account=account)
        if info.capabilities.text
        else selectors.image_provider_config(account=account, provider=kind)
    )
    same = config.provider == kind
    if api_key:
        # The request's own key goes to the request's address, else to the account's (or server's)
        # address for this provider: the key is the caller's, so either is theirs to choose.
        config = ProviderConfig(
            provider=kind,
            api_key=api_key,
            source="request",
            model=config.model if same else "",
            base_url=base_url or (config.base_url if same else selectors.operator_base_url(kind)),
        )
    elif not same:
        raise ProviderError(
            f"No {kind} API key: save one in Settings > Integrations or send apiKey to test it."
        )
    elif config.problem:
        raise ProviderError(config.problem)
    default_model = selectors.default_text_model() if info.capabilities.text else info.default_image_model
    config = replace(config, model=model or config.model or default_model)
    return selectors.with_spec(config, kind="text" if info.capabilities.text else "image")


def model_warnings(*, config: ProviderConfig, listed: list[str] | None = None) -> list[str]:
    """What the person should know about the configured model: shut down or shutting down soon
    (the catalogue's dates), or missing from the models the provider says this key can use."""
    warnings = []
    if config.spec is not None and (warning := catalogue.lifecycle_warning(config.spec)):
        warnings.append(warning)
    if listed is not None and config.model not in listed:
        name = provider_info(config.provider).display_name
        warnings.append(f"{config.model} is not among the models {name} lists for this key.")
    return warnings


def integration_test(
    *, account: Account, kind: str, api_key: str = "", model: str = "", base_url: str = ""
) -> dict:
    """Raises ProviderError with a message to show; returns what the provider said on success,
    with warnings about the configured model (a key that works with a retired model still fails)."""
    config = _config(account=account, kind=kind, api_key=api_key, model=model, base_url=base_url)
    with factory.someone_waiting():  # one short try: a dead address costs seconds
        details = factory.build_provider(config).check()
    listed = details.get("models")
    if listed is not None:
        details["models"] = listed[:MODELS_SHOWN]
    warnings = model_warnings(config=config, listed=listed)
    return {"provider": kind, "source": config.source, "model": config.model, **details, "warnings": warnings}


def count_test_image(*, account: Account) -> None:
    """A fixed one-hour window per account in the shared cache; over the limit: ProviderError 429."""
    limit = settings.TEST_IMAGES_PER_HOUR
    window = int(time.time() // 3600)
    key = f"ai:test-images:{account.pk}:{window}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > limit:
        wait = 3600 - int(time.time() % 3600)
        raise ProviderError(
            f"This account made its {limit} test images this hour; try again in {wait // 60 + 1} minutes.",
            status=429,
            retry_after=wait,
        )


def image_test(
    *,
    account: Account,
    prompt: str,
    provider: str = "",
    model: str = "",
    size: str = "1024x1024",
    counted: bool = False,
) -> dict:
    """`counted`: the request that queued this test already counted it (count_test_image)."""
    config = selectors.image_provider_config(account=account, provider=provider or None, model=model or None)
    if config.problem:
        raise ProviderError(config.problem)
    if not counted:
        count_test_image(account=account)
    # Priced like any image of this provider; the offline drawing costs nobody anything.
    credits = (
        0
        if config.provider == "offline"
        else credit_cost(operation="generate_images", provider=config.provider)
    )
    run_id = f"image-test-{uuid.uuid4().hex}"
    # Charged before the call, like a run's reservation (402 naming what is needed), and given back
    # if the provider fails: a test costs what an image costs, and nothing when none was made.
    billing.credits_reserve(account_id=account.pk, amount=credits, run_id=run_id, note="Test image")
    try:
        image_format = selectors.image_settings(account=account).get("image_format", "png")
        result = factory.build_provider(config).generate_image(
            ImageRequest(prompt=prompt, model=config.model, size=size, n=1, output_format=image_format)
        )
    except Exception:
        billing.credits_settle(account_id=account.pk, reserved=credits, used=0, run_id=run_id)
        raise
    image = result.images[0]
    url = image.url
    if image.data:
        name = f"ai-tests/{account.pk}/{uuid.uuid4().hex}.{EXTENSIONS.get(image_format, 'png')}"
        url = default_storage.url(default_storage.save(name, ContentFile(image.data)))
    price = rates.call_cost(config=config, result=result)
    cost = price.usd
    billing.usage_record(
        account_id=account.pk,
        run_id=run_id,
        operation="generate_image_test",
        provider=config.provider,
        model=config.model,
        credits=credits,
        cost_usd=cost,
        tokens_in=0,
        tokens_out=0,
    )
    return {
        "image_url": url,
        "revised_prompt": image.revised_prompt,
        # An unknown price is said, not shown as $0 (the usage log records it as null: unknown).
        "cost": None if cost is None else str(cost),
        "warnings": [price.warning] if price.warning else [],
        "credits": credits,
        "provider": config.provider,
        "model": config.model,
        "offline": result.offline,
    }
