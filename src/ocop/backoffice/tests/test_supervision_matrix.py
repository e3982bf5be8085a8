"""Role × action for supervision: inspection plans, scheduling, the checklist, photos, findings and sanctions, for
each role and the outsider charlie (another province's coordinator); then the pages that are the inspector's, for
an inspector of the province and one of another province (the inspector is not in ROLES)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.accounts.models import Role
from ocop.certificates import reports
from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate, ConsumerReport
from ocop.conftest import ROLES, Once, World, check_role_case
from ocop.outlets.tests.conftest import certify
from ocop.supervision import services
from ocop.supervision.enums import CheckArea, CheckResult, FindingState, InspectionState
from ocop.supervision.models import Finding, Inspection, InspectionPhoto, InspectionPlan, Sanction
from ocop.testing import PNG_BYTES, make_user, province

L = "login"


@dataclass
class Sv:
    w: World
    inspector: Any  # an inspector of the province (Hà Nội)
    stranger: Any  # an inspector of another province (Hải Phòng)
    cert: Certificate  # the world's product's
    planned: Inspection  # of the world's producer, not yet done
    done: Inspection  # of the world's producer, recorded with an open finding on the labels
    finding: Finding
    photo: InspectionPhoto
    report: ConsumerReport  # a consumer's report on the certificate


@pytest.fixture(scope="module")
def sv_once(once: Once, world_once: World) -> Sv:
    world = world_once
    with once.building(at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        coordinator = world.users["coordinator"]
        inspector = make_user(Role.INSPECTOR, username="inspector")
        stranger = make_user(Role.INSPECTOR, username="stranger", province_code="31")
        cert = certify(coordinator, world.product)
        planned = services.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 3, 9),
                                    producer=world.producer, inspector=inspector)  # fmt: skip
        done = services.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 3, 2),
                                 producer=world.producer, inspector=inspector)  # fmt: skip
        checks: dict[str, tuple[str, str]] = {
            a: (CheckResult.FINDING if a == CheckArea.LABELS else CheckResult.OK, "") for a in CheckArea
        }
        services.record(by=inspector, inspection=done, done_on=dt.date(2026, 3, 2), checks=checks,
                        findings={CheckArea.LABELS: services.FindingInput("Nhãn thiếu hạn dùng", "minor",
                                                                           dt.date(2026, 4, 1))})  # fmt: skip
        photo = services.add_photo(by=inspector, inspection=done, upload=io.BytesIO(PNG_BYTES))
        report = reports.report_problem(code=cert.code, kind="fake", message="Nhãn in mờ", client="203.0.113.5")
        return Sv(world, inspector, stranger, cert, planned, done, done.findings.get(), photo, report)


@pytest.fixture
def sv(sv_once: Sv, fresh: Callable[[Sv], Sv]) -> Sv:
    """Built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(sv_once)


GET, POST = "get", "post"
ALL = [L, 200, 200, 200, 200, 200, 200, 200, 200]
DONE_READ = [L, 200, 200, 200, 404, 200, 404, 200, 404]  # the producer reads its inspection once done
RECORD = [L, 302, 403, 302, 404, 403, 404, 302, 404]  # the province's inspectors and the subject's commune officer
PLAN = [L, 302, 403, 403, 404, 403, 404, 302, 404]  # the province's inspectors and OCOP office
OWN_PROVINCE = [L, 302, 403, 403, 403, 403, 403, 302, 302]  # charlie plans in his own province

Case = tuple[
    str,
    Callable[[Sv], dict[str, Any]],
    str,
    Callable[[Sv], dict[str, Any]] | None,
    list[Any],
    Callable[[Sv], bool] | None,
]
DONE = lambda s: {"pk": s.done.pk}  # noqa: E731
PLANNED = lambda s: {"pk": s.planned.pk}  # noqa: E731
RECORDED = {"done_on": "02/03/2026", **{f"result_{a}": CheckResult.OK for a in CheckArea}}


def _recorded(s: Sv) -> dict[str, Any]:
    return dict(RECORDED)


def _photo(s: Sv) -> dict[str, Any]:
    return {"photo": io.BytesIO(PNG_BYTES), "caption": "Nhãn sản phẩm"}


