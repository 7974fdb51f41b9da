"""Writes for accounts, members, sites and sectors."""

from django.db import transaction
from django.utils.text import slugify
from rest_framework.exceptions import PermissionDenied

from igny8.accounts.models import Account, Membership, Plan, Role, Sector, Site, User
from igny8.accounts.passwords import password_check
from igny8.accounts.throttles import member_add_check
from igny8.core.api import Conflict, PlanLimitExceeded

DEFAULT_PLAN_NAME = "Starter"


def plan_default() -> Plan:
    plan = Plan.objects.filter(is_default=True).first()
    if plan is None:
        plan, _ = Plan.objects.get_or_create(name=DEFAULT_PLAN_NAME, defaults={"is_default": True})
    return plan


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "account"
    slug, n = base, 1
    while Account.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def account_create(*, name: str, owner: User, plan: Plan | None = None) -> Account:
    from igny8.billing.services import credits_grant  # billing builds on accounts, not the reverse

    plan = plan or plan_default()
    account = Account.objects.create(name=name, slug=_unique_slug(name), plan=plan, credits=0)
    Membership.objects.create(user=owner, account=account, role=Role.OWNER)
    if plan.monthly_credits:
        # Through the ledger, so the opening balance is explained like every later change.
        credits_grant(
            account=account, amount=plan.monthly_credits, note=f"Opening balance of the {plan.name} plan"
        )
        account.refresh_from_db(fields=["credits"])
    return account


def user_create(*, email: str, password: str, full_name: str = "") -> User:
    """400 on `password` when the password rules refuse it (sign-up, `createuser`, the demo)."""
    password_check(password=password, email=email, full_name=full_name)
    return User.objects.create_user(email=email, password=password, full_name=full_name)


def member_add(*, account: Account, email: str, role: str) -> Membership:
    # Each addition answers whether an email has a user here, so an account may only ask so often.
    # Counted before the transaction: with the database cache, a refusal's rollback would undo it.
    member_add_check(account_id=account.pk)
    return _member_add(account=account, email=email, role=role)


@transaction.atomic
def _member_add(*, account: Account, email: str, role: str) -> Membership:
    if account.memberships.count() >= account.plan.max_users:
        raise PlanLimitExceeded(f"Your plan allows {account.plan.max_users} users.")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise Conflict(f"No user with email {email}; they must sign up first.")
    membership, created = Membership.objects.get_or_create(
        user=user, account=account, defaults={"role": role}
    )
    if not created:
        raise Conflict(f"{email} is already a member.")
    return membership


def owner_role_guard(*, acting: Membership, roles: tuple[str, ...]) -> None:
    """Granting, taking away or removing the owner role is for owners only (API and web alike)."""
    if Role.OWNER in roles and acting.role != Role.OWNER:
        raise PermissionDenied("Only an owner can grant or remove the owner role.")


def _guard_last_owner(*, membership: Membership) -> None:
    if (
        membership.role == Role.OWNER
        and not membership.account.memberships.filter(role=Role.OWNER).exclude(pk=membership.pk).exists()
    ):
        raise Conflict("An account needs at least one owner.")


@transaction.atomic
def member_set_role(*, membership: Membership, role: str) -> Membership:
    if role != Role.OWNER:
        _guard_last_owner(membership=membership)
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    _guard_last_owner(membership=membership)
    membership.delete()


def site_check_limit(*, account: Account) -> None:
    if account.sites.count() >= account.plan.max_sites:
        raise PlanLimitExceeded(
            f"Your plan allows {account.plan.max_sites} sites; delete one or upgrade the plan."
        )


@transaction.atomic
def site_create(*, account: Account, name: str, url: str = "", **fields) -> Site:
    site_check_limit(account=account)
    return Site.objects.create(account=account, name=name, url=url, **fields)


def sector_create(*, site: Site, name: str, description: str = "") -> Sector:
    return Sector.objects.create(account=site.account, site=site, name=name, description=description)
