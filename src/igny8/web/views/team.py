"""The team page: members and their roles, and open invitations, for owners and admins.

Input is checked by Django forms (MemberAddForm, RoleForm); every rule is the services' that the REST
API's MemberViewSet calls too: the ownership guard (only an owner grants or removes the owner role)
and member_invite / member_set_role / member_remove (plan max_users, already a member, last owner).
Adding a member sends an invitation; the answer does not say whether the email has a user. A refusal
(a core.errors.DomainError) re-renders the page with its message on the field and the API's status."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from igny8.accounts import access, invitations, services
from igny8.accounts.models import Membership, Role
from igny8.accounts.selectors import invitation_list, member_list
from igny8.core.errors import Conflict, DomainError, NotAllowed
from igny8.core.links import public_base
from igny8.web.errors import error_text, page_status
from igny8.web.forms import NOT_A_CHOICE
from igny8.web.render import page
from igny8.web.workspace import Workspace, member_view

# Listing the team is for owners and admins in the web app (the issue's "team, for owners and
# admins"); every write needs MANAGE, as in the API.
team_view = member_view(read_role=access.MANAGE, write_role=access.MANAGE)


class MemberAddForm(forms.Form):
    """The invitation's email and role. Every role is a valid value here: who may hand out the
    owner role is the services' rule (owner_role_guard), refused with its own message."""

    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label="Role", choices=Role.choices, initial=Role.EDITOR, error_messages=NOT_A_CHOICE
    )

    def __init__(self, *args, roles=Role.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].widget = forms.Select(choices=roles)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, error_messages=NOT_A_CHOICE)


def _messages_of(form: forms.Form) -> str:
    return " ".join(message for messages in form.errors.values() for message in messages)


def _guard_ownership(ws: Workspace, *roles: str) -> None:
    """The API's own rule (accounts.services.owner_role_guard), for the session's membership."""
    services.owner_role_guard(acting=ws.membership, roles=roles)


def _grantable_roles(ws: Workspace) -> list[tuple[str, str]]:
    """The roles this person may hand out: the owner role only by an owner (the guard above)."""
    is_owner = ws.membership.role == Role.OWNER
    return [(value, label) for value, label in Role.choices if is_owner or value != Role.OWNER]


def _members(ws: Workspace) -> QuerySet[Membership]:
    return member_list(account=ws.account)


def _render(
    request: HttpRequest,
    *,
    add_form: MemberAddForm | None = None,
    row_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    ws = request.workspace
    is_owner = ws.membership.role == Role.OWNER
    members = list(_members(ws))
    owners = sum(1 for m in members if m.role == Role.OWNER)
    rows = [
        {
            "member": m,
            # An admin cannot change or remove an owner at all (the API's guard): no controls.
            "editable": is_owner or m.role != Role.OWNER,
            "is_me": m.user_id == request.user.pk,
            "last_owner": m.role == Role.OWNER and owners == 1,
            "error": (row_errors or {}).get(m.pk, ""),
        }
        for m in members
    ]
    plan = ws.account.plan
    pending = list(invitation_list(account=ws.account))
    context = {
        "rows": rows,
        "invitations": [
            {
                "invitation": i,
                "expires_at": invitations.invitation_expires_at(invitation=i),
                # An admin cannot withdraw an owner's invitation, as they could not have sent it.
                "editable": is_owner or i.role != Role.OWNER,
            }
            for i in pending
        ],
        "roles": _grantable_roles(ws),
        "add_form": add_form or MemberAddForm(roles=_grantable_roles(ws)),
        "plan": plan,
        "used": len(members),
        "full": len(members) + len(pending) >= plan.max_users,
        "invitation_days": settings.INVITATION_MAX_AGE_DAYS,
    }
    return page(request, "web/settings/team.html", context, status=status)


@team_view
def team(request):
    return _render(request)


@require_POST
@team_view
def member_add(request):
    ws = request.workspace
    form = MemberAddForm(request.POST, roles=_grantable_roles(ws))
    if not form.is_valid():
        return _render(request, add_form=form, status=400)
    role = form.cleaned_data["role"]
    try:
        _guard_ownership(ws, role)
        invitation = invitations.member_invite(
            account=ws.account,
            email=form.cleaned_data["email"],
            role=role,
            invited_by=request.user,
            link_base=public_base(request=request),
        )
    except DomainError as error:  # 403 owner role, 402 plan max_users, 409 already a member, 429
        field = "role" if isinstance(error, NotAllowed) else "email" if isinstance(error, Conflict) else None
        form.add_error(field, error_text(error, with_fields=False))
        return _render(request, add_form=form, status=page_status(error))
    messages.success(
        request,
        f"Invitation to {invitation.email} as {invitation.get_role_display()} is on its way; "
        "they join when they follow its link.",
    )
    return redirect("web:team")


@require_POST
@team_view
def invitation_withdraw(request, pk: int):
    ws = request.workspace
    invitation = get_object_or_404(invitation_list(account=ws.account), pk=pk)
    try:
        _guard_ownership(ws, invitation.role)
    except NotAllowed as error:
        messages.error(request, error_text(error, with_fields=False))
        return redirect("web:team")
    invitations.invitation_withdraw(invitation=invitation)
    messages.success(
        request, f"The invitation to {invitation.email} was withdrawn; its link no longer works."
    )
    return redirect("web:team")


@require_POST
@team_view
def member_role(request, pk: int):
    ws = request.workspace
    membership = get_object_or_404(_members(ws), pk=pk)
    body = RoleForm(request.POST)
    if not body.is_valid():
        return _render(request, row_errors={pk: _messages_of(body)}, status=400)
    role = body.cleaned_data["role"]
    try:
        _guard_ownership(ws, membership.role, role)
        membership = services.member_set_role(membership=membership, role=role)
    except DomainError as error:  # 403 owner role by a non-owner, 409 the last owner
        return _render(
            request, row_errors={pk: error_text(error, with_fields=False)}, status=page_status(error)
        )
    messages.success(request, f"{membership.user.email} is now {membership.get_role_display()}.")
    return redirect("web:team")


@team_view
def member_remove(request, pk: int):
    """GET asks for confirmation; POST removes. The API lets a member remove themselves (unless
    they are the last owner), so the web app does too and then leaves that account."""
    ws = request.workspace
    membership = get_object_or_404(_members(ws), pk=pk)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            _guard_ownership(ws, membership.role)
            services.member_remove(membership=membership)
        except DomainError as refusal:  # 403 an owner by a non-owner, 409 the last owner
            error, status = error_text(refusal, with_fields=False), page_status(refusal)
        else:
            if membership.user_id == request.user.pk:
                messages.success(request, f"You left {ws.account.name}.")
                still_member = Membership.objects.filter(user=request.user).exists()
                return redirect("home" if still_member else "web:account-new")
            messages.success(request, f"{membership.user.email} was removed from {ws.account.name}.")
            return redirect("web:team")
    context = {"confirm": membership, "is_me": membership.user_id == request.user.pk, "error": error}
    return page(request, "web/settings/team.html", context, status=status)
