"""Every provider, in one place. A provider module declares its ProviderInfo (name, key, address,
defaults, capabilities, how to build itself); adding one is that module, one line here and its
models in ai/catalogue.json. Settings schemas, key resolution, the factory and the settings page
iterate this registry instead of naming providers."""

from __future__ import annotations

from igny8.ai.providers import offline, openai, runware
from igny8.ai.providers.base import ProviderConfig, ProviderInfo

PROVIDERS: dict[str, ProviderInfo] = {
    info.name: info
    for info in (
        openai.INFO,
        runware.INFO,
        offline.INFO,
    )
}
# The provider a run falls back to when no key resolves; never called over the network.
OFFLINE = offline.INFO.name
# The provider text runs use (the first keyed one that makes text).
TEXT_PROVIDER = openai.INFO.name


def provider_info(name: str) -> ProviderInfo:
    try:
        return PROVIDERS[name]
    except KeyError:
        raise LookupError(f"No provider named {name!r}; known: {', '.join(PROVIDERS)}.") from None


def keyed() -> list[ProviderInfo]:
    """Providers that take an API key: the ones an account configures in Settings > Integrations."""
    return [info for info in PROVIDERS.values() if info.key_setting]


def image_providers() -> list[ProviderInfo]:
    return [info for info in keyed() if info.capabilities.images]


def serving(image_model: str) -> list[ProviderInfo]:
    """The keyed providers whose naming rule fits this image model (the settings' mismatch check)."""
    return [
        info
        for info in image_providers()
        if info.image_models is not None and info.image_models.fullmatch(image_model)
    ]


def json_mode(config: ProviderConfig) -> str:
    """How a call asks for JSON: the model's mode where the provider offers it, else the provider's
    own (the offline provider answers the schema itself)."""
    modes = provider_info(config.provider).capabilities.schema_modes
    wanted = config.spec.json_mode if config.spec else "prompt"
    return wanted if wanted in modes or not modes else modes[0]
