"""Corrections by hand: rename, merge, split, move keywords, delete, lock. Used by the API and the web.

Every edit runs in one transaction and ends by recounting the clusters it touched
(`clusters_recount`: keywords_count, volume, avg_difficulty straight from the keywords), so the
metrics are exact whatever the edit did. Clusters and keywords are looked up inside the cluster's
site: an id of another site (or account) is refused with the field named, never acted on.

A lock only binds clustering runs (cluster_service / cluster_methods skip locked clusters); a person
may still edit a locked cluster by hand, which is what a lock is for: keep the hand-made result."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Case, F, Value, When

from igny8.accounts.models import Site
from igny8.core.errors import Conflict, Invalid, NotFound, PlanLimit
from igny8.core.text import normalize_keyword
from igny8.planner.cluster_service import chunks, cluster_headroom, clusters_recount
from igny8.planner.models import Cluster, Keyword, KeywordStatus

NAME_MAX = 255


def _clean_name(name: str, *, field: str = "name") -> str:
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise Invalid("Give the cluster a name.", field=field)
    if len(cleaned) > NAME_MAX:
        raise Invalid(f"A cluster name has at most {NAME_MAX} characters.", field=field)
    return cleaned


def _refuse_taken_name(*, site: Site, name: str, ignore: Sequence[int] = (), field: str = "name") -> None:
    """Names are unique per site, compared as the runs compare them (normalised)."""
    wanted = normalize_keyword(name)
    for other in (
        Cluster.objects.filter(site=site).exclude(pk__in=list(ignore)).values_list("name", flat=True)
    ):
        if normalize_keyword(other) == wanted:
            raise Conflict(f'This site already has a cluster named "{other}".', field=field)


def _site_clusters(*, site: Site, ids: Sequence[int], field: str) -> list[Cluster]:
    """The clusters of these ids in the site, locked for the edit, in the order asked."""
    wanted = list(dict.fromkeys(int(pk) for pk in ids))
    found = {c.pk: c for c in Cluster.objects.select_for_update().filter(site=site, pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        shown = ", ".join(map(str, missing[:20]))
        raise NotFound(f"No such cluster(s) in this site: {shown}.", field=field)
    return [found[pk] for pk in wanted]


def _cluster_keyword_ids(*, cluster: Cluster, keyword_ids: Sequence[int], field: str) -> list[int]:
    wanted = sorted({int(pk) for pk in keyword_ids})
    if not wanted:
        raise Invalid("Pick at least one keyword.", field=field)
    found: set[int] = set()
    for part in chunks(wanted):
        found |= set(Keyword.objects.filter(cluster=cluster, pk__in=part).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        shown = ", ".join(map(str, missing[:20]))
        raise Invalid(f'Keyword(s) {shown} are not in the cluster "{cluster.name}".', field=field)
    return wanted


def _put(*, keyword_ids: list[int], cluster_id: int | None) -> None:
    """Into a cluster: new keywords become clustered. Out of every cluster: clustered ones become new
    again (so a later run picks them up); used and archived keep their status."""
    if cluster_id is None:
        status = Case(
            When(status=KeywordStatus.CLUSTERED, then=Value(KeywordStatus.NEW)), default=F("status")
        )
    else:
        status = Case(
            When(status=KeywordStatus.NEW, then=Value(KeywordStatus.CLUSTERED)), default=F("status")
        )
    for part in chunks(keyword_ids):
        Keyword.objects.filter(pk__in=part).update(cluster_id=cluster_id, status=status)


def _repoint(*, from_ids: list[int], to_id: int) -> None:
    """Every other row that points at the merged-away clusters (ideas, writer tasks, site pages, and
    whatever is added later) follows to the cluster that stays, instead of losing its cluster."""
    for relation in Cluster._meta.get_fields(include_hidden=True):  # hidden: related_name="+" too
        if not (relation.auto_created and relation.one_to_many) or relation.related_model is Keyword:
            continue
        name = relation.field.name
        relation.related_model._base_manager.filter(**{f"{name}__in": from_ids}).update(**{name: to_id})


def _locked(cluster: Cluster) -> Cluster:
    return Cluster.objects.select_for_update().get(pk=cluster.pk)


@transaction.atomic
def cluster_rename(*, cluster: Cluster, name: str) -> Cluster:
    cluster = _locked(cluster)
    name = _clean_name(name)
    _refuse_taken_name(site=cluster.site, name=name, ignore=[cluster.pk])
    cluster.name = name
    cluster.save(update_fields=["name", "updated_at"])
    return cluster


@transaction.atomic
def cluster_lock(*, cluster: Cluster, locked: bool) -> Cluster:
    cluster = _locked(cluster)
    cluster.locked = bool(locked)
    cluster.save(update_fields=["locked", "updated_at"])
    return cluster


@transaction.atomic
def clusters_merge(
    *, site: Site, cluster_ids: Sequence[int], into_id: int | None = None, name: str | None = None
) -> Cluster:
    """Two or more clusters become one: `into_id` (default: the one with most keywords, then the
    oldest) keeps its row, takes the others' keywords, ideas, writer tasks and site pages; the
    others go."""
    if len(set(cluster_ids)) < 2:
        raise Invalid("Select at least two clusters to merge.", field="ids")
    clusters = _site_clusters(site=site, ids=cluster_ids, field="ids")
    if into_id is not None:
        target = next((c for c in clusters if c.pk == int(into_id)), None)
        if target is None:
            raise Invalid("The cluster to merge into must be one of the selected clusters.", field="into")
    else:
        target = min(clusters, key=lambda c: (-c.keywords_count, c.pk))
    others = [c.pk for c in clusters if c.pk != target.pk]
    if name is not None:
        name = _clean_name(name)
        _refuse_taken_name(site=site, name=name, ignore=[c.pk for c in clusters])
    moving = list(Keyword.objects.filter(cluster_id__in=others).values_list("pk", flat=True))
    _put(keyword_ids=moving, cluster_id=target.pk)
    _repoint(from_ids=others, to_id=target.pk)
    Cluster.objects.filter(pk__in=others).delete()
    if name is not None:
        target.name = name
        target.save(update_fields=["name", "updated_at"])
    clusters_recount(cluster_ids=[target.pk])
    target.refresh_from_db()
    return target


@transaction.atomic
def cluster_split(*, cluster: Cluster, keyword_ids: Sequence[int], name: str) -> Cluster:
    """The picked keywords leave for a new cluster of the same site and sector, named `name`."""
    cluster = _locked(cluster)
    ids = _cluster_keyword_ids(cluster=cluster, keyword_ids=keyword_ids, field="keyword_ids")
    if len(ids) >= Keyword.objects.filter(cluster=cluster).count():
        raise Invalid(
            "Leave at least one keyword in the cluster; to move them all, rename it instead.",
            field="keyword_ids",
        )
    name = _clean_name(name)
    _refuse_taken_name(site=cluster.site, name=name)
    if cluster_headroom(account=cluster.site.account) < 1:
        raise PlanLimit("Your plan allows no more clusters (in total or today).")
    new = Cluster.objects.create(
        account_id=cluster.account_id, site_id=cluster.site_id, sector_id=cluster.sector_id, name=name
    )
    _put(keyword_ids=ids, cluster_id=new.pk)
    clusters_recount(cluster_ids=[cluster.pk, new.pk])
    new.refresh_from_db()
    return new


@transaction.atomic
def keywords_move(
    *, cluster: Cluster, keyword_ids: Sequence[int], to_cluster_id: int | None
) -> Cluster | None:
    """Picked keywords of `cluster` go to another cluster of its site, or out of every cluster
    (to_cluster_id None: they are unclustered again). Returns the cluster they went to."""
    cluster = _locked(cluster)
    ids = _cluster_keyword_ids(cluster=cluster, keyword_ids=keyword_ids, field="keyword_ids")
    target = None
    if to_cluster_id is not None:
        if int(to_cluster_id) == cluster.pk:
            raise Invalid("Pick another cluster to move the keywords to.", field="to_cluster")
        target = _site_clusters(site=cluster.site, ids=[to_cluster_id], field="to_cluster")[0]
    _put(keyword_ids=ids, cluster_id=target.pk if target else None)
    clusters_recount(cluster_ids=[cluster.pk] + ([target.pk] if target else []))
    if target is not None:
        target.refresh_from_db()
    return target


@transaction.atomic
def clusters_delete(*, clusters: Sequence[Cluster]) -> int:
    """Deletes the clusters; their keywords return to unclustered (clustered -> new), their ideas
    and tasks stay, without a cluster. Returns how many clusters went."""
    ids = [c.pk for c in clusters]
    keyword_ids = list(Keyword.objects.filter(cluster_id__in=ids).values_list("pk", flat=True))
    _put(keyword_ids=keyword_ids, cluster_id=None)
    _, per_model = Cluster.objects.filter(pk__in=ids).delete()
    return per_model.get(Cluster._meta.label, 0)
