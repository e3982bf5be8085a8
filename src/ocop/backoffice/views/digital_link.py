"""A certificate's pack QRs in the GS1 Digital Link form, downloaded from its back-office page for the pack labels."""

from __future__ import annotations

import io
import re

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from ocop.backoffice.views.common import Request
from ocop.certificates import access, queries
from ocop.certificates.signing import digital_link_payload
from ocop.registry.validators import gtin14, gtin_problem

KINDS = {"svg": "image/svg+xml", "png": "image/png"}


@login_required
@require_GET
def pack_qr(request: Request, pk: int, gtin: str, kind: str) -> HttpResponse:
    """The QR of one of the certificate's packs (by its barcode, as issued) as SVG or PNG: ``<OCOP_PUBLIC_BASE_URL>
    /01/<GTIN-14>`` with the certificate's signed claim after "#", as its own QR carries it. 404 for a barcode that
    is not one of the certificate's packs."""
    cert = access.get_certificate_for_user(request.user, pk)
    if kind not in KINDS or gtin_problem(gtin) is not None:
        raise Http404
    full = gtin14(gtin)
    if not any(p["gtin"] and gtin14(p["gtin"]) == full for p in queries.packs_of(cert)):
        raise Http404
    text = digital_link_payload(
        base_url=settings.OCOP_PUBLIC_BASE_URL, gtin=full, code=cert.code, claim_text=cert.claim,
        key_id=cert.key_id, signature=cert.signature,
    )  # fmt: skip
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind=kind, scale=8 if kind == "png" else 4, border=4)
    response = HttpResponse(out.getvalue(), content_type=KINDS[kind])
    name = re.sub(r"[^A-Za-z0-9-]+", "-", cert.number)
    response["Content-Disposition"] = f'attachment; filename="{name}-{full}.{kind}"'
    return response
