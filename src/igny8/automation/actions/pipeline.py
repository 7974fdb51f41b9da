"""The pipeline's actions: keywords -> clusters -> ideas (-> writer tasks) -> content -> images.
Each runs its AI function through the engine (the step's run_ai) and hands on what it produced,
found through the records' relations rather than the function's summary, so a re-run after a
pause or a crash finds the same output and only does what is left."""

from __future__ import annotations

from django.db.models import Q

from igny8.automation.actions.base import (
    BATCH_SIZE,
    FAILED,
    ITEM_DELAY,
    SKIPPED,
    Action,
    ActionResult,
    Estimate,
    Param,
    Step,
    ceil_div,
)
from igny8.automation.actions.common import capped, incoming, pick, run_batches, unit_price
from igny8.automation.actions.registry import register
from igny8.planner.models import Cluster, ContentIdea, IdeaStatus, Keyword, KeywordStatus
from igny8.planner.services import ideas_queue_to_writer
from igny8.system.voice import CONTENT_STRUCTURES, MAX_WORDS, MIN_WORDS
from igny8.writer.models import Content, Image, ImageStatus, Task, TaskStatus

# Rough yields for estimates of steps whose input does not exist yet (a cluster per ~5 keywords,
# ~5 ideas per cluster, ~3 images per article). The rule's credit cap bounds what is really spent.
KEYWORDS_PER_CLUSTER, IDEAS_PER_CLUSTER, IMAGES_PER_CONTENT = 5, 5, 3


# A batch's generation settings (system.author_profiles): 0 / "" leave the site's or sector's own.
AUTHOR_PROFILE = Param(
    "author_profile_id", "int", 0, "Author profile for this step (0: each site's or sector's).", 0
)
CONTENT_STRUCTURE = Param(
    "content_structure",
    "str",
    "",
    "Content type of every idea or article (empty: as planned).",
    choices=("", *CONTENT_STRUCTURES),
)
WORD_COUNT = Param(
    "word_count", "int", 0, "Words per article (0: the profile's or each task's).", 0, MAX_WORDS
)
INCLUDE_FAQ = Param(
    "include_faq",
    "str",
    "",
    "End articles with an FAQ: yes, no, or empty (the profile's).",
    choices=("", "yes", "no"),
)


def generation_payload(params: dict) -> dict:
    """The step's generation settings as the run's payload keys; defaults are left out."""
    payload: dict = {}
    if params.get("author_profile_id"):
        payload["author_profile_id"] = params["author_profile_id"]
    if params.get("content_structure"):
        payload["content_structure"] = params["content_structure"]
    if params.get("word_count"):
        payload["word_count"] = max(MIN_WORDS, params["word_count"])
    if params.get("include_faq"):
        payload["include_faq"] = params["include_faq"] == "yes"
    return payload


def max_items(default: int, maximum: int) -> Param:
    return Param("max_items", "int", default, "At most this many records per execution.", 1, maximum)


def _count(counts: dict[str, int], entity: str, fallback) -> int:
    return counts[entity] if entity in counts else fallback()


