"""The publishing module's automation actions, registered when the automation app imports this
module at start-up (AutomationConfig.ready autodiscovers `automation_actions`):

    generate_site_structure  the site's clusters -> pillar / cluster / supporting pages
    generate_page_content    pillar and cluster pages without content -> page content
    optimize_content         articles -> optimised articles (a revision kept of each)
    publish_to_wordpress     articles -> WordPress posts (now, or on the site's schedule)

Like the pipeline's four, each works on what the previous step handed on (else what is left in
the site) and hands on what it produced, found through the records' relations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from igny8.ai.models import RunStatus
from igny8.automation.actions import Action, ActionResult, Param, Step, register
from igny8.automation.actions.base import (
    BATCH_SIZE,
    FAILED,
    INTERRUPTED,
    ITEM_DELAY,
    PARTIAL,
    SKIPPED,
    SUCCESS,
    Estimate,
)
from igny8.automation.actions.common import capped, incoming, run_batches, unit_price
from igny8.automation.engine import batches
from igny8.core.errors import Conflict
from igny8.planner.models import Cluster
from igny8.publishing.models import PageType, PublishStatus, RevisionReason, SitePage, WPStatus
from igny8.publishing.scheduling import contents_schedule
from igny8.publishing.services import contents_publish
from igny8.writer.models import Content, ContentStatus

WRITTEN_PAGES = (PageType.PILLAR, PageType.CLUSTER)  # what generate_page_content writes
# publish_to_wordpress with nothing handed on: which of the site's unpublished articles it takes.
SELECT_STATUSES = {
    "approved": [ContentStatus.APPROVED],
    "generated": [ContentStatus.DRAFT, ContentStatus.REVIEW, ContentStatus.APPROVED],
}


@dataclass(frozen=True)
class Choice(Param):
    """A text param limited to `choices` (checked when the rule is saved)."""

    choices: tuple[str, ...] = ()

    def problem(self, value: Any) -> str | None:
        problem = super().problem(value)
        if problem is None and value not in self.choices:
            return f"{self.name} must be one of {', '.join(self.choices)}; got {value!r}."
        return problem

    def describe(self) -> dict:
        return {**super().describe(), "choices": list(self.choices)}


def max_items(default: int, maximum: int) -> Param:
    return Param("max_items", "int", default, "At most this many records per execution.", 1, maximum)


def _count(counts: dict[str, int], entity: str, waiting: QuerySet) -> int:
    return counts[entity] if entity in counts else waiting.count()


def _handed_on(step: Step, entity: str, model) -> list[int] | None:
    """The previous step's records of `entity` in this site (conditions applied), or None."""
    if entity not in step.ids:
        return None
    return incoming(step, entity, model, model.objects.all(), handed_only=True)


def _pages_to_write() -> QuerySet:
    return SitePage.objects.filter(content__isnull=True, page_type__in=WRITTEN_PAGES)


@register
class GenerateSiteStructure(Action):
    name = "generate_site_structure"
    display_name = "Generate site structure"
    description = "Plan the site's pages from its clusters: pillars, cluster pages, supporting articles."
    operation = "generate_site_structure"
    params = (
        Param(
            "only_when_missing",
            "bool",
            False,
            "Skip when the site already has pages (otherwise the structure is updated in place).",
        ),
    )

    def estimate(self, *, account, site, params, counts):
        clusters = _count(counts, "cluster", Cluster.objects.filter(site=site))
        if not clusters:
            return Estimate(credits=0)
        # At most a pillar and a cluster page per cluster.
        produces = {"page": 2 * clusters}
        return Estimate(credits=unit_price(account=account, function_name=self.name), produces=produces)

    def run(self, step: Step) -> ActionResult:
        if step.params["only_when_missing"] and SitePage.objects.filter(site=step.site).exists():
            result = ActionResult(status=SKIPPED, message="The site already has a page structure.")
        elif not Cluster.objects.filter(site=step.site).exists():
            return ActionResult(status=SKIPPED, message="The site has no clusters yet.")
        else:
            result = run_once(step, function_name=self.name, payload={"site_id": step.site.pk})
        pages = SitePage.objects.filter(site=step.site)
        result.outputs = {
            "page": sorted(_pages_to_write().filter(site=step.site).values_list("pk", flat=True))
        }
        result.counts = {
            "pillars": pages.filter(page_type=PageType.PILLAR).count(),
            "cluster_pages": pages.filter(page_type=PageType.CLUSTER).count(),
            "supporting": pages.filter(page_type=PageType.SUPPORTING).count(),
        }
        return result


