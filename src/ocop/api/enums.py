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
