"""The QR page's own short way through the application: `/v/<code>` is read by anyone who scans a label, with no
login, no form and no cookie, so on a miss (the path every scan takes after a change, when nginx has no copy yet)
it skips what only a signed-in visitor or a form needs: sessions, CSRF, authentication, messages, django-axes,
htmx and the form-text middleware (`ocop.core.middleware`, whose only work on a read is to scrub query values the
page never reads, and to refuse a control character in the path, which the pattern below never lets through).

It runs first in MIDDLEWARE and hands a GET or HEAD of `/v/<letters and digits>` to a chain of the site's own
security middleware (SecurityMiddleware, CommonMiddleware with its ALLOWED_HOSTS check, X-Frame-Options and the
Content-Security-Policy, in MIDDLEWARE's order) around the view; everything else, and any other spelling of the
path (a report form `/v/<code>/report`, a POST, odd characters), takes the full chain as before. The page is the
same for every reader (Vietnamese with English beside it), so it is rendered in Vietnamese whatever the browser
asks and says so (Content-Language: vi), with no Vary on Accept-Language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.module_loading import import_string

from ocop.public import verify

PATH = re.compile(r"/v/([0-9A-Za-z]{1,40})")
# The middleware that the page keeps, taken in MIDDLEWARE's order: the rest only serve sessions and forms.
KEPT = (
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)


def _page(request: HttpRequest) -> HttpResponse:
    match = PATH.fullmatch(request.path_info)
    assert match is not None  # only matching paths come here
    with translation.override(settings.LANGUAGE_CODE):
        response = verify.verify(request, match.group(1))
    response["Content-Language"] = settings.LANGUAGE_CODE
    return response


def short_chain() -> Callable[[HttpRequest], Any]:
    """The view wrapped in the kept middleware, built as Django builds its own chain."""
    handler: Callable[[HttpRequest], Any] = convert_exception_to_response(_page)
    for path in reversed([m for m in settings.MIDDLEWARE if m in KEPT]):
        handler = convert_exception_to_response(import_string(path)(handler))
    return handler


class ScanPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.short = short_chain()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and PATH.fullmatch(request.path_info):  # HEAD: GET's headers
            return self.short(request)  # type: ignore[no-any-return]  # Django types its chain loosely
        return self.get_response(request)
