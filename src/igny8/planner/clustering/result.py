"""What every clustering method returns: clusters of input indices plus the keywords left out."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cluster:
    members: tuple[int, ...]  # indices into the caller's keyword list, ascending
    representative: int  # the member whose keyword names the cluster (first input index of that text)
    name: str  # the representative keyword, normalised; the LLM may rename it later


@dataclass(frozen=True, slots=True)
class Clustering:
    clusters: tuple[Cluster, ...]  # largest first, then by name
    outliers: tuple[int, ...]  # ascending; keywords that fit no cluster stay out rather than forced in
    # The similarity threshold used (the one chosen when asked for "auto"); None for SERP overlap.
    threshold: float | None = None

    def labels(self, *, size: int) -> list[int]:
        """One label per input keyword: the cluster's position in `clusters`, or -1 for an outlier."""
        labels = [-1] * size
        for number, cluster in enumerate(self.clusters):
            for index in cluster.members:
                labels[index] = number
        return labels