CASES: list[Case] = [
    ("inspection_list", lambda s: {}, GET, None, ALL, None),
    (
        "inspection_plan_create",
        lambda s: {},
        POST,
        lambda s: {"title": "Kiểm tra quý II", "starts_on": "01/04/2026", "ends_on": "30/06/2026"},
        OWN_PROVINCE,
        lambda s: InspectionPlan.objects.filter(title="Kiểm tra quý II").exists(),
    ),
    (
        "inspection_schedule",
        lambda s: {},
        POST,
        lambda s: {"planned_on": "16/03/2026", "producer": s.w.producer.pk},
        [L, 302, 403, 403, 403, 403, 403, 302, 400],  # charlie: not a producer he can choose
        lambda s: Inspection.objects.filter(planned_on=dt.date(2026, 3, 16)).exists(),
    ),
    ("inspection_detail", DONE, GET, None, DONE_READ, None),
    ("inspection_record_pdf", DONE, GET, None, DONE_READ, None),  # the record: as the inspection is seen
    ("inspection_record_pdf", PLANNED, GET, None, [L, 404, 404, 404, 404, 404, 404, 404, 404], None),  # none yet
    ("inspection_detail", PLANNED, GET, None, [L, 200, 200, 200, 404, 404, 404, 200, 404], None),
    (
        "inspection_record",
        PLANNED,
        POST,
        _recorded,
        [L, 302, 403, 302, 404, 404, 404, 302, 404],
        lambda s: Inspection.objects.get(pk=s.planned.pk).state == InspectionState.DONE,
    ),
    (
        "inspection_photo_add",
        DONE,
        POST,
        _photo,
        RECORD,
        lambda s: InspectionPhoto.objects.filter(inspection=s.done).count() == 2,
    ),
    ("inspection_photo", lambda s: {"pk": s.done.pk, "photo_pk": s.photo.pk}, GET, None, DONE_READ, None),
    (
        "finding_fix",
        lambda s: {"pk": s.done.pk, "finding_pk": s.finding.pk},
        POST,
        lambda s: {"fixed_on": "02/03/2026", "note": "Đã in lại nhãn"},
        RECORD,
        lambda s: Finding.objects.get(pk=s.finding.pk).state == FindingState.FIXED,
    ),
    (
        "sanction_add",
        DONE,
        POST,
        lambda s: {"kind": "warning", "finding": s.finding.pk, "reason": "Nhãn thiếu hạn dùng"},
        PLAN,
        lambda s: Sanction.objects.filter(inspection=s.done, kind="warning").exists(),
    ),
    (
        "sanction_add",
        DONE,
        POST,
        lambda s: {"kind": "suspension", "certificate": s.cert.pk, "reason": "Tái phạm"},
        PLAN,
        lambda s: Certificate.objects.get(pk=s.cert.pk).status == Status.SUSPENDED,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_supervision_role_matrix(sv, role, name, kwargs, method, data, expected, effect):
    check_role_case(sv, sv.w.users[role], role, name, kwargs, method, data, expected, effect)


# The inspector's pages: (name, url kwargs, method, POST data, (inspector of the province, of another), effect).
INSPECTOR_CASES: list[tuple[str, Any, str, Any, tuple[Any, Any], Any]] = [
    ("inspection_list", lambda s: {}, GET, None, (200, 200), None),
    ("inspection_detail", PLANNED, GET, None, (200, 404), None),
    ("inspection_record_pdf", DONE, GET, None, (200, 404), None),
    (
        "inspection_record",
        PLANNED,
        POST,
        _recorded,
        (302, 404),
        lambda s: Inspection.objects.get(pk=s.planned.pk).state == InspectionState.DONE,
    ),
    (
        "inspection_photo_add",
        DONE,
        POST,
        _photo,
        (302, 404),
        lambda s: InspectionPhoto.objects.filter(inspection=s.done).count() == 2,
    ),
    ("inspection_photo", lambda s: {"pk": s.done.pk, "photo_pk": s.photo.pk}, GET, None, (200, 404), None),
    (
        "finding_fix",
        lambda s: {"pk": s.done.pk, "finding_pk": s.finding.pk},
        POST,
        lambda s: {"fixed_on": "02/03/2026"},
        (302, 404),
        lambda s: Finding.objects.get(pk=s.finding.pk).state == FindingState.FIXED,
    ),
    (
        "sanction_add",
        DONE,
        POST,
        lambda s: {"kind": "suspension", "certificate": s.cert.pk, "reason": "Tái phạm"},
        (302, 404),
        lambda s: Certificate.objects.get(pk=s.cert.pk).status == Status.SUSPENDED,
    ),
    (
        "inspection_schedule",
        lambda s: {},
        POST,
        lambda s: {"planned_on": "16/03/2026", "producer": s.w.producer.pk},
        (302, 400),  # the stranger plans in his own province, where the producer is not
        lambda s: Inspection.objects.filter(planned_on=dt.date(2026, 3, 16)).exists(),
    ),
    ("certificate_detail", lambda s: {"pk": s.cert.pk}, GET, None, (200, 404), None),
    (
        "certificate_action",
        lambda s: {"pk": s.cert.pk, "action": "suspend"},
        POST,
        lambda s: {"reason": "Nhãn sai quy cách"},
        (302, 404),  # inspectors suspend on a finding; lifting and revoking are the office's
        lambda s: Certificate.objects.get(pk=s.cert.pk).status == Status.SUSPENDED,
    ),
    (
        "certificate_action",
        lambda s: {"pk": s.cert.pk, "action": "revoke"},
        POST,
        lambda s: {"decision_number": "9/QĐ-UBND", "revoked_on": "01/03/2026", "reason": "Ngừng sản xuất"},
        (403, 404),
        lambda s: Certificate.objects.get(pk=s.cert.pk).status == Status.REVOKED,
    ),
    ("report_list", lambda s: {}, GET, None, (200, 200), None),
    (
        "report_handled",
        lambda s: {"pk": s.report.pk},
        POST,
        lambda s: {},
        (302, 404),
        lambda s: ConsumerReport.objects.get(pk=s.report.pk).handled,
    ),
    ("statistics", lambda s: {}, GET, None, (200, 200), None),  # each reads their own province
    ("plan_list", lambda s: {}, GET, None, (200, 200), None),
]


@pytest.mark.parametrize("who", ["inspector", "stranger"])
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    INSPECTOR_CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(INSPECTOR_CASES)],
)
def test_inspector_rows(sv, who, name, kwargs, method, data, expected, effect):
    want = expected[0 if who == "inspector" else 1]
    # The same check as the matrix's, for a user outside ROLES: every column holds this user's answer.
    check_role_case(sv, getattr(sv, who), ROLES[1], name, kwargs, method, data, [want] * len(ROLES), effect)
