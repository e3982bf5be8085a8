"""Read-only public traffic from a PostgreSQL replica, when DATABASE_REPLICA_URL is set (docs/deployment.md).

Everything reads and writes the primary ("default") unless a request is judged public and read-only by
`ReplicaMiddleware`; then that request's reads go to the "replica" alias. A request is public and read-only when
all of these hold:

- its method is GET or HEAD (a form post, an API write: the primary);
- it carries no session cookie and no Authorization header: nobody is signed in, in the back office or with an API
  token, so nothing it shows was just changed by its reader (the QR page, the catalogue and map, the open API's
  GETs without a token);
- it carries no "wrote recently" cookie (PIN_COOKIE): any unsafe request (POST, PUT, PATCH, DELETE) answered while
  a replica is configured sets it for OCOP_REPLICA_PIN_SECONDS (10 s by default), so a browser that just posted
  something anonymously (a consumer's report, a visitor's question) reads its own write from the primary while
  the replica catches up.

Task workers, `ocop` commands and the shell never pass through the middleware: they use the primary. Writes always
go to the primary (db_for_write); migrations run on the primary only. The choice is kept in a context variable, so
threads and async tasks serving other requests keep their own. Without a replica the middleware removes itself at
start-up (MiddlewareNotUsed) and the router answers None: Django's default routing, no cost.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "ocop_primary"
SAFE = frozenset({"GET", "HEAD"})

_reads_from: ContextVar[str] = ContextVar("ocop_reads_from", default=PRIMARY)


def has_replica() -> bool:
    return REPLICA in connections.settings


def reads_from() -> str:
    """The alias the current request reads from ("default" outside a public read-only request)."""
    return _reads_from.get()


class ReplicaRouter:
    """Reads from the alias `ReplicaMiddleware` chose for the request; writes and migrations to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        alias = _reads_from.get()
        return alias if alias != PRIMARY else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the primary's rows: objects read from either are the same

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db == PRIMARY


def public_read(request: HttpRequest) -> bool:
    """Whether the request may read from the replica (the module's rules)."""
    return (
        request.method in SAFE
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


class ReplicaMiddleware:
    """Chooses the request's read alias; first in MIDDLEWARE, so the session and every view read from it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not has_replica():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reads_from.set(REPLICA if public_read(request) else PRIMARY)
        try:
            response = self.get_response(request)
        finally:
            _reads_from.reset(token)
        if request.method not in SAFE:
            response.set_cookie(
                PIN_COOKIE, "1", max_age=settings.OCOP_REPLICA_PIN_SECONDS, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )  # fmt: skip
        return response
