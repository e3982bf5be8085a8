"""`/v/<code>` as a WSGI server sees it: `ocop runserver` (wsgiref, `make run`) and other servers that check the
WSGI rules strictly refuse a header name that is not exactly a str, which Django's test client never checks."""

import datetime as dt
import io
from collections.abc import Callable
from typing import Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from ocop.certificates.tests.conftest import issue, office  # noqa: F401


def wsgi_get(path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """A GET through wsgiref's validator (the checks runserver's wsgiref applies, and more): status, headers, body."""
    environ: dict[str, object] = {
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "HTTP_HOST": "testserver",
        "wsgi.errors": io.StringIO(),
    }
    setup_testing_defaults(environ)
    answer: dict[str, object] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
    ) -> Callable[[bytes], object]:
        answer.update(status=status, headers=headers)
        return lambda data: None

    # As Django's test client does: the test's transaction and its connection stay open across the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = validator(WSGIHandler())(environ, start_response)
        body = b"".join(result)
        result.close()  # type: ignore[attr-defined]  # the validator's iterator: closing it is a WSGI rule
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body  # type: ignore[return-value]


def test_the_qr_page_and_its_404_pass_wsgi_checks(office, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    status, headers, body = wsgi_get(f"/v/{cert.code}")  # raised AssertionError: a header name was the CSP enum
    assert status == "200 OK" and 'data-status="valid"' in body.decode()
    assert [type(name) for name, _ in headers] == [str] * len(headers)
    assert dict(headers)["Content-Security-Policy"].startswith("default-src 'none'; style-src 'sha256-")
    status, headers, body = wsgi_get("/v/KHONGCO123")
    assert status == "404 Not Found" and "KHONGCO123" in body.decode()
    assert dict(headers)["Content-Security-Policy"].startswith("default-src 'none'; style-src 'sha256-")
