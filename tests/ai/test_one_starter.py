"""One starter (issue 14 point 5): ai.services.run_start is what the API, the web and the domain
starters call. A caller that names no site gets the one site all the run's records belong to, so
no endpoint works it out for itself; records of several sites leave the run without one."""

import pytest

from igny8.accounts.models import Site
from igny8.ai.models import AIRun
from igny8.planner.models import Cluster
from igny8.writer.models import Task
from tests.web.conftest import signed_in
from tests.writer_ai.conftest import make_task

pytestmark = pytest.mark.django_db


def test_the_generic_endpoint_gives_the_run_its_records_site(alice):
    task = make_task(alice, "Grind size")

    response = alice.client().post(
        "/api/v1/ai/runs/", {"function": "generate_content", "payload": {"ids": [task.pk]}}, format="json"
    )

    assert response.status_code == 202, response.json()
    body = response.json()
    run = AIRun.objects.get(task_id=body["data"]["task_id"])
    assert run.site_id == alice.site.pk
    assert body == {
        "success": True,
        "data": {
            "task_id": run.task_id,
            "function": "generate_content",
            "status": "pending",
            "credits_reserved": run.credits_reserved,
        },
        "message": "Generate content: queued.",
    }


def test_an_alias_starts_the_same_function_with_the_same_body(alice):
    task = make_task(alice, "Grind size")

    response = alice.client().post(
        "/api/v1/ai/runs/",
        {"function": "auto_generate_content", "payload": {"ids": [task.pk]}},
        format="json",
    )

    assert response.status_code == 202, response.json()
    assert (response.json()["data"]["function"], response.json()["message"]) == (
        "generate_content",
        "Generate content: queued.",
    )


def test_records_of_two_sites_leave_the_run_without_a_site(alice):
    other = Site.objects.create(account=alice.account, name="Second Site")
    first = make_task(alice, "Grind size")
    second = Task.objects.create(account=alice.account, site=other, title="Tamping")

    response = alice.client().post(
        "/api/v1/writer/tasks/auto_generate_content/", {"ids": [first.pk, second.pk]}, format="json"
    )

    assert response.status_code == 202, response.json()
    assert AIRun.objects.get(task_id=response.json()["data"]["task_id"]).site_id is None


def test_the_domain_endpoint_and_the_web_start_the_same_run(alice):
    cluster = Cluster.objects.create(account=alice.account, site=alice.site, name="Grinders")

    api = alice.client().post(
        "/api/v1/planner/clusters/auto_generate_ideas/", {"ids": [cluster.pk]}, format="json"
    )
    web = signed_in(alice.user).post(
        "/planner/clusters/ideas/", {"ids": [cluster.pk]}, HTTP_HX_REQUEST="true"
    )

    assert (api.status_code, web.status_code) == (202, 200)
    runs = list(AIRun.objects.filter(function_name="auto_generate_ideas").order_by("created_at"))
    assert len(runs) == 1  # the second start is refused: the first run holds the cluster (409)
    assert runs[0].site_id == alice.site.pk
    assert "Generate ideas" in web.content.decode()
