from rest_framework import authentication, exceptions

from igny8.accounts.tokens import TokenRefused, token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` for scripts; the browser uses the session."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization header must be 'Bearer <token>'.")
        # request.auth is the token, so the token list can mark the one in use.
        try:
            token = token_authenticate(key=header[1].decode(errors="replace"))
        except TokenRefused as refusal:
            raise exceptions.AuthenticationFailed(refusal.message) from None
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
