from __future__ import annotations

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
from django_htmx.middleware import HtmxDetails

from ocop.accounts.models import Role, User
from ocop.accounts.permissions import scope_of
from ocop.backoffice.fields import named
from ocop.backoffice.forms import apply_service_errors
from ocop.places.queries import issuing_body

PAGE_SIZE = 25


class Request(HttpRequest):
    """A back-office request: logged in (every view is login_required) and seen by the htmx middleware."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


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


def workbook_issuer(user: Any) -> str:
    """The issuing body on the title block of a workbook the user exports: their commune's or province's People's
    Committee when their roles name only one unit, else the programme."""
    scope = scope_of(user)
    provinces = {p for ids in scope.provinces.values() for p in ids}
    if len(scope.communes) == 1 and scope.roles <= {Role.COMMUNE_OFFICER}:
        return issuing_body(commune_id=next(iter(scope.communes)))
    return issuing_body(next(iter(provinces)) if len(provinces) == 1 and not scope.is_admin else None)
