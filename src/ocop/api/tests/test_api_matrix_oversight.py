"""Role × action over the plans, supervision and decisions endpoints, with the outsider (charlie, another province's
coordinator) refused: plans are read whole by the province's offices, a commune officer reads their communes'
targets; inspections and consumers' reports follow the back office's gateways; issued decisions are public."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.certificates import services as certificates
from ocop.certificates.enums import IssuingLevel, ReportKind
from ocop.certificates.reports import client_key, report_problem
from ocop.conftest import ROLES, Once, World, client_for
from ocop.outlets.tests.conftest import certify
from ocop.planning import services as planning
from ocop.supervision import services as supervision
from ocop.supervision.enums import CheckArea, CheckResult
from ocop.testing import commune, province


@dataclass
class Oversight:
    w: World
    plan: Any
    done: Any  # an inspection of the world's producer, recorded with a finding
    planned: Any  # another, still planned
    report: Any  # a consumer's report on the world product's certificate
    unknown: Any  # a report of a code no certificate has
    decision: Any  # the certificate's decision, issued
    draft: Any


@pytest.fixture(scope="module")
def oversight_once(once: Once, world_once: World) -> Oversight:
    world = world_once
    with once.building(at=dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)):
        coordinator = world.users["coordinator"]
        cert = certify(coordinator, world.product, on=dt.date(2025, 11, 20))
        plan = planning.create_plan(by=coordinator, province=province(), year=2025, title="Kế hoạch OCOP 2025",
                                    number="35/KH-UBND", signed_on=dt.date(2025, 2, 10))  # fmt: skip
        planning.set_target(by=coordinator, plan=plan, indicator="rated_3_stars", value=400)
        planning.set_target(by=coordinator, plan=plan, indicator="rated_3_stars", value=2, commune=commune("Bát Tràng"))
        done = supervision.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 3, 2),
                                    producer=world.producer)  # fmt: skip
        checks: dict[str, tuple[str, str]] = {
            a: ((CheckResult.FINDING, "") if a == CheckArea.LABELS else (CheckResult.OK, "")) for a in CheckArea
        }
        supervision.record(by=coordinator, inspection=done, done_on=dt.date(2026, 3, 2), checks=checks,
                           findings={CheckArea.LABELS: supervision.FindingInput("Nhãn thiếu", "minor",
                                                                                dt.date(2026, 4, 1))})  # fmt: skip
        waiting = supervision.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 3, 9),
                                       producer=world.producer)  # fmt: skip
        report = report_problem(code=cert.code, kind=ReportKind.FAKE, message="Tem mờ", client=client_key("1.1.1.1"))
        unknown = report_problem(code="ZZZ999", kind=ReportKind.FAKE, message="", client=client_key("1.1.1.1"))
        draft = certificates.draft_decision(by=coordinator, province=province(), level=IssuingLevel.PROVINCE)
        return Oversight(world, plan, done, waiting, report, unknown, cert.decision, draft)


@pytest.fixture
def oversight(oversight_once: Oversight, fresh: Callable[[Oversight], Oversight]) -> Oversight:
    return fresh(oversight_once)


PUBLIC = [200] * 9
SIGNED_IN = [401, 200, 200, 200, 200, 200, 200, 200, 200]
NOWHERE = [404] * 9
# ROLES: anon, coordinator, commerce, commune, council, producer, outlet, admin, charlie
PLAN = [401, 200, 200, 404, 404, 404, 404, 200, 404]  # a commune officer reads only their targets
INSPECTED = [401, 200, 200, 200, 404, 200, 404, 200, 404]  # the producer reads its own, once done
PLANNED = [401, 200, 200, 200, 404, 404, 404, 200, 404]
REPORT = [401, 200, 200, 404, 404, 404, 404, 200, 404]
UNKNOWN_CODE = [401, 200, 200, 404, 404, 404, 404, 200, 200]  # a suspected fake concerns every province

CASES = [
    ("get", lambda s: "/api/v1/plans", SIGNED_IN),
    ("get", lambda s: f"/api/v1/plans/{s.plan.pk}", PLAN),
    ("get", lambda s: "/api/v1/plan-targets", SIGNED_IN),
    ("get", lambda s: "/api/v1/inspections", SIGNED_IN),
    ("get", lambda s: f"/api/v1/inspections/{s.done.pk}", INSPECTED),
    ("get", lambda s: f"/api/v1/inspections/{s.planned.pk}", PLANNED),
    ("get", lambda s: "/api/v1/consumer-reports", SIGNED_IN),
    ("get", lambda s: f"/api/v1/consumer-reports/{s.report.pk}", REPORT),
    ("get", lambda s: f"/api/v1/consumer-reports/{s.unknown.pk}", UNKNOWN_CODE),
    ("get", lambda s: "/api/v1/decisions", PUBLIC),
    ("get", lambda s: f"/api/v1/decisions/{s.decision.pk}", PUBLIC),
    ("get", lambda s: f"/api/v1/decisions/{s.draft.pk}", NOWHERE),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_api_role_matrix_oversight(oversight, role, method, url, expected):
    response = getattr(client_for(oversight.w.users[role]), method)(url(oversight))
    assert response.status_code == expected[ROLES.index(role)], response.content[:300]


def test_what_each_role_lists(oversight):
    """The lists are scoped as the pages are: how many items each role gets."""
    counts = {}
    for role in ROLES[1:]:
        client = client_for(oversight.w.users[role])
        counts[role] = tuple(
            client.get(f"/api/v1/{path}").json()["count"]
            for path in ("plans", "plan-targets", "inspections", "consumer-reports")
        )
    assert counts == {
        "coordinator": (1, 2, 2, 2),
        "commerce": (1, 2, 2, 2),
        "commune": (0, 1, 2, 0),
        "council": (0, 0, 0, 0),
        "producer": (0, 0, 1, 0),
        "outlet": (0, 0, 0, 0),
        "admin": (1, 2, 2, 2),
        "charlie": (0, 0, 0, 1),
    }
