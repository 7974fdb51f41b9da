"""The thresholded similarity graph: every pair of keywords at or above the threshold, exactly,
without ever holding the n x n matrix.

Rows are processed in tiles of the upper triangle (rows i against columns j > i): n^2/2 dot
products, never more than one `block_size` x `column_block` tile of similarities in memory (32 MB
at the defaults, whatever n is). Pairs are filtered as each tile is read (`keep`: the intent-aware
method drops conflicting pairs there), so only kept edges are ever stored: 12 bytes per pair while
scanning, 16 bytes per pair in the final CSR. The CSR is assembled from the upper-triangle edges,
which the scan yields already sorted by (row, column), with one stable sort by column for the
mirrored half instead of sorting all 2E entries.

The result is exact (not an approximate nearest-neighbour graph): an ANN index would miss pairs
and change the clusters, which must not depend on how the graph was built."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

DEFAULT_BLOCK_SIZE = 1024
# Columns per tile: 1,024 x 8,192 float32 similarities = 32 MB, with its boolean mask 8 MB more.
DEFAULT_COLUMN_BLOCK = 8192
# At most 16 bytes per kept pair in the final graph (plus about 12 while it is built); 40M pairs is
# about 1.1 GB. Real keyword lists sit far below (the 100k bench keeps about 2M); a flood of
# near-duplicates does not.
DEFAULT_MAX_EDGES = 40_000_000
# Candidate pairs handed to the filter per call (a dense tile can hold millions).
_FILTER_CHUNK = 262_144

# keep(rows, cols) -> bool mask: which of these candidate pairs (rows[k] < cols[k]) become edges.
EdgeFilter = Callable[[np.ndarray, np.ndarray], np.ndarray]
# progress(done, total): rows of the upper triangle scanned so far, in units of pairs.
GraphProgress = Callable[[int, int], None]


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
    column_block: int = DEFAULT_COLUMN_BLOCK,
    max_edges: int = DEFAULT_MAX_EDGES,
    keep: EdgeFilter | None = None,
    progress: GraphProgress | None = None,
) -> Graph:
    """Edges between rows of unit-length `vectors` whose dot product is >= threshold (no self-loops),
    minus the pairs `keep` refuses."""
    n = len(vectors)
    rows, cols, weights = _upper_edges(
        vectors=vectors,
        threshold=threshold,
        block_size=block_size,
        column_block=max(column_block, block_size),
        max_edges=max_edges,
        keep=keep,
        progress=progress,
    )
    return _symmetric_csr(n=n, rows=rows, cols=cols, weights=weights)


def _upper_edges(
    *,
    vectors: np.ndarray,
    threshold: float,
    block_size: int,
    column_block: int,
    max_edges: int,
    keep: EdgeFilter | None,
    progress: GraphProgress | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) at or above the threshold, sorted by (i, j)."""
    n = len(vectors)
    total = n * (n - 1) // 2
    rows_parts: list[np.ndarray] = []
    cols_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    kept = done = 0
    for start in range(0, n, block_size):
        stop = min(start + block_size, n)
        block = vectors[start:stop]
        # Tiles of one row block are concatenated per row afterwards, so edges stay (row, col)-sorted.
        tile_rows: list[np.ndarray] = []
        tile_cols: list[np.ndarray] = []
        tile_weights: list[np.ndarray] = []
        for left in range(start, n, column_block):
            right = min(left + column_block, n)
            sims = block @ vectors[left:right].T
            if left == start:
                # Only pairs (i, j) with j > i: the diagonal square keeps its strict upper triangle.
                square = min(stop, right) - start
                sims[:, :square][np.tril_indices(square)] = -np.inf
            r, c = np.nonzero(sims >= threshold)
            w = sims[r, c]
            r = r.astype(np.int32) + start
            c = c.astype(np.int32) + left
            if keep is not None and r.size:
                ok = _kept(keep=keep, rows=r, cols=c)
                r, c, w = r[ok], c[ok], w[ok]
            kept += r.size
            if kept > max_edges:
                raise GraphTooDense(
                    f"more than {max_edges:,} keyword pairs have similarity >= {threshold}; "
                    "raise the threshold or remove near-duplicate keywords"
                )
            tile_rows.append(r)
            tile_cols.append(c)
            tile_weights.append(w)
            del sims
        if len(tile_rows) > 1:
            r, c, w = np.concatenate(tile_rows), np.concatenate(tile_cols), np.concatenate(tile_weights)
            order = np.argsort(r, kind="stable")  # by row; within a row the tiles are in column order
            rows_parts.append(r[order])
            cols_parts.append(c[order])
            weight_parts.append(w[order])
        elif tile_rows:
            rows_parts.append(tile_rows[0])
            cols_parts.append(tile_cols[0])
            weight_parts.append(tile_weights[0])
        done += (stop - start) * (2 * n - start - stop - 1) // 2
        if progress is not None:
            progress(done, total)
    if not rows_parts:
        empty = np.zeros(0, np.int32)
        return empty, empty, np.zeros(0, np.float32)
    return (
        np.concatenate(rows_parts),
        np.concatenate(cols_parts),
        np.concatenate(weight_parts).astype(np.float32, copy=False),
    )


def _kept(*, keep: EdgeFilter, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """keep() over at most _FILTER_CHUNK pairs at a time: a filter may build a few arrays per pair
    (the intent filter: one row of modifier masks per keyword of each pair)."""
    if rows.size <= _FILTER_CHUNK:
        return keep(rows, cols)
    return np.concatenate(
        [
            keep(rows[i : i + _FILTER_CHUNK], cols[i : i + _FILTER_CHUNK])
            for i in range(0, rows.size, _FILTER_CHUNK)
        ]
    )


def _symmetric_csr(*, n: int, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray) -> Graph:
    """CSR of the upper edges and their mirror. Row r's neighbours are its lower ones (i < r, the
    mirrored edges (i, r) in order of i) followed by its upper ones (j > r, in order of j)."""
    lower_degree = np.bincount(cols, minlength=n)
    upper_degree = np.bincount(rows, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lower_degree + upper_degree, out=indptr[1:])
    edges = rows.size
    indices = np.empty(2 * edges, dtype=np.int32)
    out_weights = np.empty(2 * edges, dtype=np.float32)
    # Upper edges of row r go after its lower ones: slot = indptr[r] + lower_degree[r] + rank in row.
    upper_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(upper_degree, out=upper_start[1:])
    slot = np.arange(edges, dtype=np.int64)
    slot += np.repeat(indptr[:-1] + lower_degree - upper_start[:-1], upper_degree)
    indices[slot] = cols
    out_weights[slot] = weights
    # Mirrored edges: sorted by column (stable, so rows stay ascending within a column).
    order = np.argsort(cols, kind="stable")
    lower_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lower_degree, out=lower_start[1:])
    slot = np.arange(edges, dtype=np.int64)
    slot += np.repeat(indptr[:-1] - lower_start[:-1], lower_degree)
    indices[slot] = rows[order]
    out_weights[slot] = weights[order]
    return Graph(indptr=indptr, indices=indices, weights=out_weights)


def at_least(*, graph: Graph, threshold: float) -> Graph:
    """The edges of `graph` whose similarity is >= threshold: the graph similarity_graph would build
    at that (higher) threshold from the same vectors and filter, without comparing pairs again."""
    # Same comparison as the scan (float32 similarities against the threshold as float32).
    keep = graph.weights >= np.float32(threshold)
    kept_before = np.r_[0, np.cumsum(keep, dtype=np.int64)]
    return Graph(indptr=kept_before[graph.indptr], indices=graph.indices[keep], weights=graph.weights[keep])
