"""Export articles as HTML and as Markdown with front matter, with their images: one implementation
for the CLI (`igny8 pipeline ... --export DIR`), the API and the web (one article as a file, or a
selection / a whole site as a zip).

<slug>/index.html   a standalone page: title, meta description, featured image, article
<slug>/index.md     YAML front matter + the article converted to Markdown
<slug>/images/...   the article's generated image files, referenced relatively by both

In-article images are placed as the publisher places them for WordPress (after the first paragraph
of the section their position names), so an export shows what a publication would.

AI text is untrusted here as on WordPress (clean.py): the article is sanitised again, every other
value is plain text, escaped in the HTML page, and the Markdown carries no raw HTML (a renderer
would pass it through), so nothing exported can open a `<script` — except our own JSON-LD block
(writer.structured_data), whose text is plain values with every '<' escaped.
"""

from __future__ import annotations

import html
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import yaml
from django.core.files.storage import default_storage
from markdownify import MarkdownConverter

from igny8.accounts.models import Site
from igny8.publishing import clean, linker, publisher
from igny8.publishing.services import image_alt
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
FORMATS = {"html": ("index.html", "text/html"), "md": ("index.md", "text/markdown")}
# A zip bigger than this stays on disk while it is sent, not in memory.
ZIP_IN_MEMORY = 16 * 1024 * 1024

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


@dataclass
class ArticleExport:
    folder: str  # the article's folder name (its slug, made safe)
    html: str
    markdown: str
    body: str = ""  # the article alone, images placed (what "Copy HTML" copies)
    images: dict[str, Image] = field(default_factory=dict)  # path relative to the folder -> image

    def file(self, fmt: str) -> tuple[str, str, str]:
        """(file name, media type, text) of one format: html or md."""
        name, media_type = FORMATS[fmt]
        text = self.html if fmt == "html" else self.markdown
        return f"{self.folder}.{name.rsplit('.', 1)[1]}", media_type, text


def article_images(content: Content) -> list[Image]:
    return list(
        Image.objects.filter(
            content=content,
            status=ImageStatus.GENERATED,
            image_type__in=[ImageType.FEATURED, ImageType.IN_ARTICLE],
        )
        .exclude(file="")
        .order_by("image_type", "position", "pk")
    )


def article_body(*, content: Content, images: list[Image], src: Callable[[Image], str]) -> str:
    """The sanitised article with its in-article images where the publisher would put them."""
    placed = [
        publisher.ImageIn(
            key=str(image.pk),
            image_type=image.image_type,
            position=image.position,
            local_urls=[],
            alt=image_alt(image, content),
            read=None,
        )
        for image in images
        if image.image_type == ImageType.IN_ARTICLE
    ]
    media = {str(image.pk): {"id": 0, "url": src(image)} for image in images}
    # Links to articles not published yet point nowhere outside IGNY8: kept as text, as WordPress gets them.
    body, _ = linker.links_resolve(html=clean.article(content.html), site=content.site)
    return publisher.place_images(body, placed, media) if placed else body


def article_export(*, content: Content, image_src: Callable[[Image], str] | None = None) -> ArticleExport:
    """One article in both formats. Images are referenced as images/<file> (the folder layout)
    unless `image_src` says otherwise (a single downloaded file points at the served images)."""
    folder = clean.slug(content.slug) or f"content-{content.pk}"
    images = article_images(content)
    relative = {image.pk: f"images/{PurePosixPath(image.file.name).name}" for image in images}
    src = image_src or (lambda image: relative[image.pk])
    featured = next((i for i in images if i.image_type == ImageType.FEATURED), None)
    featured_tag = ""
    if featured is not None:
        alt = html.escape(clean.plain(content.title), quote=True)
        featured_tag = f'<img src="{html.escape(src(featured), quote=True)}" alt="{alt}">'
    body = article_body(content=content, images=images, src=src)
    title = clean.plain(content.title)
    # The language and direction of the profile it was written in, and its JSON-LD (issue 14).
    structured = content_structured_data_refresh(content=content)
    language = structured[0]["inLanguage"]
    page = PAGE.format(
        language=html.escape(language, quote=True),
        direction="rtl" if is_right_to_left(language) else "ltr",
        structured_data=script_tags(structured),
        title=html.escape(clean.plain(content.meta_title) or title),
        description=html.escape(clean.plain(content.meta_description), quote=True),
        heading=html.escape(title),
        featured=featured_tag,
        body=body,
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
        "featured_image": src(featured) if featured is not None else None,
        "date": content.created_at.date().isoformat(),
        "language": language,
    }
    text = (
        "---\n"
        + yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
        + "---\n\n"
        + markdown(body)
        + "\n"
    )
    return ArticleExport(folder=folder, html=page, markdown=text, images={relative[i.pk]: i for i in images})


def _unique_folders(contents: Iterable[Content]) -> Iterable[tuple[Content, ArticleExport]]:
    """Each article with its export; a folder name already taken gets the article's id appended."""
    taken: set[str] = set()
    for content in contents:
        exported = article_export(content=content)
        if exported.folder in taken:
            exported.folder = f"{exported.folder}-{content.pk}"
        taken.add(exported.folder)
        yield content, exported


def export_content(*, content: Content, directory: Path, exported: ArticleExport | None = None) -> Path:
    exported = exported or article_export(content=content)
    # The slug is a folder name here: slugified (clean.slug) so no value can climb out of `directory`.
    folder = directory / exported.folder
    folder.mkdir(parents=True, exist_ok=True)
    for relative, image in exported.images.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(image.file.name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
    (folder / "index.html").write_text(exported.html, encoding="utf-8")
    (folder / "index.md").write_text(exported.markdown, encoding="utf-8")
    return folder


def site_contents(*, site: Site):
    return Content.objects.filter(site=site).select_related("task").order_by("pk")


def site_zip_name(*, site: Site) -> str:
    return f"{clean.slug(site.name) or 'site'}-articles.zip"


def export_site(*, site: Site, directory: Path) -> list[Path]:
    """What the CLI's `--export DIR` writes: one folder per article of the site."""
    directory.mkdir(parents=True, exist_ok=True)
    return [
        export_content(content=content, directory=directory, exported=exported)
        for content, exported in _unique_folders(site_contents(site=site))
    ]


def contents_zip(*, contents: Iterable[Content]) -> tuple[tempfile.SpooledTemporaryFile, list[str]]:
    """A zip of the articles in the folder layout above, rewound for reading, and its file names."""
    # Returned open: the caller sends and closes it (FileResponse closes it after the last byte).
    out = tempfile.SpooledTemporaryFile(max_size=ZIP_IN_MEMORY)  # noqa: SIM115
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for _, exported in _unique_folders(contents):
            archive.writestr(f"{exported.folder}/index.html", exported.html)
            archive.writestr(f"{exported.folder}/index.md", exported.markdown)
            for relative, image in exported.images.items():
                # Images are compressed already: stored as they are.
                with default_storage.open(image.file.name, "rb") as source:
                    archive.writestr(f"{exported.folder}/{relative}", source.read(), zipfile.ZIP_STORED)
        names = archive.namelist()
    out.seek(0)
    return out, names
