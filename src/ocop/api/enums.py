"""The enums of the API, each ONE named schema of the OpenAPI document: an operation that takes or returns one of
them uses the class here, never a new inline list of values (a generated client then has one type for it).

Each is a StrEnum (its members are their values: `str(ProducerKind.ENTERPRISE) == "enterprise"`), its docstring
names its values for the document's readers, and it mirrors the domain's TextChoices value for value:
ocop.api.tests.test_api_conventions checks that they agree (add the new enum's twin to its MIRRORS) and that the
document holds no inline list of values."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any


class OutletKind(StrEnum):
    """sales_point (OCOP introduction and sales point), design_centre (creative design and promotion centre), other"""

    SALES_POINT = "sales_point"
    DESIGN_CENTRE = "design_centre"
    OTHER = "other"


class OutletStatus(StrEnum):
    """proposed, recognised (by a decision: public on the map), suspended, closed"""

    PROPOSED = "proposed"
    RECOGNISED = "recognised"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class CertificateStatus(StrEnum):
    """A certificate's status as a reader sees it today: valid, expiring (valid, ending soon), expired, suspended,
    revoked, superseded; only valid and expiring let the product be presented as OCOP"""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class EventKind(StrEnum):
    """fair, exhibition, livestream, online_market"""

    FAIR = "fair"
    EXHIBITION = "exhibition"
    LIVESTREAM = "livestream"
    ONLINE_MARKET = "online_market"


class ReportState(StrEnum):
    """A periodic report's run: queued (waiting for the task worker), running, done (the workbook may be
    downloaded), failed"""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """A request body's fields with each enum member as its value, as services and the database take them."""
    return {k: v.value if isinstance(v, Enum) else v for k, v in data.items()}


# Plans, supervision and recognition decisions (ocop.api.planning, .supervision, .decisions).


class PlanIndicator(StrEnum):
    """An indicator of the yearly plans, counted from the records (never typed in): rated_3_stars,
    referred_5_stars, potential_5_stars, recognised_5_stars, sales_points, design_centres, rerecognitions_due,
    rerecognitions_done, inspections_done, fairs, trainings_held, people_trained"""

    RATED_3_STARS = "rated_3_stars"
    REFERRED_5_STARS = "referred_5_stars"
    POTENTIAL_5_STARS = "potential_5_stars"
    RECOGNISED_5_STARS = "recognised_5_stars"
    SALES_POINTS = "sales_points"
    DESIGN_CENTRES = "design_centres"
    RERECOGNITIONS_DUE = "rerecognitions_due"
    RERECOGNITIONS_DONE = "rerecognitions_done"
    INSPECTIONS_DONE = "inspections_done"
    FAIRS = "fairs"
    TRAININGS_HELD = "trainings_held"
    PEOPLE_TRAINED = "people_trained"


class InspectionState(StrEnum):
    """planned (on the calendar), done (inspected: its checklist and findings recorded)"""

    PLANNED = "planned"
    DONE = "done"


class CheckArea(StrEnum):
    """What an inspection checks: still_producing, raw_materials, production_conditions, food_safety,
    declared_standard, labels, traceability, ocop_mark, intellectual_property"""

    STILL_PRODUCING = "still_producing"
    RAW_MATERIALS = "raw_materials"
    PRODUCTION_CONDITIONS = "production_conditions"
    FOOD_SAFETY = "food_safety"
    DECLARED_STANDARD = "declared_standard"
    LABELS = "labels"
    TRACEABILITY = "traceability"
    OCOP_MARK = "ocop_mark"
    INTELLECTUAL_PROPERTY = "intellectual_property"


class CheckResult(StrEnum):
    """ok (in order), finding (not in order), na (does not apply)"""

    OK = "ok"
    FINDING = "finding"
    NOT_APPLICABLE = "na"


class Severity(StrEnum):
    """A finding's severity: minor, major, serious"""

    MINOR = "minor"
    MAJOR = "major"
    SERIOUS = "serious"


class FindingState(StrEnum):
    """open (a fix requested by its date), fixed, escalated (to a sanction)"""

    OPEN = "open"
    FIXED = "fixed"
    ESCALATED = "escalated"


class SanctionKind(StrEnum):
    """warning, suspension (of the certificate), revocation_proposal (a proposal to revoke the certificate)"""

    WARNING = "warning"
    SUSPENSION = "suspension"
    REVOCATION_PROPOSAL = "revocation_proposal"


class RiskReason(StrEnum):
    """Why an inspection's subject was chosen: expiring (certificate expiring soon), reported (consumer reports),
    past_findings, never_inspected"""

    EXPIRING = "expiring"
    REPORTED = "reported"
    PAST_FINDINGS = "past_findings"
    NEVER_INSPECTED = "never_inspected"


class ConsumerReportKind(StrEnum):
    """What a consumer reported from the scan page: fake (the label looks fake), expired (expired or revoked but
    still sold as OCOP), other"""

    FAKE = "fake"
    EXPIRED = "expired"
    OTHER = "other"


class IssuingLevel(StrEnum):
    """Who issued a recognition decision: province (People's Committee), ministry (Agriculture and Environment, the
    5 stars), district (a district People's Committee, before July 2025)"""

    PROVINCE = "province"
    MINISTRY = "ministry"
    DISTRICT = "district"


