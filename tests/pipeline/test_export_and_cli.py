from io import StringIO

import pytest
import yaml
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from igny8.pipeline.runner import PipelineError, parse_stages
from igny8.publishing.export import export_site
from igny8.writer.models import Content, Image, Task


def test_parse_stages_keeps_pipeline_order():
    assert parse_stages(None) == ("cluster", "ideas", "content", "images")
    assert parse_stages("images, cluster") == ("cluster", "images")
    with pytest.raises(PipelineError, match=r"^Unknown stage\(s\) publish; choose from cluster, ideas"):
        parse_stages("cluster,publish")


def test_export_writes_html_markdown_and_images(alice, tmp_path):
    task = Task.objects.create(
        account=alice.account, site=alice.site, title="V60", keywords=["v60 recipe", "v60"]
    )
    content = Content.objects.create(
        account=alice.account,
        site=alice.site,
        task=task,
        title="The V60 guide",
        slug="the-v60-guide",
        html="<h2>Gear</h2><p>A dripper &amp; a kettle.</p>",
        meta_title="V60 guide",
        excerpt="Brew better.",
        meta_description="How to brew with a V60.",
        word_count=7,
    )
    featured = Image(
        account=alice.account,
        site=alice.site,
        content=content,
        image_type="featured",
        status="generated",
        prompt="a dripper",
    )
    featured.file.save("featured.webp", ContentFile(b"RIFF-featured"), save=True)
    inline = Image(
        account=alice.account,
        site=alice.site,
        content=content,
        image_type="in_article",
        position=1,
        status="generated",
        prompt="pouring water",
    )
    inline.file.save("inline.webp", ContentFile(b"RIFF-inline"), save=True)
    Image.objects.create(
        account=alice.account,
        site=alice.site,
        content=content,
        image_type="in_article",
        position=2,
        status="failed",
        prompt="never made",
    )

    (folder,) = export_site(site=alice.site, directory=tmp_path / "out")
    assert folder == tmp_path / "out" / "the-v60-guide"
    assert sorted(p.name for p in (folder / "images").iterdir()) == ["featured.webp", "inline.webp"]
    assert (folder / "images" / "featured.webp").read_bytes() == b"RIFF-featured"
    page = (folder / "index.html").read_text()
    assert "<title>V60 guide</title>" in page
    assert page.startswith('<!doctype html>\n<html lang="en" dir="ltr">')
    assert '<meta name="description" content="How to brew with a V60.">' in page
    assert '<h1>The V60 guide</h1>\n<img src="images/featured.webp" alt="The V60 guide">' in page
    # Placed as the publisher places it for WordPress (no second H2: after the article).
    assert (
        '<p>A dripper &amp; a kettle.</p><figure><img alt="pouring water" src="images/inline.webp"/></figure>'
        in page
    )
    markdown = (folder / "index.md").read_text()
    front, body = markdown.split("---\n")[1], markdown.split("---\n", 2)[2]
    assert yaml.safe_load(front) == {
        "title": "The V60 guide",
        "slug": "the-v60-guide",
        "meta_title": "V60 guide",
        "meta_description": "How to brew with a V60.",
        "excerpt": "Brew better.",
        "status": "draft",
        "word_count": 7,
        "keywords": ["v60 recipe", "v60"],
        "featured_image": "images/featured.webp",
        "date": content.created_at.date().isoformat(),
        "language": "en",  # issue 14: the author profile's language (none here: English)
    }
    assert body.startswith("\n## Gear\n\nA dripper & a kettle.\n\n![pouring water](images/inline.webp)")


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_pipeline_command_refuses_clearly(db, tmp_path):
    csv_file = tmp_path / "kw.csv"
    csv_file.write_text("keyword\nv60\n")
    with pytest.raises(CommandError, match=r"^No such file: "):
        run("pipeline", "run", str(tmp_path / "missing.csv"), "--site", "Blog")
    with pytest.raises(CommandError, match=r"^There is no account yet; create one with: igny8 createuser"):
        run("pipeline", "run", str(csv_file), "--site", "Blog")
    with pytest.raises(CommandError, match=r"^Unknown stage\(s\) write"):
        run("pipeline", "run", str(csv_file), "--site", "Blog", "--stages", "write")
    run("createuser", "--email", "a@example.com", "--password", "long-enough-pw", "--account", "Acme")
    with pytest.raises(CommandError, match=r"^--provider openai needs an OpenAI API key"):
        run("pipeline", "run", str(csv_file), "--site", "Blog", "--provider", "openai")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CommandError, match=r"^The file is empty\.$"):
        run("pipeline", "run", str(empty), "--site", "Blog", "--stages", "cluster")


