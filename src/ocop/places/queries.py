from __future__ import annotations

from django.conf import settings

from ocop.places.models import Province


def default_province() -> Province | None:
    return Province.objects.filter(code=settings.OCOP_DEFAULT_PROVINCE).first()
