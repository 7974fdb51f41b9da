"""Phones (issue 13, point 9): at 390 px every page of the web app fits the screen. The pages come
from the URL resolver (every route outside admin/API/media, its parameters filled with alice's
objects), kept when a signed-in GET answers a full HTML page; none may be wider than the screen
or have a control outside it (a wide table scrolls inside its card instead). The navigation sits
behind the Menu button. Screenshots: phone-dashboard.png, phone-menu.png, phone-editor.png."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from igny8.accounts.models import Membership
from igny8.ai.models import AIRun
from igny8.automation import services as automation_services
from igny8.publishing.models import PublishRecord
from tests.web.browser import BROWSER_MARKS, shot, sign_in

pytestmark = BROWSER_MARKS
WIDTH = 390
SKIPPED_PREFIXES = ("admin/", "api/", "media/", "static/", "healthz")

# Everything in the page that is wider than the screen, or a control that reaches past its edge,
# unless it sits in a box that scrolls sideways (a wide table in its card).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const scrolls = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (["auto", "scroll"].includes(style.overflowX) && node.scrollWidth > node.clientWidth) return true;
    }
    return false;
  };
  const out = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) {
    // Name the widest culprits: elements reaching past the edge whose children do not.
    const wide = [...document.querySelectorAll("body *")].filter((el) => {
      const box = el.getBoundingClientRect();
      return box.right > width + 1 && !scrolls(el) && ![...el.children].some(
        (child) => child.getBoundingClientRect().right > width + 1);
    });
    out.push("page " + page + "px: " + wide.slice(0, 4).map(
      (el) => el.tagName.toLowerCase() + "." + [...el.classList].join(".")).join(", "));
  }
  for (const el of document.querySelectorAll("a, button, input, select, textarea, summary, label")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    // Off-screen on purpose: the skip link, screen-reader texts, a closed menu.
    if (el.closest(".skip, .sr-only, details:not([open]) > :not(summary)")) continue;
    if ((box.right > width + 1 || box.left < -1) && !scrolls(el)) {
      const what = (el.textContent || el.name || el.id || "").trim().slice(0, 40);
      const where = Math.round(box.left) + "-" + Math.round(box.right);
      out.push(el.tagName.toLowerCase() + " " + what + " at " + where);
    }
  }
  return out;
}"""


def routes(resolver=None, prefix: str = "") -> list[tuple[str, str]]:
    """(route template, url name) of every pattern, with its includes' prefixes."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += routes(entry, route)
        elif isinstance(entry, URLPattern):
            found.append((route, entry.name or ""))
    return found


def parameters(alice, data) -> dict[str, str]:
    """A value for each URL parameter, by route name first, then by parameter name."""
    rule = automation_services.rule_create(
        account=alice.account,
        name="Nightly",
        site=alice.site,
        actions=[{"type": "cluster_keywords", "params": {}}],
    )
    run = AIRun.objects.create(
        account=alice.account,
        site=alice.site,
        function_name="auto_cluster",
        task_id="phone-run-1",
    )
    record = PublishRecord.objects.create(
        account=alice.account, site=alice.site, content=data["content"], status="failed", error="Refused."
    )
    from igny8.system.models import AuthorProfile

    profile = AuthorProfile.objects.create(account=alice.account, name="House voice", language="en")
    from igny8.planner.models import KeywordImport
    from igny8.system.models import ProviderCheck

    upload = KeywordImport.objects.create(
        account=alice.account, site=alice.site, file_name="big.csv", file_path="imports/big.csv", file_size=2
    )
    check = ProviderCheck.objects.create(account=alice.account, kind="openai")
    return {
        "keyword-import-progress": upload.pk,
        "settings-check": check.pk,
        "author-profile": profile.pk,
        "cluster": data["cluster"].pk,
        "idea": data["idea"].pk,
        "content": data["content"].pk,
        "image": data["images"][0].pk,
        "site": alice.site.pk,
        "sector": alice.sector.pk,
        "automation": rule.pk,
        "team": Membership.objects.get(user=alice.user, account=alice.account).pk,
        "publishing": record.pk,
        "token": "no-such-token",
        "uidb64": "MQ",
        "token_revoke": 1,
        "task_id": run.task_id,
        "kind": "openai",
        "prompt_type": "clustering",
        "fmt": "html",
    }


def fill(route: str, name: str, values: dict) -> str:
    def value(match) -> str:
        param = match.group(1).split(":")[-1]
        if param != "pk" and param in values:
            return str(values[param])
        head = next((key for key in values if name == key or name.startswith(key + "-")), None)
        assert head is not None, f"route {route} ({name}) has no value for <{param}>: add it to parameters()"
        return str(values[head])

    return "/" + re.sub(r"<([^>]+)>", value, route).replace("^", "").replace("$", "")


def html_pages(client: Client, values: dict) -> list[str]:
    pages = []
    for route, name in routes():
        if route.startswith(SKIPPED_PREFIXES) or "(?P<" in route:
            continue
        url = fill(route, name, values)
        response = client.get(url)
        full_page = response.status_code == 200 and response["Content-Type"].startswith("text/html")
        download = response.get("Content-Disposition", "").startswith("attachment")
        if full_page and not download and b"<html" in response.content[:200]:
            pages.append(url)
    return sorted(set(pages))


def test_every_page_fits_a_phone(transactional_db, live_server, alice, data, browser_page):
    values = parameters(alice, data)
    client = Client()
    client.force_login(alice.user)
    pages = html_pages(client, values)
    # The resolver found the app's pages, not a few: the main lists, details and the editor.
    for expected in (
        "/",
        "/planner/keywords/",
        "/writer/content/",
        f"/writer/content/{data['content'].pk}/edit/",
    ):
        assert expected in pages
    assert len(pages) >= 25, pages

    page, url = browser_page, live_server.url
    page.set_viewport_size({"width": WIDTH, "height": 844})
    sign_in(page, url)
    menu = page.locator("[data-menu-toggle]")
    assert menu.is_visible() and not page.locator("#sidenav").is_visible()
    shot(page, "phone-dashboard")
    menu.click()
    assert page.locator("#sidenav").is_visible() and menu.get_attribute("aria-expanded") == "true"
    shot(page, "phone-menu")

    problems = {}
    for path in pages:
        page.goto(url + path)
        found = page.evaluate(OVERFLOW)
        if found:
            problems[path] = found
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())
    page.goto(f"{url}/writer/content/{data['content'].pk}/edit/")
    shot(page, "phone-editor")
    assert page.js_errors == []


@pytest.mark.parametrize("name", ["cluster", "automation-edit"])
def test_fill_uses_the_routes_object(name):
    assert (
        fill("x/<int:pk>/", name, {"cluster": 3, "automation": 9}) == f"/x/{3 if name == 'cluster' else 9}/"
    )
