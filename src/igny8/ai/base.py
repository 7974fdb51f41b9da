"""What an AI function is: five steps the engine calls in order, plus metadata and an output schema.

    validate(ctx)                      refuse bad input (400) or plan limits (402) before anything runs
    prepare(ctx) -> items              load what the run works on; one provider call per item
    build_prompt(ctx, item, template)  a TextPrompt or ImagePrompt for that item
    parse_response(ctx, item, result)  the provider's answer as an instance of `output_schema`
    save_output(ctx, item, output)     write it; returns a small JSON-able summary of the item

A function that needs one call for everything (clustering) returns a single item from prepare.
"""

from __future__ import annotations

import base64
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel

from igny8.accounts.models import Account, Site
from igny8.ai import parsing
from igny8.ai.providers.base import CompletionResult, ImageResult
from igny8.core.errors import Invalid, PlanLimit
from igny8.system import author_profiles
from igny8.system.voice import Voice

# Payload keys every function takes: the records, a one-run prompt, a forced provider.
COMMON_PAYLOAD = frozenset({"ids", "prompt_override", "provider"})

# What the PREP phase calls the records a function reads (by its ids_model).
PREP_NOUNS = {
    "planner.Keyword": ("keyword", "keywords"),
    "planner.Cluster": ("cluster", "clusters"),
    "planner.ContentIdea": ("idea", "ideas"),
    "writer.Task": ("task", "tasks"),
    "writer.Content": ("article", "articles"),
    "writer.Image": ("image", "images"),
    "publishing.SitePage": ("page", "pages"),
}

DEFAULT_PHASE_MESSAGES = {
    "INIT": "Validating input...",
    "PREP": "Preparing {total} item(s)...",
    "AI_CALL": "Calling AI for item {current} of {total}...",
    "PARSE": "Reading the answer for item {current} of {total}...",
    "SAVE": "Saving item {current} of {total}...",
    "DONE": "Done: {succeeded} succeeded, {failed} failed.",
}


@dataclass
class RunContext:
    account: Account
    payload: dict
    site: Site | None = None
    run_id: str = ""
    image_settings: dict = field(default_factory=dict)
    # The resolved provider and model of this run (set by the engine before prepare).
    provider: str = ""
    model: str = ""
    # Usage of the current item's provider calls (provider, model, cost_usd, tokens_in, tokens_out),
    # set by the engine just before save_output so a function can record cost on its own rows.
    item_usage: dict = field(default_factory=dict)
    # The voice of each (site, sector) the run writes for, resolved on first use (ctx.voice()).
    voices: dict = field(default_factory=dict)
    # The batch's generation settings as recorded on the run row (set when the run is created).
    generation: dict = field(default_factory=dict)

    def voice(self, *, site: Site | None = None, sector: object = None) -> Voice:
        """The batch's profile and overrides > the sector's profile > the site's > the default."""
        key = (getattr(site, "pk", None), getattr(sector, "pk", None))
        if key not in self.voices:
            batch = author_profiles.generation_settings(account=self.account, payload=self.payload)
            self.voices[key] = author_profiles.voice_for(site=site, sector=sector, batch=batch)
        return self.voices[key]


@dataclass(frozen=True)
class TextPrompt:
    prompt: str
    system: str = ""
    temperature: float | None = None
    max_tokens: int | None = None
    # An honest skeleton answer for the offline provider, labelled as a draft by the function.
    offline_draft: dict | None = None


@dataclass(frozen=True)
class ImagePrompt:
    prompt: str
    negative_prompt: str = ""
    size: str = "1024x1024"
    n: int = 1
    output_format: str = "png"


class ImageOut(BaseModel):
    url: str = ""
    data_b64: str = ""
    revised_prompt: str = ""


class GeneratedImages(BaseModel):
    """The output schema of image functions: URLs (DALL-E, Runware) or bytes (gpt-image-1, offline)."""

    images: list[ImageOut]
    offline: bool = False


