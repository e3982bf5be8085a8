"""The public locator: a map of recognised outlets (our own outline; a tile server's tiles beneath it only when one is
set, ocop.public.maps), a list beside it, and a page per outlet with the OCOP products on its shelf today."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ocop.certificates.queries import status_q
from ocop.core.cells import whole_digits
from ocop.core.collation import vi
from ocop.core.phones import phone_display, tel_uri
from ocop.core.uploads import file_response
from ocop.outlets import queries, rules
from ocop.outlets.enums import FileKind, OutletKind, OutletStatus
from ocop.outlets.models import Outlet, OutletFile
from ocop.places.models import Commune
from ocop.public.maps import allows_tiles, tile_layer
from ocop.registry.models import Product

LIST_SIZE = 30


def _int(value: str | None) -> int | None:
    return whole_digits(value or "")


@require_GET
@allows_tiles
def outlet_map(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("loai", "")
    commune_code = request.GET.get("xa", "")[:10]
    product_id = _int(request.GET.get("san-pham"))
    open_now = request.GET.get("mo-cua") == "1"
    words = request.GET.get("sp", "")[:100]
    found = queries.resolve(kind=kind, commune=commune_code, product=product_id, open_now=open_now, product_name=words)
    rows = queries.locate(found) if found is not None else []
    api = {"kind": found.kind if found else "", "commune": commune_code, "product": product_id or "",
           "product_name": words, "open_now": "true" if open_now else ""}  # fmt: skip
    communes = Commune.objects.filter(
        pk__in=Outlet.objects.filter(status=OutletStatus.RECOGNISED).values("commune_id")
    ).order_by(vi("short_name"))
    product = Product.objects.filter(pk=product_id).first() if product_id else None
    return render(
        request,
        "public/outlets.html",
        {
            "page": Paginator(rows, LIST_SIZE).get_page(request.GET.get("trang")),
            "count": len(rows),
            "kinds": OutletKind.choices,
            "kind_labels": json.dumps({k: str(v) for k, v in OutletKind.choices}, ensure_ascii=False),
            "communes": communes,
            "kind": kind,
            "commune_code": commune_code,
            "product": product,
            "words": words,
            "open_now": open_now,
            "outlet_page": reverse("outlet_page", args=["CODE"]),
            "geojson_url": reverse("api:outlets") + "?" + urlencode({k: v for k, v in api.items() if v}),
            "query": urlencode([(k, v) for k, v in request.GET.items() if k != "trang" and v]),
            **tile_layer(),
        },
    )


def _recognised(code: str) -> Outlet:
    outlet = (
        Outlet.objects.filter(code=code.upper(), status=OutletStatus.RECOGNISED)
        .select_related("commune", "province", "operator")
        .first()
    )
    if outlet is None:
        raise Http404
    return outlet


@require_GET
def outlet_page(request: HttpRequest, code: str) -> HttpResponse:
    outlet = _recognised(code)
    today = timezone.localdate()
    products = (
        Product.objects.filter(status_q("current", today, prefix="ocop_"))
        .filter(stocked_at__outlet=outlet, stocked_at__removed_on__isnull=True)
        .select_related("producer")
        .order_by("-ocop_stars", "name")
    )
    return render(
        request,
        "public/outlet.html",
        {
            "outlet": outlet,
            "products": products,
            "open": rules.is_open(outlet.hours, timezone.localtime()),
            "photos": outlet.files.filter(kind=FileKind.PHOTO),
            "tel": tel_uri(outlet.phone),
            "phone": phone_display(outlet.phone),
        },
    )


@require_GET
def outlet_photo(request: HttpRequest, code: str, photo_pk: int) -> FileResponse:
    outlet = _recognised(code)
    photo = OutletFile.objects.filter(pk=photo_pk, outlet=outlet, kind=FileKind.PHOTO).first()
    if photo is None:
        raise Http404
    response = file_response(photo.file, content_type=photo.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
