"""Who may subscribe to webhooks, and which events an owner's subscriptions receive.

Subscribing: the offices (province coordinators, commerce officers, inspectors, commune officers), system
administrators, and sales point operators (supermarket chains and e-commerce platforms hold these accounts: they
must take a product off sale when its certificate is suspended). Producers, council members and accounts without a
role may not.

What a subscription receives: the events are public facts (the QR page shows each status), but an office hears its
own area: a province's roles their provinces' events, a commune officer their communes'. The ministry (the central
level's coordinator) and system administrators hear every province; so do sales point operators, who sell
products from every province. Scope is judged when the event happens, from the owner's roles then."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ocop.accounts.models import Role
from ocop.accounts.permissions import Scope, require, scope_of, visible_or_404
from ocop.places.models import Province
from ocop.webhooks.models import Delivery, Subscription

__all__ = ["require"]
PROVINCE_ROLES = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER, Role.INSPECTOR)


def subscribes(scope: Scope) -> bool:
    """Whether roles of this scope may subscribe (the back-office menu asks with the scope it holds)."""
    return (
        scope.is_admin
        or bool(scope.provinces_for(*PROVINCE_ROLES))
        or bool(scope.communes)
        or Role.OUTLET_OPERATOR in scope.roles
    )


def can_subscribe(user: Any) -> bool:
    return subscribes(scope_of(user))


@dataclass(frozen=True)
class Reach:
    """The events a user's subscriptions receive: all, or those of these provinces and communes."""

    everything: bool = False
    provinces: frozenset[int] = frozenset()
    communes: frozenset[int] = frozenset()

    def covers(self, province_id: int | None, commune_id: int | None) -> bool:
        return self.everything or province_id in self.provinces or commune_id in self.communes


def reach_of(user: Any, central: frozenset[int]) -> Reach:
    """`central`: the ids of the central level (the ministry's own province row)."""
    if not user.is_active:
        return Reach()
    scope = scope_of(user)
    provinces = frozenset(scope.provinces_for(*PROVINCE_ROLES))
    everything = scope.is_admin or Role.OUTLET_OPERATOR in scope.roles or bool(provinces & central)
    return Reach(everything, provinces, frozenset(scope.communes))


def central_ids() -> frozenset[int]:
    return frozenset(Province.objects.filter(central=True).values_list("pk", flat=True))


def subscriptions_of(user: Any) -> QuerySet[Subscription]:
    """A user sees and manages only their own subscriptions."""
    if not getattr(user, "is_authenticated", False):
        return Subscription.objects.none()
    return Subscription.objects.filter(owner=user)


def get_subscription_for_user(user: Any, pk: Any) -> Subscription:
    return visible_or_404(subscriptions_of(user), pk)


def deliveries_of(subscription: Subscription) -> QuerySet[Delivery]:
    return subscription.deliveries.select_related("event", "subscription").order_by("-created_at", "-id")


def get_delivery_for_user(user: Any, subscription_pk: Any, pk: Any) -> Delivery:
    subscription = get_subscription_for_user(user, subscription_pk)
    return visible_or_404(deliveries_of(subscription), pk)
