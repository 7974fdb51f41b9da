"""Clustering quality on the labelled keyword sets (bench/data/*.csv, keyword,group).

Prints, for every set, adjusted Rand index (ARI) and V-measure against the hand-made intent
groups for:
- the default method: intent-aware semantic clustering (ADR 0010) with the threshold chosen per
  set without labels ("adaptive", `threshold="auto"`; the threshold it chose is printed), and the
  same method at fixed thresholds, embedding the keywords' topic texts (`embedding_texts`),
- the plain semantic method (the default before issue 15, `intent_aware=False`, 0.70),
- the semantic method at several similarity thresholds,
- SERP overlap (soft and hard) on a synthetic SERP set generated here, deterministically,
- a naive baseline: keywords with the same set of content words (crude lemmas) form a group.

Outliers count as singleton clusters, which is how they will look to a user. Homogeneity falls
when near-miss groups merge; completeness falls when one intent is split into several clusters.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_quality.py [set.csv ...] [--errors]

Vectors are cached per set and text list under IGNY8_BENCH_CACHE (default: var/bench-vectors in
IGNY8_VAR_DIR), so a re-run after a rule change embeds only texts that changed and takes seconds.
`--errors` prints, for the default method, which groups share a cluster and which are split.
"""

import csv
import hashlib
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _cluster_errors import print_errors

from igny8.config.paths import var_dir
from igny8.planner.clustering import (
    PLAIN_THRESHOLD,
    Clustering,
    cluster_by_serp,
    cluster_embeddings,
    embedding_texts,
    embeddings,
)

DATA_DIR = Path(__file__).parent / "data"
# Which sets the rules and the default threshold were tuned on (their errors studied) and which are
# held out: each held-out set was written before it was ever clustered, after the rules of its round
# were final (bench/data/make_niche_sets.py). Pass file names to run only some.
SETS = {
    "labelled_keywords.csv": "tuned",
    "running_shoes.csv": "tuned",
    "credit_cards.csv": "tuned",
    "zapatillas_es.csv": "tuned",
    "mattresses_holdout.csv": "tuned (held out in round 1)",
    "bikes_holdout.csv": "tuned (held out in round 2)",
    "skincare_holdout.csv": "tuned (held out in round 3)",
    "lawn_holdout.csv": "tuned (held out in round 4)",
    "vpn_holdout.csv": "tuned (held out in round 5)",
    "pm_holdout.csv": "tuned (held out: adaptive)",
    "dogfood_holdout.csv": "studied (held out in round 6)",
    "carinsurance_holdout.csv": "studied (held out in round 6)",
    "strollers_holdout.csv": "held out (new in round 6)",
    "plumber_holdout.csv": "held out (new in round 6)",
}
THRESHOLDS = (0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90)
INTENT_THRESHOLDS = (0.60, 0.63, 0.66, 0.70, 0.72, 0.75, 0.80)
STOPWORDS = frozenset(
    "a an the for to in on of with and or my is do i can what how best top good".split()  # noqa: SIM905
)


def cached(
    *, name: str, encoder: Callable[[Sequence[str]], np.ndarray]
) -> Callable[[Sequence[str]], np.ndarray]:
    """`encoder` (the model called `name`), cached on disk by the exact text list: the same
    batches, so the same floats, and a re-run after a rule change embeds only what changed."""

    def encode(texts: Sequence[str]) -> np.ndarray:
        key = hashlib.sha256("\n".join([name, *texts]).encode()).hexdigest()[:32]
        directory = Path(os.environ.get("IGNY8_BENCH_CACHE") or var_dir() / "bench-vectors")
        path = directory / f"{key}.npy"
        if path.exists():
            return np.load(path)
        vectors = encoder(texts)
        directory.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
        return vectors

    return encode


encode = cached(name=embeddings.MODEL_NAME, encoder=lambda texts: embeddings.encode(texts=texts))


def load(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["keyword"] for r in rows], [r["group"] for r in rows]


def labels_of(clustering: Clustering, size: int) -> list[int]:
    labels = clustering.labels(size=size)
    # Every outlier is its own singleton cluster (distinct negative labels).
    return [label if label >= 0 else -1 - index for index, label in enumerate(labels)]


def word_set_baseline(keywords: Sequence[str]) -> list[int]:
    """Group keywords whose content words match after dropping stopwords and a plural 's'."""
    keys: dict[frozenset[str], int] = {}
    labels = []
    for keyword in keywords:
        words = frozenset(w.rstrip("s") for w in keyword.replace("'", "").split() if w not in STOPWORDS)
        labels.append(keys.setdefault(words, len(keys)))
    return labels


def synthetic_serps(keywords: Sequence[str], groups: Sequence[str]) -> list[list[str]]:
    """Top-10 URLs per keyword, shaped like real SERPs for this kind of set:

    each group has 10 core pages; a keyword keeps each core page with a keyword-specific
    probability (0.5-0.9: head terms agree more than odd phrasings) and fills the gaps from the
    family's shared pages (category pages that rank for "women" and "men" alike) or from
    long-tail pages nobody else gets. Seeded by the keyword's own hash, so it never changes."""
    serps = []
    for keyword, group in zip(keywords, groups, strict=True):
        family = group.split("/")[0]
        rng = random.Random(int(hashlib.sha256(keyword.encode()).hexdigest(), 16))
        keep = rng.uniform(0.5, 0.9)
        core = [f"https://site{n}.example/{group}/" for n in range(10)]
        shared = [f"https://hub{n}.example/{family}/" for n in range(4)]
        urls = [url for url in core if rng.random() < keep]
        while len(urls) < 10:
            pick = rng.choice(shared) if rng.random() < 0.5 else f"https://tail.example/{rng.random():.12f}"
            if pick not in urls:
                urls.append(pick)
        rng.shuffle(urls)
        serps.append(urls)
    return serps


