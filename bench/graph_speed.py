"""The similarity graph alone (graph.similarity_graph), its paths side by side on the keyword set of
bench/cluster_scale.py, with the vectors embedded once and stored:

- before: the scan as it was before the grouped path (git show BEFORE:graph.py): every pair of the
  upper triangle multiplied, conflicting pairs refused by the filter after the threshold;
- filter: today's scan without groups (what intent_aware=False uses): the same pairs, the mask read
  flat, blocks on every core;
- groups: the default (the intent-aware method's): rows in signature groups (partition.py), pairs of
  conflicting groups never multiplied; includes building the groups.

Each (size, path) runs in a child process of its own (peak RSS is per process), in rounds that
alternate the order of the paths, so they share the load. Each child prints wall and CPU time of
the graph call, the RSS before it (vectors, texts and codes loaded) and the peak RSS during it, the edges,
and a SHA-256 over indptr, indices and the float32 weights' bits: equal digests are identical
graphs. The threshold is the one cluster_embeddings chooses for the list (threshold="auto"),
computed once and stored with the vectors.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/graph_speed.py                    # 10k and 100k, 2 rounds
    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/graph_speed.py 100000 --rounds 3 --paths before,groups

Vectors go to IGNY8_BENCH_VECTORS (default ~/.igny8-bench-vectors), one file per size and backend.
"""

import argparse
import hashlib
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from igny8.planner.clustering import backends, cluster_embeddings, constraints, embedding_texts, intent
from igny8.planner.clustering import graph as graph_module
from igny8.planner.clustering.canonical import canonicalise

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "88c6b87"  # the last commit with the ungrouped scan only
PATHS = ("before", "filter", "groups")
INCREMENT = 1_000  # cluster_scale.py picks size + 1,000 keywords and clusters the first `size`


def texts_of(size: int) -> list[str]:
    from cluster_scale import keyword_set

    return sorted(keyword_set(size + INCREMENT)[:size])


def stored(size: int) -> tuple[Path, Path]:
    _, model_name = backends.active_encoder()
    directory = Path(os.environ.get("IGNY8_BENCH_VECTORS", Path.home() / ".igny8-bench-vectors"))
    stem = f"graph_speed-{size}-{model_name.replace('/', '_')}"
    return directory / f"{stem}.npy", directory / f"{stem}.json"


def prepare(size: int) -> float:
    """Embed the set (once) and choose its threshold (once); returns the threshold."""
    vectors_path, meta_path = stored(size)
    texts = texts_of(size)
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if meta.get("texts") != digest or not vectors_path.exists():
        vectors_path.parent.mkdir(parents=True, exist_ok=True)
        encode, model_name = backends.active_encoder()
        start = time.perf_counter()
        np.save(vectors_path, encode(texts=embedding_texts(texts)))
        seconds = time.perf_counter() - start
        print(f"  embedded {size:,} texts with {model_name} in {seconds:.1f} s", flush=True)
        meta = {"texts": digest, "model": model_name}
    if "threshold" not in meta:
        vectors = np.load(vectors_path)
        meta["threshold"] = cluster_embeddings(keywords=texts, vectors=vectors).threshold
    meta_path.write_text(json.dumps(meta))
    return float(meta["threshold"])


def before_module():
    """graph.py as of BEFORE, imported from git (it needs nothing but numpy)."""
    source = subprocess.run(
        ["git", "show", f"{BEFORE}:src/igny8/planner/clustering/graph.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "graph_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("graph_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def status_gb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (peak resident since the start or the last reset), in GB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024**2
    raise KeyError(field)


def reset_peak() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so the peak read after the
    graph call is the call's own (the loading before it does not count)."""
    Path("/proc/self/clear_refs").write_text("5")


def child(size: int, path: str, threshold: float) -> None:
    from igny8.planner.clustering import partition

    vectors_path, _ = stored(size)
    vectors = np.ascontiguousarray(np.load(vectors_path), dtype=np.float32)
    texts = texts_of(size)
    canonical = canonicalise(keywords=texts, volumes=None)
    assert canonical.texts == texts  # the set is already canonical: row i is texts[i]
    codes = constraints.encode([intent.classify(text) for text in texts])
    before = before_module() if path == "before" else None

    def keep(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return ~codes.conflicts(rows, cols)

    rss_before = status_gb("VmRSS")
    reset_peak()
    load = os.getloadavg()[0]
    start, cpu = time.perf_counter(), time.process_time()
    if before is not None:
        graph = before.similarity_graph(vectors=vectors, threshold=threshold, keep=keep)
    elif path == "filter":
        graph = graph_module.similarity_graph(vectors=vectors, threshold=threshold, keep=keep)
    else:
        groups = partition.signature_groups(codes)
        graph = graph_module.similarity_graph(vectors=vectors, threshold=threshold, keep=keep, groups=groups)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    digest = hashlib.sha256()
    for array in (graph.indptr, graph.indices, graph.weights):
        digest.update(np.ascontiguousarray(array).tobytes())
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "peak_gb": status_gb("VmHWM"),
                "rss_before_gb": rss_before,
                "process_peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
                "edges": int(graph.indices.size // 2),
                "digest": digest.hexdigest()[:16],
                "load": [load, os.getloadavg()[0]],
            }
        ),
        flush=True,
    )


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--paths", default=",".join(PATHS))
    args = parser.parse_args()
    paths = args.paths.split(",")
    for size in args.sizes:
        threshold = prepare(size)
        print(f"{size:,} keywords, threshold {threshold} (chosen by 'auto')", flush=True)
        results: dict[str, list[dict]] = {path: [] for path in paths}
        for round_ in range(args.rounds):
            for path in paths if round_ % 2 == 0 else paths[::-1]:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(size), path, str(threshold)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                result = json.loads(out.strip().splitlines()[-1])
                results[path].append(result)
                print(
                    f"  round {round_ + 1} {path:<7} {result['seconds']:7.2f} s  CPU {result['cpu']:7.2f} s  "
                    f"peak RSS in the call {result['peak_gb']:.2f} GB "
                    f"(RSS before it {result['rss_before_gb']:.2f})  "
                    f"{result['edges']:,} edges  {result['digest']}  "
                    f"load {result['load'][0]:.1f}-{result['load'][1]:.1f}",
                    flush=True,
                )
        digests = {run["digest"] for runs in results.values() for run in runs}
        print(f"  median of {args.rounds} (identical graphs on every path: {len(digests) == 1}):")
        for path in paths:
            runs = results[path]
            print(
                f"    {path:<7} {statistics.median(r['seconds'] for r in runs):7.2f} s  "
                f"CPU {statistics.median(r['cpu'] for r in runs):7.2f} s  "
                f"peak RSS in the call {max(r['peak_gb'] for r in runs):.2f} GB "
                f"(from {max(r['rss_before_gb'] for r in runs):.2f} GB before it)",
                flush=True,
            )


if __name__ == "__main__":
    main()
