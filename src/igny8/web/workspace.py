"""The current workspace of a browser session: the account (a membership of the user) and the site
picked in the top bar, both stored in the session and re-checked on every request."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from igny8.accounts import access
from igny8.accounts.models import ROLE_RANK, Account, Membership, Role, Site
from igny8.core.errors import NotAllowed

ACCOUNT_KEY = "web_account_id"
SITE_KEY = "web_site_id"


class NoMembership(Http404):
    """A signed-in user who belongs to no account (left their last one, or was removed)."""


@dataclass(frozen=True)
class Workspace:
    membership: Membership
    memberships: list[Membership]
    sites: list[Site]
    site: Site | None

    @property
    def account(self) -> Account:
        return self.membership.account

    def has_role(self, needed: str) -> bool:
        return ROLE_RANK[Role(self.membership.role)] >= ROLE_RANK[Role(needed)]

    @property
    def can_write(self) -> bool:
        return self.has_role(access.WRITE)

    @property
    def can_manage(self) -> bool:
        return self.has_role(access.MANAGE)

    def require(self, needed: str) -> None:
        """The API's role check; its refusal becomes Django's 403 for HTML views."""
        try:
            access.require_role(membership=self.membership, needed=needed)
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error


def workspace_for(request: HttpRequest) -> Workspace:
    memberships = list(
        Membership.objects.select_related("account", "account__plan")
        .filter(user=request.user, account__is_active=True)
        .order_by("created_at", "id")
    )
    wanted = request.session.get(ACCOUNT_KEY)
    if not memberships:
        raise NoMembership("You are not a member of any account.")
    membership = next((m for m in memberships if m.account_id == wanted), memberships[0])
    sites = list(Site.objects.filter(account_id=membership.account_id).order_by("name", "id"))
    wanted_site = request.session.get(SITE_KEY)
    site = next((s for s in sites if s.pk == wanted_site), sites[0] if sites else None)
    return Workspace(membership=membership, memberships=memberships, sites=sites, site=site)


def no_account(request: HttpRequest) -> HttpResponse:
    """Instead of a 404 on every page: open an account of one's own, or ask to be added."""
    if settings.SIGNUP_OPEN or request.user.is_staff:
        return redirect("web:account-new")
    return render(request, "web/no_account.html", status=403)


def member_view(view=None, *, write_role: str = access.WRITE, read_role: str = access.READ):
    """Signed in, a member, and for POST the role the API asks for the same write (403 otherwise)."""

    def decorate(func):
        @login_required
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            try:
                request.workspace = workspace_for(request)
            except NoMembership:
                return no_account(request)
            request.workspace.require(write_role if request.method == "POST" else read_role)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
