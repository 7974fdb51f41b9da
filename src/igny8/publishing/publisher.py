"""What one publication sends to WordPress: images uploaded (once), in-article image URLs
rewritten to the WordPress copies, terms resolved by name, SEO meta where the site exposes it,
the post created or updated, and its returned status checked. HTTP only; the caller stores."""

from __future__ import annotations

import hashlib
import html as html_lib
import mimetypes
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath

import httpx
from bs4 import BeautifulSoup

from igny8.core import outbound
from igny8.publishing import clean
from igny8.publishing.wordpress import WordPressClient, WordPressError, check_url
from igny8.publishing.wordpress.slugs import stored_forms
from igny8.writer.structured_data import script_tags

# Keys SEO plugins register as post meta, in the order we prefer them (first plugin found wins).
SEO_META_KEYS = [
    ("_yoast_wpseo_title", "_yoast_wpseo_metadesc", "_yoast_wpseo_focuskw"),
    ("rank_math_title", "rank_math_description", "rank_math_focus_keyword"),
    ("_aioseo_title", "_aioseo_description", ""),
]
# WordPress (kses) strips <script> from a post saved by a user without unfiltered_html and keeps
# the JSON inside as text at the end of the article: seen on a real WordPress 6.1 with an Author.
NO_SCRIPT_WARNING = (
    "Structured data (JSON-LD) was not sent: this WordPress user lacks the unfiltered_html "
    "capability (an Author, or anyone but a super admin on multisite), so WordPress would remove "
    "the <script> and show its JSON as text in the article. Connect as an Editor or Administrator "
    "to send it."
)


@dataclass
class ImageIn:
    key: str  # our image id, as the key of the record's media map
    image_type: str
    position: int
    local_urls: list[str]  # how the article refers to it (file URL, remote URL)
    alt: str
    read: object  # () -> (filename, bytes)


@dataclass
class PostIn:
    endpoint: str  # posts | pages
    title: str
    html: str
    slug: str
    excerpt: str
    status: str  # draft | publish | future
    date_gmt: datetime | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    category_ids: list[int] = field(default_factory=list)  # picked from the site's own list
    author: int | None = None  # a WordPress user id from the site's authors
    meta_title: str = ""
    meta_description: str = ""
    focus_keyword: str = ""
    parent_id: str = ""
    external_id: str = ""
    # JSON-LD objects (writer/structured_data.py) sent after the article as <script> tags.
    structured_data: list[dict] = field(default_factory=list)


@dataclass
class PostOut:
    post: dict
    media: dict
    warnings: list[str]
    error: str = ""


def download(url: str, *, timeout: float) -> tuple[str, bytes]:
    """An image stored only as a remote URL, fetched for upload (the one outbound policy)."""
    check_url(url)
    with outbound.httpx_client(timeout=timeout, follow_redirects=False) as client:
        response = client.get(url)
    response.raise_for_status()
    return PurePosixPath(httpx.URL(url).path).name or "image.png", response.content


def media_marker(*, key: str, data: bytes) -> str:
    """The slug our upload of this image carries in WordPress: our image id and the file's digest,
    so a retried or repeated upload of the same file finds the item, and a regenerated image (new
    bytes) is a new item."""
    return f"igny8-image-{key}-{hashlib.sha256(data).hexdigest()[:12]}"


def upload_images(client: WordPressClient, images: list[ImageIn], media: dict) -> dict:
    """Fills `media` ({our id: {"id", "url"}}) in place, so what was uploaded before a failure is
    still known to the caller; an image uploaded by an earlier publication is not sent again."""
    for image in images:
        if image.key in media:
            continue
        filename, data = image.read()
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        uploaded = client.upload_media(
            filename=filename,
            data=data,
            content_type=content_type,
            alt_text=clean.plain(image.alt),
            title=clean.html_text(image.alt, max_length=100),
            marker=media_marker(key=image.key, data=data),
        )
        media[image.key] = {"id": uploaded["id"], "url": uploaded["source_url"]}
        if uploaded.get("post"):  # an adopted item may be attached already (null when not)
            media[image.key]["post"] = uploaded["post"]
    return media


