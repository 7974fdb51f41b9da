from igny8.planner.models import Cluster, ContentIdea
from igny8.writer.models import Content, Task


def test_ideas_queue_to_writer_in_bulk(api, alice):
    cluster = Cluster.objects.create(account=alice.account, site=alice.site, name="Pour over")
    created = api.post(
        "/api/v1/planner/ideas/",
        {
            "site": alice.site.pk,
            "cluster": cluster.pk,
            "title": "The V60 guide",
            "description": "Step by step.",
            "outline": [{"heading": "Gear", "subsections": ["Dripper", "Kettle"]}, {"heading": "Recipe"}],
            "primary_keyword": "v60 recipe",
            "secondary_keywords": ["pour over ratio"],
            "content_structure": "guide",
            "estimated_word_count": 1800,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["data"]["outline"] == [
        {"heading": "Gear", "subsections": ["Dripper", "Kettle"]},
        {"heading": "Recipe", "subsections": []},
    ]
    queued_before = ContentIdea.objects.create(
        account=alice.account, site=alice.site, title="Old", status="queued"
    )
    idea_id = created.json()["data"]["id"]
    response = api.post(
        "/api/v1/planner/ideas/bulk_queue_to_writer/", {"ids": [idea_id, queued_before.pk]}, format="json"
    )
    assert response.status_code == 201
    body = response.json()["data"]
    task = Task.objects.get()
    assert body == {
        "queued": 1,
        "task_ids": [task.pk],
        "skipped": [{"id": queued_before.pk, "reason": "idea is queued"}],
        "cannibalisation": [],  # issue 15: pairs competing for the same search, none here
    }
    assert (
        task.title,
        task.brief,
        task.keywords,
        task.content_structure,
        task.word_count_target,
        task.cluster_id,
    ) == ("The V60 guide", "Step by step.", ["v60 recipe", "pour over ratio"], "guide", 1800, cluster.pk)
    assert ContentIdea.objects.get(pk=idea_id).status == "queued"
    again = api.post("/api/v1/planner/ideas/bulk_queue_to_writer/", {"ids": [idea_id]}, format="json")
    assert again.json()["data"]["queued"] == 0
    assert Task.objects.count() == 1


def test_content_html_is_sanitised_and_counted(api, alice):
    response = api.post(
        "/api/v1/writer/content/",
        {
            "site": alice.site.pk,
            "title": "Café crème guide",
            "html": '<h2 onclick="x()">Intro</h2><p>Three short words <script>alert(1)</script></p>'
            '<a href="javascript:alert(1)">link</a><img src="https://x.test/a.png" alt="cup">',
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert (
        data["html"] == '<h2>Intro</h2><p>Three short words </p><a rel="noopener">link</a>'
        '<img src="https://x.test/a.png" alt="cup">'
    )
    assert (data["word_count"], data["slug"]) == (5, "café-crème-guide")
    too_long = api.patch(f"/api/v1/writer/content/{data['id']}/", {"meta_title": "x" * 61}, format="json")
    assert too_long.json()["errors"] == {"meta_title": ["Ensure this field has no more than 60 characters."]}


def test_one_content_per_task_and_unique_image_slots(api, alice):
    task = Task.objects.create(account=alice.account, site=alice.site, title="T")
    first = api.post(
        "/api/v1/writer/content/", {"site": alice.site.pk, "task": task.pk, "title": "A"}, format="json"
    )
    assert first.status_code == 201
    second = api.post(
        "/api/v1/writer/content/", {"site": alice.site.pk, "task": task.pk, "title": "B"}, format="json"
    )
    assert second.json()["errors"] == {"task": ["This task already has content."]}
    content = Content.objects.get()
    slot = {
        "site": alice.site.pk,
        "content": content.pk,
        "image_type": "featured",
        "position": 0,
        "prompt": "cup",
    }
    assert api.post("/api/v1/writer/images/", slot, format="json").status_code == 201
    clash = api.post("/api/v1/writer/images/", slot, format="json")
    assert clash.json()["errors"] == {"position": ["This content already has that image slot."]}
    listed = api.get("/api/v1/writer/images/", {"content_id": content.pk}).json()["results"]
    assert [(i["image_type"], i["status"], i["content_title"], i["file_url"]) for i in listed] == [
        ("featured", "pending", "A", None)
    ]
