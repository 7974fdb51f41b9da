"""Writes for optimisation: score a content, keep a revision before changing it, apply an
optimised version only when it scores at least as well, restore a revision."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction

from igny8.publishing import selectors
from igny8.publishing.models import ContentRevision, RevisionReason
from igny8.publishing.optimizer import Article, Score, score_article
from igny8.writer import html as article_html
from igny8.writer.models import Content


def content_article(*, content: Content, **override) -> Article:
    keywords = selectors.content_keywords(content=content)
    hosts = tuple(
        host for host in {urlsplit(u).hostname for u in (content.site.url, content.site.wp_url) if u} if host
    )
    values = {
        "title": content.title,
        "html": content.html,
        "meta_title": content.meta_title,
        "meta_description": content.meta_description,
        "primary_keyword": keywords.primary,
        "secondary_keywords": keywords.secondary,
        "target_words": keywords.target_words,
        "site_hosts": hosts,
    }
    return Article(**{**values, **override})


def content_score(*, content: Content) -> Score:
    return score_article(content_article(content=content))


def revision_create(*, content: Content, reason: str, score: int | None = None) -> ContentRevision:
    return ContentRevision.objects.create(
        account_id=content.account_id,
        site_id=content.site_id,
        sector_id=content.sector_id,
        content=content,
        reason=reason,
        title=content.title,
        html=content.html,
        excerpt=content.excerpt,
        meta_title=content.meta_title,
        meta_description=content.meta_description,
        score=content_score(content=content).total if score is None else score,
    )


def revision_before_edit(content: Content) -> None:
    """The stored version, kept before an edit by hand replaces it (so Restore can undo the edit)."""
    revision_create(content=content, reason=RevisionReason.EDIT)


def _write(content: Content, **fields) -> None:
    if "html" in fields:
        fields["html"] = article_html.sanitize(fields["html"])
        fields["word_count"] = article_html.word_count(fields["html"])
    fields["meta_title"] = fields.get("meta_title", content.meta_title)[:60]
    fields["meta_description"] = fields.get("meta_description", content.meta_description)[:160]
    for name, value in fields.items():
        setattr(content, name, value)
    content.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def optimization_apply(
    *, content: Content, fields: dict, offline: bool, fixes: list[str] | None = None
) -> dict:
    """Keeps the current version as a revision and applies the new one, unless it would lower the
    score (then nothing changes and the result says why)."""
    before = content_score(content=content)
    candidate = score_article(content_article(content=content, **fields))
    result = {"content_id": content.pk, "score_before": before.total, "score_after": candidate.total}
    if offline:
        result["offline"] = True
        result["message"] = (
            "Offline draft: no AI rewrite was made; only deterministic fixes were applied ("
            + (", ".join(fixes) if fixes else "none were needed")
            + ")."
        )
    if candidate.total < before.total:
        result.update(applied=False, score_after=before.total)
        result["message"] = (
            f"The optimised version scored {candidate.total}, below {before.total}; it was not applied."
        )
        return result
    changed = {k: v for k, v in fields.items() if getattr(content, k) != v}
    if not changed:
        return {**result, "applied": False, "revision_id": None}
    revision = revision_create(content=content, reason=RevisionReason.OPTIMIZE, score=before.total)
    _write(content, **changed)
    return {**result, "applied": True, "revision_id": revision.pk, "changed": sorted(changed)}


@transaction.atomic
def revision_restore(*, revision: ContentRevision) -> ContentRevision:
    """Brings a revision back; the version it replaces becomes a revision itself (so undo works)."""
    content = Content.objects.select_for_update().get(pk=revision.content_id)
    kept = revision_create(content=content, reason=RevisionReason.RESTORE)
    _write(
        content,
        title=revision.title,
        html=revision.html,
        excerpt=revision.excerpt,
        meta_title=revision.meta_title,
        meta_description=revision.meta_description,
    )
    return kept
