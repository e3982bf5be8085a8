"""The one gateway to trade-promotion events: the province's offices organise; producers see their own booths."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.promotion.models import Event, Training
from ocop.registry.models import ProducerMember

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
    q = Q(pk__in=[])
    if provinces := scope.provinces_for(*ORGANISERS):
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes) | Q(booths__producer__commune_id__in=scope.communes)
    if Role.PRODUCER in scope.roles:
        q |= Q(booths__producer_id__in=ProducerMember.objects.filter(user=user).values("producer_id"))
    return Event.objects.filter(pk__in=Event.objects.filter(q).values("pk"))


def get_event_for_user(user: Any, pk: Any) -> Event:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    event = events_visible_to(user).select_related("province", "commune").filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def trainings_visible_to(user: Any) -> QuerySet[Training]:
    scope = scope_of(user)
    if scope.is_admin:
        return Training.objects.all()
    q = Q(pk__in=[])
    if provinces := scope.provinces_for(*ORGANISERS):
        q |= Q(province_id__in=provinces)
    if scope.communes:
        q |= Q(commune_id__in=scope.communes) | Q(attendees__producer__commune_id__in=scope.communes)
    if Role.PRODUCER in scope.roles:
        q |= Q(attendees__producer_id__in=ProducerMember.objects.filter(user=user).values("producer_id"))
    return Training.objects.filter(pk__in=Training.objects.filter(q).values("pk"))
