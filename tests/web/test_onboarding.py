"""Sign-up, new accounts and the three onboarding steps (site, sectors, first keywords)."""

import re
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from igny8.accounts import services
from igny8.accounts.models import Account, Membership, Sector, Site, User
from igny8.planner.models import Keyword
from igny8.web.views.onboarding import pasted_csv
from igny8.web.workspace import ACCOUNT_KEY, SITE_KEY
from tests.web.conftest import signed_in

SIGNUP = {"email": "Erin@Example.com", "full_name": "Erin Example", "account_name": "Erin's Roastery"}
PASSWORD = "a-long-unusual-passphrase"
CONFIRM = re.compile(r"http://testserver(/signup/confirm/\S+/)")


@pytest.fixture
def newcomer(db) -> Client:
    """Erin, signed in with a brand-new account that has no site."""
    user = services.user_create(email="erin@example.com", password="correct-horse-battery")
    services.account_create(name="Erin Co", owner=user)
    return signed_in(user)


def erin_account() -> Account:
    return Account.objects.get(memberships__user__email="erin@example.com")


# --- sign-up ----------------------------------------------------------------------------------


def test_signup_page_and_login_link(db):
    client = Client()
    page = client.get("/signup/")
    assert page.status_code == 200
    text = page.content.decode()
    for label in ("Email", "Full name", "Account name"):
        assert f">{label}</label>" in text
    assert 'href="/signup/">Create an account</a>' in client.get("/login/").content.decode()


def test_signup_emails_a_link_that_creates_user_account_and_owner_once(db, mail_worker):
    client = Client()
    with mail_worker():
        response = client.post("/signup/", SIGNUP)
    assert (response.status_code, response["Location"]) == (302, "/signup/sent/")
    assert "Follow its link to choose your password" in client.get("/signup/sent/").content.decode()
    assert (User.objects.count(), Account.objects.count()) == (0, 0)  # nothing before the link
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["erin@example.com"], "Finish creating your IGNY8 account")
    link = CONFIRM.search(message.body).group(1)

    form = client.get(link)
    assert form.status_code == 200
    assert "owner of the new account <strong>Erin&#x27;s Roastery</strong>" in form.content.decode()
    differ = client.post(link, {"new_password1": PASSWORD, "new_password2": "something-else-entirely"})
    assert differ.status_code == 400
    assert "The two password fields didn\u2019t match." in unescape(differ.content.decode())
    created = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert (created.status_code, created["Location"]) == (302, "/onboarding/")
    user = User.objects.get()
    assert (user.email, user.full_name) == ("erin@example.com", "Erin Example")
    assert user.check_password(PASSWORD)
    account = Account.objects.get()
    assert (account.name, account.slug) == ("Erin's Roastery", "erins-roastery")
    assert list(Membership.objects.values_list("user__email", "account__name", "role")) == [
        ("erin@example.com", "Erin's Roastery", "owner")
    ]
    assert client.session[ACCOUNT_KEY] == account.pk
    assert int(client.session["_auth_user_id"]) == user.pk
    # Signed in, the onboarding's first step opens; sign-up again is the new-account page.
    assert client.get("/onboarding/")["Location"] == "/onboarding/site/"
    assert client.get("/signup/")["Location"] == "/accounts/new/"
    used = Client().post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert used.status_code == 404
    assert "erin@example.com already has a user here: sign in instead." in used.content.decode()
    assert User.objects.count() == 1 and Account.objects.count() == 1


def test_signup_answers_the_same_for_a_registered_email(alice, mail_worker):
    """The page cannot tell who is registered; the registered person gets a note instead."""
    with mail_worker():
        known = Client().post("/signup/", {**SIGNUP, "email": "ALICE@example.com"})
        unknown = Client().post("/signup/", SIGNUP)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["alice@example.com"], "You already have an IGNY8 user"),
        (["erin@example.com"], "Finish creating your IGNY8 account"),
    ]
    assert "http://testserver/password/reset/" in mail.outbox[0].body
    assert "/signup/confirm/" not in mail.outbox[0].body
    assert (User.objects.count(), Account.objects.count()) == (1, 1)


