"""Fast fake AI functions under the pipeline's real names: they go through the real engine (offline
provider, credits, run rows) and write real rows, deterministically. Registered by this package's
conftest and by worker_app for real workers; AUTOMATION_FAKE_DELAY (seconds) slows each item."""

from __future__ import annotations

import os
import time

from pydantic import BaseModel

from igny8.ai.base import AIFunction, TextPrompt
from igny8.planner.models import Cluster, ContentIdea, Keyword, KeywordStatus
from igny8.writer.models import Content, Image, ImageStatus, Task, TaskStatus


class Done(BaseModel):
    ok: bool


def _pause() -> None:
    delay = float(os.environ.get("AUTOMATION_FAKE_DELAY", "0") or 0)
    if delay:
        time.sleep(delay)


class Fake(AIFunction):
    output_schema = Done
    per_item = True
    model = None
    # What the real functions take from an action (site_id, a batch's generation settings).
    payload_fields = frozenset({"site_id"})
    generation_fields = frozenset({"author_profile_id", "content_structure", "word_count", "include_faq"})

    def prepare(self, ctx):
        return list(self.model.objects.filter(account=ctx.account, pk__in=ctx.payload["ids"]).order_by("pk"))

    def build_prompt(self, ctx, item, template):
        return TextPrompt(prompt=f"{self.name} {item.pk}", offline_draft={"ok": True})


class FakeCluster(Fake):
    """One call for all keywords: a cluster per first word."""

    name = "auto_cluster"
    operation = "cluster_keywords"
    per_item = False
    max_items = 1000

    def prepare(self, ctx):
        return [list(Keyword.objects.filter(account=ctx.account, pk__in=ctx.payload["ids"]).order_by("pk"))]

    def build_prompt(self, ctx, item, template):
        return TextPrompt(prompt="cluster", offline_draft={"ok": True})

    def save_output(self, ctx, item, output):
        _pause()
        for keyword in item:
            cluster, _ = Cluster.objects.get_or_create(
                account=keyword.account, site=keyword.site, name=keyword.keyword.split()[0]
            )
            keyword.cluster, keyword.status = cluster, KeywordStatus.CLUSTERED
            keyword.save(update_fields=["cluster", "status"])
            cluster.keywords_count = cluster.keywords.count()
            cluster.save(update_fields=["keywords_count"])
        return {"keywords": len(item)}


class FakeIdeas(Fake):
    """Two ideas per cluster."""

    name = "auto_generate_ideas"
    operation = "generate_ideas"
    max_items = 50
    model = Cluster
    ids_model = "planner.Cluster"  # like the real function: one run per record (ai.holds)

    def save_output(self, ctx, item, output):
        _pause()
        for number in (1, 2):
            ContentIdea.objects.create(
                account=item.account, site=item.site, cluster=item, title=f"{item.name} idea {number}"
            )
        return {"ideas": 2}


class FakeContent(Fake):
    """An article per task; a task titled with FAIL fails; word_count_target becomes word_count."""

    name = "generate_content"
    operation = "generate_content"
    max_items = 20
    model = Task
    ids_model = "writer.Task"  # like the real function: one run per record (ai.holds)

    def save_output(self, ctx, item, output):
        _pause()
        if "FAIL" in item.title:
            raise ValueError(f"cannot write {item.title}")
        Content.objects.create(
            account=item.account,
            site=item.site,
            task=item,
            title=item.title,
            html="<p>x</p>",
            word_count=item.word_count_target,
        )
        item.status = TaskStatus.COMPLETED
        item.save(update_fields=["status"])
        return {"content": 1}


class FakePrompts(Fake):
    name = "generate_image_prompts"
    operation = "generate_image_prompts"
    max_items = 20
    model = Content
    ids_model = "writer.Content"  # like the real function: one run per record (ai.holds)

    def save_output(self, ctx, item, output):
        for position in (0, 1):
            Image.objects.create(
                account=item.account,
                site=item.site,
                content=item,
                position=position,
                prompt=f"picture {position}",
            )
        return {"prompts": 2}


class FakeImages(Fake):
    name = "generate_images"
    operation = "generate_images"
    max_items = 20
    model = Image
    ids_model = "writer.Image"  # like the real function: one run per record (ai.holds)

    def save_output(self, ctx, item, output):
        item.status, item.url = ImageStatus.GENERATED, f"https://img.example/{item.pk}.png"
        item.save(update_fields=["status", "url"])
        return {"image": item.pk}


FUNCTIONS = {
    "auto_cluster": "tests.automation.fakes.FakeCluster",
    "auto_generate_ideas": "tests.automation.fakes.FakeIdeas",
    "generate_content": "tests.automation.fakes.FakeContent",
    "generate_image_prompts": "tests.automation.fakes.FakePrompts",
    "generate_images": "tests.automation.fakes.FakeImages",
}


def install() -> dict[str, str | None]:
    from igny8.ai import registry

    saved = {name: registry.FUNCTIONS.get(name) for name in FUNCTIONS}
    registry.FUNCTIONS.update(FUNCTIONS)
    return saved


def restore(saved: dict[str, str | None]) -> None:
    from igny8.ai import registry

    for name, path in saved.items():
        if path is None:
            registry.unregister(name)
        else:
            registry.register(name, path)
