"""Issue 15, outliers: keywords no cluster took are "Not grouped", are not picked again until new
keywords arrive (or someone selects them), and a run that groups nothing says why."""

import pytest

from igny8.automation.actions.pipeline import ClusterKeywords
from igny8.planner import selectors
from igny8.planner.imports import keywords_import
from igny8.planner.models import Keyword
from tests.planner_ai.conftest import add_keywords
from tests.planner_ai.test_auto_cluster import COFFEE, OUTLIERS, SEMANTIC

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("embedding_model")]
URL = "/api/v1/planner/keywords/auto_cluster/"
APART = [
    ("tax return deadline", 50, 60),
    ("dog food", 60, 70),
    ("quantum chromodynamics lecture notes", 10, 90),
    ("how to tie a tie", 900, 5),
    ("running shoe store near me", 300, 20),
]


def texts(queryset) -> list[str]:
    return sorted(queryset.values_list("keyword", flat=True))


def test_not_grouped_are_left_alone_until_new_keywords_arrive(alice, run_now):
    add_keywords(alice, COFFEE)
    run_now(alice.client(), URL, {"site_id": alice.site.pk, **SEMANTIC})
    assert texts(Keyword.objects.filter(status="unclustered")) == OUTLIERS
    assert texts(selectors.keywords_to_cluster(account=alice.account, site=alice.site)) == []

    # A site-wide run now would only try the same keywords again: refused, saying so.
    response = alice.client().post(URL, {"site_id": alice.site.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["site_id"] == [
        "No new keywords since the last run. The 4 keyword(s) marked Not grouped fitted no cluster "
        "then and would not now; select them to re-cluster them with other settings (a lower "
        "threshold), or add keywords."
    ]
    assert texts(ClusterKeywords.left().filter(site=alice.site)) == []

    # New keywords arrive: the Not grouped ones get another chance with them.
    add_keywords(alice, [("pour over coffee ratio", 300, 10)])
    expected = sorted([*OUTLIERS, "pour over coffee ratio"])
    assert texts(selectors.keywords_to_cluster(account=alice.account, site=alice.site)) == expected
    assert texts(ClusterKeywords.left().filter(site=alice.site)) == expected

    # The API lists and filters them by their own status.
    listed = alice.client().get("/api/v1/planner/keywords/", {"status": "unclustered"}).json()
    assert sorted(row["keyword"] for row in listed["results"]) == OUTLIERS


def test_reclustering_keywords_that_fit_nowhere_says_why(alice, run_now):
    made = add_keywords(alice, APART)
    response, run = run_now(alice.client(), URL, {"ids": [k.pk for k in made]})
    assert response.status_code == 202
    assert (run.status, run.total, run.credits_used) == ("success", 0, 0)
    assert run.message == (
        "No cluster formed: none of these 5 keywords is close enough in meaning (similarity 0.70) to "
        "another keyword with the same search intent and modifiers. They are marked Not grouped; "
        "re-cluster them with a lower threshold or add related keywords."
    )
    assert texts(Keyword.objects.filter(status="unclustered")) == sorted(k for k, *_ in APART)


def test_selected_not_grouped_keywords_can_join_a_cluster(alice, run_now):
    add_keywords(alice, COFFEE)
    run_now(alice.client(), URL, {"site_id": alice.site.pk, **SEMANTIC})
    ids = list(Keyword.objects.filter(status="unclustered").values_list("pk", flat=True))
    ids += [k.pk for k in add_keywords(alice, [("pour over coffee recipe", 100, 5)])]
    _, run = run_now(alice.client(), URL, {"ids": ids, "threshold": 0.66})
    assert run.status == "success"
    pour_over = Keyword.objects.get(keyword="pour over coffee")
    assert pour_over.status == "clustered"
    assert texts(pour_over.cluster.keywords.all()) == [
        "pour over coffee",
        "pour over coffee recipe",
        "v60 pour over",
    ]
    assert texts(Keyword.objects.filter(status="unclustered")) == ["dog food", "tax return deadline"]


def test_import_classifies_intent_unless_the_file_says(alice):
    keywords_import(
        site=alice.site,
        data=b"keyword,intent\nbest running shoes,\nhow to clean running shoes,\n"
        b"running shoe store near me,\nrunning shoes women,informational\n",
    )
    assert dict(Keyword.objects.values_list("keyword", "intent")) == {
        "best running shoes": "commercial",
        "how to clean running shoes": "informational",
        "running shoe store near me": "transactional",
        "running shoes women": "informational",  # the tool's column wins
    }
