"""The thresholded similarity graph: every pair of keywords at or above the threshold, exactly,
without ever holding the n x n matrix.

Rows are processed in blocks, each in tiles of the upper triangle (rows i against columns j > i):
n^2/2 dot products, never more than one `block_size` x `column_block` tile of similarities in
memory per thread (32 MB at the defaults, whatever n is). Pairs are filtered as each tile is read
(`keep`), so only kept edges are ever stored: 12 bytes per pair while scanning, 16 bytes per pair
in the final CSR, which is assembled in ranges of rows, each range sorting its own entries.

With `groups` (a partition of the rows and, per pair of groups, whether their pairs are all
refused, all kept or to be asked of `keep`), rows are scanned in group order and a block's rows
are multiplied only with the columns of groups they may keep pairs with: the intent-aware
method's partition (partition.py, conflicting signatures) skips about two thirds of the products
at 100,000 keywords. The CSR does not depend on the order pairs are found in, so it is the one the
ungrouped scan builds.

Blocks run on as many threads as BLAS would use, each with a one-thread BLAS; results are joined in
block order and progress is heard on the calling thread.

The result is exact (not an approximate nearest-neighbour graph): an ANN index would miss pairs
and change the clusters, which must not depend on how the graph was built."""

import ctypes
import ctypes.util
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

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
# Each product of the grouped scan is at least this many rows by this many columns (zero rows pad a
# smaller operand): OpenBLAS multiplies very small matrices with other kernels, whose float32 sums
# can differ from the large kernels' in the last bit, and the weights must not depend on the tiling.
_MIN_SIDE = 64
# A pattern of the grouped scan with fewer rows or columns than this is multiplied together with the
# other thin ones: at 10,000 keywords (1,185 signatures) separate products, padded to 64, multiplied
# 97 % of the pairs in 1,521 products; merged, 46 % in about 220 (at 100,000: 33-34 % either way).
_MIN_PATTERN = 16
# Scans of fewer pairs run on the calling thread (threads and the BLAS switch cost a few ms).
_PARALLEL_PAIRS = 1 << 22
# Entries of the final CSR sorted per task (about 56 MB of temporaries each).
_CSR_RANGE = 1 << 21

# What is known of the pairs between two groups (Groups.pairs).
SKIP = 0  # every pair is refused: never compared
KEEP = 1  # every pair is kept (when similar enough): `keep` is not asked
CHECK = 2  # `keep` decides pair by pair

# keep(rows, cols) -> bool mask: which of these candidate pairs (rows[k] < cols[k]) become edges.
EdgeFilter = Callable[[np.ndarray, np.ndarray], np.ndarray]
# progress(done, total): rows of the upper triangle scanned so far, in units of pairs.
GraphProgress = Callable[[int, int], None]
# Pairs (rows, cols, weights): int32, int32, float32.
Edges = tuple[np.ndarray, np.ndarray, np.ndarray]


class GraphTooDense(ValueError):
    """More pairs pass the threshold than the edge budget allows: raise the threshold or dedupe."""


@dataclass(frozen=True, slots=True)
class Groups:
    """A partition of the rows, its groups numbered in the order they are scanned (a block of rows
    is multiplied with the later groups by which of its groups they may pair with: fewer and larger
    products when nearby groups pair with the same others), and per pair of groups what is known of
    their pairs: pairs[of[i], of[j]] for rows i < j."""

    of: np.ndarray  # int per row: its group, 0 .. len(pairs) - 1
    pairs: np.ndarray  # uint8, groups x groups: SKIP, KEEP or CHECK


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
    groups: Groups | None = None,
    progress: GraphProgress | None = None,
) -> Graph:
    """Edges between rows of unit-length `vectors` whose dot product is >= threshold (no self-loops),
    minus the pairs `keep` refuses and those `groups` says are refused."""
    n = len(vectors)
    total = n * (n - 1) // 2
    budget = _Budget(max_edges=max_edges, threshold=threshold)
    tiles = _Tiles(
        vectors=vectors,
        threshold=threshold,
        block_size=block_size,
        column_block=max(column_block, block_size),
        keep=keep,
        budget=budget,
        layout=None if groups is None else _Layout.of_groups(groups),
    )
    starts = range(0, n, block_size)
    parts: list[Edges] = []
    done = 0
    with _parallel(parallel=total >= _PARALLEL_PAIRS) as blocks:
        # Results come back in block order, and progress is heard on the calling thread.
        for start, part in zip(starts, blocks(tiles.block, starts), strict=True):
            parts.append(part)
            stop = min(start + block_size, n)
            done += (stop - start) * (2 * n - start - stop - 1) // 2
            if progress is not None:
                progress(done, total)
    rows, cols, weights = _joined(parts=parts)  # empties parts as it goes
    graph = _symmetric_csr(n=n, rows=rows, cols=cols, weights=weights)
    if total >= _PARALLEL_PAIRS:
        _return_freed_memory()
    return graph


