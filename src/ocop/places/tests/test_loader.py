from django.db.models import Count

from ocop.places.loader import load_places
from ocop.places.models import (
    Commune,
    CommuneKind,
    CommuneSuccession,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)


def test_structure_since_july_2025(db):
    assert Province.objects.filter(central=False).count() == 34
    # ...and the central level, the ministry's issuing body, which is not a province.
    assert list(Province.objects.filter(central=True).values_list("code", "name")) == [
        ("TW", "Bộ Nông nghiệp và Môi trường")
    ]
    assert Commune.objects.count() == 3321
    assert Commune.objects.filter(province__code="01").count() == 126
    kinds = dict(Commune.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds == {CommuneKind.COMMUNE: 2621, CommuneKind.WARD: 687, CommuneKind.SPECIAL_ZONE: 13}
    hanoi = dict(Commune.objects.filter(province__code="01").values_list("kind").annotate(n=Count("id")))
    assert hanoi == {CommuneKind.COMMUNE: 75, CommuneKind.WARD: 51}


def test_legacy_structure_and_mapping(db):
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696
    assert LegacyCommune.objects.count() == 10040
    # Every former unit maps to at least one commune of today.
    assert LegacyCommune.objects.filter(successions__isnull=True).count() == 0
    split = LegacyCommune.objects.annotate(n=Count("successions")).filter(n__gt=1)
    assert split.count() == 471
    # A split commune has exactly one suggested successor.
    assert split.filter(successions__is_default=True).count() == 471
    assert CommuneSuccession.objects.count() == 10602
    ha_tay = LegacyProvince.objects.filter(successor__code="01")
    assert list(ha_tay.values_list("name", flat=True)) == ["Thành phố Hà Nội"]


def test_running_twice_changes_nothing_and_keeps_edited_names(db):
    commune = Commune.objects.get(code="00097")
    commune.name = "Phường Hồng Hà (đã sửa)"
    commune.save()
    report = load_places()
    assert report.total == 0
    assert Commune.objects.get(code="00097").name == "Phường Hồng Hà (đã sửa)"
    assert Commune.objects.count() == 3321
