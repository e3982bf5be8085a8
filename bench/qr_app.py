"""The application the QR bench serves with gunicorn: the site as deployed (ocop.wsgi), plus one plain Django view
reading one row, `/bench/plain/<code>`, the baseline the QR page's miss is measured against in the same run. The
plain view is an ordinary page: it takes the full MIDDLEWARE (sessions, CSRF, authentication, messages...)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from ocop.wsgi import application as application  # django.setup(); gunicorn serves this


@require_GET
def plain(request: HttpRequest, code: str) -> HttpResponse:
    """One row by its code, as a page of a line."""
    from ocop.certificates.models import Certificate

    number = Certificate.objects.filter(code=code).values_list("number", flat=True).first()
    return HttpResponse(f"<!doctype html><title>{number}</title><p>{number}</p>", status=200 if number else 404)


urlpatterns = [path("bench/plain/<str:code>", plain), path("", include("ocop.urls"))]
handler400 = "ocop.public.errors.bad_request"
handler403 = "ocop.public.errors.forbidden"
handler404 = "ocop.public.errors.not_found"
handler500 = "ocop.public.errors.server_error"
settings.ROOT_URLCONF = __name__  # read per request: set before the first one
