"""The stages of the main job. Each picks what is left to do in the site (so a stage can be run
again after a failure and only does the rest), runs the AI function over it in batches of the
function's max_items, and counts what it produced."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from igny8.accounts.models import Site
from igny8.ai import registry
from igny8.ai.models import AIRun
from igny8.core.errors import InsufficientCredits
from igny8.pipeline.execution import ProgressCallback, run_in_process
from igny8.planner.models import Cluster, ContentIdea, IdeaStatus, Keyword, KeywordStatus
from igny8.planner.services import ideas_queue_to_writer
from igny8.writer.models import Content, Image, ImageStatus, Task, TaskStatus

STAGES = ("cluster", "ideas", "content", "images")


@dataclass
class StageResult:
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    runs: list[AIRun] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: str = ""  # why the stage did nothing, when that is the user's to change

    @property
    def tokens(self) -> tuple[int, int]:
        return sum(r.tokens_in for r in self.runs), sum(r.tokens_out for r in self.runs)

    @property
    def cost_usd(self) -> Decimal:
        return sum((r.cost_usd for r in self.runs), Decimal("0"))

    @property
    def unpriced_calls(self) -> int:
        return sum(r.unpriced_calls for r in self.runs)

    @property
    def credits(self) -> int:
        return sum(r.credits_used for r in self.runs)


@dataclass(frozen=True)
class StageContext:
    site: Site
    payload_extra: dict
    on_progress: Callable[[str, int, int], ProgressCallback]  # (label, batch, batches) -> callback


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _run_batches(
    ctx: StageContext, result: StageResult, function_name: str, ids: list[int], label: str
) -> None:
    size = registry.get_function(function_name).max_items
    batches = list(_batches(ids, size))
    for number, batch in enumerate(batches, start=1):
        try:
            run = run_in_process(
                account=ctx.site.account,
                site=ctx.site,
                function_name=function_name,
                payload={"ids": batch, **ctx.payload_extra},
                on_progress=ctx.on_progress(label, number, len(batches)),
            )
        except InsufficientCredits as error:
            # The job checked its estimate first; an estimate can fall short (more ideas than the
            # average), so what was done is kept and the rest waits for credits.
            result.errors.append(f"{label}: {error} {len(batches) - number + 1} batch(es) not run.")
            return
        result.runs.append(run)
        if run.error:
            result.errors.append(f"{label}: {run.error}")


def stage_cluster(ctx: StageContext) -> StageResult:
    result = StageResult("cluster")
    site = ctx.site
    waiting = Keyword.objects.filter(site=site, cluster__isnull=True, status=KeywordStatus.NEW).count()
    before = Cluster.objects.filter(site=site).count()
    minimum = settings.AUTO_CLUSTER_MIN_KEYWORDS
    if 0 < waiting < minimum:
        result.skipped = (
            f"Clustering needs at least {minimum} keywords; {waiting} are unclustered in site "
            f"{site.name!r}. Add keywords and run again."
        )
    elif waiting:
        try:
            run = run_in_process(
                account=site.account,
                site=site,
                function_name="auto_cluster",
                payload={"site_id": site.pk, **ctx.payload_extra},
                on_progress=ctx.on_progress("Clustering", 1, 1),
            )
        except InsufficientCredits as error:
            result.errors.append(f"Clustering: {error}")
        else:
            result.runs.append(run)
            if run.error:
                result.errors.append(f"Clustering: {run.error}")
    result.counts = {
        "keywords clustered": Keyword.objects.filter(site=site, cluster__isnull=False).count(),
        "clusters": Cluster.objects.filter(site=site).count(),
        "new clusters": Cluster.objects.filter(site=site).count() - before,
    }
    return result


def stage_ideas(ctx: StageContext) -> StageResult:
    result = StageResult("ideas")
    site = ctx.site
    without_ideas = list(
        Cluster.objects.filter(site=site, ideas__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    _run_batches(ctx, result, "auto_generate_ideas", without_ideas, "Ideas")
    fresh = list(ContentIdea.objects.filter(site=site, status=IdeaStatus.NEW).order_by("pk"))
    queued = ideas_queue_to_writer(ideas=fresh)
    result.counts = {"ideas": ContentIdea.objects.filter(site=site).count(), "tasks queued": queued["queued"]}
    return result


def stage_content(ctx: StageContext) -> StageResult:
    result = StageResult("content")
    site = ctx.site
    waiting = list(
        Task.objects.filter(
            site=site, status__in=[TaskStatus.QUEUED, TaskStatus.FAILED], content__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _run_batches(ctx, result, "generate_content", waiting, "Articles")
    result.counts = {
        "articles": Content.objects.filter(site=site).count(),
        "tasks failed": Task.objects.filter(site=site, status=TaskStatus.FAILED).count(),
    }
    return result


def stage_images(ctx: StageContext) -> StageResult:
    result = StageResult("images")
    site = ctx.site
    without_prompts = list(
        Content.objects.filter(site=site, images__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    _run_batches(ctx, result, "generate_image_prompts", without_prompts, "Image prompts")
    pending = list(
        Image.objects.filter(site=site, status__in=[ImageStatus.PENDING, ImageStatus.FAILED])
        .exclude(prompt="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _run_batches(ctx, result, "generate_images", pending, "Images")
    images = Image.objects.filter(site=site)
    result.counts = {
        "images generated": images.filter(status=ImageStatus.GENERATED).count(),
        "images failed": images.filter(status=ImageStatus.FAILED).count(),
    }
    return result


STAGE_FUNCTIONS: dict[str, Callable[[StageContext], StageResult]] = {
    "cluster": stage_cluster,
    "ideas": stage_ideas,
    "content": stage_content,
    "images": stage_images,
}
