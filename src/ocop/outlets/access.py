"""The one gateway to outlets: who reads them, who manages them (the province's commerce office), who operates them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.core.cells import whole_digits
from ocop.outlets.models import OperatorMember, Outlet
from ocop.registry.models import ProducerMember

NOTHING = Q(pk__in=[])
MANAGERS = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER)


def managed_provinces(user: Any) -> set[int]:
    return scope_of(user).provinces_for(*MANAGERS)


def can_manage(user: Any, province_id: int) -> bool:
    """Register, assess, recognise, suspend and close outlets: the province's commerce officers and OCOP office."""
    scope = scope_of(user)
    return scope.is_admin or province_id in scope.provinces_for(*MANAGERS)


def can_manage_any(user: Any) -> bool:
    scope = scope_of(user)
    return scope.is_admin or bool(scope.provinces_for(*MANAGERS))


def operated_by(user: Any) -> QuerySet[OperatorMember]:
    return OperatorMember.objects.filter(user=user)


def can_operate(user: Any, outlet: Outlet) -> bool:
    """Keep the assortment and enter sales: the outlet's operator, or the officers who manage it."""
    if can_manage(user, outlet.province_id):
        return True
    scope = scope_of(user)
    return Role.OUTLET_OPERATOR in scope.roles and operated_by(user).filter(operator_id=outlet.operator_id).exists()


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def outlets_visible_to(user: Any) -> QuerySet[Outlet]:
    scope = scope_of(user)
    if scope.is_admin:
        return Outlet.objects.all()
    q = NOTHING
    provinces = scope.provinces_for(*MANAGERS)
    if provinces:
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes)
    if Role.OUTLET_OPERATOR in scope.roles:
        q |= Q(operator_id__in=operated_by(user).values("operator_id"))
    if Role.PRODUCER in scope.roles:
        mine = ProducerMember.objects.filter(user=user).values("producer_id")
        q |= Q(pk__in=Outlet.objects.filter(stock__product__producer_id__in=mine).values("pk"))
    return Outlet.objects.filter(q)


def get_outlet_for_user(user: Any, pk: Any) -> Outlet:
    pk = whole_digits(str(pk))
    if pk is None:
        raise Http404
    outlet = outlets_visible_to(user).select_related("province", "commune", "operator").filter(pk=pk).first()
    if outlet is None:
        raise Http404
    return outlet
