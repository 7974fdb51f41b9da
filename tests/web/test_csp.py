"""The Content-Security-Policy: every page carries exactly the strict policy of settings.py, and no
page needs more than it allows (no inline script or style, no on*= / style= / hx-on attributes, no
javascript: URLs, no eval). A walker follows the links and hx-get fragments from every page the web
suite knows, as a member, anonymously and as a staff user in the admin; a browser test then shows
the policy is enforced and that the pages it visits, the API docs and the admin included, report
no violation."""

import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from igny8.automation import services as automation_services
from tests.web.browser import BROWSER_MARKS, sign_in
from tests.web.helpers import execute, latest_run
from tests.web.test_pages import LIST_PAGES, detail_pages

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
HX = {"HTTP_HX_REQUEST": "true"}
# Not pages: files, the JSON API, and sign-out (a POST anyway).
SKIP = ("/static/", "/media/", "/api/v1/", "/api/schema/", "/logout/")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "data"}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"{name} given twice"
        parsed[name] = values
    return parsed


def evaluated_by_htmx(name: str, value: str) -> bool:
    """hx-on handlers, hx-vars and js: values are code htmx runs through eval."""
    if name.startswith(("hx-on", "data-hx-on")) or name in {"hx-vars", "data-hx-vars"}:
        return True
    return name.endswith("hx-vals") and "js:" in value


