import unicodedata

import pytest
from django.utils import translation

from ocop.places.address import AddressParser, AddressStatus, Candidate
from ocop.places.models import Commune, LegacyCommune, LegacyDistrict, Province
from ocop.places.resolver import PlaceResolver

PHU_DONG = "xa phu dong, huyen gia lam, thanh pho ha noi"
BAT_TRANG = "xa bat trang, huyen gia lam, thanh pho ha noi"


@pytest.fixture
def parser(db):
    return AddressParser(default_province_id=Province.objects.get(code="01").pk)


def today(code):
    return Commune.objects.get(code=code)


def candidate(code, suggested):
    commune = today(code)
    return Candidate(commune_id=commune.pk, code=code, name=commune.name, suggested=suggested)


def former(name, district):
    return LegacyCommune.objects.get(name=name, district__name=district)


@pytest.mark.parametrize(
    "text",
    [
        "xã Phù Đổng, huyện Gia Lâm",
        "Phù Đổng - Gia Lâm - Hà Nội",
        "Phù Đổng – Gia Lâm – TP Hà Nội",
        "X. Phù Đổng; H. Gia Lâm; T.P Hà Nội",
        "x.Phù Đổng / h.Gia Lâm / Tp.Hà Nội",
        "Xã Phù Đổng, Huyện Gia Lâm, Thành phố Hà Nội, Việt Nam",
        "xã Phù Đổng huyện Gia Lâm thành phố Hà Nội",
        "xa Phu Dong, huyen Gia Lam, tp Ha Noi",
        "Phù Đổng, Gia Lâm, tỉnh Hà Tây",
        unicodedata.normalize("NFD", "Xã Phù Đổng - Huyện Gia Lâm - Thành phố Hà Nội"),
    ],
)
def test_former_commune_with_its_district_becomes_todays_commune(parser, text):
    address = parser.parse(text)
    assert (address.status, address.commune_id, address.province_id, address.words, address.street) == (
        AddressStatus.RESOLVED,
        today("00541").pk,  # Xã Phù Đổng
        Province.objects.get(code="01").pk,
        PHU_DONG,
        "",
    )
    assert address.legacy_commune_id == former("Xã Phù Đổng", "Huyện Gia Lâm").pk
    assert address.legacy_district_id == LegacyDistrict.objects.get(name="Huyện Gia Lâm").pk
    assert (address.candidates, address.message, address.unknown_name) == ([], "", "")


def test_what_precedes_the_commune_is_kept_as_the_street(parser):
    address = parser.parse("Thôn 3, xã Phù Đổng, huyện Gia Lâm, thành phố Hà Nội")
    assert (address.status, address.commune_id, address.street, address.words) == (
        AddressStatus.RESOLVED,
        today("00541").pk,
        "Thôn 3",
        PHU_DONG,
    )
    assert parser.parse("Số 12/3 ngõ 5, Thôn 3 xã Phù Đổng huyện Gia Lâm").street == "Số 12/3 ngõ 5, Thôn 3"


def test_the_2025_form_names_todays_commune(parser):
    address = parser.parse("xã Phù Đổng, TP Hà Nội")
    assert (address.status, address.commune_id, address.legacy_commune_id, address.legacy_district_id) == (
        AddressStatus.RESOLVED,
        today("00541").pk,
        None,
        None,
    )
    assert address.words == "xa phu dong, thanh pho ha noi"


@pytest.mark.parametrize(
    "text", ["TT Trâu Quỳ", "tt. Trâu Quỳ", "TT.Trâu Quỳ", "TTTrâu Quỳ", "Thị trấn Trâu Quỳ", "thi tran Trau Quy"]
)
def test_a_former_township_alone_is_found_and_its_split_offered(parser, text):
    # Trâu Quỳ was split on 1 July 2025: most of it went to Xã Gia Lâm (suggested), a part to Xã Bát Tràng.
    address = parser.parse(text)
    assert (address.status, address.legacy_commune_id, address.commune_id) == (
        AddressStatus.CHOOSE,
        former("Thị trấn Trâu Quỳ", "Huyện Gia Lâm").pk,
        None,
    )
    assert address.candidates == [candidate("00565", True), candidate("00577", False)]
    assert address.words == "thi tran trau quy, huyen gia lam, thanh pho ha noi"


