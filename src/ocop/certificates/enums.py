from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuingLevel(models.TextChoices):
    PROVINCE = "province", _("Province People's Committee")
    MINISTRY = "ministry", _("Ministry of Agriculture and Environment")
    DISTRICT = "district", _("District People's Committee (before July 2025)")


class LegalBasis(models.TextChoices):
    D1048 = "1048", _("Decision 1048/QĐ-TTg (2019)")
    D148 = "148", _("Decision 148/QĐ-TTg (2023)")
    D148_1489 = "148+1489", _("Decision 148/QĐ-TTg as amended by Decision 1489/QĐ-TTg (from 6 July 2025)")


class DecisionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")


class Status(models.TextChoices):
    """What an official set; `expiring` and `expired` follow from the dates and are never stored."""

    VALID = "valid", _("valid")
    EXPIRING = "expiring", _("expiring soon")
    EXPIRED = "expired", _("expired")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")
    SUPERSEDED = "superseded", _("superseded")


STORED = (Status.VALID, Status.SUSPENDED, Status.REVOKED, Status.SUPERSEDED)


class LogEvent(models.TextChoices):
    ISSUED = "issued", _("certificate issued")
    SUSPENDED = "suspended", _("suspended")
    LIFTED = "lifted", _("suspension lifted")
    REVOKED = "revoked", _("revoked")
    SUPERSEDED = "superseded", _("superseded")
    IMPORTED = "imported", _("entered from a recognition list")


class ReportKind(models.TextChoices):
    FAKE = "fake", _("the label looks fake")
    EXPIRED = "expired", _("expired or revoked but still sold as OCOP")
    OTHER = "other", _("another problem")
