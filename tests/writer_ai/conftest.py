import io
import threading
from dataclasses import dataclass, field

import pytest
from PIL import Image as PILImage

from igny8.ai import engine
from igny8.ai import services as ai_services
from igny8.ai.models import AIRun
from igny8.ai.providers.base import Capabilities, CompletionResult, GeneratedImage, ImageResult
from igny8.planner.models import ContentIdea
from igny8.system.models import IntegrationSettings
from igny8.writer.models import Task

OUTLINE = [
    {"heading": "Why grind size matters", "subsections": ["Extraction", {"heading": "Taste"}]},
    {"heading": "Choosing a grinder", "subsections": []},
    {"heading": "Dialing in", "subsections": ["Espresso"]},
]


@pytest.fixture(autouse=True)
def _sandbox(settings):
    """No key reaches a test, so every run is offline unless a test installs a fake provider."""
    settings.OPENAI_API_KEY = ""
    settings.RUNWARE_API_KEY = ""
    settings.OPENAI_BASE_URL = ""


def run_now(tenant, function_name: str, payload: dict) -> AIRun:
    """What the endpoint and the worker do, synchronously: create (reserve credits), claim, run."""
    run = ai_services.run_create(account=tenant.account, function_name=function_name, payload=payload)
    return run_pending(run)


def run_pending(run: AIRun) -> AIRun:
    claimed = engine.claim_and_execute(run)
    claimed.refresh_from_db()
    return claimed


def make_task(tenant, title: str, *, outline=OUTLINE, **fields) -> Task:
    idea = ContentIdea.objects.create(
        account=tenant.account,
        site=tenant.site,
        title=title,
        outline=outline,
        primary_keyword="coffee grind size",
        secondary_keywords=["burr grinder"],
    )
    return Task.objects.create(
        account=tenant.account, site=tenant.site, sector=tenant.sector, idea=idea, title=title, **fields
    )


def image_settings(tenant, **config) -> None:
    IntegrationSettings.objects.update_or_create(
        account=tenant.account, integration_type="image_generation", defaults={"config": config}
    )


def png_bytes(width: int = 1024, height: int = 576, color=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class FakeProvider:
    """Thread-safe fake (never touches the database): `answer(prompt)` makes the text; `image`
    makes an ImageResult. Counts the calls in flight at once; an optional barrier makes calls wait
    for each other, so overlap is proven without timing."""

    answer: object = None
    image: object = None
    barrier: threading.Barrier | None = None
    name: str = "openai"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(text=True, images=True))
    prompts: list = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _enter(self, prompt: str) -> None:
        with self.lock:
            self.prompts.append(prompt)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if self.barrier is not None:
            self.barrier.wait(timeout=10)

    def _leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def complete(self, request):
        self._enter(request.prompt)
        try:
            return CompletionResult(
                text=self.answer(request.prompt), model=request.model, tokens_in=1000, tokens_out=2000
            )
        finally:
            self._leave()

    def generate_image(self, request):
        self._enter(request.prompt)
        try:
            if self.image is not None:
                return self.image(request)
            return ImageResult(
                images=[GeneratedImage(data=png_bytes())],
                model=request.model,
                size=request.size,
                quality=request.quality or "medium",
            )
        finally:
            self._leave()


@pytest.fixture
def fake_provider(monkeypatch, settings):
    """A FakeProvider in place of OpenAI: the key resolves (gpt-4o-mini for text, the image
    settings' model for images), so costs and credits follow the real rates."""
    from igny8.ai.providers import factory

    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_MODEL = "gpt-4o-mini"

    fake = FakeProvider()
    monkeypatch.setattr(factory, "build_provider", lambda config: fake)
    return fake
