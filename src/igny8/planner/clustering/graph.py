"""The thresholded similarity graph: every pair of keywords at or above the threshold, without
ever holding the n x n matrix.

Rows are processed in blocks against the rows after them (the upper triangle), so the work is
n^2/2 dot products and the memory is one block x n slice plus the edges kept. For 100,000
keywords and 1,024-row blocks the slice is at most 400 MB."""

from dataclasses import dataclass

import numpy as np

DEFAULT_BLOCK_SIZE = 1024
# About 24 bytes per kept edge while the adjacency is built; 40M edges is about 1 GB. Real keyword
# lists sit far below (the 100k bench keeps a few million); a flood of near-duplicates does not.
DEFAULT_MAX_EDGES = 40_000_000


class GraphTooDense(ValueError):
    """More pairs pass the threshold than the edge budget allows: raise the threshold or dedupe."""


@dataclass(frozen=True, slots=True)
class Graph:
    """Symmetric adjacency in CSR form: neighbours of i are indices[indptr[i]:indptr[i + 1]],
    ascending, with their cosine similarities in weights."""

    indptr: np.ndarray  # int64, n + 1
    indices: np.ndarray  # int32
    weights: np.ndarray  # float32

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)


def similarity_graph(
    *,
    vectors: np.ndarray,
    threshold: float,
    block_size: int = DEFAULT_BLOCK_SIZE,
    max_edges: int = DEFAULT_MAX_EDGES,
) -> Graph:
    """Edges between rows of unit-length `vectors` whose dot product is >= threshold (no self-loops)."""
    n = len(vectors)
    rows_parts: list[np.ndarray] = []
    cols_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    kept = 0
    for start in range(0, n, block_size):
        stop = min(start + block_size, n)
        sims = vectors[start:stop] @ vectors[start:].T
        width = n - start
        # Only pairs (i, j) with j > i: the diagonal square keeps its strict upper triangle.
        square = sims[:, : stop - start]
        square[np.tril_indices(stop - start)] = -np.inf
        flat = np.flatnonzero(sims >= threshold)
        kept += flat.size
        if kept > max_edges:
            raise GraphTooDense(
                f"more than {max_edges:,} keyword pairs have similarity >= {threshold}; "
                "raise the threshold or remove near-duplicate keywords"
            )
        rows_parts.append((flat // width + start).astype(np.int32))
        cols_parts.append((flat % width + start).astype(np.int32))
        weight_parts.append(sims.ravel()[flat])
        del sims, square
    rows = np.concatenate([*rows_parts, *cols_parts]) if n else np.zeros(0, np.int32)
    cols = np.concatenate([*cols_parts, *rows_parts]) if n else np.zeros(0, np.int32)
    weights = np.concatenate([*weight_parts, *weight_parts]) if n else np.zeros(0, np.float32)
    order = np.lexsort((cols, rows))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return Graph(indptr=indptr, indices=cols[order], weights=weights[order].astype(np.float32))
