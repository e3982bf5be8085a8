"""The page a locked-out login gets (django-axes' AXES_LOCKOUT_CALLABLE): our login page with the cool-down."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def lockout_message() -> str:
    minutes = settings.OCOP_LOGIN_COOLOFF_MINUTES
    return ngettext(
        "Too many failed logins. Please try again in %(minutes)d minute.",
        "Too many failed logins. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The login page again (the back office's or the admin's, whichever was posted to), with the message and 429."""
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")[:150]})
    context = {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
