"""auto_cluster: group a site's keywords into clusters, through the engine.

Methods (payload "method"):
- semantic (default): local embeddings, deterministic (planner.clustering); works offline.
- serp: shared top-10 ranking URLs (Keyword.serp_urls), soft or hard.
- llm: the reference's method, the `clustering` prompt on batches of keywords; needs a provider.

For semantic and serp the clusters exist before any AI call, so the engine's items are batches of
clusters to *name*: with a provider, one naming call per batch; offline, a single item whose
answer is the most representative keyword of each cluster. For llm the items are keyword batches.
Each item is saved in its own transaction (cluster_service.groups_save)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from pydantic import BaseModel

from igny8.accounts.models import Sector, Site
from igny8.ai import prompts
from igny8.ai.base import AIFunction, RunContext, TextPrompt, check_plan_limit
from igny8.ai.models import AIRun
from igny8.ai.selectors import provider_config
from igny8.ai.sentences import counted, failed_tail, total
from igny8.core import events
from igny8.core.errors import Invalid
from igny8.core.text import normalize_keyword
from igny8.planner import cluster_methods, cluster_service, selectors
from igny8.planner.cluster_methods import KeywordRow
from igny8.planner.cluster_service import Group
from igny8.planner.clustering import AUTO, DEFAULT_MIN_CLUSTER_SIZE, DEFAULT_MIN_SHARED, DEFAULT_THRESHOLD
from igny8.planner.models import Cluster, Keyword

METHODS = ("semantic", "llm", "serp")
LLM_BATCH_SIZE = 20  # the reference's batch; payload "batch_size" changes it
NAMING_BATCH = 50  # clusters named per call: short answers, few calls
NAMING_KEYWORDS = 10  # the biggest keywords of a cluster shown to the namer
# The semantic and SERP methods' naming call uses the editable `cluster_naming` prompt
# (cluster_naming.md beside this module); the llm method's one call uses `clustering` (prompt.md).
NAMING_PROMPT_TYPE = "cluster_naming"
OFFLINE_METHOD_MESSAGE = (
    "The llm method needs an AI provider and none is configured: add an OpenAI API key in "
    "Settings > Integrations (or OPENAI_API_KEY), or use the semantic method, which runs locally."
)


class LlmCluster(BaseModel):
    name: str
    description: str
    keywords: list[str]


class LlmClusters(BaseModel):
    clusters: list[LlmCluster]


class ClusterName(BaseModel):
    number: int
    name: str
    description: str


class ClusterNames(BaseModel):
    clusters: list[ClusterName]


@dataclass
class KeywordBatch:
    number: int
    rows: list[KeywordRow]


@dataclass
class NamingBatch:
    number: int
    groups: list[Group]
    shown: list[list[str]]  # per group, the keywords the namer sees


def _options(payload: dict) -> dict:
    """The run's parameters, checked; a wrong one is a 400 naming the field."""

    def number(name, kind, low, high, default):
        value = payload.get(name, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise Invalid(errors={name: [f"Must be a number from {low} to {high}."]})
        return kind(value)

    method = payload.get("method") or "semantic"
    if method not in METHODS:
        raise Invalid(errors={"method": [f"Must be one of {', '.join(METHODS)}."]})
    mode = payload.get("serp_mode") or "soft"
    if mode not in ("soft", "hard"):
        raise Invalid(errors={"serp_mode": ["Must be soft or hard."]})
    return {
        "method": method,
        "serp_mode": mode,
        # Left out (or "auto"): chosen per keyword list (clustering/adaptive.py); a number fixes it.
        "threshold": (
            DEFAULT_THRESHOLD
            if payload.get("threshold") in (None, AUTO)
            else number("threshold", float, 0.3, 1.0, DEFAULT_THRESHOLD)
        ),
        "min_cluster_size": number("min_cluster_size", int, 1, 100, DEFAULT_MIN_CLUSTER_SIZE),
        "batch_size": number("batch_size", int, 5, 500, LLM_BATCH_SIZE),
        "min_shared": number("min_shared", int, 1, 10, DEFAULT_MIN_SHARED),
    }


def _embedding_progress(ctx: RunContext):
    """Writes "Embedding n of N keywords" on the run while prepare embeds (before the engine's own
    progress starts): a 100,000-keyword run spends most of its time there."""

    def report(done: int, total: int) -> None:
        if ctx.run_id and total:
            AIRun.objects.filter(task_id=ctx.run_id).update(
                message=f"Embedding {done:,} of {total:,} keywords (those not stored yet)..."
            )

    return report


def _clustering_progress(ctx: RunContext):
    """After embedding: how far the comparison of keyword pairs is (a 100,000-keyword run spends
    tens of seconds there), then the cluster steps."""

    def report(stage: str, done: int, total: int) -> None:
        if not ctx.run_id or not total:
            return
        if stage == "graph":
            message = f"Comparing keywords: {100 * done // total}% of pairs..."
        elif stage == "threshold":
            message = f"Choosing the similarity threshold: {done} of {total} tried..."
        else:
            message = "Forming clusters..." if done < total else "Clusters formed; saving..."
        AIRun.objects.filter(task_id=ctx.run_id).update(message=message)

    return report


def _offline(ctx: RunContext) -> bool:
    """No provider for this run: none configured, or the payload forces {"provider": "offline"}."""
    forced = ctx.payload.get("provider")
    return provider_config(account=ctx.account, kind="text", forced=forced).provider == "offline"


class AutoClusterFunction(AIFunction):
    name = "auto_cluster"
    title = "Auto-cluster keywords"
    operation = "cluster_keywords"
    credits = 10
    max_items = 20_000  # ids per run; the site mode has no list
    ids_model = "planner.Keyword"
    prompt_type = "clustering"  # the llm method's one call (prompt.md)
    placeholders = frozenset({"sector", "keywords"})
    # The semantic and SERP methods' naming call (cluster_naming.md).
    more_prompts = {NAMING_PROMPT_TYPE: frozenset({"sector", "clusters"})}
    payload_fields = frozenset(
        {"site_id", "method", "serp_mode", "threshold", "min_cluster_size", "batch_size", "min_shared"}
    )
    generation_fields = frozenset({"author_profile_id"})
    output_schema = ClusterNames
    phase_messages = {
        "PREP": "Clustering keywords into {total} batch(es)...",
        "AI_CALL": "Batch {current} of {total}: asking the AI...",
        "SAVE": "Saving clusters of batch {current} of {total}...",
        "DONE": "Clusters saved from {succeeded} batch(es); {failed} failed.",
    }

    def summary(self, *, run, items: list[dict], failed: int) -> str:
        created, extended = total(items, "clusters_created"), total(items, "clusters_extended")
        keywords = counted(total(items, "keywords_clustered"), "keyword")
        existing = counted(extended, "existing cluster")
        if created and extended:
            text = f"Created {counted(created, 'cluster')} and extended {existing} from {keywords}."
        elif extended:
            text = f"Added {keywords} to {existing}."
        elif created:
            text = f"Created {counted(created, 'cluster')} from {keywords}."
        else:
            text = "No clusters: no keywords were close enough to group."
        return text + failed_tail(failed, "batch", "batches")

    # -- scope ------------------------------------------------------------------------------------

    def _site(self, ctx: RunContext) -> Site:
        site_id = ctx.payload.get("site_id") or (ctx.site.pk if ctx.site else None)
        if site_id is None and ctx.payload.get("ids"):
            sites = set(
                Keyword.objects.filter(account=ctx.account, pk__in=ctx.payload["ids"])
                .values_list("site_id", flat=True)
                .distinct()
            )
            if len(sites) > 1:
                raise Invalid(errors={"ids": ["Select keywords of one site at a time."]})
            site_id = next(iter(sites), None)
        site = Site.objects.filter(account=ctx.account, pk=site_id).first() if site_id else None
        if site is None:
            raise Invalid(errors={"site_id": ["Send ids of keywords, or the site_id of a site."]})
        return site

    def _scope(self, ctx: RunContext):
        site = self._site(ctx)
        ids = ctx.payload.get("ids")
        return site, cluster_methods.keywords_in_scope(account=ctx.account, site=site, ids=ids)

    # -- validate (400 / 402) ---------------------------------------------------------------------
    def validate(self, ctx: RunContext) -> None:
        super().validate(ctx)
        options = _options(ctx.payload)
        _, queryset = self._scope(ctx)
        ids = ctx.payload.get("ids")
        if ids is not None:
            found = set(queryset.values_list("pk", flat=True))
            if set(ids) - found:
                shown = ", ".join(map(str, sorted(set(ids) - found)[:20]))
                raise Invalid(
                    errors={
                        "ids": [
                            "No such keyword(s) to cluster in this site (archived, or in a locked "
                            f"cluster): {shown}."
                        ]
                    }
                )
        count = len(ids) if ids is not None else queryset.count()
        minimum = getattr(settings, "AUTO_CLUSTER_MIN_KEYWORDS", 5)
        if ids is None and count == 0:
            site = self._site(ctx)
            waiting = selectors.keywords_not_grouped(account=ctx.account, site=site).count()
            if waiting:
                raise Invalid(
                    errors={
                        "site_id": [
                            f"No new keywords since the last run. The {waiting} keyword(s) marked "
                            "Not grouped fitted no cluster then and would not now; select them to "
                            "re-cluster them with other settings (a lower threshold), or add keywords."
                        ]
                    }
                )
        if count < minimum:
            raise Invalid(
                errors={
                    "ids" if ids is not None else "site_id": [
                        f"Auto-clustering needs at least {minimum} keywords; {count} "
                        f"{'were selected' if ids is not None else 'are unclustered in this site'}."
                    ]
                }
            )
        if options["method"] == "llm" and _offline(ctx):
            raise Invalid(errors={"method": [OFFLINE_METHOD_MESSAGE]})
        if options["method"] == "serp" and not queryset.exclude(serp_urls=[]).exists():
            raise Invalid(
                "None of these keywords has ranking URLs: import a serp_urls column first.", field="method"
            )
        account = ctx.account
        check_plan_limit(
            account=account,
            limit="daily_cluster_limit",
            current=cluster_service.clusters_created_today(account=account),
            adding=1,
            what="new clusters per day",
        )
        check_plan_limit(
            account=account,
            limit="max_clusters",
            current=Cluster.objects.filter(account=account).count(),
            adding=1,
            what="clusters",
        )

    def units(self, ctx: RunContext) -> int:
        """Credits are reserved for the most batches the run can have; unused ones are refunded."""
        options = _options(ctx.payload)
        ids = ctx.payload.get("ids")
        count = len(ids) if ids is not None else self._scope(ctx)[1].count()
        if options["method"] == "llm":
            return max(1, math.ceil(count / options["batch_size"]))
        if _offline(ctx):
            return 1
        return max(1, math.ceil(count / max(2, options["min_cluster_size"]) / NAMING_BATCH))

    # -- prepare: the clustering itself -----------------------------------------------------------
    def prepare(self, ctx: RunContext) -> list[KeywordBatch | NamingBatch]:
        options = _options(ctx.payload)
        site, queryset = self._scope(ctx)
        rows = cluster_methods.rows_of(queryset)
        # The engine keeps one function instance per run: prepare's findings serve the later steps.
        self.site = site
        self.sector = self._sector_name(site, rows)
        self.voice = ctx.voice(site=site, sector=self._main_sector(rows))
        if options["method"] == "llm":
            self.output_schema = LlmClusters
            size = options["batch_size"]
            return [KeywordBatch(n, rows[i : i + size]) for n, i in enumerate(range(0, len(rows), size), 1)]
        if options["method"] == "serp":
            groups = cluster_methods.serp_groups(
                rows=rows,
                mode=options["serp_mode"],
                min_shared=options["min_shared"],
                min_cluster_size=options["min_cluster_size"],
            )
        else:
            groups, options["threshold"] = cluster_methods.semantic_groups(
                site=site,
                rows=rows,
                threshold=options["threshold"],
                min_cluster_size=options["min_cluster_size"],
                progress=_embedding_progress(ctx),
                stages=_clustering_progress(ctx),
            )
        grouped = {keyword_id for group in groups for keyword_id in group.keyword_ids}
        self.outlier_ids = [row.id for row in rows if row.id not in grouped]
        self.why_alone = self._why_alone(options, len(rows))
        if not groups:
            return []  # nothing_produced says why and marks them
        by_id = {row.id: row for row in rows}
        offline = _offline(ctx)
        size = len(groups) if offline else NAMING_BATCH
        batches = []
        for n, start in enumerate(range(0, len(groups), size), 1):
            part = groups[start : start + size]
            shown = [
                [r.keyword for r in sorted((by_id[i] for i in g.keyword_ids), key=lambda r: -r.volume)][
                    :NAMING_KEYWORDS
                ]
                for g in part
            ]
            batches.append(NamingBatch(n, part, shown))
        return batches

    @staticmethod
    def _why_alone(options: dict, count: int) -> str:
        if options["method"] == "serp":
            return (
                f"none of these {count} keywords shares at least {options['min_shared']} of its "
                "top-10 ranking URLs with another"
            )
        return (
            f"none of these {count} keywords is close enough in meaning (similarity "
            f"{options['threshold']:.2f}) to another keyword with the same search intent and modifiers"
        )

    def nothing_produced(self, ctx: RunContext) -> str | None:
        """No group at all: the keywords are marked Not grouped and the run says why (a success:
        the clustering was done, it just found nothing to put together)."""
        outliers = getattr(self, "outlier_ids", None)
        if not outliers:
            return None
        cluster_service.keywords_mark_not_grouped(keyword_ids=outliers)
        return (
            f"No cluster formed: {self.why_alone}. They are marked Not grouped; re-cluster them "
            "with a lower threshold or add related keywords."
        )[:500]

    def item_label(self, item: KeywordBatch | NamingBatch) -> str:
        return f"batch {item.number}"

    # -- the calls --------------------------------------------------------------------------------
    @staticmethod
    def _main_sector(rows: list[KeywordRow]) -> Sector | None:
        """The keywords' most common sector: its author profile is the run's voice."""
        counts = Counter(row.sector_id for row in rows if row.sector_id)
        if not counts:
            return None
        return Sector.objects.filter(pk=min(counts, key=lambda s: (-counts[s], s))).first()

    @staticmethod
    def _sector_name(site: Site, rows: list[KeywordRow]) -> str:
        """What the prompts call the site's topic: the keywords' most common sector, else the site."""
        counts = Counter(row.sector_id for row in rows if row.sector_id)
        if counts:
            top = min(counts, key=lambda s: (-counts[s], s))
            sector = Sector.objects.filter(pk=top).first()
            if sector:
                return sector.name
        return site.name

    def build_prompt(self, ctx: RunContext, item: KeywordBatch | NamingBatch, template: str) -> TextPrompt:
        if isinstance(item, KeywordBatch):
            text = prompts.render(
                template,
                prompt_type="clustering",
                voice=self.voice,
                sector=self.sector,
                keywords="\n".join(row.keyword for row in item.rows),
            )
            return TextPrompt(prompt=text)
        listing = "\n".join(
            f"{number}. {'; '.join(keywords)}" for number, keywords in enumerate(item.shown, 1)
        )
        # Offline (and for any cluster the namer skips) the name is the representative keyword.
        draft = {
            "clusters": [
                {"number": n, "name": g.name, "description": ""} for n, g in enumerate(item.groups, 1)
            ]
        }
        template = prompts.template_for(account=ctx.account, prompt_type=NAMING_PROMPT_TYPE)
        prompt = prompts.render(
            template, prompt_type=NAMING_PROMPT_TYPE, voice=self.voice, sector=self.sector, clusters=listing
        )
        return TextPrompt(prompt=prompt, offline_draft=draft)

    # -- save -------------------------------------------------------------------------------------
    def save_output(self, ctx: RunContext, item: KeywordBatch | NamingBatch, output: BaseModel) -> dict:
        if isinstance(item, KeywordBatch):
            groups, extra = self._llm_groups(ctx, item, output)
        else:
            groups, extra = self._named_groups(item, output), {}
        report = cluster_service.groups_save(site=self.site, groups=groups)
        self.saved_cluster_ids = [*getattr(self, "saved_cluster_ids", []), *report.cluster_ids]
        return {**report.as_dict(), **extra}

    def after_run(self, ctx: RunContext, *, results: list[dict]) -> dict:
        """clusters_created: the clusters this run created or added keywords to. The keywords no
        cluster took are marked Not grouped (only after the saves, so a keyword whose group
        failed to save stays new and is tried again)."""
        marked = cluster_service.keywords_mark_not_grouped(keyword_ids=getattr(self, "outlier_ids", []))
        ids = sorted(set(getattr(self, "saved_cluster_ids", [])))
        site = getattr(self, "site", None) or ctx.site
        if ids and site is not None:
            events.emit_safely(
                account=ctx.account,
                site=site,
                event_type="clusters_created",
                context={"cluster_ids": ids, "count": len(ids)},
            )
        return {"keywords_not_grouped": marked} if marked else {}

    def _named_groups(self, item: NamingBatch, output: ClusterNames) -> list[Group]:
        names = {c.number: c for c in output.clusters}
        for number, group in enumerate(item.groups, 1):
            named = names.get(number)
            if named and named.name.strip():
                group.name, group.description = named.name.strip(), named.description.strip()
        return item.groups

    def _llm_groups(self, ctx: RunContext, item: KeywordBatch, output: LlmClusters):
        """Keywords matched back by normalised text; invented ones ignored, dropped ones left new,
        a keyword named twice stays in the first cluster that claimed it."""
        by_text = {row.normalized: row for row in item.rows}
        minimum = _options(ctx.payload)["min_cluster_size"]
        taken: set[int] = set()
        invented = 0
        groups = []
        for cluster in output.clusters:
            members = []
            for text in cluster.keywords:
                row = by_text.get(normalize_keyword(text))
                if row is None:
                    invented += 1
                elif row.id not in taken:
                    taken.add(row.id)
                    members.append(row)
            if len(members) >= minimum:
                groups.append(
                    Group(
                        keyword_ids=[r.id for r in members],
                        name=cluster.name,
                        description=cluster.description,
                        sector_id=members[0].sector_id,
                    )
                )
            else:
                taken -= {r.id for r in members}
        return groups, {
            "keywords_ignored": invented,
            "keywords_left_unclustered": len(item.rows) - len(taken),
        }
