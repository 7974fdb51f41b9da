"""Django's login view behind the same rate limits as the API's token endpoint."""

from django.contrib.auth import views as auth_views

from igny8.accounts.throttles import RateLimited, signin_check, signin_failed


class ThrottledLoginView(auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        try:
            signin_check(request=request, email=request.POST.get("username", ""))
        except RateLimited as refusal:
            # The password is not even checked; the form comes back empty but for the email.
            form = self.form_class(request, initial={"username": request.POST.get("username", "")})
            context = self.get_context_data(form=form, throttled=refusal.message)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        signin_failed(email=self.request.POST.get("username", ""))
        return super().form_invalid(form)
