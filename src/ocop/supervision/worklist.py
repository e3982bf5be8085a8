"""What waits for an inspector: records scoped by role, never URLs (the back office maps each to its page).
Querysets annotated with `since`, counted with one query each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.supervision.enums import FindingState, InspectionState
from ocop.supervision.models import Finding, Inspection

DUE_DAYS = 7


def _inspector_q(user: Any, prefix: str = "") -> Q | None:
    """Inspections that are the user's to carry out: assigned to them, or unassigned in a province where they
    inspect. None: the user is no inspector."""
    scope = scope_of(user)
    if Role.INSPECTOR not in scope.roles:
        return None
    provinces = scope.provinces_for(Role.INSPECTOR)
    return Q(**{f"{prefix}inspector": user}) | Q(
        **{f"{prefix}inspector__isnull": True, f"{prefix}province_id__in": provinces}
    )


def inspections_due(user: Any, today: dt.date | None = None) -> QuerySet[Inspection]:
    """Planned inspections falling due within a week (or overdue), not yet done."""
    q = _inspector_q(user)
    if q is None:
        return Inspection.objects.none()
    today = today or timezone.localdate()
    return (
        Inspection.objects.filter(q, state=InspectionState.PLANNED, planned_on__lte=today + dt.timedelta(days=DUE_DAYS))
        .annotate(since=F("planned_on"))
        .select_related("producer", "outlet", "product")
    )


def findings_overdue(user: Any, today: dt.date | None = None) -> QuerySet[Finding]:
    """Open findings past the deadline given for the fix, of the inspections that are the user's."""
    q = _inspector_q(user, "inspection__")
    if q is None:
        return Finding.objects.none()
    today = today or timezone.localdate()
    return (
        Finding.objects.filter(q, state=FindingState.OPEN, fix_by__lt=today)
        .annotate(since=F("fix_by"))
        .select_related("inspection__producer", "inspection__outlet")
    )
