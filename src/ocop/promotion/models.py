"""Trade promotion: fairs, exhibitions, livestreams and online markets, their booths and each producer's outcome."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.places.models import Commune, Province
from ocop.promotion.enums import EventKind
from ocop.registry.models import Producer, Product


class Event(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    name = models.CharField(_("name"), max_length=255)
    organiser = models.CharField(_("organiser"), max_length=255)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    platform = models.CharField(_("platform or link"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="event_dates_ordered")
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name


class Booth(TimeStampedModel):
    """A producer's booth (or slot, online) at an event, and what it brought the producer."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="booths", verbose_name=_("event"))
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="+", verbose_name=_("producer"))
    label = models.CharField(_("booth"), max_length=40, blank=True)
    ocop = models.BooleanField(_("OCOP booth"), default=True)
    products = models.ManyToManyField(Product, blank=True, related_name="+", verbose_name=_("products shown"))
    revenue = models.BigIntegerField(_("revenue (₫)"), null=True, blank=True)
    contracts = models.PositiveIntegerField(_("contracts signed"), null=True, blank=True)
    contract_value = models.BigIntegerField(_("value of contracts (₫)"), null=True, blank=True)
    visitors = models.PositiveIntegerField(_("visitors"), null=True, blank=True)

    class Meta:
        ordering = ["event", "label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "producer"], name="one_booth_per_producer"),
            models.CheckConstraint(
                condition=(Q(revenue__gte=0) | Q(revenue__isnull=True))
                & (Q(contract_value__gte=0) | Q(contract_value__isnull=True)),
                name="booth_outcome_not_negative",
            ),
        ]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")

    def __str__(self) -> str:
        return f"{self.event} · {self.producer}"


class Training(TimeStampedModel):
    """A course or awareness event of the programme (topic, dates, place, organiser) and who attended."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    topic = models.CharField(_("topic"), max_length=300)
    organiser = models.CharField(_("organiser"), max_length=255)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=300)

    class Meta:
        ordering = ["-starts_on", "topic"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_dates_ordered")
        ]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.topic


class Attendee(TimeStampedModel):
    """Someone who attended: a producer's representative or an official, by name."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("name"), max_length=200)
    producer = models.ForeignKey(
        Producer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("producer")
    )
    organisation = models.CharField(_("organisation or post"), max_length=255, blank=True)

    class Meta:
        ordering = ["training", "name"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self) -> str:
        return self.name
