"""Producers (chủ thể), their products, and the evidence vault."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.places.models import Commune, LegacyCommune
from ocop.registry.enums import DocumentKind, DocumentState, IdentifierKind, ProducerKind, ProductStatus

EXPIRING_DAYS = 30


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
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="producers", verbose_name=_("commune"))
    legacy_commune = models.ForeignKey(
        LegacyCommune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="producers",
        verbose_name=_("former commune (before 1 July 2025)"),
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
    product_set = models.ForeignKey(
        ProductSet, on_delete=models.PROTECT, related_name="products", verbose_name=_("product set")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="products", verbose_name=_("commune of production")
    )
    legacy_commune = models.ForeignKey(
        LegacyCommune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("former commune (before 1 July 2025)"),
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

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="product_name_order"),
            models.Index(fields=["search_text"], name="product_search_order"),  # core.search walks it
            # The dashboards count OCOP products per commune, stars, set and producer from this index alone. Status
            # first: a commune-first index drew the province's product searches away from the commune index.
            models.Index(
                fields=["ocop_status", "ocop_until", "commune", "ocop_stars", "product_set", "producer"],
                name="product_ocop_stats",
            ),
        ]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class ProductPack(TimeStampedModel):
    """A pack size of a product; which packs exist decides later which may carry the OCOP mark."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="packs", verbose_name=_("product"))
    name = models.CharField(_("pack"), max_length=120)
    size = models.CharField(_("size"), max_length=60, blank=True)
    gtin = models.CharField(_("barcode (GTIN)"), max_length=14, blank=True)

    class Meta:
        ordering = ["product", "id"]
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
    original_name = models.CharField(_("file name"), max_length=255, editable=False)
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


def import_path(instance: ImportJob, filename: str) -> str:
    return stored_name("imports", filename)


class ImportJob(TimeStampedModel):
    """An uploaded workbook on its way in: checked (dry run), then committed, maybe in the background."""

    kind = models.CharField(_("kind"), max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("by")
    )
    file = models.FileField(upload_to=import_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    choices = models.JSONField(default=dict, blank=True)
    background = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0
