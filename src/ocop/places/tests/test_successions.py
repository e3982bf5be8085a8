import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from ocop.places.address import AddressParser, AddressStatus
from ocop.places.loader import SuccessionsError, load_successions
from ocop.places.models import Commune, CommuneSuccession, LegacyCommune, LegacyDistrict, Province

HEADER = "Tên cũ,Huyện cũ,Mã xã kế thừa,Nghị quyết"
# Test data: communes that our package data lacks (merged before 2025), with successors chosen for the test.
ROWS = ["xã Phú Thị,huyện Gia Lâm,00565,1286/NQ-UBTVQH15", "Kim Lan,Gia Lâm,00577,1286/NQ-UBTVQH15"]


def write_csv(tmp_path, *rows, header=HEADER, name="successions.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")  # with a BOM, as Excel saves CSV
    return path


def hanoi_parser():
    return AddressParser(default_province_id=Province.objects.get(code="01").pk)


def extra_communes():
    return list(LegacyCommune.objects.filter(key__startswith="extra_").order_by("key"))


def test_loaded_successions_are_found_by_the_parser(db, tmp_path):
    assert hanoi_parser().parse("xã Phú Thị, huyện Gia Lâm").status == AddressStatus.NOT_FOUND
    report = load_successions(write_csv(tmp_path, *ROWS), default_province_code="01")
    assert report.created == {"former communes": 2, "successions": 2}
    gia_lam = LegacyDistrict.objects.get(name="Huyện Gia Lâm")
    assert [(c.key, c.name, c.short_name, c.kind, c.code, c.district, c.resolution) for c in extra_communes()] == [
        (f"extra_{gia_lam.code}_kim_lan", "Kim Lan", "Kim Lan", "", "", gia_lam, "1286/NQ-UBTVQH15"),
        (f"extra_{gia_lam.code}_phu_thi", "Xã Phú Thị", "Phú Thị", "Xã", "", gia_lam, "1286/NQ-UBTVQH15"),
    ]
    phu_thi = LegacyCommune.objects.get(key=f"extra_{gia_lam.code}_phu_thi")
    assert list(phu_thi.successions.values_list("commune__code", "is_default")) == [("00565", True)]

    parser = hanoi_parser()
    for text in ("xã Phú Thị, huyện Gia Lâm", "Phú Thị - Gia Lâm - Hà Nội", "Phú Thị"):
        address = parser.parse(text)
        assert (address.status, address.commune_id, address.legacy_commune_id) == (
            AddressStatus.RESOLVED,
            Commune.objects.get(code="00565").pk,  # Xã Gia Lâm
            phu_thi.pk,
        )
    assert parser.parse("xã Kim Lan, huyện Gia Lâm").commune_id == Commune.objects.get(code="00577").pk


def test_loading_twice_adds_nothing(db, tmp_path):
    path = write_csv(tmp_path, *ROWS)
    load_successions(path, default_province_code="01")
    before = (LegacyCommune.objects.count(), CommuneSuccession.objects.count())
    assert load_successions(path, default_province_code="01").total == 0
    assert (LegacyCommune.objects.count(), CommuneSuccession.objects.count()) == before


def test_an_xlsx_file_with_the_optional_province_and_a_code_stored_as_a_number(db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tên cũ", "Huyện cũ", "Mã xã kế thừa", "Nghị quyết", "Tỉnh cũ"])
    sheet.append(["Xã Phú Thị", "Gia Lâm", 565, "1286/NQ-UBTVQH15", "Hà Nội"])
    path = tmp_path / "successions.xlsx"
    workbook.save(path)
    assert load_successions(path, default_province_code="79").created == {"former communes": 1, "successions": 1}
    assert [c.successions.get().commune.code for c in extra_communes()] == ["00565"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",Gia Lâm,00565,1", "Row 3, column “Tên cũ”: a value is required."),
        ("Phú Thị,huyện Không Có,00565,1", "Row 3, column “Huyện cũ”: no former district is called “huyện Không Có”."),
        ("Phú Thị,Gia Lâm,99999,1", "Row 3, column “Mã xã kế thừa”: no commune of today has the code “99999”."),
        (
            "Phú Thị,Gia Lâm,11407,1",
            "Row 3, column “Mã xã kế thừa”: Phường An Biên (11407) is not in the province that Huyện Gia Lâm belongs "
            "to now.",
        ),
        (
            "xã Phù Đổng,Gia Lâm,00541,1",
            "Row 3, column “Tên cũ”: “xã Phù Đổng” is already a former commune of Huyện Gia Lâm in our data.",
        ),
    ],
)
def test_a_bad_row_stops_the_load_and_writes_nothing(db, tmp_path, row, message):
    path = write_csv(tmp_path, ROWS[0], row)
    before = (LegacyCommune.objects.count(), CommuneSuccession.objects.count())
    with translation.override("en"), pytest.raises(SuccessionsError) as caught:
        load_successions(path, default_province_code="01")
    assert str(caught.value) == message
    assert (LegacyCommune.objects.count(), CommuneSuccession.objects.count()) == before


def test_an_unknown_former_province_is_refused(db, tmp_path):
    path = write_csv(tmp_path, "Phú Thị,Gia Lâm,00565,1,Xứ Sở", header=f"{HEADER},Tỉnh cũ")
    with translation.override("en"), pytest.raises(SuccessionsError) as caught:
        load_successions(path, default_province_code="01")
    assert str(caught.value) == "Row 2, column “Tỉnh cũ”: no former province is called “Xứ Sở”."


def test_a_file_without_the_columns_is_refused(db, tmp_path):
    path = write_csv(tmp_path, "Phú Thị,Gia Lâm", header="Tên cũ,Huyện cũ")
    with translation.override("en"), pytest.raises(SuccessionsError, match=r"Mã xã kế thừa, Nghị quyết"):
        load_successions(path, default_province_code="01")
    with translation.override("en"), pytest.raises(SuccessionsError, match=r"\.csv or \.xlsx"):
        load_successions(tmp_path / "successions.txt", default_province_code="01")


def test_the_command_loads_a_file_and_names_a_bad_row(db, tmp_path, capsys):
    call_command("load_places", successions=write_csv(tmp_path, *ROWS))
    assert "former communes: 2 added" in capsys.readouterr().out
    with translation.override("en"), pytest.raises(CommandError, match=r"^Row 2, column “Huyện cũ”"):
        call_command("load_places", successions=write_csv(tmp_path, "Đình Xuyên,Không Có,00541,1", name="bad.csv"))
    assert len(extra_communes()) == 2
