"""One outlet by its code, and the OCOP products on its shelf today. A recognised outlet's page and shelf are public
on the site (/diem-ban/<code>), so they are open to everyone here too; a proposed, suspended or closed outlet is
read only by those who see it in the back office (outlets.access), and its keepers (the operator, the officers who
manage it) also see the shelf's lines whose certificate has lapsed, still to be taken off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Schema

from ocop.api import caching
from ocop.api.auth import api_auth
from ocop.api.caching import cached
from ocop.api.enums import CertificateStatus, OutletKind, OutletStatus
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import PathCode
from ocop.certificates.rules import reader_status
from ocop.outlets import access, queries, rules
from ocop.outlets.models import Outlet, StockItem

router = ApiRouter(tags=["outlets"])


def anyone(request: HttpRequest) -> bool:
    """After `api_auth`: a caller without credentials reads what is public (request.user is then anonymous)."""
    return True


# Signed-in callers (a token or the session) are known; anyone else reads the public part.
public_or_user = [*api_auth, anyone]


class RecognitionOut(Schema):
    decision_number: str = Field(description="the recognition decision's number")
    decision_date: dt.date | None = Field(description="the day it was signed")
    decision_body: str = Field(description="who issued it")


class OutletDetailOut(Schema):
    code: str = Field(description="the outlet's code, as on its page and in the map's GeoJSON")
    name: str
    kind: OutletKind
    status: OutletStatus
    status_since: dt.date = Field(description="the day the outlet took its present status")
    address: str = Field(description="street address within the commune")
    commune_code: str
    commune: str = Field(description="the commune's name")
    province_code: str
    province: str = Field(description="the province's name")
    latitude: float
    longitude: float
    approximate: bool = Field(description="true when the position is the commune's centre, not the outlet's own")
    opening_hours: str = Field(description="as the outlet writes them, e.g. 'T2-T6 8:00-17:00; T7, CN 8:00-12:00'")
    open_now: bool = Field(description="open at this moment (Asia/Ho_Chi_Minh), by its opening hours")
    phone: str
    website: str
    recognition: RecognitionOut | None = Field(description="the decision that recognised the outlet; null without one")


class ShelfLineOut(Schema):
    product_id: int
    product: str = Field(description="the product's name today")
    producer: str = Field(description="the producer's name today")
    certificate_code: str | None = Field(description="the code of the product's latest certificate (its QR's code)")
    certificate_status: CertificateStatus | None = Field(
        description="that certificate's status today; lines not valid or expiring are shown to the outlet's keepers "
        "only, to take off the OCOP shelf"
    )
    stars: int | None = Field(description="the stars of the product's latest certificate")
    valid_until: dt.date | None = Field(description="the last day of the product's latest certificate")
    since: dt.date = Field(description="on the shelf since")


class ShelfPage(Page[ShelfLineOut]):
    pass


def _detail(outlet: Outlet) -> dict[str, Any]:
    recognition = None
    if outlet.decision_number:
        recognition = {
            "decision_number": outlet.decision_number,
            "decision_date": outlet.decision_date,
            "decision_body": outlet.decision_body,
        }
    return {
        "code": outlet.code,
        "name": outlet.name,
        "kind": outlet.kind,
        "status": outlet.status,
        "status_since": outlet.status_since,
        "address": outlet.address,
        "commune_code": outlet.commune.code,
        "commune": outlet.commune.name,
        "province_code": outlet.province.code,
        "province": outlet.province.name,
        "latitude": outlet.latitude,
        "longitude": outlet.longitude,
        "approximate": outlet.approximate,
        "opening_hours": outlet.opening_hours,
        "open_now": rules.is_open(outlet.hours, timezone.localtime()),
        "phone": outlet.phone,
        "website": outlet.website,
        "recognition": recognition,
    }


# Public answers carry an ETag (no Last-Modified: `open_now` and a shelf's statuses change without a row changing)
# and `public, no-cache`, as the certificates do: a CDN checks again each time, so a suspension never shows late.


@router.get(
    "/outlets/{code}",
    response={200: OutletDetailOut, 304: None},
    auth=public_or_user,
    summary="One outlet by its code (a recognised one: open to everyone)",
)
@cached(caching.STATUS)
def get_outlet(request: HttpRequest, code: PathCode) -> dict[str, Any]:
    return _detail(access.get_outlet_by_code(request.user, code, public=True))


@router.get(
    "/outlets/{code}/shelf",
    response={200: ShelfPage, 304: None},
    auth=public_or_user,
    summary="The OCOP products on an outlet's shelf today",
)
@cached(caching.STATUS)
def get_outlet_shelf(request: HttpRequest, code: PathCode, filters: Query[PageQuery]) -> dict[str, Any]:
    """By stars, then name. Everyone sees the lines whose certificate is valid today, as the outlet's public page
    lists them; the outlet's operator and the officers who manage it also see those whose certificate has lapsed."""
    outlet = access.get_outlet_by_code(request.user, code, public=True)
    today = timezone.localdate()
    lines = queries.ocop_shelf(outlet, lapsed=access.can_operate(request.user, outlet), today=today)
    warn = settings.OCOP_EXPIRY_WARN_DAYS

    def out(line: StockItem) -> dict[str, Any]:
        product = line.product
        assert product is not None  # an OCOP line names its product
        status = (
            reader_status(product.ocop_status, product.ocop_until or today, today, warn)
            if product.ocop_status
            else None
        )
        return {
            "product_id": product.pk,
            "product": product.name,
            "producer": product.producer.name,
            "certificate_code": line.certificate_code,  # type: ignore[attr-defined]  # annotated by ocop_shelf
            "certificate_status": status,
            "stars": product.ocop_stars,
            "valid_until": product.ocop_until,
            "since": line.added_on,
        }

    return paginate(request, lines, filters, out)
