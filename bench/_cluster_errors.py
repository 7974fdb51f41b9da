"""The errors of one clustering against labelled groups, for reading (bench/cluster_quality.py
--errors): which groups share a cluster (near misses merged) and which group is spread over
several clusters or left as outliers (paraphrases split), each keyword with its signature so the
rule that did or did not fire is visible."""

from collections import Counter, defaultdict
from collections.abc import Sequence

from igny8.planner.clustering import classify


def _said(keyword: str) -> str:
    return f"{keyword!r} [{classify(keyword).describe() or '-'}]"


def print_errors(*, keywords: Sequence[str], truth: Sequence[str], labels: Sequence[int]) -> None:
    """Outliers have negative labels, one per keyword (cluster_quality.labels_of)."""
    clusters: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        clusters[label].append(index)
    print("merged: clusters holding keywords of several groups")
    for members in sorted(clusters.values(), key=lambda m: (-len(m), keywords[m[0]])):
        groups = Counter(truth[i] for i in members)
        if len(groups) < 2:
            continue
        print(f"  {', '.join(f'{g} {n}' for g, n in groups.most_common())}")
        major = groups.most_common(1)[0][0]
        for i in members:
            print(f"    {'  ' if truth[i] == major else '->'} {truth[i]:<26} {_said(keywords[i])}")
    print("split: groups spread over several clusters (or outliers, shown as 'alone')")
    by_group: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(truth):
        by_group[group].append(index)
    for group in sorted(by_group):
        parts = Counter(labels[i] for i in by_group[group])
        if len(parts) < 2:
            continue
        print(f"  {group}: {len(parts)} parts")
        for label, _ in parts.most_common():
            where = "alone" if len(clusters[label]) == 1 else f"cluster of {len(clusters[label])}"
            texts = ", ".join(_said(keywords[i]) for i in by_group[group] if labels[i] == label)
            print(f"    {where}: {texts}")
