"""Writes for publishing: test a site's WordPress connection, publish contents (idempotently:
one record and one post per content), and queue publications for the worker."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from igny8.accounts.models import Site
from igny8.core import events, jobs
from igny8.core.errors import Conflict, DomainError, Invalid
from igny8.publishing import clean, linker, publisher, readiness, selectors
from igny8.publishing.models import PublishRecord, PublishStatus, WPStatus
from igny8.publishing.wordpress import UnsafeURL, WordPressClient, WordPressError, client_for_site
from igny8.publishing.wordpress.connection import ConnectionReport, connection_test
from igny8.writer.models import Content, ContentStatus, Image, ImageStatus
from igny8.writer.structured_data import content_structured_data_refresh

log = logging.getLogger(__name__)
# A record left "publishing" this long lost its worker; another attempt may claim it.
STALE_CLAIM = timedelta(minutes=15)
MAX_TAGS = 5
PUBLISH_FAILURES = (WordPressError, UnsafeURL, httpx.HTTPError, OSError)


def site_connection_test(*, site: Site) -> ConnectionReport:
    """Runs while someone waits (Settings and the API's test endpoint): one try per call with the
    short request timeout, not the publisher's retries, so a dead address costs seconds."""
    try:
        client = client_for_site(site, timeout=settings.OUTBOUND_REQUEST_TIMEOUT_SECONDS, max_attempts=1)
    except (UnsafeURL, WordPressError) as error:
        return ConnectionReport(ok=False, message=str(error), code="not_configured")
    with client:
        return connection_test(client)


def publish_options_check(*, wp_status: str, wp_date: datetime | None) -> None:
    if wp_status not in WPStatus.values:
        raise Invalid(errors={"status": [f"Must be one of {', '.join(WPStatus.values)}."]})
    if wp_status == WPStatus.FUTURE and (wp_date is None or wp_date <= timezone.now()):
        raise Invalid(errors={"scheduled_at": ["Status future needs a date in the future."]})


def record_get(*, content: Content) -> PublishRecord:
    record = selectors.record_for(content=content)
    if record is not None:
        return record
    try:
        with transaction.atomic():
            return PublishRecord.objects.create(
                account_id=content.account_id,
                site_id=content.site_id,
                sector_id=content.sector_id,
                content=content,
            )
    except IntegrityError:  # created by a concurrent publication a moment ago
        return PublishRecord.objects.get(content=content, destination="wordpress")


def _free() -> Q:
    """Nobody is publishing the record, or whoever was went quiet for STALE_CLAIM (core.jobs; the
    record's updated_at is its heartbeat)."""
    return jobs.free(busy=PublishStatus.PUBLISHING, seconds=STALE_CLAIM.total_seconds(), field="updated_at")


def _claim(record: PublishRecord) -> bool:
    """One publication of a content at a time: two workers must not both create its post. A record
    left publishing longer than STALE_CLAIM lost its worker and is taken over."""
    return jobs.claim(
        PublishRecord, pk=record.pk, seen=_free(), status=PublishStatus.PUBLISHING, updated_at=timezone.now()
    )


def _busy(content: Content) -> Conflict:
    return Conflict(f"Content {content.pk} is being published right now; try again in a moment.")


def image_alt(image: Image, content: Content) -> str:
    """Plain text first, then cut, so markup in a title or prompt does not use up the 125 characters."""
    if image.alt_text.strip():  # written by a person: theirs
        return clean.plain(image.alt_text, max_length=125)
    if image.image_type == "featured":
        return clean.plain(content.title, max_length=125)
    text = clean.plain((image.prompt or "").split(".")[0])
    return clean.plain(text or f"{content.title} - image {image.position + 1}", max_length=125)


def _reader(image: Image):
    def read() -> tuple[str, bytes]:
        if image.file:
            with image.file.open("rb") as handle:
                return image.file.name.rsplit("/", 1)[-1], handle.read()
        return publisher.download(image.url, timeout=settings.WORDPRESS_TIMEOUT_SECONDS)

    return read


def _images_in(content: Content) -> list[publisher.ImageIn]:
    images = []
    for image in Image.objects.filter(content=content, status=ImageStatus.GENERATED).order_by(
        "image_type", "position"
    ):
        if not image.file and not image.url:
            continue
        local = [image.url] if image.url else []
        if image.file:
            local.append(image.file.url)
        images.append(
            publisher.ImageIn(
                key=str(image.pk),
                image_type=image.image_type,
                position=image.position,
                local_urls=local,
                alt=image_alt(image, content),
                read=_reader(image),
            )
        )
    return [i for i in images if i.image_type in ("featured", "in_article")]


def _post_in(content: Content, record: PublishRecord) -> publisher.PostIn:
    keywords = selectors.content_keywords(content=content)
    options = record.options or {}
    cluster = content.task.cluster if content.task and content.task.cluster_id else None
    categories = options.get("categories")
    if categories is None:
        categories = [cluster.name] if cluster else []
    tags = options.get("tags")
    if tags is None:
        tags = [k for k in [keywords.primary, *keywords.secondary] if k][:MAX_TAGS]
    page = getattr(content, "site_page", None) if content.content_type == "page" else None
    parent = page.parent.content if page is not None and page.parent and page.parent.content else None
    return publisher.PostIn(
        endpoint="pages" if content.content_type == "page" else "posts",
        title=content.title,
        html=content.html,
        slug=content.slug,
        excerpt=content.excerpt,
        status=record.wp_status,
        date_gmt=record.wp_date if record.wp_status == WPStatus.FUTURE else None,
        categories=categories,
        category_ids=[int(i) for i in options.get("category_ids") or []],
        author=options.get("author"),
        tags=tags,
        meta_title=content.meta_title,
        meta_description=content.meta_description,
        focus_keyword=keywords.primary,
        parent_id=parent.external_id if parent else "",
        external_id=record.external_id or content.external_id,
        structured_data=content_structured_data_refresh(content=content),
    )


def _log(record: PublishRecord, **event) -> list:
    return [*record.log, {"at": timezone.now().isoformat(), **event}][-20:]


@transaction.atomic
def _store_failure(*, record: PublishRecord, media: dict, error: str) -> None:
    PublishRecord.objects.filter(pk=record.pk).update(
        status=PublishStatus.FAILED,
        error=error,
        media=media,
        attempts=record.attempts + 1,
        log=_log(record, event="failed", error=error[:500]),
        updated_at=timezone.now(),
    )


@transaction.atomic
def _store_success(*, record: PublishRecord, content: Content, out: publisher.PostOut) -> None:
    post = out.post
    remote = post.get("status", "")
    when = publisher.parse_wp_date(post.get("date_gmt"))
    external_id, url = str(post["id"]), str(post.get("link") or "")[:500]
    fields = {"external_id": external_id, "external_url": url}
    if remote == "publish":
        fields.update(status=ContentStatus.PUBLISHED, published_at=when, scheduled_at=None)
    elif remote == "future":
        fields.update(scheduled_at=when)
    Content.objects.filter(pk=content.pk).update(**fields, updated_at=timezone.now())
    error = " ".join(filter(None, [out.error]))
    PublishRecord.objects.filter(pk=record.pk).update(
        status=PublishStatus.FAILED if out.error else PublishStatus.PUBLISHED,
        external_id=external_id,
        external_url=url,
        remote_status=remote,
        media=out.media,
        error=error,
        attempts=record.attempts + 1,
        published_at=when if remote == "publish" else record.published_at,
        log=_log(record, event="sent", remote_status=remote, post_id=external_id, warnings=out.warnings),
        updated_at=timezone.now(),
    )


def _with_choices(
    options: dict,
    *,
    categories: list[str] | None = None,
    tags: list[str] | None = None,
    category_ids: list[int] | None = None,
    author: int | None = None,
) -> dict:
    """A record's options with the request's WordPress choices; what a request leaves out keeps
    the record's earlier choice. Category ids and the author were checked against the site's
    lists (publishing.pickers) and are sent as they are."""
    chosen = {"categories": categories, "tags": tags, "category_ids": category_ids, "author": author}
    return {**(options or {}), **{key: value for key, value in chosen.items() if value is not None}}


def content_publish(
    *,
    content: Content,
    wp_status: str = WPStatus.DRAFT,
    wp_date: datetime | None = None,
    categories: list[str] | None = None,
    tags: list[str] | None = None,
    client: WordPressClient | None = None,
    link: bool = True,
    force: bool = False,
    category_ids: list[int] | None = None,
    author: int | None = None,
) -> PublishRecord:
    """Sends one content to its site's WordPress now (as a draft unless told otherwise): what the
    worker and automation run; a web request queues with content_publish_now instead.
    Republishing updates the same post. Failures are stored on the record (status failed, error)
    rather than raised; a publication already in progress for this content is a 409, and so is a
    live publication of an offline draft or a failed article without `force`."""
    publish_options_check(wp_status=wp_status, wp_date=wp_date)
    readiness.live_publish_check(content=content, wp_status=wp_status, force=force)
    record = record_get(content=content)
    if not _claim(record):
        raise _busy(content)
    options = _with_choices(
        record.options, categories=categories, tags=tags, category_ids=category_ids, author=author
    )
    PublishRecord.objects.filter(pk=record.pk).update(wp_status=wp_status, wp_date=wp_date, options=options)
    record.refresh_from_db()
    media = dict(record.media)
    try:
        if link:
            linker.links_apply(content=content, max_links=settings.INTERNAL_LINKS_PER_ARTICLE)
            content.refresh_from_db()
        post_in = _post_in(content, record)
        # Links to articles not published yet go live only once their target has a URL.
        post_in.html, link_warnings = linker.links_resolve(html=post_in.html, site=content.site)
        images = _images_in(content)
        own_client = client is None
        wp = client or client_for_site(content.site)
        try:
            out = publisher.publish(wp, post_in, images, media)
        finally:
            if own_client:
                wp.close()
    except PUBLISH_FAILURES as error:
        log.info("Publishing content %s failed: %s", content.pk, error)
        _store_failure(record=record, media=media, error=str(error))
    else:
        out.warnings = [*out.warnings, *link_warnings]
        _store_success(record=record, content=content, out=out)
    record.refresh_from_db()
    if record.status == PublishStatus.PUBLISHED and record.remote_status == WPStatus.PUBLISH:
        _republish_linking(content=content)
    if record.status == PublishStatus.PUBLISHED:
        events.emit_safely(
            account=content.account,
            site=content.site,
            event_type="content_published",
            context={"content_ids": [content.pk]},
        )
    return record


def _republish_linking(*, content: Content) -> None:
    """Articles already in WordPress that wait to link to this one are sent again (queued, with
    their own options), so the link goes live now that both are published."""
    for source in linker.linking_to(content=content):
        record = selectors.record_for(content=source)
        # Sent again as WordPress holds it now (a draft stays a draft); scheduled posts wait.
        if record is None or record.status != PublishStatus.PUBLISHED:
            continue
        if record.remote_status not in (WPStatus.DRAFT, WPStatus.PUBLISH):
            continue
        try:
            contents_queue(
                site=content.site,
                contents=[source],
                wp_status=record.remote_status,
                force=bool((record.options or {}).get("force")),
            )
        except DomainError as refusal:  # e.g. it became an offline draft: it waits
            log.info("Not republishing content %s: %s", source.pk, refusal)


def contents_publish(
    *,
    site: Site,
    contents: list[Content],
    wp_status: str = WPStatus.DRAFT,
    wp_date: datetime | None = None,
    categories: list[str] | None = None,
    tags: list[str] | None = None,
    force: bool = False,
) -> list[PublishRecord]:
    """Publishes each content of the site now, in order, over one connection; one failure does
    not stop the others, and an article that may not go live (readiness.py) is stored as failed
    with the reason, not sent. What automation's publish_to_wordpress action calls."""
    publish_options_check(wp_status=wp_status, wp_date=wp_date)
    foreign = [c.pk for c in contents if c.site_id != site.pk]
    if foreign:
        raise Invalid(errors={"ids": [f"Content {foreign[0]} does not belong to site {site.pk}."]})
    records = []
    try:
        client = client_for_site(site)
    except (UnsafeURL, WordPressError) as error:
        for content in contents:
            record = record_get(content=content)
            _store_failure(record=record, media=record.media, error=str(error))
            record.refresh_from_db()
            records.append(record)
        return records
    with client:
        for content in contents:
            try:
                record = content_publish(
                    content=content,
                    wp_status=wp_status,
                    wp_date=wp_date,
                    categories=categories,
                    tags=tags,
                    client=client,
                    force=force,
                )
            except Conflict as refusal:
                record = _refusal_stored(content=content, refusal=refusal)
            records.append(record)
    return records


def _refusal_stored(*, content: Content, refusal: Conflict) -> PublishRecord:
    """A publication the rules refused, kept on the record so lists and runs show why."""
    record = record_get(content=content)
    if record.status != PublishStatus.PUBLISHING:  # another worker's publication is not ours to fail
        _store_failure(record=record, media=record.media, error=refusal.message)
    record.refresh_from_db()
    return record


def _record_queue(
    *, content: Content, wp_status: str, wp_date: datetime | None, force: bool, **choices: list | int | None
) -> tuple[PublishRecord, bool]:
    """Marks the content's record queued with this publication's options (the WordPress choices
    of _with_choices and `force`, all the worker reads); False when someone is publishing it right
    now (the record is left as it is)."""
    record = record_get(content=content)
    options = {**_with_choices(record.options, **choices), "force": force}
    # updated_at restarts the lost-message clock of publish_due (scheduling.due_records).
    queued = PublishRecord.objects.filter(_free(), pk=record.pk).update(
        status=PublishStatus.QUEUED,
        wp_status=wp_status,
        wp_date=wp_date,
        error="",
        options=options,
        updated_at=timezone.now(),
    )
    record.refresh_from_db()
    return record, bool(queued)


def _send(records: list[PublishRecord]) -> None:
    # By name (core.jobs), after commit; a broker that is down leaves the records queued and
    # publish_due picks them up.
    jobs.enqueue(task_name="igny8.publishing.tasks.publish_records", args=[[r.pk for r in records]])


@transaction.atomic
def contents_queue(
    *,
    site: Site,
    contents: list[Content],
    wp_status: str = WPStatus.DRAFT,
    wp_date: datetime | None = None,
    force: bool = False,
    categories: list[str] | None = None,
    tags: list[str] | None = None,
    category_ids: list[int] | None = None,
    author: int | None = None,
) -> list[PublishRecord]:
    """Marks the contents queued and hands them to the worker after commit (the API's bulk path).
    A live publication that includes an offline draft or a failed article is refused as a whole
    (naming them) unless `force`: nothing is queued. One being published right now is left to
    that publication."""
    publish_options_check(wp_status=wp_status, wp_date=wp_date)
    if wp_status != WPStatus.DRAFT and not force:
        blocked = [(c, readiness.live_refusal(content=c)) for c in contents]
        blocked = [(c, reason) for c, reason in blocked if reason]
        if blocked:
            named = "; ".join(f"“{c.title}”: {reason}" for c, reason in blocked[:5])
            more = f" and {len(blocked) - 5} more" if len(blocked) > 5 else ""
            raise Conflict(
                f"Not queued, {len(blocked)} of the {len(contents)} articles may not go live. {named}{more}. "
                "Publish them as drafts, or confirm publishing them anyway (force: true).",
                code="not_ready_to_publish",
            )
    choices = {"categories": categories, "tags": tags, "category_ids": category_ids, "author": author}
    records = [
        _record_queue(content=content, wp_status=wp_status, wp_date=wp_date, force=force, **choices)[0]
        for content in contents
    ]
    _send(records)
    return records


@transaction.atomic
def content_publish_now(
    *,
    content: Content,
    wp_status: str = WPStatus.DRAFT,
    wp_date: datetime | None = None,
    categories: list[str] | None = None,
    tags: list[str] | None = None,
    category_ids: list[int] | None = None,
    author: int | None = None,
    force: bool = False,
) -> PublishRecord:
    """Publish now, from a web page or the API: what content_publish would refuse is refused here,
    while the person waits (bad options 400; a live publication of an offline draft or a failed
    article without `force` 409; a publication in progress 409), and the record is queued for the
    worker with these options (issue 12 point 7: WordPress's timeouts, retries and image uploads
    never hold a web request). The caller polls the record."""
    publish_options_check(wp_status=wp_status, wp_date=wp_date)
    readiness.live_publish_check(content=content, wp_status=wp_status, force=force)
    record, queued = _record_queue(
        content=content,
        wp_status=wp_status,
        wp_date=wp_date,
        force=force,
        categories=categories,
        tags=tags,
        category_ids=category_ids,
        author=author,
    )
    if not queued:
        raise _busy(content)
    _send([record])
    return record


def records_publish(*, record_ids: list[int]) -> list[PublishRecord]:
    """The worker's side of contents_queue and of the schedule: publishes records still waiting."""
    done = []
    waiting = PublishRecord.objects.filter(
        pk__in=record_ids,
        # Failed and stale publishing ones only when beat's due_records named them (bounded retry,
        # a dead worker's claim taken over by content_publish's _claim).
        status__in=[
            PublishStatus.QUEUED,
            PublishStatus.SCHEDULED,
            PublishStatus.FAILED,
            PublishStatus.PUBLISHING,
        ],
    ).select_related("content", "content__site")
    now = timezone.now()
    for record in waiting:
        wp_status, wp_date = record.wp_status, record.wp_date
        if wp_status == WPStatus.FUTURE and (wp_date is None or wp_date <= now):
            wp_status, wp_date = WPStatus.PUBLISH, None  # its moment has come while it waited
        elif wp_status != WPStatus.FUTURE:
            wp_date = None
        force = bool((record.options or {}).get("force"))
        try:
            done.append(
                content_publish(content=record.content, wp_status=wp_status, wp_date=wp_date, force=force)
            )
        except Conflict as refusal:
            if refusal.code != readiness.NOT_READY:
                continue  # another worker is publishing it right now: theirs to finish
            done.append(_refusal_stored(content=record.content, refusal=refusal))  # an offline draft
    return done