class InlineCode(HTMLParser):
    """What a strict policy refuses in a page, and the same-origin links and fragments it offers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[tuple[str, bool]] = []  # (url, is an htmx fragment)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # Data blocks (json_script's, an export's JSON-LD) are not run: the policy does not apply.
        data_block = attributes.get("type") in ("application/json", "application/ld+json")
        if tag == "script" and not attributes.get("src") and not data_block:
            self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            value = value or ""
            if re.fullmatch(r"on[a-z]+", name):
                self.problems.append(f"{name}= handler on <{tag}>")
            elif evaluated_by_htmx(name, value):
                self.problems.append(f"{name} on <{tag}> (htmx evaluates it)")
            elif name == "style":
                self.problems.append(f'style="{value}" on <{tag}>')
            elif name in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "a" and attributes.get("href"):
            self.links.append((attributes["href"], False))
        if attributes.get("hx-get"):
            self.links.append((attributes["hx-get"], True))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def inspect(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser


def crawl(client: Client, start: list[str], *, limit: int, per_path: int = 4) -> dict[str, object]:
    """GET every page reachable from `start` (breadth first, at most `per_path` query variants of
    one path), checking each answer as it comes; returns the HTML pages by URL."""
    queue = deque((url, False) for url in start)
    seen: set[tuple[str, bool]] = set()
    variants: dict[str, int] = {}
    pages: dict[str, object] = {}
    while queue and len(seen) < limit:
        url, fragment = queue.popleft()
        if (url, fragment) in seen:
            continue
        seen.add((url, fragment))
        response = client.get(url, **(HX if fragment else {}))
        label = f"{url}{' (htmx)' if fragment else ''}"
        assert response.status_code < 500, label
        assert directives(response["Content-Security-Policy"]) == POLICY, label
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        found = inspect(response.content.decode())
        assert found.problems == [], (label, found.problems)
        pages[label] = response
        for link, is_fragment in found.links:
            parts = urlsplit(urljoin(url, link))
            if parts.scheme or parts.netloc or parts.path.startswith(SKIP):
                continue  # another site, or not a page
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if (target, is_fragment) in seen:
                continue
            if parts.query:
                if variants.get(parts.path, 0) >= per_path:
                    continue
                variants[parts.path] = variants.get(parts.path, 0) + 1
            queue.append((target, is_fragment))
    return pages


@pytest.fixture
def site_with_history(alice, data):
    """A finished run, a pending one, an automation rule with an execution: their pages exist."""
    client = Client()
    client.force_login(alice.user)
    client.post("/planner/clusters/ideas/", {"ids": [data["cluster"].pk]}, **HX)
    finished = execute(latest_run())
    client.post("/planner/clusters/ideas/", {"ids": [data["cluster"].pk]}, **HX)
    rule = automation_services.rule_create(
        account=alice.account,
        name="Nightly",
        site=alice.site,
        actions=[{"type": "generate_ideas", "params": {"max_items": 5}}],
    )
    execution = automation_services.rule_execute(rule=rule, user=alice.user)
    return {"run": finished, "pending": latest_run(), "rule": rule, "execution": execution}


def test_member_pages_and_fragments_pass_the_policy(web, data, site_with_history):
    history = site_with_history
    start = [
        *LIST_PAGES,
        *detail_pages(data),
        f"/runs/{history['run'].task_id}/",
        f"/runs/{history['pending'].task_id}/",
        f"/automation/{history['rule'].pk}/",
        f"/automation/executions/{history['execution'].pk}/",
    ]
    pages = crawl(web, start, limit=400)
    # The walk reached the run modal and the polled fragments, not only the start pages.
    for label in (
        f"/runs/{history['run'].task_id}/modal/ (htmx)",
        f"/runs/{history['pending'].task_id}/progress/ (htmx)",
        f"/automation/executions/{history['execution'].pk}/progress/ (htmx)",
        f"/automation/{history['rule'].pk}/edit/",
        f"/writer/content/{data['content'].pk}/",
    ):
        assert label in pages, label
    assert len(pages) >= 60, sorted(pages)


def test_progress_bars_carry_their_value_without_a_style_attribute(web, data, site_with_history):
    page = web.get(f"/runs/{site_with_history['run'].task_id}/").content.decode()
    assert (
        '<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="100" '
        'aria-label="Progress"><span></span></div>'
    ) in page


def test_anonymous_pages_and_api_docs_pass_the_policy(db):
    client = Client()
    pages = crawl(client, ["/login/", "/signup/", "/api/docs/", "/admin/login/", "/no-such-page/"], limit=40)
    assert {"/login/", "/signup/", "/api/docs/", "/admin/login/", "/no-such-page/"} <= set(pages)
    assert pages["/no-such-page/"].status_code == 404
    docs = pages["/api/docs/"].content.decode()
    # Swagger UI's init script is a file of its own (?script), with the policy on it too.
    assert '<script src="/api/docs/?script="></script>' in docs
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"] == "application/javascript"
    assert directives(script["Content-Security-Policy"]) == POLICY
    assert b"SwaggerUIBundle" in script.content


def test_admin_pages_pass_the_policy(alice, data):
    alice.user.is_staff = alice.user.is_superuser = True
    alice.user.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(alice.user)
    beat = "/admin/django_celery_beat/periodictask/add/"  # its inline script is ours to replace
    start = ["/admin/", beat, f"/admin/accounts/user/{alice.user.pk}/change/", "/admin/planner/keyword/add/"]
    pages = crawl(client, start, limit=120, per_path=2)
    assert len([label for label in pages if label.startswith("/admin/")]) >= 40, sorted(pages)
    assert '<script id="periodic-task-overrides" src="/static/web/admin-periodic-task.js"' in (
        pages[beat].content.decode()
    )


def test_htmx_is_configured_for_the_policy(web):
    html = web.get("/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert json.loads(config.group(1)) == {
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
    }


def test_the_walker_sees_what_the_policy_refuses():
    found = inspect(
        "<script>alert(1)</script><style>p{}</style><a href='JavaScript:alert(1)' onclick='x()'>a</a>"
        "<p style='color:red' hx-on:click='x()' hx-vals='js:{a: 1}'></p><script src='/static/a.js'></script>"
        '<script type="application/json" id="data">{"a": 1}</script>'
    )
    assert found.problems == [
        "<script> without src",
        "<style> element",
        "href='JavaScript:alert(1)' on <a>",
        "onclick= handler on <a>",
        'style="color:red" on <p>',
        "hx-on:click on <p> (htmx evaluates it)",
        "hx-vals on <p> (htmx evaluates it)",
    ]


# -- in the browser --------------------------------------------------------------------------------
def in_the_browser(test):
    for mark in BROWSER_MARKS:
        test = mark(test)
    return test


@in_the_browser
def test_the_browser_enforces_the_policy_and_the_pages_need_nothing_more(
    transactional_db, live_server, settings, alice, data, browser_page
):
    page, url = browser_page, live_server.url
    sign_in(page, url)
    # The policy is enforced: an injected inline script does not run, and the fixture hears of it.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.appendChild(s); }"
    )
    page.evaluate("0")
    assert page.evaluate("window.injected === undefined")
    assert [v.split(" refused ")[0] for v in page.csp_violations] == ["script-src-elem"]
    assert any("Content Security Policy" in error for error in page.js_errors), page.js_errors
    page.csp_violations.clear()
    page.js_errors.clear()

    # Whole pages only: the schedule preview is a fragment (no icon link, so chromium asks for
    # /favicon.ico); the editor page loads it through htmx.
    for path in [*(p for p in LIST_PAGES if "schedule-preview" not in p), *detail_pages(data)]:
        page.goto(f"{url}{path}")
        page.wait_for_load_state("networkidle")
    # A run modal opened by htmx: its bar gets its width from the script, not a style attribute.
    page.goto(f"{url}/writer/tasks/")
    page.get_by_label("Select all on this page").check()
    page.get_by_role("button", name="Generate content", exact=True).click()
    bar = page.get_by_role("dialog").get_by_role("progressbar")
    bar.wait_for()
    width = bar.locator("span").evaluate("span => span.style.width")
    assert width == bar.get_attribute("aria-valuenow") + "%"
    # The account switcher still submits on change without its inline handler.
    page.goto(f"{url}/planner/keywords/")
    with page.expect_navigation():
        page.get_by_label("Site").select_option(label="Alice Site")
    assert page.url == f"{url}/planner/keywords/"

    # The API docs render their operations under the same policy.
    page.goto(f"{url}/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 10
    page.locator(".opblock-summary").first.click()
    page.wait_for_load_state("networkidle")
    page.evaluate("0")
    assert page.js_errors == []

    # The admin. Its pages have no icon link, so chromium's /favicon.ico 404 is logged there;
    # any other error counts.
    from django_celery_beat.models import CrontabSchedule

    CrontabSchedule.objects.create(minute="0", hour="9")
    alice.user.is_staff = alice.user.is_superuser = True
    alice.user.save(update_fields=["is_staff", "is_superuser"])
    for path in ("/admin/", "/admin/planner/keyword/", f"/admin/accounts/user/{alice.user.pk}/change/"):
        page.goto(f"{url}{path}")
        page.wait_for_load_state("networkidle")
    # django-celery-beat's crontab translation, moved out of its inline script, still works.
    page.goto(f"{url}/admin/django_celery_beat/periodictask/add/")
    page.locator("#id_crontab").select_option(index=1)
    help_text = page.locator(".field-crontab .help").inner_text()
    assert help_text.endswith("\nTranslation: At 09:00 AM UTC"), help_text
    page.evaluate("0")
    assert page.csp_violations == []
    assert [error for error in page.js_errors if not error.startswith("Failed to load resource")] == []
