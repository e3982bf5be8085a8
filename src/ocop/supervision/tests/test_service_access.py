"""Every supervision service checks the gateway itself: an outsider calling it directly is refused with nothing
written; a sanction names only a certificate of the inspected subject that the inspector sees; over-long values
are refused under their field, never cut."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.certificates import services as certificate_services
from ocop.certificates.enums import IssuingLevel, Status
from ocop.evaluation.testing import council_result
from ocop.supervision import services
from ocop.supervision.enums import CheckArea, CheckResult, FindingState
from ocop.supervision.models import CheckLine, Finding, Inspection, InspectionPlan, Sanction
from ocop.supervision.tests.conftest import all_ok, inspected, planned
from ocop.testing import commune, make_producer, make_product, province, signing_keys


def _certificate_of(coordinator, product, code="01"):
    signing_keys(code)  # the body's key, made as an administrator does (a body with one keeps it)
    decision = certificate_services.draft_decision(by=coordinator, province=province(code), level=IssuingLevel.PROVINCE)
    council_result(product, 3)
    certificate_services.add_item(by=coordinator, decision=decision, product=product, stars=3)
    (cert,) = certificate_services.issue_decision(
        by=coordinator, decision=decision, number=f"{decision.pk}/QĐ", signed_on=dt.date(2026, 2, 1)
    )
    return cert


@pytest.mark.parametrize("whose", ["another province", "another producer"])
def test_a_sanction_naming_a_certificate_of_another_subject_is_refused_and_nothing_is_written(team, whose):
    if whose == "another province":
        producer = make_producer(name="HTX Hải Phòng", commune=commune("Lê Chân", "31"))
        other = _certificate_of(team.office.charlie, make_product(producer=producer), "31")
    else:
        other = _certificate_of(team.office.coordinator, make_product(producer=make_producer(name="HTX Khác")))
    inspection = inspected(team, labels="Sai nhãn")
    for kind in ("warning", "suspension", "revocation_proposal"):
        with pytest.raises(ValidationError) as exc:
            services.impose(by=team.inspector, inspection=inspection, kind=kind, certificate=other, reason="Vi phạm")
        assert exc.value.message_dict == {
            "certificate": ["Giấy chứng nhận này không phải của sản phẩm, chủ thể hay điểm bán được kiểm tra."]
        }
    other.refresh_from_db()
    assert (Sanction.objects.count(), other.status, Finding.objects.get().state) == (0, Status.VALID, "open")


def test_an_outsider_calling_the_services_is_refused_and_nothing_is_written(team):
    inspection = inspected(team, labels="Sai nhãn")
    finding = inspection.findings.get()
    target = planned(team)
    stranger = team.stranger
    calls = [
        lambda: services.create_plan(
            by=stranger,
            province=province(),
            title="Kế hoạch",
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 3, 31),
        ),
        lambda: services.schedule(
            by=stranger, province=province(), planned_on=dt.date(2026, 3, 3), producer=team.office.producer
        ),
        lambda: services.record(
            by=stranger, inspection=target, done_on=dt.date(2026, 3, 2), checks=all_ok(), findings={}
        ),
        lambda: services.fix_finding(by=stranger, finding=finding, fixed_on=dt.date(2026, 3, 2)),
        lambda: services.impose(by=stranger, inspection=inspection, kind="warning", certificate=None, reason="x"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert (InspectionPlan.objects.count(), Inspection.objects.count(), Sanction.objects.count()) == (0, 2, 0)
    assert (Inspection.objects.get(pk=target.pk).state, Finding.objects.get().state) == ("planned", FindingState.OPEN)


def test_over_long_values_and_unknown_reasons_are_refused_under_their_field_and_nothing_is_written(team):
    with pytest.raises(ValidationError) as exc:
        services.create_plan(by=team.office.coordinator, province=province(), title="K" * 301,
                             starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31))  # fmt: skip
    assert exc.value.message_dict == {"title": ["Tên kế hoạch quá dài (tối đa 300 ký tự)."]}
    with pytest.raises(ValidationError) as exc:
        services.schedule(by=team.office.coordinator, province=province(), planned_on=dt.date(2026, 3, 3),
                          producer=team.office.producer, reasons=["reported", "x" * 300])  # fmt: skip
    assert exc.value.message_dict == {"reasons": ["Lý do chọn: hãy chọn trong danh sách."]}
    assert (InspectionPlan.objects.count(), Inspection.objects.count()) == (0, 0)
    inspection = planned(team)
    checks = all_ok() | {CheckArea.LABELS: (CheckResult.OK, "n" * 501)}
    with pytest.raises(ValidationError) as exc:
        services.record(by=team.inspector, inspection=inspection, done_on=dt.date(2026, 3, 2), checks=checks,
                        findings={})  # fmt: skip
    assert exc.value.message_dict == {
        "note_labels": ["Nhãn, bao bì và quy cách đóng gói: ghi chú quá dài (tối đa 500 ký tự)."]
    }
    assert (Inspection.objects.get(pk=inspection.pk).state, CheckLine.objects.count()) == ("planned", 0)
