"""Recognised sales points and design centres as GeoJSON, open to everyone (the public map reads it too)."""

from __future__ import annotations

import hashlib
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Schema

from ocop.api.errors import ApiRouter
from ocop.api.params import Code, Id, Words
from ocop.outlets.queries import locate_geojson, resolve

router = ApiRouter(tags=["outlets"])


class OutletFilters(Schema):
    kind: Literal["sales_point", "design_centre", "other"] | None = None
    province: Code | None = Field(None, description="province code, e.g. 01 for Hà Nội")
    commune: Code | None = Field(None, description="commune code (since July 2025)")
    product: Id | None = Field(None, description="only outlets with this product on their OCOP shelf today")
    product_name: Words | None = Field(
        None,
        description="only outlets with a product of this name (marks optional) on their OCOP shelf",
    )
    open_now: bool = Field(False, description="only outlets open now (Asia/Ho_Chi_Minh)")


@router.get(
    "/outlets",
    response={200: dict},
    summary="Recognised outlets (GeoJSON FeatureCollection)",
    openapi_extra={"responses": {200: {"content": {"application/geo+json": {}}}}},
)
def outlets(request: HttpRequest, filters: Query[OutletFilters]) -> HttpResponse:
    found = resolve(
        kind=filters.kind or "",
        province=filters.province or "",
        commune=filters.commune or "",
        product=filters.product,
        open_now=filters.open_now,
        product_name=filters.product_name or "",
    )
    body = locate_geojson(found)
    # Shelves change at once when a certificate does: caches must ask again each time (a 304 when nothing changed).
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response
