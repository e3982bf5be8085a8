from django.db import models
from django.utils.translation import gettext_lazy as _


class Provenance(models.TextChoices):
    OFFICIAL = "official", _("Official text")
    UNVERIFIED = "unverified", _("Unverified transcription")
    DEMO = "demo", _("Demo, not the official text")


class Part(models.TextChoices):
    A = "A", _("A. Product and community strength")
    B = "B", _("B. Marketing capacity")
    C = "C", _("C. Product quality")


class RoundLevel(models.TextChoices):
    DISTRICT = "district", _("District (before July 2025)")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


class DossierKind(models.TextChoices):
    NEW = "new", _("New recognition")
    RERECOGNITION = "rerecognition", _("Re-recognition")
    UPGRADE = "upgrade", _("Upgrade")


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the commune")
    COMMUNE_CHECKED = "commune_checked", _("Checked by the commune")
    PROPOSED = "proposed", _("Proposed to the province")
    RETURNED = "returned", _("Returned to the producer")
    UNDER_REVIEW = "under_review", _("Under advisory review")
    READY = "ready", _("Ready for the council")
    SCORED = "scored", _("Scored")
    PUBLISHED = "published", _("Result published")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary (does not score)")


class Rounding(models.TextChoices):
    NONE = "none", _("No rounding (two decimals shown)")
    ONE = "one", _("One decimal")
    WHOLE = "whole", _("Whole points")


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ClosureKind(models.TextChoices):
    ACCEPT = "accept", _("Totals accepted as they stand")
    EXCLUDE = "exclude", _("One member's sheet excluded")


class ChecklistSection(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    SUPPLEMENTARY = "supplementary", _("Supplementary evidence")
