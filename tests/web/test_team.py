"""The team page: invite a member, change a role, remove one, with the API's rules and messages."""

import pytest
from django.core import mail

from igny8.accounts import services
from igny8.accounts.models import Membership, Role, User
from tests.web.conftest import signed_in


@pytest.fixture
def dave(db) -> User:
    """A user with no membership in account A yet."""
    return services.user_create(email="dave@example.com", password="correct-horse-battery")


def members(account) -> list[tuple[str, str]]:
    return sorted(Membership.objects.filter(account=account).values_list("user__email", "role"))


def test_team_lists_members_with_controls(web, alice, bob):
    page = web.get("/team/").content.decode()
    assert "<h1>Team of Account A</h1>" in page
    assert 'alice@example.com <small class="muted">(you)</small>' in page
    assert "bob@example.com" in page
    assert "2 of 5 users on the Starter plan" in page
    assert f'action="/team/{Membership.objects.get(user=bob.user).pk}/role/"' in page
    assert "The only owner" in page


def test_add_member_sends_an_invitation_and_adds_nobody_yet(web, alice, dave, mail_worker):
    with mail_worker():
        response = web.post("/team/add/", {"email": "DAVE@example.com", "role": "editor"})
    assert (response.status_code, response["Location"]) == (302, "/team/")
    assert members(alice.account) == [("alice@example.com", "owner")]  # only by following the link
    assert [m.to for m in mail.outbox] == [["dave@example.com"]]
    page = web.get("/team/").content.decode()
    assert (
        "Invitation to dave@example.com as Editor is on its way; they join when they follow its link." in page
    )
    assert "<td>dave@example.com</td>" in page  # under "Open invitations"


def test_an_unknown_email_gets_the_same_answer(web, alice, mail_worker):
    """Whether the email has a user here is not for the inviter to learn."""
    with mail_worker():
        unknown = web.post("/team/add/", {"email": "nobody@example.com", "role": "editor"})
    assert (unknown.status_code, unknown["Location"]) == (302, "/team/")
    assert [m.to for m in mail.outbox] == [["nobody@example.com"]]
    assert members(alice.account) == [("alice@example.com", "owner")]


