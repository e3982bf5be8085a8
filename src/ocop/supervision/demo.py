"""The supervision part of `ocop demo`: Hà Nội's inspection plan for the year, inspections of producers holding valid
certificates (one in order, one with a label finding since fixed, one with a food-safety finding that led to the
certificate's suspension), consumers' reports from the scan page (one of them turned into a coming inspection).
Built through the real services; skipped when Hà Nội has inspections."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ocop.accounts.models import User
from ocop.certificates.enums import ReportKind, Status
from ocop.certificates.models import Certificate
from ocop.certificates.reports import client_key, report_problem
from ocop.places.models import Province
from ocop.supervision import services
from ocop.supervision.enums import CheckArea, CheckResult, SanctionKind, Severity
from ocop.supervision.models import Inspection

FindingInput = services.FindingInput


def _checks(findings: dict[CheckArea, str]) -> dict[str, tuple[str, str]]:
    return {a: ((CheckResult.FINDING, "") if a in findings else (CheckResult.OK, "")) for a in CheckArea}


@transaction.atomic
def build_supervision_demo(*, today: dt.date) -> int:
    """Returns how many inspections were added."""
    hanoi = Province.objects.get(code="01")
    if Inspection.objects.filter(province=hanoi).exists():
        return 0
    coordinator = User.objects.get(username="coordinator")
    inspector = User.objects.get(username="inspector")
    valid = list(
        Certificate.objects.filter(province=hanoi, status=Status.VALID, valid_until__gt=today + dt.timedelta(days=120))
        .select_related("product", "producer")
        .order_by("issued_on", "id")
    )
    subjects = list({c.producer_id: c for c in reversed(valid)}.values())[::-1][:4]  # each producer's first certificate
    if len(subjects) < 4:
        return 0
    first = today - dt.timedelta(days=75)
    plan = services.create_plan(
        by=coordinator, province=hanoi, title=f"Kế hoạch kiểm tra, giám sát sản phẩm OCOP năm {today.year}",
        starts_on=first, ends_on=today + dt.timedelta(days=60),
        team="Sở Nông nghiệp và Môi trường, Sở Công Thương, Sở Y tế, Công an thành phố",
    )  # fmt: skip
    cases = [
        ({}, None),
        ({CheckArea.LABELS: "Nhãn chưa ghi hạn sử dụng và mã truy xuất trên bao bì 500 g."}, Severity.MINOR),
        (
            {
                CheckArea.FOOD_SAFETY: "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đã hết hạn; khu sơ chế "
                "không tách biệt."
            },
            Severity.SERIOUS,
        ),
    ]
    made = 0
    for number, (cert, (findings, severity)) in enumerate(zip(subjects, cases, strict=False)):
        day = first + dt.timedelta(days=10 + 15 * number)
        inspection = services.schedule(
            by=coordinator, province=hanoi, planned_on=day, producer=cert.producer, product=cert.product, plan=plan,
            inspector=inspector, reasons=["never_inspected"],
        )  # fmt: skip
        services.record(
            by=inspector, inspection=inspection, done_on=day, checks=_checks(findings),
            findings={a: FindingInput(text, severity or Severity.MINOR, day + dt.timedelta(days=30))
                      for a, text in findings.items()},
            summary="Đoàn kiểm tra làm việc tại cơ sở sản xuất, xem hồ sơ và lấy ý kiến chủ thể.",
        )  # fmt: skip
        made += 1
        finding = inspection.findings.first()
        if severity == Severity.MINOR and finding is not None:
            services.fix_finding(by=inspector, finding=finding, fixed_on=day + dt.timedelta(days=20),
                                 note="Chủ thể đã in lại nhãn, gửi ảnh bao bì mới.")  # fmt: skip
        elif severity == Severity.SERIOUS and finding is not None:
            services.impose(
                by=inspector, inspection=inspection, kind=SanctionKind.SUSPENSION, certificate=cert, finding=finding,
                reason="Vi phạm điều kiện an toàn thực phẩm phát hiện khi kiểm tra; tạm dừng đến khi khắc phục.",
            )  # fmt: skip
    reported = subjects[3]
    reports = [
        report_problem(
            code=reported.code,
            kind=ReportKind.OTHER,
            message="Gói hàng mua tại chợ có vị lạ, bao bì in mờ.",
            place="Chợ Hà Đông",
            client=client_key("203.0.113.7"),
        )
    ]
    report_problem(code="XXXXXXXXXX", kind=ReportKind.FAKE, message="Tem OCOP không quét được mã.",
                   place="Cửa hàng ven đường Quốc lộ 32", client=client_key("203.0.113.8"))  # fmt: skip
    report_problem(code=subjects[0].code, kind=ReportKind.EXPIRED, message="", place="Siêu thị mini, phường Cầu Giấy",
                   client=client_key("203.0.113.9"))  # fmt: skip
    services.schedule(
        by=coordinator, province=hanoi, planned_on=today + dt.timedelta(days=7), producer=reported.producer,
        product=reported.product, plan=plan, inspector=inspector, report=reports[0], reasons=["reported"],
    )  # fmt: skip
    return made + 1
