"""Saving keyword groups as clusters: new clusters in bulk, groups that match an existing cluster
(by meaning or by name) join it, keywords reassigned with a few set-based UPDATEs, metrics
recounted in one aggregate query. Never two clusters with one name in a site (the DB refuses it)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Avg, Case, Count, F, Sum, Value, When
from django.utils import timezone

from igny8.accounts.models import Account, Site
from igny8.core.text import normalize_keyword
from igny8.planner.models import Cluster, Keyword, KeywordStatus

# SQLite allows 32,766 bound variables per statement; chunks stay far below on every backend.
CHUNK = 900


@dataclass
class Group:
    keyword_ids: list[int]
    name: str
    description: str = ""
    sector_id: int | None = None
    # An existing cluster of the site this group joins (matched by meaning before saving).
    target_id: int | None = None


@dataclass
class SaveReport:
    created: list[str] = field(default_factory=list)
    extended: list[str] = field(default_factory=list)
    keywords_clustered: int = 0
    groups_over_limit: int = 0
    cluster_ids: list[int] = field(default_factory=list)  # created or extended (not in the summary)

    def as_dict(self) -> dict:
        return {
            "clusters_created": len(self.created),
            "clusters_extended": len(self.extended),
            "keywords_clustered": self.keywords_clustered,
            "groups_over_plan_limit": self.groups_over_limit,
            "created": self.created[:100],
            "extended": self.extended[:100],
        }


def chunks(values: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def clusters_created_today(*, account: Account) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Cluster.objects.filter(account=account, created_at__gte=start).count()


def cluster_headroom(*, account: Account) -> int:
    """How many clusters the plan still lets the account create: total and today's, whichever is less."""
    plan = account.plan
    total = Cluster.objects.filter(account=account).count()
    return max(
        0, min(plan.max_clusters - total, plan.daily_cluster_limit - clusters_created_today(account=account))
    )


def clusters_recount(*, cluster_ids: Iterable[int]) -> None:
    """keywords_count, volume (total) and avg_difficulty from the keywords, for these clusters."""
    ids = sorted(set(cluster_ids))
    for part in chunks(ids):
        stats = {
            row["cluster_id"]: row
            for row in Keyword.objects.filter(cluster_id__in=part)
            .values("cluster_id")
            .annotate(n=Count("id"), total=Sum("volume"), difficulty=Avg("difficulty"))
        }
        clusters = list(Cluster.objects.filter(pk__in=part))
        for cluster in clusters:
            row = stats.get(cluster.pk, {})
            cluster.keywords_count = row.get("n", 0)
            cluster.volume = row.get("total") or 0
            cluster.avg_difficulty = round(row.get("difficulty") or 0.0, 2)
        Cluster.objects.bulk_update(clusters, ["keywords_count", "volume", "avg_difficulty"], batch_size=500)


def _assign(*, cluster_id: int, keyword_ids: list[int]) -> None:
    for part in chunks(keyword_ids):
        Keyword.objects.filter(pk__in=part).update(
            cluster_id=cluster_id,
            status=Case(
                When(
                    status__in=[KeywordStatus.NEW, KeywordStatus.UNCLUSTERED],
                    then=Value(KeywordStatus.CLUSTERED),
                ),
                default=F("status"),
            ),
        )


@transaction.atomic
def groups_save(*, site: Site, groups: list[Group]) -> SaveReport:
    """Saves groups of keyword ids (all of this site). A group joins the cluster it was matched to,
    else the site's cluster of the same name (compared normalised), else a new cluster while the
    plan allows; groups past the plan's headroom are counted and their keywords left as they were."""
    report = SaveReport()
    # Locked clusters are never joined (by match or by name); a new group named like one gets a
    # numbered name instead, as names are unique per site.
    clusters = list(Cluster.objects.filter(site=site, locked=False))
    locked_names = {
        normalize_keyword(n)
        for n in Cluster.objects.filter(site=site, locked=True).values_list("name", flat=True)
    }
    by_name = {normalize_keyword(c.name): c for c in clusters}
    by_id = {c.pk: c for c in clusters}
    headroom = cluster_headroom(account=site.account)
    new: dict[str, Cluster] = {}
    plan: dict[int, tuple[Cluster, list[int]]] = {}
    for group in groups:
        if not group.keyword_ids:
            continue
        name = " ".join(group.name.split())[:255] or "Untitled cluster"
        key = normalize_keyword(name)
        number = 2
        while key in locked_names:
            name = f"{' '.join(group.name.split())[:245] or 'Untitled cluster'} ({number})"
            key, number = normalize_keyword(name), number + 1
        target = by_id.get(group.target_id or 0) or by_name.get(key) or new.get(key)
        if target is None:
            if len(new) >= headroom:
                report.groups_over_limit += 1
                continue
            target = Cluster(
                account_id=site.account_id,
                site=site,
                sector_id=group.sector_id,
                name=name,
                description=group.description,
            )
            new[key] = target
        plan.setdefault(id(target), (target, []))[1].extend(group.keyword_ids)
    Cluster.objects.bulk_create(list(new.values()))
    every_id = [pk for _, ids in plan.values() for pk in ids]
    previous: set[int] = set()
    for part in chunks(every_id):
        previous |= set(
            Keyword.objects.filter(pk__in=part, cluster__isnull=False).values_list("cluster_id", flat=True)
        )
    created = {id(cluster) for cluster in new.values()}
    for key, (target, ids) in plan.items():
        _assign(cluster_id=target.pk, keyword_ids=ids)
        (report.created if key in created else report.extended).append(target.name)
        report.cluster_ids.append(target.pk)
        report.keywords_clustered += len(ids)
    clusters_recount(cluster_ids=previous | {target.pk for target, _ in plan.values()})
    return report


def keywords_mark_not_grouped(*, keyword_ids: list[int]) -> int:
    """A clustering run's outliers: those still without a cluster and new become "Not grouped",
    so site-wide runs and automation stop picking them until new keywords arrive."""
    marked = 0
    for part in chunks(sorted(keyword_ids)):
        marked += Keyword.objects.filter(pk__in=part, cluster__isnull=True, status=KeywordStatus.NEW).update(
            status=KeywordStatus.UNCLUSTERED
        )
    return marked