def test_add_existing_member_and_bad_input(web, alice, bob):
    again = web.post("/team/add/", {"email": "bob@example.com", "role": "editor"})
    assert again.status_code == 409
    assert "bob@example.com is already a member." in again.content.decode()
    bad = web.post("/team/add/", {"email": "not-an-email", "role": "chief"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Enter a valid email address." in text
    assert "&quot;chief&quot; is not a valid choice." in text
    assert members(alice.account) == [("alice@example.com", "owner"), ("bob@example.com", "viewer")]


def test_add_over_max_users_shows_the_plan_refusal(web, alice, dave, mail_worker):
    plan = alice.account.plan
    plan.max_users = 2
    plan.save()
    with mail_worker():
        assert web.post("/team/add/", {"email": "erin@example.com", "role": "editor"}).status_code == 302
        response = web.post("/team/add/", {"email": "dave@example.com", "role": "editor"})
    assert response.status_code == 402
    assert "Your plan allows 2 users; open invitations count too." in response.content.decode()
    assert members(alice.account) == [("alice@example.com", "owner")]
    assert [m.to for m in mail.outbox] == [["erin@example.com"]]


def test_change_role(web, alice, bob):
    membership = Membership.objects.get(user=bob.user)
    response = web.post(f"/team/{membership.pk}/role/", {"role": "editor"})
    assert response.status_code == 302
    assert members(alice.account) == [("alice@example.com", "owner"), ("bob@example.com", "editor")]
    assert "bob@example.com is now Editor." in web.get("/team/").content.decode()
    bad = web.post(f"/team/{membership.pk}/role/", {"role": "chief"})
    assert bad.status_code == 400
    assert "&quot;chief&quot; is not a valid choice." in bad.content.decode()


def test_last_owner_cannot_be_demoted_or_removed(web, alice):
    own = Membership.objects.get(user=alice.user)
    demote = web.post(f"/team/{own.pk}/role/", {"role": "admin"})
    assert demote.status_code == 409
    assert "An account needs at least one owner." in demote.content.decode()
    remove = web.post(f"/team/{own.pk}/remove/")
    assert remove.status_code == 409
    assert "An account needs at least one owner." in remove.content.decode()
    assert members(alice.account) == [("alice@example.com", "owner")]


def test_remove_asks_then_removes(web, alice, bob):
    membership = Membership.objects.get(user=bob.user)
    confirm = web.get(f"/team/{membership.pk}/remove/")
    assert confirm.status_code == 200
    assert "Remove bob@example.com?" in confirm.content.decode()
    assert members(alice.account) == [("alice@example.com", "owner"), ("bob@example.com", "viewer")]
    response = web.post(f"/team/{membership.pk}/remove/")
    assert response.status_code == 302
    assert members(alice.account) == [("alice@example.com", "owner")]
    assert User.objects.filter(email="bob@example.com").exists()  # the user stays
    assert "bob@example.com was removed from Account A." in web.get("/team/").content.decode()


def test_an_admin_cannot_touch_the_owner_role(alice, bob, dave):
    admin = Membership.objects.create(user=dave, account=alice.account, role=Role.ADMIN)
    client = signed_in(dave)
    page = client.get("/team/").content.decode()
    own = Membership.objects.get(user=alice.user)
    assert f'action="/team/{own.pk}/role/"' not in page  # no controls on the owner's row
    assert '<option value="owner"' not in page
    refused = "Only an owner can grant or remove the owner role."
    grant = client.post("/team/add/", {"email": "charlie@example.com", "role": "owner"})
    assert grant.status_code == 403
    assert refused in grant.content.decode()
    promote = client.post(f"/team/{admin.pk}/role/", {"role": "owner"})
    assert promote.status_code == 403
    assert refused in promote.content.decode()
    demote = client.post(f"/team/{own.pk}/role/", {"role": "viewer"})
    assert demote.status_code == 403
    remove = client.post(f"/team/{own.pk}/remove/")
    assert remove.status_code == 403
    assert refused in remove.content.decode()
    assert members(alice.account) == [
        ("alice@example.com", "owner"),
        ("bob@example.com", "viewer"),
        ("dave@example.com", "admin"),
    ]
    # Editing the other members works for an admin, as in the API.
    bob_row = Membership.objects.get(user=bob.user)
    assert client.post(f"/team/{bob_row.pk}/role/", {"role": "editor"}).status_code == 302
    assert Membership.objects.get(pk=bob_row.pk).role == "editor"


def test_a_member_may_leave(alice, dave):
    Membership.objects.create(user=dave, account=alice.account, role=Role.ADMIN)
    client = signed_in(dave)
    own = Membership.objects.get(user=dave)
    response = client.post(f"/team/{own.pk}/remove/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/new/"  # no account left
    assert members(alice.account) == [("alice@example.com", "owner")]


def test_other_account_gets_404(other, alice, bob):
    membership = Membership.objects.get(user=bob.user)
    assert other.get(f"/team/{membership.pk}/remove/").status_code == 404
    assert other.post(f"/team/{membership.pk}/role/", {"role": "admin"}).status_code == 404
    assert other.post(f"/team/{membership.pk}/remove/").status_code == 404
    assert "bob@example.com" not in other.get("/team/").content.decode()
    assert Membership.objects.get(pk=membership.pk).role == "viewer"


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_viewer_and_editor_are_refused(alice, bob, dave, role):
    Membership.objects.filter(user=bob.user).update(role=role)
    client = signed_in(bob.user)
    own = Membership.objects.get(user=alice.user)
    before = members(alice.account)
    assert client.get("/team/").status_code == 403
    assert client.get(f"/team/{own.pk}/remove/").status_code == 403
    assert client.post("/team/add/", {"email": "dave@example.com", "role": "editor"}).status_code == 403
    assert client.post(f"/team/{own.pk}/role/", {"role": "viewer"}).status_code == 403
    assert client.post(f"/team/{own.pk}/remove/").status_code == 403
    assert members(alice.account) == before


def test_team_page_queries_do_not_grow_with_members(web, alice, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert web.get("/team/").status_code == 200
        return len(queries)

    few = count()
    for n in range(3):
        user = services.user_create(email=f"member{n}@example.com", password="correct-horse-battery")
        Membership.objects.create(user=user, account=alice.account, role=Role.EDITOR)
    assert count() == few


def test_a_user_of_no_account_is_offered_a_way_forward(client, db, settings):
    from igny8.accounts import services as account_services

    lonely = account_services.user_create(email="lonely@example.com", password="a-long-passphrase-9")
    client.force_login(lonely)
    response = client.get("/planner/keywords/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/new/")
    settings.SIGNUP_OPEN = False
    closed = client.get("/")
    assert closed.status_code == 403
    assert "not a member of any account on this instance" in closed.content.decode()
