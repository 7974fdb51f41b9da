"""Export a site's articles as HTML and as Markdown with front matter, with their images.

DIR/<slug>/index.html   a standalone page: title, meta description, featured image, article
DIR/<slug>/index.md     YAML front matter + the article converted to Markdown
DIR/<slug>/images/...   the article's generated image files, referenced relatively by both
"""

import html
import shutil
from pathlib import Path

import yaml
from django.core.files.storage import default_storage
from markdownify import markdownify

from igny8.accounts.models import Site
from igny8.writer.models import Content, Image, ImageStatus, ImageType

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="description" content="{description}">
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
    alt = html.escape(content.title, quote=True)
    return f'<img src="{copied[image.pk]}" alt="{alt}">', copied[image.pk]


def _in_article(content: Content, copied: dict[int, str]) -> str:
    """In-article images follow the article, each in its own figure, in position order."""
    figures = [
        f'<figure><img src="{copied[image.pk]}" alt="{html.escape(image.prompt[:120], quote=True)}"></figure>'
        for image in Image.objects.filter(
            content=content, image_type=ImageType.IN_ARTICLE, pk__in=copied
        ).order_by("position")
    ]
    return "\n".join(figures)


def export_content(*, content: Content, directory: Path) -> Path:
    folder = directory / (content.slug or f"content-{content.pk}")
    folder.mkdir(parents=True, exist_ok=True)
    copied = _copy_images(content, folder)
    featured_tag, featured_path = _featured(content, copied)
    body = content.html + ("\n" + _in_article(content, copied) if copied else "")
    (folder / "index.html").write_text(
        PAGE.format(
            title=html.escape(content.meta_title or content.title),
            description=html.escape(content.meta_description, quote=True),
            heading=html.escape(content.title),
            featured=featured_tag,
            body=body,
        ),
        encoding="utf-8",
    )
    front = {
        "title": content.title,
        "slug": content.slug,
        "meta_title": content.meta_title,
        "meta_description": content.meta_description,
        "excerpt": content.excerpt,
        "status": content.status,
        "word_count": content.word_count,
        "keywords": list(content.task.keywords) if content.task_id else [],
        "featured_image": featured_path or None,
        "date": content.created_at.date().isoformat(),
    }
    markdown = markdownify(body, heading_style="ATX", bullets="-").strip()
    (folder / "index.md").write_text(
        "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + markdown + "\n",
        encoding="utf-8",
    )
    return folder


def export_site(*, site: Site, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    contents = Content.objects.filter(site=site).select_related("task").order_by("pk")
    return [export_content(content=content, directory=directory) for content in contents]
