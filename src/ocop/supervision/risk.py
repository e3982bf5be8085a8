"""Risk-based picks for an inspection plan: producers of the province holding a valid certificate, ranked by consumer
reports not yet handled (3 points each), past findings (2 each), a certificate ending within the watch window (1) and
never having been inspected (1). Producers already on the calendar are left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate, ConsumerReport
from ocop.core.collation import vi
from ocop.registry.models import Producer
from ocop.supervision.enums import InspectionState, RiskReason
from ocop.supervision.models import Finding, Inspection


@dataclass(frozen=True)
class Pick:
    producer: Producer
    score: int
    reasons: list[RiskReason]
    reports: int
    findings: int


def _count(qs: object, key: str) -> Coalesce:
    counted = qs.values(key).annotate(n=Count("pk")).values("n")  # type: ignore[attr-defined]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def picks(province_id: int, today: dt.date, limit: int = 20) -> list[Pick]:
    window = today + dt.timedelta(days=settings.OCOP_EXPIRY_WARN_DAYS)
    certs = Certificate.objects.filter(producer=OuterRef("pk"))
    on_calendar = Inspection.objects.filter(producer=OuterRef("pk"), state=InspectionState.PLANNED)
    qs = (
        Producer.objects.filter(province_id=province_id)
        .filter(Exists(certs.filter(status=Status.VALID, valid_until__gte=today)))
        .exclude(Exists(on_calendar))
        .annotate(
            reports=_count(
                ConsumerReport.objects.filter(certificate__producer=OuterRef("pk"), handled=False),
                "certificate__producer",
            ),
            findings=_count(Finding.objects.filter(inspection__producer=OuterRef("pk")), "inspection__producer"),
            expiring=Case(
                When(
                    Exists(certs.filter(status=Status.VALID, valid_until__gte=today, valid_until__lte=window)),
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
            never=Case(
                When(
                    Exists(Inspection.objects.filter(producer=OuterRef("pk"), state=InspectionState.DONE)),
                    then=Value(0),
                ),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .annotate(score=3 * F("reports") + 2 * F("findings") + F("expiring") + F("never"))
        .order_by("-score", vi("name"), "pk")  # ties in Vietnamese order
    )
    result = []
    for p in qs[:limit]:
        reasons = [r for r, on in (
            (RiskReason.REPORTED, p.reports), (RiskReason.PAST_FINDINGS, p.findings),
            (RiskReason.EXPIRING, p.expiring), (RiskReason.NEVER_INSPECTED, p.never),
        ) if on]  # fmt: skip
        result.append(Pick(p, p.score, reasons, p.reports, p.findings))
    return result
