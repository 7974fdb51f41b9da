"""Following an invitation's link (accounts/invitations.py): a new person chooses a password and is
signed in; someone with a user here accepts while signed in as the invited email. Either way they
land in the account with the invited role."""

from __future__ import annotations

from django import forms
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from igny8.accounts.invitations import (
    InvitationInvalid,
    invitation_accept,
    invitation_accept_new_user,
    invitation_from_token,
)
from igny8.accounts.models import Invitation, User
from igny8.core.errors import DomainError, Invalid
from igny8.web.errors import error_text, page_status
from igny8.web.workspace import ACCOUNT_KEY, SITE_KEY

TEMPLATE = "registration/invitation.html"


class NewMemberForm(SetPasswordForm):
    """Django's set-password form (the password validators, the repeat) plus a name."""

    field_order = ["full_name", "new_password1", "new_password2"]

    full_name = forms.CharField(
        label="Full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def clean(self):
        # The validators compare the password with the name too, so give the user its name first.
        self.user.full_name = self.cleaned_data.get("full_name", "")
        return super().clean()


def _land(request: HttpRequest, *, invitation: Invitation) -> HttpResponse:
    request.session[ACCOUNT_KEY] = invitation.account_id
    request.session.pop(SITE_KEY, None)
    return redirect("home")


def _refused(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, TEMPLATE, {"refused": message}, status=status)


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_from_token(token=token)
    except InvitationInvalid as error:
        return _refused(request, error.message, status=404)
    existing = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    context: dict = {"invitation": invitation, "existing": existing is not None}
    if existing is None:
        if request.user.is_authenticated:
            context["other_user"] = request.user.email
            return render(request, TEMPLATE, context)
        form = NewMemberForm(User(email=invitation.email), request.POST or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            try:
                user, _ = invitation_accept_new_user(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["new_password1"],
                )
            except InvitationInvalid as error:
                return _refused(request, error.message, status=409)
            except Invalid as error:  # the password rules, as the service applies them
                form.add_error("new_password1", error_text(error, with_fields=False))
            except DomainError as error:  # 402: the account's users are all taken
                return _refused(request, error_text(error, with_fields=False), status=page_status(error))
            except IntegrityError:  # a user with this email was made a moment ago: accept as them
                return redirect_to_login(request.get_full_path())
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return _land(request, invitation=invitation)
        return render(request, TEMPLATE, context, status=400 if form.errors else 200)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.pk != existing.pk:
        context["other_user"] = request.user.email
        return render(request, TEMPLATE, context)
    if request.method == "POST":
        try:
            invitation_accept(invitation=invitation, user=request.user)
        except InvitationInvalid as error:
            return _refused(request, error.message, status=409)
        except DomainError as error:  # 402: the account's users are all taken
            return _refused(request, error_text(error, with_fields=False), status=page_status(error))
        return _land(request, invitation=invitation)
    return render(request, TEMPLATE, context)
