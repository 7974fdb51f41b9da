"""Sign-up (through its emailed link), the three onboarding steps, and the team page with an
invitation's round trip, in a real browser (Debian's chromium via Playwright) against the live
server. No JavaScript error may reach the console."""

import re

from django.core import mail

from igny8.accounts.models import Membership
from igny8.planner.models import Keyword
from tests.web.browser import BROWSER_MARKS, shot, sign_in

pytestmark = BROWSER_MARKS

KEYWORDS = [
    "pour over kettle",
    "aeropress recipe",
    "french press ratio",
    "cold brew at home",
    "v60 grind size",
]


def link_in(body: str, path: str) -> str:
    return re.search(rf"http://[^/\s]+({path}\S+/)", body).group(1)


def test_signup_onboarding_and_team(transactional_db, live_server, alice, browser_page, mail_worker):
    page, url = browser_page, live_server.url

    # A brand-new person signs up from the login page.
    page.goto(f"{url}/login/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Full name").fill("Erin Example")
    page.get_by_label("Account name").fill("Erin Roastery")
    shot(page, "signup")
    page.get_by_role("button", name="Create the account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    # The password is chosen behind the emailed link.
    page.goto(url + link_in(mail.outbox[-1].body, "/signup/confirm/"))
    page.get_by_label("New password", exact=True).fill("a-long-unusual-passphrase")
    page.get_by_label("New password confirmation").fill("a-long-unusual-passphrase")
    shot(page, "signup-password")
    page.get_by_role("button", name="Create the account").click()

    # Step 1: the site.
    page.get_by_text("Step 1 of 3").wait_for()
    assert page.locator("[aria-current=step]").inner_text().strip().endswith("Site")
    page.get_by_label("Site name").fill("Erin Coffee")
    page.get_by_label("Address (URL)").fill("https://erin.example")
    shot(page, "onboarding-site")
    page.get_by_role("button", name="Create the site and continue").click()

    # Step 2: two sectors.
    page.get_by_text("Step 2 of 3").wait_for()
    page.get_by_label("Sector names, one per line").fill("Brewing\nBeans")
    shot(page, "onboarding-sectors")
    page.get_by_role("button", name="Save and continue").click()

    # Step 3: five pasted keywords, then the report, then Keywords.
    page.get_by_text("Step 3 of 3").wait_for()
    page.get_by_label("Keywords, one per line").fill("\n".join(KEYWORDS))
    page.get_by_label("Sector").select_option(label="Brewing")
    page.get_by_role("button", name="Import keywords").click()
    report = page.get_by_role("status").filter(has_text="Import report")
    assert "5 created, 0 duplicate(s), 0 skipped" in report.inner_text()
    shot(page, "onboarding-keywords")
    page.get_by_role("link", name="Done: open Keywords").click()
    page.get_by_role("heading", name="Keywords", exact=True).wait_for()
    table = page.locator("#keyword-table")
    for keyword in KEYWORDS:
        assert table.get_by_text(keyword, exact=True).count() == 1
    assert Keyword.objects.filter(site__name="Erin Coffee", sector__name="Brewing").count() == 5

    # Alice manages her team: she invites a newcomer as editor, who sets a password and joins.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, url)
    page.get_by_role("link", name="Team").click()
    page.get_by_label("Email").fill("dave@example.com")
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation to dave@example.com as Editor is on its way").wait_for()
    shot(page, "team-invited")
    link = link_in(mail.outbox[-1].body, "/invitations/")
    page.get_by_role("button", name="Sign out").click()
    page.goto(url + link)
    page.get_by_role("heading", name="Join Account A").wait_for()
    page.get_by_label("Full name").fill("Dave Example")
    page.get_by_label("New password", exact=True).fill("correct-horse-battery")
    page.get_by_label("New password confirmation").fill("correct-horse-battery")
    shot(page, "invitation-accept")
    page.get_by_role("button", name="Set password and join").click()
    page.get_by_role("heading", name="Dashboard").wait_for()
    membership = Membership.objects.get(user__email="dave@example.com", account=alice.account)
    assert membership.role == "editor"

    # Back as alice: make dave a viewer, then remove him.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, url)
    page.get_by_role("link", name="Team").click()
    row = page.locator(f"#member-{membership.pk}")
    row.get_by_label("Role of dave@example.com").select_option("viewer")
    row.get_by_role("button", name="Save role of dave@example.com").click()
    page.get_by_text("dave@example.com is now Viewer.").wait_for()
    assert Membership.objects.get(pk=membership.pk).role == "viewer"
    shot(page, "team")

    page.locator(f"#member-{membership.pk}").get_by_role("link", name="Remove dave@example.com").click()
    page.get_by_role("heading", name="Remove dave@example.com?").wait_for()
    page.get_by_role("button", name="Remove member").click()
    page.get_by_text("dave@example.com was removed from Account A.").wait_for()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert page.js_errors == []
