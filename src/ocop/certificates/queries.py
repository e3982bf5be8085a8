"""Reading certificates with the status a reader sees today (computed in SQL from the stored status and dates)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils import timezone

from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate


def _dates(today: dt.date | None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return today, today + dt.timedelta(days=settings.OCOP_EXPIRY_WARN_DAYS)


def with_status(qs: QuerySet[Certificate], today: dt.date | None = None) -> QuerySet[Certificate]:
    """Annotate `reader_status`: a stored suspension, revocation or supersession; else expired, expiring, valid."""
    today, warn = _dates(today)
    return qs.annotate(
        reader_status=Case(
            When(~Q(status=Status.VALID), then=F("status")),
            When(valid_until__lt=today, then=Value(Status.EXPIRED.value)),
            When(valid_until__lte=warn, then=Value(Status.EXPIRING.value)),
            default=Value(Status.VALID.value),
            output_field=CharField(),
        )
    )


def status_q(status: str, today: dt.date | None = None) -> Q:
    """The certificates a reader sees in `status` today; "current" is valid or expiring (an OCOP product today)."""
    today, warn = _dates(today)
    valid = Q(status=Status.VALID)
    return {
        "current": valid & Q(valid_until__gte=today),
        Status.VALID: valid & Q(valid_until__gt=warn),
        Status.EXPIRING: valid & Q(valid_until__gte=today, valid_until__lte=warn),
        Status.EXPIRED: valid & Q(valid_until__lt=today),
    }.get(status, Q(status=status))


def by_code(code: str) -> Certificate | None:
    """The certificate behind a QR code (codes are read case-insensitively), with what its page shows."""
    code = code.strip().upper()
    if not code or len(code) > 16:
        return None
    return (
        with_status(Certificate.objects.filter(code=code))
        .select_related("product__producer", "producer", "commune", "province", "decision", "superseded_by")
        .prefetch_related("packs")
        .first()
    )
