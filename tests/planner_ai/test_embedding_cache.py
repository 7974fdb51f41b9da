"""Stored embeddings: a text is embedded once per model; a re-clustering run embeds only new keywords."""

import numpy as np
import pytest

from igny8.ai.base import RunContext
from igny8.ai.models import AIRun
from igny8.planner import clustering, embedding_cache
from igny8.planner.ai import auto_cluster as cluster_function
from igny8.planner.clustering import backends, embeddings
from igny8.planner.models import KeywordEmbedding
from tests.planner_ai.conftest import add_keywords

pytestmark = pytest.mark.django_db


class CountingEncoder:
    """Deterministic fake vectors (a hash of the text), recording every text it is asked for."""

    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, *, texts):
        self.seen.extend(texts)
        rows = []
        for text in texts:
            rng = np.random.default_rng(sum(map(ord, text)) * 7919 + len(text))
            vector = rng.standard_normal(embeddings.DIMENSIONS).astype(np.float32)
            rows.append(vector / np.linalg.norm(vector))
        return np.stack(rows)


def test_second_call_embeds_only_new_texts_and_returns_the_same_vectors(monkeypatch):
    encoder = CountingEncoder()
    steps = []
    monkeypatch.setattr(embedding_cache, "EMBED_SLICE", 2)

    first = embedding_cache.vectors_for(
        texts=["b", "a", "c", "a"],
        encoder=encoder,
        model_name="m1",
        progress=lambda n, t: steps.append((n, t)),
    )
    assert encoder.seen == ["a", "b", "c"]  # distinct, sorted, in slices of 2
    assert steps == [(0, 3), (2, 3), (3, 3)]
    assert first.shape == (4, embeddings.DIMENSIONS) and first.dtype == np.float32
    assert np.array_equal(first[1], first[3])

    encoder.seen.clear()
    steps.clear()
    second = embedding_cache.vectors_for(
        texts=["c", "d", "b"], encoder=encoder, model_name="m1", progress=lambda n, t: steps.append((n, t))
    )
    assert encoder.seen == ["d"]
    assert steps == [(0, 1), (1, 1)]
    assert np.array_equal(second[0], first[2]) and np.array_equal(second[2], first[0])

    # Another model name is another key: nothing is shared between backends.
    encoder.seen.clear()
    embedding_cache.vectors_for(texts=["a"], encoder=encoder, model_name="m2")
    assert encoder.seen == ["a"]
    assert KeywordEmbedding.objects.filter(model_name="m1").count() == 4
    assert KeywordEmbedding.objects.filter(model_name="m2").count() == 1


def test_nothing_to_embed_reports_zero_of_zero():
    encoder = CountingEncoder()
    embedding_cache.vectors_for(texts=["a"], encoder=encoder, model_name="m")
    steps = []
    embedding_cache.vectors_for(
        texts=["a"], encoder=encoder, model_name="m", progress=lambda n, t: steps.append((n, t))
    )
    assert (encoder.seen, steps) == (["a"], [(0, 0)])


COFFEE = [
    ("espresso machine", 5000, 40),
    ("espresso machines", 800, 38),
    ("best espresso machine", 3000, 45),
    ("coffee grinder", 4000, 25),
    ("best coffee grinder", 2500, 35),
    ("burr grinder", 1200, 20),
]


@pytest.mark.usefixtures("embedding_model")
def test_reclustering_embeds_only_keywords_it_has_not_seen(alice, run_now, monkeypatch):
    real, name = backends.active_encoder()
    asked: list[list[str]] = []

    def counting(*, texts, **kwargs):
        asked.append(list(texts))
        return real(texts=texts, **kwargs)

    monkeypatch.setattr(backends, "active_encoder", lambda: (counting, name))
    url = "/api/v1/planner/keywords/auto_cluster/"
    body = {"site_id": alice.site.pk, "method": "semantic", "threshold": 0.8}
    add_keywords(alice, COFFEE)

    _, run = run_now(alice.client(), url, body)
    assert run.status == "success", run.error
    # What is embedded is each keyword's topic text (ranking words such as "best" dropped), once.
    first = set(clustering.embedding_texts([text for text, *_ in COFFEE]))
    assert asked == [sorted(first)]

    asked.clear()
    fresh = [
        ("cold brew recipe", 2000, 10),
        ("how to make cold brew", 1800, 12),
        ("cold brew coffee recipe", 700, 8),
        ("pour over coffee", 1000, 22),
        ("v60 pour over", 400, 18),
    ]
    add_keywords(alice, fresh)
    _, run = run_now(alice.client(), url, body)
    assert run.status == "success", run.error
    # The first run's keywords (its outliers, the existing clusters' samples) come from the table.
    new = set(clustering.embedding_texts([text for text, *_ in fresh])) - first
    assert asked == [sorted(new)]
    assert KeywordEmbedding.objects.filter(model_name=name).count() == len(first | new) == 9


def test_the_run_shows_embedding_progress(alice):
    run = AIRun.objects.create(account=alice.account, task_id="t-embed", function_name="auto_cluster")
    report = cluster_function._embedding_progress(
        RunContext(account=alice.account, payload={}, run_id="t-embed")
    )
    report(2_048, 10_000)
    run.refresh_from_db()
    assert run.message == "Embedding 2,048 of 10,000 keywords (those not stored yet)..."
