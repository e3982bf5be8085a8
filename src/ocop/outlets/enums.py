from django.db import models
from django.utils.translation import gettext_lazy as _


class OutletKind(models.TextChoices):
    SALES_POINT = "sales_point", _("OCOP introduction and sales point")
    DESIGN_CENTRE = "design_centre", _("Creative design, introduction, promotion and sales centre")
    OTHER = "other", _("Other outlet (e.g. a supermarket corner)")


class LocationType(models.TextChoices):
    """Where a sales point stands: the list of Decision 950/QĐ-BCT (2023), criterion group 1."""

    TRANSPORT = "transport", _("Station, airport or port")
    ROADSIDE = "roadside", _("Highway or national-road rest stop")
    RETAIL = "retail", _("Mall, supermarket or market")
    TOURISM = "tourism", _("Tourist site, restaurant or hotel")
    CRAFT_VILLAGE = "craft_village", _("Craft village")
    COMMERCIAL = "commercial", _("Commercial centre or industrial cluster")
    FAIR = "fair", _("Fair and exhibition centre")
    POST_OFFICE = "post_office", _("Post office")
    OTHER = "other", _("Elsewhere")


class OutletStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    RECOGNISED = "recognised", _("recognised")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


class ItemKind(models.TextChoices):
    CHECK = "check", _("met or not met")
    SCORE = "score", _("points")


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("draft")
    FINAL = "final", _("final")


class RemovalReason(models.TextChoices):
    EXPIRED = "expired", _("certificate expired")
    SUSPENDED = "suspended", _("certificate suspended")
    REVOKED = "revoked", _("certificate revoked")


class TaskOutcome(models.TextChoices):
    REMOVED = "removed", _("taken off the OCOP shelf")
    REINSTATED = "reinstated", _("certificate valid again")


class FileKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    EVIDENCE = "evidence", _("evidence")
