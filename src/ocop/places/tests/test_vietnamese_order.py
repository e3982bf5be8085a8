"""Names sort in Vietnamese order (a ă â b c d đ e ê ...; tones second; case-insensitive), not by code point, in
Python (`vi_sort_key`) and in the database (`Collate(field, "vi")`: ICU on PostgreSQL, our function on SQLite)."""

from django.db import connection

from ocop.core.collation import vi
from ocop.core.text import place_sort_key, vi_sort_key
from ocop.places.models import Commune, Province


def test_the_sort_key_follows_the_vietnamese_alphabet_then_tones():
    words = ["Ấp", "bà", "An", "Đà", "Dê", "ba", "Ba", "ă", "bạ", "bá", "bã", "bả", "Ê", "Ễ", "Ea", "10", "1"]
    assert sorted(words, key=vi_sort_key) == [
        "1", "10", "An", "ă", "Ấp", "ba", "Ba", "bà", "bả", "bã", "bá", "bạ", "Dê", "Đà", "Ea", "Ê", "Ễ",
    ]  # fmt: skip
    assert sorted(["Thành phố Huế", "Tỉnh Đồng Nai", "Thành phố Hà Nội", "Tỉnh An Giang"], key=place_sort_key) == [
        "Tỉnh An Giang", "Tỉnh Đồng Nai", "Thành phố Hà Nội", "Thành phố Huế",
    ]  # fmt: skip


def test_the_database_sorts_provinces_in_vietnamese_order(db):
    names = list(Province.objects.filter(central=False).order_by(vi("short_name")).values_list("short_name", flat=True))
    assert names[:8] == ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Điện Biên"]
    assert names.index("Hà Nội") < names.index("Huế")
    for name in ("Đà Nẵng", "Điện Biên", "Đồng Nai"):
        assert names.index("Cà Mau") < names.index(name) < names.index("Gia Lai"), name
    assert names == sorted(names, key=vi_sort_key), connection.vendor


def test_the_database_and_the_sort_key_agree_on_every_commune_name(db):
    """ICU (PostgreSQL) and `vi_sort_key` (SQLite, Python) put the 3,321 communes in the same order."""
    names = list(Commune.objects.order_by(vi("short_name"), "code").values_list("short_name", flat=True))
    assert len(names) > 3000
    assert names == sorted(names, key=vi_sort_key), connection.vendor
