from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from ocop.accounts.models import User
from ocop.backoffice.fields import named
from ocop.backoffice.forms import apply_service_errors

PAGE_SIZE = 25


class Request(HttpRequest):
    """A back-office request: logged in (every view is login_required) and seen by the htmx middleware."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


def report_errors(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as messages at the top of the page (each message names its field)."""
    for message in exc.messages:
        messages.error(request, message)


@dataclass(frozen=True)
class Outcome[T]:
    """What `run_form` did: `ok` when the form was valid and the service accepted it, with the service's result."""

    ok: bool
    value: T | None = None


def run_form[T](form: forms.BaseForm, action: Callable[[dict[str, Any]], T]) -> Outcome[T]:
    """The one way a back-office write runs: the form parses and validates (naming the field), then the service acts
    on the clean values. A service's refusal (ValidationError) lands on the field it names, or at the top of the form.
    The view only decides what to show next."""
    if not form.is_bound or not form.is_valid():
        return Outcome(False)
    try:
        return Outcome(True, action(form.cleaned_data))
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return Outcome(False)


def form_messages(request: HttpRequest, form: forms.BaseForm) -> None:
    """The errors of a form posted from a page that does not show it (a button with a reason) as messages at the top
    of the page it returns to, each naming its field."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(capfirst(str(field.label))) if field is not None and field.label else ""
        for error in map(str, errors):
            messages.error(request, named(label, error))  # once, even when the form named it already (NamedErrors)


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
