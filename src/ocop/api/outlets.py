"""Recognised sales points and design centres as GeoJSON, open to everyone (the public map reads it too)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Schema

from ocop.api import caching
from ocop.api.caching import cached
from ocop.api.enums import OutletKind
from ocop.api.errors import MEDIA_TYPE, ApiRouter
from ocop.api.params import Code, Id, Words
from ocop.outlets.queries import locate_geojson, resolve

router = ApiRouter(tags=["outlets"])


class OutletFilters(Schema):
    kind: OutletKind | None = None
    province: Code | None = Field(None, description="province code, e.g. 01 for Hà Nội")
    commune: Code | None = Field(None, description="commune code (since July 2025)")
    product: Id | None = Field(None, description="only outlets with this product on their OCOP shelf today")
    product_name: Words | None = Field(
        None,
        description="only outlets with a product of this name (marks optional) on their OCOP shelf",
    )
    open_now: bool = Field(False, description="only outlets open now (Asia/Ho_Chi_Minh)")


# The answer's shape (RFC 7946), as ocop.outlets.queries.map_feature writes each feature: declared for clients and
# checked by schemathesis; the body itself is joined from stored text, never through these schemas.


class OutletPoint(Schema):
    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=2, description="[longitude, latitude] (WGS 84)")


class OutletProperties(Schema):
    code: str = Field(description="the outlet's code: its public page is /diem-ban/<code>")
    name: str
    kind: OutletKind
    address: str = Field(description="the address with its commune")
    hours: str = Field(description="the opening hours as the outlet gives them")
    approximate: bool = Field(description="true when the point is placed approximately (e.g. at the commune)")
    open: bool = Field(description="open at the time of the request (Asia/Ho_Chi_Minh)")
    phone: str | None = Field(None, description="the phone number as displayed; absent when none")
    tel: str | None = Field(None, description="the phone number as a tel: URI; absent when none")


class OutletFeature(Schema):
    type: Literal["Feature"]
    id: int
    geometry: OutletPoint
    properties: OutletProperties


class OutletCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[OutletFeature]


@router.get(
    "/outlets",
    response={200: OutletCollection, 304: None},
    openapi_extra={MEDIA_TYPE: "application/geo+json"},
    summary="Recognised outlets (a GeoJSON FeatureCollection), by name",
)
@cached(caching.STATUS)  # shelves change at once when a certificate does: caches must ask again each time
def outlets(request: HttpRequest, filters: Query[OutletFilters]) -> HttpResponse:
    found = resolve(
        kind=filters.kind.value if filters.kind else "",
        province=filters.province or "",
        commune=filters.commune or "",
        product=filters.product,
        open_now=filters.open_now,
        product_name=filters.product_name or "",
    )
    return HttpResponse(locate_geojson(found), content_type="application/geo+json")