def test_a_forged_or_expired_signup_link_is_refused(db, settings, mail_worker):
    client = Client()
    with mail_worker():
        client.post("/signup/", SIGNUP)
    link = CONFIRM.search(mail.outbox[0].body).group(1)
    forged = client.get(link[:-3] + "xx/")
    assert forged.status_code == 404
    assert "This sign-up link is not valid; check that it was copied whole." in forged.content.decode()
    settings.SIGNUP_LINK_MAX_AGE_HOURS = 0
    expired = client.get(link)
    assert expired.status_code == 404
    assert "This sign-up link has expired; sign up again for a new one." in expired.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "nope"}, "email", "Enter a valid email address."),
        ({"account_name": ""}, "account_name", "This field is required."),
    ],
)
def test_signup_errors_inline(alice, change, field, message, mail_worker):
    with mail_worker():
        response = Client().post("/signup/", {**SIGNUP, **change})
    assert response.status_code == 400
    text = response.content.decode()
    assert f'<p class="error" id="id_{field}_error" role="alert">{message}</p>' in text
    assert mail.outbox == []


def test_signup_closed(db, settings):
    settings.SIGNUP_OPEN = False
    client = Client()
    assert client.get("/signup/").status_code == 404
    assert client.post("/signup/", SIGNUP).status_code == 404
    assert "Create an account" not in client.get("/login/").content.decode()
    assert User.objects.count() == 0


def test_new_account_for_a_signed_in_user(web, alice):
    page = web.get("/accounts/new/")
    assert page.status_code == 200
    assert 'href="/accounts/new/">New account</a>' in page.content.decode()
    assert web.post("/accounts/new/", {"name": ""}).status_code == 400
    response = web.post("/accounts/new/", {"name": "Second Shop"})
    assert response.status_code == 302
    assert response["Location"] == "/onboarding/"
    account = Account.objects.get(name="Second Shop")
    assert list(account.memberships.values_list("user__email", "role")) == [("alice@example.com", "owner")]
    assert web.session[ACCOUNT_KEY] == account.pk
    assert SITE_KEY not in web.session
    # The session now acts in the new account: no site yet, so the site step.
    assert web.get("/onboarding/")["Location"] == "/onboarding/site/"
    assert "Set up Second Shop" in web.get("/").content.decode()


def test_new_account_closed_with_signup(web, settings):
    settings.SIGNUP_OPEN = False
    assert web.get("/accounts/new/").status_code == 404
    assert web.post("/accounts/new/", {"name": "X"}).status_code == 404
    assert not Account.objects.filter(name="X").exists()


# --- onboarding -------------------------------------------------------------------------------


def test_dashboard_points_to_onboarding(newcomer):
    page = newcomer.get("/").content.decode()
    assert "Set up Erin Co" in page
    assert 'href="/onboarding/">Start onboarding</a>' in page


def test_site_step_creates_the_site(newcomer):
    page = newcomer.get("/onboarding/site/").content.decode()
    assert "Step 1 of 3" in page
    assert 'aria-current="step"' in page
    response = newcomer.post("/onboarding/site/", {"name": "Erin Coffee", "url": "https://erin.example"})
    assert response.status_code == 302
    assert response["Location"] == "/onboarding/sectors/"
    site = Site.objects.get(account=erin_account())
    assert (site.name, site.url, site.is_active) == ("Erin Coffee", "https://erin.example", True)
    assert newcomer.session[SITE_KEY] == site.pk
    # Revisited, step 1 edits that site instead of adding another.
    again = newcomer.post("/onboarding/site/", {"name": "Erin's Coffee", "url": ""})
    assert again.status_code == 302
    assert list(Site.objects.filter(account=erin_account()).values_list("name", "url")) == [
        ("Erin's Coffee", "")
    ]