@register
class GeneratePageContent(Action):
    name = "generate_page_content"
    display_name = "Generate page content"
    description = "Write the pillar and cluster pages that have no content yet."
    operation = "generate_page_content"
    params = (BATCH_SIZE, max_items(20, 1000), ITEM_DELAY)

    def estimate(self, *, account, site, params, counts):
        pages = min(_count(counts, "page", _pages_to_write().filter(site=site)), params["max_items"])
        price = unit_price(account=account, function_name=self.name)
        return Estimate(credits=pages * price, produces={"content": pages})

    def run(self, step: Step) -> ActionResult:
        todo = capped(incoming(step, "page", SitePage, _pages_to_write()), step)
        result = run_batches(step, function_name=self.name, ids=todo)
        written = SitePage.objects.filter(site=step.site, pk__in=todo, content__isnull=False)
        contents = sorted(written.values_list("content_id", flat=True))
        result.outputs = {"page": todo, "content": contents}
        result.counts = {"pages": len(todo), "content": len(contents)}
        return result


@register
class OptimizeContent(Action):
    name = "optimize_content"
    display_name = "Optimize content"
    description = (
        "Optimise articles for SEO (a revision of each is kept; text edited by hand is left alone and "
        "the run records what changed); hands the articles on."
    )
    operation = "optimize_content"
    params = (
        BATCH_SIZE,
        max_items(10, 1000),
        ITEM_DELAY,
        Param("reoptimize", "bool", False, "Also optimise articles that were optimised before."),
    )

    def _left(self, params: dict) -> QuerySet:
        left = Content.objects.exclude(status=ContentStatus.PUBLISHED)
        if not params["reoptimize"]:
            left = left.exclude(revisions__reason=RevisionReason.OPTIMIZE)
        return left.distinct()

    def estimate(self, *, account, site, params, counts):
        contents = min(_count(counts, "content", self._left(params).filter(site=site)), params["max_items"])
        price = unit_price(account=account, function_name=self.name)
        return Estimate(credits=contents * price, produces={"content": contents})

    def run(self, step: Step) -> ActionResult:
        todo = capped(incoming(step, "content", Content, self._left(step.params)), step)
        result = run_batches(step, function_name=self.name, ids=todo)
        handed = _handed_on(step, "content", Content)
        result.outputs = {"content": handed if handed is not None else todo}
        result.counts = {"content": len(todo)}
        return result


