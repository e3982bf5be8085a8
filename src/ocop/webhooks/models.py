"""Webhook subscriptions, the events they may receive, and each event's delivery to each subscription."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.models import LeasedJob, TimeStampedModel
from ocop.places.models import Commune, Province
from ocop.webhooks.enums import DeliveryStatus, EventType

URL_MAX = 500
EXCERPT_MAX = 2048  # characters of a response body kept


class Subscription(TimeStampedModel):
    """An endpoint a system registered, with the events it wants; each body it receives is signed with `secret`."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=120)
    url = models.CharField(_("endpoint URL"), max_length=URL_MAX)
    events = models.JSONField(_("events"), default=list)  # EventType values
    secret = models.CharField(_("signing secret"), max_length=80, editable=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.name

    def event_names(self) -> list[tuple[str, str]]:
        """The events asked for, each as (its code in the API and the bodies, its name for people), in the list's
        order (a code no longer known keeps the code as its name)."""
        labels = dict(EventType.choices)
        return [(code, str(labels.get(code, code))) for code in self.events]


class Event(models.Model):
    """Something that happened, once: every subscription that receives it gets a delivery of the same body.

    `key` is set for the events that must happen only once whatever runs again (a certificate's 30 days' notice)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    subject_id = models.BigIntegerField()  # the certificate's, product's or sales point's id
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.type} {self.uuid}"

    def body(self) -> dict[str, object]:
        """What is POSTed: {id, type, created_at, data}."""
        return {"id": str(self.uuid), "type": self.type, "created_at": self.created_at.isoformat(), "data": self.data}


class Delivery(LeasedJob, TimeStampedModel):
    """One event sent to one subscription, tried until delivered or given up; each attempt leaves its outcome.

    While a worker sends it, `lease_owner` names the worker (core.jobs): a delivery whose worker died is offered
    again when a worker starts, never left looking busy."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.TextField(_("response"), blank=True)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    RUNNING_STATES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)  # being sent when a lease_owner is set

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_per_event")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.subscription_id}/{self.event_id}: {self.status}"

    def mark_abandoned(self) -> None:
        """The worker died while sending: the attempt counts as failed and the delivery is sent again now."""
        now = timezone.now()
        self.lease_owner, self.next_attempt_at = "", now
        self.status = DeliveryStatus.FAILED
        self.last_error = str(_("The worker stopped during the attempt."))
        type(self).objects.filter(pk=self.pk).update(
            lease_owner="", status=self.status, next_attempt_at=now, last_error=self.last_error
        )
        from ocop.webhooks.delivery import queue  # the task module imports this one

        queue(self.pk, now)
