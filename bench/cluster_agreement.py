"""How far two careful labellers agree on the same keyword list, beside how far the default
clustering agrees with each of them.

Why: issue 15 asks for ARI >= 0.85 against a labelled set. A labelled set is one labeller's reading
of "one page per search intent". This bench measures what that reading is worth as a yardstick: a
second labeller got the same keywords (shuffled, without the groups) and the same written rules
(the issue's own definition: split by audience, variant, platform, material, size, location, year,
price tier, condition and by search intent; join synonyms and paraphrases), worked without seeing
the set, its generator or any clustering, and wrote bench/data/agreement/<set>_second_labeller.csv.
The brief is in bench/data/agreement/README.md.

Prints per set: groups in each labelling, ARI / V-measure / homogeneity / completeness of the
second labeller against the set, and of the default clustering (intent-aware, threshold "auto",
as bench/cluster_quality.py runs it) against the set and against the second labeller.

    IGNY8_HOME=$(mktemp -d) .venv/bin/python bench/cluster_agreement.py
"""

import csv
import sys
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cluster_quality
from cluster_quality import DATA_DIR, encode, labels_of, load

from igny8.planner.clustering import cluster_embeddings, embedding_texts

AGREEMENT_DIR = DATA_DIR / "agreement"


def second_labeller(name: str) -> dict[str, str]:
    with (AGREEMENT_DIR / f"{name}_second_labeller.csv").open(encoding="utf-8") as handle:
        return {row["keyword"]: row["group"] for row in csv.DictReader(handle)}


def line(label: str, truth: list, labels: list) -> str:
    homogeneity, completeness, v_measure = homogeneity_completeness_v_measure(truth, labels)
    return (
        f"  {label:<40} ARI {adjusted_rand_score(truth, labels):.3f}  V {v_measure:.3f}  "
        f"(hom {homogeneity:.3f}, compl {completeness:.3f})"
    )


def main() -> None:
    names = sorted(path.name.removesuffix("_second_labeller.csv") for path in AGREEMENT_DIR.glob("*.csv"))
    totals: dict[str, list[float]] = {"labeller ~ set": [], "default ~ set": [], "default ~ labeller": []}
    for name in names:
        keywords, truth = load(DATA_DIR / f"{name}_holdout.csv")
        other = second_labeller(name)
        if set(other) != set(keywords):
            raise SystemExit(f"{name}: the second labelling does not hold the same keywords as the set")
        theirs = [other[keyword] for keyword in keywords]
        clustering = cluster_embeddings(
            keywords=keywords, vectors=encode(embedding_texts(keywords)), qualifier_encoder=encode
        )
        ours = labels_of(clustering, len(keywords))
        role = cluster_quality.SETS.get(f"{name}_holdout.csv", "not listed")
        print(f"\n## {name} ({role}): {len(keywords)} keywords")
        print(
            f"  groups: set {len(set(truth))}, second labeller {len(set(theirs))}, "
            f"default clustering {len(set(ours))} "
            f"(outliers count one each; threshold {clustering.threshold:.2f})"
        )
        print(line("second labeller against the set", truth, theirs))
        print(line("default clustering against the set", truth, ours))
        print(line("default clustering against the labeller", theirs, ours))
        totals["labeller ~ set"].append(adjusted_rand_score(truth, theirs))
        totals["default ~ set"].append(adjusted_rand_score(truth, ours))
        totals["default ~ labeller"].append(adjusted_rand_score(theirs, ours))
    print("\n## mean ARI over the sets")
    for label, values in totals.items():
        print(f"  {label:<20} {sum(values) / len(values):.3f}  ({' / '.join(f'{v:.3f}' for v in values)})")


if __name__ == "__main__":
    main()
