import datetime as dt
from collections import Counter

from django.utils import timezone

from ocop.certificates.demo import build_certificates_demo
from ocop.evaluation.central_demo import build_central_demo
from ocop.evaluation.demo import build_evaluation_demo
from ocop.promotion.demo import build_promotion_demo
from ocop.promotion.models import Attendee, Booth, Event, Training
from ocop.registry.demo import build_demo


def test_the_demo_has_four_events_with_booths_and_outcomes(db):
    build_demo(producers=30)
    today = timezone.localdate()
    build_evaluation_demo(today=today)
    build_central_demo(today=today)
    build_certificates_demo(today=today)
    assert build_promotion_demo(today=today) == 4
    kinds = Counter(Event.objects.values_list("kind", flat=True))
    assert kinds == {"fair": 1, "exhibition": 1, "livestream": 1, "online_market": 1}
    assert Booth.objects.filter(ocop=False).count() == 2
    assert Booth.objects.filter(ocop=True, revenue__gt=0).count() == Booth.objects.filter(ocop=True).count() > 0
    assert (Training.objects.count(), Attendee.objects.count()) == (2, 7)
    # Placed relative to the day it runs: the events of the last four months, the trainings of the last seven.
    days = dt.timedelta(days=1)
    assert sorted((e.kind, (e.starts_on - today) // days, (e.ends_on - e.starts_on) // days)
                  for e in Event.objects.all()) == [
        ("exhibition", -120, 3), ("fair", -60, 4), ("livestream", -14, 0), ("online_market", -30, 6)]  # fmt: skip
    assert sorted((t.starts_on - today) // days for t in Training.objects.all()) == [-200, -45]
    assert build_promotion_demo(today=today) == 0  # a second run adds nothing
