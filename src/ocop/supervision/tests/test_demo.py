import datetime as dt

from ocop.certificates.demo import build_certificates_demo
from ocop.certificates.enums import Status
from ocop.certificates.models import ConsumerReport
from ocop.evaluation.central_demo import build_central_demo
from ocop.evaluation.demo import build_evaluation_demo
from ocop.outlets.demo import build_outlets_demo
from ocop.outlets.models import RemovalTask
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
    build_outlets_demo(today=today)
    assert build_supervision_demo(today=today) == 6
    assert InspectionPlan.objects.get().title == "Kế hoạch kiểm tra, giám sát sản phẩm OCOP năm 2026"
    assert sorted(Inspection.objects.values_list("state", "planned_on")) == [
        ("done", today - dt.timedelta(days=65)), ("done", today - dt.timedelta(days=50)),
        ("done", today - dt.timedelta(days=35)), ("done", today - dt.timedelta(days=20)),
        ("planned", today + dt.timedelta(days=3)), ("planned", today + dt.timedelta(days=7))]  # fmt: skip
    assert sorted(Finding.objects.values_list("area", "severity", "state", "fix_by")) == [
        ("food_safety", "serious", "escalated", today - dt.timedelta(days=5)),
        ("labels", "minor", "fixed", today - dt.timedelta(days=20)),
        ("labels", "minor", "open", today - dt.timedelta(days=13)),  # past its deadline
    ]  # fmt: skip
    # The suspended product was on the demo operator's shelf: a removal task waits there.
    tasks = RemovalTask.objects.filter(outlet__operator__members__user__username="outlet", done_at__isnull=True)
    assert set(tasks.values_list("product_id", flat=True)) == {Sanction.objects.get().certificate.product_id}
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.certificate.status) == ("suspension", Status.SUSPENDED)
    assert sorted(ConsumerReport.objects.values_list("kind", "handled")) == [
        ("expired", False), ("fake", False), ("other", True)]  # fmt: skip
    assert Inspection.objects.get(state="planned", report__isnull=False).report.kind == "other"
    assert build_supervision_demo(today=today) == 0  # a second run adds nothing
