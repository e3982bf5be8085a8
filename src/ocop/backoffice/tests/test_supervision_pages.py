"""Inspections, statistics, periodic reports and notifications: role × action, bad input on the page, flat query
counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.accounts.models import Notification
from ocop.certificates import services as certificates
from ocop.conftest import ROLES, check_role_case, client_for
from ocop.outlets.tests.conftest import OUTLET_DAY, certify, outlet_scene_of, recognised
from ocop.reporting.models import ReportRun
from ocop.supervision import services
from ocop.supervision.enums import CheckArea, CheckResult
from ocop.supervision.models import Finding, Inspection, InspectionPlan, Sanction
from ocop.testing import make_product, province

L = "login"


def _checks(**posted):
    data = {"done_on": "2026-11-29"} | {f"result_{a}": CheckResult.OK for a in CheckArea}
    return data | posted


@pytest.fixture(scope="module")
def inspected_once(once, world_once):
    with once.building(at=OUTLET_DAY):
        return _inspect(outlet_scene_of(world_once))


@pytest.fixture
def inspected(inspected_once, fresh):
    """Built once for the module; each test has its own copy, in a savepoint (conftest.Once)."""
    return fresh(inspected_once)


def _inspect(w):
    coordinator = w.users["coordinator"]
    w.planned = services.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 11, 29),
                                  producer=w.producer)  # fmt: skip
    w.done = services.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 11, 20),
                               product=w.product)  # fmt: skip
    services.record(
        by=coordinator, inspection=w.done, done_on=dt.date(2026, 11, 20),
        checks={a: (CheckResult.FINDING if a == CheckArea.LABELS else CheckResult.OK, "") for a in CheckArea},
        findings={"labels": services.FindingInput("Nhãn thiếu hạn dùng", "minor", dt.date(2026, 12, 20))},
    )  # fmt: skip
    w.finding = w.done.findings.get()
    return w


CASES = [
    ("inspection_list", lambda w: {}, "get", None, [L, 200, 200, 200, 200, 200, 200, 200, 200], None),
    (
        "inspection_plan_create",
        lambda w: {},
        "post",
        lambda w: {"title": "Kiểm tra quý IV", "starts_on": "2026-10-01", "ends_on": "2026-12-31"},
        [L, 302, 403, 403, 403, 403, 403, 302, 302],  # charlie plans in his own province
        lambda w: InspectionPlan.objects.filter(title="Kiểm tra quý IV").exists(),
    ),
    (
        "inspection_schedule",
        lambda w: {},
        "post",
        lambda w: {"producer": str(w.producer.pk), "planned_on": "2026-12-02"},
        [L, 302, 403, 403, 403, 403, 403, 302, 400],  # charlie: the producer is in another province
        lambda w: Inspection.objects.filter(planned_on=dt.date(2026, 12, 2)).exists(),
    ),
    (
        "inspection_detail",
        lambda w: {"pk": w.done.pk},
        "get",
        None,
        [L, 200, 200, 200, 404, 200, 404, 200, 404],
        None,
    ),
    (
        "inspection_record",
        lambda w: {"pk": w.planned.pk},
        "post",
        lambda w: _checks(),
        [L, 302, 403, 302, 404, 404, 404, 302, 404],  # the commune's officer records in their commune
        lambda w: Inspection.objects.get(pk=w.planned.pk).state == "done",
    ),
    (
        "sanction_add",
        lambda w: {"pk": w.done.pk},
        "post",
        lambda w: {"kind": "warning", "reason": "Nhắc nhở"},
        [L, 302, 403, 403, 404, 403, 404, 302, 404],
        lambda w: Sanction.objects.exists(),
    ),
    (
        "finding_fix",
        lambda w: {"pk": w.done.pk, "finding_pk": w.finding.pk},
        "post",
        lambda w: {"fixed_on": "2026-11-28"},
        [L, 302, 403, 302, 404, 403, 404, 302, 404],
        lambda w: Finding.objects.get(pk=w.finding.pk).state == "fixed",
    ),
    ("statistics", lambda w: {}, "get", None, [L, 200, 200, 200, 403, 403, 403, 200, 200], None),
    (
        "periodic_report_start",
        lambda w: {},
        "post",
        lambda w: {"starts_on": "2026-01-01", "ends_on": "2026-12-31"},
        [L, 302, 302, 302, 403, 403, 403, 302, 302],
        lambda w: ReportRun.objects.exists(),
    ),
    ("notification_list", lambda w: {}, "get", None, [L, 200, 200, 200, 200, 200, 200, 200, 200], None),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES]
)
def test_supervision_role_matrix(inspected, role, name, kwargs, method, data, expected, effect):
    check_role_case(inspected, inspected.users[role], role, name, kwargs, method, data, expected, effect)


def test_an_inspection_without_a_checklist_result_is_refused_on_the_page(inspected):
    client = client_for(inspected.users["coordinator"])
    data = _checks() | {"result_food_safety": "", "result_labels": CheckResult.FINDING}
    response = client.post(reverse("backoffice:inspection_record", args=[inspected.planned.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<p class="field-error" id="err-result_food_safety">An toàn thực phẩm: hãy chọn đạt, chưa đạt hoặc không áp dụng.'
        in page
    )
    assert "Nhãn, bao bì và quy cách đóng gói: hãy mô tả nội dung chưa đạt." in page
    assert 'value="finding" checked' in page  # what was typed comes back
    assert Inspection.objects.get(pk=inspected.planned.pk).state == "planned"


def test_a_sanction_on_a_revoked_certificate_is_refused_on_the_page(inspected):
    coordinator = inspected.users["coordinator"]
    certificates.revoke(by=coordinator, certificate=inspected.cert, decision_number="1/QĐ",
                        revoked_on=dt.date(2026, 11, 29), reason="Ngừng sản xuất")  # fmt: skip
    client = client_for(coordinator)
    response = client.post(
        reverse("backoffice:sanction_add", args=[inspected.done.pk]),
        {"kind": "suspension", "certificate": str(inspected.cert.pk), "reason": "Vi phạm"},
    )
    assert response.status_code == 400
    assert f"Giấy chứng nhận {inspected.cert.number} đã bị thu hồi: không thể áp dụng xử lý nào." in (
        response.content.decode())  # fmt: skip
    assert Sanction.objects.count() == 0


def test_a_report_period_that_ends_before_it_starts_is_refused_on_the_page(inspected):
    client = client_for(inspected.users["coordinator"])
    response = client.post(reverse("backoffice:periodic_report_start"), {"starts_on": "2026-12-31",
                                                                        "ends_on": "2026-01-01"})  # fmt: skip
    assert response.status_code == 400
    assert "Kỳ báo cáo không thể kết thúc trước khi bắt đầu." in response.content.decode()
    assert ReportRun.objects.count() == 0


def test_opening_a_notice_marks_it_read_and_leads_to_its_page(inspected):
    user = inspected.users["producer"]
    Notification.objects.create(user=user, key="x", title="Giấy chứng nhận sắp hết hạn", target="document", target_id=7)
    notice = Notification.objects.get(key="x")
    client = client_for(user)
    page = client.get(reverse("backoffice:notification_list")).content.decode()
    assert "Giấy chứng nhận sắp hết hạn" in page and "mới" in page
    open_url = reverse("backoffice:notification_open", args=[notice.pk])
    assert f'action="{open_url}"' in page
    # Looking at the list (a link checker, a prefetch) marks nothing read; opening the notice does.
    assert Notification.objects.get(key="x").read_at is None
    response = client.post(open_url)
    assert (response.status_code, response["Location"]) == (302, "/bo/documents/7/")
    assert Notification.objects.get(key="x").read_at is not None


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_supervision_pages_count_flat(inspected):
    client = client_for(inspected.users["coordinator"])
    urls = [
        reverse("backoffice:inspection_list"),
        reverse("backoffice:inspection_detail", args=[inspected.done.pk]),
        reverse("backoffice:statistics"),
        reverse("backoffice:report_list"),
        reverse("backoffice:notification_list"),
    ]
    for url in urls:
        client.get(url)
    before = [_count(client, url) for url in urls]
    coordinator = inspected.users["coordinator"]
    for name in ("Gốm men ngọc", "Gốm men rạn", "Gốm men lam"):
        product = make_product(producer=inspected.producer, name=name)
        certify(coordinator, product, on=dt.date(2026, 3, 1))
        more = services.schedule(by=coordinator, province=province(), planned_on=dt.date(2026, 11, 1), product=product)
        services.record(by=coordinator, inspection=more, done_on=dt.date(2026, 11, 1),
                        checks=dict.fromkeys(CheckArea, (CheckResult.OK, "")), findings={})  # fmt: skip
    recognised(inspected)
    assert [_count(client, url) for url in urls] == before
    # statistics: session, user, scope, province, generation, snapshot, menu, the central level's row and whether the
    # reader may see the whole country (the national dashboard's link)
    assert before == [13, 10, 9, 5, 6]
