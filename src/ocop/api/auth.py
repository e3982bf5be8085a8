"""Who calls the API. `api_auth` is the authentication every operation that needs a user declares
(`ApiRouter(..., auth=api_auth)` or `@router.get(..., auth=api_auth)`); open operations declare none.

Two ways in, tried in this order:
- a personal API token, `Authorization: Bearer ocop_<prefix>_<secret>` (made in the back office or with
  `ocop api_token create`): the call acts as the token's user, with the user's roles; a read-only token may only read.
  No CSRF token is needed (no browser sends this header on its own). A Bearer header that names no active token is
  refused (401) and never falls back to the session;
- the back office's session cookie, with its CSRF token on writes (a browser's page, the OpenAPI docs).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, django_auth

from ocop.accounts.models import TokenScope
from ocop.accounts.tokens import authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenRefused(Exception):
    """A Bearer token the API will not act on: 401 when it names no active token, 403 when a read-only token asks to
    write. Answered by ocop.api.urls in the errors' shape, with the RFC 6750 challenge in WWW-Authenticate."""

    def __init__(self, status: int, detail: str, challenge: str) -> None:
        super().__init__(detail)
        self.status, self.detail, self.challenge = status, detail, challenge


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal API token (ocop.accounts.tokens)."""

    openapi_bearerFormat = "ocop_<prefix>_<secret>"
    openapi_description = (
        "A personal API token, made in the back office (API tokens) or with `ocop api_token create`. "
        "It acts with its user's roles; a read-only token may only read (GET)."
    )

    def __call__(self, request: HttpRequest) -> Any:
        # ninja's HttpBearer.__call__, without its DEBUG log of an Authorization header of another scheme ("Token
        # <text>", "Bearer<TAB><text>"): that log line printed the whole header, a token's secret with it.
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = authenticate(token)
        if found is None:
            raise TokenRefused(401, _("The API token is invalid, expired or revoked."), 'Bearer error="invalid_token"')
        if found.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            raise TokenRefused(
                403,
                _("This API token is read-only: use a token with the write scope to change data."),
                'Bearer error="insufficient_scope", scope="write"',
            )
        request.user = found.user
        return found.user


api_auth = [BearerToken(), django_auth]
