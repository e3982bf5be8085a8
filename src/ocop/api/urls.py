"""The JSON API, version 1, at /api/v1/ with its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ocop.api import certificates, evaluation, outlets, places, registry, transparency
from ocop.api.errors import schema_errors, service_errors

api = NinjaAPI(
    title="OCOP Hub API",
    version="1",
    description=("Administrative units, producers, products, their evaluation and certificates in the OCOP programme."),
    urls_namespace="api",
)
api.add_router("/", places.router)
api.add_router("/", registry.router)
api.add_router("/", evaluation.router)
api.add_router("/", certificates.router)
api.add_router("/", outlets.router)
api.add_router("/", transparency.router)


@api.exception_handler(ValidationError)
def on_service_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": service_errors(exc)}, status=422)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": schema_errors(exc.errors)}, status=422)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja raises HttpError(400) when the body cannot be parsed.
    message = _("The request body is not valid JSON.") if exc.status_code == 400 else _("Invalid value.")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Log in first.")}, status=401)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
