"""Trade-promotion events (fairs, exhibitions, livestreams, online markets) with their booths' outcomes, and the
programme's trainings with their attendees. Neither is published on the public site: they are read as the back
office shows them (ocop.promotion.access): the province's organisers (OCOP office, commerce officers) read their
province's, a commune officer those held in the commune or with its producers, a producer those it took part in,
and of an event's booths only its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Schema

from ocop.api.auth import api_auth
from ocop.api.enums import EventKind
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import Code, PathId
from ocop.core.collation import vi
from ocop.promotion import access, services
from ocop.promotion.models import Booth, Event, Training

router = ApiRouter(tags=["promotion"], auth=api_auth)


class EventOut(Schema):
    id: int
    kind: EventKind
    name: str
    organiser: str
    starts_on: dt.date = Field(description="the first day")
    ends_on: dt.date = Field(description="the last day")
    province_code: str = Field(alias="province.code")
    province: str = Field(alias="province.name")
    commune_code: str | None = Field(None, alias="commune.code")
    commune: str | None = Field(None, alias="commune.name", description="the commune it is held in, if one")
    place: str = Field(description="where it is held (empty online)")
    platform: str = Field(description="the platform or link of an online event")
    booth_count: int = Field(description="booths allocated")
    revenue: int | None = Field(description="the booths' recorded revenue in đồng (VND); null when none is recorded")


class BoothOut(Schema):
    id: int
    label: str = Field(description="the booth's number or name")
    producer_id: int
    producer: str
    ocop: bool = Field(description="an OCOP booth")
    product_ids: list[int] = Field(description="the products shown")
    revenue: int | None = Field(description="in đồng (VND); null until recorded")
    contracts: int | None = Field(description="contracts signed")
    contract_value: int | None = Field(description="the contracts' value in đồng (VND)")
    visitors: int | None


class EventDetailOut(EventOut):
    note: str
    booths: list[BoothOut] = Field(
        alias="booths_shown",
        description="the booths whose outcome you read: all for the organisers and the commune's officers, a "
        "producer's own otherwise",
    )


class EventPage(Page[EventOut]):
    pass


class EventFilters(PageQuery):
    kind: EventKind | None = None
    year: int | None = Field(None, ge=1900, le=2100, description="events whose first day is in this year")
    province: Code | None = Field(None, description="province code, e.g. 01 for Hà Nội")


class AttendeeOut(Schema):
    name: str
    organisation: str = Field(description="organisation or post")
    producer_id: int | None = Field(description="the producer they came for, if one")
    producer: str | None


class TrainingOut(Schema):
    id: int
    topic: str
    organiser: str
    starts_on: dt.date = Field(description="the first day")
    ends_on: dt.date = Field(description="the last day")
    place: str
    province_code: str = Field(alias="province.code")
    province: str = Field(alias="province.name")
    commune_code: str | None = Field(None, alias="commune.code")
    commune: str | None = Field(None, alias="commune.name")
    attendee_count: int


class TrainingDetailOut(TrainingOut):
    attendees: list[AttendeeOut] = Field(alias="attendees_listed", description="by name")


class TrainingPage(Page[TrainingOut]):
    pass


class TrainingFilters(PageQuery):
    year: int | None = Field(None, ge=1900, le=2100, description="trainings whose first day is in this year")
    province: Code | None = Field(None, description="province code, e.g. 01 for Hà Nội")


def _events(request: HttpRequest) -> QuerySet[Event]:
    return services.with_totals(access.events_visible_to(request.user)).select_related("province", "commune")


@router.get("/events", response=EventPage, summary="Trade-promotion events you read, newest first")
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, Any]:
    events = _events(request)
    if filters.kind:
        events = events.filter(kind=filters.kind.value)
    if filters.year:
        events = events.filter(starts_on__year=filters.year)
    if filters.province:
        events = events.filter(province__code=filters.province)
    return paginate(request, events.order_by("-starts_on", vi("name"), "pk"), filters)


@router.get("/events/{event_id}", response=EventDetailOut, summary="One event, with the booths you read")
def get_event(request: HttpRequest, event_id: PathId) -> Event:
    event = access.get_event_for_user(request.user, event_id)
    found = _events(request).get(pk=event.pk)
    booths = access.booths_shown(request.user, event).select_related("producer").prefetch_related("products")
    found.booths_shown = [_booth(b) for b in booths.order_by("label", "pk")]  # type: ignore[attr-defined]
    return found


def _booth(b: Booth) -> dict[str, Any]:
    return {
        "id": b.pk,
        "label": b.label,
        "producer_id": b.producer_id,
        "producer": b.producer.name,
        "ocop": b.ocop,
        "product_ids": sorted(p.pk for p in b.products.all()),
        "revenue": b.revenue,
        "contracts": b.contracts,
        "contract_value": b.contract_value,
        "visitors": b.visitors,
    }


def _trainings(request: HttpRequest) -> QuerySet[Training]:
    return (
        access.trainings_visible_to(request.user)
        .annotate(attendee_count=Count("attendees"))
        .select_related("province", "commune")
    )


@router.get("/trainings", response=TrainingPage, summary="Trainings you read, newest first")
def list_trainings(request: HttpRequest, filters: Query[TrainingFilters]) -> dict[str, Any]:
    trainings = _trainings(request)
    if filters.year:
        trainings = trainings.filter(starts_on__year=filters.year)
    if filters.province:
        trainings = trainings.filter(province__code=filters.province)
    return paginate(request, trainings.order_by("-starts_on", vi("topic"), "pk"), filters)


@router.get("/trainings/{training_id}", response=TrainingDetailOut, summary="One training, with its attendees")
def get_training(request: HttpRequest, training_id: PathId) -> Training:
    training = access.get_training_for_user(request.user, training_id)
    found = _trainings(request).get(pk=training.pk)
    attendees = training.attendees.select_related("producer").order_by(vi("name"), "pk")
    found.attendees_listed = [  # type: ignore[attr-defined]
        {
            "name": a.name,
            "organisation": a.organisation,
            "producer_id": a.producer_id,
            "producer": a.producer.name if a.producer else None,
        }
        for a in attendees
    ]
    return found
