"""Forgotten passwords: Django's own reset views, in our layout. The answer to the request is the
same whether or not the email has a user (Django sends nothing to an unknown email); each client
address may ask only so often, since every request can send an email. The email is sent by a
worker (accounts/emails.py), so the request never waits on the SMTP server."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.template.loader import render_to_string
from django.urls import reverse_lazy

from igny8.accounts.emails import email_send
from igny8.accounts.throttles import RateLimited, client_address, limit_hit
from igny8.core.links import public_domain


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form; its message (rendered as Django renders it) is queued for a worker."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        html = render_to_string(html_email_template_name, context) if html_email_template_name else None
        email_send(
            subject=subject,
            body=render_to_string(email_template_name, context),
            to=[to_email],
            html_body=html,
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "email/password_reset.txt"
    subject_template_name = "email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        try:
            limit_hit(
                scope="password-reset",
                ident=client_address(request),
                rate=settings.PASSWORD_RESET_RATE,
                message="Too many password reset requests from this address; try again in {wait} s.",
            )
        except RateLimited as refusal:
            form = self.form_class(initial={"email": request.POST.get("email", "")})
            context = self.get_context_data(form=form, throttled=refusal.message)
            return self.render_to_response(context, status=429)
        # The emailed link names the instance's public address, not whatever Host the request had.
        domain, secure = public_domain(request=request)
        self.extra_email_context = {"domain": domain, "protocol": "https" if secure else "http"}
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