SUMMARY: list[tuple[str, str, float, float]] = []


def report(name: str, truth: Sequence[str], labels: Sequence[int], seconds: float) -> None:
    clusters = len({label for label in labels if labels.count(label) > 1})
    clustered = sum(1 for label in labels if labels.count(label) > 1) / len(labels)
    homogeneity, completeness, v_measure = homogeneity_completeness_v_measure(truth, labels)
    SUMMARY.append((CURRENT[0], name, adjusted_rand_score(truth, labels), v_measure))
    print(
        f"{name:<34} ARI {adjusted_rand_score(truth, labels):.3f}  V {v_measure:.3f}  "
        f"(hom {homogeneity:.3f}, compl {completeness:.3f})  "
        f"clusters {clusters:>4}  clustered {clustered:6.1%}  {seconds:5.2f} s"
    )


def timed(run: Callable[[], Clustering | list[int]], size: int) -> tuple[list[int], float]:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    return (labels_of(result, size) if isinstance(result, Clustering) else result), seconds


CURRENT = [""]
CHOSEN: dict[str, float | None] = {}
# The intent-aware default before the threshold was chosen per list (docs/clustering.md, "Quality").
FIXED_BEFORE = 0.70


def bench_set(path: Path, *, errors: bool = False) -> None:
    CURRENT[0] = path.name
    keywords, truth = load(path)
    size = len(keywords)
    role = SETS.get(path.name, "not listed")
    print(f"\n## {path.name} ({role}): {size} labelled keywords in {len(set(truth))} intent groups")
    start = time.perf_counter()
    vectors = encode(keywords)
    print(f"model load + embedding (or cache): {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    topic_vectors = encode(embedding_texts(keywords))
    print(f"embedding topic texts (or cache): {time.perf_counter() - start:.2f} s")
    if errors:
        default = cluster_embeddings(keywords=keywords, vectors=topic_vectors, qualifier_encoder=encode)
        print_errors(keywords=keywords, truth=truth, labels=labels_of(default, size))

    start = time.perf_counter()
    adaptive = cluster_embeddings(
        keywords=keywords, vectors=topic_vectors, qualifier_encoder=encode
    )  # threshold="auto"
    seconds = time.perf_counter() - start
    CHOSEN[path.name] = adaptive.threshold
    report("intent-aware adaptive (DEFAULT)", truth, labels_of(adaptive, size), seconds)
    print(f"{'':<34} (the threshold it chose: {adaptive.threshold:.2f})")
    for threshold in INTENT_THRESHOLDS:
        labels, seconds = timed(
            lambda t=threshold: cluster_embeddings(
                keywords=keywords, vectors=topic_vectors, qualifier_encoder=encode, threshold=t
            ),
            size,
        )
        fixed = " (old default)" if threshold == FIXED_BEFORE else ""
        report(f"intent-aware {threshold:.2f}{fixed}", truth, labels, seconds)
    labels, seconds = timed(
        lambda: cluster_embeddings(
            keywords=keywords, vectors=vectors, threshold=PLAIN_THRESHOLD, intent_aware=False
        ),
        size,
    )
    report(f"plain semantic {PLAIN_THRESHOLD:.2f} (old default)", truth, labels, seconds)
    labels, seconds = timed(lambda: word_set_baseline(keywords), size)
    report("baseline: same content-word set", truth, labels, seconds)
    for threshold in THRESHOLDS:
        labels, seconds = timed(
            lambda t=threshold: cluster_embeddings(
                keywords=keywords, vectors=vectors, threshold=t, intent_aware=False
            ),
            size,
        )
        report(f"plain semantic {threshold:.2f}, min 2", truth, labels, seconds)
    for threshold, min_size in ((0.70, 3), (0.70, 5)):
        labels, seconds = timed(
            lambda t=threshold, m=min_size: cluster_embeddings(
                keywords=keywords, vectors=vectors, threshold=t, min_cluster_size=m, intent_aware=False
            ),
            size,
        )
        report(f"plain semantic {threshold:.2f}, min {min_size}", truth, labels, seconds)

    serps = synthetic_serps(keywords, truth)
    for mode in ("soft", "hard"):
        for shared in (3, 4, 5):
            labels, seconds = timed(
                lambda m=mode, s=shared: cluster_by_serp(
                    keywords=keywords, serps=serps, min_shared=s, mode=m
                ),
                size,
            )
            report(f"SERP {mode}, >= {shared} of 10 shared", truth, labels, seconds)


def main() -> None:
    errors = "--errors" in sys.argv[1:]
    names = [arg for arg in sys.argv[1:] if not arg.startswith("--")] or list(SETS)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at start: {load} (ARI does not depend on it)")
    for name in names:
        bench_set(DATA_DIR / name, errors=errors)
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\n## summary: ARI / V-measure per set")
    print(f"{'':<34} " + "  ".join(f"{SETS.get(name, '?')[:17]:>17}" for name in names))
    print(f"{'method':<34} " + "  ".join(f"{name.removesuffix('.csv'):>17}" for name in names))
    methods = list(dict.fromkeys(method for _, method, _, _ in SUMMARY))
    scores = {(s, m): (a, v) for s, m, a, v in SUMMARY}
    print(f"{'adaptive: threshold chosen':<34} " + "  ".join(f"{CHOSEN.get(n) or 0:>17.2f}" for n in names))
    for method in methods:
        cells = [scores.get((name, method)) for name in names]
        print(
            f"{method:<34} "
            + "  ".join(
                f"{a:.3f} / {v:.3f}".rjust(17) if a is not None else " " * 17
                for a, v in (c or (None, None) for c in cells)
            )
        )


if __name__ == "__main__":
    main()
