"""The password page: Django's password change, and the user's API tokens with a revoke button.

A new password revokes every API token made before it (accounts/tokens.py); the API lists and
revokes the same tokens at /api/v1/auth/tokens/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from igny8.accounts.tokens import token_list, token_revoke
from igny8.core.errors import NotFound


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def get_context_data(self, **kwargs):
        return super().get_context_data(tokens=token_list(user=self.request.user), **kwargs)


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    try:
        token_revoke(user=request.user, token_id=pk)
    except NotFound as error:
        raise Http404(error.message) from None
    messages.success(request, "The API token was revoked; scripts using it now get 401.")
    return redirect("password_change")
