from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from ocop.accounts.models import User

PAGE_SIZE = 25


class Request(HttpRequest):
    """A back-office request: logged in (every view is login_required) and seen by the htmx middleware."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


def report_errors(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as messages at the top of the page (each message names its field)."""
    for message in exc.messages:
        messages.error(request, message)


def paginate(request: HttpRequest, qs: QuerySet[Any] | list[Any]) -> Page[Any]:
    paginator = Paginator(qs, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    return urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page" and v])


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def id_of(value: str | None) -> int:
    """A posted id as a number; 0 (which no row has) when it is missing or not a number."""
    return int_or_none(value) or 0


def prefixed(request: HttpRequest, prefix: str) -> dict[str, str]:
    """Posted fields whose name starts with `prefix`, keyed by the rest of the name ("line_A1.1" → "A1.1")."""
    return {key.removeprefix(prefix): request.POST.get(key) or "" for key in request.POST if key.startswith(prefix)}


def posted_date(request: HttpRequest, name: str, label: Any, errors: dict[str, list[str]]) -> dt.date | None:
    """A posted date (yyyy-mm-dd from a date input); a malformed one is reported under its field, by its label."""
    raw = (request.POST.get(name) or "").strip()
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        errors[name] = [_("%(field)s: “%(value)s” is not a date (dd/mm/yyyy).") % {"field": label, "value": raw[:20]}]
        return None
