import datetime as dt

from ocop.certificates.demo import build_certificates_demo
from ocop.evaluation.central_demo import build_central_demo
from ocop.evaluation.demo import build_evaluation_demo
from ocop.planning.demo import build_planning_demo
from ocop.planning.models import Plan, Target
from ocop.registry.demo import build_demo


def test_the_demo_has_hanois_2024_and_2025_plans(db):
    build_demo(producers=30)
    today = dt.date(2026, 11, 29)
    build_evaluation_demo(today=today)
    build_central_demo(today=today)
    build_certificates_demo(today=today)
    assert build_planning_demo(today=today) == 2
    assert list(Plan.objects.order_by("year").values_list("year", "number")) == [
        (2024, "21/KH-UBND"),
        (2025, "35/KH-UBND"),
    ]
    plan = Plan.objects.get(year=2024)
    assert Target.objects.get(plan=plan, indicator="rated_3_stars", commune__isnull=True).value == 400
    assert Target.objects.filter(plan=plan, commune__isnull=False).count() == 3
    assert build_planning_demo(today=today) == 0  # a second run adds nothing