def attach_images(client: WordPressClient, images: list[ImageIn], media: dict, *, post_id: int) -> list[str]:
    """Attaches the post's uploaded images to it, each once: uploaded before the post existed,
    they would stay "Unattached" in WordPress's Media Library. The media map remembers the post
    (`post`), so a republish sends nothing, and a post created again gets them anew. A refusal
    is a warning: the post is out and its images show; only the library's link is missing."""
    warnings: list[str] = []
    for image in images:
        entry = media.get(image.key)
        if entry is None or entry.get("post") == post_id:
            continue
        try:
            client.attach_media(media_id=entry["id"], post_id=post_id)
        except WordPressError as error:
            warnings.append(
                f"Image {entry['id']} could not be attached to post {post_id} in WordPress's Media "
                f"Library (it stays Unattached; the post shows it all the same): {error.message}"
            )
            continue
        entry["post"] = post_id
    return warnings


def place_images(article: str, images: list[ImageIn], media: dict) -> str:
    """Points the article's <img> at the WordPress copies (alt filled when missing) and inserts
    in-article images the article does not show yet, each after the first paragraph of the
    section its position names (else at the end)."""
    soup = BeautifulSoup(article, "html.parser")
    shown = set()
    for image in images:
        if image.key not in media:
            continue
        for tag in soup.find_all("img"):
            if tag.get("src") in image.local_urls or tag.get("src") == media[image.key]["url"]:
                tag["src"] = media[image.key]["url"]
                if not tag.get("alt"):
                    tag["alt"] = clean.plain(image.alt)
                shown.add(image.key)
    sections = soup.find_all("h2")
    for image in images:
        if image.image_type != "in_article" or image.key in shown or image.key not in media:
            continue
        figure = soup.new_tag("figure")
        figure.append(soup.new_tag("img", src=media[image.key]["url"], alt=clean.plain(image.alt)))
        anchor = sections[image.position] if image.position < len(sections) else None
        paragraph = anchor.find_next_sibling("p") if anchor else None
        if paragraph is not None:
            paragraph.insert_after(figure)
        else:
            soup.append(figure)
    return str(soup)


def seo_meta(client: WordPressClient, post: PostIn) -> dict:
    """Meta for the first SEO plugin whose keys the site exposes over REST; {} when none does."""
    try:
        schema = client.post_type_schema(post.endpoint)
    except WordPressError:
        return {}
    exposed = set(
        ((schema.get("schema") or {}).get("properties", {}).get("meta") or {}).get("properties") or {}
    )
    for title_key, description_key, focus_key in SEO_META_KEYS:
        if title_key in exposed or description_key in exposed:
            values = {
                title_key: clean.plain(post.meta_title),
                description_key: clean.plain(post.meta_description),
                focus_key: clean.plain(post.focus_keyword),
            }
            return {key: value for key, value in values.items() if key and key in exposed and value}
    return {}


def post_slug(post: PostIn) -> str:
    """The slug we send: the content's, else its title's. WordPress gives a draft sent without one
    no slug at all, and a post without a slug cannot be found again by its marker."""
    return clean.slug(post.slug) or clean.slug(post.title)


def _find_existing(client: WordPressClient, post: PostIn) -> str:
    """A post we created but never recorded (the worker died after WordPress answered): same slug
    (in any form WordPress may have stored it, wordpress/slugs.py) and same title. Anything else
    with our slug belongs to someone else and is left alone."""
    slug = post_slug(post)
    if not slug:
        return ""
    for candidate in client.find_post(endpoint=post.endpoint, slugs=stored_forms(slug)):
        title = candidate.get("title") or {}
        raw = title.get("raw") or html_lib.unescape(title.get("rendered", ""))
        if clean.plain(raw) == clean.plain(post.title):  # both as text: we send the title escaped
            return str(candidate["id"])
    return ""


