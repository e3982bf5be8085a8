from ocop.places.models import Commune, LegacyCommune
from ocop.places.resolver import PlaceResolver, name_key


def test_name_key_drops_unit_prefix():
    assert name_key("Huyện Ba Vì") == name_key("ba vi") == "ba vi"
    assert name_key("Thành phố Hà Nội") == "ha noi"


def test_current_commune_by_name(db):
    match = PlaceResolver().resolve(province="Hà Nội", commune="xã Bát Tràng")
    assert match.commune_id == Commune.objects.get(province__code="01", short_name="Bát Tràng").pk
    assert match.legacy_commune_id is None


def test_legacy_address_converts_to_todays_commune(db):
    match = PlaceResolver().resolve(province="Hà Nội", commune="Tản Lĩnh", district="Huyện Ba Vì")
    legacy = LegacyCommune.objects.get(pk=match.legacy_commune_id)
    assert (legacy.name, legacy.district.name) == ("Xã Tản Lĩnh", "Huyện Ba Vì")
    assert Commune.objects.get(pk=match.commune_id).name == "Xã Suối Hai"


def test_split_commune_lists_every_candidate(db):
    match = PlaceResolver().resolve(province="Hà Nội", commune="Bát Tràng", district="Gia Lâm")
    assert match.needs_choice
    assert match.candidates == [
        (Commune.objects.get(province__code="01", name="Xã Bát Tràng").pk, "Xã Bát Tràng", True),
        (Commune.objects.get(province__code="01", name="Phường Long Biên").pk, "Phường Long Biên", False),
        (Commune.objects.get(province__code="01", name="Xã Gia Lâm").pk, "Xã Gia Lâm", False),
    ]


def test_old_province_name_is_understood(db):
    # Hà Giang merged into Tuyên Quang; its Quang Trung ward was split in two.
    match = PlaceResolver().resolve(
        province="Tỉnh Hà Giang", commune="Phường Quang Trung", district="Thành phố Hà Giang"
    )
    assert match.error is None
    assert [(name, suggested) for _pk, name, suggested in match.candidates] == [
        ("Phường Hà Giang 2", True),
        ("Phường Hà Giang 1", False),
    ]
    assert {Commune.objects.get(pk=pk).province.name for pk, _n, _s in match.candidates} == {"Tỉnh Tuyên Quang"}


def test_unknown_names_give_messages_naming_the_column(db):
    resolver = PlaceResolver()
    assert (
        resolver.resolve(province="Xứ Sở", commune="A").column,
        resolver.resolve(province="Xứ Sở", commune="A").error,
    ) == (
        "province",
        "Tỉnh/thành phố “Xứ Sở” không có trong danh mục.",
    )
    bad = resolver.resolve(province="Hà Nội", commune="Không Có")
    assert bad.column == "commune"
