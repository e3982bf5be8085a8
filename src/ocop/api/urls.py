"""The JSON API, version 1, at /api/v1/ with its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation

from ocop.api import (
    certificates,
    decisions,
    evaluation,
    outlets,
    places,
    planning,
    promotion,
    proofs,
    registry,
    reports,
    sales,
    shelves,
    supervision,
    transparency,
    webhooks,
)
from ocop.api.auth import TokenRefused
from ocop.api.errors import error_body, schema_errors, service_errors, with_media_types


class OcopApi(NinjaAPI):
    """The API, with each operation's id its function's name (`list_certificates`, `create_product`): what a
    generated client names its functions after. The names are unique across routers (a test checks)."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return with_media_types(super().get_openapi_schema(**kwargs))


api = OcopApi(
    title="OCOP Hub API",
    version="1",
    description=(
        "The OCOP programme's data for the systems around it: administrative units, producers and products, their "
        "evaluation, certificates and recognition decisions, plans and targets, inspections and consumer reports, "
        "outlets with their shelves and monthly sales, events and trainings, periodic reports and status webhooks. "
        "Public reads need no login; everything else takes a personal token in `Authorization: Bearer <token>`; "
        "lists come in pages (`page`, `page_size` ≤ 200, `next`/`previous` links) and every error is "
        "`{detail, code}`. Certificates' signing keys are also published as a JWKS at `/.well-known/jwks.json`, "
        "a pack's GS1 Digital Link resolves at `/01/<GTIN>`, and docs/api.md shows a token, a webhook and a JWS "
        "check in a few lines each."
    ),
    urls_namespace="api",
)
api.add_router("/", places.router)
api.add_router("/", registry.router)
api.add_router("/", evaluation.router)
api.add_router("/", certificates.router)
api.add_router("/", outlets.router)
api.add_router("/", transparency.router)
api.add_router("/", proofs.router)
api.add_router("/", planning.router)
api.add_router("/", supervision.router)
api.add_router("/", decisions.router)
api.add_router("/", shelves.router)
api.add_router("/", sales.router)
api.add_router("/", promotion.router)
api.add_router("/", reports.router)
api.add_router("/", webhooks.router)


def _error(request: HttpRequest, status: int, detail: str | list[dict[str, str]]) -> HttpResponse:
    return api.create_response(request, error_body(status, detail), status=status)


@api.exception_handler(ValidationError)
def on_service_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, service_errors(exc))


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, schema_errors(exc.errors))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja raises HttpError(400) when the body cannot be parsed, and HttpError(403) when a request logged
    # in by its session cookie lacks the CSRF token.
    if exc.status_code == 400:
        return _error(request, 400, _("The request body is not valid JSON."))
    if exc.status_code == 403:
        return _error(
            request,
            403,
            _("The CSRF token is missing or wrong: send the csrftoken cookie's value in the X-CSRFToken header."),
        )
    return _error(request, exc.status_code, _("Invalid value."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("You may not do this."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, _("Log in, or send an API token: Authorization: Bearer <token>."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(TokenRefused)
def on_token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    response = _error(request, exc.status, exc.detail)
    response["WWW-Authenticate"] = exc.challenge
    return response


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


# Last of all: any other path under /api/v1/ is a 404 in the API's shape, not the site's HTML page.
unknown = Router()
_EVERY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@unknown.api_operation(_EVERY_METHOD, "/{path:rest}", include_in_schema=False)
def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
    raise Http404


@unknown.api_operation(_EVERY_METHOD, "", include_in_schema=False)
def api_root(request: HttpRequest) -> HttpResponse:
    raise Http404


api.add_router("/", unknown)


def _json_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a method a path does not take with a plain-text 405; the API's shape instead, with its Allow."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        answer = _error(request, 405, _("Method not allowed: use %(methods)s.") % {"methods": allowed})
        answer["Allow"] = allowed
        return answer

    return wrapped


def urls() -> tuple[list[Any], str, str]:
    """The API's URL patterns, each answering a wrong method in the API's error shape."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_not_allowed(pattern.callback)
    return patterns, app_name, namespace
