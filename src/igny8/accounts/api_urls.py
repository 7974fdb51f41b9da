"""Routes of the accounts app beside config/api_urls.py's router: the signed-in user's API tokens and
the account's open invitations."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from igny8.accounts import apis

router = SimpleRouter(trailing_slash=True)
router.register("accounts/invitations", apis.InvitationViewSet, basename="invitation")

urlpatterns = [
    path("auth/tokens/", apis.TokenListView.as_view(), name="auth-token-list"),
    path("auth/tokens/<int:pk>/", apis.TokenDetailView.as_view(), name="auth-token-detail"),
]

urlpatterns += router.urls