@register
class ClusterKeywords(Action):
    name = "cluster_keywords"
    display_name = "Cluster keywords"
    description = "Group the new, unclustered keywords into topic clusters (auto_cluster)."
    operation = "cluster_keywords"
    params = (
        BATCH_SIZE,
        max_items(1000, 20_000),
        ITEM_DELAY,
        # The reference's parameters (automation-plan.md): which keywords, which sector.
        Param("keyword_ids", "ids", [], "Only these keywords (empty: the new ones handed on or left)."),
        Param("sector_id", "int", 0, "Only keywords of this sector (0: every sector).", 0),
    )

    @staticmethod
    def left():
        """New keywords without a cluster, and "Not grouped" ones of sites where new ones arrived
        (planner.selectors.keywords_to_cluster, for every site at once)."""
        new = Keyword.objects.filter(cluster__isnull=True, status=KeywordStatus.NEW)
        return Keyword.objects.filter(cluster__isnull=True).filter(
            Q(status=KeywordStatus.NEW)
            | Q(status=KeywordStatus.UNCLUSTERED, site_id__in=new.values("site_id"))
        )

    def estimate(self, *, account, site, params, counts):
        def waiting():
            return self.left().filter(site=site).count()

        keywords = min(_count(counts, "keyword", waiting), params["max_items"])
        runs = ceil_div(keywords, params["batch_size"] or params["max_items"])
        return Estimate(
            credits=runs * unit_price(account=account, function_name="auto_cluster"),
            produces={"cluster": ceil_div(keywords, KEYWORDS_PER_CLUSTER)},
        )

    def run(self, step: Step) -> ActionResult:
        left = self.left()
        if step.params.get("keyword_ids") and "keyword" not in step.ids:
            step.ids["keyword"] = list(step.params["keyword_ids"])
        if step.params.get("sector_id"):
            left = left.filter(sector_id=step.params["sector_id"])
        ids = capped(incoming(step, "keyword", Keyword, left), step)
        result = run_batches(
            step, function_name="auto_cluster", ids=ids, payload={"site_id": step.site.pk}, per_item=False
        )
        keywords = Keyword.objects.filter(site=step.site, pk__in=ids, cluster__isnull=False)
        clusters = sorted(set(keywords.values_list("cluster_id", flat=True)))
        result.outputs = {"keyword": ids, "cluster": clusters}
        result.counts = {
            "keywords": len(ids),
            "keywords_clustered": keywords.count(),
            "clusters": len(clusters),
        }
        return result


@register
class GenerateIdeas(Action):
    name = "generate_ideas"
    display_name = "Generate ideas"
    description = "Write content ideas for clusters without ideas, then queue them as writer tasks."
    operation = "generate_ideas"
    params = (
        BATCH_SIZE,
        max_items(20, 1000),
        ITEM_DELAY,
        Param("queue_to_writer", "bool", True, "Queue the new ideas as writer tasks."),
        AUTHOR_PROFILE,
        CONTENT_STRUCTURE,
        WORD_COUNT,
    )

    @staticmethod
    def left():
        """Clusters without ideas (in every site: callers narrow it)."""
        return Cluster.objects.filter(ideas__isnull=True)

    def estimate(self, *, account, site, params, counts):
        def waiting():
            return self.left().filter(site=site).count()

        clusters = min(_count(counts, "cluster", waiting), params["max_items"])
        ideas = clusters * IDEAS_PER_CLUSTER
        produces = {"idea": ideas, **({"task": ideas} if params["queue_to_writer"] else {})}
        price = unit_price(account=account, function_name="auto_generate_ideas")
        return Estimate(credits=clusters * price, produces=produces)

    def run(self, step: Step) -> ActionResult:
        wanted = incoming(step, "cluster", Cluster, Cluster.objects.all())
        todo = capped(pick(step, "cluster", self.left().filter(pk__in=wanted)), step)
        result = run_batches(
            step, function_name="auto_generate_ideas", ids=todo, payload=generation_payload(step.params)
        )
        if result.status == SKIPPED and wanted:
            result.message = "Every selected cluster already has ideas."
        ideas = pick(step, "idea", ContentIdea.objects.filter(cluster_id__in=wanted, status=IdeaStatus.NEW))
        result.outputs = {"cluster": wanted, "idea": ideas}
        result.counts = {"clusters": len(todo), "ideas": len(ideas)}
        if step.params["queue_to_writer"] and result.status != FAILED:
            queued = ideas_queue_to_writer(ideas=list(ContentIdea.objects.filter(pk__in=ideas)))
            tasks = list(Task.objects.filter(site=step.site, idea_id__in=ideas).values_list("pk", flat=True))
            result.outputs["task"] = sorted(tasks)
            result.counts["tasks_queued"] = queued["queued"]
        return result


