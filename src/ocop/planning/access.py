"""The one gateway to plans and targets. A plan is the province's: its coordinator and commerce officers read it
whole, and the OCOP office (the coordinator) sets it. A commune officer reads only the targets set for their own
communes (a target is per commune or for the whole province), never the whole plan."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ocop.accounts.models import Role
from ocop.accounts.permissions import NOTHING, scope_of, visible_or_404
from ocop.accounts.permissions import require as require  # the gateway's one refusal, for the services
from ocop.core.collation import vi
from ocop.places.models import Commune
from ocop.planning.models import Plan, Target

READERS = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER)
SETTERS = (Role.PROVINCE_COORDINATOR,)


def can_manage(user: Any, province_id: int) -> bool:
    """Record the province's plans and set their targets: the OCOP office (the province's coordinator)."""
    scope = scope_of(user)
    return scope.is_admin or province_id in scope.provinces_for(*SETTERS)


def managed_provinces(user: Any) -> set[int]:
    return scope_of(user).provinces_for(*SETTERS)


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    """The plans the user reads whole: the province's offices read their province's."""
    scope = scope_of(user)
    if scope.is_admin:
        return Plan.objects.all()
    provinces = scope.provinces_for(*READERS)
    return Plan.objects.filter(province_id__in=provinces) if provinces else Plan.objects.filter(NOTHING)


def get_plan_for_user(user: Any, pk: Any) -> Plan:
    return visible_or_404(plans_visible_to(user).select_related("province"), pk)


def commune_targets_visible_to(user: Any) -> QuerySet[Target]:
    """The targets set for a commune the user serves as its commune officer (their part of the province's plan)."""
    scope = scope_of(user)
    if not scope.communes:
        return Target.objects.filter(NOTHING)
    return Target.objects.filter(commune_id__in=scope.communes)


def targets_visible_to(user: Any) -> QuerySet[Target]:
    """Every target the user reads: all those of the plans read whole (`plans_visible_to`), and a commune officer's
    part, the targets set for their own communes (`commune_targets_visible_to`)."""
    scope = scope_of(user)
    if scope.is_admin:
        return Target.objects.all()
    q = NOTHING
    if provinces := scope.provinces_for(*READERS):
        q |= Q(plan__province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes)
    return Target.objects.filter(q)


def target_communes(plan: Plan) -> QuerySet[Commune]:
    """The communes a target of the plan may be set for: the plan's province's."""
    return Commune.objects.filter(province_id=plan.province_id).order_by(vi("short_name"))
