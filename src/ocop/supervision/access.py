"""The one gateway to inspections: the province's inspectors and OCOP office run them; commune officers see and
record those in their communes; producers and outlet operators see their own, with the findings to fix."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.outlets.models import OperatorMember
from ocop.registry.models import ProducerMember
from ocop.supervision.models import Inspection, InspectionPlan

INSPECTORS = (Role.PROVINCE_COORDINATOR, Role.INSPECTOR)


def can_plan(user: Any, province_id: int) -> bool:
    """Draw up inspection plans, schedule inspections, impose sanctions."""
    scope = scope_of(user)
    return scope.is_admin or province_id in scope.provinces_for(*INSPECTORS)


def planning_provinces(user: Any) -> set[int]:
    return scope_of(user).provinces_for(*INSPECTORS)


def can_record(user: Any, inspection: Inspection) -> bool:
    """Fill in the checklist and findings: the province's inspectors, or an officer of the subject's commune."""
    if can_plan(user, inspection.province_id):
        return True
    subject = inspection.outlet or inspection.producer
    return subject is not None and subject.commune_id in scope_of(user).communes


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    scope = scope_of(user)
    if scope.is_admin:
        return Inspection.objects.all()
    q = Q(pk__in=[])
    if provinces := scope.provinces_for(*INSPECTORS, Role.COMMERCE_OFFICER):
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(producer__commune_id__in=scope.communes) | Q(outlet__commune_id__in=scope.communes)
    if Role.PRODUCER in scope.roles:
        q |= Q(producer_id__in=ProducerMember.objects.filter(user=user).values("producer_id"), state="done")
    if Role.OUTLET_OPERATOR in scope.roles:
        operators = OperatorMember.objects.filter(user=user).values("operator_id")
        q |= Q(outlet__operator_id__in=operators, state="done")
    return Inspection.objects.filter(q)


def plans_visible_to(user: Any) -> QuerySet[InspectionPlan]:
    scope = scope_of(user)
    if scope.is_admin:
        return InspectionPlan.objects.all()
    return InspectionPlan.objects.filter(province_id__in=scope.provinces_for(*INSPECTORS, Role.COMMERCE_OFFICER))


def get_inspection_for_user(user: Any, pk: Any) -> Inspection:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    inspection = (
        inspections_visible_to(user)
        .select_related("producer", "product", "outlet", "inspector", "plan", "report", "province")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection
