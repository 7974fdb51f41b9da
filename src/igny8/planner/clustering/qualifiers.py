"""Which open-ended needs of one keyword list are the same need.

The rules (intent.py) read the need a keyword names after "for" ("project management software
for charities" -> use "charities") without a word list, so synonyms arrive as different values:
"charities", "nonprofits" and "non profits" are one page's audience, "consultants" and
"developers" are not. Whole-keyword vectors cannot tell them apart (the shared head term
dominates: "... for software teams" and "... for teams" are 0.97 similar), the needs' own vectors
can: synonyms 0.71-0.83, different audiences 0.2-0.65 (all-MiniLM-L6-v2).

So the distinct values of a list are embedded on their own and joined when their vectors are at
least SAME_NEED similar (and always when they are the same words but for a plural "s"); every
value of a group is replaced by the group's first value in sorted order. The result depends only
on the set of values, never on keyword order. Without an encoder only the plural rule joins."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Final

import numpy as np

from .intent import USE, Signature, classify

Encoder = Callable[[Sequence[str]], np.ndarray]

SAME_NEED: Final = 0.60


def classify_list(texts: Sequence[str], *, encoder: Encoder | None) -> list[Signature]:
    """The signatures of keywords judged together: each classified, then their needs unified.
    Whatever compares keywords of one list (clustering, re-clustering's match to existing
    clusters, cannibalisation) classifies them through here, so "for charities" and "for
    nonprofits" agree everywhere."""
    return unify_uses([classify(text) for text in texts], encoder=encoder)


def unify_uses(signatures: Sequence[Signature], *, encoder: Encoder | None) -> list[Signature]:
    """The signatures with every use value replaced by its group's name (see the module text)."""
    values = sorted({value for signature in signatures for value in signature.values(USE)})
    if len(values) < 2:
        return list(signatures)
    parent = list(range(len(values)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def join(a: int, b: int) -> None:
        first, second = sorted((root(a), root(b)))
        parent[second] = first

    by_singular: dict[str, int] = {}
    for index, value in enumerate(values):
        join(index, by_singular.setdefault(_singular(value), index))
    if encoder is not None:
        vectors = np.asarray(encoder(values), dtype=np.float32)
        # Rounded so that last-bit differences between backends cannot flip a pair.
        similar = np.round(vectors @ vectors.T, 6) >= SAME_NEED
        for a, b in zip(*np.nonzero(np.triu(similar, k=1)), strict=True):
            join(int(a), int(b))
    name = {value: values[root(index)] for index, value in enumerate(values)}
    return [_renamed(signature, name) for signature in signatures]


def _renamed(signature: Signature, name: dict[str, str]) -> Signature:
    if not signature.values(USE):
        return signature
    modifiers = tuple(
        (dimension, frozenset(name[v] for v in named) if dimension == USE else named)
        for dimension, named in signature.modifiers
    )
    return replace(signature, modifiers=modifiers)


def _singular(value: str) -> str:
    """Crude English singular of the last word: "charities" -> "charity", "teams" -> "team"."""
    head, _, last = value.rpartition(" ")
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3:
        last = last[:-1]
    return f"{head} {last}".strip()