@pytest.mark.parametrize(
    "text", ["P. Trúc Bạch, Q. Ba Đình", "P.Trúc Bạch - Q.Ba Đình", "phường Trúc Bạch, quận Ba Đình, Hà Nội"]
)
def test_ward_and_urban_district_abbreviations(parser, text):
    address = parser.parse(text)
    assert (address.status, address.commune_id, address.legacy_commune_id, address.words) == (
        AddressStatus.RESOLVED,
        today("00004").pk,  # Phường Ba Đình
        former("Phường Trúc Bạch", "Quận Ba Đình").pk,
        "phuong truc bach, quan ba dinh, thanh pho ha noi",
    )


@pytest.mark.parametrize("text", ["huyện Mỹ Đức", "H. Mỹ Đức, Hà Nội", "Mỹ Đức - Hà Nội", "Thôn 3, huyện Mỹ Đức"])
def test_a_former_district_alone_offers_the_communes_it_went_to(parser, text):
    address = parser.parse(text)
    assert (address.status, address.commune_id, address.legacy_commune_id, address.words) == (
        AddressStatus.DISTRICT_ONLY,
        None,
        None,
        "huyen my duc, thanh pho ha noi",
    )
    assert address.legacy_district_id == LegacyDistrict.objects.get(name="Huyện Mỹ Đức").pk
    # By name; suggested where a former commune went there by default (only a part of Đồng Tâm went to Trần Phú).
    assert address.candidates == [
        candidate("10465", True),  # Xã Hồng Sơn
        candidate("10489", True),  # Xã Hương Sơn
        candidate("10441", True),  # Xã Mỹ Đức
        candidate("10459", True),  # Xã Phúc Sơn
        candidate("10081", False),  # Xã Trần Phú
    ]
    assert address.street == ("Thôn 3" if text.startswith("Thôn") else "")


def test_a_split_former_commune_offers_the_same_candidates_as_the_column_resolver(parser):
    address = parser.parse("Bát Tràng, Gia Lâm")
    assert (address.status, address.legacy_commune_id, address.commune_id) == (
        AddressStatus.CHOOSE,
        former("Xã Bát Tràng", "Huyện Gia Lâm").pk,
        None,
    )
    assert address.candidates == [candidate("00577", True), candidate("00145", False), candidate("00565", False)]
    match = PlaceResolver().resolve(province="Hà Nội", commune="Bát Tràng", district="Gia Lâm")
    assert match.candidates == [(c.commune_id, c.name, c.suggested) for c in address.candidates]


def test_the_same_place_written_two_ways_has_the_same_words(parser):
    assert parser.parse("Bát Tràng, Gia Lâm").words == parser.parse("xã Bát Tràng - huyện Gia Lâm").words == BAT_TRANG
    assert parser.parts(commune="Bát Tràng", district="huyện Gia Lâm", province=None).words == BAT_TRANG


def test_an_unprefixed_name_is_read_as_its_position_suggests_first(parser):
    # Gia Lâm is a former district and, since 2025, a commune.
    assert parser.parse("Gia Lâm, Hà Nội").status == AddressStatus.DISTRICT_ONLY
    assert parser.parse("xã Gia Lâm, Hà Nội").commune_id == today("00565").pk
    assert parser.parts(commune="Gia Lâm", district=None, province="Hà Nội").commune_id == today("00565").pk
    assert parser.parts(commune=None, district="Gia Lâm", province=None).status == AddressStatus.DISTRICT_ONLY
    # A commune where the district would be: tried as a commune next.
    assert parser.parse("Thôn 1, Phù Đổng, Hà Nội").commune_id == today("00541").pk


def test_a_name_written_with_a_dash_is_not_cut_there(parser):
    commune = Commune.objects.get(province__code="01", name="Phường Văn Miếu - Quốc Tử Giám")
    for text in ("P. Văn Miếu - Quốc Tử Giám - Hà Nội", "Phường Văn Miếu – Quốc Tử Giám, TP Hà Nội"):
        assert (parser.parse(text).status, parser.parse(text).commune_id) == (AddressStatus.RESOLVED, commune.pk)


def test_a_former_province_name_reaches_its_successor(parser):
    address = parser.parse("Phường Quang Trung, Thành phố Hà Giang, Tỉnh Hà Giang")
    assert address.province_id == Province.objects.get(name="Tỉnh Tuyên Quang").pk
    assert [(c.name, c.suggested) for c in address.candidates] == [
        ("Phường Hà Giang 2", True),
        ("Phường Hà Giang 1", False),
    ]
    assert (
        parser.parse("xã Tản Lĩnh, huyện Ba Vì, tỉnh Hà Tây").commune_id
        == Commune.objects.get(province__code="01", name="Xã Suối Hai").pk
    )


