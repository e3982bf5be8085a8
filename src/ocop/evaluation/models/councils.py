"""Councils, their members and rules, the members' score sheets and the council's results."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.evaluation.enums import ClosureKind, MemberRole, Rounding, SheetState
from ocop.evaluation.models.catalogue import CriterionLine, CriterionOption
from ocop.evaluation.models.dossiers import Dossier, Round
from ocop.places.models import Province
from ocop.registry.models import Producer


class RuleFields(models.Model):
    """The rules a council works by (a province's regulation); unconfirmed nationally, so settings."""

    quorum = models.DecimalField(
        _("quorum (share of scoring members)"), max_digits=4, decimal_places=3, default=Decimal("0.75")
    )
    quorum_needs_chair = models.BooleanField(_("the chair must be present"), default=True)
    max_spread = models.DecimalField(
        _("largest gap between members' totals"), max_digits=5, decimal_places=2, default=Decimal(10)
    )
    rounding = models.CharField(
        _("rounding of the mean"), max_length=8, choices=Rounding.choices, default=Rounding.NONE
    )
    spread_rounds = models.PositiveSmallIntegerField(
        _("spread reviews before the chair decides"),
        default=2,
        validators=[MaxValueValidator(9)],
        help_text=_(
            "How many times members whose totals are too far apart re-score a dossier before the chair closes the "
            "review (accepting the totals with an explanation, or excluding one sheet with a reason)."
        ),
    )

    RULES = ("quorum", "quorum_needs_chair", "max_spread", "rounding", "spread_rounds")

    class Meta:
        abstract = True


class CouncilRules(RuleFields, TimeStampedModel):
    """A province's council rules; copied onto each council when it is set up, so later changes never alter a
    past council."""

    province = models.OneToOneField(Province, on_delete=models.CASCADE, related_name="council_rules")

    class Meta:
        verbose_name = _("council rules")
        verbose_name_plural = _("council rules")

    def __str__(self) -> str:
        return str(self.province)


class Council(RuleFields, TimeStampedModel):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="councils", verbose_name=_("round"))
    name = models.CharField(_("name"), max_length=255)
    decision = models.CharField(_("founding decision"), max_length=120, blank=True)  # its number, "123/QĐ-UBND"
    decision_date = models.DateField(_("date of the founding decision"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=255, blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    # The minutes' hours: the opening of the meeting (attendance) and its closing, each typed or the moment it was
    # recorded.
    meeting_start = models.TimeField(_("meeting started at"), null=True, blank=True)
    meeting_end = models.TimeField(_("meeting ended at"), null=True, blank=True)
    meeting_open = models.BooleanField(_("meeting open"), default=False)
    meeting_closed = models.BooleanField(_("meeting closed"), default=False)
    # The issuing body (ocop.places.issuers.Issuer as a dict) when the meeting opened: the minutes keep it.
    issuer = models.JSONField(_("issuing body at the meeting"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["round", "name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    # Changes recorded on the council that are not its fields (core/changes.py shows them under these labels).
    audit_labels = {"members": _("council members"), "present": _("present")}

    def __str__(self) -> str:
        return self.name


class CouncilMember(TimeStampedModel):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    agency = models.CharField(_("agency"), max_length=255, blank=True)
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        ordering = ["council", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="unique_council_member")]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def scores(self) -> bool:
        return self.role != MemberRole.SECRETARY


class ConflictDeclaration(TimeStampedModel):
    """A member's declared link to a producer: the member does not score that producer's dossiers."""

    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="conflicts")
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="+", verbose_name=_("producer"))
    note = models.CharField(_("link"), max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "producer"], name="unique_conflict")]


class ScoreSheet(models.Model):
    """One member's sheet for one dossier, one revision. Submitted revisions are never changed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="sheets")
    revision = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=16, choices=SheetState.choices, default=SheetState.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason for the revision"), blank=True)
    # The spread review that opened this revision (0: the member's first sheet); the dossier's highest is the
    # number of spread reviews held.
    review_round = models.PositiveSmallIntegerField(_("spread review"), default=0)

    class Meta:
        ordering = ["dossier", "member", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "member", "revision"], name="unique_sheet_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}/{self.member_id} r{self.revision}"


class ScoreEntry(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries")
    line = models.ForeignKey(CriterionLine, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(CriterionOption, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "line"], name="unique_entry_per_line")]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.option_id}"


class Result(TimeStampedModel):
    """The council's result for a dossier; `published` makes it visible to the producer."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="result")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="results")
    mean = models.DecimalField(_("mean total"), max_digits=7, decimal_places=4)
    part_a = models.DecimalField(_("part A"), max_digits=7, decimal_places=4)
    part_b = models.DecimalField(_("part B"), max_digits=7, decimal_places=4)
    part_c = models.DecimalField(_("part C"), max_digits=7, decimal_places=4)
    line_means = models.JSONField(default=dict)  # line code → mean points, as text
    stars_by_score = models.PositiveSmallIntegerField(_("stars by score"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    caps = models.JSONField(_("capped by"), default=list)  # [[line code, stars required], ...]
    referral = models.BooleanField(_("referred to the central round"), default=False)
    scorers = models.PositiveSmallIntegerField(_("members who scored"))
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["-mean"]
        verbose_name = _("council result")
        verbose_name_plural = _("council results")


class SpreadClosure(TimeStampedModel):
    """How the chair ended a dossier's spread review (or a sheet disqualifying the product alone): the totals
    accepted as they stand with an explanation, or one member's sheet excluded with a reason. Printed in the
    minutes; one per dossier, since the result follows at once."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="spread_closure")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="spread_closures")
    kind = models.CharField(_("decision"), max_length=8, choices=ClosureKind.choices)
    sheet = models.ForeignKey(
        ScoreSheet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("excluded sheet"),
    )
    reason = models.TextField(_("explanation or reason"))
    rounds = models.PositiveSmallIntegerField(_("spread reviews held"))
    spread = models.DecimalField(_("largest gap between the totals"), max_digits=6, decimal_places=2)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["council", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="accept", sheet__isnull=True) | models.Q(kind="exclude", sheet__isnull=False),
                name="spread_closure_sheet_only_when_excluding",
            )
        ]
        verbose_name = _("spread review closure")
        verbose_name_plural = _("spread review closures")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.kind}"
