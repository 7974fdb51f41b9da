"""The only door from an id in a URL or payload to a tenant object.

Not found and not yours look identical (404). Too weak a role for a write is 403."""

from django.http import Http404

from igny8.accounts.models import ROLE_RANK, Account, Membership, Role, Site, User
from igny8.core.errors import NotAllowed

READ, WRITE, MANAGE = Role.VIEWER, Role.EDITOR, Role.ADMIN


def membership_for(*, user: User, account_id: int | str | None = None) -> Membership:
    """The user's membership in the given account, or their oldest one when none is named."""
    memberships = Membership.objects.select_related("account", "account__plan").filter(
        user=user, account__is_active=True
    )
    if account_id not in (None, ""):
        try:
            memberships = memberships.filter(account_id=int(account_id))
        except (TypeError, ValueError) as error:
            raise Http404("No such account.") from error
    membership = memberships.order_by("created_at", "id").first()
    if membership is None:
        raise Http404("No such account.")
    return membership


def require_role(*, membership: Membership, needed: str) -> None:
    if ROLE_RANK[Role(membership.role)] < ROLE_RANK[Role(needed)]:
        raise NotAllowed(f"Your role '{membership.role}' cannot do this; it needs '{needed}' or higher.")


def access_account(*, user: User, account_id: int | str | None, needed: str = READ) -> Account:
    membership = membership_for(user=user, account_id=account_id)
    require_role(membership=membership, needed=needed)
    return membership.account


def access_site(*, account: Account, site_id: int | str | None) -> Site:
    """A site of this account (the caller has checked the role on the account)."""
    try:
        return Site.objects.get(account=account, pk=int(site_id))
    except (TypeError, ValueError, Site.DoesNotExist) as error:
        raise Http404("No such site.") from error
