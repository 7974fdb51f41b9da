"""SERP-overlap clustering: keywords that Google answers with the same pages belong together.

This is the method of the commercial keyword clusterers. Each keyword brings its top-10 ranking
URLs; two keywords "overlap" when they share at least `min_shared` of them.

- soft: a pivot keyword (highest volume first, then text) takes every unassigned keyword that
  overlaps with the pivot. Members need not overlap with each other.
- hard: the same pivots, but a candidate joins only if it overlaps with every member already in
  the cluster (a clique), so every pair in a hard cluster shares at least `min_shared` URLs.
  Candidates are tried by most URLs shared with the pivot, then volume, then text.

A pivot whose group stays below `min_cluster_size` leaves it unformed (its candidates stay free
for later pivots); keywords without SERP data, or that overlap with nobody, are outliers. The
pivot names the cluster: it is the keyword the cluster's page should target first."""

from collections.abc import Sequence
from typing import Literal
from urllib.parse import urlsplit

from .canonical import canonicalise, to_clustering
from .result import Clustering

DEFAULT_MIN_SHARED = 3
DEFAULT_TOP_N = 10
DEFAULT_MIN_CLUSTER_SIZE = 2
Mode = Literal["soft", "hard"]


def normalise_url(url: str) -> str:
    """Scheme, 'www.', case of the host, fragment and a trailing slash do not make a different page."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}" if host else url.strip().lower()


def cluster_by_serp(
    *,
    keywords: Sequence[str],
    serps: Sequence[Sequence[str] | None],
    volumes: Sequence[int | None] | None = None,
    min_shared: int = DEFAULT_MIN_SHARED,
    mode: Mode = "soft",
    min_cluster_size: int = DEFAULT_MIN_CLUSTER_SIZE,
    top_n: int = DEFAULT_TOP_N,
) -> Clustering:
    """Cluster keywords by shared ranking URLs; serps[i] is keywords[i]'s ranking URLs, best first."""
    if len(serps) != len(keywords):
        raise ValueError(f"{len(serps)} SERPs for {len(keywords)} keywords")
    if mode not in ("soft", "hard"):
        raise ValueError(f"mode must be 'soft' or 'hard', not {mode!r}")
    if min_shared < 1 or min_cluster_size < 1:
        raise ValueError("min_shared and min_cluster_size must be at least 1")
    canonical = canonicalise(keywords=keywords, volumes=volumes)
    # Duplicate keywords pool their URLs (a union, so the result does not depend on which came first).
    url_sets: list[frozenset[str]] = []
    for indices in canonical.inputs:
        urls: set[str] = set()
        for index in indices:
            urls |= _top_urls(serps[index], top_n=top_n)
        url_sets.append(frozenset(urls))
    postings: dict[str, list[int]] = {}
    for position, urls in enumerate(url_sets):
        for url in urls:
            postings.setdefault(url, []).append(position)

    n = len(canonical.texts)
    volumes_ = canonical.volumes.tolist()
    free = [bool(urls) for urls in url_sets]
    groups: list[list[int]] = []
    for pivot in sorted(range(n), key=lambda p: (-volumes_[p], p)):
        if not free[pivot]:
            continue
        shared: dict[int, int] = {}
        for url in url_sets[pivot]:
            for other in postings[url]:
                if other != pivot and free[other]:
                    shared[other] = shared.get(other, 0) + 1
        candidates = sorted(
            (other for other, count in shared.items() if count >= min_shared),
            key=lambda other: (-shared[other], -volumes_[other], other),
        )
        group = [pivot]
        for other in candidates:
            if mode == "soft" or all(len(url_sets[other] & url_sets[m]) >= min_shared for m in group[1:]):
                group.append(other)
        if len(group) < min_cluster_size:
            continue
        for member in group:
            free[member] = False
        groups.append(group)
    return to_clustering(canonical=canonical, groups=groups, representatives=[g[0] for g in groups])


def _top_urls(serp: Sequence[str] | None, *, top_n: int) -> set[str]:
    urls: list[str] = []
    for url in serp or ():
        normal = normalise_url(url)
        if normal and normal not in urls:
            urls.append(normal)
        if len(urls) == top_n:
            break
    return set(urls)
