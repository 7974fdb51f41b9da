"""Sign-up by email: the form asks for the email, a name and the account's name, and always answers
"check your inbox". A new email gets a signed, expiring link to choose a password (which creates the
user and the account); a registered one gets a note with the sign-in and password reset links. So
the sign-up form cannot be used to find out who is registered, and nobody signs up someone else.
The message is sent by a worker (accounts/emails.py): the form answers without waiting on SMTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from igny8.accounts.emails import email_send
from igny8.accounts.models import Account, User

SALT = "igny8.accounts.signup"


class SignupLinkInvalid(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SignupDetails:
    email: str
    full_name: str
    account_name: str


def signup_request(*, email: str, full_name: str, account_name: str, link_base: str) -> None:
    """Queue the email with the link (or, for a registered email, the note) for a worker.
    `link_base` is the site's address."""
    email = email.strip().lower()
    base = link_base.rstrip("/")
    context = {
        "email": email,
        "hours": settings.SIGNUP_LINK_MAX_AGE_HOURS,
        "login": base + reverse("login"),
        "reset": base + reverse("password_reset"),
    }
    if User.objects.filter(email__iexact=email).exists():
        subject, template = "You already have an IGNY8 user", "email/signup_existing.txt"
    else:
        token = signing.dumps({"e": email, "n": full_name, "a": account_name}, salt=SALT, compress=True)
        context["link"] = base + reverse("web:signup-confirm", args=[token])
        subject, template = "Finish creating your IGNY8 account", "email/signup.txt"
    email_send(subject=subject, body=render_to_string(template, context), to=[email])


def signup_from_token(*, token: str) -> SignupDetails:
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(hours=settings.SIGNUP_LINK_MAX_AGE_HOURS))
    except signing.SignatureExpired:
        raise SignupLinkInvalid("This sign-up link has expired; sign up again for a new one.") from None
    except signing.BadSignature:
        raise SignupLinkInvalid("This sign-up link is not valid; check that it was copied whole.") from None
    details = SignupDetails(email=data["e"], full_name=data["n"], account_name=data["a"])
    if User.objects.filter(email__iexact=details.email).exists():
        # The link was used already (it makes the user), or the email signed up another way.
        raise SignupLinkInvalid(f"{details.email} already has a user here: sign in instead.")
    return details


@transaction.atomic
def signup_complete(*, details: SignupDetails, password: str) -> tuple[User, Account]:
    """The user (password rules apply) and their account, which they own."""
    from igny8.accounts.services import account_create, user_create  # services builds on models only

    user = user_create(email=details.email, password=password, full_name=details.full_name)
    return user, account_create(name=details.account_name, owner=user)
