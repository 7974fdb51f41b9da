"""Invitations: the only way into someone else's account. An owner or admin names an email and a
role; the person gets a signed, expiring link and becomes a member only by following it (setting a
password if they have no user yet, or accepting while signed in as that email).

The answer to the inviter is the same whether or not the email has a user here, so the team page
and the API cannot be used to find out who is registered. The email is sent by a worker once the
invitation is committed (accounts/emails.py): inviting never waits on SMTP."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from igny8.accounts.emails import email_send
from igny8.accounts.models import Account, Invitation, Membership, User
from igny8.accounts.throttles import member_add_check
from igny8.core.errors import Conflict, PlanLimit

SALT = "igny8.accounts.invitation"


class InvitationInvalid(Exception):
    """The link is forged, expired, withdrawn, already used, or for another user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def invitation_max_age() -> timedelta:
    return timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


def invitation_expires_at(*, invitation: Invitation) -> datetime:
    # updated_at moves when the invitation is sent again, and so does the link's timestamp.
    return invitation.updated_at + invitation_max_age()


def invitation_token(*, invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign(invitation.public_id.hex)


def invitation_from_token(*, token: str) -> Invitation:
    try:
        public_id = signing.TimestampSigner(salt=SALT).unsign(token, max_age=invitation_max_age())
    except signing.SignatureExpired:
        raise InvitationInvalid("This invitation has expired; ask for a new one.") from None
    except signing.BadSignature:
        raise InvitationInvalid(
            "This invitation link is not valid; check that it was copied whole."
        ) from None
    invitation = (
        Invitation.objects.select_related("account", "invited_by")
        .filter(public_id=uuid.UUID(public_id), accepted_at__isnull=True, account__is_active=True)
        .first()
    )
    if invitation is None:
        raise InvitationInvalid("This invitation was withdrawn, replaced by a newer one, or already used.")
    return invitation


def _send(*, invitation: Invitation, link_base: str) -> None:
    link = link_base.rstrip("/") + reverse(
        "invitation-accept", args=[invitation_token(invitation=invitation)]
    )
    context = {
        "invitation": invitation,
        "inviter": invitation.invited_by.email if invitation.invited_by else "An administrator",
        "link": link,
        "days": settings.INVITATION_MAX_AGE_DAYS,
    }
    email_send(
        subject=f"Join {invitation.account.name} on IGNY8",
        body=render_to_string("email/invitation.txt", context),
        to=[invitation.email],
    )


def member_invite(
    *, account: Account, email: str, role: str, invited_by: User | None, link_base: str
) -> Invitation:
    """Send (or send again, with the new role) an invitation. `link_base` is the site's address,
    e.g. https://seo.example.com, that the emailed link starts with."""
    # Counted before the transaction: with the database cache, a refusal's rollback would undo it.
    member_add_check(account_id=account.pk)
    return _member_invite(account=account, email=email, role=role, invited_by=invited_by, link_base=link_base)


@transaction.atomic
def _member_invite(
    *, account: Account, email: str, role: str, invited_by: User | None, link_base: str
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(account=account, user__email__iexact=email).exists():
        raise Conflict(f"{email} is already a member.")
    pending = Invitation.objects.select_for_update().filter(account=account, accepted_at__isnull=True)
    invitation = pending.filter(email=email).first()
    taken = account.memberships.count() + pending.count()
    if invitation is None and taken >= account.plan.max_users:
        raise PlanLimit(f"Your plan allows {account.plan.max_users} users; open invitations count too.")
    if invitation is None:
        invitation = Invitation.objects.create(account=account, email=email, role=role, invited_by=invited_by)
    else:
        # A new public_id: the earlier link stops working, the new one gets the full lifetime.
        invitation.public_id = uuid.uuid4()
        invitation.role = role
        invitation.invited_by = invited_by
        invitation.save(update_fields=["public_id", "role", "invited_by", "updated_at"])
    _send(invitation=invitation, link_base=link_base)
    return invitation


def invitation_withdraw(*, invitation: Invitation) -> None:
    invitation.delete()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """`user` joins with the invited role; refused for another user than the one invited."""
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk, accepted_at__isnull=True).first()
    if locked is None:
        raise InvitationInvalid("This invitation was withdrawn, replaced by a newer one, or already used.")
    if user.email.lower() != locked.email.lower():
        raise InvitationInvalid(
            f"This invitation is for {locked.email}; sign out and follow the link again to accept it."
        )
    account = locked.account
    membership = Membership.objects.filter(user=user, account=account).first()
    if membership is None:
        if account.memberships.count() >= account.plan.max_users:
            raise PlanLimit(
                f"{account.name}'s plan allows {account.plan.max_users} users and all are taken; "
                "ask who invited you to make room."
            )
        membership = Membership.objects.create(user=user, account=account, role=locked.role)
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at", "updated_at"])
    return membership


@transaction.atomic
def invitation_accept_new_user(
    *, invitation: Invitation, full_name: str, password: str
) -> tuple[User, Membership]:
    """Create the invited person's user (password rules apply) and make them a member."""
    from igny8.accounts.services import user_create  # services imports this module

    user = user_create(email=invitation.email, password=password, full_name=full_name)
    return user, invitation_accept(invitation=invitation, user=user)
