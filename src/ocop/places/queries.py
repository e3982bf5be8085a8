from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from ocop.places.models import Commune, Province


def default_province() -> Province | None:
    return Province.objects.filter(code=settings.OCOP_DEFAULT_PROVINCE).first()


def communes_of(province_code: str) -> QuerySet[Commune]:
    return Commune.objects.filter(province__code=province_code).order_by("name")
