"""What choosing the threshold per list (threshold="auto") costs over a fixed threshold, on stored
vectors: bench/cluster_scale.py's combinatorial keyword set, embedded once (cached like
cluster_quality.py's vectors), then clustered at 0.70 and with "auto", twice each, in one process.
Prints wall and CPU seconds, the threshold chosen and the clusters; with --samples it also
chooses on samples of 1,000, 3,000 and 6,000 keywords and on the whole list, to show whether the
sample changes the choice.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_adaptive_cost.py [size] [--samples]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_quality import encode
from cluster_scale import keyword_set, volume_of

from igny8.planner.clustering import adaptive, cluster_embeddings, embedding_texts


def timed(texts, vectors, volumes, threshold) -> str:
    wall, cpu = time.perf_counter(), time.process_time()
    result = cluster_embeddings(keywords=texts, vectors=vectors, volumes=volumes, threshold=threshold)
    return (
        f"wall {time.perf_counter() - wall:5.1f} s, CPU {time.process_time() - cpu:5.1f} s, "
        f"threshold used {result.threshold:.2f}, {len(result.clusters):,} clusters, "
        f"{len(result.outliers):,} outliers; load {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    size = int(args[0]) if args else 10_000
    texts = sorted(keyword_set(size))
    start = time.perf_counter()
    vectors = encode(embedding_texts(texts))
    volumes = [volume_of(text) for text in texts]
    print(f"{size:,} keywords; vectors (embedded or cached) in {time.perf_counter() - start:.1f} s")
    for threshold in (0.70, adaptive.AUTO, 0.70, adaptive.AUTO):
        print(f"  threshold {threshold!s:<5} {timed(texts, vectors, volumes, threshold)}", flush=True)
    if "--samples" in sys.argv:
        for sample in (1_000, 3_000, 6_000, size):
            adaptive.SAMPLE_SIZE = sample
            print(f"  auto, sample {sample:>6,}: {timed(texts, vectors, volumes, adaptive.AUTO)}", flush=True)


if __name__ == "__main__":
    main()
