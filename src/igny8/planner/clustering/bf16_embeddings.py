"""all-MiniLM-L6-v2 through PyTorch with bfloat16 matrix products: the same weights as embeddings.py,
1.2-1.6x the texts per second of fp32 ONNX Runtime on a CPU with AVX512-BF16 (or AMX).

torch.autocast runs the linear layers and attention products in bf16 (oneDNN's AVX512-BF16 kernels,
twice the multiply-adds per cycle of fp32) and keeps LayerNorm, softmax and the pooling in fp32.
Vectors differ from fp32 by at most ~2e-3 per component (cosine to fp32 >= 0.9999), against ~0.04
for int8; bench/embedding_variants.py checks that its clusters match PyTorch fp32's (ARI >= 0.99
on every labelled set), the condition for being a default (docs/clustering.md has the figures).

The model is called directly on tokens.same_length_batches rather than through
SentenceTransformer.encode (padded batches): a vector then does not depend on the texts embedded
with it, and the kernels PyTorch compiles per batch shape stay few (see that function)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from igny8.planner.clustering import embeddings, tokens

BACKEND = "torch-bf16"


def model_name() -> str:
    """The name its vectors are stored under: never mixed with the fp32 paths'."""
    return f"{embeddings.MODEL_NAME}/{BACKEND}"


def encode(*, texts: Sequence[str], batch_size: int = tokens.BATCH_SIZE) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (as embeddings.encode); a text's vector does not
    depend on the other texts (tokens.same_length_batches)."""
    if not texts:
        return np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
    bert = embeddings.load_model()[0].auto_model.eval()
    import torch

    out = np.empty((len(texts), embeddings.DIMENSIONS), dtype=np.float32)
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
        for batch in tokens.same_length_batches(texts=texts, batch_size=batch_size):
            hidden = bert(
                input_ids=torch.from_numpy(batch.input_ids),
                attention_mask=torch.from_numpy(batch.attention_mask),
                token_type_ids=torch.from_numpy(batch.token_type_ids),
            ).last_hidden_state
            out[batch.rows] = tokens.pooled(hidden=hidden.float().numpy(), mask=batch.attention_mask)
    return out
