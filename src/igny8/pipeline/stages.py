"""The stages of the main job are the automation actions (automation/actions/pipeline.py), run in
this process: cluster = cluster_keywords, ideas = generate_ideas (which queues the ideas to the
writer), content = generate_content, images = generate_images (prompts, then images). So there
is one definition of "what is left to do": each action picks it with its own selection, batches
it by its AI function's max_items and hands on what it produced, exactly as a rule's execution
does. The job runs each action with the largest max_items it allows (the job is "everything
left"), no per-run credit cap (the job checked its estimate first) and no conditions.

AI runs go through the same "run on a thread, poll the run row" code as executions
(automation/runner.py); this module only turns the row's progress into the command's bars and
the finished runs into the stage's tokens, cost and credits."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from igny8.accounts.models import Site
from igny8.ai.models import AIRun
from igny8.automation import engine, runner
from igny8.automation.actions import ActionResult, Step, get_action
from igny8.automation.actions.base import FAILED
from igny8.planner.models import Cluster, ContentIdea, Keyword
from igny8.writer.models import Content, Image, ImageStatus, Task, TaskStatus

STAGES = ("cluster", "ideas", "content", "images")
ACTIONS = {
    "cluster": "cluster_keywords",
    "ideas": "generate_ideas",
    "content": "generate_content",
    "images": "generate_images",
}
# The progress bar's label per AI function an action runs.
LABELS = {
    "auto_cluster": "Clustering",
    "auto_generate_ideas": "Ideas",
    "generate_content": "Articles",
    "generate_image_prompts": "Image prompts",
    "generate_images": "Images",
}


@dataclass(frozen=True)
class Progress:
    percentage: int
    current: int
    total: int
    message: str


ProgressCallback = Callable[[Progress], None]


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


@dataclass
class StageContext:
    site: Site
    payload_extra: dict
    on_progress: Callable[[str, int, int], ProgressCallback]  # (label, batch, batches) -> callback
    ids: dict[str, list[int]] = field(default_factory=dict)  # what earlier stages handed on


def _report(run: AIRun, on_progress: ProgressCallback) -> bool:
    on_progress(Progress(run.percentage, run.current, run.total, run.message))
    return False  # the job is never paused: the run always goes on


def _batch(span: tuple[float, float]) -> tuple[int, int]:
    """(batch number, batches) from run_batches' span (start, share) of the action."""
    start, share = span
    batches = max(1, round(1 / share)) if share > 0 else 1
    return min(batches, round(start / share) + 1 if share > 0 else 1), batches


def _largest(action) -> dict:
    """The action's parameters with max_items at its maximum: the job does everything left."""
    given = {p.name: int(p.maximum) for p in action.params if p.name == "max_items" and p.maximum}
    return action.defaults(given)


def _run_action(ctx: StageContext, result: StageResult, name: str) -> ActionResult:
    site = ctx.site

    def run_ai(function_name: str, payload: dict, *, span: tuple[float, float] = (0.0, 1.0)) -> AIRun:
        label = LABELS.get(function_name, function_name)
        on_progress = ctx.on_progress(label, *_batch(span))
        run = runner.run_function(
            account=site.account,
            site=site,
            function_name=function_name,
            payload={**payload, **ctx.payload_extra},
            poll=lambda row: _report(row, on_progress),
        )
        _report(run, on_progress)  # the last state (an inline run is never polled)
        result.runs.append(run)
        if run.error:
            result.errors.append(f"{label}: {run.error}")
        return run

    action = get_action(ACTIONS[name])
    step = Step(
        account=site.account,
        site=site,
        params=_largest(action),
        ids={entity: list(values) for entity, values in ctx.ids.items()},
        conditions={},
        run_ai=run_ai,
        should_stop=lambda: False,
        report=lambda fraction, message: None,
        sleep=lambda seconds: True,
        credits_left=lambda: None,
    )
    outcome = action.run(step)
    ctx.ids = engine.merge_ids(ctx.ids, outcome.outputs)
    # A refusal before a run existed (402, 400) or a batch held by another run: not a run's error.
    if outcome.error and not any(outcome.error in error for error in result.errors):
        result.errors.append(f"{action.display_name}: {outcome.error}")
    return outcome


def stage_cluster(ctx: StageContext) -> StageResult:
    result = StageResult("cluster")
    site = ctx.site
    before = Cluster.objects.filter(site=site).count()
    outcome = _run_action(ctx, result, "cluster")
    waiting, minimum = outcome.counts.get("keywords", 0), settings.AUTO_CLUSTER_MIN_KEYWORDS
    if outcome.status == FAILED and not result.runs and 0 < waiting < minimum:
        # auto_cluster refused the action's selection before any run existed: too few keywords.
        # Not an error of the job: say what to do, as the plan did.
        result.errors = []
        result.skipped = (
            f"Clustering needs at least {minimum} keywords; {waiting} are "
            f"unclustered in site {site.name!r}. Add keywords and run again."
        )
    clusters = Cluster.objects.filter(site=site).count()
    result.counts = {
        "keywords clustered": Keyword.objects.filter(site=site, cluster__isnull=False).count(),
        "clusters": clusters,
        "new clusters": clusters - before,
    }
    return result


def stage_ideas(ctx: StageContext) -> StageResult:
    result = StageResult("ideas")
    outcome = _run_action(ctx, result, "ideas")
    result.counts = {
        "ideas": ContentIdea.objects.filter(site=ctx.site).count(),
        "tasks queued": outcome.counts.get("tasks_queued", 0),
    }
    return result


def stage_content(ctx: StageContext) -> StageResult:
    result = StageResult("content")
    _run_action(ctx, result, "content")
    result.counts = {
        "articles": Content.objects.filter(site=ctx.site).count(),
        "tasks failed": Task.objects.filter(site=ctx.site, status=TaskStatus.FAILED).count(),
    }
    return result


def stage_images(ctx: StageContext) -> StageResult:
    result = StageResult("images")
    _run_action(ctx, result, "images")
    images = Image.objects.filter(site=ctx.site)
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
