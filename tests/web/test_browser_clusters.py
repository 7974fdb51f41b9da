"""The cluster map in a real browser: the charts draw (no console error, no policy violation), a click
on a keyword's dot opens its cluster, the map fits a 390 px phone, and two clusters merge from the list."""

import numpy as np

from igny8.planner import embedding_cache
from igny8.planner.cluster_service import clusters_recount
from igny8.planner.clustering import backends, embeddings
from igny8.planner.models import Cluster, Keyword
from tests.web.browser import BROWSER_MARKS, shot, sign_in

pytestmark = BROWSER_MARKS

GROUPS = {
    "Espresso": (["espresso machine", "espresso maker", "best espresso machine"], [1, 0, 0]),
    "Grinders": (["burr grinder", "coffee grinder", "hand grinder"], [0, 1, 0]),
    "Cold brew": (["cold brew recipe", "how to make cold brew"], [0, 0, 1]),
}


def seed(alice) -> dict[str, Cluster]:
    """Three clusters whose keywords have stored embeddings (fixed vectors: each group around its own
    axis), so the map needs no model."""
    fixed, made = {}, {}
    for name, (texts, axis) in GROUPS.items():
        cluster = Cluster.objects.create(
            account=alice.account, site=alice.site, sector=alice.sector, name=name
        )
        made[name] = cluster
        for i, text in enumerate(texts):
            Keyword.objects.create(
                account=alice.account,
                site=alice.site,
                keyword=text,
                normalized=text,
                volume=100 * (i + 1),
                difficulty=10 * (i + 1),
                cluster=cluster,
                status="clustered",
            )
            vector = np.array(axis + [0.05 * (i + 1)] + [0] * (embeddings.DIMENSIONS - 4), dtype=np.float32)
            fixed[text] = vector / np.linalg.norm(vector)
    clusters_recount(cluster_ids=[c.pk for c in made.values()])
    embedding_cache.vectors_for(
        texts=sorted(fixed),
        encoder=lambda texts: np.stack([fixed[t] for t in texts]),
        model_name=backends.active_encoder()[1],
    )
    return made


# The centre of the first point of a cluster's dataset, in page coordinates.
POINT = """(name) => {
  const chart = window.igny8Charts.map;
  const index = chart.data.datasets.findIndex(d => d.label === name);
  const point = chart.getDatasetMeta(index).data[0];
  const box = chart.canvas.getBoundingClientRect();
  return {x: box.left + point.x, y: box.top + point.y};
}"""


def test_map_click_opens_a_cluster_and_the_list_merges_two(
    transactional_db, live_server, alice, browser_page
):
    clusters = seed(alice)
    page, url = browser_page, live_server.url
    sign_in(page, url)

    page.goto(f"{url}/planner/clusters/map/")
    page.wait_for_function("window.igny8Charts && window.igny8Charts.map.data.datasets.length === 3")
    assert page.evaluate("window.igny8Charts.map.data.datasets.map(d => d.data.length)") == [3, 3, 2]
    assert page.evaluate("window.igny8Charts.volume.data.datasets[0].data") == [600, 600, 300]
    shot(page, "cluster-map")

    where = page.evaluate(POINT, "Grinders")
    page.mouse.move(where["x"], where["y"])
    with page.expect_navigation():
        page.mouse.click(where["x"], where["y"])
    assert page.url == f"{url}/planner/clusters/{clusters['Grinders'].pk}/"
    page.get_by_role("heading", name="Grinders").wait_for()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{url}/planner/clusters/map/")
    page.wait_for_function("window.igny8Charts && window.igny8Charts.map.data.datasets.length === 3")
    width = page.evaluate("document.getElementById('cluster-map').getBoundingClientRect().right")
    assert 0 < width <= 390, width
    shot(page, "cluster-map-phone")
    page.set_viewport_size({"width": 1400, "height": 1000})

    page.goto(f"{url}/planner/clusters/")
    page.get_by_label("Select Espresso").check()
    page.get_by_label("Select Cold brew").check()
    page.get_by_label("Merged name").fill("Coffee at home")
    with page.expect_navigation():
        page.get_by_role("button", name="Merge selected").click()
    page.get_by_role("heading", name="Coffee at home").wait_for()
    assert 'Merged 2 clusters into "Coffee at home".' in page.get_by_role("status").first.inner_text()
    assert page.url == f"{url}/planner/clusters/{clusters['Espresso'].pk}/"
    merged = Cluster.objects.get(pk=clusters["Espresso"].pk)
    assert (merged.name, merged.keywords_count, merged.volume) == ("Coffee at home", 5, 900)
    assert not Cluster.objects.filter(pk=clusters["Cold brew"].pk).exists()
    shot(page, "cluster-merged")
    assert page.js_errors == []
