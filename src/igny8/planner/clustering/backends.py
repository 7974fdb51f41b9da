"""Which inference path embeds keywords, and the name its vectors are stored under: PyTorch fp32
(embeddings.py), PyTorch bf16 (bf16_embeddings.py) or ONNX Runtime (onnx_embeddings.py). A module
of its own so that no path imports another's."""

import logging
import os
import re
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

import numpy as np

from igny8.planner.clustering import bf16_embeddings, embeddings, onnx_embeddings

log = logging.getLogger(__name__)

# Inference backends for the same model (docs/clustering.md, "Embeddings", has the measurements).
# "onnx" (ONNX Runtime fp32, exported locally from these weights) gives the PyTorch vectors to within
# 1e-7: ARI 1.000 on every labelled set; the default. "torch-bf16" multiplies in bfloat16 and clusters
# at ARI >= 0.99 against fp32 on every labelled set, 1.2-1.6x the texts/s of "onnx" side by side where
# the CPU has bf16 instructions, but even in separate 100,000-keyword runs, with PyTorch's memory and
# start-up in every process and vectors that depend on the CPU: an option, not the default (ADR 0013).
# "onnx-int8" is faster still but not adopted (its clusters differ). IGNY8_EMBEDDINGS picks one.
BACKENDS = ("torch", "torch-bf16", "onnx", "onnx-int8")
BF16_FLAGS = re.compile(r"\b(avx512_bf16|amx_bf16)\b")


@cache  # the CPU does not change while the process runs; every list page asks for the encoder
def native_bf16(*, cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether this CPU multiplies bf16 in hardware (AVX512-BF16 or AMX). Without it oneDNN emulates
    bf16 and that path would be slower than fp32 ONNX; where cpuinfo is unreadable (not Linux), no."""
    try:
        return bool(BF16_FLAGS.search(cpuinfo.read_text()))
    except OSError:
        return False


def default_backend() -> str:
    return "onnx"


def backend() -> str:
    chosen = os.environ.get("IGNY8_EMBEDDINGS", "").strip() or default_backend()
    if chosen not in BACKENDS:
        raise ValueError(f"IGNY8_EMBEDDINGS must be one of {', '.join(BACKENDS)}, not {chosen!r}.")
    if chosen == "torch-bf16" and not native_bf16():
        # oneDNN emulates bf16 without these instructions: slower than "onnx", for nothing.
        log.warning("IGNY8_EMBEDDINGS=torch-bf16 on a CPU without bf16 instructions is slower than onnx.")
    return chosen


def active_encoder() -> tuple[Callable[..., np.ndarray], str]:
    """The encoder clustering uses and the name its vectors are stored under (the cache key)."""
    chosen = backend()
    if chosen == "torch":
        return embeddings.encode, embeddings.MODEL_NAME
    if chosen == bf16_embeddings.BACKEND:
        return bf16_embeddings.encode, bf16_embeddings.model_name()
    quantized = chosen == "onnx-int8"
    return partial(onnx_embeddings.encode, quantized=quantized), onnx_embeddings.model_name(
        quantized=quantized
    )
