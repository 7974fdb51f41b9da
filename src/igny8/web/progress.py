"""What the progress modal shows for a run, built from ai.selectors.task_progress (the same JSON
the REST task_progress endpoint returns), plus the image queue rows of a generate_images run and
the sentence that says what a finished run did."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from igny8.ai import registry
from igny8.ai.models import TERMINAL, AIRun, Phase, RunStatus
from igny8.ai.selectors import task_progress
from igny8.core.text import is_id
from igny8.writer.models import Image, ImageType

PHASE_LABELS = {
    Phase.INIT: "Starting",
    Phase.PREP: "Preparing",
    Phase.AI_CALL: "Asking the AI",
    Phase.PARSE: "Reading the answer",
    Phase.SAVE: "Saving",
    Phase.DONE: "Done",
}


def function_title(function_name: str) -> str:
    """The modal's title: the function's own (`title`, else its display name)."""
    try:
        function = registry.get_function(function_name)
    except registry.UnknownFunction:
        return function_name
    return function.title or function_name


# An image row's status is also the name of its icon in web/partials/icon.html.
IMAGE_STATUSES = ("pending", "processing", "completed", "failed")


def failed_phase(*, run: AIRun) -> str:
    """Where a failed run stopped: the phase of its first error step (the engine records the
    run as DONE whatever happened), else the phase after the last one that succeeded."""
    order = [p.value for p in PHASE_LABELS if p != Phase.DONE]
    steps = sorted(
        [*(run.request_steps or []), *(run.response_steps or [])], key=lambda step: step.get("stepNumber", 0)
    )
    for step in steps:
        if step.get("status") == "error" and step.get("stepName") in order:
            return step["stepName"]
    reached = [order.index(s["stepName"]) for s in steps if s.get("stepName") in order]
    if not reached:
        return Phase.INIT.value
    return order[min(max(reached) + 1, len(order) - 1)]


def failed_steps(*, run: AIRun) -> list[dict]:
    """The phases of a failed run: done up to the one that failed (red), nothing after it, no Done."""
    order = list(PHASE_LABELS)
    stopped = order.index(Phase(failed_phase(run=run)))
    return [
        {
            "name": name.value,
            "label": label,
            "done": index < stopped,
            "failed": index == stopped,
            "current": False,
        }
        for index, (name, label) in enumerate(PHASE_LABELS.items())
    ]


def phase_steps(*, phase: str, finished: bool) -> list[dict]:
    order = list(PHASE_LABELS)
    reached = order.index(Phase(phase)) if phase in Phase.values else 0
    return [
        {
            "name": name.value,
            "label": label,
            "done": index < reached or (finished and index == reached),
            "current": index == reached and not finished,
        }
        for index, (name, label) in enumerate(PHASE_LABELS.items())
    ]


def image_label(image: Image) -> str:
    if image.image_type == ImageType.FEATURED:
        return "Featured Image"
    return f"In-Article Image {image.position + 1}"


def estimated_image_progress(seconds: float) -> int:
    """The reference's per-image bar (image-generation-plan.md): 0-50 % in the first 7 s, 50-75 %
    in the next 5 s, then one point a second, never past 95 until the image is saved. Providers
    report no progress of their own, so this is an estimate from the elapsed time and is labelled so."""
    if seconds <= 0:
        return 0
    if seconds < 7:
        return int(50 * seconds / 7)
    if seconds < 12:
        return int(50 + 25 * (seconds - 7) / 5)
    return min(95, int(75 + (seconds - 12)))


def _started(meta: dict) -> dict[int, datetime]:
    """When each image's provider call started, from the run's meta (generate_images records it)."""
    started = {}
    for image_id, text in (meta.get("started") or {}).items():
        moment = parse_datetime(str(text))
        if moment is not None:
            started[int(image_id)] = moment
    return started


def image_queue_rows(*, run: AIRun, meta: dict) -> list[dict]:
    """One row per queued image, in the run's order, with its status from the run's meta."""
    ids = [int(i) for i in (run.payload or {}).get("ids", [])]
    images = Image.objects.filter(account_id=run.account_id, pk__in=ids).select_related("content")
    by_id = {image.pk: image for image in images.only("pk", "image_type", "position", "content__title")}
    results = {int(row["image_id"]): row for row in meta.get("results") or []}
    started = _started(meta)
    now = timezone.now()
    running = run.status == RunStatus.RUNNING
    # Runs recorded before start times were kept: the first unfinished image is the one in flight.
    guess_first = running and not started
    rows = []
    for index, image_id in enumerate(ids, start=1):
        image = by_id.get(image_id)
        result = results.get(image_id)
        estimated = False
        if result:
            status, progress = result["status"], 100
        elif running and (image_id in started or guess_first):
            status, guess_first = "processing", False
            began = started.get(image_id)
            progress = estimated_image_progress((now - began).total_seconds()) if began else 0
            estimated = True
        elif run.status in TERMINAL and run.status != RunStatus.SUCCESS:
            status, progress = "failed", 100
        else:
            status, progress = "pending", 0
        rows.append(
            {
                "index": index,
                "image_id": image_id,
                "label": image_label(image) if image else f"Image {image_id}",
                "content_title": image.content.title if image else "",
                "status": status,
                "icon": status,
                "progress": progress,
                "estimated": estimated,
                "image_url": (result or {}).get("image_url", ""),
                "error": (result or {}).get("error", "")
                or (run.error if status == "failed" and not result else ""),
            }
        )
    return rows


def success_sentence(*, run: AIRun) -> str:
    """What a finished run did, in a sentence: the function's own (AIFunction.summary, from its
    result's per-item summaries), else the result's counts."""
    result = run.result or {}
    items = [item for item in result.get("items") or [] if item.get("status") == "success"]
    failed = int(result.get("failed") or 0)
    try:
        own = registry.get_function(run.function_name)().summary(run=run, items=items, failed=failed)
    except registry.UnknownFunction:
        own = ""
    if own:
        return own
    counts = result_counts(result)
    if not counts:
        return "Finished."
    return "Finished: " + ", ".join(f"{value} {label}" for label, value in counts) + "."


def result_counts(result: dict | None) -> list[tuple[str, object]]:
    """The scalar figures of a run's result (created, skipped...), for functions without a sentence."""
    skip = {"items", "meta", "next_task_id", "cost_usd"}
    return [
        (key.replace("_", " "), value)
        for key, value in (result or {}).items()
        if key not in skip and isinstance(value, int | float | str) and not isinstance(value, bool)
    ]


