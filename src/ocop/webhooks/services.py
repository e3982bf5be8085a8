"""Subscriptions and re-sends: each service checks access itself (access.py), runs in one transaction, is audited.
The signing secret is never written to the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.webhooks import access, signing, targets
from ocop.webhooks.enums import DeliveryStatus, EventType
from ocop.webhooks.models import Delivery, Subscription

NAME_MAX = 120


def _checked(*, name: str | None, url: str | None, events: Iterable[str] | None) -> dict[str, Any]:
    """The fields given, checked; a ValidationError naming each wrong one."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    if name is not None:
        clean["name"] = name.strip()
        if not clean["name"]:
            errors["name"] = [_("Name: give the subscription a name.")]
        elif len(clean["name"]) > NAME_MAX:
            errors["name"] = [_("Name: at most %(n)s characters.") % {"n": NAME_MAX}]
    if url is not None:
        clean["url"] = url.strip()
        try:
            targets.resolve(clean["url"])
        except targets.Refused as exc:
            errors["url"] = [str(exc)]
    if events is not None:
        chosen = list(dict.fromkeys(events))
        unknown = [e for e in chosen if e not in EventType.values]
        if unknown:
            errors["events"] = [_("Events: unknown event %(name)s.") % {"name": unknown[0]}]
        elif not chosen:
            errors["events"] = [_("Events: choose at least one event.")]
        clean["events"] = [e for e in EventType.values if e in chosen]  # in the catalogue's order
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def create_subscription(*, by: Any, name: str, url: str, events: Iterable[str], active: bool = True) -> Subscription:
    """Register an endpoint for the events chosen, with a new signing secret (shown to its owner). Side effects: the
    daily sweep queued after commit (if it is not)."""
    access.require(access.can_subscribe(by))
    clean = _checked(name=name, url=url, events=events)
    subscription = Subscription.objects.create(owner=by, secret=signing.new_secret(), active=active, **clean)
    from ocop.webhooks.events import schedule_sweep  # the daily sweep runs once anyone subscribes

    transaction.on_commit(schedule_sweep)
    created = {"name": [None, subscription.name], "url": [None, subscription.url], "events": [None, clean["events"]]}
    audit.record(actor=by, action=AuditAction.CREATE, obj=subscription, changes=created)
    return subscription


@transaction.atomic
def update_subscription(
    *, by: Any, subscription: Subscription, name: str | None = None, url: str | None = None,
    events: Iterable[str] | None = None, active: bool | None = None,
) -> Subscription:  # fmt: skip
    """Change what is given (None: unchanged). Turned off, it receives no new event and sends nothing; turned on
    again, the deliveries still waiting are sent. Side effects: their tasks after commit."""
    sub = access.get_subscription_for_user(by, subscription.pk)
    access.require(access.can_subscribe(by))
    clean = _checked(name=name, url=url, events=events)
    if active is not None:
        clean["active"] = active
    changes = {k: [getattr(sub, k), v] for k, v in clean.items() if getattr(sub, k) != v}
    for key, value in clean.items():
        setattr(sub, key, value)
    if changes:
        sub.save()
        audit.record(actor=by, action=AuditAction.CHANGE, obj=sub, changes=changes)
    if "active" in changes and sub.active:  # what waited while it was off is sent now (or at its retry time)
        from ocop.webhooks.delivery import queue

        now = timezone.now()
        waiting = sub.deliveries.filter(status__in=Delivery.RUNNING_STATES, lease_owner="")
        for pk, when in waiting.values_list("pk", "next_attempt_at"):
            queue(pk, max(when or now, now))
    return sub


@transaction.atomic
def rotate_secret(*, by: Any, subscription: Subscription) -> Subscription:
    """A new signing secret; the old one no longer verifies the next bodies."""
    sub = access.get_subscription_for_user(by, subscription.pk)
    sub.secret = signing.new_secret()
    sub.save(update_fields=["secret", "updated_at"])
    audit.record(actor=by, action=AuditAction.CHANGE, obj=sub, changes={"secret": ["…", "…"]})
    return sub


@transaction.atomic
def delete_subscription(*, by: Any, subscription: Subscription) -> None:
    """Remove a subscription with its deliveries."""
    sub = access.get_subscription_for_user(by, subscription.pk)
    audit.record(actor=by, action=AuditAction.DELETE, obj=sub, changes={"name": [sub.name, None]})
    sub.delete()


@transaction.atomic
def redeliver(*, by: Any, delivery: Delivery) -> Delivery:
    """Send a delivery again now (whatever its state): a new attempt, recorded like the others. Side effects: a
    task after commit."""
    from ocop.webhooks.delivery import queue

    found = access.get_delivery_for_user(by, delivery.subscription_id, delivery.pk)
    row = Delivery.objects.select_for_update().get(pk=found.pk)
    if row.lease_owner:
        raise ValidationError(_("This delivery is being sent right now; try again in a minute."))
    if not found.subscription.active:
        raise ValidationError(_("The subscription is turned off: turn it on to send its deliveries."))
    now = timezone.now()
    row.status, row.next_attempt_at = DeliveryStatus.PENDING, now
    row.save(update_fields=["status", "next_attempt_at", "updated_at"])
    audit.record(actor=by, action=AuditAction.CHANGE, obj=row, changes={"status": [found.status, row.status]})
    queue(row.pk, now)
    return row
