"""Provinces and communes (since 1 July 2025), open to everyone: short, bounded lists (34 provinces, a province's
communes), served whole rather than in pages, and cached as reference data (ocop.api.caching)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Schema

from ocop.api import caching
from ocop.api.caching import cached
from ocop.api.enums import CommuneKind
from ocop.api.errors import ApiRouter
from ocop.api.params import PathCode
from ocop.core.collation import vi
from ocop.places.models import Commune, Province

router = ApiRouter(tags=["places"])


class ProvinceOut(Schema):
    code: str
    name: str


class CommuneOut(Schema):
    code: str
    name: str
    kind: CommuneKind


@router.get(
    "/provinces",
    response={200: list[ProvinceOut], 304: None},
    summary="Provinces in force since 1 July 2025, in Vietnamese alphabetical order",
)
@cached(caching.REFERENCE)
def list_provinces(request: HttpRequest) -> list[Province]:
    provinces = list(Province.objects.filter(central=False).order_by(vi("short_name"), "code"))
    caching.modified(request, *(p.updated_at for p in provinces))
    return provinces


@router.get(
    "/provinces/{code}/communes",
    response={200: list[CommuneOut], 304: None},
    summary="Communes, wards and special zones, in Vietnamese alphabetical order",
)
@cached(caching.REFERENCE)
def list_communes(request: HttpRequest, code: PathCode) -> list[Commune]:
    province = Province.objects.filter(code=code, central=False).first()
    if province is None:
        raise Http404
    communes = list(Commune.objects.filter(province=province).order_by(vi("short_name"), "code"))
    caching.modified(request, province.updated_at, *(c.updated_at for c in communes))
    return communes
