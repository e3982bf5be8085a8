"""The enums of the API, each ONE named schema of the OpenAPI document: an operation that takes or returns one of
them uses the class here, never a new inline list of values (a generated client then has one type for it).

Each mirrors the domain's TextChoices value for value (ocop.api.tests.test_api_enums checks they agree)."""

from __future__ import annotations

from enum import Enum


class OutletKind(str, Enum):
    """sales_point (OCOP introduction and sales point), design_centre (creative design and promotion centre), other"""

    SALES_POINT = "sales_point"
    DESIGN_CENTRE = "design_centre"
    OTHER = "other"


class OutletStatus(str, Enum):
    """proposed, recognised (by a decision: public on the map), suspended, closed"""

    PROPOSED = "proposed"
    RECOGNISED = "recognised"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class CertificateStatus(str, Enum):
    """A certificate's status as a reader sees it today: valid, expiring (valid, ending soon), expired, suspended,
    revoked, superseded; only valid and expiring let the product be presented as OCOP"""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class EventKind(str, Enum):
    """fair, exhibition, livestream, online_market"""

    FAIR = "fair"
    EXHIBITION = "exhibition"
    LIVESTREAM = "livestream"
    ONLINE_MARKET = "online_market"


class ReportState(str, Enum):
    """A periodic report's run: queued (waiting for the task worker), running, done (the workbook may be
    downloaded), failed"""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


# Plans, supervision and recognition decisions (ocop.api.planning, .supervision, .decisions).


class PlanIndicator(str, Enum):
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


class InspectionState(str, Enum):
    """planned (on the calendar), done (inspected: its checklist and findings recorded)"""

    PLANNED = "planned"
    DONE = "done"


class CheckArea(str, Enum):
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


class CheckResult(str, Enum):
    """ok (in order), finding (not in order), na (does not apply)"""

    OK = "ok"
    FINDING = "finding"
    NOT_APPLICABLE = "na"


class Severity(str, Enum):
    """A finding's severity: minor, major, serious"""

    MINOR = "minor"
    MAJOR = "major"
    SERIOUS = "serious"


class FindingState(str, Enum):
    """open (a fix requested by its date), fixed, escalated (to a sanction)"""

    OPEN = "open"
    FIXED = "fixed"
    ESCALATED = "escalated"


class SanctionKind(str, Enum):
    """warning, suspension (of the certificate), revocation_proposal (a proposal to revoke the certificate)"""

    WARNING = "warning"
    SUSPENSION = "suspension"
    REVOCATION_PROPOSAL = "revocation_proposal"


class RiskReason(str, Enum):
    """Why an inspection's subject was chosen: expiring (certificate expiring soon), reported (consumer reports),
    past_findings, never_inspected"""

    EXPIRING = "expiring"
    REPORTED = "reported"
    PAST_FINDINGS = "past_findings"
    NEVER_INSPECTED = "never_inspected"


class ConsumerReportKind(str, Enum):
    """What a consumer reported from the scan page: fake (the label looks fake), expired (expired or revoked but
    still sold as OCOP), other"""

    FAKE = "fake"
    EXPIRED = "expired"
    OTHER = "other"


class IssuingLevel(str, Enum):
    """Who issued a recognition decision: province (People's Committee), ministry (Agriculture and Environment, the
    5 stars), district (a district People's Committee, before July 2025)"""

    PROVINCE = "province"
    MINISTRY = "ministry"
    DISTRICT = "district"


class LegalBasis(str, Enum):
    """The decision the recognition rests on: 1048 (Decision 1048/QĐ-TTg, 2019), 148 (Decision 148/QĐ-TTg, 2023),
    148+1489 (Decision 148/QĐ-TTg as amended by Decision 1489/QĐ-TTg, from 6 July 2025)"""

    D1048 = "1048"
    D148 = "148"
    D148_1489 = "148+1489"


class WebhookEvent(str, Enum):
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


class DeliveryStatus(str, Enum):
    """A webhook delivery: pending (to be sent), delivered (a 2xx answer), failed (to be tried again at
    next_attempt_at), given_up (after the last attempt; it may still be re-sent)"""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    GIVEN_UP = "given_up"
