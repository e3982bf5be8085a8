"""Trade promotion: events, booths for producers, outcomes. Each service: one transaction, one audit entry."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates.queries import status_q
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.places.models import Commune, Province
from ocop.promotion import access
from ocop.promotion.enums import ONLINE, EventKind
from ocop.promotion.models import Attendee, Booth, Event, Training
from ocop.registry.models import Producer, Product

EVENT_FIELDS = ("kind", "name", "organiser", "starts_on", "ends_on", "commune", "place", "platform", "note")
OUTCOME_FIELDS = ("revenue", "contracts", "contract_value", "visitors")


def current_products(producer: Producer, today: dt.date | None = None) -> QuerySet[Product]:
    return Product.objects.filter(status_q("current", today, prefix="ocop_"), producer=producer)


def _check_when_and_where(
    errors: dict[str, list[str]],
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    commune: Commune | None,
    province: Province,
) -> None:
    """An event's or a training's days (both given, in order) and commune (of the province), into `errors`."""
    if starts_on is None:
        errors["starts_on"] = [_("Give the first day.")]
    if ends_on is None:
        errors["ends_on"] = [_("Give the last day.")]
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The last day is before the first day.")]
    if commune is not None and commune.province_id != province.pk:
        errors["commune"] = [
            _("%(commune)s is not a commune of %(province)s.") % {"commune": commune.name, "province": province.name}
        ]


@transaction.atomic
def create_event(
    *,
    by: Any,
    province: Province,
    kind: str,
    name: str,
    organiser: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    commune: Commune | None = None,
    place: str = "",
    platform: str = "",
    note: str = "",
) -> Event:
    """A fair, exhibition, livestream or online market. Side effects: audit entry."""
    access.require(access.can_manage(by, province.pk))
    errors: dict[str, list[str]] = {}
    if kind not in EventKind.values:
        errors["kind"] = [_("Choose the kind of event.")]
    if not name.strip():
        errors["name"] = [_("Give the event's name.")]
    if not organiser.strip():
        errors["organiser"] = [_("Give the organiser.")]
    _check_when_and_where(errors, starts_on, ends_on, commune, province)
    if kind in ONLINE and not platform.strip():
        errors["platform"] = [_("Give the platform or link of an online event.")]
    if kind not in ONLINE and kind in EventKind.values and not place.strip():
        errors["place"] = [_("Give the place of the event.")]
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None and ends_on is not None
    event = Event.objects.create(
        province=province,
        kind=kind,
        name=name.strip(),
        organiser=organiser.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        commune=commune,
        place=place.strip(),
        platform=platform.strip(),
        note=note.strip(),
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=event, changes=audit.snapshot(event, EVENT_FIELDS))
    return event


@transaction.atomic
def allocate_booth(
    *, by: Any, event: Event, producer: Producer, label: str = "", ocop: bool = True, products: Sequence[Product] = ()
) -> Booth:
    """A booth for a producer. An OCOP booth needs a valid certificate today and shows only products that have one.
    Side effects: audit entry."""
    access.require(access.can_manage(by, event.province_id))
    current = set(current_products(producer).values_list("pk", flat=True))
    if ocop and not current:
        raise ValidationError(
            {
                "producer": [
                    _("%(producer)s has no product with a valid OCOP certificate: an OCOP booth is not possible.")
                    % {"producer": producer.name}
                ]
            }
        )
    if any(p.producer_id != producer.pk for p in products):
        raise ValidationError({"products": [_("Choose products of this producer only.")]})
    if ocop and any(p.pk not in current for p in products):
        raise ValidationError({"products": [_("An OCOP booth shows only products with a valid certificate.")]})
    try:
        with transaction.atomic():
            booth = Booth.objects.create(event=event, producer=producer, label=label.strip(), ocop=ocop)
    except IntegrityError:
        raise ValidationError(
            {"producer": [_("%(producer)s already has a booth at this event.") % {"producer": producer.name}]}
        ) from None
    booth.products.set(products)
    audit.record(actor=by, action=AuditAction.CHANGE, obj=event, changes={"booths": [None, producer.name]})
    return booth


def _amount(value: Any, field: str, label: str) -> int | None:
    text = re.sub(r"[\s.,₫đ]", "", str(value or ""))
    if not text:
        return None
    if not re.fullmatch(r"-?\d+", text):
        raise ValidationError({field: [_("%(label)s must be a whole number.") % {"label": label}]})
    number = int(text)
    if number < 0:
        raise ValidationError({field: [_("%(label)s cannot be negative.") % {"label": label}]})
    return number


@transaction.atomic
def record_outcome(*, by: Any, booth: Booth, **values: Any) -> Booth:
    """What the event brought the producer (revenue, contracts, their value, visitors), once the event has begun.
    Side effects: audit entry with old and new."""
    access.require(access.can_manage(by, booth.event.province_id))
    if booth.event.starts_on > timezone.localdate():
        raise ValidationError(_("The event has not begun: its outcome cannot be recorded yet."))
    labels = {
        "revenue": _("Revenue"),
        "contracts": _("Contracts signed"),
        "contract_value": _("Value of contracts"),
        "visitors": _("Visitors"),
    }
    errors: dict[str, list[str]] = {}
    parsed: dict[str, int | None] = {}
    for name in OUTCOME_FIELDS:
        try:
            parsed[name] = _amount(values.get(name), name, str(labels[name]))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(booth, OUTCOME_FIELDS)
    for name, value in parsed.items():
        setattr(booth, name, value)
    booth.save()
    audit.record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=booth,
        changes=audit.diff(before, audit.snapshot(booth, OUTCOME_FIELDS)),
    )
    return booth


TOTALS = {
    "booth_count": Count("booths", distinct=True),
    "revenue": Sum("booths__revenue"),
    "contracts": Sum("booths__contracts"),
    "contract_value": Sum("booths__contract_value"),
    "visitors": Sum("booths__visitors"),
}


def with_totals(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(**TOTALS)


def totals_by_year(events: QuerySet[Event]) -> list[dict[str, Any]]:
    """Per year of the first day: events held, booths, revenue, contracts and their value, visitors."""
    booths = Booth.objects.filter(event__in=events)
    years = {
        row["event__starts_on__year"]: row
        for row in booths.values("event__starts_on__year").annotate(
            booths=Count("id"),
            revenue=Sum("revenue"),
            contracts=Sum("contracts"),
            contract_value=Sum("contract_value"),
            visitors=Sum("visitors"),
        )
    }
    rows = []
    for row in events.values("starts_on__year").annotate(events=Count("id")).order_by("-starts_on__year"):
        year = row["starts_on__year"]
        found: dict[str, Any] = dict(years.get(year, {}))
        rows.append(
            {"year": year, "events": row["events"], **{k: found.get(k) or 0 for k in ("booths", *OUTCOME_FIELDS)}}
        )
    return rows


@transaction.atomic
def record_training(
    *,
    by: Any,
    province: Province,
    topic: str,
    organiser: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    place: str,
    commune: Commune | None = None,
) -> Training:
    """A course or awareness event. Side effects: audit entry."""
    access.require(access.can_manage(by, province.pk))
    errors: dict[str, list[str]] = {}
    for name, value, message in (
        ("topic", topic, _("Give the topic.")),
        ("organiser", organiser, _("Give the organiser.")),
        ("place", place, _("Give the place.")),
    ):
        if not value.strip():
            errors[name] = [message]
    _check_when_and_where(errors, starts_on, ends_on, commune, province)
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None and ends_on is not None
    training = Training.objects.create(
        province=province, commune=commune, topic=topic.strip(), organiser=organiser.strip(),
        starts_on=starts_on, ends_on=ends_on, place=place.strip(),
    )  # fmt: skip
    audit.record(actor=by, action=AuditAction.CREATE, obj=training, changes={"topic": [None, training.topic]})
    return training


@transaction.atomic
def add_attendees(
    *, by: Any, training: Training, names: str, producer: Producer | None = None, organisation: str = ""
) -> int:
    """Attendees, one name a line (of a producer, or officials with their organisation). Side effects: audit entry."""
    access.require(access.can_manage(by, training.province_id))
    people = [" ".join(line.split()) for line in names.splitlines() if line.strip()]
    if not people:
        raise ValidationError({"names": [_("Give at least one attendee's name, one a line.")]})
    Attendee.objects.bulk_create(
        Attendee(training=training, name=name, producer=producer, organisation=organisation.strip()) for name in people
    )
    audit.record(actor=by, action=AuditAction.CHANGE, obj=training, changes={"attendees": [None, len(people)]})
    return len(people)
