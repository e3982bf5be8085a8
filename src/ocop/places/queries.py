from __future__ import annotations

from django.conf import settings

from ocop.core.text import fold
from ocop.places.models import Province

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
