"""`/01/<GTIN>`: the GS1 Digital Link resolver for packs with a barcode (the pack QR's address).

A pack's QR is ``<OCOP_PUBLIC_BASE_URL>/01/<GTIN-14>#<the certificate's signed claim>``: a point-of-sale scanner
reads the GTIN, a phone opens the address. The resolver answers, as GS1's resolver standard (1.1) describes:

- by default (or `linkType` gs1:certificationInfo / gs1:defaultLink, or a link type it does not have): 307 to the
  pack's certificate page `/v/<code>`. The redirect carries no fragment, so the browser keeps the QR's (RFC 9110
  §10.2.2): the signed claim stays with the page;
- `linkType=gs1:pip`: 307 to the product's public page `/san-pham/<id>/`;
- `linkType=all` (or `Accept: application/linkset+json`): the link set (RFC 9264) as application/linkset+json.

Key qualifiers after the GTIN (`/10/<lot>`, `/21/<serial>`) and other query parameters are accepted and ignored: a
certificate covers the product's pack, whatever the lot. A malformed barcode, a wrong check digit or a barcode that no
certificate lists is a 404 page saying which, in Vietnamese with English beside it. Answers carry an ETag over what
they say and `Cache-Control: no-cache`, as the page behind the QR does: a cache revalidates every time.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from ocop.certificates.gtin import certificates_for_gtin
from ocop.public import scanpage
from ocop.registry.validators import gtin14, gtin_problem

LINKSET_TYPE = "application/linkset+json"
VOC = "https://gs1.org/voc/"
# linkType values naming the product page; anything else (but "all") goes to the certificate page, the default link.
PIP = {"gs1:pip", f"{VOC}pip"}


def _linkset(gtin: str, cert: dict[str, Any]) -> dict[str, Any]:
    """The link set of a GTIN: its anchor is the Digital Link, its links the certificate page (default link and
    gs1:certificationInfo) and the product page (gs1:pip), titled in Vietnamese."""
    base = settings.OCOP_PUBLIC_BASE_URL.rstrip("/")
    product = cert["certified_product"]
    with translation.override("vi"):
        certificate = {
            "href": base + reverse("verify", args=[cert["code"]]),
            "title": _("OCOP certificate %(number)s: %(product)s") % {"number": cert["number"], "product": product},
            "type": "text/html",
            "hreflang": ["vi"],
        }
        page = {
            "href": base + reverse("catalogue_product", args=[cert["product_id"]]),
            "title": _("%(product)s: product page") % {"product": product},
            "type": "text/html",
            "hreflang": ["vi"],
        }
    anchor = f"{base}/01/{gtin14(gtin)}"
    return {
        "linkset": [
            {
                "anchor": anchor,
                "description": product,
                f"{VOC}defaultLink": [certificate],
                f"{VOC}certificationInfo": [certificate],
                f"{VOC}pip": [page],
            }
        ]
    }


def _wants_linkset(request: HttpRequest) -> bool:
    return request.GET.get("linkType") == "all" or LINKSET_TYPE in request.headers.get("Accept", "")


# What is wrong with a barcode: a headline and a sentence naming the barcode as given.
PROBLEMS = {
    "format": (
        gettext_lazy("Not a barcode"),
        gettext_lazy("“%(gtin)s” is not a barcode (GTIN): a GTIN has 8, 12, 13 or 14 digits."),
    ),
    "check_digit": (
        gettext_lazy("Wrong check digit"),
        gettext_lazy(
            "The barcode “%(gtin)s” has a wrong check digit: it was mistyped, or the label is not genuine. Check "
            "the digits under the bars."
        ),
    ),
    "unknown": (
        gettext_lazy("Not an OCOP certificate"),
        gettext_lazy(
            "No OCOP certificate lists the barcode “%(gtin)s”. The pack is not certified under this barcode: if its "
            "label carries the OCOP mark, the label may be fake."
        ),
    ),
}


def _not_found(gtin: str, problem: str) -> HttpResponse:
    """The 404 page: what is wrong with the barcode, in Vietnamese with English beside it, on the QR page's look."""
    lines = {}
    for language in ("vi", "en"):
        with translation.override(language):
            headline, detail = PROBLEMS[problem]
            lines[language] = (str(headline), str(detail) % {"gtin": gtin[:40]})
    with translation.override("vi"):
        body = render_to_string(
            "public/gs1_not_found.html",
            {
                "css": scanpage.CSS, "meta_csp": scanpage.META_CSP, "problem": problem, "headline": lines["vi"][0],
                "detail": lines["vi"][1], "headline_en": lines["en"][0], "detail_en": lines["en"][1],
                "day": timezone.localdate(),
            },
        )  # fmt: skip
    response = HttpResponse(body, status=404)
    response["Cache-Control"] = "no-cache"
    return response


def _cached(request: HttpRequest, response: HttpResponse, validator: str) -> HttpResponse:
    """ETag over what the answer says (a redirect's target, a link set's body); 304 when the client has it."""
    etag = '"' + hashlib.blake2b(validator.encode("utf-8"), digest_size=10).hexdigest() + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
@csp_override(scanpage.CSP)
def resolve(request: HttpRequest, gtin: str, qualifiers: str = "") -> HttpResponse:
    """A pack's GS1 Digital Link: its certificate page, its product page, or its link set (see the module)."""
    problem = gtin_problem(gtin)
    if problem is not None:
        return _not_found(gtin, problem)
    found = certificates_for_gtin(gtin)
    if not found:
        return _not_found(gtin, "unknown")
    cert = found[0]
    if _wants_linkset(request):
        body = json.dumps(_linkset(gtin, cert), ensure_ascii=False, indent=2)
        return _cached(request, HttpResponse(body, content_type=LINKSET_TYPE), body)
    if request.GET.get("linkType") in PIP:
        target = reverse("catalogue_product", args=[cert["product_id"]])
    else:
        target = reverse("verify", args=[cert["code"]])
    response = HttpResponse(status=307)
    response["Location"] = target
    anchor = f"{settings.OCOP_PUBLIC_BASE_URL.rstrip('/')}/01/{gtin14(gtin)}"
    response["Link"] = f'<{anchor}?linkType=all>; rel="linkset"; type="{LINKSET_TYPE}"'
    return _cached(request, response, f"{target}|{anchor}")
