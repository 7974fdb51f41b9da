import json
from decimal import Decimal

import pytest

from igny8.accounts.models import Account
from igny8.ai.providers.base import ProviderError
from igny8.billing.models import CreditUsageLog
from igny8.writer.models import Content, Task
from tests.writer_ai.conftest import make_task, run_now

pytestmark = pytest.mark.django_db


def test_offline_content_follows_the_outline_and_says_it_is_a_draft(alice):
    task = make_task(alice, "How to choose a coffee grind size for every brewing method you own")
    run = run_now(alice, "generate_content", {"ids": [task.pk]})

    assert (run.status, run.items_succeeded, run.provider) == ("success", 1, "offline")
    assert run.message == "Offline draft (no AI provider configured): Articles done: 1 written, 0 failed."
    content = Content.objects.get(task=task)
    assert content.html.startswith("<p><strong>Offline draft: this is not a written article.</strong>")
    assert content.html.count("<h2>") == 3 and content.html.count("<h3>") == 3
    headings = [line for line in content.html.split("\n") if line.startswith(("<h2>", "<h3>"))]
    assert headings == [
        "<h2>Why grind size matters</h2>",
        "<h3>Extraction</h3>",
        "<h3>Taste</h3>",
        "<h2>Choosing a grinder</h2>",
        "<h2>Dialing in</h2>",
        "<h3>Espresso</h3>",
    ]
    assert content.html.count("[Offline draft] Placeholder") == 6
    # "[Offline draft] How to choose ... every" cut at a word boundary, at most 60 characters
    assert content.meta_title == "[Offline draft] How to choose a coffee grind size for every"
    assert len(content.meta_title) == 59
    assert content.meta_description == (
        "[Offline draft] Not written yet: a skeleton about coffee grind size."
    )
    assert content.slug == "how-to-choose-a-coffee-grind-size-for-every-brewing-method-you-own"
    assert content.excerpt.startswith("[Offline draft]")
    assert content.word_count == 100
    assert (content.site_id, content.sector_id) == (alice.site.pk, alice.sector.pk)
    assert Task.objects.get(pk=task.pk).status == "completed"
    assert run.result["items"] == [
        {
            "item": str(task.pk),
            "status": "success",
            "task_id": task.pk,
            "content_id": content.pk,
            "word_count": 100,
        }
    ]


def test_model_answer_is_sanitised_and_meta_truncated(alice, fake_provider):
    fake_provider.answer = lambda prompt: json.dumps(
        {
            "title": "Grind size",
            "meta_title": "The complete guide to coffee grind size for espresso, pour-over and more",
            "meta_description": "word " * 40,
            "excerpt": "  Short.  ",
            "html": (
                '<h2 onclick="x()">Intro</h2><script>alert(1)</script>'
                '<p>Text <a href="javascript:x">a</a></p>'
            ),
        }
    )
    task = make_task(alice, "Grind size", word_count_target=900)
    run = run_now(alice, "generate_content", {"ids": [task.pk]})

    assert run.status == "success"
    content = Content.objects.get(task=task)
    assert content.html == '<h2>Intro</h2><p>Text <a rel="noopener">a</a></p>'
    assert content.meta_title == "The complete guide to coffee grind size for espresso,"[:-1]
    assert len(content.meta_description) == 159 and content.meta_description.endswith("word")
    assert (content.excerpt, content.word_count) == ("Short.", 3)
    prompt = fake_provider.prompts[0]
    assert "Target length: about 900 words" in prompt
    assert (
        "- H2: Why grind size matters\n  - H3: Extraction\n  - H3: Taste\n- H2: Choosing a grinder" in prompt
    )
    assert "Primary keyword: coffee grind size" in prompt
    assert "Secondary keywords: burr grinder" in prompt
    assert "Coffee: Home coffee brewing" in prompt  # the sector and its description


def test_one_failing_task_among_three(alice, fake_provider):
    def answer(prompt):
        if "Title: Broken" in prompt:
            raise ProviderError("OpenAI refused the request (400): bad. Check the model name and settings.")
        title = prompt.split("Title: ", 1)[1].split("\n", 1)[0]
        return json.dumps(
            {
                "title": title,
                "meta_title": title,
                "meta_description": "d",
                "excerpt": "e",
                "html": "<p>x y</p>",
            }
        )

    fake_provider.answer = answer
    tasks = [make_task(alice, name) for name in ("First", "Broken", "Third")]
    run = run_now(alice, "generate_content", {"ids": [t.pk for t in tasks]})

    assert (run.status, run.items_succeeded, run.items_failed) == ("success", 2, 1)
    assert [i["status"] for i in run.result["items"]] == ["success", "error", "success"]
    assert run.result["items"][1]["error"] == (
        "OpenAI refused the request (400): bad. Check the model name and settings."
    )
    assert sorted(Content.objects.values_list("title", flat=True)) == ["First", "Third"]
    statuses = dict(Task.objects.values_list("title", "status"))
    assert statuses == {"First": "completed", "Broken": "failed", "Third": "completed"}
    # 3 x 50 reserved; the failed task's 50 come back
    assert (run.credits_reserved, run.credits_used, run.result["credits_refunded"]) == (100, 100, 50)
    assert Account.objects.get(pk=alice.account.pk).credits == 4900
    # gpt-4o-mini: 1000 in x $0.15/1M + 2000 out x $0.60/1M = $0.00135 per call
    assert run.cost_usd == Decimal("0.002700")
    assert list(CreditUsageLog.objects.filter(run_id=run.task_id).values_list("credits", flat=True)) == [
        50,
        50,
    ]


def test_regeneration_updates_the_same_content(alice):
    task = make_task(alice, "Grind size")
    run_now(alice, "generate_content", {"ids": [task.pk]})
    first = Content.objects.get(task=task)
    Task.objects.filter(pk=task.pk).update(title="Grind size, revised")
    run_now(alice, "generate_content", {"ids": [task.pk]})
    assert Content.objects.filter(task=task).count() == 1
    again = Content.objects.get(task=task)
    assert (again.pk, again.title, again.slug) == (first.pk, "Grind size, revised", "grind-size-revised")


def test_text_calls_overlap_up_to_the_pace(alice, fake_provider, settings):
    import threading

    settings.AI_CONCURRENCY_START = settings.AI_CONCURRENCY_MAX = 2
    fake_provider.barrier = threading.Barrier(2)  # each call waits for a second one in flight
    fake_provider.answer = lambda prompt: json.dumps(
        {"title": "T", "meta_title": "T", "meta_description": "d", "excerpt": "e", "html": "<p>x</p>"}
    )
    tasks = [make_task(alice, f"Task {n}") for n in range(4)]
    run = run_now(alice, "generate_content", {"ids": [t.pk for t in tasks]})
    assert (run.status, run.items_succeeded, fake_provider.max_in_flight) == ("success", 4, 2)
    assert [int(i["item"]) for i in run.result["items"]] == [t.pk for t in tasks]
