"""Post-certification supervision (hậu kiểm): inspection plans, inspections with their checklist, findings to fix and
sanctions. A sanction acts through the certificate services, so every public surface follows at once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.certificates.models import Certificate, ConsumerReport
from ocop.core.models import TimeStampedModel
from ocop.outlets.models import Outlet
from ocop.places.models import Province
from ocop.registry.models import Producer, Product, stored_name
from ocop.supervision.enums import CheckArea, CheckResult, FindingState, InspectionState, SanctionKind, Severity


class InspectionPlan(TimeStampedModel):
    """A round of inspections: who inspects, over which days, and (through its inspections) whom."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    team = models.TextField(_("inspection team"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self) -> str:
        return self.title


class Inspection(TimeStampedModel):
    """One visit to a producer (about one of its products, or all of them) or to an outlet."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections",
        verbose_name=_("inspection plan"),
    )  # fmt: skip
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections",
        verbose_name=_("producer"),
    )  # fmt: skip
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections", verbose_name=_("product")
    )
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections", verbose_name=_("outlet")
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("inspector"),
    )  # fmt: skip
    planned_on = models.DateField(_("planned for"))
    state = models.CharField(
        _("state"), max_length=16, choices=InspectionState.choices, default=InspectionState.PLANNED
    )
    done_on = models.DateField(_("inspected on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # The issuing body (ocop.places.issuers.Issuer as a dict) when the inspection was recorded: the record keeps it.
    issuer = models.JSONField(_("issuing body at the inspection"), default=dict, blank=True, editable=False)
    reasons = models.CharField(_("why chosen"), max_length=200, blank=True)  # RiskReason values, comma-separated
    report = models.ForeignKey(
        ConsumerReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections",
        verbose_name=_("consumer report"),
    )  # fmt: skip

    class Meta:
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["province", "state", "done_on"], name="inspection_done")]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        subject = self.outlet or self.product or self.producer
        return f"{subject} · {self.planned_on:%d/%m/%Y}"


class CheckLine(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checks")
    area = models.CharField(_("check"), max_length=32, choices=CheckArea.choices)
    result = models.CharField(_("result"), max_length=8, choices=CheckResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["inspection", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "area"], name="one_check_per_area")]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.get_result_display()}"


def photo_path(instance: InspectionPhoto, filename: str) -> str:
    return stored_name("inspections", filename)


class InspectionPhoto(TimeStampedModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=40, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["inspection", "id"]


class Finding(TimeStampedModel):
    """Something not in order, with the fix asked for and its deadline; followed up until fixed or escalated."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    area = models.CharField(_("check"), max_length=32, choices=CheckArea.choices)
    description = models.TextField(_("finding"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    fix_by = models.DateField(_("fix by"))
    state = models.CharField(_("state"), max_length=16, choices=FindingState.choices, default=FindingState.OPEN)
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["fix_by", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.description[:60]}"


class Sanction(TimeStampedModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="sanctions")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, null=True, blank=True, related_name="sanctions")
    kind = models.CharField(_("sanction"), max_length=24, choices=SanctionKind.choices)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="sanctions",
        verbose_name=_("certificate"),
    )  # fmt: skip
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("date"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
