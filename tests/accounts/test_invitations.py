"""Invitations: members join only by following an emailed, signed, expiring link, and the inviter
learns nothing about whether the email is registered."""

import re
from html import unescape
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client

from igny8.accounts import services
from igny8.accounts.models import Invitation, Membership, Role, User
from igny8.web.workspace import ACCOUNT_KEY

LINK = re.compile(r"http://testserver(/invitations/[^/\s]+/)")
MEMBERS = "/api/v1/accounts/members/"


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def members(account) -> list[tuple[str, str]]:
    return sorted(Membership.objects.filter(account=account).values_list("user__email", "role"))


def test_invite_a_new_person_who_sets_a_password_and_joins(web_owner, alice, mail_worker):
    with mail_worker():
        added = web_owner.post("/team/add/", {"email": "New.Person@Example.com", "role": "editor"})
    assert (added.status_code, added["Location"]) == (302, "/team/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["new.person@example.com"], "Join Account A on IGNY8")
    assert "alice@example.com invites you to join Account A on IGNY8 as editor." in message.body
    assert "within 7 days" in message.body
    link = link_in(message)

    visitor = Client()
    form = visitor.get(link)
    assert form.status_code == 200
    text = form.content.decode()
    assert "<strong>new.person@example.com</strong> to join <strong>Account A</strong> as editor" in text
    assert "Set password and join" in text
    weak = visitor.post(link, {"full_name": "New Person", "new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 400
    assert "This password is too short. It must contain at least 10 characters." in weak.content.decode()
    assert not User.objects.filter(email="new.person@example.com").exists()

    good = "a-long-unusual-passphrase"
    joined = visitor.post(link, {"full_name": "New Person", "new_password1": good, "new_password2": good})
    assert (joined.status_code, joined["Location"]) == (302, "/")
    user = User.objects.get(email="new.person@example.com")
    assert (user.full_name, user.check_password(good)) == ("New Person", True)
    assert members(alice.account) == [("alice@example.com", "owner"), ("new.person@example.com", "editor")]
    assert visitor.session[ACCOUNT_KEY] == alice.account.pk
    assert visitor.get("/").status_code == 200  # signed in, in account A
    assert Invitation.objects.get().accepted_at is not None

    again = Client().get(link)
    assert again.status_code == 404
    assert (
        "This invitation was withdrawn, replaced by a newer one, or already used." in again.content.decode()
    )


def test_an_existing_user_accepts_while_signed_in(alice, api, mail_worker):
    dave = services.user_create(email="dave@example.com", password="correct-horse-battery")
    with mail_worker():
        assert (
            api.post(MEMBERS, {"email": "dave@example.com", "role": "admin"}, format="json").status_code
            == 201
        )
    link = link_in(mail.outbox[0])
    anonymous = Client().get(link)
    assert (anonymous.status_code, anonymous["Location"]) == (302, f"/login/?next={quote(link)}")

    someone_else = Client()
    someone_else.force_login(services.user_create(email="zoe@example.com", password="correct-horse-battery"))
    wrong = someone_else.post(link)
    assert wrong.status_code == 200
    assert "You are signed in as zoe@example.com. This invitation is for dave@example.com" in (
        wrong.content.decode()
    )
    assert members(alice.account) == [("alice@example.com", "owner")]

    client = Client()
    client.force_login(dave)
    asked = client.get(link)
    assert '<button type="submit">Join Account A</button>' in asked.content.decode()
    assert members(alice.account) == [("alice@example.com", "owner")]  # a GET changes nothing
    accepted = client.post(link)
    assert (accepted.status_code, accepted["Location"]) == (302, "/")
    assert members(alice.account) == [("alice@example.com", "owner"), ("dave@example.com", "admin")]


def test_the_api_answers_the_same_for_registered_and_unknown_emails(alice, api):
    services.user_create(email="dave@example.com", password="correct-horse-battery")
    known = api.post(MEMBERS, {"email": "dave@example.com", "role": "viewer"}, format="json")
    unknown = api.post(MEMBERS, {"email": "zed@example.com", "role": "viewer"}, format="json")
    assert (known.status_code, unknown.status_code) == (201, 201)

    def shape(response) -> dict:
        body = response.json()
        data = {k: v for k, v in body["data"].items() if k not in ("id", "email", "created_at", "expires_at")}
        return {
            **body,
            "data": data,
            "message": body["message"].replace(response.json()["data"]["email"], "…"),
        }

    assert shape(known) == shape(unknown)
    assert known.json()["data"]["role"] == "viewer"
    assert known.json()["data"]["invited_by"] == "alice@example.com"
    assert known.json()["message"] == (
        "Invitation to dave@example.com is on its way; they join when they follow its link."
    )
    assert members(alice.account) == [("alice@example.com", "owner")]
    listed = api.get("/api/v1/accounts/invitations/").json()["results"]
    assert [(i["email"], i["role"]) for i in listed] == [
        ("dave@example.com", "viewer"),
        ("zed@example.com", "viewer"),
    ]


def test_sending_again_replaces_the_link_and_the_role(alice, api, mail_worker):
    with mail_worker():
        api.post(MEMBERS, {"email": "dave@example.com", "role": "viewer"}, format="json")
        api.post(MEMBERS, {"email": "dave@example.com", "role": "editor"}, format="json")
    first, second = (link_in(m) for m in mail.outbox)
    assert first != second
    assert Invitation.objects.filter(account=alice.account).count() == 1
    assert Client().get(first).status_code == 404
    page = Client().get(second)
    assert page.status_code == 200
    assert "as editor" in page.content.decode()


def test_withdrawn_expired_and_forged_links_are_refused(alice, api, settings, mail_worker):
    with mail_worker():
        api.post(MEMBERS, {"email": "dave@example.com", "role": "viewer"}, format="json")
    link = link_in(mail.outbox[0])
    forged = Client().get(link[:-3] + "xx/")
    assert forged.status_code == 404
    assert "This invitation link is not valid; check that it was copied whole." in forged.content.decode()

    settings.INVITATION_MAX_AGE_DAYS = 0
    expired = Client().get(link)
    assert expired.status_code == 404
    assert "This invitation has expired; ask for a new one." in expired.content.decode()

    settings.INVITATION_MAX_AGE_DAYS = 7
    invitation = Invitation.objects.get()
    assert api.delete(f"/api/v1/accounts/invitations/{invitation.pk}/").status_code == 204
    withdrawn = Client().get(link)
    assert withdrawn.status_code == 404
    assert not Invitation.objects.exists()


def test_withdraw_on_the_team_page_and_other_accounts_get_404(web_owner, alice, charlie):
    web_owner.post("/team/add/", {"email": "dave@example.com", "role": "viewer"})
    invitation = Invitation.objects.get()
    other = Client()
    other.force_login(charlie.user)
    assert other.post(f"/team/invitations/{invitation.pk}/withdraw/").status_code == 404
    assert charlie.client().delete(f"/api/v1/accounts/invitations/{invitation.pk}/").status_code == 404
    assert charlie.client().get("/api/v1/accounts/invitations/").json()["results"] == []
    response = web_owner.post(f"/team/invitations/{invitation.pk}/withdraw/")
    assert (response.status_code, response["Location"]) == (302, "/team/")
    assert not Invitation.objects.exists()
    assert "The invitation to dave@example.com was withdrawn; its link no longer works." in (
        web_owner.get("/team/").content.decode()
    )


def test_viewers_cannot_list_or_send_invitations(alice, bob, mail_worker):
    client = bob.client()
    assert client.get("/api/v1/accounts/invitations/").status_code == 403
    with mail_worker():
        refused = client.post(MEMBERS, {"email": "dave@example.com", "role": "viewer"}, format="json")
    assert refused.status_code == 403
    assert mail.outbox == []


def test_an_admin_cannot_invite_an_owner(alice, bob, mail_worker):
    Membership.objects.filter(user=bob.user).update(role=Role.ADMIN)
    with mail_worker():
        refused = bob.client().post(MEMBERS, {"email": "dave@example.com", "role": "owner"}, format="json")
    assert (refused.status_code, refused.json()["error"]) == (
        403,
        "Only an owner can grant or remove the owner role.",
    )
    assert (Invitation.objects.count(), mail.outbox) == (0, [])


def test_a_refused_invitation_sends_no_email(alice, api, mail_worker):
    """A full plan refuses the invitation (402): nothing is kept and no email goes out."""
    alice.account.plan.max_users = 1
    alice.account.plan.save()
    with mail_worker():
        response = api.post(MEMBERS, {"email": "dave@example.com", "role": "viewer"}, format="json")
    assert response.status_code == 402
    assert (Invitation.objects.count(), mail.outbox) == (0, [])


def test_a_full_account_refuses_at_acceptance_too(alice, api, mail_worker):
    with mail_worker():
        api.post(MEMBERS, {"email": "dave@example.com", "role": "viewer"}, format="json")
    link = link_in(mail.outbox[0])
    alice.account.plan.max_users = 1
    alice.account.plan.save()
    good = "a-long-unusual-passphrase"
    response = Client().post(link, {"full_name": "Dave", "new_password1": good, "new_password2": good})
    assert response.status_code == 402
    assert "Account A's plan allows 1 users and all are taken" in unescape(response.content.decode())
    assert not User.objects.filter(email="dave@example.com").exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.fixture
def web_owner(alice) -> Client:
    client = Client()
    client.force_login(alice.user)
    return client