class AIFunction(ABC):
    name: ClassVar[str] = ""
    operation: ClassVar[str] = ""  # the price list's name for one unit (defaults to `name`)
    kind: ClassVar[str] = "text"  # text | image
    per_item: ClassVar[bool] = False  # one provider call per item: credits and progress per item
    max_items: ClassVar[int] = 100
    # The model `payload["ids"]` names ("app_label.Model"): the run is refused with 404 unless every
    # id is a row of the account (and of the run's site), before credits are reserved (ADR 0004).
    ids_model: ClassVar[str] = ""
    prompt_type: ClassVar[str | None] = None
    output_schema: ClassVar[type[BaseModel]] = GeneratedImages
    phase_messages: ClassVar[dict[str, str]] = {}
    # What a function folder declares (ai/discovery.py): its title (the one human name: the
    # progress modal, messages, the prompt editor, GET /api/v1/ai/functions/), its prompt's
    # placeholders (with `prompt_file` beside the module: the shipped default), the credits price
    # of one unit of its operation (an admin's OperationCredit row still wins).
    title: ClassVar[str] = ""
    placeholders: ClassVar[frozenset[str] | None] = None
    prompt_file: ClassVar[str] = "prompt.md"
    credits: ClassVar[int | None] = None
    # A price per provider where the provider changes it (`<operation>:<provider>` in the list).
    provider_credits: ClassVar[dict[str, int]] = {}
    # Further prompts the function renders itself (prompt type -> placeholders), each shipped as
    # `<type>.md` beside the class and editable like the main one (auto_cluster's naming call).
    more_prompts: ClassVar[dict[str, frozenset[str]]] = {}
    # Other names that start this function (the reference's), stored under `name`.
    aliases: ClassVar[tuple[str, ...]] = ()
    # The payload keys this function reads besides COMMON_PAYLOAD; any other key is refused (400
    # naming it) before anything is reserved: a parameter is honoured or refused, never dropped.
    payload_fields: ClassVar[frozenset[str]] = frozenset()
    # Takes a batch's generation settings (author_profile_id, content_structure, word_count,
    # include_faq); a text function with a prompt takes at least the profile.
    generation_fields: ClassVar[frozenset[str]] = frozenset()

    # -- metadata -------------------------------------------------------------------------------
    def message(self, phase: str, **values: Any) -> str:
        template = {**DEFAULT_PHASE_MESSAGES, **self.phase_messages}[phase]
        try:
            return template.format(**values)
        except (KeyError, IndexError):
            return template

    def prep_message(self, ctx: RunContext) -> str:
        """What the PREP phase says while prepare() reads the input (it may take a while: reading
        thousands of rows, embedding): "Reading 1,200 keywords...". A function may say it its own
        way with phase_messages["PREP_START"] ({count}: the number of ids sent)."""
        ids = ctx.payload.get("ids")
        count = len(ids) if isinstance(ids, list) else 0
        if "PREP_START" in self.phase_messages:
            return self.message("PREP_START", count=f"{count:,}")
        one, many = PREP_NOUNS.get(self.ids_model, ("item", "items"))
        if count:
            return f"Reading {count:,} {one if count == 1 else many}..."
        return f"Reading the site's {many}..." if self.ids_model else "Reading the input..."

    def units(self, ctx: RunContext) -> int:
        """How many billable units the run will use at most: the credit reservation's estimate."""
        ids = ctx.payload.get("ids")
        return len(ids) if self.per_item and isinstance(ids, list) else 1

    # -- the five steps -------------------------------------------------------------------------
    def validate(self, ctx: RunContext) -> None:
        """The base check: `ids`, when given, is a non-empty list of integers within max_items."""
        if "ids" not in ctx.payload:
            return
        ids = ctx.payload["ids"]
        if not isinstance(ids, list) or not ids or not all(isinstance(i, int) and i > 0 for i in ids):
            raise Invalid(errors={"ids": ["Send a non-empty list of record ids."]})
        if len(ids) > self.max_items:
            raise Invalid(
                errors={
                    "ids": [
                        f"{self.title or self.name} takes at most {self.max_items} items per run; "
                        f"{len(ids)} were sent."
                    ]
                }
            )

    @abstractmethod
    def prepare(self, ctx: RunContext) -> list[Any]:
        """The items of this run, in order: one provider call each."""

    @abstractmethod
    def build_prompt(self, ctx: RunContext, item: Any, template: str) -> TextPrompt | ImagePrompt:
        """The TextPrompt or ImagePrompt for one item."""

    def parse_response(self, ctx: RunContext, item: Any, result: CompletionResult | ImageResult) -> BaseModel:
        if isinstance(result, ImageResult):
            images = [
                ImageOut(
                    url=image.url,
                    data_b64=base64.b64encode(image.data).decode() if image.data else "",
                    revised_prompt=image.revised_prompt,
                )
                for image in result.images
            ]
            return self.output_schema.model_validate({"images": images, "offline": result.offline})
        return parsing.parse_output(result.text, self.output_schema)

    @abstractmethod
    def save_output(self, ctx: RunContext, item: Any, output: BaseModel) -> dict:
        """Write one item's validated output; returns a small JSON-able summary."""

    def summary(self, *, run: Any, items: list[dict], failed: int) -> str:
        """The progress modal's sentence for a finished run ('' : the generic counts)."""
        return ""

    def item_label(self, item: Any) -> str:
        return str(getattr(item, "pk", None) or item)

    # -- optional hooks (defaults do nothing) -----------------------------------------------------
    def concurrency(self, ctx: RunContext) -> int:
        """The most items of one run with a provider call in flight at once; within it, the
        provider's pace decides (ai.pacing). Text: AI_CONCURRENCY_MAX; images: the account's
        image_generation `concurrency` (1 = the reference's sequential queue)."""
        from django.conf import settings

        if self.kind == "image":
            return int(ctx.image_settings.get("concurrency") or 1)
        return int(settings.AI_CONCURRENCY_MAX)

    def item_started(self, ctx: RunContext, item: Any) -> None:
        """Called on the run's thread just before the item's prompt is built (e.g. status updates)."""
        return None  # an optional hook: most functions need nothing here

    def item_failed(self, ctx: RunContext, item: Any, error: str) -> None:
        """Called on the run's thread after an item failed (its save, if any, was rolled back)."""
        return None  # an optional hook

    def after_call(self, ctx: RunContext, item: Any, result: CompletionResult | ImageResult):
        """Runs right after the provider call, on the same (possibly pooled) thread: slow work that
        belongs with the call, such as downloading image URLs before they expire. Must not touch the
        database. Returns the result the engine parses."""
        return result

    def progress_meta(self, ctx: RunContext, *, results: list[dict], current: int, total: int) -> dict:
        """Extra fields for task_progress's meta (stored on the run as result["meta"])."""
        return {}

    def after_run(self, ctx: RunContext, *, results: list[dict]) -> dict:
        """Called once when a run ends with at least one success; what it returns joins the result
        (e.g. the task id of a follow-on run)."""
        return {}

    def nothing_produced(self, ctx: RunContext) -> str | None:
        """Called when prepare found no items. A sentence saying why (the work was done and had no
        result, e.g. no keywords grouped) ends the run as a success with that message and no
        charge; None ends it as failed with "Nothing to do"."""
        return None


def check_plan_limit(*, account: Account, limit: str, current: int, adding: int, what: str) -> None:
    """Refuses (402) when `adding` more would take `current` past the plan's `limit` field, e.g.
    check_plan_limit(account=a, limit="max_clusters", current=4990, adding=20, what="clusters")."""
    allowed = getattr(account.plan, limit)
    if current + adding > allowed:
        raise PlanLimit(
            f"The {account.plan.name} plan allows {allowed} {what} ({limit}); this would make "
            f"{current + adding} (now {current}, adding {adding}). Upgrade the plan or select fewer items."
        )
