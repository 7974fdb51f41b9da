"""Inference variants of all-MiniLM-L6-v2 side by side, in one process so they share the machine's
load: texts/s and texts per CPU-second on the scale bench's topic texts, the ratio to fp32 ONNX
Runtime (the default before bf16), the lowest cosine to PyTorch fp32's vectors, and the ARI of each
variant's clusters against PyTorch fp32's on every labelled set (bench/data/*.csv with keyword,group
columns). A variant may be the default only with ARI >= 0.99 on every set.

Speed is measured in rounds: each round gives every variant the same 1,000 texts in turn, so a
change of load during the run falls on all of them alike. The load average is printed before and
after; on a shared 2-core machine the per-CPU-second figure is the steadier one.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/embedding_variants.py [texts] [--only a,b,...]

Variants that are not backends (int8 of some MatMuls only, the fused graph, two one-thread
sessions) are built here, into IGNY8_MODEL_DIR (default ~/.igny8-bench-models), and kept.
"""

import csv
import hashlib
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from cluster_scale import keyword_set, labelled_sets

from igny8.planner.clustering import (
    bf16_embeddings,
    cluster_embeddings,
    embedding_texts,
    embeddings,
    onnx_embeddings,
)

ROUND = 2_048  # what embedding_cache.vectors_for embeds at a time
BAR = 0.99
Encoder = Callable[[list[str]], np.ndarray]


def onnx_file(name: str, build: Callable[[Path, Path], None]) -> Path:
    """A derived ONNX file beside the fp32 export, built once."""
    fp32 = onnx_embeddings.export()
    target = fp32.with_name(name)
    if not target.exists():
        build(fp32, target)
    return target


def int8_of(nodes: Callable[[str], bool]) -> Callable[[Path, Path], None]:
    """Dynamic int8 with per-channel weights of the weight MatMuls `nodes` picks; the rest fp32."""

    def build(fp32: Path, target: Path) -> None:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        picked = [n.name for n in onnx.load(str(fp32)).graph.node if n.op_type == "MatMul" and nodes(n.name)]
        quantize_dynamic(
            str(fp32),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            nodes_to_quantize=picked,
            extra_options={"MatMulConstBOnly": True},
        )

    return build


def fused(fp32: Path, target: Path) -> None:
    """onnxruntime.transformers' BERT fusions (SkipLayerNormalization, BiasGelu) ahead of time."""
    from onnxruntime.transformers import optimizer

    optimizer.optimize_model(str(fp32), model_type="bert", num_heads=12, hidden_size=384).save_model_to_file(
        str(target)
    )


def one_thread_session(path: Path):
    """As onnx_embeddings._session (no spinning, all graph optimisations), with one intra-op thread."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def onnx_encoder(path: Path, session=None) -> Encoder:
    session = session or onnx_embeddings._session(str(path))
    return lambda texts: onnx_embeddings.encode_with(session=session, texts=texts)


def two_sessions(path: Path) -> Encoder:
    """Two one-thread sessions on the two halves at once (ONNX Runtime releases the GIL while it runs)."""
    halves = [onnx_encoder(path, one_thread_session(path)) for _ in range(2)]
    pool = ThreadPoolExecutor(2)

    def encode(texts: list[str]) -> np.ndarray:
        cut = len(texts) // 2
        return np.concatenate(
            list(pool.map(lambda half, part: half(part), halves, [texts[:cut], texts[cut:]]))
        )

    return encode


def bf16_sentence_transformers(texts: list[str]) -> np.ndarray:
    """bf16 autocast around the library's own encode (length-sorted padded batches of 128)."""
    import torch

    with torch.autocast("cpu", dtype=torch.bfloat16):
        return embeddings.encode(texts=texts)


def ffn_up(name: str) -> bool:
    return "intermediate/dense" in name


def not_last_layer(name: str) -> bool:
    return "layer.5/" not in name and "/self/MatMul" not in name


