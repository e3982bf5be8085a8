"""Producers (chủ thể), their products, and the evidence vault."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.models import LeasedJob, TimeStampedModel
from ocop.places.models import Commune, LegacyCommune, LegacyDistrict, Province
from ocop.registry.enums import (
    IDENTIFIED_KINDS,
    DataFlag,
    DocumentKind,
    DocumentState,
    IdentifierKind,
    ProducerKind,
    ProductStatus,
)
from ocop.registry.signals import groups_changed

EXPIRING_DAYS = 30


# The longest name of an uploaded file kept (a document's, an import's): a longer one is refused, never cut.
NAME_MAX = 255


class ProductGroup(TimeStampedModel):
    """Reference data: the product groups of the classification (148: six groups)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")

    def __str__(self) -> str:
        return self.name


class ProductSet(TimeStampedModel):
    """Reference data: a product set (bộ sản phẩm); each set has its own score sheet."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="sets", verbose_name=_("group"))
    name = models.CharField(_("name"), max_length=200)
    lead_ministry = models.CharField(_("lead ministry"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["group__position", "position", "code"]
        verbose_name = _("product set")
        verbose_name_plural = _("product sets")

    def __str__(self) -> str:
        return self.name


def place_label(record: Producer | Product) -> str:
    """Where the record is, for lists and pages: its commune, else what an incomplete list told (a former district)."""
    if record.commune_id is not None:
        return record.commune.name  # type: ignore[union-attr]
    if record.legacy_district_id is not None:
        return str(_("commune not determined (former %(district)s)") % {"district": record.legacy_district.name})  # type: ignore[union-attr]
    return str(_("commune not determined"))


def place_flags(record: Producer | Product) -> list[DataFlag]:
    if record.commune_id is not None:
        return []
    return [DataFlag.DISTRICT_ONLY if record.legacy_district_id is not None else DataFlag.NO_COMMUNE]


def incomplete_q(*, producers: bool) -> Q:
    """Records with a data flag, for a "needs completing" filter."""
    q = Q(commune__isnull=True)
    if producers:
        return q | Q(identifier="", kind__in=IDENTIFIED_KINDS)
    return q | Q(product_set__isnull=True)


class Producer(TimeStampedModel):
    kind = models.CharField(_("type"), max_length=24, choices=ProducerKind.choices)
    name = models.CharField(_("name"), max_length=255)
    identifier = models.CharField(_("identifier"), max_length=32, blank=True)
    identifier_kind = models.CharField(
        _("identifier type"), max_length=24, choices=IdentifierKind.choices, blank=True, editable=False
    )
    legal_representative = models.CharField(_("legal representative"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="producers", verbose_name=_("province")
    )
    # Empty only for a record entered from a list that names no commune we can place (a former district only, or a
    # commune merged before 2025 that our places data lacks): the record says so, it is not guessed.
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="producers", verbose_name=_("commune")
    )
    legacy_commune = models.ForeignKey(
        LegacyCommune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="producers",
        verbose_name=_("former commune (before 1 July 2025)"),
    )
    legacy_district = models.ForeignKey(
        LegacyDistrict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="producers",
        verbose_name=_("former district (before 1 July 2025)"),
    )
    women_led = models.BooleanField(_("led by a woman"), default=False)
    ethnic_minority = models.BooleanField(_("ethnic-minority owned"), default=False)
    search_text = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="producer_name_order"),
            models.Index(fields=["search_text"], name="producer_search_order"),  # core.search walks it
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"], condition=~Q(identifier=""), name="unique_producer_identifier"
            )
        ]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> str:
        return place_label(self)

    @property
    def data_flags(self) -> list[DataFlag]:
        """What the record still lacks (a list entered from history often has no tax code or commune)."""
        flags = place_flags(self)
        if not self.identifier and self.kind in IDENTIFIED_KINDS:
            flags.insert(0, DataFlag.NO_IDENTIFIER)
        return flags


class ProducerMember(TimeStampedModel):
    """A user account that acts for a producer (the producer role's scope)."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="producer_links")

    class Meta:
        ordering = ["producer", "user"]
        constraints = [models.UniqueConstraint(fields=["producer", "user"], name="unique_producer_member")]


class Product(TimeStampedModel):
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="products", verbose_name=_("producer")
    )
    name = models.CharField(_("name"), max_length=255)
    # Empty only for a product entered from a recognition list that gives no product set (see Producer.commune).
    product_set = models.ForeignKey(
        ProductSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("product set"),
    )
    # The set's group, kept on the product (saved with it): a list that names only the group ("Thực phẩm") gives a
    # product without a set that still counts in the figures by group.
    group = models.ForeignKey(
        ProductGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("product group"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="products", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("commune of production"),
    )
    legacy_commune = models.ForeignKey(
        LegacyCommune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("former commune (before 1 July 2025)"),
    )
    legacy_district = models.ForeignKey(
        LegacyDistrict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("former district (before 1 July 2025)"),
    )
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("product story"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProductStatus.choices, default=ProductStatus.ACTIVE)
    search_text = models.CharField(max_length=600, editable=False, default="")
    # The product's latest certificate, kept by the certificates app for the public catalogue (no join needed):
    # its stored status (valid, suspended, revoked), stars and last valid day; empty when never certified.
    ocop_status = models.CharField(max_length=16, blank=True, default="", editable=False)
    ocop_stars = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    ocop_until = models.DateField(null=True, blank=True, editable=False)
    ocop_potential_five = models.BooleanField(default=False, editable=False)  # "4 sao, tiềm năng 5 sao"

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="product_name_order"),
            models.Index(fields=["search_text"], name="product_search_order"),  # core.search walks it
            # The dashboards count OCOP products per commune, stars, set and producer from this index alone. Status
            # first: a commune-first index drew the province's product searches away from the commune index.
            models.Index(
                fields=["ocop_status", "ocop_until", "province", "commune", "ocop_stars", "group", "producer"],
                name="product_ocop_stats",
            ),
        ]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name

    _saved_group_id: int | None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.product_set_id is not None:
            loaded = self._state.fields_cache.get("product_set")
            self.group_id = (
                loaded.group_id
                if loaded is not None and loaded.pk == self.product_set_id
                else ProductSet.objects.values_list("group_id", flat=True).get(pk=self.product_set_id)
            )
            if kwargs.get("update_fields") is not None and "product_set" in kwargs["update_fields"]:
                kwargs["update_fields"] = {*kwargs["update_fields"], "group"}
        moved = not self._state.adding and self.group_id != getattr(self, "_saved_group_id", self.group_id)
        super().save(*args, **kwargs)
        self._saved_group_id = self.group_id
        if moved:
            groups_changed.send(sender=Product, product_ids=[self.pk])

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Product:
        product = super().from_db(db, field_names, values, **kwargs)
        if "group_id" in product.__dict__:  # the group as read (unless deferred): a save that moves it says so
            product._saved_group_id = product.group_id
        return product

    @property
    def place(self) -> str:
        return place_label(self)

    @property
    def data_flags(self) -> list[DataFlag]:
        flags = place_flags(self)
        if self.product_set_id is None:
            flags.append(DataFlag.NO_SET)
        return flags


