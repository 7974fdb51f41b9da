import pytest

from igny8.ai.models import AIRun
from igny8.writer.models import Content, Image
from tests.writer_ai.conftest import make_task, run_pending
from tests.writer_ai.test_image_prompts import make_content

pytestmark = pytest.mark.django_db
BASE = "/api/v1/writer"


def post(tenant, path, body, capture):
    with capture(execute=True):
        return tenant.client().post(f"{BASE}/{path}/", body, format="json")


def test_auto_generate_content_starts_a_run(alice, enqueued, django_capture_on_commit_callbacks):
    task = make_task(alice, "Grind size")
    response = post(
        alice, "tasks/auto_generate_content", {"ids": [task.pk]}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 202
    task_id = response.json()["data"]["task_id"]
    run = AIRun.objects.get(task_id=task_id)
    assert (run.function_name, run.payload, run.site_id, run.created_by_id) == (
        "generate_content",
        {"ids": [task.pk]},
        alice.site.pk,
        alice.user.pk,
    )
    assert enqueued == [(["generate_content", {"ids": [task.pk]}, alice.account.pk], task_id)]
    progress = alice.client().get(f"/api/v1/system/settings/task_progress/{task_id}/").json()
    assert progress["state"] == "PENDING"


def test_bad_ids_are_400_and_viewers_403(alice, bob, charlie, enqueued, django_capture_on_commit_callbacks):
    theirs = make_task(charlie, "Not yours")
    content = make_content(alice)
    cases = [
        ("tasks/auto_generate_content", {"ids": [theirs.pk]}),
        ("tasks/auto_generate_content", {"ids": []}),
        ("tasks/auto_generate_images", {"ids": "x"}),
        ("content/generate_image_prompts", {"ids": [999999]}),
        ("images/generate_images", {"ids": [999999], "content_id": content.pk}),
    ]
    for path, body in cases:
        response = post(alice, path, body, django_capture_on_commit_callbacks)
        assert response.status_code == 400, path
        assert "ids" in response.json()["errors"]
    response = post(
        bob, "content/generate_image_prompts", {"ids": [content.pk]}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 403
    assert (AIRun.objects.count(), enqueued) == (0, [])


def test_generate_image_prompts_and_images_endpoints(alice, enqueued, django_capture_on_commit_callbacks):
    content = make_content(alice)
    response = post(
        alice, "content/generate_image_prompts", {"ids": [content.pk]}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 202
    run_pending(AIRun.objects.get(task_id=response.json()["data"]["task_id"]))
    ids = list(Image.objects.values_list("pk", flat=True))
    other = make_content(alice, title="Other")
    body = {"ids": ids, "content_id": other.pk}
    response = post(alice, "images/generate_images", body, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert response.json()["errors"] == {"content_id": ["None of the selected images belong to it."]}
    body["content_id"] = content.pk
    response = post(alice, "images/generate_images", body, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    run = run_pending(AIRun.objects.get(task_id=response.json()["data"]["task_id"]))
    assert (run.status, run.items_succeeded) == ("success", 3)


def test_auto_generate_images_extracts_prompts_then_chains_the_image_run(
    alice, enqueued, django_capture_on_commit_callbacks
):
    task = make_task(alice, "Grind size")
    no_content = post(
        alice, "tasks/auto_generate_images", {"ids": [task.pk]}, django_capture_on_commit_callbacks
    )
    assert no_content.status_code == 400
    assert (
        no_content.json()["error"] == f"ids: Task(s) {task.pk} have no content yet; generate content first."
    )
    content = make_content(alice)
    Content.objects.filter(pk=content.pk).update(task=task)

    response = post(
        alice, "tasks/auto_generate_images", {"ids": [task.pk]}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 202
    first = run_pending(AIRun.objects.get(task_id=response.json()["data"]["task_id"]))
    assert (first.function_name, first.status) == ("generate_image_prompts", "success")
    second = AIRun.objects.get(task_id=first.result["next_task_id"])
    assert (second.function_name, second.status, second.total) == ("generate_images", "pending", 3)
    second = run_pending(second)
    assert second.status == "success"
    assert Image.objects.filter(status="generated").count() == 7  # 3 + desktop/mobile of 2 in-article

    # Prompts exist now: the image run starts at once (nothing pending -> 400).
    again = post(alice, "tasks/auto_generate_images", {"ids": [task.pk]}, django_capture_on_commit_callbacks)
    assert again.status_code == 400
    assert again.json()["error"] == "ids: These tasks have no pending images to generate."
