"""Row groups for the similarity graph from the keywords' signature codes, so that the pairs
constraints.Codes.conflicts refuses are never compared (graph.Groups).

Whether two keywords conflict depends on nothing but their two rows of codes, so keywords with
identical codes (one group per distinct signature) agree or conflict with the same others: the
group x group table is filled by `Codes.conflicts` itself, on one keyword of each group, and the
graph it gives is exactly the one the pairwise filter gives. At 100,000 keywords of the scale bench
(3,110 signatures) 31 % of the pairs agree, and the grouped scan multiplies 33 % of them."""

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


def signature_groups(codes: Codes) -> Groups:
    """One group per distinct signature (all of Codes' per-keyword arrays), numbered in signature
    order (intent cue first: rows of nearby groups conflict with the same others); beyond
    MAX_GROUPS, the rarest signatures share the last group."""
    if len(codes.intent) == 0:
        return Groups(of=np.zeros(0, np.int32), pairs=np.zeros((0, 0), np.uint8))
    keys = _per_keyword(codes)
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
    """Every per-keyword array of `codes` side by side, as uint64 columns: two keywords with the
    same row have the same codes (a field added to Codes joins by itself)."""
    count = len(codes.intent)
    columns = [
        value.reshape(count, value[:1].size).astype(np.uint64)
        for field in fields(codes)
        if isinstance(value := getattr(codes, field.name), np.ndarray) and value.shape[:1] == (count,)
    ]
    return np.concatenate(columns, axis=1)