def test_a_name_in_none_of_our_tables_is_reported_with_its_district(db):
    with translation.override("en"):
        parser = AddressParser(default_province_id=Province.objects.get(code="01").pk)
        address = parser.parse("xã Phú Thị, huyện Gia Lâm")
    assert (address.status, address.unknown_name, address.district_name, address.commune_id) == (
        AddressStatus.NOT_FOUND,
        "Phú Thị",
        "huyện Gia Lâm",
        None,
    )
    assert address.legacy_district_id == LegacyDistrict.objects.get(name="Huyện Gia Lâm").pk
    assert address.message == (
        "Commune “Phú Thị” (huyện Gia Lâm) is not in our administrative-unit data: it may have been merged before "
        "2025. An office can add it with `ocop load_places --successions FILE`."
    )
    assert address.words == "xa phu thi, huyen gia lam, thanh pho ha noi"


def test_unknown_province_and_empty_text(parser):
    unknown = parser.parts(commune="A", district=None, province="Xứ Sở")
    assert (unknown.status, unknown.message) == (
        AddressStatus.UNKNOWN_PROVINCE,
        "Tỉnh/thành phố “Xứ Sở” không có trong danh mục.",
    )
    assert parser.parse("xã A, tỉnh Xứ Sở").status == AddressStatus.UNKNOWN_PROVINCE
    for text in (None, "", " , - "):
        assert (parser.parse(text).status, parser.parse(text).commune_id) == (AddressStatus.EMPTY, None)
    assert AddressParser(default_province_id=None).parse("xã Phù Đổng").status == AddressStatus.UNKNOWN_PROVINCE


def test_a_choice_must_be_one_of_the_candidates(parser):
    address = parser.parse("Bát Tràng, Gia Lâm")
    long_bien = today("00145")
    chosen = parser.choose(address, long_bien.pk)
    assert (chosen.status, chosen.commune_id, chosen.province_id, chosen.message) == (
        AddressStatus.RESOLVED,
        long_bien.pk,
        long_bien.province_id,
        "",
    )
    assert chosen.legacy_commune_id == address.legacy_commune_id
    refused = parser.choose(address, today("00541").pk)  # Phù Đổng is not among Bát Tràng's successors
    assert (refused.status, refused.commune_id) == (AddressStatus.CHOOSE, None)
    # The parser's cache is untouched: the next row with these words still waits for its choice.
    assert parser.parse("Bát Tràng, Gia Lâm").status == AddressStatus.CHOOSE


def test_results_are_cached_but_independent(parser):
    first = parser.parse("Bát Tràng, Gia Lâm")
    first.candidates.clear()
    first.status = "x"
    again = parser.parse("Bát Tràng, Gia Lâm")
    assert (again.status, len(again.candidates)) == (AddressStatus.CHOOSE, 3)


def test_a_commune_written_without_its_district_whose_kind_names_a_former_unit(parser):
    # District lists write "xã X" alone. Where today only a ward bears the name, the former commune of that name is
    # meant; where a commune of today and a former one elsewhere both do, the person chooses.
    thanh_xuan = parser.parse("xã Thanh Xuân")  # Sóc Sơn's former commune, not today's Phường Thanh Xuân
    assert (thanh_xuan.status, parser.commune_names[thanh_xuan.commune_id]) == ("resolved", "Xã Nội Bài")
    yen_so = parser.parse("xã Yên Sở")  # Hoài Đức's, not Hoàng Mai's ward
    assert (yen_so.status, parser.commune_names[yen_so.commune_id]) == ("resolved", "Xã Dương Hòa")
    hong_ha = parser.parse("xã Hồng Hà")  # Đan Phượng's former commune, divided in 2025
    assert (hong_ha.status, [c.name for c in hong_ha.candidates]) == (
        "choose", ["Xã Ô Diên", "Xã Liên Minh", "Xã Mê Linh", "Xã Yên Lãng"]
    )  # fmt: skip
    ward = parser.parse("Phường Thanh Xuân")
    assert (ward.status, parser.commune_names[ward.commune_id]) == ("resolved", "Phường Thanh Xuân")
    same = parser.parse("xã Phù Đổng")  # the former commune went to today's of the same name
    assert (same.status, parser.commune_names[same.commune_id]) == ("resolved", "Xã Phù Đổng")
