"""A periodic report asked for: made on the task worker, with progress the page polls, kept for download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.places.models import Commune, Province


class RunState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ReportRun(TimeStampedModel):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    legacy = models.BooleanField(_("with the former districts"), default=False)
    state = models.CharField(_("state"), max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    done = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(upload_to="reports/%Y/", blank=True)
    seconds = models.FloatField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")

    def __str__(self) -> str:
        return f"{self.province_id} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def download_name(self) -> str:
        """The file's name as downloaded: bao-cao-ocop-<from>-<to>[-<commune code>].xlsx, the same for every report
        of one period (the stored file's name gets a storage suffix when one of that name exists)."""
        commune = f"-{self.commune.code}" if self.commune_id and self.commune else ""
        return f"bao-cao-ocop-{self.starts_on:%Y%m%d}-{self.ends_on:%Y%m%d}{commune}.xlsx"


class Generation(models.Model):
    """A counter bumped after every change that moves a dashboard figure (certificates, shelves, sales, inspections):
    snapshots of an older generation are recomputed."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class Snapshot(models.Model):
    """The dashboard's figures for one scope (province, or one commune) and day, as of a generation."""

    key = models.CharField(max_length=80, unique=True)
    generation = models.PositiveBigIntegerField()
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key} @{self.generation}"
