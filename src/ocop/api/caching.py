"""HTTP caching of the API's public reads: an `ETag` and a `Last-Modified` on each answer, and a 304 to a reader who
sends them back (If-None-Match, or If-Modified-Since without it), as Django's conditional GET decides.

- The ETag is a strong one, a hash of the answer's bytes: whatever changes what a reader sees (a status, a rename,
  the day an expiring certificate expires) changes it, with no rule to keep in step with the data.
- The Last-Modified is the latest `updated_at` of the rows behind the answer, which the operation tells with
  `modified(request, ...)`; for an answer carrying a certificate's status, never before today's local midnight
  (`daily=True`), since a status also follows from the date (expiring, expired).
- Cache-Control, for a request without a user: STATUS ("public, no-cache") for answers carrying a certificate's
  status, which a CDN may keep but must check again each time, so that a status never shows older than its change
  (the QR page's rule, public.verify); REFERENCE ("public, max-age=300") for reference data that changes rarely
  (provinces, communes, criteria). A request with a user (a session cookie or a token) gets PRIVATE: shared
  caches keep nothing of it. Every answer (200 or 304) carries `Vary: Authorization, Cookie` (LocaleMiddleware
  adds Accept-Language after it), so a shared cache never serves an anonymous copy to a token or a session, nor
  the reverse.

Use: `@cached(STATUS)` under the operation's `@router.get(...)`, and declare `response={200: X, 304: None}`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from ninja.decorators import decorate_view

STATUS = "public, no-cache"
REFERENCE = "public, max-age=300"
PRIVATE = "private, no-cache"

F = TypeVar("F", bound=Callable[..., Any])
_MODIFIED = "_ocop_last_modified"


def modified(request: HttpRequest, *stamps: dt.datetime | None, daily: bool = False) -> None:
    """Tell the answer's Last-Modified: the latest of `stamps` (updated_at values; None for none), and with
    `daily` not before today's local midnight."""
    known = [s for s in stamps if s is not None]
    if daily:
        known.append(timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time())))
    if known:
        setattr(request, _MODIFIED, max(known))


def _with_user(request: HttpRequest) -> bool:
    """A request that may carry a user: a token, or a session cookie. Told from the headers alone (no query, and the
    session is not read); a stale cookie only costs shared caching."""
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


def cached(policy: str) -> Callable[[F], F]:
    """The operation's 200 answers carry ETag, Last-Modified and Cache-Control (`policy` for anonymous requests),
    and a matching conditional request is answered 304 with the same headers and no body."""

    def around(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = run(request, *args, **kwargs)
            if response.status_code != 200 or request.method not in ("GET", "HEAD"):
                return response
            etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
            response["ETag"] = etag
            stamp: dt.datetime | None = getattr(request, _MODIFIED, None)
            if stamp is not None:
                response["Last-Modified"] = http_date(stamp.timestamp())
            response["Cache-Control"] = PRIVATE if _with_user(request) else policy
            patch_vary_headers(response, ("Authorization", "Cookie"))  # before the 304, which copies it
            answer = get_conditional_response(
                request,
                etag=etag,
                last_modified=int(stamp.timestamp()) if stamp is not None else None,
                response=response,
            )
            return answer if answer is not None else response

        return wrapped

    return decorate_view(around)
