"""Administrative units: the structure in force since 1 July 2025, and the legacy one kept for history.

Since 1 July 2025 there are 34 provinces and 3,321 commune-level units (communes, wards, special
zones) and no district tier. Records from before then speak of 63 provinces, 696 districts and about
10,000 communes; those live in the Legacy* tables with their mapping to today's communes. Names are
ours to edit: `load_places` only adds what is missing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel


class Province(TimeStampedModel):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    search_text = models.CharField(max_length=200, editable=False, db_index=True)
    # The central level (the Ministry of Agriculture and Environment, code "TW"): an issuing body of its own in the
    # same installation, with its own round, council, decisions, certificate series and signing key. It is not a
    # province: lists of provinces leave it out.
    central = models.BooleanField(_("central level"), default=False, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class CommuneKind(models.TextChoices):
    COMMUNE = "xa", _("commune")
    WARD = "phuong", _("ward")
    SPECIAL_ZONE = "dac_khu", _("special zone")


class Commune(TimeStampedModel):
    code = models.CharField(_("code"), max_length=8, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=CommuneKind.choices)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name


class LegacyProvince(TimeStampedModel):
    """One of the 63 provinces before 1 July 2025."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    successor = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="legacy_provinces", verbose_name=_("merged into")
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(TimeStampedModel):
    """A district (quận, huyện, thị xã, thành phố thuộc tỉnh) before 1 July 2025."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    province = models.ForeignKey(
        LegacyProvince, on_delete=models.PROTECT, related_name="districts", verbose_name=_("former province")
    )
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, blank=True)
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("former district")
        verbose_name_plural = _("former districts")

    def __str__(self) -> str:
        return self.name


class LegacyCommune(TimeStampedModel):
    """A commune, ward or town before 1 July 2025 (or a district that had none, such as an island)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    code = models.CharField(_("code"), max_length=8, blank=True)
    district = models.ForeignKey(
        LegacyDistrict, on_delete=models.PROTECT, related_name="communes", verbose_name=_("former district")
    )
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, blank=True)
    # The resolution that merged it, for communes an office added (`load_places --successions`): mergers before
    # 2025 that the package data lacks.
    resolution = models.CharField(_("resolution"), max_length=100, blank=True)
    successors = models.ManyToManyField(
        Commune, through="CommuneSuccession", related_name="predecessors", verbose_name=_("now part of")
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["district__code", "name"]
        verbose_name = _("former commune")
        verbose_name_plural = _("former communes")

    def __str__(self) -> str:
        return f"{self.name}, {self.district.name}" if self.name != self.district.name else self.name

    @property
    def is_split(self) -> bool:
        return self.successions.count() > 1


class CommuneSuccession(models.Model):
    """Old commune → new commune. A split old commune has several rows: the user must choose one."""

    legacy_commune = models.ForeignKey(LegacyCommune, on_delete=models.CASCADE, related_name="successions")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="successions")
    is_default = models.BooleanField(_("suggested"), default=False)

    class Meta:
        ordering = ["legacy_commune", "-is_default", "commune__name"]
        constraints = [models.UniqueConstraint(fields=["legacy_commune", "commune"], name="unique_succession")]

    def __str__(self) -> str:
        return f"{self.legacy_commune_id} → {self.commune_id}"


class IssuingBody(TimeStampedModel):
    """Who a province's documents come from and who signs them (Decree 30/2020/NĐ-CP): the People's Committee (the
    ministry for the central level) with its symbol and its signer, and the standing OCOP office that signs notices
    and inspection records. Edited by the province's coordinator; read through `ocop.places.issuers.issuer_for`,
    which falls back to defaults built from the province's name when there is no row. A signed decision keeps the
    names it was signed with: these settings only fill new ones."""

    province = models.OneToOneField(
        Province, on_delete=models.CASCADE, related_name="issuing_body", verbose_name=_("province")
    )
    parent = models.CharField(_("parent body"), max_length=200, blank=True)
    name = models.CharField(_("issuing body"), max_length=200)
    symbol = models.CharField(_("symbol"), max_length=20)
    place = models.CharField(_("place"), max_length=100)
    signer_authority = models.CharField(_("signing authority"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100)
    signer_name = models.CharField(_("signer's name"), max_length=100)
    office_name = models.CharField(_("standing office"), max_length=200)
    office_symbol = models.CharField(_("office symbol"), max_length=20, blank=True)
    office_signer_authority = models.CharField(_("office signing authority"), max_length=100, blank=True)
    office_signer_title = models.CharField(_("office signer's title"), max_length=100)
    office_signer_name = models.CharField(_("office signer's name"), max_length=100)

    class Meta:
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")

    def __str__(self) -> str:
        return self.name
