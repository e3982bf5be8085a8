import datetime as dt

from ocop.certificates.demo import build_certificates_demo
from ocop.certificates.enums import Status
from ocop.certificates.models import ConsumerReport
from ocop.evaluation.central_demo import build_central_demo
from ocop.evaluation.demo import build_evaluation_demo
from ocop.registry.demo import build_demo
from ocop.supervision.demo import build_supervision_demo
from ocop.supervision.models import Finding, Inspection, InspectionPlan, Sanction


def test_the_demo_has_inspections_with_findings_a_suspension_and_consumer_reports(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    build_demo(producers=30)
    today = dt.date(2026, 11, 29)
    build_evaluation_demo(today=today)
    build_central_demo(today=today)
    build_certificates_demo(today=today)
    assert build_supervision_demo(today=today) == 4
    assert InspectionPlan.objects.get().title == "Kế hoạch kiểm tra, giám sát sản phẩm OCOP năm 2026"
    assert sorted(Inspection.objects.values_list("state", flat=True)) == ["done", "done", "done", "planned"]
    assert sorted(Finding.objects.values_list("area", "severity", "state")) == [
        ("food_safety", "serious", "escalated"), ("labels", "minor", "fixed")]  # fmt: skip
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.certificate.status) == ("suspension", Status.SUSPENDED)
    assert sorted(ConsumerReport.objects.values_list("kind", "handled")) == [
        ("expired", False), ("fake", False), ("other", True)]  # fmt: skip
    assert Inspection.objects.get(state="planned").report.kind == "other"
    assert build_supervision_demo(today=today) == 0  # a second run adds nothing
