import io
import json
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ocop.accounts.models import Role
from ocop.evaluation.catalogue import DATA, catalogue_from_json, load_reference_criteria, sheet_spec
from ocop.evaluation.criteria_import import criteria_workbook, read_criteria, run_criteria_import
from ocop.evaluation.models import ChecklistItem, CriteriaSet, CriteriaVersion, CriterionLine, CriterionOption
from ocop.testing import make_user


def _reference(name):
    return catalogue_from_json(json.loads((DATA / name).read_text(encoding="utf-8")))


def test_reference_catalogues_are_loaded_once(db):
    assert load_reference_criteria() == [("1048/2019", False), ("DEMO-148", False)]
    versions = {v.code: v for v in CriteriaVersion.objects.all()}
    assert sorted(versions) == ["1048/2019", "DEMO-148"]
    old, demo = versions["1048/2019"], versions["DEMO-148"]
    assert (old.provenance, old.parts, old.thresholds[3]) == ("unverified", {"A": 35, "B": 25, "C": 40}, 50)
    assert (demo.provenance, demo.parts) == ("demo", {"A": 40, "B": 25, "C": 35})
    assert demo.name.startswith("BẢN MINH HOẠ, KHÔNG PHẢI VĂN BẢN CHÍNH THỨC")
    assert old.sets.count() == 26
    assert demo.sets.count() == 27
    assert CriterionLine.objects.filter(group__criteria_set__version=old).count() == 62
    assert ChecklistItem.objects.filter(version=old, section="mandatory").count() == 5
    assert ChecklistItem.objects.filter(version=old, section="supplementary").count() == 13


def test_the_rice_sheet_keeps_its_special_rules(db):
    rice = sheet_spec(CriteriaSet.objects.get(version__code="1048/2019", code="1-06"))
    lines = {line.code: line for line in rice.lines()}
    assert len(lines) == 31
    assert [o.disqualifies for o in lines["1.1"].options] == [False, False, False, True]
    assert lines["6.1"].options[3].skips == ("6.2", "6.3", "6.4", "6.5", "6.6")
    assert (lines["5.2"].requires, lines["5.3"].requires) == ("5.1", "5.1")
    assert [o.case for o in lines["3.2"].options] == ["1", "1", "2", "2"]
    assert [o.points for o in lines["6.2"].options] == [0, 1, 3, 3]  # two options with equal points
    assert rice == _reference("criteria_1048.json").sets[5].sheet


def test_the_vegetable_sheet_is_the_printed_one(db):
    veg = sheet_spec(CriteriaSet.objects.get(version__code="1048/2019", code="1-01"))
    lines = {line.code: line for line in veg.lines()}
    assert lines["6.2"].text == "Màu sắc, độ chín"
    assert [o.points for o in lines["6.2"].options] == [0, 1, 3, 5, 8]
    assert sum(line.max_points for g in veg.groups if g.part == "C" for line in g.lines) == 40


def test_demo_sheet_marks_commune_and_mandatory_lines(db):
    demo = sheet_spec(CriteriaSet.objects.get(version__code="DEMO-148", code="1-06"))
    assert [line.code for line in demo.lines() if line.commune_assessed] == ["A1.1", "A2.1", "A3.2", "B5.2"]
    assert [(line.code, line.mandatory_from) for line in demo.lines() if line.mandatory_from] == [
        ("C7.1", 3),
        ("C7.3", 3),
        ("C7.4", 4),
    ]


def _workbook(catalogue) -> io.BytesIO:
    return io.BytesIO(criteria_workbook(catalogue))


def _renamed(code="148/2023-HN"):
    demo = _reference("criteria_demo_148.json")
    from dataclasses import replace

    return replace(demo, version=replace(demo.version, code=code, provenance="official"), sets=demo.sets[:2])


def test_a_workbook_round_trips(db):
    catalogue = _renamed()
    parsed, errors = read_criteria(_workbook(catalogue))
    assert errors == []
    assert parsed.version.code == "148/2023-HN"
    assert [s.sheet for s in parsed.sets] == [s.sheet for s in catalogue.sets]
    assert parsed.checklist == catalogue.checklist


