import io
import json
import re
import threading
from decimal import Decimal

import httpx
import pytest
from PIL import Image as PILImage

from igny8.ai import selectors
from igny8.ai.progress import Recorder
from igny8.ai.providers import factory
from igny8.ai.providers.base import RetryPolicy
from igny8.ai.providers.runware import RunwareProvider
from igny8.system.models import IntegrationSettings
from igny8.writer import image_files, services
from igny8.writer.models import Image
from tests.writer_ai.conftest import image_settings, png_bytes, run_now
from tests.writer_ai.test_image_prompts import make_content

pytestmark = pytest.mark.django_db


def prompted(tenant, count=1):
    """`count` contents, each with pending featured + 2 in-article prompts."""
    contents = [make_content(tenant, title=f"Espresso {n}") for n in range(1, count + 1)]
    for content in contents:
        services.image_prompts_replace(
            content=content, featured="A cup of espresso.", in_article=["Beans", "Grinder"]
        )
    return contents, list(Image.objects.order_by("pk").values_list("pk", flat=True))


def opened(image: Image) -> tuple[str, tuple[int, int]]:
    with image.file.open("rb") as handle:
        picture = PILImage.open(io.BytesIO(handle.read()))
        return picture.format, picture.size


def test_offline_images_are_real_files_with_variants(alice):
    (content,), ids = prompted(alice)
    run = run_now(alice, "generate_images", {"ids": ids, "content_id": content.pk})

    assert (run.status, run.items_succeeded, run.credits_used) == ("success", 3, 0)  # offline: free
    main = Image.objects.filter(image_type__in=["featured", "in_article"]).order_by("pk")
    assert [(i.status, i.provider, i.model, i.cost) for i in main] == [
        ("generated", "offline", "offline", 0)
    ] * 3
    assert [opened(i) for i in main] == [("WEBP", (1280, 720))] * 3
    featured = main[0]
    base = f"images/{alice.account.pk}/{alice.site.pk}/{content.pk}"
    # A random part in each name (writer/media.py): the layout alone does not find a file.
    assert re.fullmatch(rf"{base}/featured-0-[0-9a-f]{{20}}\.webp", featured.file.name)
    variants = Image.objects.filter(image_type__in=["desktop", "mobile"]).order_by("image_type", "position")
    assert [(v.image_type, v.position, v.status, opened(v)) for v in variants] == [
        ("desktop", 0, "generated", ("WEBP", (1280, 720))),
        ("desktop", 1, "generated", ("WEBP", (1280, 720))),
        ("mobile", 0, "generated", ("WEBP", (640, 360))),
        ("mobile", 1, "generated", ("WEBP", (640, 360))),
    ]
    assert re.fullmatch(rf"{base}/mobile-0-[0-9a-f]{{20}}\.webp", variants[2].file.name)

    meta = selectors.task_progress(run=run)["meta"]
    assert (meta["current_image"], meta["total_images"], meta["completed"], meta["failed"]) == (3, 3, 3, 0)
    assert meta["results"] == [
        {"image_id": i.pk, "status": "completed", "image_url": f"/media/{i.file.name}", "error": ""}
        for i in main
    ]


def test_format_setting_and_variants_off(alice):
    image_settings(alice, image_format="png", desktop_enabled=False, mobile_enabled=False)
    _, ids = prompted(alice)
    run_now(alice, "generate_images", {"ids": ids})
    assert Image.objects.filter(image_type__in=["desktop", "mobile"]).count() == 0
    assert {opened(i) for i in Image.objects.all()} == {("PNG", (1280, 720))}


