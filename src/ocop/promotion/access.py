"""The one gateway to trade-promotion events: the province's offices organise; producers see their own booths."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ocop.accounts.models import Role
from ocop.accounts.permissions import NOTHING, visible_or_404
from ocop.accounts.permissions import require as require  # the gateway's one refusal, for the services
from ocop.accounts.permissions import scope_of as scope_of
from ocop.core.collation import vi
from ocop.places.models import Commune
from ocop.promotion.models import Booth, Event, Training
from ocop.registry.access import producers_visible_to
from ocop.registry.models import Producer, ProducerMember, Product

ORGANISERS = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER)


def can_manage(user: Any, province_id: int) -> bool:
    scope = scope_of(user)
    return scope.is_admin or province_id in scope.provinces_for(*ORGANISERS)


def managed_provinces(user: Any) -> set[int]:
    return scope_of(user).provinces_for(*ORGANISERS)


def events_visible_to(user: Any) -> QuerySet[Event]:
    scope = scope_of(user)
    if scope.is_admin:
        return Event.objects.all()
    q = NOTHING
    if provinces := scope.provinces_for(*ORGANISERS):
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes) | Q(booths__producer__commune_id__in=scope.communes)
    if Role.PRODUCER in scope.roles:
        q |= Q(booths__producer_id__in=ProducerMember.objects.filter(user=user).values("producer_id"))
    return Event.objects.filter(pk__in=Event.objects.filter(q).values("pk"))


def get_event_for_user(user: Any, pk: Any) -> Event:
    return visible_or_404(events_visible_to(user).select_related("province", "commune"), pk)


def get_booth(event: Event, pk: Any) -> Booth:
    """A booth of an event the user sees (got through `get_event_for_user`)."""
    return visible_or_404(Booth.objects.filter(event=event).select_related("event"), pk)


def booths_shown(user: Any, event: Event) -> QuerySet[Booth]:
    """The booths of an event the user sees (got through `get_event_for_user`) whose outcome they read: all of them
    for its organisers and the commune's officers, a producer's own otherwise."""
    booths = Booth.objects.filter(event=event)
    if can_manage(user, event.province_id) or scope_of(user).communes:
        return booths
    return booths.filter(producer__members__user=user)


def communes_for(province_id: int) -> QuerySet[Commune]:
    """The communes an event or a training of the province may be held in."""
    return Commune.objects.filter(province_id=province_id).order_by(vi("short_name"))


def producers_for_booths(user: Any) -> QuerySet[Producer]:
    """The producers an organiser may give a booth: those they see in the registry."""
    return producers_visible_to(user)


def products_for_booths(user: Any) -> QuerySet[Product]:
    return Product.objects.filter(producer__in=producers_visible_to(user))


def trainings_visible_to(user: Any) -> QuerySet[Training]:
    scope = scope_of(user)
    if scope.is_admin:
        return Training.objects.all()
    q = NOTHING
    if provinces := scope.provinces_for(*ORGANISERS):
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes) | Q(attendees__producer__commune_id__in=scope.communes)
    if Role.PRODUCER in scope.roles:
        q |= Q(attendees__producer_id__in=ProducerMember.objects.filter(user=user).values("producer_id"))
    return Training.objects.filter(pk__in=Training.objects.filter(q).values("pk"))


def get_training_for_user(user: Any, pk: Any) -> Training:
    return visible_or_404(trainings_visible_to(user), pk)
