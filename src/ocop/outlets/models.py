"""Sales points and design centres: who runs them, where they are, how they were assessed, what they stock and sell."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.certificates.models import Certificate
from ocop.core.models import TimeStampedModel
from ocop.outlets.enums import (
    AssessmentState,
    FileKind,
    ItemKind,
    LocationType,
    OutletKind,
    OutletStatus,
    RemovalReason,
    TaskOutcome,
)
from ocop.places.models import Commune, Province
from ocop.registry.models import Producer, Product, ProductPack, stored_name


class Operator(TimeStampedModel):
    """The organisation that runs one or more outlets (a company, a cooperative, a commune's service centre)."""

    name = models.CharField(_("name"), max_length=255)
    identifier = models.CharField(_("tax code"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    producer = models.ForeignKey(
        Producer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("also a producer")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("operator")
        verbose_name_plural = _("operators")

    def __str__(self) -> str:
        return self.name


class OperatorMember(TimeStampedModel):
    """An outlet-operator account that acts for the operator."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="operator_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["operator", "user"], name="unique_operator_member")]


class Outlet(TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OutletKind.choices)
    name = models.CharField(_("name"), max_length=255)
    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="outlets", verbose_name=_("operator"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="outlets", verbose_name=_("commune"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    approximate = models.BooleanField(_("position is the commune's centre"), default=False)
    location_type = models.CharField(_("location type"), max_length=16, choices=LocationType.choices)
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    hours = models.CharField(max_length=400, blank=True, editable=False)  # rules.week_text of the opening hours
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutletStatus.choices, default=OutletStatus.PROPOSED)
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decision_number = models.CharField(_("recognition decision"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_body = models.CharField(_("issued by"), max_length=200, blank=True)
    search_text = models.CharField(max_length=600, editable=False, default="")
    map_feature = models.TextField(editable=False, default="")  # queries.map_feature: the public map's GeoJSON

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["province", "status", "kind"])]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.name


def outlet_file_path(instance: OutletFile, filename: str) -> str:
    return stored_name("outlets", filename)


class Checklist(TimeStampedModel):
    """A versioned criteria checklist for a kind of outlet (loaded from data, like the product criteria)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("outlet kind"), max_length=16, choices=OutletKind.choices)
    name = models.CharField(_("name"), max_length=255)
    decision = models.CharField(_("legal basis"), max_length=200)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=0)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=0)
    confirmed = models.BooleanField(_("checked against the official text"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["kind", "-in_force_from", "code"]
        verbose_name = _("outlet checklist")
        verbose_name_plural = _("outlet checklists")

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=16)
    group = models.CharField(_("group"), max_length=200)
    text = models.CharField(_("requirement"), max_length=500)
    kind = models.CharField(_("answer"), max_length=8, choices=ItemKind.choices, default=ItemKind.CHECK)
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    measure = models.CharField(_("measured from"), max_length=24, blank=True)  # floor_area | ocop_share | location
    minimum = models.DecimalField(_("minimum"), max_digits=9, decimal_places=2, null=True, blank=True)
    confirmed = models.BooleanField(_("from the official text"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "code"], name="unique_checklist_item")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Assessment(TimeStampedModel):
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("outlet"))
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist"))
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("assessor")
    )
    team = models.CharField(_("assessment team"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    total = models.DecimalField(_("points"), max_digits=6, decimal_places=1, default=0)
    passed = models.BooleanField(_("passed"), default=False)
    note = models.TextField(_("conclusion"), blank=True)

    class Meta:
        ordering = ["outlet", "-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.outlet} · {self.assessed_on:%d/%m/%Y}"


class AssessmentLine(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(null=True)
    points = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["assessment", "item__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="unique_assessment_line")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.item_id}"


class OutletFile(TimeStampedModel):
    """A photo of the outlet, or a piece of evidence for an assessment."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="files")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    kind = models.CharField(max_length=10, choices=FileKind.choices)
    file = models.FileField(upload_to=outlet_file_path, max_length=200)
    content_type = models.CharField(max_length=40, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["outlet", "id"]


class StockItem(TimeStampedModel):
    """A line of the outlet's assortment: a certified product (OCOP goods) or another local product (by name)."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="stock", verbose_name=_("outlet"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="stocked_at", verbose_name=_("product")
    )
    packs = models.ManyToManyField(ProductPack, blank=True, related_name="+", verbose_name=_("packs"))
    label = models.CharField(_("other product"), max_length=255, blank=True)
    added_on = models.DateField(_("on the shelf since"), default=timezone.localdate)
    removed_on = models.DateField(_("taken off on"), null=True, blank=True)
    removed_reason = models.CharField(_("why taken off"), max_length=300, blank=True)

    class Meta:
        ordering = ["outlet", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "product"], condition=Q(removed_on__isnull=True), name="one_active_stock_per_product"
            ),
        ]
        indexes = [models.Index(fields=["product", "removed_on"])]
        verbose_name = _("stock item")
        verbose_name_plural = _("stock items")

    @property
    def is_ocop(self) -> bool:
        return self.product_id is not None


class RemovalTask(TimeStampedModel):
    """ "Take this product off the OCOP shelf": raised when its certificate stops being valid."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="removal_tasks")
    stock = models.ForeignKey(StockItem, on_delete=models.CASCADE, related_name="tasks")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    certificate = models.ForeignKey(Certificate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=12, choices=RemovalReason.choices)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=TaskOutcome.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["stock"], condition=Q(done_at__isnull=True), name="one_open_task_per_stock")
        ]
        verbose_name = _("removal task")
        verbose_name_plural = _("removal tasks")


class SalesRecord(TimeStampedModel):
    """One month's sales of one product at one outlet; the producer is credited with it."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="sales", verbose_name=_("outlet"))
    month = models.DateField(_("month"))  # the first day of the month
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product"))
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="+", verbose_name=_("producer"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    revenue = models.BigIntegerField(_("revenue (₫)"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["outlet", "-month", "product"]
        constraints = [
            models.UniqueConstraint(fields=["outlet", "month", "product"], name="one_sales_row_per_month"),
            models.CheckConstraint(condition=Q(quantity__gte=0) & Q(revenue__gte=0), name="sales_not_negative"),
        ]
        indexes = [models.Index(fields=["producer", "month"]), models.Index(fields=["month"])]
        verbose_name = _("sales record")
        verbose_name_plural = _("sales records")


class SalesMonth(models.Model):
    """An outlet's month: the sums of its sales rows, kept by the sales services (`outlets.sales_months`) in the
    transaction that writes the rows, so the dashboards read a province's months from a row per outlet instead of
    one per product. `ocop verify_sales` checks that each equals the sum of its rows."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+")
    # The outlet's province, which never changes (its commune must be one of the province's): a province's months
    # are summed from this table and its index alone, without joining 5,000 outlets.
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # the first day of the month
    rows = models.PositiveIntegerField(default=0)
    quantity = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    revenue = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outlet", "month"], name="one_sales_month_per_outlet")]
        indexes = [models.Index(fields=["province", "month", "revenue", "quantity"], name="salesmonth_province_month")]

    def __str__(self) -> str:
        return f"{self.outlet_id} {self.month:%m/%Y}"
