"""What the main job will do and cost, worked out before anything is written or spent.

Each stage counts what is waiting in the site now (the automation action's own selection, as the
run will pick it) plus what the stage before it will hand on.
Clusters per keyword, ideas per cluster and images per article are only known once the AI has
answered, so those are the automation planner's averages (automation/actions/pipeline.py): an
estimate, shown as "about", which the run's own reservations then hold it to."""

import math
from dataclasses import dataclass, field

from django.conf import settings

from igny8.accounts.models import Account, Site
from igny8.ai import registry
from igny8.ai.selectors import image_settings, provider_config
from igny8.automation.actions.pipeline import (
    IDEAS_PER_CLUSTER,
    KEYWORDS_PER_CLUSTER,
    ClusterKeywords,
    GenerateContent,
    GenerateIdeas,
)
from igny8.billing.selectors import credit_cost, credits_shortfall
from igny8.planner import csv_reading
from igny8.planner.ai.auto_cluster import DEFAULT_MIN_CLUSTER_SIZE, NAMING_BATCH
from igny8.planner.imports import ImportReport, judge_rows
from igny8.planner.models import ContentIdea, IdeaStatus, Keyword
from igny8.writer.models import Content


@dataclass(frozen=True)
class StageEstimate:
    name: str
    items: int
    what: str  # "keywords", "clusters", "articles", ...
    credits: int
    note: str = ""  # why a stage will do nothing, in the user's terms


@dataclass
class PipelineEstimate:
    incoming: int  # new keywords the file adds
    stages: list[StageEstimate] = field(default_factory=list)

    @property
    def credits(self) -> int:
        return sum(stage.credits for stage in self.stages)

    @property
    def items(self) -> int:
        return sum(stage.items for stage in self.stages)


def _count(site: Site, queryset) -> int:
    """A count within the site; a site not created yet (a dry run names a new one) holds nothing."""
    return queryset.filter(site=site).count() if site.pk else 0


def new_keywords(*, site: Site, data: bytes) -> int:
    """How many keywords the file would add to the site (read only: nothing is imported)."""
    parsed = csv_reading.parse(data)
    existing = (
        set(Keyword.objects.filter(site=site).values_list("normalized", flat=True)) if site.pk else set()
    )
    return len(judge_rows(parsed=parsed, existing=existing, report=ImportReport(rows=len(parsed.rows))))


def unit_price(*, account: Account, function_name: str, forced: str | None) -> int:
    function = registry.get_function(function_name)
    provider = provider_config(account=account, kind=function.kind, forced=forced).provider
    return credit_cost(operation=function.operation or function_name, provider=provider)


def _cluster(site: Site, incoming: int, forced: str | None) -> tuple[StageEstimate, int]:
    keywords = incoming + _count(site, ClusterKeywords.left())
    minimum = settings.AUTO_CLUSTER_MIN_KEYWORDS
    if not keywords:
        return StageEstimate("cluster", 0, "keywords", 0), 0
    if keywords < minimum:
        note = (
            f"clustering needs at least {minimum} keywords; the site will have {keywords} unclustered. "
            "Add keywords to the file and run again."
        )
        return StageEstimate("cluster", 0, "keywords", 0, note), 0
    price = unit_price(account=site.account, function_name="auto_cluster", forced=forced)
    units = max(1, math.ceil(keywords / max(2, DEFAULT_MIN_CLUSTER_SIZE) / NAMING_BATCH))
    return StageEstimate("cluster", keywords, "keywords", price * units), math.ceil(
        keywords / KEYWORDS_PER_CLUSTER
    )


def estimate_pipeline(
    *, site: Site, stages: tuple[str, ...], incoming: int, provider: str | None
) -> PipelineEstimate:
    """`incoming`: keywords the file adds; `provider`: the run's forced provider (None: the account's)."""
    forced = "offline" if provider == "offline" else None
    account = site.account
    result = PipelineEstimate(incoming=incoming)
    handed = 0  # what the previous stage, when it runs, hands to the next one
    if "cluster" in stages:
        stage, handed = _cluster(site, incoming, forced)
        result.stages.append(stage)
    if "ideas" in stages:
        clusters = handed + _count(site, GenerateIdeas.left())
        price = unit_price(account=account, function_name="auto_generate_ideas", forced=forced)
        result.stages.append(StageEstimate("ideas", clusters, "clusters", clusters * price))
        handed = clusters * IDEAS_PER_CLUSTER + _count(
            site, ContentIdea.objects.filter(status=IdeaStatus.NEW)
        )
    else:
        handed = 0
    if "content" in stages:
        articles = handed + _count(site, GenerateContent.left())
        price = unit_price(account=account, function_name="generate_content", forced=forced)
        result.stages.append(StageEstimate("content", articles, "articles", articles * price))
        handed = articles
    else:
        handed = 0
    if "images" in stages:
        contents = handed + _count(site, Content.objects.filter(images__isnull=True))
        per_article = 1 + int(image_settings(account=account).get("max_in_article_images") or 0)
        prompts = unit_price(account=account, function_name="generate_image_prompts", forced=forced)
        images = unit_price(account=account, function_name="generate_images", forced=forced)
        credits = contents * prompts + contents * per_article * images
        result.stages.append(StageEstimate("images", contents * per_article, "images", credits))
    return result


def shortfall(*, account: Account, estimate: PipelineEstimate) -> int:
    """Credits missing for the estimate (0 when the account holds them or its plan is unlimited)."""
    return credits_shortfall(account=account, needed=estimate.credits)