class ProductPack(TimeStampedModel):
    """A pack size of a product; which packs exist decides later which may carry the OCOP mark."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="packs", verbose_name=_("product"))
    name = models.CharField(_("pack"), max_length=120)
    size = models.CharField(_("size"), max_length=60, blank=True)
    gtin = models.CharField(_("barcode (GTIN)"), max_length=14, blank=True)

    class Meta:
        ordering = ["product", "id"]
        # The GS1 Digital Link resolver (/01/<GTIN>) finds packs by barcode.
        indexes = [models.Index(fields=["gtin"], name="pack_gtin")]
        verbose_name = _("pack")
        verbose_name_plural = _("packs")

    def __str__(self) -> str:
        return f"{self.name} {self.size}".strip()


def stored_name(prefix: str, filename: str) -> str:
    # The stored name is generated; the original name is kept in a column, never used as a path.
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def photo_path(instance: ProductPhoto, filename: str) -> str:
    return stored_name("photos", filename)


def document_path(instance: Document, filename: str) -> str:
    return stored_name("vault", filename)


class ProductPhoto(TimeStampedModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product"))
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=40, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["product", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"


class Document(TimeStampedModel):
    """A document of the evidence vault, stored once per producer (or one of its products)."""

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="documents", verbose_name=_("producer")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="documents", verbose_name=_("product")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=NAME_MAX, editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(_("size"), editable=False, default=0)
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["producer", "sha256"], name="unique_document_per_producer")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        label = self.title or self.get_kind_display()
        return f"{label} {self.number}".strip()

    def state(self, today: dt.date | None = None) -> DocumentState:
        if self.expires_on is None:
            return DocumentState.NO_EXPIRY
        today = today or timezone.localdate()
        if self.expires_on < today:
            return DocumentState.EXPIRED
        if (self.expires_on - today).days <= EXPIRING_DAYS:
            return DocumentState.EXPIRING
        return DocumentState.VALID


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    SAVING = "saving", _("Saving")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    REFUSED = "refused", _("Refused")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("Save all rows or none")
    PARK = "park", _("Save the good rows and park the rest for review")


class IncompleteRows(models.TextChoices):
    """What to do with a row that is merely incomplete (no tax code, a former district only, an unknown commune)."""

    CREATE = "create", _("Create them, flagged as incomplete")
    PARK = "park", _("Park them for review")


QUEUE_PATIENCE = dt.timedelta(minutes=10)


def import_path(instance: ImportJob, filename: str) -> str:
    return stored_name("imports", filename)


class ImportJob(LeasedJob, TimeStampedModel):
    """An uploaded workbook on its way in: checked (dry run) on the task worker, then committed there."""

    kind = models.CharField(_("kind"), max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("by")
    )
    file = models.FileField(upload_to=import_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=NAME_MAX)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    commit = models.BooleanField(default=False)  # what the queued run does: check only, or save
    mode = models.CharField(max_length=8, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    incomplete = models.CharField(max_length=8, choices=IncompleteRows.choices, default=IncompleteRows.CREATE)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    choices = models.JSONField(default=dict, blank=True)

    RUNNING_STATES = (ImportStatus.CHECKING, ImportStatus.SAVING)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.SAVING)

    @property
    def waiting_too_long(self) -> bool:
        """Queued and not taken for QUEUE_PATIENCE: no worker runs, or one died between taking the task and the job.
        The page offers to queue it again."""
        return self.status == ImportStatus.QUEUED and timezone.now() - self.updated_at > QUEUE_PATIENCE

    def mark_abandoned(self) -> None:
        self.status = ImportStatus.FAILED
        self.failure = str(
            _(
                "The worker saving this file stopped unexpectedly; no row was saved. Press “Run again” to save it "
                "again, with the choices made."
            )
            if self.commit
            else _(
                "The worker processing this file stopped unexpectedly; no row was saved. "
                "Press “Run again” to start it over."
            )
        )
        type(self).objects.filter(pk=self.pk).update(status=self.status, failure=self.failure)


class ParkReason(models.TextChoices):
    ERROR = "error", _("a value is wrong")
    SIMILAR = "similar", _("looks like an existing record")
    PLACE = "place", _("the commune must be chosen")
    INCOMPLETE = "incomplete", _("incomplete")


class ParkState(models.TextChoices):
    OPEN = "open", _("waiting")
    RESOLVED = "resolved", _("saved")
    DISMISSED = "dismissed", _("dismissed")


class ParkedRow(TimeStampedModel):
    """A row of an import set aside for a person: its original cells, what was wrong, and where it belongs. Fixing it
    runs the same checks as the import; nothing of it is saved until then."""

    job = models.ForeignKey(ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="parked")
    kind = models.CharField(_("kind"), max_length=16)
    row = models.PositiveIntegerField(_("row"))
    cells = models.JSONField(_("cells as read"), default=dict)
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)  # kind + cells: parked once
    problems = models.JSONField(_("problems"), default=list)
    reason = models.CharField(_("reason"), max_length=16, choices=ParkReason.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    candidates = models.ManyToManyField(Commune, blank=True, related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=ParkState.choices, default=ParkState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("why dismissed"), max_length=300, blank=True)
    # What the row became once fixed (the record's kind and id; the interface apps build the link).
    result_kind = models.CharField(max_length=16, blank=True)
    result_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "row", "id"]
        indexes = [models.Index(fields=["state", "province"], name="parked_open_by_province")]
        verbose_name = _("parked row")
        verbose_name_plural = _("parked rows")

    def __str__(self) -> str:
        return f"{self.kind} {self.row}"


class ProductRename(TimeStampedModel):
    """A certified product's change of name, flagged to the province's OCOP office until it is reviewed. The
    certificate keeps the name it was issued under (the QR page shows the new one as "tên hiện tại"); the office
    decides whether the new name still describes the product it recognised."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="renames", verbose_name=_("product"))
    old_name = models.CharField(_("name before"), max_length=255)
    new_name = models.CharField(_("new name"), max_length=255)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("note of the review"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["reviewed_at", "product"], name="product_rename_open")]
        verbose_name = _("rename of a certified product")
        verbose_name_plural = _("renames of certified products")

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"
