import datetime as dt
from collections import Counter

from django.utils import timezone

from ocop.accounts.models import User
from ocop.certificates import log, queries
from ocop.certificates.demo import build_certificates_demo
from ocop.certificates.models import Certificate, Decision
from ocop.evaluation.central_demo import build_central_demo
from ocop.evaluation.demo import build_evaluation_demo
from ocop.registry.demo import build_demo
from ocop.testing import signing_keys


def test_the_demo_issues_decisions_with_certificates_in_every_status(db):
    build_demo(producers=30)
    signing_keys("01", "TW")  # as `ocop demo` makes them before the decisions
    today = timezone.localdate()
    build_evaluation_demo(today=today)
    assert build_central_demo(today=today) == 0  # the provincial demo has built both years' central rounds
    report = build_certificates_demo(today=today)
    assert (report.decisions, report.certificates) == (6, 11)
    assert Counter(Decision.objects.values_list("level", "legal_basis")) == {
        ("province", "148+1489"): 2,
        ("province", "148"): 2,
        ("ministry", "148+1489"): 1,
        ("district", "148"): 1,
    }
    statuses = Counter(queries.with_status(Certificate.objects.all()).values_list("reader_status", flat=True))
    assert statuses == {"valid": 5, "expiring": 3, "expired": 1, "suspended": 1, "revoked": 1}
    assert sorted(Certificate.objects.values_list("stars", flat=True)) == [3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 5]
    assert log.verify() == []
    # The district's committee recognised, before July 2025, only products of communes then in Gia Lâm district.
    district = Decision.objects.get(level="district")
    assert (district.issuing_body, district.legacy_district.short_name) == ("Ủy ban nhân dân huyện Gia Lâm", "Gia Lâm")
    assert district.signed_on <= dt.date(2025, 6, 30)
    assert set(district.certificates.values_list("product__legacy_commune__district__short_name", flat=True)) == {
        "Gia Lâm"}  # fmt: skip
    # Last year's round: the city's decision of 20 November; the ministry's 5 stars in December.
    city = Decision.objects.get(round__year=today.year - 1, level="province")
    assert (city.signed_on, city.certificates.count()) == (dt.date(today.year - 1, 11, 20), 2)
    this_year = Decision.objects.get(round__year=today.year, level="province")
    assert (this_year.signed_on, this_year.certificates.count()) == (today - dt.timedelta(days=30), 1)
    five = Certificate.objects.select_related("decision__province", "province").get(stars=5)
    assert (five.number, five.series, five.province.code, five.decision.province.code, five.key_id[:2]) == (
        f"TW-{today.year - 1}-00001", "TW", "01", "TW", "TW")  # fmt: skip
    assert (five.decision.issuing_body, five.item.result.dossier.round.level) == (
        "Bộ Nông nghiệp và Môi trường", "central")  # fmt: skip
    assert build_certificates_demo(today=today).certificates == 0  # a second run adds nothing
    assert build_central_demo(today=today) == 0


def test_the_demo_enters_a_page_of_recognition_history_and_leaves_work_for_the_commune(db):
    from ocop.certificates.demo import build_history_demo
    from ocop.registry.demo import build_import_demo
    from ocop.registry.models import ParkedRow
    from ocop.registry.parking import parked_rows_visible_to

    build_demo(producers=30)
    assert build_history_demo() == "7 rows read, 5 added, 0 already there, 2 rows set aside for review"
    assert build_history_demo() == "7 rows read, 0 added, 5 already there, 2 rows set aside for review"
    assert build_import_demo() == "1 row read, 0 added, 0 already there, 1 row set aside for review"
    assert build_import_demo() == "1 row read, 0 added, 0 already there, 1 row set aside for review"
    assert sorted(ParkedRow.objects.values_list("kind", "row", "reason")) == [
        ("history", 5, "place"), ("history", 8, "error"), ("producers", 2, "place")
    ]  # fmt: skip
    commune = User.objects.get(username="commune")
    # The recognition list's rows are the office's; the producers row of a divided commune is Bát Tràng's to place.
    assert [(r.kind, r.row) for r in parked_rows_visible_to(commune)] == [("producers", 2)]
    assert Certificate.objects.filter(decision__historical=True, series="LS").count() == 5
    assert log.verify() == []
