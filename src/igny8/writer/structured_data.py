"""JSON-LD for articles: Article for every article (headline, description, image, dates, author
from the author profile, language) and FAQPage when it has an FAQ. Stored with the content
(Content.structured_data, refreshed whenever the article is written or published) and sent in the
WordPress body; `script_tags` renders it where HTML goes."""

from __future__ import annotations

import html
import json
from datetime import UTC

import nh3

from igny8.writer.models import Content, Image, ImageType

HEADLINE_MAX = 110  # Google's Article headline limit


def plain(text: str) -> str:
    """Text without markup for a JSON-LD value: tags (and script bodies) dropped, entities decoded,
    again until nothing changes (an encoded tag is a tag once decoded), spaces collapsed."""
    value = str(text or "")
    for _ in range(4):
        stripped = html.unescape(nh3.clean(value, tags=set()))
        if stripped == value:
            break
        value = stripped
    return (
        " ".join(value.replace("<", " ").replace(">", " ").split())
        if "<" in value
        else " ".join(value.split())
    )


def _iso(value) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def _featured_url(content: Content) -> str:
    image = (
        Image.objects.filter(content=content, image_type=ImageType.FEATURED, position=0)
        .exclude(url="", file="")
        .first()
    )
    if image is None:
        return ""
    return image.url or (image.file.url if image.file else "")


def article_jsonld(*, content: Content, author: str, language: str, image: str = "") -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": plain(content.title)[:HEADLINE_MAX],
        "description": plain(content.meta_description or content.excerpt),
        "inLanguage": language,
        "datePublished": _iso(content.published_at or content.created_at),
        "dateModified": _iso(content.updated_at or content.created_at),
        "author": {"@type": "Person", "name": plain(author)},
    }
    if image:
        data["image"] = [image]
    if content.external_url:
        data["mainEntityOfPage"] = content.external_url
    return data


def faq_jsonld(faq: list[dict]) -> dict | None:
    entries = [entry for entry in faq if entry.get("question") and entry.get("answer")]
    if not entries:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": plain(entry["question"]),
                "acceptedAnswer": {"@type": "Answer", "text": plain(entry["answer"])},
            }
            for entry in entries
        ],
    }


def content_structured_data(*, content: Content, image: str | None = None) -> list[dict]:
    """The content's JSON-LD objects; the author and language are those of the profile its site
    or sector writes in (the site's name when there is none). `image` overrides the featured
    image's URL (the copy WordPress serves once uploaded)."""
    from igny8.system.author_profiles import voice_for

    sector = content.sector if content.sector_id else None
    voice = voice_for(site=content.site, sector=sector)
    author = voice.profile_name or content.site.name
    url = image if image is not None else _featured_url(content)
    found = [article_jsonld(content=content, author=author, language=voice.language, image=url)]
    faq = faq_jsonld(content.faq or [])
    if faq is not None:
        found.append(faq)
    return found


def content_structured_data_refresh(*, content: Content) -> list[dict]:
    """Recomputes and stores it (dates, images and the profile may have changed since)."""
    data = content_structured_data(content=content)
    Content.objects.filter(pk=content.pk).update(structured_data=data)
    content.structured_data = data
    return data


def script_tags(data: list[dict]) -> str:
    """<script type="application/ld+json"> per object; '<' is escaped so no text can close the tag."""
    return "\n".join(
        '<script type="application/ld+json">'
        + json.dumps(item, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
        + "</script>"
        for item in data
    )
