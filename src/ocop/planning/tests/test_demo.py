import datetime as dt

from ocop.certificates.demo import build_certificates_demo
from ocop.evaluation.central_demo import build_central_demo
from ocop.evaluation.demo import build_evaluation_demo
from ocop.planning.demo import build_planning_demo
from ocop.planning.indicators import league
from ocop.planning.models import Plan, Target
from ocop.registry.demo import build_demo


def test_the_demo_has_hanois_plans_of_last_year_and_this_year(db):
    build_demo(producers=30)
    today = dt.date(2026, 11, 29)
    build_evaluation_demo(today=today)
    build_central_demo(today=today)
    build_certificates_demo(today=today)
    assert build_planning_demo(today=today) == 2
    assert list(Plan.objects.order_by("year").values_list("year", "number", "signed_on")) == [
        (2025, "35/KH-UBND", dt.date(2025, 2, 10)),
        (2026, "28/KH-UBND", dt.date(2026, 1, 22)),
    ]
    plan = Plan.objects.get(year=2025)
    assert Target.objects.get(plan=plan, indicator="rated_3_stars", commune__isnull=True).value == 400
    assert 1 <= Target.objects.filter(plan=plan, commune__isnull=False).count() <= 3
    # This year's commune targets are where the certificates are: each commune shows progress.
    rows = league(Plan.objects.get(year=2026))
    assert rows
    assert all(0 < row.percent < 100 for row in rows)
    assert build_planning_demo(today=today) == 0  # a second run adds nothing
    assert build_planning_demo(today=dt.date(2027, 1, 12)) == 1  # a new year: its plan, signed no later than today
    assert Plan.objects.get(year=2027).signed_on == dt.date(2027, 1, 12)