def progress_view(*, run: AIRun) -> dict:
    body = task_progress(run=run)
    meta = body["meta"]
    finished = run.status in TERMINAL
    succeeded = run.status == RunStatus.SUCCESS
    failed_items = int((run.result or {}).get("failed") or run.items_failed or 0) if succeeded else 0
    total_items = run.total or (run.items_succeeded + run.items_failed)
    failed = run.status == RunStatus.FAILED
    view = {
        "run": run,
        "progress": body,
        "title": function_title(run.function_name),
        "steps": failed_steps(run=run)
        if failed
        else phase_steps(phase=run.phase, finished=finished and succeeded),
        # failed: red and stopped, the reason first; partial: amber, "N of M failed" first.
        "state": "failed" if failed else ("partial" if failed_items else ("success" if succeeded else "")),
        "partial": f"{failed_items:,} of {max(total_items, failed_items):,} failed" if failed_items else "",
        "finished": finished,
        "succeeded": succeeded,
        "cancelled": run.status == RunStatus.CANCELLED,
        # The engine stops between items, so a running run may take a while to end after this.
        "cancelling": run.cancel_requested and not finished,
        "error": body.get("error", ""),
        "percentage": meta["percentage"],
        "sentence": success_sentence(run=run) if succeeded else "",
        "next_task_id": (run.result or {}).get("next_task_id") or "",
        "is_image_queue": run.function_name == "generate_images",
    }
    if run.function_name == "generate_content":
        view["article_rows"] = article_rows(run=run, finished=finished)
    if view["is_image_queue"]:
        view["queue"] = image_queue_rows(run=run, meta=meta)
        view["queue_completed"] = sum(row["status"] == "completed" for row in view["queue"])
        view["queue_failed"] = sum(row["status"] == "failed" for row in view["queue"])
    return view


def article_rows(*, run: AIRun, finished: bool) -> list[dict]:
    """Bulk content generation as a table: a row per task of the run with its state, the article's
    words, its SEO score once the run has ended, and the error of a failed one (each row can be
    generated again on its own). Two queries, whatever the number of rows."""
    from igny8.writer.models import Content, Task, TaskStatus

    ids = [int(i) for i in (run.payload or {}).get("ids", []) if is_id(str(i))]
    items = {str(item.get("item")): item for item in (run.result or {}).get("items", [])}
    tasks = {
        t.pk: t
        for t in Task.objects.filter(account_id=run.account_id, pk__in=ids).only("pk", "title", "status")
    }
    contents = {
        c.task_id: c
        for c in Content.objects.filter(account_id=run.account_id, task_id__in=ids).select_related(
            "site", "task", "task__idea", "task__cluster"
        )
    }
    rows = []
    for task_id in sorted(ids):
        task = tasks.get(task_id)
        if task is None:
            continue
        item = items.get(str(task_id), {})
        if item.get("status") == "success":
            state = "completed"
        elif item.get("status") == "error":
            state = "failed"
        elif finished:
            state = "cancelled" if run.status == RunStatus.CANCELLED else "skipped"
        elif task.status == TaskStatus.IN_PROGRESS:
            state = "running"
        else:
            state = "pending"
        content = contents.get(task_id)
        score = None
        if (
            finished
            and state == "completed"
            and content is not None
            and apps.is_installed("igny8.publishing")
        ):
            from igny8.publishing.optimizing import content_score

            score = content_score(content=content).total
        rows.append(
            {
                "task_id": task_id,
                "title": task.title,
                "state": state,
                "words": item.get("word_count") or (content.word_count if content else 0),
                "score": score,
                "error": item.get("error", ""),
                "content_id": content.pk if content else None,
            }
        )
    return rows