def test_import_dry_run_then_commit(db):
    admin = make_user(Role.SYSTEM_ADMIN)
    dry = run_criteria_import(_workbook(_renamed()), user=admin, commit=False)
    # Every row of the lines sheet is counted (one row per option: 2 sets × 110).
    assert (dry.ok, dry.total, dry.created, dry.committed) == (True, 220, 220, False)
    assert not CriteriaVersion.objects.filter(code="148/2023-HN").exists()
    done = run_criteria_import(_workbook(_renamed()), user=admin, commit=True)
    assert (done.ok, done.created, done.committed) == (True, 220, True)
    again = run_criteria_import(_workbook(_renamed()), user=admin, commit=True)
    assert (again.created, again.updated, again.unchanged, again.committed) == (0, 0, 220, True)
    version = CriteriaVersion.objects.get(code="148/2023-HN")
    assert list(version.sets.values_list("code", "product_set__code")) == [("1-01", "1-01"), ("1-02", "1-02")]
    assert CriterionOption.objects.filter(line__group__criteria_set__version=version).count() == 2 * 110


def _broken_workbook(edit) -> io.BytesIO:
    """The workbook with `edit` made to its cells: each sheet's table starts below the title block (issuing body,
    name, date made, a blank row), its header on row 5 and its first row on row 6."""
    wb = load_workbook(_workbook(_renamed()))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_a_part_that_does_not_sum_is_refused_with_its_row(db):
    admin = make_user(Role.SYSTEM_ADMIN)

    def lower_first_line(wb):
        ws = wb["Tiêu chí"]
        ws["P8"] = 2  # the best option of line A1.1 in set 1-01 drops from 3 to 2 points

    report = run_criteria_import(_broken_workbook(lower_first_line), user=admin, commit=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (6, "Tiêu chí", "Nhóm “Tổ chức sản xuất” tối đa 16 điểm, nhưng các tiêu chí đạt 15 điểm."),
        (6, "Tiêu chí", "Phần A phải đạt đúng 40 điểm; các phương án cao nhất chỉ đạt 39 điểm."),
    ]
    assert report.committed is False
    assert not CriteriaVersion.objects.filter(code="148/2023-HN").exists()


def test_bad_cells_are_named_by_row_and_column(db):
    admin = make_user(Role.SYSTEM_ADMIN)

    def spoil(wb):
        ws = wb["Tiêu chí"]
        ws["P7"] = "ba"
        ws["F9"] = "D"
        wb["Phiên bản"]["E6"] = "31/02/2024"

    report = run_criteria_import(_broken_workbook(spoil), user=admin, commit=False)
    assert [(e.row, e.column, e.message) for e in report.errors[:3]] == [
        (6, "Hiệu lực từ", "Cần một ngày dạng dd/mm/yyyy."),
        (7, "Điểm", "Cần một số nguyên, không phải “ba”."),
        (9, "Phần", "Ghi A, B hoặc C."),
    ]


def test_not_a_workbook_and_outsiders(db):
    admin = make_user(Role.SYSTEM_ADMIN)
    report = run_criteria_import(io.BytesIO(b"%PDF-1.4 not excel"), user=admin, commit=True)
    assert [(e.row, e.message) for e in report.errors] == [(0, "Tệp không phải là sổ tính Excel (.xlsx).")]
    with pytest.raises(PermissionDenied):
        run_criteria_import(
            _workbook(_renamed()), user=make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",)), commit=True
        )


def test_the_import_command(db, tmp_path):
    path = tmp_path / "criteria.xlsx"
    path.write_bytes(criteria_workbook(_renamed()))
    call_command("import", "criteria", str(path), "--commit")
    assert CriteriaVersion.objects.filter(code="148/2023-HN").exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_broken_workbook(lambda wb: wb["Tiêu chí"].__setitem__("P8", 2)).getvalue())
    with pytest.raises(CommandError):
        call_command("import", "criteria", str(bad))


REFUSAL = (
    "Chỉ quản trị hệ thống mới được nhập hoặc thay thế một phiên bản bộ tiêu chí: bộ tiêu chí là của quốc gia, "
    "dùng chung cho mọi tỉnh. Hãy gửi tệp cho quản trị hệ thống."
)


def test_a_province_coordinator_cannot_replace_a_national_version(db):
    load_reference_criteria()
    national = CriteriaVersion.objects.get(code="1048/2019")
    coordinator = make_user(Role.PROVINCE_COORDINATOR, province_code="31")
    for commit in (False, True):
        report = run_criteria_import(_workbook(_renamed("1048/2019")), user=coordinator, commit=commit)
        assert [(e.row, e.column, e.message) for e in report.errors] == [(0, "", REFUSAL)]
        assert (report.committed, report.total) == (False, 0)
    assert CriteriaVersion.objects.get(code="1048/2019").pk == national.pk
    assert national.sets.count() == 26


