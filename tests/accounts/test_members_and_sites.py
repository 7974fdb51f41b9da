from igny8.accounts import services
from igny8.accounts.models import Membership, Role, Site


def test_editor_writes_planner_but_not_settings(alice):
    editor = services.user_create(email="eve@example.com", password="correct-horse-battery")
    Membership.objects.create(user=editor, account=alice.account, role=Role.EDITOR)
    from rest_framework.test import APIClient

    from igny8.accounts.tokens import token_create

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_create(user=editor)}")
    assert (
        client.post(
            "/api/v1/planner/keywords/", {"keyword": "x", "site": alice.site.pk}, format="json"
        ).status_code
        == 201
    )
    refused = client.post("/api/v1/accounts/sites/", {"name": "New"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"] == "Your role 'editor' cannot do this; it needs 'admin' or higher."
    assert client.put("/api/v1/system/prompts/ideas/", {"value": "x"}, format="json").status_code == 403


def test_site_limit_and_wordpress_password(api, alice):
    alice.account.plan.max_sites = 2
    alice.account.plan.save()
    created = api.post(
        "/api/v1/accounts/sites/",
        {"name": "Blog", "url": "https://blog.example.com", "wp_app_password": "abcd efgh ijkl mnop"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["data"]["wp_app_password_hint"] == "ab...mnop"
    assert "efgh" not in created.content.decode()
    assert Site.objects.get(name="Blog").wp_secrets == {"app_password": "abcd efgh ijkl mnop"}
    over = api.post("/api/v1/accounts/sites/", {"name": "Third"}, format="json")
    assert over.status_code == 402
    assert over.json()["error"] == "Your plan allows 2 sites; delete one or upgrade the plan."
    dup = api.patch(f"/api/v1/accounts/sites/{alice.site.pk}/", {"name": "Blog"}, format="json")
    assert dup.json()["errors"] == {"name": ["A site with this name already exists in the account."]}


def test_members_roles_and_last_owner(api, alice, bob):
    # Adding a member invites them (tests/accounts/test_invitations.py); a member already is refused.
    again = api.post(
        "/api/v1/accounts/members/", {"email": "BOB@example.com", "role": "editor"}, format="json"
    )
    assert (again.status_code, again.json()["error"]) == (409, "bob@example.com is already a member.")

    owner = Membership.objects.get(user=alice.user)
    demote = api.post(f"/api/v1/accounts/members/{owner.pk}/set_role/", {"role": "admin"}, format="json")
    assert (demote.status_code, demote.json()["error"]) == (409, "An account needs at least one owner.")
    bob_membership = Membership.objects.get(user=bob.user)
    promoted = api.post(
        f"/api/v1/accounts/members/{bob_membership.pk}/set_role/", {"role": "admin"}, format="json"
    )
    assert promoted.json()["data"]["role"] == "admin"
    # An admin cannot grant ownership.
    grant = bob.client().post(
        f"/api/v1/accounts/members/{bob_membership.pk}/set_role/", {"role": "owner"}, format="json"
    )
    assert (grant.status_code, grant.json()["error"]) == (
        403,
        "Only an owner can grant or remove the owner role.",
    )
    assert api.delete(f"/api/v1/accounts/members/{bob_membership.pk}/").status_code == 204
    assert not Membership.objects.filter(user=bob.user).exists()


def test_account_switch_by_header(alice, charlie):
    Membership.objects.create(user=alice.user, account=charlie.account, role=Role.VIEWER)
    client = alice.client()
    assert client.get("/api/v1/auth/me/").json()["data"]["account"]["name"] == "Account A"
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {alice.token}", HTTP_X_ACCOUNT_ID=str(charlie.account.pk))
    me = client.get("/api/v1/auth/me/").json()["data"]
    assert (me["account"]["name"], me["role"]) == ("Account B", "viewer")
    sites = client.get("/api/v1/accounts/sites/").json()["results"]
    assert [s["name"] for s in sites] == ["Charlie Site"]
    assert (
        client.post(
            "/api/v1/planner/keywords/", {"keyword": "x", "site": charlie.site.pk}, format="json"
        ).status_code
        == 403
    )
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {alice.token}", HTTP_X_ACCOUNT_ID="abc")
    assert client.get("/api/v1/auth/me/").status_code == 404


def test_new_account_gets_default_plan_and_credits(db):
    owner = services.user_create(email="o@example.com", password="correct-horse-battery")
    account = services.account_create(name="Acme & Co", owner=owner)
    second = services.account_create(name="Acme & Co", owner=owner)
    assert (account.plan.name, account.plan.is_default, account.credits) == ("Starter", True, 5000)
    assert (account.slug, second.slug) == ("acme-co", "acme-co-2")
    from igny8.billing.models import CreditTransaction

    opening = CreditTransaction.objects.get(account=account)
    assert (opening.amount, opening.balance_after, opening.reason, opening.note) == (
        5000,
        5000,
        "grant",
        "Opening balance of the Starter plan",
    )


def test_a_duplicate_sector_name_is_refused_on_the_name_field(alice):
    body = {"site": alice.site.pk, "name": alice.sector.name}
    response = alice.client().post("/api/v1/accounts/sectors/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["This site already has a sector with this name."]}


def test_the_database_itself_refuses_names_that_differ_only_by_case(alice):
    """The services say it first (a 409/400 naming the field); the constraint holds against races."""
    import pytest
    from django.db import IntegrityError, transaction

    from igny8.accounts.models import Sector

    Sector.objects.create(account=alice.account, site=alice.site, name="Running shoes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Sector.objects.create(account=alice.account, site=alice.site, name="RUNNING SHOES")
    with pytest.raises(IntegrityError), transaction.atomic():
        Site.objects.create(account=alice.account, name=alice.site.name.upper())
    assert Sector.objects.filter(site=alice.site, name__iexact="running shoes").count() == 1