def verify(post: PostIn, answer: dict) -> str:
    """'' when WordPress kept the status we asked for, else what went wrong."""
    got = answer.get("status", "")
    if got == post.status:
        return ""
    if post.status == "future" and got == "publish":
        return ""  # WordPress publishes a "future" post whose date has already passed
    if got == "pending":
        return (
            "WordPress saved the post as pending review: the user may not publish; give it the "
            "Author or Editor role."
        )
    return f"WordPress saved the post as {got!r}, not {post.status!r}."


def push_post(client: WordPressClient, post: PostIn, *, featured_id: int | None) -> tuple[dict, list[str]]:
    """The last step before the wire, so every text field goes through clean.py here (the module
    says what WordPress does with each)."""
    warnings: list[str] = []
    data: dict = {
        "title": clean.html_text(post.title),
        # The JSON-LD goes after the sanitiser, which would drop <script>; it is ours, not text.
        "content": "\n".join(
            part for part in (clean.article(post.html), script_tags(post.structured_data)) if part
        ),
        "slug": post_slug(post),
        "excerpt": clean.html_text(post.excerpt),
        "status": post.status,
    }
    if post.date_gmt is not None:
        data["date_gmt"] = post.date_gmt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if featured_id:
        data["featured_media"] = featured_id
    if post.author:
        data["author"] = post.author
    if post.endpoint == "posts":
        named = [
            client.term_id(taxonomy="categories", name=name) for name in clean.term_names(post.categories)
        ]
        data["categories"] = list(dict.fromkeys([*post.category_ids, *named]))
        data["tags"] = [client.term_id(taxonomy="tags", name=name) for name in clean.term_names(post.tags)]
    elif post.parent_id:
        data["parent"] = int(post.parent_id)
    meta = seo_meta(client, post)
    if meta:
        data["meta"] = meta
    elif post.meta_title or post.meta_description:
        warnings.append(
            "The site exposes no SEO plugin meta over REST; meta title/description were not sent."
        )
    post_id = post.external_id or _find_existing(client, post)
    if post_id:
        try:
            return client.save_post(endpoint=post.endpoint, data=data, post_id=post_id), warnings
        except WordPressError as error:
            if error.status != 404:
                raise
            warnings.append(f"Post {post_id} no longer exists in WordPress; a new one was created.")
    return create_post(client, post, data), warnings


def create_post(client: WordPressClient, post: PostIn, data: dict) -> dict:
    """Creates the post exactly once: after a timeout or a 5xx it is looked up by its marker (our
    slug and title, as _find_existing) and adopted (updated with the same data) when it is there."""
    return client.create_once_or_adopt(
        create=lambda: client.create_post_once(endpoint=post.endpoint, data=data),
        find=lambda: _find_existing(client, post),
        adopt=lambda post_id: client.save_post(endpoint=post.endpoint, data=data, post_id=post_id),
    )


def scripts_kept(client: WordPressClient) -> bool:
    """Whether WordPress keeps a <script> in posts this user saves: only with unfiltered_html
    (Editors and Administrators of a single site). A capability list that does not say so counts
    as no: the JSON-LD shown as text is worse than no JSON-LD."""
    return bool(client.capabilities().get("unfiltered_html"))


def publish(client: WordPressClient, post: PostIn, images: list[ImageIn], known_media: dict) -> PostOut:
    warnings: list[str] = []
    if post.structured_data and not scripts_kept(client):
        post.structured_data = []
        warnings.append(NO_SCRIPT_WARNING)
    media = upload_images(client, images, known_media)
    post.html = place_images(post.html, images, media)
    featured = next(
        (media[i.key]["id"] for i in images if i.image_type == "featured" and i.key in media), None
    )
    served = next((media[i.key]["url"] for i in images if i.image_type == "featured" and i.key in media), "")
    if served and post.structured_data and post.structured_data[0].get("@type") == "Article":
        post.structured_data[0] = {**post.structured_data[0], "image": [served]}  # the copy WordPress serves
    answer, pushed = push_post(client, post, featured_id=featured)
    attached = attach_images(client, images, media, post_id=answer["id"])
    return PostOut(
        post=answer, media=media, warnings=[*warnings, *pushed, *attached], error=verify(post, answer)
    )


def parse_wp_date(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
