"""Keyword embeddings through a table: a text is embedded once per model, ever.

`vectors_for` reads the stored vectors of the texts it is given, embeds only the texts it has never
seen (in slices, reporting "n of N" as it goes), stores those, and returns one row per text in the
order given. The vector of a text depends only on the text and the model, so the table is shared by
every site; the model name is part of the key, so two backends (PyTorch, ONNX) never mix.

`prune` deletes what nothing needs any more: rows of models no longer configured, and texts that
no keyword, idea or article of any site embeds to (hourly from beat, and `igny8 embeddings prune`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.utils import timezone

from igny8.planner import clustering
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


# Rows younger than this are never pruned: a run embeds a new keyword's text moments after the
# keyword is saved, and an import may still be adding the keywords whose texts were just stored.
PRUNE_MIN_AGE = timedelta(hours=1)
# Rows deleted per statement (an IN list of ids).
DELETE_CHUNK = 900


@dataclass(frozen=True)
class Pruned:
    other_models: int  # rows of models no longer configured
    unreferenced: int  # rows of the configured model whose text nothing embeds to any more
    kept: int  # rows left

    @property
    def deleted(self) -> int:
        return self.other_models + self.unreferenced


def _first(keywords, title: str) -> str:
    # As cannibalisation.target: the first non-blank keyword, else the title.
    return next((k for k in keywords if k and k.strip()), None) or title or ""


def _texts_in_use() -> Iterator[str]:
    """Every normalised text the app embeds today (before topic_text): keywords (clustering, the
    cluster map) and the primary keywords of ideas and articles (their titles without one), which
    cannibalisation looks up."""
    from igny8.core.text import normalize_keyword
    from igny8.planner.models import ContentIdea, Keyword
    from igny8.writer.models import Content

    yield from Keyword.objects.values_list("normalized", flat=True).iterator(chunk_size=5_000)
    ideas = ContentIdea.objects.values_list("primary_keyword", "secondary_keywords", "title")
    for primary, secondary, title in ideas.iterator(chunk_size=2_000):
        yield normalize_keyword(_first([primary, *(secondary or [])], title))
    for keywords, title in Content.objects.values_list("task__keywords", "title").iterator(chunk_size=2_000):
        yield normalize_keyword(_first(keywords or [], title))


def referenced_texts() -> set[str]:
    """The stored form (`clustering.embedding_texts`) of every text in use."""
    found: set[str] = set()
    batch: list[str] = []
    for text in _texts_in_use():
        if text:
            batch.append(text)
        if len(batch) >= 10_000:
            found.update(clustering.embedding_texts(batch))
            batch = []
    found.update(clustering.embedding_texts(batch))
    return found


def prune(
    *, model_names: Sequence[str] | None = None, now: datetime | None = None, dry_run: bool = False
) -> Pruned:
    """Delete the rows nothing needs: those of models not in `model_names` (default: the configured
    backend's) and those whose text no keyword, idea or article of any site embeds to. Rows younger
    than PRUNE_MIN_AGE stay (work in flight). Safe to run twice; `dry_run` only counts."""
    if model_names is None:
        model_names = [backends.active_encoder()[1]]
    cutoff = (now or timezone.now()) - PRUNE_MIN_AGE
    in_use = referenced_texts()
    old = KeywordEmbedding.objects.filter(created_at__lt=cutoff)
    other_models = old.exclude(model_name__in=list(model_names))
    other_count = other_models.count()
    stale: list[int] = [
        pk
        for pk, text in old.filter(model_name__in=list(model_names))
        .values_list("pk", "normalized")
        .iterator(chunk_size=5_000)
        if text not in in_use
    ]
    if not dry_run:
        other_models.delete()
        for start in range(0, len(stale), DELETE_CHUNK):
            KeywordEmbedding.objects.filter(pk__in=stale[start : start + DELETE_CHUNK]).delete()
    kept = KeywordEmbedding.objects.count() - (other_count + len(stale) if dry_run else 0)
    return Pruned(other_models=other_count, unreferenced=len(stale), kept=kept)
