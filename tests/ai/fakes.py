"""Test AI functions and a scripted provider. Registered by the ai conftest (and by worker_app for
the real-worker test), never shipped."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db import connection
from pydantic import BaseModel

from igny8.ai import prompts
from igny8.ai.base import AIFunction, GeneratedImages, ImagePrompt, RunContext, TextPrompt, check_plan_limit
from igny8.ai.models import AIRun
from igny8.ai.providers.base import Capabilities, CompletionResult, GeneratedImage, ImageResult, ProviderError


class Summary(BaseModel):
    title: str
    tags: list[str]


class ClusterLikeFunction(AIFunction):
    """One call for everything, like clustering."""

    name = "test_cluster"
    title = "Test clustering"
    operation = "cluster_keywords"
    prompt_type = "clustering"
    output_schema = Summary

    def validate(self, ctx: RunContext) -> None:
        super().validate(ctx)
        check_plan_limit(
            account=ctx.account,
            limit="daily_cluster_limit",
            current=0,
            adding=len(ctx.payload.get("ids", [])),
            what="clusters per day",
        )

    def prepare(self, ctx):
        return [ctx.payload.get("ids", [1])]

    def build_prompt(self, ctx, item, template):
        text = prompts.render(
            template, prompt_type="clustering", sector="Coffee", keywords=", ".join(map(str, item))
        )
        return TextPrompt(prompt=text, offline_draft={"title": "[Offline draft] Coffee", "tags": []})

    def save_output(self, ctx, item, output):
        return {"title": output.title, "tags": output.tags}


class PerItemFunction(ClusterLikeFunction):
    """One call per id, like article generation; ids in payload["fail_ids"] fail while saving."""

    payload_fields = frozenset({"fail_ids"})

    name = "test_per_item"
    operation = "generate_content"
    per_item = True
    max_items = 5

    def validate(self, ctx):
        AIFunction.validate(self, ctx)

    def prepare(self, ctx):
        return list(ctx.payload["ids"])

    def build_prompt(self, ctx, item, template):
        return TextPrompt(
            prompt=f"Write item {item}", offline_draft={"title": f"[Offline draft] {item}", "tags": []}
        )

    def save_output(self, ctx, item, output):
        if item in ctx.payload.get("fail_ids", []):
            raise ValueError(f"cannot save item {item}")
        return {"title": output.title}


class ImageFunction(AIFunction):
    name = "test_images"
    operation = "generate_images"
    kind = "image"
    per_item = True
    output_schema = GeneratedImages

    def prepare(self, ctx):
        return list(ctx.payload["ids"])

    def build_prompt(self, ctx, item, template):
        return ImagePrompt(prompt=f"Picture {item}", size="256x256")

    def save_output(self, ctx, item, output):
        return {"images": len(output.images), "bytes": len(output.images[0].data_b64)}


FUNCTIONS = {
    "test_cluster": "tests.ai.fakes.ClusterLikeFunction",
    "test_per_item": "tests.ai.fakes.PerItemFunction",
    "test_images": "tests.ai.fakes.ImageFunction",
}


@dataclass
class ScriptedProvider:
    """Answers from a script (a str, an exception, or a callable taking the request); records what
    it was asked and the run row's progress at the moment of each call."""

    script: list = field(default_factory=list)
    default: str = '{"title": "T", "tags": ["a"]}'
    tokens: tuple[int, int] = (100, 50)
    requests: list = field(default_factory=list)
    seen: list = field(default_factory=list)
    name: str = "openai"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(text=True, images=True))

    def _next(self, request):
        # Calls run on the engine's pool threads, with their own database connection: it sees the
        # run row only in transactional tests, and is closed here rather than left to the thread.
        try:
            return self._answer(request)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connection.close()

    def _answer(self, request):
        self.requests.append(request)
        run = AIRun.objects.order_by("-id").first()
        if run is not None:
            self.seen.append((run.phase, run.percentage, run.current, run.total))
        step = self.script.pop(0) if self.script else self.default
        if callable(step) and not isinstance(step, type):
            step = step(request)
        if isinstance(step, BaseException):
            raise step
        return step

    def complete(self, request):
        text = self._next(request)
        return CompletionResult(
            text=text, model=request.model, tokens_in=self.tokens[0], tokens_out=self.tokens[1]
        )

    def generate_image(self, request):
        step = self._next(request)
        if isinstance(step, ImageResult):
            return step
        return ImageResult(
            images=[GeneratedImage(url=f"https://img.example/{len(self.requests)}.png")], model=request.model
        )


def refusal(message: str = "The model refused: no.") -> ProviderError:
    return ProviderError(message)
