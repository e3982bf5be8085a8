"""The one gateway to outlets: who reads them, who manages them (the province's commerce office), who operates them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ocop.accounts.models import Role, User
from ocop.accounts.permissions import NOTHING, visible_or_404
from ocop.accounts.permissions import require as require  # the gateway's one refusal, for the services
from ocop.accounts.permissions import scope_of as scope_of
from ocop.certificates.models import Certificate
from ocop.core.collation import vi
from ocop.outlets.enums import OutletStatus
from ocop.outlets.models import Assessment, Operator, OperatorMember, Outlet, OutletFile, StockItem
from ocop.places.models import Commune
from ocop.registry.access import products_visible_to
from ocop.registry.models import ProducerMember, Product, ProductPack

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
    return visible_or_404(outlets_visible_to(user).select_related("province", "commune", "operator"), pk)


def get_outlet_by_code(user: Any, code: str, *, public: bool = False) -> Outlet:
    """An outlet by its code among those the user sees in the back office; with `public`, also any recognised outlet
    (its page and its OCOP shelf are public on the site). Else 404."""
    visible = Q(pk__in=outlets_visible_to(user).values("pk"))
    found = (
        Outlet.objects.filter(code=code.strip().upper())
        .filter(visible | Q(status=OutletStatus.RECOGNISED) if public else visible)
        .select_related("province", "commune")
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_stock_item(outlet: Outlet, pk: Any) -> StockItem:
    """A line of the shelf of an outlet the user sees (got through `get_outlet_for_user`)."""
    return visible_or_404(StockItem.objects.filter(outlet=outlet).select_related("product", "outlet"), pk)


def get_file(outlet: Outlet, pk: Any) -> OutletFile:
    return visible_or_404(OutletFile.objects.filter(outlet=outlet), pk)


def get_assessment(outlet: Outlet, pk: Any) -> Assessment:
    return visible_or_404(Assessment.objects.filter(outlet=outlet).select_related("checklist", "outlet__province"), pk)


def communes_for(province_id: int) -> QuerySet[Commune]:
    """The communes an outlet of the province may stand in."""
    return Commune.objects.filter(province_id=province_id).select_related("province").order_by(vi("short_name"))


def operators_for(province_id: int) -> QuerySet[Operator]:
    """The operators a new outlet of the province may be given: those already running one there."""
    return Operator.objects.filter(outlets__province_id=province_id).distinct().order_by("name")


def operator_accounts() -> QuerySet[User]:
    """The accounts that may act for an operator: outlet-operator accounts."""
    return User.objects.filter(roles__role=Role.OUTLET_OPERATOR, is_active=True).distinct()


def products_for_shelf(user: Any) -> QuerySet[Product]:
    """The products an outlet's keeper may name for the shelf: any product that has had an OCOP certificate (the
    public catalogue lists them), and those the user sees in the registry; the service takes only those valid today."""
    return Product.objects.filter(
        Q(pk__in=Certificate.objects.values("product_id")) | Q(pk__in=products_visible_to(user).values("pk"))
    )


def packs_for_shelf(user: Any) -> QuerySet[ProductPack]:
    return ProductPack.objects.filter(product__in=products_for_shelf(user))
