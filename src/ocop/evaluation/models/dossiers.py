"""Rounds and dossiers: what a producer files, how it moves from the commune to the council."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.text import year_text
from ocop.evaluation.enums import DossierKind, DossierState, RoundLevel
from ocop.evaluation.models.catalogue import CriteriaSet, CriteriaVersion, CriterionLine
from ocop.places.models import Province
from ocop.registry.models import Document, Product


class Round(TimeStampedModel):
    """An evaluation round (đợt): a year, a number, a level, deadlines and the criteria in force."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("province"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("round"), default=1)
    level = models.CharField(_("level"), max_length=16, choices=RoundLevel.choices, default=RoundLevel.PROVINCE)
    criteria_version = models.ForeignKey(
        CriteriaVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("criteria version")
    )
    submission_deadline = models.DateField(_("dossiers due at the commune"), null=True, blank=True)
    proposal_deadline = models.DateField(_("communes propose by"), null=True, blank=True)
    council_date = models.DateField(_("council meets"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "number", "level"], name="unique_round_per_level")
        ]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")

    def __str__(self) -> str:
        return f"{self.number}/{year_text(self.year)} · {self.province.name}"


class Dossier(TimeStampedModel):
    """A product's dossier in one round, scored on one product set's sheet."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("round"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("product"))
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("product set")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DossierKind.choices, default=DossierKind.NEW)
    state = models.CharField(_("state"), max_length=16, choices=DossierState.choices, default=DossierState.DRAFT)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("previous dossier")
    )
    summary = models.TextField(_("producer's self-assessment"), blank=True)
    reviewed_by_id = models.BigIntegerField(null=True, blank=True, editable=False)  # advisory-team member

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    # Changes recorded on the dossier that are not its fields (core/changes.py shows them under these labels).
    audit_labels = {
        "score_sheet": _("score sheet"),
        "site_visit": _("site visit"),
        "evidence": _("evidence"),
        "spread_review": _("spread review"),
        "spread_review_awaits_chair": _("spread review: the chair decides"),
        "members": _("council members"),
    }

    def __str__(self) -> str:
        return f"{self.product.name} · {self.round}"


class DossierEvidence(TimeStampedModel):
    """A vault document attached to a dossier, for one criterion line or for a checklist item."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evidence")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("document"))
    line = models.ForeignKey(
        CriterionLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("criterion")
    )

    class Meta:
        ordering = ["dossier", "line__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "document", "line"], name="unique_evidence"),
        ]

    def __str__(self) -> str:
        return str(self.document_id)


class Transition(models.Model):
    """One step of a dossier's timeline: who moved it from which state to which, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    actor_name = models.CharField(_("by"), max_length=200)
    from_state = models.CharField(_("from"), max_length=16, choices=DossierState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=DossierState.choices)
    note = models.TextField(_("note"), blank=True)
    items = models.JSONField(_("items to fix"), default=list, blank=True)  # [{"item": ..., "reason": ...}]

    class Meta:
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class CommuneAssessment(TimeStampedModel):
    """The commune's assessment of the local criteria: the points it proposes on each commune line."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="commune_assessment")
    points = models.JSONField(_("points per line"), default=dict)  # line code → option index
    note = models.TextField(_("commune's report"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")


class AdvisoryReview(TimeStampedModel):
    """The advisory team's review: the site visit and its comments."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    visited_on = models.DateField(_("site visit"), null=True, blank=True)
    visit_record = models.TextField(_("site visit record"), blank=True)
    comments = models.TextField(_("comments"), blank=True)