def test_the_command_says_why_a_coordinator_may_not_import_criteria(db, tmp_path):
    path = tmp_path / "criteria.xlsx"
    path.write_bytes(criteria_workbook(_renamed()))
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", "criteria", str(path), "--commit", "--user", coordinator.username, stdout=out)
    assert str(caught.value) == REFUSAL
    assert out.getvalue().splitlines()[0] == f"file: {REFUSAL}"
    commune = make_user(Role.COMMUNE_OFFICER, communes=("Bát Tràng",))
    with pytest.raises(CommandError) as caught:
        call_command("import", "criteria", str(path), "--user", commune.username)
    assert str(caught.value) == f"{commune.username} may not run the criteria import"
    assert not CriteriaVersion.objects.filter(code="148/2023-HN").exists()


def test_hidden_characters_are_refused_by_cell(db):
    def hide(wb):
        wb["Phiên bản"]["B6"] = "Bộ tiêu chí \u202eGIẢ MẠO\u202c của tỉnh khác"
        wb["Tiêu chí"]["J6"] = "Tiêu chí \u200bcó ký tự ẩn"
        wb["Tiêu chí"]["A7"] = "1-01\u200b"

    report = run_criteria_import(_broken_workbook(hide), user=make_user(Role.SYSTEM_ADMIN), commit=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (6, "Tên", "Ô có một ký tự điều khiển vô hình (U+202E): hãy xóa ký tự đó."),
        (6, "Tiêu chí", "Ô có một ký tự điều khiển vô hình (U+200B): hãy xóa ký tự đó."),
        (7, "Mã bộ", "Ô có một ký tự điều khiển vô hình (U+200B): hãy xóa ký tự đó."),
    ]
    assert report.committed is False
    assert not CriteriaVersion.objects.filter(code="148/2023-HN").exists()


def test_text_is_stored_as_every_import_stores_it(db):
    nfd = unicodedata.normalize("NFD", "Bộ tiêu chí   thử nghiệm")

    def decompose(wb):
        wb["Phiên bản"]["B6"] = nfd
        wb["Tiêu chí"]["J6"] = unicodedata.normalize("NFD", "Có   kế hoạch sản xuất")

    report = run_criteria_import(_broken_workbook(decompose), user=make_user(Role.SYSTEM_ADMIN), commit=True)
    assert (report.errors, report.committed) == ([], True)
    version = CriteriaVersion.objects.get(code="148/2023-HN")
    assert version.name == "Bộ tiêu chí thử nghiệm"
    assert unicodedata.is_normalized("NFC", version.name)
    first = CriterionLine.objects.filter(group__criteria_set__version=version).order_by("pk").first()
    assert first.text == "Có kế hoạch sản xuất"


def test_a_version_a_round_uses_cannot_be_replaced_and_the_dry_run_says_so(scene):
    admin = make_user(Role.SYSTEM_ADMIN)
    demo = CriteriaVersion.objects.get(code="DEMO-148")
    changed = _renamed("DEMO-148")
    report = run_criteria_import(_workbook(changed), user=admin, commit=False)
    message = "Phiên bản tiêu chí DEMO-148 đang được một đợt đánh giá sử dụng, không thể thay thế."
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "Phiên bản", message)]
    report = run_criteria_import(_workbook(changed), user=admin, commit=True)
    assert [(e.row, e.message) for e in report.errors] == [(2, message)]
    assert report.committed is False
    assert (CriteriaVersion.objects.get(code="DEMO-148").pk, demo.sets.count()) == (demo.pk, 27)


def test_the_thresholds_are_written_as_numbers_and_read_back(db):
    ws = load_workbook(_workbook(_renamed()))["Phiên bản"]
    header = next(r for r in range(1, 21) if ws.cell(row=r, column=1).value == "Mã phiên bản")
    cells = [ws.cell(row=header + 1, column=c) for c in range(10, 14)]
    assert [ws.cell(row=header, column=c).value for c in range(10, 14)] == ["2 sao từ", "3 sao từ", "4 sao từ",
                                                                             "5 sao từ"]  # fmt: skip
    assert [(c.value, c.data_type, c.number_format) for c in cells] == [
        (30, "n", "#,##0"), (50, "n", "#,##0"), (70, "n", "#,##0"), (90, "n", "#,##0")
    ]  # fmt: skip
    parsed, errors = read_criteria(_workbook(_renamed()))
    assert (errors, parsed.version.thresholds) == ([], {2: 30, 3: 50, 4: 70, 5: 90})
