"""`/v/<code>`: the page behind the QR. Small (inline CSS, no script, no other request) and never stale."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from ocop.certificates import queries, reports
from ocop.certificates.enums import ReportKind, Status
from ocop.certificates.models import Certificate
from ocop.certificates.rules import shows_as_ocop
from ocop.certificates.signing import published_keys

CSS = (Path(__file__).parent / "templates" / "public" / "verify.css").read_text(encoding="utf-8").strip()
CSS_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii") + "'"
CSP = {"default-src": ["'none'"], "style-src": [CSS_HASH], "img-src": ["'self'"], "form-action": ["'self'"],
       "frame-ancestors": ["'none'"]}  # fmt: skip


def _verdict(c: Certificate, status: str) -> tuple[str, str]:
    """The headline in large type and the sentence under it."""
    until = c.valid_until.strftime("%d/%m/%Y")
    since = c.status_since.strftime("%d/%m/%Y") if c.status_since else ""
    valid = _("Valid: OCOP product, %(n)s stars") % {"n": c.stars}
    if status == Status.VALID:
        return valid, _("The certificate is valid until %(date)s.") % {"date": until}
    if status == Status.EXPIRING:
        days = (c.valid_until - timezone.localdate()).days + 1
        detail = _("The certificate is valid until %(date)s (%(days)s days left).")
        return valid, detail % {"date": until, "days": days}
    if status == Status.EXPIRED:
        detail = _("The certificate ended on %(date)s. The OCOP mark may no longer be used on this product.")
        return _("EXPIRED: no longer an OCOP product"), detail % {"date": until}
    if status == Status.SUSPENDED:
        detail = _("Suspended since %(date)s: %(reason)s")
        return _("SUSPENDED: not an OCOP product for now"), detail % {"date": since, "reason": c.status_reason}
    if status == Status.REVOKED:
        detail = _("Revoked by decision %(number)s of %(date)s: %(reason)s")
        values = {"number": c.revocation_decision, "date": since, "reason": c.status_reason}
        return _("REVOKED: not an OCOP product"), detail % values
    new = c.superseded_by
    detail = _("This certificate was replaced by certificate %(number)s (%(n)s stars); check the newer label.")
    values = {"number": new.number if new else "", "n": str(new.stars) if new else ""}
    return _("REPLACED by a newer certificate"), detail % values


@require_GET
@csp_override(CSP)
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Whether the stars are valid today. A status change shows on the very next request: the page may be stored
    but must be revalidated (ETag over the certificate's last change, the day and the language)."""
    cert = queries.by_code(code)
    now = timezone.localtime()
    context = {"css": CSS, "code": code[:40], "now": now, "report_url": reverse("report_problem", args=[code[:40]])}
    if cert is None:
        response = render(request, "public/verify.html", context, status=404)
        response["Cache-Control"] = "no-cache"
        return response
    etag = f'"{cert.pk}-{cert.updated_at.timestamp():.6f}-{now.date().isoformat()}-{get_language()}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        status = cert.reader_status  # type: ignore[attr-defined]
        headline, detail = _verdict(cert, status)
        context |= {
            "c": cert,
            "status": status,
            "ocop": shows_as_ocop(status),
            "headline": headline,
            "detail": detail,
            "star_range": range(cert.stars),
        }
        response = render(request, "public/verify.html", context)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response["Vary"] = "Accept-Language, Cookie"
    return response


@csp_override(CSP)
def report_problem(request: HttpRequest, code: str) -> HttpResponse:
    """A consumer reports a suspected fake, expired or otherwise wrong label (no login; rate-limited)."""
    context: dict[str, Any] = {
        "css": CSS, "code": code[:40], "kinds": ReportKind.choices, "values": request.POST, "errors": {},
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
                client=reports.client_key(request.META.get("REMOTE_ADDR", "")),
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
        "in_dates": _("within its 36 months today; a suspension or revocation shows only online"),
        "ended": _("its 36 months have ended"),
    }
    return render(request, "public/offline_check.html", {"keys": published_keys(), "texts": texts})
