"""The supervision part of `ocop demo`, relative to `today`: Hà Nội's inspection plan for the year, inspections of
producers holding valid certificates (one in order, one with a label finding since fixed, one with a food-safety
finding that led to the certificate's suspension, so the demo outlet operator must take the product off its shelf,
one with a label finding past its deadline), consumers' reports from the scan page (one of them turned into an
inspection due next week) and an inspection due in three days. Built through the real services; skipped when Hà Nội
has inspections."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ocop.accounts.models import Notification, User
from ocop.certificates.enums import LogEvent, ReportKind, Status
from ocop.certificates.models import Certificate
from ocop.certificates.reports import client_key, report_problem
from ocop.evaluation.demo_dates import at
from ocop.outlets.models import StockItem
from ocop.outlets.stock import react_to_certificates
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
        Certificate.objects.filter(province=hanoi, status=Status.VALID, valid_until__gt=today + dt.timedelta(days=20))
        .select_related("product", "producer")
        .order_by("issued_on", "id")
    )
    subjects = list({c.producer_id: c for c in reversed(valid)}.values())[::-1][:5]  # each producer's first certificate
    if len(subjects) < 5:
        return 0
    # The suspended product is one the demo operator's outlet stocks: a removal task waits there.
    shelf = set(
        StockItem.objects.filter(
            outlet__operator__members__user__username="outlet", removed_on__isnull=True
        ).values_list("product_id", flat=True)
    )
    on_shelf = next((c for c in subjects if c.product_id in shelf), None)
    if on_shelf is not None and subjects.index(on_shelf) != 2:
        subjects.remove(on_shelf)
        subjects.insert(2, on_shelf)
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
        (
            {CheckArea.LABELS: "Tem truy xuất nguồn gốc dán sai sản phẩm; chủ thể hẹn in lại trong một tuần."},
            Severity.MINOR,
        ),
    ]
    deadlines = [30, 30, 30, 7]  # days after the visit: the last finding is past its deadline, still open
    made = 0
    for number, (cert, (findings, severity), days) in enumerate(zip(subjects, cases, deadlines, strict=False)):
        day = first + dt.timedelta(days=10 + 15 * number)
        inspection = services.schedule(
            by=coordinator, province=hanoi, planned_on=day, producer=cert.producer, product=cert.product, plan=plan,
            inspector=inspector, reasons=["never_inspected"],
        )  # fmt: skip
        services.record(
            by=inspector, inspection=inspection, done_on=day, checks=_checks(findings),
            findings={a: FindingInput(text, severity or Severity.MINOR, day + dt.timedelta(days=days))
                      for a, text in findings.items()},
            summary="Đoàn kiểm tra làm việc tại cơ sở sản xuất, xem hồ sơ và lấy ý kiến chủ thể.",
        )  # fmt: skip
        made += 1
        finding = inspection.findings.first()
        if severity == Severity.MINOR and finding is not None and number == 1:
            services.fix_finding(by=inspector, finding=finding, fixed_on=day + dt.timedelta(days=20),
                                 note="Chủ thể đã in lại nhãn, gửi ảnh bao bì mới.")  # fmt: skip
        elif severity == Severity.SERIOUS and finding is not None:
            services.impose(
                by=inspector, inspection=inspection, kind=SanctionKind.SUSPENSION, certificate=cert, finding=finding,
                reason="Vi phạm điều kiện an toàn thực phẩm phát hiện khi kiểm tra; tạm dừng đến khi khắc phục.",
            )  # fmt: skip
            # The outlets react after the commit; the demo's own transaction asks them now (tasks are not doubled).
            react_to_certificates(certificate_ids=[cert.pk], event=LogEvent.SUSPENDED, today=today)
            # Suspended the day after the visit (the service dates it today): so say the certificate and notices.
            since = day + dt.timedelta(days=1)
            Certificate.objects.filter(pk=cert.pk).update(status_since=since)
            Notification.objects.filter(key__startswith=f"suspended:{cert.pk}:").update(created_at=at(since, 15))
    reported = subjects[4]
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
    services.schedule(
        by=coordinator, province=hanoi, planned_on=today + dt.timedelta(days=3), producer=subjects[3].producer,
        product=subjects[3].product, plan=plan, inspector=inspector, reasons=["past_findings"],
    )  # fmt: skip
    return made + 2
