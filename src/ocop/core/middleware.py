"""Form input is normalised once, before any view sees it (core.text: NFC, collapsed spaces, no control
characters).

Placed right after CsrfViewMiddleware and working in `process_view`, so a forged request is refused for its
token first and every view (forms, formsets and hand-read `request.POST.get(...)` alike) reads the normalised
copy. JSON bodies are the API's: its schemas normalise with the same functions (ocop.api.text).

Writes (POST) with a control character are refused: the site's 400 page names the field. Reads (GET, HEAD) are
filters and search words, typed in a box or edited in the address bar: their query values are scrubbed instead
(each control character replaced by a space, then NFC and collapsed spaces, ocop.core.text.scrub_text), so every
list filter sees clean text and a NUL never reaches PostgreSQL, which refuses it with an error. A control
character in a part of the path (`/diem-ban/%00/`) names no record: 404. The API (URL namespace "api") is left
alone: its schemas check queries and paths themselves and answer 422 in its JSON shape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from ocop.core.storage_faults import storage_fault
from ocop.core.text import control_character, control_character_message, normalize_text, scrub_text

_WRITES = frozenset({"POST", "PUT", "PATCH"})
_READS = frozenset({"GET", "HEAD"})
_CHECKS_ITS_OWN = frozenset({"api"})  # URL namespaces whose views check their own input (ocop.api)
_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# Secrets are compared byte for byte with what was set: a password typed with two spaces, or with a
# decomposed "ơ", must keep working exactly as typed. Any field whose name contains "password" is one too.
AS_TYPED = frozenset(
    {
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password1",
        "new_password2",
        "csrfmiddlewaretoken",
    }
)


def left_as_typed(name: str) -> bool:
    return name in AS_TYPED or "password" in name.lower()


def _with(data: QueryDict, cleaned: dict[str, list[str]]) -> QueryDict:
    """A copy of `data` with the cleaned values, immutable as Django hands it over (a view that writes to
    request.GET or request.POST is a bug)."""
    copy = data.copy()
    for name, new_values in cleaned.items():
        copy.setlist(name, new_values)
    copy._mutable = False
    return copy


class TextInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and _CHECKS_ITS_OWN.intersection(match.namespaces):
            return None
        if any(isinstance(v, str) and control_character(v) is not None for v in view_kwargs.values()):
            raise Http404
        if request.method in _READS:
            self.scrub_query(request)
            return None
        if request.method not in _WRITES or request.content_type not in _FORM_TYPES:
            return None
        data = request.POST  # Django fills it for POST only; for PUT/PATCH it is empty and nothing happens
        cleaned: dict[str, list[str]] = {}
        for name, values in data.lists():
            if left_as_typed(name):
                continue
            new_values = []
            for value in values:
                # A value with a line break came from a textarea: keep its lines (and one empty line between
                # paragraphs); anything else is one line of text.
                multiline = "\n" in value or "\r" in value
                char = control_character(value, multiline=multiline)
                if char is not None:
                    return self.refuse(request, field=name, char=char)
                new_values.append(normalize_text(value, multiline=multiline))
            if new_values != values:
                cleaned[name] = new_values
        if cleaned:  # most posts are already normal: keep Django's own QueryDict then
            request.POST = _with(data, cleaned)  # type: ignore[assignment]  # the stubs type it as the immutable subclass
        return None

    @staticmethod
    def scrub_query(request: HttpRequest) -> None:
        """request.GET with every value scrubbed (passwords and tokens as typed); Django's own when already clean."""
        data = request.GET
        cleaned = {
            name: new_values
            for name, values in data.lists()
            if not left_as_typed(name) and (new_values := [scrub_text(v, multiline=False) for v in values]) != values
        }
        if cleaned:
            request.GET = _with(data, cleaned)  # type: ignore[assignment]  # as for POST
        return None

    @staticmethod
    def refuse(request: HttpRequest, *, field: str, char: str) -> HttpResponse:
        """The site's 400 page, with the field named in the messages area above it; nothing was written."""
        message = Message(constants.ERROR, control_character_message(field=field, char=char))
        # A context "messages" takes precedence over the context processor's: the queued ones (a success from an
        # earlier page, say) stay queued for the next page.
        return render(request, "errors/error.html", {"status": 400, "messages": [message]}, status=400)


class StorageFaultMiddleware:
    """A request that fails on the files' storage being out of reach (a hung or missing bucket, refused keys:
    ocop.core.storage_faults) answers 503 with a Vietnamese message, the error logged; nothing else is touched (a
    view's transaction is rolled back before this runs)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not storage_fault(exception):
            return None
        logging.getLogger("ocop.storage").error(
            "File storage unreachable on %s %s", request.method, request.path, exc_info=exception
        )
        text = _("The file storage cannot be reached for the moment; please try again later.")
        message = Message(constants.ERROR, text)
        return render(request, "errors/error.html", {"status": 503, "messages": [message]}, status=503)