@pytest.fixture
def runware(alice, monkeypatch):
    """Runware over a mock transport; its image URLs are served by a mock download transport,
    except /2.png, which has expired (404)."""
    IntegrationSettings.objects.create(
        account=alice.account, integration_type="runware", secrets={"apiKey": "rw"}
    )
    image_settings(alice, provider="runware", model="runware:101@1", image_format="jpg", mobile_enabled=False)
    sent = []

    def api(request: httpx.Request) -> httpx.Response:
        task = json.loads(request.content)[0]
        sent.append(task)
        url = f"https://im.runware.test/{len(sent)}.png"
        return httpx.Response(
            200, json={"data": [{"taskUUID": task["taskUUID"], "imageURL": url, "cost": 0.0038}]}
        )

    def files(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/2.png":
            return httpx.Response(404)
        return httpx.Response(200, content=png_bytes(1280, 768))

    def build(config):
        return RunwareProvider(
            api_key=config.api_key, transport=httpx.MockTransport(api), retry=RetryPolicy(attempts=1)
        )

    monkeypatch.setattr(factory, "build_provider", build)
    monkeypatch.setattr(
        image_files, "http_client", lambda: httpx.Client(transport=httpx.MockTransport(files))
    )
    return sent


def test_runware_downloads_at_once_and_one_failure_does_not_stop_the_rest(alice, runware):
    _, ids = prompted(alice)
    run = run_now(alice, "generate_images", {"ids": ids})

    assert (run.status, run.items_succeeded, run.items_failed, run.provider) == ("success", 2, 1, "runware")
    featured, first, second = Image.objects.filter(image_type__in=["featured", "in_article"]).order_by("pk")
    assert (featured.status, first.status, second.status) == ("generated", "failed", "generated")
    assert first.error == (
        "Downloading the generated image failed (404); provider URLs expire after about an hour, "
        "so generate it again."
    )
    assert opened(featured) == ("JPEG", (1280, 768)) and re.search(
        r"/featured-0-[0-9a-f]{20}\.jpg$", featured.file.name
    )
    assert (featured.provider, featured.model, featured.cost) == (
        "runware",
        "runware:101@1",
        Decimal("0.0038"),
    )
    assert run.cost_usd == Decimal("0.011400")  # the failed download's call was paid too
    assert [(v.image_type, v.position, opened(v)) for v in Image.objects.filter(image_type="desktop")] == [
        ("desktop", 1, ("JPEG", (1280, 768)))
    ]
    assert runware[0]["positivePrompt"] == (
        'Create a high-quality realistic image for the article "Espresso 1". '
        "A cup of espresso. No text, no watermark."
    )
    assert runware[0]["negativePrompt"].startswith("text, letters, watermark")
    assert (runware[0]["width"], runware[0]["height"], runware[0]["outputFormat"]) == (1280, 768, "JPG")
    meta = selectors.task_progress(run=run)["meta"]
    assert (meta["total_images"], meta["completed"], meta["failed"]) == (3, 2, 1)
    assert [(r["image_id"], r["status"], r["error"][:25]) for r in meta["results"]] == [
        (featured.pk, "completed", ""),
        (first.pk, "failed", "Downloading the generated"),
        (second.pk, "completed", ""),
    ]
    assert (run.credits_used, run.result["credits_refunded"]) == (2, 1)


def test_openai_gets_no_negative_prompt(alice, fake_provider):
    _, ids = prompted(alice)
    run = run_now(alice, "generate_images", {"ids": ids[:1]})
    assert (run.status, run.model) == ("success", "gpt-image-2")
    image = Image.objects.get(pk=ids[0])
    # gpt-image-2 at 1536x1024 (the writer's landscape size for GPT image models), medium quality
    # (the fake answers as the API does: size and quality), priced from the catalogue
    assert (image.provider, image.model, image.cost) == ("openai", "gpt-image-2", Decimal("0.041"))
    assert run.credits_used == 4  # an OpenAI image is 4 credits


@pytest.mark.parametrize("concurrency", [1, 3])
def test_image_calls_overlap_up_to_the_setting(alice, fake_provider, concurrency):
    image_settings(alice, concurrency=concurrency, desktop_enabled=False, mobile_enabled=False)
    _, ids = prompted(alice, count=2)
    if concurrency > 1:
        # Each call waits until `concurrency` calls are inside the provider at once.
        fake_provider.barrier = threading.Barrier(concurrency)
    run = run_now(alice, "generate_images", {"ids": ids[:6]})
    assert (run.status, run.items_succeeded) == ("success", 6)
    assert fake_provider.max_in_flight == concurrency
    # Results land in item order whatever order the calls finished in.
    assert [int(i["item"]) for i in run.result["items"]] == ids[:6]


def test_cancel_stops_new_calls_and_in_flight_ones_finish(alice, fake_provider, monkeypatch):
    image_settings(alice, concurrency=2, desktop_enabled=False, mobile_enabled=False)
    _, ids = prompted(alice, count=2)
    checks = []

    def cancel_after_two_launches(self):
        checks.append(1)
        return len(checks) > 2

    monkeypatch.setattr(Recorder, "cancel_requested", cancel_after_two_launches)
    run = run_now(alice, "generate_images", {"ids": ids[:6]})
    assert (run.status, run.items_succeeded, len(fake_provider.prompts)) == ("cancelled", 2, 2)
    assert (run.credits_used, run.result["credits_refunded"]) == (8, 16)
    assert list(Image.objects.filter(pk__in=ids[:6]).order_by("pk").values_list("status", flat=True)) == [
        "generated",
        "generated",
        "pending",
        "pending",
        "pending",
        "pending",
    ]
