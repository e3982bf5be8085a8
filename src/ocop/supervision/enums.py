from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckArea(models.TextChoices):
    """What an inspection checks (the Quảng Trị inter-agency list and the 2025 directives, domain/ocop-rules.md §7)."""

    STILL_PRODUCING = "still_producing", _("Still producing the product")
    RAW_MATERIALS = "raw_materials", _("Raw materials and their sources")
    PRODUCTION_CONDITIONS = "production_conditions", _("Production conditions and environment")
    FOOD_SAFETY = "food_safety", _("Food safety")
    DECLARED_STANDARD = "declared_standard", _("Declared standard and product quality")
    LABELS = "labels", _("Labels, packaging and pack sizes")
    TRACEABILITY = "traceability", _("Traceability codes (barcode, QR stamp)")
    OCOP_MARK = "ocop_mark", _("Use of the OCOP mark and stars")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Trademark and intellectual property")


class CheckResult(models.TextChoices):
    OK = "ok", _("in order")
    FINDING = "finding", _("not in order")
    NOT_APPLICABLE = "na", _("does not apply")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("inspected")


class Severity(models.TextChoices):
    MINOR = "minor", _("minor")
    MAJOR = "major", _("major")
    SERIOUS = "serious", _("serious")


class FindingState(models.TextChoices):
    OPEN = "open", _("open: fix requested")
    FIXED = "fixed", _("fixed")
    ESCALATED = "escalated", _("escalated to a sanction")


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("warning")
    SUSPENSION = "suspension", _("suspension of the certificate")
    REVOCATION_PROPOSAL = "revocation_proposal", _("proposal to revoke the certificate")


class RiskReason(models.TextChoices):
    EXPIRING = "expiring", _("certificate expiring soon")
    REPORTED = "reported", _("consumer reports")
    PAST_FINDINGS = "past_findings", _("past findings")
    NEVER_INSPECTED = "never_inspected", _("never inspected")