def test_export_carries_no_markup_from_hostile_fields(alice, tmp_path):
    task = Task.objects.create(
        account=alice.account, site=alice.site, title="G", keywords=["<i>burr</i> grinder", "<b>x</b>"]
    )
    content = Content.objects.create(
        account=alice.account,
        site=alice.site,
        task=task,
        title="<script>alert(1)</script>Best grinders",
        slug="../../escape",  # a folder name here: must not climb out of the export folder
        html=(
            "<h2>Gear &lt;script&gt;alert(2)&lt;/script&gt;</h2>"
            '<p onclick="steal()">Burrs<script>alert(3)</script></p>'
            '<p><a href="https://e.com/a&quot;&gt;&lt;script&gt;">link</a></p>'
            '<p><img src="https://e.com/i.png" alt="&lt;b&gt;A&lt;/b&gt; burr"></p>'
        ),
        meta_title="<b>Best</b> grinders & more",
        excerpt="Grind fresh <img src=x onerror=alert(1)>every morning.",
        meta_description="&lt;script&gt;alert(4)&lt;/script&gt;Pick one.",
    )
    inline = Image(
        account=alice.account,
        site=alice.site,
        content=content,
        image_type="in_article",
        position=1,
        status="generated",
        prompt='<script>alert(5)</script>A "burr" grinder',
    )
    inline.file.save("inline.webp", ContentFile(b"RIFF-inline"), save=True)

    (folder,) = export_site(site=alice.site, directory=tmp_path / "out")
    assert folder == tmp_path / "out" / "escape"
    page = (folder / "index.html").read_text()
    assert "<title>Best grinders &amp; more</title>" in page
    assert '<meta name="description" content="Pick one.">' in page
    assert "<h1>Best grinders</h1>" in page
    assert "<h2>Gear &lt;script&gt;alert(2)&lt;/script&gt;</h2><p>Burrs</p>" in page
    assert """<figure><img alt='A "burr" grinder' src="images/inline.webp"/></figure>""" in page
    # One script: our JSON-LD (issue 14), whose text cannot close its tag ('<' is \u003c in it).
    assert page.count("<script") == 1 and page.count("</script>") == 1 and "onclick" not in page
    assert '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Article"' in page
    markdown = (folder / "index.md").read_text()
    front, body = markdown.split("---\n")[1], markdown.split("---\n", 2)[2]
    assert yaml.safe_load(front) == {
        "title": "Best grinders",
        "slug": "escape",
        "meta_title": "Best grinders & more",
        "meta_description": "Pick one.",
        "excerpt": "Grind fresh every morning.",
        "status": "draft",
        "word_count": 0,
        "keywords": ["burr grinder", "x"],
        "featured_image": None,
        "date": content.created_at.date().isoformat(),
        "language": "en",
    }
    # Text that was escaped in the HTML stays escaped in the Markdown (a renderer passes raw HTML).
    assert body == (
        "\n## Gear \\<script>alert(2)\\</script>\n\nBurrs\n\n[link](https://e.com/a%22%3E%3Cscript%3E)\n\n"
        '![A burr](https://e.com/i.png)\n\n![A "burr" grinder](images/inline.webp)\n'
    )
    assert "<script" not in front and "<script" not in body.replace("\\<script", "")