@dataclass(frozen=True, slots=True)
class _Layout:
    """The grouped scan's order: rows by group (ascending within a group), and which groups a block
    of rows must be compared with."""

    order: np.ndarray  # int64, position -> row
    group_at: np.ndarray  # group per position (ascending)
    of: np.ndarray  # int64 group per row
    maybe: np.ndarray  # bool, groups x groups: some pair of theirs may be kept, in either order
    pairs: np.ndarray  # Groups.pairs, flattened

    @classmethod
    def of_groups(cls, groups: Groups) -> "_Layout":
        order = np.argsort(groups.of, kind="stable").astype(np.int64)
        maybe = groups.pairs != SKIP
        maybe |= maybe.T  # (i, j) is read as pairs[of[min], of[max]]: either side may come first
        of = groups.of.astype(np.int64)
        return cls(order=order, group_at=of[order], of=of, maybe=maybe, pairs=groups.pairs.ravel())


@dataclass(frozen=True, slots=True)
class _Tiles:
    """The pairs of one block of rows, from the tiles that cover it (callable from any thread)."""

    vectors: np.ndarray
    threshold: float
    block_size: int
    column_block: int
    keep: EdgeFilter | None
    budget: "_Budget"
    layout: _Layout | None

    def block(self, start: int) -> Edges:
        """The kept pairs of the block of rows (or positions) start.. (positional: a map's callable)."""
        if self.layout is None:
            return self._rows(start=start)
        return self._grouped(start=start, layout=self.layout)

    def _rows(self, *, start: int) -> Edges:
        """Rows start.. against every later column, in tiles of the upper triangle."""
        vectors, n = self.vectors, len(self.vectors)
        stop = min(start + self.block_size, n)
        block = vectors[start:stop]
        parts = []
        for left in range(start, n, self.column_block):
            right = min(left + self.column_block, n)
            sims = block @ vectors[left:right].T
            if left == start:
                # Only pairs (i, j) with j > i: the diagonal square keeps its strict upper triangle.
                square = min(stop, right) - start
                sims[:, :square][np.tril_indices(square)] = -np.inf
            # One flat scan of the mask (np.nonzero of a 2-D mask is about 5x slower), row-major.
            flat = np.flatnonzero(sims >= self.threshold)
            w = sims.ravel()[flat]
            r, c = np.divmod(flat, right - left)
            r = r.astype(np.int32) + start
            c = c.astype(np.int32) + left
            if self.keep is not None and r.size:
                ok = _kept(keep=self.keep, rows=r, cols=c)
                r, c, w = r[ok], c[ok], w[ok]
            self.budget.spend(r.size)
            parts.append((r, c, w))
        return _joined(parts=parts)

    def _grouped(self, *, start: int, layout: _Layout) -> Edges:
        """Positions start..stop of the group order against the later positions, by pattern: the
        later groups are sorted by which of the block's groups they may pair with, and each
        pattern's columns are multiplied with the rows of those groups only (gathered into even
        tiles of at most block_size x column_block); patterns of fewer than _MIN_PATTERN rows or
        columns share one product (their columns against all their rows). Unsorted pairs."""
        stop = min(start + self.block_size, len(self.vectors))
        here, later = layout.group_at[start:stop], layout.group_at[start:]
        row_groups, row_of = np.unique(here, return_inverse=True)
        # Pattern of each group: the block's groups it may pair with, as bytes; one id per pattern.
        patterns, pattern_of = np.unique(
            np.packbits(layout.maybe[row_groups].T, axis=1), axis=0, return_inverse=True
        )
        small = np.uint16 if len(patterns) <= np.iinfo(np.uint16).max else np.int64
        pattern_at = pattern_of.reshape(-1)[later].astype(small)  # 16 bits: argsort is a radix sort
        by_pattern = np.argsort(pattern_at, kind="stable")
        bounds = np.searchsorted(pattern_at[by_pattern], np.arange(len(patterns) + 1))
        parts = []
        rest_rows = np.zeros(stop - start, dtype=bool)
        rest_columns = []
        for pattern in range(len(patterns)):
            columns = start + by_pattern[bounds[pattern] : bounds[pattern + 1]]  # ascending
            rows = np.unpackbits(patterns[pattern], count=row_groups.size).view(bool)[row_of]
            taken = int(rows.sum())
            if taken == 0 or columns.size == 0:  # none of the block's groups; no later rows
                continue
            if min(taken, columns.size) < _MIN_PATTERN:  # one product for all the thin patterns
                rest_rows |= rows
                rest_columns.append(columns)
                continue
            parts.extend(self._tiles(rows=start + np.flatnonzero(rows), columns=columns, layout=layout))
        if rest_columns:
            rows, columns = start + np.flatnonzero(rest_rows), np.concatenate(rest_columns)
            parts.extend(self._tiles(rows=rows, columns=columns, layout=layout))
        return _joined(parts=parts)

    def _tiles(self, *, rows: np.ndarray, columns: np.ndarray, layout: _Layout) -> list[Edges]:
        """Positions `rows` against positions `columns`, in even tiles (no sliver of a tile)."""
        vectors = self.vectors
        width = max(self.block_size * self.column_block // max(rows.size, _MIN_SIDE), 1)
        count = -(-columns.size // width)
        bounds = columns.size * np.arange(count + 1) // count
        row_vectors = _padded(vectors=vectors, rows=layout.order[rows])
        groups = len(layout.maybe)
        parts = []
        for left, right in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            tile = columns[left:right]
            sims = row_vectors @ _padded(vectors=vectors, rows=layout.order[tile]).T
            if sims.shape != (rows.size, tile.size):
                sims = np.ascontiguousarray(sims[: rows.size, : tile.size])
            flat = np.flatnonzero(sims >= self.threshold)
            w = sims.ravel()[flat]
            r, c = np.divmod(flat, tile.size)
            r, c = rows[r], tile[c]
            upper = r < c  # each pair once, from its earlier position
            a, b, w = layout.order[r[upper]], layout.order[c[upper]], w[upper]
            i, j = np.minimum(a, b).astype(np.int32), np.maximum(a, b).astype(np.int32)
            known = layout.pairs[layout.of[i] * groups + layout.of[j]]
            ok = known == KEEP
            asked = np.flatnonzero(known == CHECK)
            if self.keep is None:
                ok[asked] = True
            elif asked.size:
                ok[asked] = _kept(keep=self.keep, rows=i[asked], cols=j[asked])
            self.budget.spend(int(ok.sum()))
            parts.append((i[ok], j[ok], w[ok]))
        return parts


class _Budget:
    """Kept pairs so far, from every thread: more than max_edges raises GraphTooDense (in whichever
    block passes it; kept pairs only grow, so whether it raises does not depend on the order)."""

    def __init__(self, *, max_edges: int, threshold: float) -> None:
        self.max_edges, self.threshold = max_edges, threshold
        self.kept = 0
        self._lock = threading.Lock()

    def spend(self, count: int) -> None:
        with self._lock:
            self.kept += count
            over = self.kept > self.max_edges
        if over:
            raise GraphTooDense(
                f"more than {self.max_edges:,} keyword pairs have similarity >= {self.threshold}; "
                "raise the threshold or remove near-duplicate keywords"
            )


@contextmanager
def _parallel(*, parallel: bool) -> Iterator[Callable]:
    """An ordered map: on as many threads as BLAS would use, each multiplying with one BLAS thread,
    so the comparisons, gathers, filters and sorts run on every core as the products do (with BLAS
    threaded and the rest on one core, a core idles or spins through most of them)."""
    workers = _workers() if parallel else 1
    if workers <= 1:
        yield map
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            yield pool.map
        finally:
            pool.shutdown(cancel_futures=True)  # after an error, the blocks not started never start


def _workers() -> int:
    from threadpoolctl import threadpool_info

    blas = [pool["num_threads"] for pool in threadpool_info() if pool.get("user_api") == "blas"]
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(max(blas, default=1), cpus)


def _return_freed_memory() -> None:
    """glibc keeps what the worker threads free in their own arenas, which the calling thread does
    not reuse: at 100,000 keywords about 0.14 GB stayed resident after the graph, and the clustering
    after it peaked that much higher (1.12 GB against 0.96 GB before the threads; 0.94 GB with this).
    malloc_trim hands the free pages back; without glibc there is nothing to call."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _joined(*, parts: list[Edges]) -> Edges:
    """The parts' pairs one after the other; `parts` is emptied as they are copied, so the pairs
    are not held twice."""
    if len(parts) == 1:
        return parts.pop()
    total = sum(part[0].size for part in parts)
    rows, cols = np.empty(total, np.int32), np.empty(total, np.int32)
    weights = np.empty(total, np.float32)
    filled = 0
    parts.reverse()
    while parts:
        r, c, w = parts.pop()
        rows[filled : filled + r.size], cols[filled : filled + r.size] = r, c
        weights[filled : filled + r.size] = w
        filled += r.size
    return rows, cols, weights


def _padded(*, vectors: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """vectors[rows], with zero rows after them up to _MIN_SIDE."""
    if rows.size >= _MIN_SIDE:
        return vectors[rows]
    out = np.zeros((_MIN_SIDE, vectors.shape[1]), dtype=vectors.dtype)
    out[: rows.size] = vectors[rows]
    return out


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
    """CSR of the pairs (rows[k] < cols[k], in any order) and their mirror, neighbours ascending.
    The rows are cut into ranges of about _CSR_RANGE entries; each range gathers its entries (the
    pairs from it and the mirrored pairs to it), sorts them by (row, neighbour) and writes its own
    slice, on the scan's threads."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n) + np.bincount(cols, minlength=n), out=indptr[1:])
    entries = int(indptr[-1])
    indices = np.empty(entries, dtype=np.int32)
    out_weights = np.empty(entries, dtype=np.float32)
    count = max(1, -(-entries // _CSR_RANGE))
    bounds = np.searchsorted(indptr, entries * np.arange(count + 1) // count)
    bounds[-1] = n

    def fill(low: int, high: int) -> None:
        up = np.flatnonzero((rows >= low) & (rows < high))
        down = np.flatnonzero((cols >= low) & (cols < high))
        source = np.concatenate([rows[up], cols[down]]).astype(np.int64)
        target = np.concatenate([cols[up], rows[down]])
        source -= low
        source *= n
        source += target
        order = _sort_order(keys=source, largest=(high - low) * n)
        indices[indptr[low] : indptr[high]] = target[order]
        out_weights[indptr[low] : indptr[high]] = np.concatenate([weights[up], weights[down]])[order]

    with _parallel(parallel=count > 1) as ranges:
        for _ in ranges(fill, bounds[:-1].tolist(), bounds[1:].tolist()):
            pass
    return Graph(indptr=indptr, indices=indices, weights=out_weights)


def _sort_order(*, keys: np.ndarray, largest: int) -> np.ndarray:
    """argsort of distinct non-negative int64 `keys` (below `largest`), overwriting them: when the
    key and its index fit in 63 bits, one plain sort of key << bits | index (about twice as fast as
    an argsort), else an argsort."""
    bits = max(1, (keys.size - 1).bit_length())
    if max(1, (largest - 1).bit_length()) + bits > 63:
        return np.argsort(keys)
    keys <<= bits
    keys |= np.arange(keys.size, dtype=np.int64)
    keys.sort()
    keys &= (1 << bits) - 1
    return keys


def at_least(*, graph: Graph, threshold: float) -> Graph:
    """The edges of `graph` whose similarity is >= threshold: the graph similarity_graph would build
    at that (higher) threshold from the same vectors and filter, without comparing pairs again."""
    # Same comparison as the scan (float32 similarities against the threshold as float32).
    keep = graph.weights >= np.float32(threshold)
    kept_before = np.r_[0, np.cumsum(keep, dtype=np.int64)]
    return Graph(indptr=kept_before[graph.indptr], indices=graph.indices[keep], weights=graph.weights[keep])
