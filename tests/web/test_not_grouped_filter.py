"""The keyword table shows the classified intent and the "Not grouped" status, and filters by it."""

import pytest

from igny8.planner.models import Keyword
from igny8.planner.services import keyword_create

pytestmark = pytest.mark.django_db


def test_not_grouped_status_and_intent_column(web, alice):
    for text in ("running shoe store near me", "how to clean running shoes", "best running shoes"):
        keyword_create(account=alice.account, site=alice.site, keyword=text)
    Keyword.objects.filter(keyword="how to clean running shoes").update(status="unclustered")
    assert dict(Keyword.objects.values_list("keyword", "intent")) == {
        "running shoe store near me": "transactional",
        "how to clean running shoes": "informational",
        "best running shoes": "commercial",
    }

    page = web.get("/planner/keywords/", {"status": "unclustered"}).content.decode()
    assert '<option value="unclustered" selected>Not grouped</option>' in page
    assert "how to clean running shoes" in page
    assert "best running shoes" not in page
    assert "<td>Informational</td>" in page
    assert '<span class="status status-unclustered">Not grouped</span>' in page
    # The auto-cluster form says a blank threshold is chosen per list (clustering/adaptive.py).
    assert "blank: chosen for these keywords, 0.64 to 0.86)" in page
