from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Schema

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
    kind: str


@router.get(
    "/provinces",
    response=list[ProvinceOut],
    summary="Provinces in force since 1 July 2025, in Vietnamese alphabetical order",
)
def list_provinces(request: HttpRequest) -> list[Province]:
    return list(Province.objects.filter(central=False).order_by(vi("short_name"), "code"))


@router.get(
    "/provinces/{code}/communes",
    response=list[CommuneOut],
    summary="Communes, wards and special zones, in Vietnamese alphabetical order",
)
def list_communes(request: HttpRequest, code: PathCode) -> list[Commune]:
    province = Province.objects.filter(code=code, central=False).first()
    if province is None:
        raise Http404
    return list(Commune.objects.filter(province=province).order_by(vi("short_name"), "code"))
