"""Optimize with AI as a proposal, for every interface: the run (payload propose=true) stores the
optimised version on its result; these read it back with a diff per field and the score before and
after. The web page and the API show the same thing; optimizing.optimization_accept applies it."""

from __future__ import annotations

import difflib

from django.utils.html import strip_tags

from igny8.ai.models import AIRun, RunStatus
from igny8.publishing.optimizing import FIELD_LABELS
from igny8.writer.models import Content

LABELS = FIELD_LABELS
RECENT_RUNS = 20


def proposal_of(run: AIRun, content_id: int) -> dict | None:
    for item in (run.result or {}).get("items", []):
        if item.get("content_id") == content_id and "proposal" in item:
            return item
    return None


def run_with_proposal(*, content: Content, task_id: str) -> AIRun | None:
    return AIRun.objects.filter(
        account_id=content.account_id, function_name="optimize_content", task_id=task_id
    ).first()


def newest_proposal(*, content: Content) -> tuple[AIRun, dict] | None:
    """The newest finished proposal for the article, current or not (among the recent runs)."""
    runs = AIRun.objects.filter(
        account_id=content.account_id, function_name="optimize_content", status=RunStatus.SUCCESS
    ).order_by("-created_at", "-id")[:RECENT_RUNS]
    for run in runs:
        item = proposal_of(run, content.pk)
        if item is not None:
            return run, item
    return None


def latest_proposal(*, content: Content) -> tuple[AIRun, dict] | None:
    """The newest finished proposal still made for the article as it is now."""
    found = newest_proposal(content=content)
    if found is None:
        return None
    run, item = found
    if is_current(content=content, item=item) and item.get("changed"):
        return run, item
    return None  # the newest proposal is stale or empty: nothing to review


def is_current(*, content: Content, item: dict) -> bool:
    return item.get("base_updated_at") == content.updated_at.isoformat()


def _text(name: str, value: str) -> list[str]:
    """A field as lines to compare: the body by paragraph as plain text, the rest as it is."""
    if name != "html":
        return [value]
    spaced = value.replace("</p>", "</p>\n").replace("</h2>", "</h2>\n").replace("</h3>", "</h3>\n")
    return [line.strip() for line in strip_tags(spaced).splitlines() if line.strip()]


def diff_rows(*, content: Content, item: dict) -> list[dict]:
    """Per changed field: its label, the lines removed/added/kept, and whether a person edited it."""
    rows = []
    for name in item["changed"]:
        before, after = _text(name, getattr(content, name)), _text(name, item["proposal"][name])
        lines = [
            {"kind": {"-": "removed", "+": "added"}.get(line[:1], "same"), "text": line[2:]}
            for line in difflib.ndiff(before, after)
            if not line.startswith("?")
        ]
        rows.append(
            {"field": name, "label": LABELS[name], "lines": lines, "hand_edited": name in item["hand_edited"]}
        )
    return rows


def proposal_view(*, content: Content, run: AIRun, item: dict) -> dict:
    """What the API answers for a proposal: the diff per field (with the proposed value), the
    scores, whether it still applies to the article as it is, and the offline note."""
    fields = [
        {**row, "proposed": item["proposal"][row["field"]], "current": getattr(content, row["field"])}
        for row in diff_rows(content=content, item=item)
    ]
    return {
        "task_id": run.task_id,
        "content_id": content.pk,
        "fields": fields,
        "hand_edited": list(item.get("hand_edited", [])),
        "score_before": item["score_before"],
        "score_after": item["score_after"],
        "stale": not is_current(content=content, item=item),
        "offline": bool(item.get("offline")),
        "message": item.get("message", ""),
    }
