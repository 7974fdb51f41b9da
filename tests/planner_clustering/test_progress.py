"""What an auto_cluster run shows while it works past embedding: the share of keyword pairs
compared, then the cluster steps (the embedding's "n of N" is tested with the embedding table)."""

import pytest

from igny8.ai.base import RunContext
from igny8.ai.models import AIRun
from igny8.planner.ai import auto_cluster as cluster_function

pytestmark = pytest.mark.django_db


def test_the_run_shows_the_comparison_and_cluster_steps(alice):
    run = AIRun.objects.create(account=alice.account, task_id="t-graph", function_name="auto_cluster")
    report = cluster_function._clustering_progress(
        RunContext(account=alice.account, payload={}, run_id="t-graph")
    )
    shown = []
    for stage, done, total in (
        ("graph", 1_234_567, 4_999_950_000),
        ("graph", 2_500_000_000, 4_999_950_000),
        ("graph", 4_999_950_000, 4_999_950_000),
        ("clusters", 0, 1),
        ("clusters", 1, 1),
    ):
        report(stage, done, total)
        run.refresh_from_db()
        shown.append(run.message)
    assert shown == [
        "Comparing keywords: 0% of pairs...",
        "Comparing keywords: 50% of pairs...",
        "Comparing keywords: 100% of pairs...",
        "Forming clusters...",
        "Clusters formed; saving...",
    ]
    # Nothing to compare (one keyword) writes nothing rather than dividing by zero.
    report("graph", 0, 0)
    run.refresh_from_db()
    assert run.message == "Clusters formed; saving..."
