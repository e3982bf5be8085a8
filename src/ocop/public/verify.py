"""`/v/<code>`: the page behind the QR (public.scanpage), the consumer's report form, the offline check page."""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.csp import CSP
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_safe

from ocop.certificates import reports
from ocop.certificates.enums import ReportKind
from ocop.certificates.signing import published_jwks, published_keys
from ocop.core.clientip import client_ip
from ocop.public import scanpage

logger = logging.getLogger(__name__)


@require_safe  # HEAD too: nginx answers HEAD from a stored copy, and sends a missing one here
@csp_override(scanpage.CSP)
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Whether the stars are valid today, in Vietnamese with English beside it. A status change shows on the very
    next request: the page may be stored but must be revalidated (ETag over the certificate's last change and the
    day). In production nginx serves the day's stored copy (docs/deployment.md); this view makes it on a miss."""
    day = timezone.localdate()
    cert, counts = scanpage.page_row(code, day)
    if cert is None:
        response = HttpResponse(scanpage.render_page(None, code[:40], day), status=404)
        response["Cache-Control"] = "no-cache"
        response[CSP.HEADER_ENFORCE.value] = scanpage.CSP_HEADER  # a str: wsgiref refuses the enum
        return response
    # A rename of the product or its producer changes the page ("tên hiện tại") but not the certificate's row.
    names = zlib.crc32(f"{cert['current_name'] or ''}|{cert['current_producer'] or ''}".encode())
    etag = f'"{cert["pk"]}-{cert["updated_at"].timestamp():.6f}-{day.isoformat()}-{names:08x}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        body = scanpage.render_page(cert, cert["code"], day, counts)
        if code == cert["code"]:
            try:
                scanpage.store_if_absent(cert["code"], body, day)
            except Exception:  # a copy is a saving (disk or bucket), not the answer: the page goes out
                logger.exception("QR page %s: its copy could not be stored", cert["code"])
        response = HttpResponse(body)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response[CSP.HEADER_ENFORCE.value] = scanpage.CSP_HEADER  # a str: wsgiref refuses the enum
    return response


@csp_override(scanpage.CSP)
def report_problem(request: HttpRequest, code: str) -> HttpResponse:
    """A consumer reports a suspected fake, expired or otherwise wrong label (no login; rate-limited)."""
    context: dict[str, Any] = {
        "css": scanpage.CSS, "code": code[:40], "kinds": ReportKind.choices, "values": request.POST, "errors": {},
    }  # fmt: skip
    status = 200
    if request.method == "POST":
        try:
            reports.report_problem(
                code=code,
                kind=request.POST.get("kind", ""),
                message=request.POST.get("message", ""),
                place=request.POST.get("place", ""),
                contact=request.POST.get("contact", ""),
                client=reports.client_key(client_ip(request)),
            )
        except ValidationError as exc:
            context["errors"], status = exc.message_dict, 400
        except reports.TooManyReports:
            context["errors"] = {"__all__": [_("Too many reports from this connection; please try again in an hour.")]}
            status = 429
        else:
            context["sent"] = True
    return render(request, "public/report.html", context, status=status)


@require_GET
def offline_check(request: HttpRequest) -> HttpResponse:
    """A page that checks a QR's signature in the browser, with the provinces' public keys inside it: once loaded,
    it works without a network (an inspector in the field)."""
    texts = {
        "ok": _("Authentic: issued and signed by the OCOP office."),
        "not_ours": _("This is not an OCOP Hub certificate QR."),
        "damaged": _("The QR is damaged or altered: its signed part cannot be read."),
        "unknown_key": _("The QR is signed with key %(key)s, which no province has published."),
        "forged": _("The signature does not match: this QR was altered or forged."),
        "mismatch": _("The address in the QR does not match the signed certificate code."),
        "other_body": _(
            "The QR is signed with key %(key)s, which is not the key of the body that issued certificate %(number)s: "
            "it is forged."
        ),
        "unsigned": _(
            "An OCOP Hub code, but without a digital signature (a certificate imported from paper records): open the "
            "link when online to see its status."
        ),
        "foreign": _(
            "The signature is valid, but the address in the code is not the official site (%(base)s): do not open "
            "this link."
        ),
        "in_dates": _("within its 36 months today; a suspension or revocation shows only online"),
        "ended": _("its 36 months have ended"),
        "scanning": _("Point the camera at the QR code on the label."),
        "no_camera": _("This browser cannot use a camera here: paste the text of the QR instead."),
        "camera_refused": _(
            "The camera could not be opened (no camera, or access refused): paste the text of the QR instead."
        ),
        "offline_ready": _("This page is saved on this device: it also works without a network next time."),
    }
    site = {"base": settings.OCOP_PUBLIC_BASE_URL}  # the official address that a genuine code's link starts with
    return render(request, "public/offline_check.html", {"keys": published_keys(), "texts": texts, "site": site})


# What /kiem-tra/ needs to work with no network: its own scripts and styles, the QR decoder and the keys' JSON.
OFFLINE_ASSETS = (
    "ocop/site.css", "django_htmx/htmx-2.min.js", "ocop/site.js", "ocop/verify.js", "ocop/scan.js",
    "vendor/jsqr/jsQR.js", "ocop/favicon.ico", "ocop/favicon.svg",
)  # fmt: skip


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/kiem-tra/sw.js: the service worker that keeps the QR check page, its files and the public keys on the device
    (scope /kiem-tra/). Served by Django, not as a static file, so that its scope covers the page and it names the
    static files by their current (hashed) addresses; a new deployment changes the script, which renews the cache."""
    page = reverse("offline_check")
    assets = [static(name) for name in OFFLINE_ASSETS] + [reverse("api:keys")]
    version = hashlib.blake2b("\n".join([page, *assets]).encode(), digest_size=6).hexdigest()
    body = render_to_string(
        "public/offline_sw.js", {"page": json.dumps(page), "assets": json.dumps(assets), "version": version}
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = page
    response["Cache-Control"] = "no-cache"
    return response


# As /api/v1/keys (api.caching.STATUS): a CDN may keep the set but asks again each time (a cheap 304 while nothing
# changed), so a new or retired key never shows late.
JWKS_CACHE = "public, no-cache"


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    """/.well-known/jwks.json: the issuing bodies' signing keys as a JWK Set, for checking a certificate's JWS with
    any JOSE library. Retired keys stay, marked "active": false, so that what they signed still verifies."""
    document, changed = published_jwks()
    body = json.dumps(document, separators=(",", ":")).encode("ascii")
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    modified = int(changed.timestamp()) if changed is not None else None
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = HttpResponse(body, content_type="application/jwk-set+json")
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = JWKS_CACHE
    response["Access-Control-Allow-Origin"] = "*"  # a verifier's web page may fetch it
    return response
