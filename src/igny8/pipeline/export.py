"""Export a site's articles as HTML and as Markdown with front matter, with their images.

DIR/<slug>/index.html   a standalone page: title, meta description, featured image, article
DIR/<slug>/index.md     YAML front matter + the article converted to Markdown
DIR/<slug>/images/...   the article's generated image files, referenced relatively by both

AI text is untrusted here as on WordPress (publishing/clean.py): the article is sanitised again,
every other value is plain text, escaped in the HTML page, and the Markdown carries no raw HTML
(a renderer would pass it through), so nothing exported can open a `<script`.
"""

import html
import shutil
from pathlib import Path
from urllib.parse import quote

import yaml
from django.core.files.storage import default_storage
from markdownify import MarkdownConverter

from igny8.accounts.models import Site
from igny8.publishing import clean
from igny8.system.voice import is_right_to_left
from igny8.writer.models import Content, Image, ImageStatus, ImageType
from igny8.writer.structured_data import content_structured_data_refresh, script_tags

PAGE = """<!doctype html>
<html lang="{language}" dir="{direction}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="description" content="{description}">
{structured_data}
</head>
<body>
<article>
<h1>{heading}</h1>
{featured}
{body}
</article>
</body>
</html>
"""


# Characters a URL keeps as they are; the rest (`<`, `>`, `"`, spaces, ...) are percent-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


class _Markdown(MarkdownConverter):
    """markdownify writes an article's text as it reads it, so text that was escaped in the HTML
    (`&lt;script&gt;`) would become raw HTML in the Markdown. Text `<` is backslash-escaped, link
    and image addresses percent-encoded, alt and title attributes plain text."""

    def escape(self, text, parent_tags):
        return super().escape(text, parent_tags).replace("<", "\\<")

    def _tidy(self, el) -> None:
        for name in ("href", "src"):
            if el.get(name):
                el[name] = quote(el[name], safe=_URL_SAFE)
        for name in ("alt", "title"):
            if el.get(name):
                el[name] = self.escape(clean.plain(el[name]), set())

    def convert_a(self, el, text, parent_tags):
        self._tidy(el)
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        self._tidy(el)
        return super().convert_img(el, text, parent_tags)


def markdown(body: str) -> str:
    return _Markdown(heading_style="ATX", bullets="-").convert(body).strip()


def _copy_images(content: Content, folder: Path) -> dict[int, str]:
    """Image id -> path relative to the article folder, for the images that have a file."""
    copied: dict[int, str] = {}
    images = Image.objects.filter(content=content, status=ImageStatus.GENERATED).exclude(file="")
    for image in images.order_by("image_type", "position", "pk"):
        name = Path(image.file.name).name
        target = folder / "images" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(image.file.name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        copied[image.pk] = f"images/{name}"
    return copied


def _featured(content: Content, copied: dict[int, str]) -> tuple[str, str]:
    image = (
        Image.objects.filter(content=content, image_type=ImageType.FEATURED, pk__in=copied)
        .order_by("position")
        .first()
    )
    if image is None:
        return "", ""
    alt = html.escape(clean.plain(content.title), quote=True)
    return f'<img src="{html.escape(copied[image.pk], quote=True)}" alt="{alt}">', copied[image.pk]


def _in_article(content: Content, copied: dict[int, str]) -> str:
    """In-article images follow the article, each in its own figure, in position order."""
    figures = [
        f'<figure><img src="{html.escape(copied[image.pk], quote=True)}" '
        f'alt="{html.escape(clean.plain(image.prompt, max_length=120), quote=True)}"></figure>'
        for image in Image.objects.filter(
            content=content, image_type=ImageType.IN_ARTICLE, pk__in=copied
        ).order_by("position")
    ]
    return "\n".join(figures)


def export_content(*, content: Content, directory: Path) -> Path:
    # The slug is a folder name here: slugified again so no value can climb out of `directory`.
    folder = directory / (clean.slug(content.slug) or f"content-{content.pk}")
    folder.mkdir(parents=True, exist_ok=True)
    copied = _copy_images(content, folder)
    featured_tag, featured_path = _featured(content, copied)
    body = clean.article(content.html) + ("\n" + _in_article(content, copied) if copied else "")
    title = clean.plain(content.title)
    # The language and direction of the profile it was written in; its JSON-LD (issue 14).
    structured = content_structured_data_refresh(content=content)
    language = structured[0]["inLanguage"]
    (folder / "index.html").write_text(
        PAGE.format(
            language=html.escape(language, quote=True),
            direction="rtl" if is_right_to_left(language) else "ltr",
            structured_data=script_tags(structured),
            title=html.escape(clean.plain(content.meta_title) or title),
            description=html.escape(clean.plain(content.meta_description), quote=True),
            heading=html.escape(title),
            featured=featured_tag,
            body=body,
        ),
        encoding="utf-8",
    )
    # safe_dump quotes what YAML needs quoted; clean.plain keeps markup out of every value, since
    # static-site generators (Jekyll's {{ page.title }}) print front matter unescaped.
    front = {
        "title": title,
        "slug": clean.slug(content.slug),
        "meta_title": clean.plain(content.meta_title),
        "meta_description": clean.plain(content.meta_description),
        "excerpt": clean.plain(content.excerpt),
        "status": content.status,
        "word_count": content.word_count,
        "keywords": clean.term_names(content.task.keywords) if content.task_id else [],
        "featured_image": featured_path or None,
        "date": content.created_at.date().isoformat(),
        "language": language,
    }
    (folder / "index.md").write_text(
        "---\n"
        + yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
        + "---\n\n"
        + markdown(body)
        + "\n",
        encoding="utf-8",
    )
    return folder


def export_site(*, site: Site, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    contents = Content.objects.filter(site=site).select_related("task").order_by("pk")
    return [export_content(content=content, directory=directory) for content in contents]
