import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from igny8.planner.csv_reading import map_columns
from igny8.planner.models import Keyword

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header", ["serp_urls", "Top URLs", "urls", "SERP URLs"])
def test_url_column_aliases(header):
    assert map_columns(["keyword", header])[0] == {"keyword": 0, "serp_urls": 1}


def test_import_reads_ranking_urls_split_on_pipes_or_spaces(api, alice):
    data = (
        b"keyword,volume,top_urls\n"
        b"v60 recipe,100,https://a.example/v60 | https://b.example/x|https://a.example/v60\n"
        b'chemex recipe,50,"https://c.example/1  https://d.example/2"\n'
        b"moka pot,10,\n"
        b"aeropress,10,not-a-url\n"
    )
    file = SimpleUploadedFile("k.csv", data, content_type="text/csv")
    response = api.post(
        "/api/v1/planner/keywords/import/", {"file": file, "site_id": alice.site.pk}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["data"]["skipped"] == [
        {
            "row": 5,
            "keyword": "aeropress",
            "reason": "serp_urls must be http(s) URLs separated by '|' or spaces, got 'not-a-url'",
        }
    ]
    assert dict(Keyword.objects.values_list("keyword", "serp_urls")) == {
        "v60 recipe": ["https://a.example/v60", "https://b.example/x"],
        "chemex recipe": ["https://c.example/1", "https://d.example/2"],
        "moka pot": [],
    }