@register
class GenerateContent(Action):
    name = "generate_content"
    display_name = "Generate content"
    description = "Write the articles of queued writer tasks (new ideas handed on are queued first)."
    operation = "generate_content"
    params = (
        BATCH_SIZE,
        max_items(10, 1000),
        ITEM_DELAY,
        AUTHOR_PROFILE,
        CONTENT_STRUCTURE,
        WORD_COUNT,
        INCLUDE_FAQ,
    )

    @staticmethod
    def left():
        """Writer tasks without content, queued or failed (in every site: callers narrow it)."""
        return Task.objects.filter(content__isnull=True, status__in=[TaskStatus.QUEUED, TaskStatus.FAILED])

    def estimate(self, *, account, site, params, counts):
        def waiting():
            return self.left().filter(site=site).count()

        handed = counts.get("task", counts.get("idea"))
        tasks = min(waiting() if handed is None else handed, params["max_items"])
        price = unit_price(account=account, function_name="generate_content")
        return Estimate(credits=tasks * price, produces={"content": tasks})

    def run(self, step: Step) -> ActionResult:
        if "task" not in step.ids and "idea" in step.ids:
            fresh = ContentIdea.objects.filter(site=step.site, pk__in=step.ids["idea"], status=IdeaStatus.NEW)
            ideas_queue_to_writer(ideas=list(fresh))
            step.ids["task"] = list(
                Task.objects.filter(site=step.site, idea_id__in=step.ids["idea"]).values_list("pk", flat=True)
            )
        wanted = step.ids.get("task")
        todo = capped(incoming(step, "task", Task, self.left()), step)
        result = run_batches(
            step, function_name="generate_content", ids=todo, payload=generation_payload(step.params)
        )
        scope = wanted if wanted is not None else todo
        contents = sorted(
            Content.objects.filter(site=step.site, task_id__in=scope).values_list("pk", flat=True)
        )
        result.outputs = {"task": scope, "content": contents}
        result.counts = {"tasks": len(todo), "content": len(contents)}
        return result


@register
class GenerateImages(Action):
    name = "generate_images"
    display_name = "Generate images"
    description = "Write image prompts for articles without images, then generate the images."
    operation = "generate_images"
    params = (
        BATCH_SIZE,
        max_items(10, 1000),
        ITEM_DELAY,
        Param("content_id", "int", 0, "Only this content's images (0: the contents handed on or left).", 0),
    )

    def estimate(self, *, account, site, params, counts):
        def waiting():
            return Content.objects.filter(site=site, images__isnull=True).count()

        contents = min(_count(counts, "content", waiting), params["max_items"])
        prompts = unit_price(account=account, function_name="generate_image_prompts")
        images = unit_price(account=account, function_name="generate_images")
        credits = contents * prompts + contents * IMAGES_PER_CONTENT * images
        return Estimate(credits=credits, produces={"image": contents * IMAGES_PER_CONTENT})

    def run(self, step: Step) -> ActionResult:
        left = Content.objects.filter(
            Q(images__isnull=True) | Q(images__status__in=[ImageStatus.PENDING, ImageStatus.FAILED])
        ).distinct()
        if step.params.get("content_id") and "content" not in step.ids:
            step.ids["content"] = [step.params["content_id"]]
        wanted = capped(incoming(step, "content", Content, left), step)
        without = pick(step, "content", Content.objects.filter(pk__in=wanted, images__isnull=True))
        prompts = run_batches(step, function_name="generate_image_prompts", ids=without)
        if prompts.status in (FAILED, "interrupted"):
            prompts.outputs = {"content": wanted}
            return prompts
        pending = Image.objects.filter(
            content_id__in=wanted, status__in=[ImageStatus.PENDING, ImageStatus.FAILED]
        ).exclude(prompt="")
        result = run_batches(step, function_name="generate_images", ids=pick(step, "image", pending))
        result.runs = prompts.runs + result.runs
        result.credits_used += prompts.credits_used
        if prompts.error and result.status in (SKIPPED, "success"):
            result.status, result.error = "partial", prompts.error
        elif result.status == SKIPPED and prompts.status != SKIPPED:
            result.status = prompts.status
        done = Image.objects.filter(site=step.site, content_id__in=wanted, status=ImageStatus.GENERATED)
        images = sorted(done.values_list("pk", flat=True))
        result.outputs = {"content": wanted, "image": images}
        result.counts = {"content": len(wanted), "prompts_written_for": len(without), "images": len(images)}
        return result
