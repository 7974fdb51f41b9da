"""Pruning the embedding table: rows no keyword, idea or article of any site embeds to any more, and
rows of models no longer configured, are deleted (hourly by beat, or `igny8 embeddings prune`);
rows still in use, and rows too young to judge, stay."""

from datetime import timedelta
from io import StringIO

import numpy as np
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from igny8.planner import embedding_cache
from igny8.planner.clustering import backends
from igny8.planner.models import ContentIdea, Keyword, KeywordEmbedding
from igny8.planner.tasks import prune_embeddings
from igny8.writer.models import Content, Task
from tests.conftest import make_tenant

pytestmark = pytest.mark.django_db
ONNX = "all-MiniLM-L6-v2/onnx"
TORCH = "all-MiniLM-L6-v2"


def store(model_name: str, text: str, *, age: timedelta = timedelta(days=2)) -> None:
    row = KeywordEmbedding.objects.create(
        model_name=model_name, normalized=text, vector=np.zeros(384, dtype=np.float32).tobytes()
    )
    KeywordEmbedding.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)


def stored() -> list[tuple[str, str]]:
    return sorted(KeywordEmbedding.objects.values_list("model_name", "normalized"))


@pytest.fixture
def table(alice, monkeypatch):
    monkeypatch.setenv("IGNY8_EMBEDDINGS", "onnx")
    bob = make_tenant(email="bob2@example.com", account_name="Account B")
    # Texts are stored as their topic text: "best espresso grinder" is stored as "espresso grinder".
    Keyword.objects.create(
        account=alice.account,
        site=alice.site,
        keyword="Best Espresso Grinder",
        normalized="best espresso grinder",
    )
    Keyword.objects.create(
        account=bob.account, site=bob.site, keyword="milk frother", normalized="milk frother"
    )
    ContentIdea.objects.create(
        account=alice.account, site=alice.site, title="Moka pots", primary_keyword="moka pot guide"
    )
    ContentIdea.objects.create(account=alice.account, site=alice.site, title="Cold Brew At Home")
    task = Task.objects.create(
        account=bob.account, site=bob.site, title="t", keywords=["", "french press ratio"]
    )
    Content.objects.create(account=bob.account, site=bob.site, task=task, title="French press")
    for text in [
        "espresso grinder",  # alice's keyword
        "milk frother",  # bob's keyword: another account still needs it
        "moka pot guide",  # an idea's primary keyword
        "cold brew at home",  # an idea without one: its title
        "french press ratio",  # an article's first task keyword
        "burr grinder",  # its keyword was deleted
        "best espresso grinder",  # the full text: never stored by the intent-aware method
    ]:
        store(ONNX, text)
    store(ONNX, "pour over kettle", age=timedelta(minutes=5))  # unreferenced but just stored
    store(TORCH, "espresso grinder")  # another backend's vector of a text in use


def test_prune_deletes_unreferenced_texts_and_other_models(table):
    assert backends.active_encoder()[1] == ONNX
    dry = embedding_cache.prune(dry_run=True)
    assert (dry.other_models, dry.unreferenced, dry.kept) == (1, 2, 6)
    assert len(stored()) == 9

    result = embedding_cache.prune()
    assert (result.other_models, result.unreferenced, result.deleted, result.kept) == (1, 2, 3, 6)
    assert stored() == [
        (ONNX, "cold brew at home"),
        (ONNX, "espresso grinder"),
        (ONNX, "french press ratio"),
        (ONNX, "milk frother"),
        (ONNX, "moka pot guide"),
        (ONNX, "pour over kettle"),
    ]
    # Safe to run twice: nothing left to delete.
    assert embedding_cache.prune().deleted == 0


def test_young_rows_wait_for_the_next_prune(table):
    embedding_cache.prune()
    later = timezone.now() + timedelta(hours=2)
    assert embedding_cache.prune(now=later).unreferenced == 1  # "pour over kettle", now old enough
    assert (ONNX, "pour over kettle") not in stored()


def test_command_and_beat_task(table):
    assert settings.CELERY_BEAT_SCHEDULE["planner-prune-embeddings"] == {
        "task": "igny8.planner.tasks.prune_embeddings",
        "schedule": 3600.0,
    }
    out = StringIO()
    call_command("embeddings", "prune", "--dry-run", stdout=out)
    assert out.getvalue().strip() == (
        "Would delete 3 stored embedding(s): 1 of models no longer configured, "
        "2 no keyword, idea or article uses; 6 kept."
    )
    assert len(stored()) == 9
    out = StringIO()
    call_command("embeddings", "stats", stdout=out)
    assert out.getvalue().splitlines() == [f"{TORCH}: 1 stored", f"{ONNX}: 8 stored"]
    assert prune_embeddings() == 3
    assert len(stored()) == 6