VARIANTS: dict[str, Callable[[], Encoder]] = {
    "torch fp32 (SentenceTransformer)": lambda: lambda texts: embeddings.encode(texts=texts),
    "onnx fp32 (backend onnx)": lambda: lambda texts: onnx_embeddings.encode(texts=texts),
    "torch-bf16 (backend: same-length batches of 128)": lambda: (
        lambda texts: bf16_embeddings.encode(texts=texts)
    ),
    "torch-bf16, same-length batches of 64": lambda: (
        lambda texts: bf16_embeddings.encode(texts=texts, batch_size=64)
    ),
    "torch-bf16, same-length batches of 256": lambda: (
        lambda texts: bf16_embeddings.encode(texts=texts, batch_size=256)
    ),
    "torch-bf16 through SentenceTransformer.encode": lambda: bf16_sentence_transformers,
    "onnx fp32, BERT fusions": lambda: onnx_encoder(onnx_file("model_fused.onnx", fused)),
    "onnx fp32, 2 sessions x 1 thread": lambda: two_sessions(onnx_embeddings.export()),
    "onnx-int8 (all MatMuls, per-tensor)": lambda: (
        lambda texts: onnx_embeddings.encode(texts=texts, quantized=True)
    ),
    "int8 FFN up-projections only": lambda: onnx_encoder(
        onnx_file("model_int8_ffn_up.onnx", int8_of(ffn_up))
    ),
    "int8 weights, layers 0-4 only": lambda: onnx_encoder(
        onnx_file("model_int8_first5.onnx", int8_of(not_last_layer))
    ),
}


def labelled() -> list[tuple[str, list[str]]]:
    sets = []
    for path in labelled_sets():
        with path.open(newline="", encoding="utf-8") as handle:
            texts = sorted({" ".join(row["keyword"].casefold().split()) for row in csv.DictReader(handle)})
        sets.append((path.stem, texts))
    return sets


def clusters(texts: list[str], vectors: np.ndarray) -> list[int]:
    labels = cluster_embeddings(keywords=texts, vectors=vectors).labels(size=len(texts))
    return [label if label >= 0 else -(i + 2) for i, label in enumerate(labels)]  # outliers: singletons


REFERENCE = "torch fp32 (SentenceTransformer)"
BASE = "onnx fp32 (backend onnx)"


def main() -> None:
    from sklearn.metrics import adjusted_rand_score

    args = sys.argv[1:]
    size = next((int(a) for a in args if a.isdigit()), 4_000)
    only = args[args.index("--only") + 1].split(",") if "--only" in args else list(VARIANTS)
    # The reference (ARI) and the base (speed ratio) always run.
    names = [n for n in VARIANTS if n in (REFERENCE, BASE) or any(o in n for o in only)]
    os.environ.setdefault("IGNY8_MODEL_DIR", str(Path.home() / ".igny8-bench-models"))
    texts = sorted(set(embedding_texts(keyword_set(100_000))))
    sample = sorted(texts, key=lambda t: hashlib.sha256(t.encode()).digest())[:size]
    encoders = {}
    for name in names:
        start = time.perf_counter()
        encoders[name] = VARIANTS[name]()
        encoders[name](["warm up"])
        print(f"loaded {name} in {time.perf_counter() - start:.1f} s", flush=True)

    wall = dict.fromkeys(names, 0.0)
    cpu = dict.fromkeys(names, 0.0)
    load_before = os.getloadavg()[0]
    for start in range(0, len(sample), ROUND):
        chunk = sample[start : start + ROUND]
        for name in names:
            w, c = time.perf_counter(), time.process_time()
            encoders[name](chunk)
            wall[name] += time.perf_counter() - w
            cpu[name] += time.process_time() - c
    print(
        f"\n{len(sample):,} distinct topic texts of the 100,000-keyword set, rounds of {ROUND:,};"
        f" load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n"
    )

    truth = {}
    for set_name, set_texts in labelled():
        vectors = encoders[REFERENCE](embedding_texts(set_texts))
        truth[set_name] = (set_texts, vectors, clusters(set_texts, vectors))
    print(
        f"| variant | texts/s | per CPU-s | x {BASE} | min cos |"
        f" ARI vs torch fp32: {' / '.join(truth)} | >= {BAR} |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in names:
        aris, cosines = [], []
        for set_texts, reference, reference_clusters in truth.values():
            vectors = encoders[name](embedding_texts(set_texts))
            cosines.append(float((vectors * reference).sum(axis=1).min()))
            aris.append(adjusted_rand_score(reference_clusters, clusters(set_texts, vectors)))
        print(
            f"| {name} | {len(sample) / wall[name]:,.0f} | {len(sample) / cpu[name]:,.0f} |"
            f" {wall[BASE] / wall[name]:.2f} | {min(cosines):.5f} | {' / '.join(f'{a:.3f}' for a in aris)} |"
            f" {'yes' if min(aris) >= BAR else 'no'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
