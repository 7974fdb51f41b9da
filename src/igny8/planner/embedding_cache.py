"""Keyword embeddings through a table: a text is embedded once per model, ever.

`vectors_for` reads the stored vectors of the texts it is given, embeds only the texts it has never
seen (in slices, reporting "n of N" as it goes), stores those, and returns one row per text in the
order given. The vector of a text depends only on the text and the model, so the table is shared by
every site; the model name is part of the key, so two backends (PyTorch, ONNX) never mix."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from igny8.planner.clustering import backends, embeddings
from igny8.planner.models import KeywordEmbedding

# Texts embedded per slice: progress moves every few seconds on 2 cores, and a slice's vectors are
# saved before the next starts, so an interrupted run keeps what it paid for.
EMBED_SLICE = 2_048
# Rows read per query (an IN list of texts; SQLite allows 32,766 bound variables).
READ_CHUNK = 900

Progress = Callable[[int, int], None]
Encoder = Callable[..., np.ndarray]


def _as_bytes(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


def stored_vectors(*, texts: Sequence[str], model_name: str) -> dict[str, np.ndarray]:
    """The stored vectors of these texts (those that have one)."""
    found: dict[str, np.ndarray] = {}
    distinct = sorted(set(texts))
    for start in range(0, len(distinct), READ_CHUNK):
        part = distinct[start : start + READ_CHUNK]
        rows = KeywordEmbedding.objects.filter(model_name=model_name, normalized__in=part).values_list(
            "normalized", "vector"
        )
        for text, blob in rows:
            found[text] = np.frombuffer(bytes(blob), dtype=np.float32)
    return found


def vectors_for(
    *,
    texts: Sequence[str],
    encoder: Encoder | None = None,
    model_name: str | None = None,
    progress: Progress | None = None,
) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (texts are normalised keywords). Only texts
    without a stored vector reach the encoder (default: the configured backend's `encode`)."""
    if encoder is None:
        encoder, model_name = backends.active_encoder()
    model_name = model_name or embeddings.MODEL_NAME
    if not texts:
        return np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
    known = stored_vectors(texts=texts, model_name=model_name)
    missing = sorted(set(texts) - set(known))
    total = len(missing)
    if progress is not None:
        progress(0, total)
    for start in range(0, total, EMBED_SLICE):
        part = missing[start : start + EMBED_SLICE]
        vectors = encoder(texts=part)
        KeywordEmbedding.objects.bulk_create(
            [
                KeywordEmbedding(model_name=model_name, normalized=text, vector=_as_bytes(vector))
                for text, vector in zip(part, vectors, strict=True)
            ],
            batch_size=500,
            ignore_conflicts=True,  # another run stored the same text meanwhile: same vector
        )
        known.update(zip(part, np.asarray(vectors, dtype=np.float32), strict=True))
        if progress is not None:
            progress(start + len(part), total)
    return np.stack([known[text] for text in texts]).astype(np.float32, copy=False)
