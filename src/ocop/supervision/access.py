"""The one gateway to inspections: the province's inspectors and OCOP office run them; commune officers see and
record those in their communes; producers and outlet operators see their own, with the findings to fix."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ocop.accounts.models import Role, User
from ocop.accounts.permissions import NOTHING, require, scope_of, visible_or_404
from ocop.certificates.access import certificates_visible_to
from ocop.certificates.models import Certificate
from ocop.outlets.models import OperatorMember, Outlet, StockItem
from ocop.places.models import Province
from ocop.registry.models import Producer, ProducerMember, Product
from ocop.supervision.models import Finding, Inspection, InspectionPhoto, InspectionPlan

__all__ = ["NOTHING", "require"]  # the generic pieces, re-exported: the services call `access.require(...)`
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


def _in_planned_provinces(user: Any) -> Q:
    scope = scope_of(user)
    return Q() if scope.is_admin else Q(province_id__in=scope.provinces_for(*INSPECTORS))


def inspectable_producers(user: Any) -> QuerySet[Producer]:
    """Producers the user may put on the inspection calendar: those of the provinces the user plans in."""
    return Producer.objects.filter(_in_planned_provinces(user))


def inspectable_products(user: Any) -> QuerySet[Product]:
    return Product.objects.filter(_in_planned_provinces(user))


def inspectable_outlets(user: Any) -> QuerySet[Outlet]:
    return Outlet.objects.filter(_in_planned_provinces(user))


def inspectors_of(province: Province) -> QuerySet[User]:
    """Who may be sent on an inspection in the province: its inspectors and office, and its communes' officers (the
    service checks that an officer's commune is the subject's)."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(roles__role__in=INSPECTORS, roles__province=province)
            | Q(roles__role=Role.COMMUNE_OFFICER, roles__commune__province=province)
        )
        .distinct()
        .order_by("full_name", "username")
    )


def sanction_certificates(user: Any, inspection: Inspection) -> QuerySet[Certificate]:
    """The certificates a sanction after this inspection may name, among those the user sees: the inspected
    product's, else the inspected producer's, else those of the products on the inspected outlet's shelves."""
    visible = certificates_visible_to(user)
    if inspection.product_id:
        return visible.filter(product_id=inspection.product_id)
    if inspection.producer_id:
        return visible.filter(producer_id=inspection.producer_id)
    if inspection.outlet_id:
        return visible.filter(product_id__in=StockItem.objects.filter(outlet_id=inspection.outlet_id).values("product"))
    return visible.none()


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    scope = scope_of(user)
    if scope.is_admin:
        return Inspection.objects.all()
    q = NOTHING
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
    visible = inspections_visible_to(user).select_related(
        "producer", "product", "outlet", "inspector", "plan", "report", "province"
    )
    return visible_or_404(visible, pk)


def get_finding(inspection: Inspection, pk: Any) -> Finding:
    return visible_or_404(Finding.objects.filter(inspection=inspection).select_related("inspection"), pk)


def get_photo(inspection: Inspection, pk: Any) -> InspectionPhoto:
    return visible_or_404(InspectionPhoto.objects.filter(inspection=inspection), pk)