@register
class PublishToWordPress(Action):
    name = "publish_to_wordpress"
    display_name = "Publish to WordPress"
    description = "Publish articles to the site's WordPress, now or on the site's publishing schedule."
    operation = "publish_to_wordpress"
    params = (
        Choice(
            "wp_status",
            "str",
            WPStatus.DRAFT.value,
            "Post status in WordPress.",
            choices=tuple(WPStatus.values),
        ),
        Param(
            "future_hours",
            "number",
            24,
            "With wp_status future: WordPress publishes the posts this many hours after the step.",
            0.1,
            24 * 366,
        ),
        Param(
            "use_schedule",
            "bool",
            False,
            "Give the articles the next free times of the site's publishing schedule, not publish now.",
        ),
        Choice(
            "select",
            "str",
            "approved",
            "With nothing handed on: the site's approved unpublished articles, or every generated one.",
            choices=tuple(SELECT_STATUSES),
        ),
        Param("batch_size", "int", 10, "Articles per WordPress connection.", 1, 100),
        max_items(20, 1000),
        ITEM_DELAY,
    )

    def _left(self) -> QuerySet:
        """Articles not published yet and not already queued, scheduled or being published."""
        taken = [PublishStatus.PUBLISHED, PublishStatus.PUBLISHING, PublishStatus.SCHEDULED]
        return Content.objects.exclude(status=ContentStatus.PUBLISHED).exclude(
            publish_records__status__in=taken
        )

    def _select(self, step: Step) -> list[int]:
        left = self._left()
        if "content" not in step.ids:
            left = left.filter(status__in=SELECT_STATUSES[step.params["select"]])
        return capped(incoming(step, "content", Content, left, handed_only=True), step)

    def estimate(self, *, account, site, params, counts):
        # Publishing is not charged (nor is it from the API): no credits, however many articles.
        waiting = self._left().filter(site=site, status__in=SELECT_STATUSES[params["select"]])
        return Estimate(
            credits=0, produces={"content": min(_count(counts, "content", waiting), params["max_items"])}
        )

    def run(self, step: Step) -> ActionResult:
        ids = self._select(step)
        if not ids:
            return ActionResult(status=SKIPPED, message="No unpublished articles.")
        if step.params["use_schedule"]:
            return self._schedule(step, ids)
        wp_status = step.params["wp_status"]
        wp_date = (
            timezone.now() + timedelta(hours=step.params["future_hours"])
            if wp_status == WPStatus.FUTURE
            else None
        )
        published: list[int] = []
        errors: list[str] = []
        chunks = batches(ids, step.params["batch_size"])
        for number, chunk in enumerate(chunks):
            if step.should_stop():
                return ActionResult(status=INTERRUPTED, outputs={"content": published})
            if number and not step.sleep(float(step.params["item_delay_seconds"] or 0)):
                return ActionResult(status=INTERRUPTED, outputs={"content": published})
            done = number * step.params["batch_size"]
            step.report(done / len(ids), f"Publishing article {done + 1} of {len(ids)}...")
            contents = list(Content.objects.filter(pk__in=chunk).select_related("site").order_by("pk"))
            try:
                records = contents_publish(
                    site=step.site, contents=contents, wp_status=wp_status, wp_date=wp_date
                )
            except Conflict as error:  # another publication of one of them is in flight
                errors.extend(f"content {pk}: {error}" for pk in chunk)
                continue
            for record in records:
                if record.status == PublishStatus.PUBLISHED:
                    published.append(record.content_id)
                else:
                    errors.append(f"content {record.content_id}: {record.error or record.status}")
        step.report(1.0, f"Published {len(published)} of {len(ids)}.")
        status = SUCCESS if not errors else (PARTIAL if published else FAILED)
        error = f"{len(errors)} of {len(ids)} failed; {errors[0]}" if errors else ""
        return ActionResult(
            status=status,
            outputs={"content": published},
            counts={"articles": len(ids), "published": len(published), "failed": len(errors)},
            error=error[:2000],
        )

    def _schedule(self, step: Step, ids: list[int]) -> ActionResult:
        contents = list(Content.objects.filter(pk__in=ids).order_by("pk"))
        records = contents_schedule(site=step.site, contents=contents)
        scheduled = [r.content_id for r in records if r.status == PublishStatus.SCHEDULED]
        missing = len(ids) - len(scheduled)
        return ActionResult(
            status=SUCCESS if not missing else (PARTIAL if scheduled else FAILED),
            outputs={"content": scheduled},
            counts={"articles": len(ids), "scheduled": len(scheduled), "failed": missing},
            error=f"{missing} article(s) got no time: the schedule has no free slot for them."
            if missing
            else "",
        )


def run_once(step: Step, *, function_name: str, payload: dict) -> ActionResult:
    """One AI run over the whole payload (no ids to batch), under the rule's credit cap."""
    left = step.credits_left()
    needed = unit_price(account=step.account, function_name=function_name)
    if left is not None and needed > left:
        return ActionResult(
            status=FAILED, error=f"Stopped: the run needs {needed} credits and the rule's cap leaves {left}."
        )
    if step.should_stop():
        return ActionResult(status=INTERRUPTED)
    try:
        run = step.run_ai(function_name, payload, span=(0.0, 1.0))
    except Exception as error:  # 400/402 refusals at run creation
        return ActionResult(status=FAILED, error=str(getattr(error, "detail", error)))
    result = ActionResult(status=SUCCESS, runs=[run.task_id], credits_used=run.credits_used)
    if run.status == RunStatus.CANCELLED:
        result.status = INTERRUPTED
    elif run.status != RunStatus.SUCCESS or run.items_failed:
        result.status, result.error = FAILED, run.error or f"AI run {run.task_id} {run.status}."
    return result
