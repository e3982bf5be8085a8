"""What waits for a user around decisions and certificates: records scoped by role, never URLs (the back office
maps each to its page). Querysets annotated with `since`, counted with one query each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from ocop.accounts.models import Role
from ocop.accounts.permissions import NOTHING, scope_of
from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate, DecisionItem
from ocop.evaluation.enums import RoundLevel
from ocop.evaluation.models import Result
from ocop.registry.models import ProducerMember

ENDING_DAYS = 90
ROUND_FIELDS = ("dossier__round_id", "dossier__round__number", "dossier__round__year", "dossier__round__province__name")
RECOGNISED_STARS = 3  # results below 3 stars are not recognised by a decision


def results_to_decide(user: Any) -> QuerySet[Any]:
    """The coordinator's: published results that a decision of its body recognises and none lists yet, one row per
    round:
    the round's fields, `n` (results), `since` (the oldest)."""
    provinces = scope_of(user).provinces_for(Role.PROVINCE_COORDINATOR)
    if not provinces:
        return Result.objects.none().values(*ROUND_FIELDS)
    listed = DecisionItem.objects.filter(result__isnull=False).values("result_id")
    return (
        Result.objects.filter(published=True, dossier__round__province_id__in=provinces)
        .filter(
            # The ministry recognises the central council's 5 stars; a province its council's 3 and 4 stars (a
            # result referred to the central round waits for it).
            Q(dossier__round__level=RoundLevel.CENTRAL, stars=5)
            | (~Q(dossier__round__level=RoundLevel.CENTRAL) & Q(stars__gte=RECOGNISED_STARS, referral=False))
        )
        .exclude(pk__in=listed)
        .values(*ROUND_FIELDS)
        .annotate(n=Count("pk"), since=Min("updated_at"))
        .order_by("since")
    )


def certificates_ending(user: Any, today: dt.date | None = None) -> QuerySet[Certificate]:
    """Valid certificates whose term ends within 90 days: the office's (its province's and those it issued), the
    commune officer's communes, the producer's own."""
    scope = scope_of(user)
    q = NOTHING
    if provinces := scope.provinces_for(Role.PROVINCE_COORDINATOR):
        q |= Q(province_id__in=provinces) | Q(decision__province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes)
    if Role.PRODUCER in scope.roles:
        q |= Q(producer_id__in=ProducerMember.objects.filter(user=user).values("producer_id"))
    if q == NOTHING:
        return Certificate.objects.none()
    today = today or timezone.localdate()
    return (
        Certificate.objects.filter(q)
        .filter(
            status=Status.VALID,
            superseded_by__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=ENDING_DAYS),
        )
        .annotate(since=F("valid_until"))
        .select_related("product")
    )
