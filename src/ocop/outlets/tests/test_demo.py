import datetime as dt
from collections import Counter

from django.db.models import F
from django.utils import timezone

from ocop.certificates.demo import build_certificates_demo
from ocop.evaluation.central_demo import build_central_demo
from ocop.evaluation.demo import build_evaluation_demo
from ocop.outlets import queries
from ocop.outlets.demo import build_outlets_demo
from ocop.outlets.models import Assessment, Outlet, SalesRecord
from ocop.registry.demo import build_demo
from ocop.testing import signing_keys


def test_the_demo_has_outlets_centres_shelves_sales_and_events(db):
    build_demo(producers=30)
    signing_keys("01", "TW")  # as `ocop demo` makes them before the decisions
    today = timezone.localdate()
    build_evaluation_demo(today=today)
    build_central_demo(today=today)
    build_certificates_demo(today=today)
    report = build_outlets_demo(today=today)
    assert (report.outlets, report.recognised) == (25, 22)
    assert Counter(Outlet.objects.values_list("kind", "status")) == {
        ("sales_point", "recognised"): 18,
        ("sales_point", "proposed"): 2,
        ("other", "recognised"): 2,
        ("design_centre", "recognised"): 2,
        ("design_centre", "proposed"): 1,
    }
    failed = Assessment.objects.get(passed=False)
    assert (failed.outlet.name, failed.checklist.code) == ("Trung tâm thiết kế sáng tạo mây tre Phú Nghĩa", "6385-2023")
    assert failed.lines.get(item__code="1.1").met is False
    assert Outlet.objects.filter(commune__province__code="01").count() == 25
    assert len(queries.locate(queries.Locator())) == 22
    # 25 months of sales up to last month, enough for every chart; the demo operator's outlet owes last month's.
    months = list(SalesRecord.objects.order_by("month").values_list("month", flat=True).distinct())
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert (len(months), months[-1]) == (25, last_month)
    assert report.sales_rows == SalesRecord.objects.count() > 0
    own = Outlet.objects.filter(operator__members__user__username="outlet").order_by("id").first()
    assert own is not None and not SalesRecord.objects.filter(outlet=own, month=last_month).exists()
    # Each product sold only once it was on the shelf, never before its certificate.
    early = SalesRecord.objects.filter(month__lt=F("product__certificates__issued_on") - dt.timedelta(days=31))
    assert not early.filter(product__certificates__status="valid").exists()
    assert build_outlets_demo(today=today).outlets == 0  # a second run adds nothing
