"""Whether an article may go live: an offline draft (the offline provider's skeleton) or an article
whose generation failed is never sent to WordPress as published unless the caller says so (force).
Drafts are always allowed: a draft in WordPress surprises nobody."""

from __future__ import annotations

from igny8.ai.providers.offline import OFFLINE_LABEL
from igny8.core.errors import Conflict
from igny8.publishing.models import WPStatus
from igny8.writer.models import Content, TaskStatus

# The first words of the offline skeleton's notice (writer.ai.generate_content.OFFLINE_NOTICE).
OFFLINE_NOTICE_START = "Offline draft: this is not a written article"


def live_refusal(*, content: Content) -> str:
    """Why this content must not be published live without force; '' when nothing stands in the way."""
    fields = (content.html, content.title, content.meta_title, content.meta_description, content.excerpt)
    if any(OFFLINE_LABEL in (text or "") or OFFLINE_NOTICE_START in (text or "") for text in fields):
        return "it is an offline draft (placeholder text made without an AI provider, not a written article)"
    task = content.task if content.task_id else None
    if task is not None and task.status == TaskStatus.FAILED:
        return "its last generation failed"
    if not (content.html or "").strip():
        return "its body is empty"
    return ""


NOT_READY = "not_ready_to_publish"  # the refusal's code: the web asks to confirm (force)


def live_publish_check(*, content: Content, wp_status: str, force: bool) -> None:
    """Conflict when a live publication (publish or future) of this content needs `force`."""
    if wp_status == WPStatus.DRAFT or force:
        return
    reason = live_refusal(content=content)
    if reason:
        raise Conflict(
            f"“{content.title}” was not sent live: {reason}. Publish it as a draft, or confirm "
            "publishing it anyway (force: true).",
            code=NOT_READY,
        )
