"""`Authorization: Bearer <key>`: the only way into the API's data endpoints."""

from rest_framework import authentication, exceptions

from .tokens import authenticate_key


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be “Bearer” and the key, nothing else."
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not a valid key.") from None
        token = authenticate_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown or has been revoked.")
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with this challenge), not 403, when no valid token is sent.
        return f'{self.keyword} realm="api"'
