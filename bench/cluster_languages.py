"""Clustering quality per language with the bundled embedding model (all-MiniLM-L6-v2, trained
on English): the same eight coffee intents, five keywords each, written in English, German and
Spanish (bench/data/labelled_keywords_de_es.csv). Prints adjusted Rand index (ARI), V-measure and
the outlier share per language and threshold, so the English figure is the yardstick.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_languages.py
"""

import csv
import sys
from collections import defaultdict
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from igny8.planner.clustering import cluster_embeddings, embeddings

DATA = Path(__file__).parent / "data" / "labelled_keywords_de_es.csv"
THRESHOLDS = (0.55, 0.60, 0.65, 0.70, 0.75)
DEFAULT = 0.70  # the semantic method's default threshold


def load() -> dict[str, tuple[list[str], list[str]]]:
    by_language: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            keywords, groups = by_language[row["language"]]
            keywords.append(row["keyword"])
            groups.append(row["group"])
    return dict(by_language)


def scores(keywords: list[str], groups: list[str], threshold: float) -> tuple[float, float, float]:
    vectors = embeddings.encode(texts=keywords)
    clustering = cluster_embeddings(keywords=keywords, vectors=vectors, threshold=threshold)
    labels = clustering.labels(size=len(keywords))
    outliers = sum(1 for label in labels if label < 0) / len(labels)
    labels = [label if label >= 0 else -1 - index for index, label in enumerate(labels)]
    _, _, v_measure = homogeneity_completeness_v_measure(groups, labels)
    return adjusted_rand_score(groups, labels), v_measure, outliers


def main() -> None:
    data = load()
    print(f"{'language':<9} {'threshold':>9} {'ARI':>6} {'V':>6} {'outliers':>9}")
    summary = {}
    for language in ("en", "de", "es"):
        keywords, groups = data[language]
        for threshold in THRESHOLDS:
            ari, v_measure, outliers = scores(keywords, groups, threshold)
            print(f"{language:<9} {threshold:>9.2f} {ari:>6.3f} {v_measure:>6.3f} {outliers:>8.0%}")
            if threshold == DEFAULT:
                summary[language] = ari
    print(
        "At the default threshold 0.70: ARI "
        + ", ".join(f"{language} {ari:.3f}" for language, ari in summary.items())
        + f" ({len(data['en'][0])} keywords, {len(set(data['en'][1]))} intents per language)."
    )


if __name__ == "__main__":
    main()
