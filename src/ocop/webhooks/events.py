"""Events from the domain's changes (the handlers call these after the lower apps commit), and their fan-out: one
Delivery per active subscription that asked for the event and whose owner's reach covers it (access.reach_of).

The 30 days' notice of an ending certificate comes from a daily sweep (`sweep_expiring`): at each local midnight
on the task worker (every sweep queues the next), and from `ocop webhooks_sweep` (cron). Each certificate's notice
has a unique key, so a sweep that runs again, or two at once, never sends it twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from ocop.certificates.enums import LogEvent, Status
from ocop.certificates.models import Certificate
from ocop.outlets.enums import OutletStatus
from ocop.outlets.models import Outlet
from ocop.registry.models import Product
from ocop.webhooks import access
from ocop.webhooks.delivery import queue
from ocop.webhooks.enums import EventType
from ocop.webhooks.models import Delivery, Event, Subscription

EXPIRING_DAYS = 30
SWEEP_TASK = "ocop.webhooks.events.sweep"
OUTLET_TYPES = (EventType.OUTLET_RECOGNISED, EventType.OUTLET_WITHDRAWN)


def _place(province: Any) -> dict[str, str] | None:
    return {"code": province.code, "name": province.name} if province is not None else None


def _fan_out(events: list[Event]) -> int:
    """A delivery of each event to each subscription that receives it, sent after commit; returns how many."""
    if not events:
        return 0
    wanted = {e.type for e in events}
    subscriptions = [
        s for s in Subscription.objects.filter(active=True).select_related("owner") if wanted & set(s.events)
    ]
    central = access.central_ids() if subscriptions else frozenset()
    reach = {s.owner_id: access.reach_of(s.owner, central) for s in subscriptions}
    rows = [
        Delivery(subscription=s, event=e, next_attempt_at=e.created_at)
        for e in events
        for s in subscriptions
        if e.type in s.events and reach[s.owner_id].covers(e.province_id, e.commune_id)
    ]
    for row in Delivery.objects.bulk_create(rows):
        queue(row.pk, row.next_attempt_at or timezone.now())
    return len(rows)


@transaction.atomic
def record(events: Iterable[Event]) -> list[Event]:
    """Save the events (one with a key already saved is skipped) and fan them out; returns those saved."""
    saved = []
    for event in events:
        if event.key is not None:
            try:
                with transaction.atomic():
                    event.save()
            except IntegrityError:
                continue  # told already
        else:
            event.save()
        saved.append(event)
    _fan_out(saved)
    return saved


def certificate_data(cert: Certificate, **extra: Any) -> dict[str, Any]:
    return {
        "certificate": {
            "id": cert.pk, "number": cert.number, "code": cert.code, "status": cert.status, "stars": cert.stars,
            "issued_on": cert.issued_on.isoformat(), "valid_until": cert.valid_until.isoformat(),
            "status_since": cert.status_since.isoformat() if cert.status_since else None,
            "reason": cert.status_reason,
            "superseded_by": cert.superseded_by.number if cert.superseded_by_id else None,  # type: ignore[union-attr]
        },
        "product": {"id": cert.product_id, "name": cert.product.name},
        "producer": {"id": cert.producer_id, "name": cert.producer.name},
        "province": _place(cert.province),
        **extra,
    }  # fmt: skip


def _certificate_event(cert: Certificate, type_: EventType, key: str | None = None, **extra: Any) -> Event:
    return Event(
        type=type_, key=key, subject_id=cert.pk, province_id=cert.province_id, commune_id=cert.commune_id,
        data=certificate_data(cert, **extra),
    )  # fmt: skip


LOG_EVENTS = {
    LogEvent.SUSPENDED: EventType.CERTIFICATE_SUSPENDED,
    LogEvent.LIFTED: EventType.CERTIFICATE_LIFTED,
    LogEvent.REVOKED: EventType.CERTIFICATE_REVOKED,
    LogEvent.SUPERSEDED: EventType.CERTIFICATE_SUPERSEDED,
}


def certificates_changed(*, certificate_ids: list[int], event: str) -> list[Event]:
    """certificates.status_changed: an issued decision's new certificates (issued) and the older ones they replaced
    (superseded); a suspension, lift or revocation. Certificates entered from history are not news (only those they
    replaced are superseded)."""
    certs = Certificate.objects.filter(pk__in=certificate_ids).select_related(
        "product", "producer", "province", "superseded_by"
    ).order_by("pk")  # fmt: skip
    made = []
    for cert in certs:
        if event in (LogEvent.ISSUED, LogEvent.IMPORTED):
            if cert.status == Status.SUPERSEDED:
                made.append(_certificate_event(cert, EventType.CERTIFICATE_SUPERSEDED))
            elif event == LogEvent.ISSUED and cert.status == Status.VALID:
                made.append(_certificate_event(cert, EventType.CERTIFICATE_ISSUED))
        elif event in LOG_EVENTS:
            made.append(_certificate_event(cert, LOG_EVENTS[LogEvent(event)]))
    return record(made)


def products_renamed(*, product_ids: list[int]) -> list[Event]:
    """registry.names_changed: the product's or its producer's name changed."""
    products = Product.objects.filter(pk__in=product_ids).select_related("producer", "province").order_by("pk")
    return record(
        Event(
            type=EventType.PRODUCT_RENAMED, subject_id=p.pk, province_id=p.province_id, commune_id=p.commune_id,
            data={"product": {"id": p.pk, "name": p.name}, "producer": {"id": p.producer_id, "name": p.producer.name},
                  "province": _place(p.province)},
        )
        for p in products
    )  # fmt: skip


def _outlet_event(outlet: Outlet, type_: EventType) -> Event:
    return Event(
        type=type_, subject_id=outlet.pk, province_id=outlet.province_id, commune_id=outlet.commune_id,
        data={
            "outlet": {"id": outlet.pk, "code": outlet.code, "name": outlet.name, "kind": outlet.kind,
                       "status": outlet.status, "status_since": outlet.status_since.isoformat(),
                       "reason": outlet.status_reason, "decision_number": outlet.decision_number,
                       "decision_date": outlet.decision_date.isoformat() if outlet.decision_date else None},
            "province": _place(outlet.province), "commune": _place(outlet.commune),
        },
    )  # fmt: skip


def outlets_changed(*, outlet_ids: list[int]) -> list[Event]:
    """outlets.outlets_changed (any change): recognised when it is recognised and was not last told so; withdrawn
    when it was recognised (last told so, or suspended, or closed after a recognition decision) and no longer is."""
    outlets = Outlet.objects.filter(pk__in=outlet_ids).select_related("province", "commune").order_by("pk")
    last: dict[int, str] = {}
    for subject, type_ in (
        Event.objects.filter(type__in=OUTLET_TYPES, subject_id__in=outlet_ids)
        .order_by("subject_id", "created_at", "id")
        .values_list("subject_id", "type")
    ):
        last[subject] = type_
    made = []
    for outlet in outlets:
        told = last.get(outlet.pk)
        if outlet.status == OutletStatus.RECOGNISED:
            if told != EventType.OUTLET_RECOGNISED:
                made.append(_outlet_event(outlet, EventType.OUTLET_RECOGNISED))
        elif told == EventType.OUTLET_RECOGNISED or (
            told is None
            and (outlet.status == OutletStatus.SUSPENDED
                 or (outlet.status == OutletStatus.CLOSED and bool(outlet.decision_number)))
        ):  # fmt: skip
            made.append(_outlet_event(outlet, EventType.OUTLET_WITHDRAWN))
    return record(made)


def sweep_expiring(today: dt.date | None = None) -> int:
    """The 30 days' notice of each valid certificate ending within EXPIRING_DAYS, once per certificate; returns the
    events made."""
    today = today or timezone.localdate()
    due = Certificate.objects.filter(
        status=Status.VALID, valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=EXPIRING_DAYS)
    ).exclude(pk__in=Event.objects.filter(type=EventType.CERTIFICATE_EXPIRING).values("subject_id"))
    made = [
        _certificate_event(cert, EventType.CERTIFICATE_EXPIRING, key=f"{EventType.CERTIFICATE_EXPIRING}:{cert.pk}",
                           days_left=(cert.valid_until - today).days)
        for cert in due.select_related("product", "producer", "province", "superseded_by").order_by("pk")
    ]  # fmt: skip
    return len(record(made))


def next_midnight() -> dt.datetime:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time()))


def schedule_sweep() -> None:
    """Queue the next midnight's sweep unless one is queued already."""
    from django_tasks_db.models import DBTaskResult

    midnight = next_midnight()
    queued = DBTaskResult.objects.filter(task_path=SWEEP_TASK, status="READY")
    if not queued.filter(Q(run_after__gte=midnight - dt.timedelta(minutes=1)) & Q(run_after__lte=midnight)).exists():
        sweep.using(run_after=midnight).enqueue()


@task()
def sweep() -> None:
    sweep_expiring()
    schedule_sweep()
