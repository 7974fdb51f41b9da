import json

import pytest

from igny8.writer.models import Content, Image
from tests.writer_ai.conftest import image_settings, run_now

pytestmark = pytest.mark.django_db
ARTICLE = "<p>Intro</p><h2>Beans &amp; roast</h2><p>a</p><h2>Grinding</h2><p>b</p><h2>Brewing</h2>"


def make_content(tenant, title="Home espresso") -> Content:
    return Content.objects.create(account=tenant.account, site=tenant.site, title=title, html=ARTICLE)


def slots(content):
    return list(
        Image.objects.filter(content=content).values_list("image_type", "position", "status", "prompt")
    )


def test_offline_prompts_from_title_and_headings_and_rerun_replaces(alice):
    content = make_content(alice)
    run = run_now(alice, "generate_image_prompts", {"ids": [content.pk]})

    assert (run.status, run.credits_used) == ("success", 0)  # offline runs are free
    expected = [
        ("featured", 0, "pending", "[Offline draft] A scene that represents the article: Home espresso"),
        ("in_article", 0, "pending", "[Offline draft] An illustration of the section: Beans & roast"),
        ("in_article", 1, "pending", "[Offline draft] An illustration of the section: Grinding"),
    ]
    assert slots(content) == expected
    ids = sorted(Image.objects.values_list("pk", flat=True))
    assert run.result["items"][0]["image_ids"] == ids

    run_now(alice, "generate_image_prompts", {"ids": [content.pk]})
    assert slots(content) == expected
    assert sorted(Image.objects.values_list("pk", flat=True)) == ids

    # Fewer in-article images allowed: the pending slot beyond the limit goes.
    image_settings(alice, max_in_article_images=1)
    run_now(alice, "generate_image_prompts", {"ids": [content.pk]})
    assert slots(content) == expected[:2]


def test_model_prompts_fill_slots_but_never_touch_a_generated_image(alice, fake_provider):
    content = make_content(alice)
    Image.objects.create(
        account=alice.account,
        site=alice.site,
        content=content,
        image_type="featured",
        position=0,
        prompt="old",
        status="generated",
    )
    fake_provider.answer = lambda prompt: json.dumps(
        {"featured_prompt": "A cup", "in_article_prompts": ["Beans", "Grinder", "Kettle"]}
    )
    run = run_now(alice, "generate_image_prompts", {"ids": [content.pk]})

    assert run.status == "success"
    assert slots(content) == [
        ("featured", 0, "generated", "old"),
        ("in_article", 0, "pending", "Beans"),
        ("in_article", 1, "pending", "Grinder"),  # the default max_in_article_images is 2
    ]
    prompt = fake_provider.prompts[0]
    assert "Article title: Home espresso" in prompt and "up to 2\nprompts" in prompt
    assert ARTICLE in prompt