class LegalBasis(StrEnum):
    """The decision the recognition rests on: 1048 (Decision 1048/QĐ-TTg, 2019), 148 (Decision 148/QĐ-TTg, 2023),
    148+1489 (Decision 148/QĐ-TTg as amended by Decision 1489/QĐ-TTg, from 6 July 2025)"""

    D1048 = "1048"
    D148 = "148"
    D148_1489 = "148+1489"


# Certificates, places, the registry and evaluation (ocop.api.certificates, .places, .registry, .evaluation), and
# the errors of every operation (ocop.api.errors).


class CertificateStatusFilter(StrEnum):
    """A status to list certificates by: current (valid or expiring: an OCOP product today), valid, expiring,
    expired, suspended, revoked, superseded"""

    CURRENT = "current"
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class LogEvent(StrEnum):
    """An entry of the transparency log: issued, suspended, lifted (a suspension), revoked, superseded, imported
    (entered from a recognition list)"""

    ISSUED = "issued"
    SUSPENDED = "suspended"
    LIFTED = "lifted"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    IMPORTED = "imported"


class CommuneKind(StrEnum):
    """xa (commune), phuong (ward), dac_khu (special zone)"""

    COMMUNE = "xa"
    WARD = "phuong"
    SPECIAL_ZONE = "dac_khu"


class ProducerKind(StrEnum):
    """enterprise, cooperative, cooperative_group, household_business, other"""

    ENTERPRISE = "enterprise"
    COOPERATIVE = "cooperative"
    COOPERATIVE_GROUP = "cooperative_group"
    HOUSEHOLD_BUSINESS = "household_business"
    OTHER = "other"


class ProductStatus(StrEnum):
    """active (in production), paused, discontinued"""

    ACTIVE = "active"
    PAUSED = "paused"
    DISCONTINUED = "discontinued"


class DataFlag(StrEnum):
    """What a record entered from an incomplete list still lacks: no_identifier (no tax code), district_only (a
    former district only), no_commune (commune not determined), no_set (product set not determined)"""

    NO_IDENTIFIER = "no_identifier"
    DISTRICT_ONLY = "district_only"
    NO_COMMUNE = "no_commune"
    NO_SET = "no_set"


class Provenance(StrEnum):
    """Where a criteria version's text comes from: official (the official text), unverified (a transcription not
    yet checked), demo (not the official text)"""

    OFFICIAL = "official"
    UNVERIFIED = "unverified"
    DEMO = "demo"


class Part(StrEnum):
    """A part of the score sheet: A (product and community strength), B (marketing capacity), C (product quality)"""

    A = "A"
    B = "B"
    C = "C"


class RoundLevel(StrEnum):
    """An evaluation round's level: district (before July 2025), province, central"""

    DISTRICT = "district"
    PROVINCE = "province"
    CENTRAL = "central"


class DossierKind(StrEnum):
    """new (recognition), rerecognition, upgrade"""

    NEW = "new"
    RERECOGNITION = "rerecognition"
    UPGRADE = "upgrade"


class DossierState(StrEnum):
    """draft, submitted (to the commune), commune_checked, proposed (to the province), returned (to the producer),
    under_review (advisory review), ready (for the council), scored, published (its result)"""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    COMMUNE_CHECKED = "commune_checked"
    PROPOSED = "proposed"
    RETURNED = "returned"
    UNDER_REVIEW = "under_review"
    READY = "ready"
    SCORED = "scored"
    PUBLISHED = "published"


class SheetState(StrEnum):
    """A council member's score sheet: draft, submitted"""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class ErrorCode(StrEnum):
    """The machine word of an error answer: bad_request (400: the body is not JSON), unauthorized (401), forbidden
    (403), not_found (404), method_not_allowed (405), invalid (422: a field's value), error (any other status)"""

    BAD_REQUEST = "bad_request"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INVALID = "invalid"
    ERROR = "error"


class WebhookEvent(StrEnum):
    """An event a webhook subscription receives: certificate.issued, certificate.suspended, certificate.lifted (its
    suspension lifted), certificate.revoked, certificate.superseded, certificate.expiring (30 days before its end),
    product.renamed, outlet.recognised, outlet.withdrawn (a sales point's recognition suspended or ended)"""

    CERTIFICATE_ISSUED = "certificate.issued"
    CERTIFICATE_SUSPENDED = "certificate.suspended"
    CERTIFICATE_LIFTED = "certificate.lifted"
    CERTIFICATE_REVOKED = "certificate.revoked"
    CERTIFICATE_SUPERSEDED = "certificate.superseded"
    CERTIFICATE_EXPIRING = "certificate.expiring"
    PRODUCT_RENAMED = "product.renamed"
    OUTLET_RECOGNISED = "outlet.recognised"
    OUTLET_WITHDRAWN = "outlet.withdrawn"


class DeliveryStatus(StrEnum):
    """A webhook delivery: pending (to be sent), delivered (a 2xx answer), failed (to be tried again at
    next_attempt_at), given_up (after the last attempt; it may still be re-sent)"""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    GIVEN_UP = "given_up"
