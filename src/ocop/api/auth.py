"""Who calls the API. `api_auth` is the authentication every operation that needs a user declares
(`ApiRouter(..., auth=api_auth)` or `@router.get(..., auth=api_auth)`); open operations declare none.

(Stub until API tokens land: the session cookie with its CSRF token.)
"""

from __future__ import annotations

from ninja.security import django_auth

api_auth = [django_auth]
