"""What the progress modal shows for a run, built from ai.selectors.task_progress (the same JSON
the REST task_progress endpoint returns), plus the image queue rows of a generate_images run."""

from __future__ import annotations

from igny8.ai.models import TERMINAL, AIRun, Phase, RunStatus
from igny8.ai.selectors import task_progress
from igny8.writer.models import Image, ImageType

PHASE_LABELS = {
    Phase.INIT: "Starting",
    Phase.PREP: "Preparing",
    Phase.AI_CALL: "Asking the AI",
    Phase.PARSE: "Reading the answer",
    Phase.SAVE: "Saving",
    Phase.DONE: "Done",
}
FUNCTION_TITLES = {
    "auto_cluster": "Auto-cluster keywords",
    "auto_generate_ideas": "Generate ideas",
    "generate_content": "Generate content",
    "generate_image_prompts": "Generate image prompts",
    "generate_images": "Generate images",
}
STATUS_ICONS = {"pending": "⏳", "processing": "🔄", "completed": "✅", "failed": "❌"}


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


def image_queue_rows(*, run: AIRun, meta: dict) -> list[dict]:
    """One row per queued image, in the run's order, with its status from the run's meta."""
    ids = [int(i) for i in (run.payload or {}).get("ids", [])]
    images = Image.objects.filter(account_id=run.account_id, pk__in=ids).select_related("content")
    by_id = {image.pk: image for image in images.only("pk", "image_type", "position", "content__title")}
    results = {int(row["image_id"]): row for row in meta.get("results") or []}
    running = run.status == RunStatus.RUNNING
    rows, processing_shown = [], False
    for index, image_id in enumerate(ids, start=1):
        image = by_id.get(image_id)
        result = results.get(image_id)
        if result:
            status = result["status"]
        elif running and not processing_shown:
            status, processing_shown = "processing", True
        else:
            status = "failed" if run.status in TERMINAL and run.status != RunStatus.SUCCESS else "pending"
        rows.append(
            {
                "index": index,
                "image_id": image_id,
                "label": image_label(image) if image else f"Image {image_id}",
                "content_title": image.content.title if image else "",
                "status": status,
                "icon": STATUS_ICONS[status],
                "progress": {"pending": 0, "processing": 50, "completed": 100, "failed": 100}[status],
                "image_url": (result or {}).get("image_url", ""),
                "error": (result or {}).get("error", "")
                or (run.error if status == "failed" and not result else ""),
            }
        )
    return rows


def result_counts(result: dict | None) -> list[tuple[str, object]]:
    """The scalar figures of a run's result (created, skipped...), for the success message."""
    skip = {"items", "meta", "next_task_id"}
    return [
        (key.replace("_", " "), value)
        for key, value in (result or {}).items()
        if key not in skip and isinstance(value, int | float | str) and not isinstance(value, bool)
    ]


def progress_view(*, run: AIRun) -> dict:
    body = task_progress(run=run)
    meta = body["meta"]
    finished = run.status in TERMINAL
    view = {
        "run": run,
        "progress": body,
        "title": FUNCTION_TITLES.get(run.function_name, run.function_name),
        "steps": phase_steps(phase=run.phase, finished=finished and run.status == RunStatus.SUCCESS),
        "finished": finished,
        "succeeded": run.status == RunStatus.SUCCESS,
        "error": body.get("error", ""),
        "percentage": meta["percentage"],
        "counts": result_counts(run.result) if finished else [],
        "next_task_id": (run.result or {}).get("next_task_id") or "",
        "is_image_queue": run.function_name == "generate_images",
    }
    if view["is_image_queue"]:
        view["queue"] = image_queue_rows(run=run, meta=meta)
        view["queue_completed"] = sum(row["status"] == "completed" for row in view["queue"])
        view["queue_failed"] = sum(row["status"] == "failed" for row in view["queue"])
    return view
