"""List endpoints run a constant number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from igny8.planner.models import Cluster, ContentIdea, Keyword
from igny8.writer.models import Content, Image, Task

LISTS = [
    "/api/v1/planner/keywords/",
    "/api/v1/planner/clusters/",
    "/api/v1/planner/ideas/",
    "/api/v1/writer/tasks/",
    "/api/v1/writer/content/",
    "/api/v1/writer/images/",
    "/api/v1/accounts/sites/",
    "/api/v1/accounts/sectors/",
    "/api/v1/accounts/members/",
]


@pytest.fixture
def many_rows(alice, bob):
    site = alice.site
    common = {"account": alice.account, "site": site, "sector": alice.sector}
    for n in range(30):
        cluster = Cluster.objects.create(name=f"cluster {n}", **common)
        Keyword.objects.create(keyword=f"kw {n}", normalized=f"kw {n}", cluster=cluster, **common)
        idea = ContentIdea.objects.create(title=f"idea {n}", cluster=cluster, **common)
        task = Task.objects.create(title=f"task {n}", idea=idea, cluster=cluster, **common)
        content = Content.objects.create(title=f"content {n}", task=task, **common)
        Image.objects.create(content=content, prompt=f"image {n}", **common)
    for n in range(3):
        from igny8.accounts import services

        services.sector_create(site=site, name=f"sector {n}")


@pytest.mark.parametrize("url", LISTS)
def test_query_count_does_not_grow_with_page_size(api, many_rows, url):
    api.get(url)  # the first request of a token records its use; measure after it
    counts = []
    for size in (2, 25):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url, {"page_size": size})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], (url, counts)
