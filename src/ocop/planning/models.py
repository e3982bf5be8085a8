"""Yearly OCOP plans and their targets; progress is computed from the records (planning.indicators), never typed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.places.models import Commune, Province


class Plan(TimeStampedModel):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("number"), max_length=60)
    signed_on = models.DateField(_("date"))
    issuing_body = models.CharField(_("issued by"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["province", "-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="one_plan_per_province_year")]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.title


class Target(TimeStampedModel):
    """A number to reach for one indicator, for the whole province or for one commune."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan"))
    indicator = models.CharField(_("indicator"), max_length=32)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    value = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["plan", "indicator", "commune"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "commune"], name="one_target_per_unit"),
            models.UniqueConstraint(
                fields=["plan", "indicator"], condition=models.Q(commune__isnull=True), name="one_province_target"
            ),
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.plan} · {self.indicator} · {self.value}"
