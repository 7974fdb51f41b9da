"""Writes for accounts, members, sites and sectors (invitations: accounts/invitations.py)."""

from django.db import transaction
from django.utils.text import slugify

from igny8.accounts.models import Account, Membership, Plan, Role, Sector, Site, User
from igny8.accounts.passwords import password_check
from igny8.core.errors import Conflict, Invalid, NotAllowed, PlanLimit

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


def owner_role_guard(*, acting: Membership, roles: tuple[str, ...]) -> None:
    """Granting, taking away or removing the owner role is for owners only (API and web alike)."""
    if Role.OWNER in roles and acting.role != Role.OWNER:
        raise NotAllowed("Only an owner can grant or remove the owner role.")


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
        raise PlanLimit(f"Your plan allows {account.plan.max_sites} sites; delete one or upgrade the plan.")


def _name_shape_check(name: str) -> None:
    # The API's serializers refuse these first; the web's forms and the CLI rely on this check.
    if not name.strip():
        raise Invalid("A name is required.", field="name")
    limit = Site._meta.get_field("name").max_length
    if len(name.strip()) > limit:
        raise Invalid(f"Ensure this field has no more than {limit} characters.", field="name")


def _site_name_check(*, account: Account, name: str, site: Site | None = None) -> None:
    _name_shape_check(name)
    # Case-insensitive: "Blog" and "blog" in one account would be told apart by nobody.
    clash = Site.objects.filter(account=account, name__iexact=name.strip())
    if site is not None:
        clash = clash.exclude(pk=site.pk)
    if clash.exists():
        raise Invalid("A site with this name already exists in the account.", field="name")


@transaction.atomic
def site_create(*, account: Account, name: str, url: str = "", **fields) -> Site:
    site_check_limit(account=account)
    _site_name_check(account=account, name=name)
    return Site.objects.create(account=account, name=name.strip(), url=url, **fields)


@transaction.atomic
def site_update(*, instance: Site, **fields) -> Site:
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        _site_name_check(account=instance.account, name=fields["name"], site=instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    return instance


@transaction.atomic
def site_wordpress_set(*, site: Site, app_password: str = "", **fields) -> Site:
    """The site's WordPress address and user (`wp_url`, `wp_username`, whichever are given) and,
    when one is given, a new application password, stored encrypted; none keeps the saved one."""
    if app_password:
        fields["wp_secrets"] = {**(site.wp_secrets or {}), "app_password": app_password}
    return site_update(instance=site, **fields)


@transaction.atomic
def site_delete(*, site: Site) -> None:
    """Deletes the site and everything of it (selectors.deletion_summary lists what)."""
    site.delete()


def _sector_name_check(*, site: Site, name: str, sector: Sector | None = None) -> None:
    _name_shape_check(name)
    clash = Sector.objects.filter(site=site, name__iexact=name.strip())
    if sector is not None:
        clash = clash.exclude(pk=sector.pk)
    if clash.exists():
        raise Invalid("This site already has a sector with this name.", field="name")


@transaction.atomic
def sector_create(*, site: Site, name: str, description: str = "", author_profile=None) -> Sector:
    _sector_name_check(site=site, name=name)
    return Sector.objects.create(
        account=site.account,
        site=site,
        name=name.strip(),
        description=description,
        author_profile=author_profile,
    )


@transaction.atomic
def sector_update(*, instance: Sector, **fields) -> Sector:
    if "site" in fields and fields["site"] != instance.site:
        raise Invalid("A sector cannot move to another site.", field="site")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        _sector_name_check(site=instance.site, name=fields["name"], sector=instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    return instance


@transaction.atomic
def sector_delete(*, sector: Sector) -> None:
    """Its keywords, clusters, ideas and content stay, without a sector (SET_NULL)."""
    sector.delete()
