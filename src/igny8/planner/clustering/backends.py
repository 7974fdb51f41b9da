"""Which inference path embeds keywords, and the name its vectors are stored under: PyTorch
(embeddings.py) or ONNX Runtime (onnx_embeddings.py). A module of its own so that neither path
imports the other."""

import os
from collections.abc import Callable
from functools import partial

import numpy as np

from igny8.planner.clustering import embeddings, onnx_embeddings

# Inference backends for the same model. "onnx" (ONNX Runtime, fp32, exported locally from these
# weights) gives the PyTorch vectors to within 1e-7 and the same clusters (ARI 1.000 on every
# labelled set: docs/clustering.md), 2-3x faster; "onnx-int8" is faster still but not adopted (its
# clusters differ). IGNY8_EMBEDDINGS picks one per process.
BACKENDS = ("torch", "onnx", "onnx-int8")
DEFAULT_BACKEND = "onnx"


def backend() -> str:
    chosen = os.environ.get("IGNY8_EMBEDDINGS", "").strip() or DEFAULT_BACKEND
    if chosen not in BACKENDS:
        raise ValueError(f"IGNY8_EMBEDDINGS must be one of {', '.join(BACKENDS)}, not {chosen!r}.")
    return chosen


def active_encoder() -> tuple[Callable[..., np.ndarray], str]:
    """The encoder clustering uses and the name its vectors are stored under (the cache key)."""
    chosen = backend()
    if chosen == "torch":
        return embeddings.encode, embeddings.MODEL_NAME
    quantized = chosen == "onnx-int8"
    return partial(onnx_embeddings.encode, quantized=quantized), onnx_embeddings.model_name(
        quantized=quantized
    )
