"""An automated accessibility audit of every page (LIST_PAGES, detail pages, a run's page and its
modal): one h1, headings without skipped levels, every control labelled, every image with alt, no
duplicate ids, every table named, th with scope, and the modal's dialog semantics."""

from collections import Counter
from itertools import pairwise

import pytest
from bs4 import BeautifulSoup

from tests.web.helpers import latest_run
from tests.web.test_pages import LIST_PAGES, detail_pages

HX = {"HTTP_HX_REQUEST": "true"}
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


def problems(html: str, *, fragment: bool = False) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for inert in soup.find_all("template"):  # cloned by scripts; not in the document until then
        inert.decompose()
    fragment = fragment or soup.find("html") is None  # an htmx partial has no h1 of its own
    found = []
    h1 = soup.find_all("h1")
    if not fragment and len(h1) != 1:
        found.append(f"{len(h1)} h1 elements")
    levels = [int(tag.name[1]) for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    for before, after in pairwise(levels):
        if after > before + 1:
            found.append(f"heading level jumps from h{before} to h{after}")
    labelled_ids = {label.get("for") for label in soup.find_all("label") if label.get("for")}
    for control in soup.find_all(["input", "select", "textarea"]):
        if control.name == "input" and control.get("type", "text") in UNLABELLED_TYPES:
            continue
        named = (
            control.get("id") in labelled_ids
            or control.get("aria-label")
            or control.get("aria-labelledby")
            or control.find_parent("label") is not None
        )
        if not named:
            found.append(f"unlabelled <{control.name} name={control.get('name')!r}>")
    for image in soup.find_all("img"):
        if image.get("alt") is None:
            found.append(f"img without alt: {image.get('src')}")
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    found += [f"duplicate id {name!r}" for name, count in ids.items() if count > 1]
    for table in soup.find_all("table"):
        if not (table.find("caption") or table.get("aria-label") or table.get("aria-labelledby")):
            found.append("table without caption or aria-label")
        for th in table.find_all("th"):
            if not th.get("scope"):
                found.append(f"th without scope: {th.get_text(strip=True)!r}")
    for svg in soup.find_all("svg"):
        if svg.get("aria-hidden") != "true" and not svg.get("aria-label"):
            found.append("svg icon not hidden from assistive technology")
    for button in soup.find_all("button"):
        if not (button.get_text(strip=True) or button.get("aria-label")):
            found.append("button without a name")
    return found


@pytest.mark.parametrize("url", LIST_PAGES)
def test_every_list_page_passes_the_audit(web, data, url):
    response = web.get(url)
    assert response.status_code == 200
    assert problems(response.content.decode()) == [], url


def test_detail_pages_pass_the_audit(web, data):
    for url in detail_pages(data):
        assert problems(web.get(url).content.decode()) == [], url


def test_run_page_and_modal_pass_the_audit(web, data):
    web.post("/writer/images/generate/", {"content_ids": [data["content"].pk]}, **HX)
    run = latest_run()
    assert problems(web.get(f"/runs/{run.task_id}/").content.decode()) == []
    modal = web.get(f"/runs/{run.task_id}/modal/", **HX).content.decode()
    assert problems(modal, fragment=True) == []
    soup = BeautifulSoup(modal, "html.parser")
    dialog = soup.find(attrs={"role": "dialog"})
    assert dialog["aria-modal"] == "true"
    assert soup.find(id=dialog["aria-labelledby"]).get_text() == "Generate images"
    assert soup.find(attrs={"data-announcer": True})["aria-live"] == "polite"


def test_pages_use_no_emoji_icons(web, data):
    for url in [*LIST_PAGES, *detail_pages(data)]:
        html = web.get(url).content.decode()
        for symbol in ("🔔", "⏳", "🔄", "✅", "❌"):
            assert symbol not in html, (url, symbol)


def test_skip_link_targets_the_focusable_main(web, data):
    soup = BeautifulSoup(web.get("/").content.decode(), "html.parser")
    skip = soup.find("a", class_="skip")
    assert skip["href"] == "#main"
    assert soup.find(id="main")["tabindex"] == "-1"


def test_no_template_comment_leaks_into_a_page(web, data):
    """Django's {# #} comments are one line only; a multi-line one is printed as text."""
    for url in [*LIST_PAGES, *detail_pages(data)]:
        assert "{#" not in web.get(url).content.decode(), url