def test_site_step_errors_inline(newcomer, alice):
    bad = newcomer.post("/onboarding/site/", {"name": "", "url": "not a url"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert '<p class="error" id="id_name_error" role="alert">This field is required.</p>' in text
    assert '<p class="error" id="id_url_error" role="alert">Enter a valid URL.</p>' in text
    newcomer.post("/onboarding/site/", {"name": "Erin Coffee"})
    clash = newcomer.post("/onboarding/site/", {"name": "Erin Coffee", "new": "1"})
    assert clash.status_code == 400
    assert "A site with this name already exists in the account." in clash.content.decode()
    assert Site.objects.filter(account=erin_account()).count() == 1


def test_site_step_refuses_over_max_sites(web, alice):
    plan = alice.account.plan
    plan.max_sites = 1
    plan.save()
    message = "Your plan allows 1 sites; delete one or upgrade the plan."
    shown = web.get("/onboarding/site/?new=1")
    assert shown.status_code == 200
    assert message in shown.content.decode()
    refused = web.post("/onboarding/site/", {"name": "Second", "new": "1"})
    assert refused.status_code == 402
    assert message in refused.content.decode()
    assert list(Site.objects.filter(account=alice.account).values_list("name", flat=True)) == ["Alice Site"]


def test_add_a_site_later(web, alice):
    assert 'href="/onboarding/site/?new=1">Add a site</a>' in web.get("/").content.decode()
    response = web.post("/onboarding/site/", {"name": "Tea Blog", "url": "https://tea.example", "new": "1"})
    assert response.status_code == 302
    tea = Site.objects.get(account=alice.account, name="Tea Blog")
    assert web.session[SITE_KEY] == tea.pk
    assert Site.objects.get(pk=alice.site.pk).name == "Alice Site"  # unchanged


def test_sectors_step(newcomer):
    newcomer.post("/onboarding/site/", {"name": "Erin Coffee"})
    page = newcomer.get("/onboarding/sectors/").content.decode()
    assert "Step 2 of 3" in page
    response = newcomer.post("/onboarding/sectors/", {"names": "Espresso\n\n  Filter coffee  \n"})
    assert response.status_code == 302
    assert response["Location"] == "/onboarding/keywords/"
    site = Site.objects.get(account=erin_account())
    assert sorted(Sector.objects.filter(site=site).values_list("name", "account_id")) == [
        ("Espresso", site.account_id),
        ("Filter coffee", site.account_id),
    ]
    # Revisited: the ones there are listed; an empty form just moves on.
    assert "Espresso" in newcomer.get("/onboarding/sectors/").content.decode()
    assert newcomer.post("/onboarding/sectors/", {"names": ""})["Location"] == "/onboarding/keywords/"


def test_sectors_step_refuses_duplicates_and_keeps_nothing(newcomer):
    newcomer.post("/onboarding/site/", {"name": "Erin Coffee"})
    empty = newcomer.post("/onboarding/sectors/", {"names": "  \n"})
    assert empty.status_code == 400
    assert "Enter at least one sector name." in empty.content.decode()
    newcomer.post("/onboarding/sectors/", {"names": "Espresso"})
    response = newcomer.post("/onboarding/sectors/", {"names": "Tea\nEspresso\nTea"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Line 2 “Espresso”: This site already has a sector with this name." in text
    assert "Line 3 “Tea”: repeats line 1." in text
    assert list(Sector.objects.filter(site__account=erin_account()).values_list("name", flat=True)) == [
        "Espresso"
    ]


def test_keywords_step_imports_pasted_keywords(newcomer):
    newcomer.post("/onboarding/site/", {"name": "Erin Coffee"})
    newcomer.post("/onboarding/sectors/", {"names": "Espresso\nTea"})
    site = Site.objects.get(account=erin_account())
    tea = Sector.objects.get(site=site, name="Tea")
    page = newcomer.get("/onboarding/keywords/").content.decode()
    assert "Step 3 of 3" in page
    assert 'href="/planner/keywords/">Skip for now</a>' in page
    pasted = "green tea\noolong tea, loose\n\nGreen Tea\n" + "x" * 300 + "\nmatcha whisk\n"
    response = newcomer.post("/onboarding/keywords/", {"keywords": pasted, "sector": tea.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<strong>3</strong> created, <strong>1</strong> duplicate(s), <strong>1</strong> skipped" in text
    assert "Line 4: “Green Tea” — repeats line 1" in text
    assert "Line 5:" in text and "keyword is longer than 255 characters (300)" in text
    assert 'href="/planner/keywords/">Done: open Keywords</a>' in text
    rows = sorted(Keyword.objects.filter(site=site).values_list("keyword", "sector_id", "account_id"))
    assert rows == [
        ("green tea", tea.pk, site.account_id),
        ("matcha whisk", tea.pk, site.account_id),
        ("oolong tea, loose", tea.pk, site.account_id),
    ]


def test_keywords_step_imports_a_csv(newcomer):
    newcomer.post("/onboarding/site/", {"name": "Erin Coffee"})
    upload = SimpleUploadedFile("k.csv", b"keyword,volume\nbest grinder,300\nburr grinder,200\n")
    response = newcomer.post("/onboarding/keywords/", {"file": upload, "sector": ""})
    assert response.status_code == 200
    assert "<strong>2</strong> created, <strong>0</strong> duplicate(s)" in response.content.decode()
    assert sorted(Keyword.objects.values_list("keyword", "volume", "sector_id")) == [
        ("best grinder", 300, None),
        ("burr grinder", 200, None),
    ]


def test_keywords_step_errors(newcomer, settings):
    newcomer.post("/onboarding/site/", {"name": "Erin Coffee"})
    nothing = newcomer.post("/onboarding/keywords/", {"keywords": " "})
    assert nothing.status_code == 400
    assert "Paste at least one keyword, or choose a CSV file." in nothing.content.decode()
    headerless = SimpleUploadedFile("k.csv", b"term;vol\n")
    bad = newcomer.post("/onboarding/keywords/", {"file": headerless})
    assert bad.status_code == 400
    assert "The file has a header row but no keyword rows." in bad.content.decode()
    both = newcomer.post(
        "/onboarding/keywords/", {"keywords": "a", "file": SimpleUploadedFile("k.csv", b"keyword\nb\n")}
    )
    assert both.status_code == 400
    assert "Paste keywords or choose a file, not both." in both.content.decode()
    settings.KEYWORD_IMPORT_MAX_BYTES = 20
    big = newcomer.post("/onboarding/keywords/", {"keywords": "espresso machine\nburr grinder"})
    assert big.status_code == 400
    expected = "The file is 44 bytes; the limit is 20."  # the API's message, for the pasted text's CSV
    assert f'<p class="error" id="id_keywords_error" role="alert">{expected}</p>' in big.content.decode()
    assert Keyword.objects.count() == 0


def test_keywords_step_refuses_over_max_keywords(web, alice):
    plan = alice.account.plan
    plan.max_keywords = 2
    plan.save()
    response = web.post("/onboarding/keywords/", {"keywords": "a one\nb two\nc three"})
    assert response.status_code == 402
    assert "the plan allows 2 (0 held now)" in response.content.decode()
    assert Keyword.objects.count() == 0


def test_steps_need_a_site(newcomer):
    assert newcomer.get("/onboarding/sectors/")["Location"] == "/onboarding/site/"
    assert newcomer.get("/onboarding/keywords/")["Location"] == "/onboarding/site/"


def test_viewer_is_refused(viewer, alice):
    before = (Site.objects.count(), Sector.objects.count(), Keyword.objects.count())
    for url in ("/onboarding/", "/onboarding/site/", "/onboarding/sectors/", "/onboarding/keywords/"):
        assert viewer.get(url).status_code == 403, url
    assert viewer.post("/onboarding/site/", {"name": "X", "new": "1"}).status_code == 403
    assert viewer.post("/onboarding/sectors/", {"names": "X"}).status_code == 403
    assert viewer.post("/onboarding/keywords/", {"keywords": "x"}).status_code == 403
    assert (Site.objects.count(), Sector.objects.count(), Keyword.objects.count()) == before


def test_other_account_only_touches_its_own_site(other, alice, charlie):
    response = other.post("/onboarding/sectors/", {"names": "Tea"})
    assert response.status_code == 302
    assert list(Sector.objects.filter(name="Tea").values_list("site_id", flat=True)) == [charlie.site.pk]
    # A sector id of alice's site is not a choice in charlie's keyword step.
    refused = other.post("/onboarding/keywords/", {"keywords": "x y", "sector": alice.sector.pk})
    assert refused.status_code == 400
    assert Keyword.objects.count() == 0


def test_pasted_csv_keeps_each_line_one_keyword():
    assert pasted_csv('a, b\n"quoted"; c\n') == b'"keyword"\n"a, b"\n"""quoted""; c"\n'


def test_onboarding_pages_queries_do_not_grow_with_keywords(web, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> list[int]:
        result = []
        for url in ("/onboarding/site/", "/onboarding/sectors/", "/onboarding/keywords/"):
            with CaptureQueriesContext(connection) as queries:
                assert web.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    web.post("/onboarding/keywords/", {"keywords": "\n".join(f"keyword {n}" for n in range(200))})
    assert Keyword.objects.filter(site=alice.site).count() == 200
    assert counts() == few
