"""The criteria catalogue: versions, their product sets, and each set's score sheet."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.evaluation.enums import ChecklistSection, Part, Provenance
from ocop.registry.enums import DocumentKind
from ocop.registry.models import ProductSet


class CriteriaVersion(TimeStampedModel):
    """A criteria set version ("148/2023", "1048/2019"): parts, star thresholds and the sheets of its sets."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    decision = models.CharField(_("decision"), max_length=120, blank=True)
    provenance = models.CharField(_("provenance"), max_length=16, choices=Provenance.choices)
    note = models.TextField(_("note"), blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    part_a_max = models.PositiveSmallIntegerField(_("part A maximum"))
    part_b_max = models.PositiveSmallIntegerField(_("part B maximum"))
    part_c_max = models.PositiveSmallIntegerField(_("part C maximum"))
    stars_2_from = models.DecimalField(_("2 stars from"), max_digits=5, decimal_places=2, default=Decimal(30))
    stars_3_from = models.DecimalField(_("3 stars from"), max_digits=5, decimal_places=2, default=Decimal(50))
    stars_4_from = models.DecimalField(_("4 stars from"), max_digits=5, decimal_places=2, default=Decimal(70))
    stars_5_from = models.DecimalField(_("5 stars from"), max_digits=5, decimal_places=2, default=Decimal(90))

    class Meta:
        ordering = ["-in_force_from", "code"]
        verbose_name = _("criteria version")
        verbose_name_plural = _("criteria versions")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def parts(self) -> dict[str, int]:
        return {"A": self.part_a_max, "B": self.part_b_max, "C": self.part_c_max}

    @property
    def thresholds(self) -> dict[int, Decimal]:
        return {2: self.stars_2_from, 3: self.stars_3_from, 4: self.stars_4_from, 5: self.stars_5_from}


class CriteriaSet(TimeStampedModel):
    """A product set of one criteria version, with its own score sheet."""

    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE, related_name="sets")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=255)
    group_code = models.CharField(_("group code"), max_length=16, blank=True)
    group_name = models.CharField(_("group"), max_length=255, blank=True)
    product_set = models.ForeignKey(
        ProductSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criteria_sets",
        verbose_name=_("product set of the registry"),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_set_per_version")]
        verbose_name = _("criteria product set")
        verbose_name_plural = _("criteria product sets")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CriterionGroup(TimeStampedModel):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    part = models.CharField(_("part"), max_length=1, choices=Part.choices)
    name = models.CharField(_("criterion group"), max_length=255)
    max_points = models.PositiveSmallIntegerField(_("maximum"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "position"]

    def __str__(self) -> str:
        return f"{self.part} · {self.name}"


class CriterionLine(TimeStampedModel):
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(_("code"), max_length=16)
    text = models.TextField(_("criterion"))
    position = models.PositiveSmallIntegerField(default=0)
    commune_assessed = models.BooleanField(_("assessed by the commune"), default=False)
    mandatory_from = models.PositiveSmallIntegerField(_("mandatory from (stars)"), null=True, blank=True)
    mandatory_min = models.PositiveSmallIntegerField(_("points that meet it"), default=1)
    requires = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scored only if this line scores"),
    )

    class Meta:
        ordering = ["group__position", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class CriterionOption(TimeStampedModel):
    line = models.ForeignKey(CriterionLine, on_delete=models.CASCADE, related_name="options")
    label = models.TextField(_("option"))
    points = models.PositiveSmallIntegerField(_("points"))
    case = models.CharField(_("case"), max_length=40, blank=True)
    disqualifies = models.BooleanField(_("disqualifies"), default=False)
    skips = models.ManyToManyField(CriterionLine, blank=True, related_name="+", verbose_name=_("lines not scored"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["line", "position"]

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"


class ChecklistItem(TimeStampedModel):
    """An item of a version's dossier checklist; `kind` links it to the vault's document kinds."""

    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE, related_name="checklist")
    criteria_set = models.ForeignKey(
        CriteriaSet,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checklist",
        verbose_name=_("only for the product set"),
    )
    section = models.CharField(_("section"), max_length=16, choices=ChecklistSection.choices)
    name = models.CharField(_("item"), max_length=255)
    kind = models.CharField(_("document kind"), max_length=32, choices=DocumentKind.choices, blank=True)
    required = models.BooleanField(_("required for a complete dossier"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name
