from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from ocop.core.text import fold
from ocop.places.issuers import issuer_for
from ocop.places.models import Commune, Province

CENTRAL_CODE = "TW"


def default_province() -> Province | None:
    return Province.objects.filter(code=settings.OCOP_DEFAULT_PROVINCE).first()


def central_level() -> Province:
    """The central level (the Ministry of Agriculture and Environment, which recognises 5 stars since Decision
    1489/QĐ-TTg of 2025): an issuing body beside the provinces, made once by `load_places`."""
    province, _created = Province.objects.get_or_create(
        code=CENTRAL_CODE,
        defaults={"name": "Bộ Nông nghiệp và Môi trường", "short_name": "Trung ương", "central": True,
                  "search_text": fold("Bộ Nông nghiệp và Môi trường trung ương")},
    )  # fmt: skip
    return province


def issuing_body(province_id: int | None = None, commune_id: int | None = None) -> str:
    """The body a workbook is issued by, as its title block names it: the commune's People's Committee, the
    province's issuing body (places.issuers: its settings, else its People's Committee, the ministry for the central
    level); the programme itself when no one unit is named."""
    if commune_id is not None:
        commune = Commune.objects.filter(pk=commune_id).values_list("name", flat=True).first()
        if commune:
            return f"Ủy ban nhân dân {commune}"
    province = Province.objects.filter(pk=province_id).first() if province_id is not None else None
    if province is None:
        return _("One Commune One Product programme (OCOP)")
    return issuer_for(province).name  # the province's settings, else its People's Committee (the ministry)
