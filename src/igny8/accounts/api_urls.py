"""Routes of the accounts app that are not tenant rows: the signed-in user's API tokens."""

from django.urls import path

from igny8.accounts import apis

urlpatterns = [
    path("auth/tokens/", apis.TokenListView.as_view(), name="auth-token-list"),
    path("auth/tokens/<int:pk>/", apis.TokenDetailView.as_view(), name="auth-token-detail"),
]
