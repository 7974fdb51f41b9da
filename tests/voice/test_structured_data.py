"""Article and FAQPage JSON-LD (issue 14 point 3): stored with the content, sent in the WordPress
body, written into the export."""

import json
import re

import pytest

from igny8.publishing import services as publishing
from igny8.publishing.export import export_site
from igny8.system.models import AuthorProfile
from igny8.writer.models import Content
from igny8.writer.structured_data import script_tags
from tests.voice.test_profiles_in_prompts import ARTICLE
from tests.writer_ai.conftest import make_task

pytestmark = pytest.mark.django_db
URL = "/api/v1/writer/tasks/auto_generate_content/"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _generated(alice, german, run_now, openai_answers) -> Content:
    alice.site.author_profile = german
    alice.site.save()
    task = make_task(alice, "Mahlgrad")
    openai_answers.append(ARTICLE)
    _, run = run_now(alice.client(), URL, {"ids": [task.pk]})
    assert run.status == "success"
    return Content.objects.get(task=task)


def test_an_article_with_an_faq_stores_article_and_faqpage_jsonld(alice, german, run_now, openai_answers):
    content = _generated(alice, german, run_now, openai_answers)

    assert content.faq == [{"question": "Wie fein?", "answer": "Wie Puderzucker."}]
    article, faq = json.loads(json.dumps(content.structured_data))
    assert article == {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": "Mahlgrad",
        "description": "Der richtige Mahlgrad.",
        "inLanguage": "de-DE",
        "datePublished": content.created_at.isoformat(timespec="seconds"),
        "dateModified": article["dateModified"],
        "author": {"@type": "Person", "name": "Kaffee-Blog"},
    }
    assert article["dateModified"] >= article["datePublished"]
    assert faq == {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": "Wie fein?",
                "acceptedAnswer": {"@type": "Answer", "text": "Wie Puderzucker."},
            }
        ],
    }


def test_without_a_profile_or_faq_only_the_article_with_the_sites_name(alice):
    from tests.writer_ai.conftest import run_now

    task = make_task(alice, "Grind size")
    run_now(alice, "generate_content", {"ids": [task.pk]})
    (article,) = Content.objects.get(task=task).structured_data
    assert (article["@type"], article["author"], article["inLanguage"]) == (
        "Article",
        {"@type": "Person", "name": alice.site.name},
        "en",
    )
    assert set(article) == {
        "@context",
        "@type",
        "headline",
        "description",
        "inLanguage",
        "datePublished",
        "dateModified",
        "author",
    }


def test_script_tags_cannot_be_closed_by_the_text():
    tags = script_tags([{"headline": "</script><script>alert(1)</script>"}])
    escaped = "\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"
    assert tags == '<script type="application/ld+json">{"headline":"' + escaped + '"}</script>'

    assert json.loads(SCRIPT.search(tags).group(1)) == {"headline": "</script><script>alert(1)</script>"}


def test_the_wordpress_body_carries_the_jsonld_with_the_served_image(
    alice, german, run_now, openai_answers, wp_site, wp
):
    from django.core.files.base import ContentFile

    from igny8.writer.models import Image
    from tests.publishing.fake_wp import PNG

    content = _generated(alice, german, run_now, openai_answers)
    featured = Image(
        account=alice.account, site=alice.site, content=content, image_type="featured", status="generated"
    )
    featured.file.save("featured.png", ContentFile(PNG), save=True)

    record = publishing.content_publish(content=content)

    assert record.status == "published", record.error
    body = wp.posts[int(record.external_id)]["content"]["raw"]
    found = [json.loads(text) for text in SCRIPT.findall(body)]
    assert [item["@type"] for item in found] == ["Article", "FAQPage"]
    assert found[0]["image"] == [record.media[str(featured.pk)]["url"]]
    assert found[0]["headline"] == "Mahlgrad" and found[0]["author"]["name"] == "Kaffee-Blog"
    assert body.index("Wie Puderzucker.") < body.index('<script type="application/ld+json">')


def test_the_export_writes_the_jsonld_and_the_languages_direction(
    alice, german, run_now, openai_answers, tmp_path
):
    content = _generated(alice, german, run_now, openai_answers)
    (folder,) = export_site(site=alice.site, directory=tmp_path / "de")
    page = (folder / "index.html").read_text()
    assert page.startswith('<!doctype html>\n<html lang="de-DE" dir="ltr">')
    assert [json.loads(text)["@type"] for text in SCRIPT.findall(page)] == ["Article", "FAQPage"]

    arabic = AuthorProfile.objects.create(account=alice.account, name="مدونة", language="ar", country="EG")
    alice.site.author_profile = arabic
    alice.site.save()
    Content.objects.filter(pk=content.pk).update(title="القهوة", slug="qahwa")
    (folder,) = export_site(site=alice.site, directory=tmp_path / "ar")
    page = (folder / "index.html").read_text()
    assert page.startswith('<!doctype html>\n<html lang="ar" dir="rtl">')
    assert "<h1>القهوة</h1>" in page
    assert json.loads(SCRIPT.search(page).group(1))["headline"] == "القهوة"
