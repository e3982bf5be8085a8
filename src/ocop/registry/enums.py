from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    HOUSEHOLD_BUSINESS = "household_business", _("Household business")
    OTHER = "other", _("Other")


class IdentifierKind(models.TextChoices):
    NONE = "", _("None")
    TAX_CODE = "tax_code", _("Tax code")
    BRANCH_TAX_CODE = "branch_tax_code", _("Branch tax code")
    PERSONAL_ID = "personal_id", _("Personal identification number")
    REGISTRATION_NUMBER = "registration_number", _("Registration number")


class ProductStatus(models.TextChoices):
    ACTIVE = "active", _("In production")
    PAUSED = "paused", _("Paused")
    DISCONTINUED = "discontinued", _("Discontinued")


class DocumentKind(models.TextChoices):
    FOOD_SAFETY = "food_safety", _("Food-safety certificate")
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    QUALITY_DECLARATION = "quality_declaration", _("Quality declaration / product standard")
    TEST_REPORT = "test_report", _("Test report")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("IP or trademark certificate")
    TRACEABILITY = "traceability", _("Traceability")
    ENVIRONMENT = "environment", _("Environmental document")
    PRODUCT_STORY = "product_story", _("Product story")
    OTHER = "other", _("Other")


class DocumentState(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    NO_EXPIRY = "no_expiry", _("No expiry date")


class DataFlag(models.TextChoices):
    """What a record entered from an incomplete list still lacks; each follows from the record's own fields."""

    NO_IDENTIFIER = "no_identifier", _("no tax code")
    DISTRICT_ONLY = "district_only", _("former district only")
    NO_COMMUNE = "no_commune", _("commune not determined")
    NO_SET = "no_set", _("product set not determined")


# Producer kinds that must hold an identifier (tax code, personal ID or registration number).
IDENTIFIED_KINDS = ("enterprise", "cooperative", "household_business")
