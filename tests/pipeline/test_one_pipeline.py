"""Issue 12, point 9: `igny8 pipeline run` runs the registered automation actions in order, so
there is one definition of "what is left to do"."""

from io import StringIO

import pytest
from django.core.management import call_command

from igny8.automation.actions import registry
from igny8.automation.models import ScheduledTask
from igny8.planner.models import Keyword, KeywordStatus
from igny8.writer.models import Content, Task
from tests.pipeline.test_plan_before_spend import KEYWORDS, keyword_file


@pytest.fixture
def seen(monkeypatch):
    """Each action the pipeline runs, with the params and handed-on entities of its step."""
    calls: list[tuple[str, int, list[str]]] = []
    for name in ("cluster_keywords", "generate_ideas", "generate_content", "generate_images"):
        original = registry.ACTIONS[name]

        class Spy(original):
            def run(self, step):
                calls.append((self.name, step.params["max_items"], sorted(step.ids)))
                return super().run(step)

        monkeypatch.setitem(registry.ACTIONS, name, Spy)
    return calls


def pipeline(*args) -> list[str]:
    out = StringIO()
    call_command("pipeline", "run", *args, stdout=out, stderr=StringIO())
    return [" ".join(line.split()) for line in out.getvalue().splitlines()]


@pytest.mark.django_db(transaction=True)
def test_the_stages_are_the_automation_actions_in_order(alice, tmp_path, seen):
    lines = pipeline(
        keyword_file(tmp_path, KEYWORDS),
        "--site",
        "Alice Site",
        "--provider",
        "offline",
        "--stages",
        "cluster,ideas,content",
    )
    # Each action with the largest max_items it allows, handed what the one before produced.
    assert seen == [
        ("cluster_keywords", 20_000, []),
        ("generate_ideas", 1000, ["cluster", "keyword"]),
        ("generate_content", 1000, ["cluster", "idea", "keyword", "task"]),
    ]
    tasks = Task.objects.filter(site=alice.site)
    assert Content.objects.filter(site=alice.site).count() == tasks.count() > 0
    # The plan's line, then the stage's line and the summary's, as before.
    assert [line for line in lines if line.startswith("content ")][1:] == [
        f"content {tasks.count()} articles, 0 tasks failed"
    ] * 2
    assert not ScheduledTask.objects.exists()  # in-process: no execution row, no worker


@pytest.mark.django_db(transaction=True)
def test_a_stage_picks_up_what_earlier_runs_left(alice, tmp_path, seen):
    """Tasks queued before (by hand, or by a run that stopped) are written by the content stage,
    as the generate_content action writes them; nothing is clustered when too few keywords wait."""
    for title in ("Grind size", "Water temperature"):
        Task.objects.create(account=alice.account, site=alice.site, title=title, keywords=[title.lower()])
    lines = pipeline(
        keyword_file(tmp_path, KEYWORDS[:2]),
        "--site",
        "Alice Site",
        "--provider",
        "offline",
        "--stages",
        "cluster,content",
    )
    assert [name for name, _, _ in seen] == ["cluster_keywords", "generate_content"]
    assert (
        "cluster 0 keywords clustered, 0 clusters, 0 new clusters (Clustering needs at least 5 keywords; "
        in (" ".join(lines))
    )
    assert sorted(Content.objects.values_list("task__title", flat=True)) == [
        "Grind size",
        "Water temperature",
    ]
    assert set(Keyword.objects.values_list("status", flat=True)) == {KeywordStatus.NEW}
