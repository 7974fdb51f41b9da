"""Django's login view behind the same rate limit as the API's token endpoint."""

from django.contrib.auth import views as auth_views

from igny8.accounts.throttles import SignInThrottle, retry_after


class ThrottledLoginView(auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        wait = retry_after(throttle_class=SignInThrottle, request=request)
        if wait is None:
            return super().post(request, *args, **kwargs)
        # The password is not even checked; the form comes back empty but for the email.
        form = self.form_class(request, initial={"username": request.POST.get("username", "")})
        message = f"Too many sign-in attempts from this address; try again in {wait} s."
        context = self.get_context_data(form=form, throttled=message)
        return self.render_to_response(context, status=429)
