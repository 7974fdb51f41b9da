"""Writes for optimisation: score a content, keep a revision before changing it, apply an
optimised version only when it scores at least as well, restore a revision."""

from __future__ import annotations

from itertools import pairwise
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
    # Applied without a person looking (automation): text a person wrote is never replaced.
    by_hand = [name for name in edited_by_hand(content=content) if name in changed]
    for name in by_hand:
        del changed[name]
    if by_hand:
        result["kept_hand_edited"] = by_hand
        result["message"] = (
            result.get("message", "")
            + " Left as edited by hand: "
            + ", ".join(FIELD_LABELS[name] for name in by_hand)
            + "."
        ).strip()
    if not changed:
        return {**result, "applied": False, "revision_id": None, "changed": []}
    if by_hand:  # the score the article gets with only the fields applied
        result["score_after"] = score_article(content_article(content=content, **changed)).total
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


# -- Optimize with AI as a proposal (the web's path): nothing changes until a person accepts -----

PROPOSED_FIELDS = ("title", "meta_title", "meta_description", "html")
FIELD_LABELS = {
    "title": "Title",
    "meta_title": "Meta title",
    "meta_description": "Meta description",
    "html": "Body",
}


def hand_edited_fields(*, content: Content) -> list[str]:
    """Fields a person changed in their last edit (the last "edit" revision holds the value before):
    a proposal that replaces one says so and leaves it unticked."""
    last_edit = (
        ContentRevision.objects.filter(content=content, reason=RevisionReason.EDIT)
        .order_by("-created_at", "-id")
        .first()
    )
    if last_edit is None:
        return []
    return [name for name in PROPOSED_FIELDS if getattr(last_edit, name) != getattr(content, name)]


def edited_by_hand(*, content: Content) -> list[str]:
    """Fields a person ever changed by hand: each "edit" revision holds the text before an edit,
    the next revision (or the article now) the text after it. One query."""
    names = ("title", "html", "meta_title", "meta_description")
    versions = list(
        ContentRevision.objects.filter(content=content).order_by("created_at", "id").values("reason", *names)
    )
    versions.append({"reason": "", **{name: getattr(content, name) for name in names}})
    found = set()
    for before, after in pairwise(versions):
        if before["reason"] == RevisionReason.EDIT:
            found.update(name for name in names if before[name] != after[name])
    return [name for name in names if name in found]


def optimization_propose(
    *, content: Content, fields: dict, offline: bool, fixes: list[str] | None = None
) -> dict:
    """The optimised version as a proposal stored on the run: its fields, the score before and
    after, which fields change and which of those were edited by hand. Applied by
    optimization_accept only."""
    fields = {name: value for name, value in fields.items() if name in PROPOSED_FIELDS}
    if "html" in fields:
        fields["html"] = article_html.sanitize(fields["html"])
    before = content_score(content=content)
    after = score_article(content_article(content=content, **fields))
    changed = [name for name in PROPOSED_FIELDS if name in fields and fields[name] != getattr(content, name)]
    result = {
        "content_id": content.pk,
        "proposal": {name: fields[name] for name in changed},
        "changed": changed,
        "hand_edited": [name for name in hand_edited_fields(content=content) if name in changed],
        "score_before": before.total,
        "score_after": after.total,
        "base_updated_at": content.updated_at.isoformat(),
        "offline": offline,
        "fixes": list(fixes or []),
    }
    if offline:
        result["message"] = (
            "No AI provider is configured, so only deterministic fixes are possible ("
            + (", ".join(fixes) if fixes else "none were needed")
            + "); no credits were charged."
        )
    return result


@transaction.atomic
def optimization_accept(*, content: Content, proposed: dict, fields: list[str]) -> ContentRevision:
    """Applies the chosen fields of a proposal, keeping the current version as a revision first.
    A proposal made for an older version of the article is refused (Conflict): it would undo the
    edits made since."""
    from igny8.core.errors import Conflict, Invalid

    content = Content.objects.select_for_update().select_related("site").get(pk=content.pk)
    if proposed.get("base_updated_at") != content.updated_at.isoformat():
        raise Conflict(
            "The article changed after this proposal was made; run Optimize with AI again to get one "
            "for the current version."
        )
    chosen = [name for name in fields if name in (proposed.get("proposal") or {})]
    if not chosen:
        raise Invalid("Tick at least one change to apply.", field="fields")
    revision = revision_create(content=content, reason=RevisionReason.OPTIMIZE)
    _write(content, **{name: proposed["proposal"][name] for name in chosen})
    return revision
