from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _page(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "errors/error.html", {"status": status}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 400)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500)
