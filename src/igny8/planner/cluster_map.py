"""What the cluster map and charts draw: a 2-D projection of a site's clustered keywords and the
volume / difficulty of its biggest clusters, as plain JSON-able data (the web passes it through
json_script; a static script draws it with the vendored Chart.js).

The projection is PCA of the stored keyword embeddings (embedding_cache): the two directions along
which the keywords differ most, so clusters that are far apart in meaning are far apart on the map.
It is computed from stored vectors only: a page view never loads the model. Keywords clustered
without embeddings (SERP or LLM runs, never embedded) are counted as not shown."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from igny8.accounts.models import Site
from igny8.planner import clustering, embedding_cache
from igny8.planner.clustering import backends
from igny8.planner.models import Cluster, Keyword

# A scatter of a few thousand points stays quick to draw on a phone; the biggest clusters first.
MAP_CLUSTERS = 40
MAP_KEYWORDS = 3_000
CHART_CLUSTERS = 30
# Colour-blind-safe first (Okabe-Ito), then Tableau's; cycled when there are more clusters.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7",
    "#9C755F", "#BAB0AC",
]  # fmt: skip


@dataclass(frozen=True)
class MapData:
    clusters: list[dict]  # id, name, colour, keywords_count, volume, avg_difficulty
    points: list[list]  # [x, y, cluster index, keyword]
    not_shown: int  # clustered keywords of the mapped clusters that have no stored embedding
    chart: list[dict]  # id, name, volume, avg_difficulty (biggest volume first)

    def as_dict(self) -> dict:
        return {"clusters": self.clusters, "points": self.points, "chart": self.chart}


def _projection(vectors: np.ndarray) -> np.ndarray:
    """Two coordinates per row, scaled to [-1, 1]. PCA's signs are fixed by scikit-learn (svd_flip),
    so the same keywords always give the same picture."""
    if len(vectors) == 0:
        return np.zeros((0, 2))
    if len(vectors) < 3:
        return np.zeros((len(vectors), 2))
    # Imported here: scikit-learn costs every web, worker and CLI process over a second at start-up,
    # and only this page needs it.
    from sklearn.decomposition import PCA

    flat = PCA(n_components=2, svd_solver="full").fit_transform(vectors.astype(np.float64))
    scale = np.abs(flat).max(axis=0)
    return flat / np.where(scale == 0, 1, scale)


def cluster_map(*, site: Site) -> MapData:
    biggest = list(
        Cluster.objects.filter(site=site, keywords_count__gt=0)
        .order_by("-keywords_count", "-volume", "name", "pk")
        .values("pk", "name", "keywords_count", "volume", "avg_difficulty")[:MAP_CLUSTERS]
    )
    clusters = [
        {
            "id": c["pk"],
            "name": c["name"],
            "colour": PALETTE[i % len(PALETTE)],
            "keywords_count": c["keywords_count"],
            "volume": c["volume"],
            "avg_difficulty": round(c["avg_difficulty"], 1),
        }
        for i, c in enumerate(biggest)
    ]
    index = {c["id"]: i for i, c in enumerate(clusters)}
    rows = list(
        Keyword.objects.filter(site=site, cluster_id__in=list(index))
        .order_by("-volume", "normalized")
        .values_list("cluster_id", "normalized", "keyword")[:MAP_KEYWORDS]
    )
    _, model_name = backends.active_encoder()
    # Clustering stores each keyword's vector under the text it embeds (its topic, ranking words
    # dropped: clustering.embedding_texts), so the map looks them up the same way.
    topics = clustering.embedding_texts([r[1] for r in rows])
    stored = embedding_cache.stored_vectors(texts=topics, model_name=model_name)
    shown = sorted(
        ((r, topic) for r, topic in zip(rows, topics, strict=True) if topic in stored),
        key=lambda pair: (index[pair[0][0]], pair[0][1]),
    )
    xy = _projection(np.stack([stored[topic] for _, topic in shown]) if shown else np.zeros((0, 2)))
    points = [
        [round(float(x), 4), round(float(y), 4), index[cluster_id], keyword]
        for ((cluster_id, _, keyword), _), (x, y) in zip(shown, xy, strict=True)
    ]
    total = sum(c["keywords_count"] for c in clusters)
    chart = [
        {
            "id": c["pk"],
            "name": c["name"],
            "volume": c["volume"],
            "avg_difficulty": round(c["avg_difficulty"], 1),
        }
        for c in Cluster.objects.filter(site=site, keywords_count__gt=0)
        .order_by("-volume", "name", "pk")
        .values("pk", "name", "volume", "avg_difficulty")[:CHART_CLUSTERS]
    ]
    return MapData(clusters=clusters, points=points, not_shown=total - len(points), chart=chart)
