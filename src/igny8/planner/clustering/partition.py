"""Row groups for the similarity graph from the keywords' signature codes, so that the pairs
constraints.Codes.conflicts refuses are never compared (graph.Groups).

Whether two keywords conflict depends on nothing but their two rows of codes, so keywords with
identical codes (one group per distinct signature) agree or conflict with the same others: the
group x group table is filled by `Codes.conflicts` itself, on one keyword of each group, and the
graph it gives is exactly the one the pairwise filter gives. At 100,000 keywords of the scale bench
(3,110 signatures) 31 % of the pairs agree; the graph compares about 37 % of them (a block of rows
is compared with the columns any of its rows agrees with)."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from .constraints import Codes
from .graph import CHECK, KEEP, SKIP, Groups

# Distinct signatures with a group of their own; the rest share one group whose pairs the filter
# decides (CHECK). Bounds the table (MAX_GROUPS^2 bytes) and the time to fill it.
MAX_GROUPS = 4096
# Group x group pairs compared per call of Codes.conflicts (its temporaries: pairs x dimensions).
_TABLE_CHUNK = 1 << 18
# Groups are numbered (and scanned) in the order of these codes first: the intent cue and then the
# facets split the keywords into the sets that agree with the fewest others; with the modifier masks
# before the facets, blocks of rows mixed more and 40 % of the pairs were compared instead of 37 %.
_LEADING = ("intent", "facets")


def signature_groups(codes: Codes) -> Groups:
    """One group per distinct signature (all of Codes' per-keyword arrays), in order of _LEADING
    then the other arrays; beyond MAX_GROUPS, the rarest signatures share the last group."""
    keys = _per_keyword(codes)
    count = len(keys)
    if count == 0:
        return Groups(of=np.zeros(0, np.int32), pairs=np.zeros((0, 0), np.uint8))
    _, first, of, sizes = np.unique(keys, axis=0, return_index=True, return_inverse=True, return_counts=True)
    of = of.reshape(-1)
    if len(first) > MAX_GROUPS:
        # The biggest signatures keep their own group (in signature order); the others share one.
        biggest = np.sort(np.argsort(-sizes, kind="stable")[: MAX_GROUPS - 1])
        renumber = np.full(len(first), MAX_GROUPS - 1, dtype=np.int64)
        renumber[biggest] = np.arange(biggest.size)
        of, first = renumber[of], first[biggest]
    pairs = np.empty((len(first), len(first)), dtype=np.uint8)
    step = max(1, _TABLE_CHUNK // len(first))
    for start in range(0, len(first), step):
        left = first[start : start + step, None]
        pairs[start : start + step] = np.where(codes.conflicts(left, first[None, :]), SKIP, KEEP)
    if len(pairs) < np.max(of, initial=-1) + 1:  # the shared group: the filter decides its pairs
        pairs = np.pad(pairs, ((0, 1), (0, 1)), constant_values=CHECK)
    return Groups(of=of.astype(np.int32), pairs=pairs)


def _per_keyword(codes: Codes) -> np.ndarray:
    """Every per-keyword array of `codes` side by side, as uint64 columns, _LEADING first: two
    keywords with the same row have the same codes (a field added to Codes joins by itself)."""
    count = len(codes.intent)
    arrays = {
        field.name: value
        for field in fields(codes)
        if isinstance(value := getattr(codes, field.name), np.ndarray) and value.shape[:1] == (count,)
    }
    names = [name for name in _LEADING if name in arrays] + [n for n in arrays if n not in _LEADING]
    columns = [arrays[name].reshape(count, -1).astype(np.uint64) for name in names]
    return np.concatenate(columns, axis=1) if columns else np.zeros((count, 1), np.uint64)
