"""Inspections end to end through the services: scheduling, the checklist, findings and their follow-up, sanctions
through the certificate services, consumers' reports, and bad input refused with nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ocop.accounts.links import link_to
from ocop.accounts.models import Notification, Role
from ocop.accounts.services import system_user
from ocop.certificates import services as certificate_services
from ocop.certificates.enums import ReportKind, Status
from ocop.certificates.queries import scan_row
from ocop.certificates.reports import client_key, report_problem
from ocop.registry import services as registry_services
from ocop.registry.models import Product
from ocop.supervision import access, services
from ocop.supervision.enums import CheckArea, CheckResult, FindingState, InspectionState, SanctionKind
from ocop.supervision.models import CheckLine, Finding, Inspection, Sanction
from ocop.supervision.tests.conftest import all_ok, inspected, planned
from ocop.testing import commune, make_producer, make_user, province


def test_an_inspection_is_scheduled_recorded_and_its_findings_reach_the_producer(team):
    owner = make_user(Role.PRODUCER, username="chuthe")
    registry_services.link_producer_account(producer=team.office.producer, user=owner, by=system_user())
    inspection = planned(team)
    assert (inspection.state, inspection.inspector, inspection.planned_on) == (
        InspectionState.PLANNED, team.inspector, dt.date(2026, 3, 2))  # fmt: skip
    assert list(Notification.objects.filter(user=team.inspector).values_list("title", flat=True)) == [
        "Kiểm tra ngày 02/03/2026: HTX Gốm Bát Tràng"
    ]
    services.record(
        by=team.inspector, inspection=inspection, done_on=dt.date(2026, 3, 2),
        checks=all_ok(labels="x") | {CheckArea.INTELLECTUAL_PROPERTY: (CheckResult.NOT_APPLICABLE, "chưa đăng ký")},
        findings={"labels": services.FindingInput("Nhãn thiếu hạn sử dụng", "minor", dt.date(2026, 4, 1))},
        summary="Làm việc tại xưởng",
    )  # fmt: skip
    inspection.refresh_from_db()
    assert (inspection.state, inspection.done_on, inspection.summary) == (
        "done",
        dt.date(2026, 3, 2),
        "Làm việc tại xưởng",
    )
    assert CheckLine.objects.filter(inspection=inspection).count() == 9
    assert dict(inspection.checks.values_list("area", "result"))["intellectual_property"] == "na"
    (finding,) = inspection.findings.all()
    assert (finding.area, finding.description, finding.severity, finding.fix_by, finding.state) == (
        "labels", "Nhãn thiếu hạn sử dụng", "minor", dt.date(2026, 4, 1), FindingState.OPEN)  # fmt: skip
    note = Notification.objects.get(user=owner)
    assert note.title == "Kiểm tra ngày 02/03/2026: 1 nội dung cần khắc phục"
    assert note.body == "Nhãn, bao bì và quy cách đóng gói: Nhãn thiếu hạn sử dụng (01/04/2026)"
    services.fix_finding(by=team.officer, finding=finding, fixed_on=dt.date(2026, 3, 2), note="Đã in lại nhãn")
    finding.refresh_from_db()
    assert (finding.state, finding.fixed_on, finding.follow_up) == ("fixed", dt.date(2026, 3, 2), "Đã in lại nhãn")


def test_an_inspection_without_a_checklist_result_is_refused_and_nothing_is_written(team):
    inspection = planned(team)
    checks = all_ok()
    del checks[CheckArea.FOOD_SAFETY]
    checks[CheckArea.LABELS] = ("", "")
    with pytest.raises(ValidationError) as exc:
        services.record(by=team.inspector, inspection=inspection, done_on=dt.date(2026, 3, 2), checks=checks,
                        findings={})  # fmt: skip
    assert exc.value.message_dict == {
        "result_food_safety": ["An toàn thực phẩm: hãy chọn đạt, chưa đạt hoặc không áp dụng."],
        "result_labels": ["Nhãn, bao bì và quy cách đóng gói: hãy chọn đạt, chưa đạt hoặc không áp dụng."],
    }
    inspection.refresh_from_db()
    assert (inspection.state, CheckLine.objects.count(), Finding.objects.count()) == ("planned", 0, 0)


def test_a_check_not_in_order_needs_its_finding_and_a_deadline(team):
    inspection = planned(team)
    with pytest.raises(ValidationError) as exc:
        services.record(
            by=team.inspector, inspection=inspection, done_on=dt.date(2026, 3, 2),
            checks=all_ok(labels="x", food_safety="y", traceability="z"),
            findings={"labels": services.FindingInput("", "minor", dt.date(2026, 4, 1)),
                      "food_safety": services.FindingInput("Bếp bẩn", "minor", dt.date(2026, 3, 1)),
                      "traceability": services.FindingInput("Không có mã", "huge", dt.date(2026, 4, 1))},
        )  # fmt: skip
    assert exc.value.message_dict == {
        "fix_by_food_safety": ["An toàn thực phẩm: hãy đặt thời hạn khắc phục, từ ngày kiểm tra trở đi."],
        "finding_labels": ["Nhãn, bao bì và quy cách đóng gói: hãy mô tả nội dung chưa đạt."],
        "severity_traceability": ["Mã truy xuất nguồn gốc (mã vạch, tem QR): hãy chọn mức độ."],
    }
    assert (Inspection.objects.get().state, CheckLine.objects.count()) == ("planned", 0)


def test_a_suspension_goes_through_the_certificate_services_and_the_scan_page_shows_it(team):
    inspection = inspected(team, food_safety="Giấy ATTP hết hạn")
    finding = inspection.findings.get()
    sanction = services.impose(
        by=team.inspector, inspection=inspection, kind=SanctionKind.SUSPENSION, certificate=team.cert,
        reason="Vi phạm an toàn thực phẩm", finding=finding,
    )  # fmt: skip
    team.cert.refresh_from_db()
    assert (team.cert.status, team.cert.status_reason) == (Status.SUSPENDED, "Vi phạm an toàn thực phẩm")
    assert scan_row(team.cert.code)["status"] == Status.SUSPENDED
    assert Product.objects.get(pk=team.office.product.pk).ocop_status == "suspended"
    assert (sanction.kind, sanction.decided_on, sanction.decided_by) == (
        "suspension",
        dt.date(2026, 3, 2),
        team.inspector,
    )
    assert Finding.objects.get().state == FindingState.ESCALATED


def test_a_sanction_on_a_revoked_certificate_is_refused_and_nothing_is_written(team):
    inspection = inspected(team, labels="Sai nhãn")
    certificate_services.revoke(
        by=team.office.coordinator, certificate=team.cert, decision_number="9/QĐ-UBND", revoked_on=dt.date(2026, 3, 1),
        reason="Ngừng sản xuất",
    )  # fmt: skip
    team.cert.refresh_from_db()
    for kind in SanctionKind.values:
        with pytest.raises(ValidationError) as exc:
            services.impose(by=team.inspector, inspection=inspection, kind=kind, certificate=team.cert, reason="x")
        assert exc.value.message_dict == {
            "certificate": [f"Giấy chứng nhận {team.cert.number} đã bị thu hồi: không thể áp dụng xử lý nào."]
        }
    assert Sanction.objects.count() == 0
    assert Finding.objects.get().state == FindingState.OPEN


def test_sanctions_need_a_recorded_inspection_a_kind_a_reason_and_the_producers_certificate(team):
    inspection = planned(team)
    other = make_producer(name="HTX Khác")
    with pytest.raises(ValidationError) as exc:
        services.impose(by=team.inspector, inspection=inspection, kind="fine", certificate=None, reason=" ")
    assert exc.value.message_dict == {
        "__all__": ["Hãy ghi nhận kết quả kiểm tra trước khi quyết định xử lý."],
        "kind": ["Hãy chọn hình thức xử lý."],
        "reason": ["Hãy nêu lý do xử lý."],
    }
    inspection = inspected(team)
    foreign = Inspection.objects.create(province=province(), producer=other, planned_on=dt.date(2026, 3, 2))
    with pytest.raises(ValidationError) as exc:
        services.impose(by=team.inspector, inspection=inspection, kind="suspension", certificate=None, reason="x",
                        finding=Finding(pk=999, inspection=foreign, fix_by=dt.date(2026, 4, 1)))  # fmt: skip
    assert exc.value.message_dict == {
        "certificate": ["Hãy chọn giấy chứng nhận bị xử lý."],
        "finding": ["Nội dung này thuộc một cuộc kiểm tra khác."],
    }
    warning = services.impose(by=team.inspector, inspection=inspection, kind="warning", certificate=None, reason="Nhắc")
    assert (warning.kind, warning.certificate) == ("warning", None)
    assert Status(team.cert.status) == Status.VALID


def test_a_proposal_to_revoke_reaches_the_office_and_leaves_the_certificate_valid(team):
    inspection = inspected(team, still_producing="Cơ sở đã ngừng sản xuất 6 tháng")
    services.impose(by=team.inspector, inspection=inspection, kind="revocation_proposal", certificate=team.cert,
                    reason="Ngừng sản xuất")  # fmt: skip
    team.cert.refresh_from_db()
    assert team.cert.status == Status.VALID
    note = Notification.objects.get(user=team.office.coordinator, key__startswith="sanction:")
    assert note.title == f"Đề nghị thu hồi giấy chứng nhận sau cuộc kiểm tra ngày 02/03/2026 ({team.cert.number})"
    assert (note.target, note.target_id) == ("certificate", team.cert.pk)
    assert link_to(note.target, note.target_id) == reverse("backoffice:certificate_detail", args=[team.cert.pk])


def test_a_consumer_report_becomes_an_inspection_and_leaves_the_triage_queue(team):
    report = report_problem(code=team.cert.code, kind=ReportKind.OTHER, message="Vị lạ", client=client_key("1.2.3.4"))
    inspection = services.schedule(
        by=team.office.coordinator, province=province(), planned_on=dt.date(2026, 3, 9), product=team.office.product,
        report=report, reasons=["reported"],
    )  # fmt: skip
    report.refresh_from_db()
    assert (report.handled, inspection.report, inspection.producer, inspection.reasons) == (
        True, report, team.office.producer, "reported")  # fmt: skip


def test_scheduling_refuses_a_missing_subject_day_and_a_foreign_inspector(team):
    with pytest.raises(ValidationError) as exc:
        services.schedule(by=team.office.coordinator, province=province(), planned_on=None, inspector=team.stranger)
    assert exc.value.message_dict == {
        "subject": ["Hãy chọn một chủ thể hoặc một điểm bán để kiểm tra."],
        "planned_on": ["Hãy nhập ngày kiểm tra."],
        "inspector": ["Người này không phải cán bộ kiểm tra của tỉnh hay cán bộ của xã."],
    }
    foreign = make_producer(name="HTX Hải Phòng", commune=commune("Lê Chân", "31"))
    with pytest.raises(ValidationError) as exc:
        services.schedule(by=team.office.coordinator, province=province(), planned_on=dt.date(2026, 3, 3),
                          producer=foreign)  # fmt: skip
    assert exc.value.message_dict == {"subject": ["Chủ thể hoặc điểm bán này thuộc tỉnh khác."]}
    assert Inspection.objects.count() == 0


def test_who_may_plan_record_and_see(team):
    inspection = inspected(team, labels="Sai nhãn")
    assert access.can_plan(team.inspector, inspection.province_id)
    assert not access.can_plan(team.officer, inspection.province_id)
    assert access.can_record(team.officer, inspection)
    assert not access.can_record(team.stranger, inspection)
    assert list(access.inspections_visible_to(team.stranger)) == []
    assert list(access.inspections_visible_to(team.officer)) == [inspection]
    with pytest.raises(PermissionDenied):
        services.impose(by=team.officer, inspection=inspection, kind="warning", certificate=None, reason="x")
    with pytest.raises(PermissionDenied):
        services.schedule(by=team.stranger, province=province(), planned_on=dt.date(2026, 3, 3),
                          producer=team.office.producer)  # fmt: skip
