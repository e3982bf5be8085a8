"""The workbook reader measures what calamine reads, and nothing bounds less than the settings say: the parts calamine
opens whatever the relationships name, text cut to Excel's limit and bounded in all, parts counted once, rows past
Excel's last refused as they come, values no column can take refused by cell, and a wait that shows life.

Messages are checked in English (translation.override) so the tests hold before and after the Vietnamese
catalogue gets the new strings.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from ocop.core.excel import ExcelError, cell_text, read_book, read_sheet, sheet_of
from ocop.core.xlsx import read_workbook, waiting

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def worksheet(rows_xml: str, *, ns: str = MAIN) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>{rows_xml}</sheetData></worksheet>'
    )


def sst(*strings: str) -> str:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{items}</sst>'


def package(path: Path, parts: dict[str, str | bytes], *, folder: str = "xl", extra_rels: str = "") -> str:
    """A workbook written by hand: the usual parts for one sheet "Sheet1" in `folder`, then `parts` (added or
    replacing them; None-free). The shared strings and styles are listed in no relationship unless `extra_rels`
    says so: calamine opens them by their fixed names anyway."""
    base: dict[str, str | bytes] = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types '
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC}/officeDocument" Target="{folder}/workbook.xml"/></Relationships>',
        f"{folder}/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        f"{folder}/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>{extra_rels}'
        "</Relationships>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**base, **parts}.items():
            zf.writestr(name, data)
    return str(path)


def saved(wb: Workbook) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def refusal(path: str, sheets: list[str | None] | None = None) -> str:
    with pytest.raises(ExcelError) as refused:
        read_workbook(path, sheets or [None])
    return str(refused.value)


# ---- what calamine opens is what we measure -------------------------------------------------------------------


def test_the_shared_strings_and_styles_are_measured_at_their_fixed_names_without_a_relationship(tmp_path, settings):
    settings.OCOP_IMPORT_MAX_PART_BYTES = MB
    sheet = worksheet(f'<row r="1"><c r="A1" t="s"><v>0</v></c>{inline("B1", "b")}</row>')
    big = sst("x" * (2 * MB))
    path = package(tmp_path / "sst.xlsx", {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": big})
    assert refusal(path) == (
        "The workbook is too large once unpacked: its part xl/sharedStrings.xml holds more than 1 MB."
    )
    # calamine looks names up without regard to case, and reads "\" as "/": so do we.
    path = package(tmp_path / "case.xlsx", {"xl/worksheets/sheet1.xml": sheet, "XL\\SharedStrings.XML": big})
    assert refusal(path) == (
        "The workbook is too large once unpacked: its part XL\\SharedStrings.XML holds more than 1 MB."
    )
    styles = '<?xml version="1.0"?><styleSheet xmlns="' + MAIN + '">' + " " * (2 * MB) + "</styleSheet>"
    path = package(tmp_path / "styles.xml.xlsx", {"xl/worksheets/sheet1.xml": sheet, "xl/styles.xml": styles})
    assert refusal(path) == "The workbook is too large once unpacked: its part xl/styles.xml holds more than 1 MB."


def test_parts_only_the_relationships_name_are_not_read_and_one_named_many_times_costs_nothing(tmp_path, settings):
    settings.OCOP_IMPORT_MAX_PART_BYTES = MB
    # 400 relationships to one 2 MB part: calamine never opens it (styles come from xl/styles.xml), nor do we.
    extra = "".join(f'<Relationship Id="rS{i}" Type="{DOC}/styles" Target="pad.xml"/>' for i in range(400))
    sheet = worksheet(f'<row r="1">{inline("A1", "a")}</row>')
    path = package(tmp_path / "pad.xlsx", {"xl/worksheets/sheet1.xml": sheet, "xl/pad.xml": " " * (2 * MB)},
                   extra_rels=extra)  # fmt: skip
    assert read_workbook(path, [None])[None].rows == [["a"]]


def test_the_parts_read_are_bounded_together(tmp_path, settings):
    settings.OCOP_IMPORT_MAX_PART_BYTES = MB
    just_under = int(0.9 * MB)
    sheet = worksheet(f'<row r="1">{inline("A1", "a")}</row>' + " " * (MB // 4))
    path = package(tmp_path / "three.xlsx", {
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": sst("") + " " * just_under,
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"/>' + " " * just_under,
    })  # fmt: skip
    assert refusal(path) == ("The workbook is too large once unpacked: the parts to read hold more than 2 MB together.")


def test_the_workbook_is_found_where_the_package_says_as_calamine_finds_it(tmp_path):
    # _rels/.rels names foo/workbook.xml: calamine reads foo/, never xl/. The sheet scanned must be foo's.
    parts = {
        "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument" '
        'Target="/foo/workbook.xml"/></Relationships>',
        "foo/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="Sheet1" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
        "foo/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC}/worksheet" Target="/FOO/Worksheets/S.xml"/></Relationships>',
        "foo/worksheets/s.xml": worksheet(f'<row r="1">{inline("A1", "foo")}</row>'),
        "xl/worksheets/sheet1.xml": worksheet(f'<row r="1">{inline("A1", "xl")}</row>'),
    }
    assert read_workbook(package(tmp_path / "foo.xlsx", parts), [None])[None].rows == [["foo"]]
    far = worksheet(f'<row r="1">{inline("A1", "a")}</row><row r="9"><c r="XFD9"><v>1</v></c></row>')
    assert refusal(package(tmp_path / "far.xlsx", {**parts, "foo/worksheets/s.xml": far})) == (
        "Sheet “Sheet1” holds data in cell XFD9, beyond the 200 columns an import may have: delete what lies "
        "outside the table and save the file again."
    )


def test_two_members_calamine_would_take_for_one_are_refused(tmp_path):
    sheet = worksheet(f'<row r="1">{inline("A1", "a")}</row>')
    twins = {"xl/worksheets/sheet1.xml": sheet, "XL/WORKSHEETS/SHEET1.XML": sheet}
    assert refusal(package(tmp_path / "twins.xlsx", twins)) == (
        "The workbook could not be read: it may be damaged. Open it in Excel and save it again as .xlsx."
    )
    slashes = {"xl/worksheets/sheet1.xml": sheet, "xl\\worksheets\\sheet1.xml": sheet}
    assert refusal(package(tmp_path / "slashes.xlsx", slashes)) == (
        "The workbook could not be read: it may be damaged. Open it in Excel and save it again as .xlsx."
    )


def test_rows_in_any_namespace_count_as_calamine_counts_them(tmp_path):
    foreign = '<x:row xmlns:x="urn:other" r="2"><x:c r="XFD2"><x:v>1</x:v></x:c></x:row>'
    path = package(
        tmp_path / "ns.xlsx", {"xl/worksheets/sheet1.xml": worksheet(f'<row r="1">{inline("A1", "a")}</row>{foreign}')}
    )
    assert refusal(path) == (
        "Sheet “Sheet1” holds data in cell XFD2, beyond the 200 columns an import may have: delete what lies "
        "outside the table and save the file again."
    )


def test_rows_past_excels_last_are_refused_as_they_come(tmp_path):
    one = worksheet(f'<row r="1">{inline("A1", "a")}</row><row r="1048577"/>')
    assert refusal(package(tmp_path / "one.xlsx", {"xl/worksheets/sheet1.xml": one})) == (
        "Sheet “Sheet1” has 1,048,577 rows, more than the 100,000 an import may have: split it into several files."
    )
    # A million empty rows: the scan stops at the first row Excel cannot have instead of walking three million.
    many = worksheet(f'<row r="1">{inline("A1", "a")}</row>' + "<row/>" * 3_000_000)
    assert refusal(package(tmp_path / "many.xlsx", {"xl/worksheets/sheet1.xml": many})) == (
        "Sheet “Sheet1” has 1,048,577 rows, more than the 100,000 an import may have: split it into several files."
    )
    # Fewer empty rows than that are nothing: only rows holding a value count.
    some = worksheet(f'<row r="1">{inline("A1", "a")}</row>' + "<row/>" * 3000)
    assert read_workbook(package(tmp_path / "some.xlsx", {"xl/worksheets/sheet1.xml": some}), [None])[None].rows == [
        ["a"]
    ]


# ---- text ------------------------------------------------------------------------------------------------------


def test_text_is_cut_to_excels_limit_of_32767_characters(tmp_path):
    sheet = worksheet(f'<row r="1"><c r="A1" t="s"><v>0</v></c>{inline("B1", "y" * 40_000)}</row>')
    path = package(
        tmp_path / "long.xlsx", {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": sst("x" * 90_000)}
    )
    rows = read_workbook(path, [None])[None].rows
    assert [[len(v) for v in row] for row in rows] == [[32_767, 32_767]]
    assert rows[0][0] == "x" * 32_767


def test_the_text_of_all_cells_is_bounded_whatever_the_parts_weigh(tmp_path, settings):
    # One 32,767-character shared string, a 33 KB part, referenced by 40 cells: 1.3 MB of text from 40 KB of parts.
    settings.OCOP_IMPORT_MAX_PART_BYTES = MB
    cells = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(1, 41))
    parts = {"xl/worksheets/sheet1.xml": worksheet(cells), "xl/sharedStrings.xml": sst("x" * 32_767)}
    assert refusal(package(tmp_path / "repeat.xlsx", parts)) == (
        "The cells hold too much text (more than 1 MB): delete what lies outside the table, or split the file."
    )
    cells = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(1, 31))
    rows = read_workbook(
        package(tmp_path / "fits.xlsx", {**parts, "xl/worksheets/sheet1.xml": worksheet(cells)}), [None]
    )
    assert len(rows[None].rows) == 30


# ---- values no column can take ---------------------------------------------------------------------------------


def test_nan_and_infinity_are_refused_by_cell_where_they_are_read(tmp_path):
    header = f'<row r="1">{inline("A1", "Tên")}{inline("B1", "Số")}{inline("C1", "Ghi chú")}</row>'
    for value, shown in [("NaN", "nan"), ("-Infinity", "-inf"), ("1e400", "inf")]:
        rows = f'{header}<row r="2">{inline("A2", "a")}<c r="B2"><v>{value}</v></c></row>'
        path = package(tmp_path / f"{value}.xlsx", {"xl/worksheets/sheet1.xml": worksheet(rows)})
        with pytest.raises(ExcelError) as refused:
            list(read_sheet(path, required=["Tên", "Số"]).rows)
        assert str(refused.value) == (
            f"Cell B2 of sheet “Sheet1” holds “{shown}”, not a number Excel can show (it would show #NUM!): type the "
            "value again and save the file."
        )
    # In a column nobody reads, it is nobody's business.
    rows = f'{header}<row r="2">{inline("A2", "a")}<c r="C2"><v>NaN</v></c></row>'
    path = package(tmp_path / "unread.xlsx", {"xl/worksheets/sheet1.xml": worksheet(rows)})
    assert list(read_sheet(path, required=["Tên"], columns=["Tên", "Số"]).rows) == [(2, {"Tên": "a", "Số": None})]


def test_a_yes_no_cell_is_refused_outside_the_yes_no_columns_the_caller_names(tmp_path):
    rows = (
        f'<row r="1">{inline("A1", "Tên")}{inline("B1", "Nữ làm chủ")}</row>'
        f'<row r="2">{inline("A2", "a")}<c r="B2" t="b"><v>1</v></c></row>'
        f'<row r="3"><c r="A3" t="b"><v>0</v></c><c r="B3" t="b"><v>0</v></c></row>'
    )
    path = package(tmp_path / "bool.xlsx", {"xl/worksheets/sheet1.xml": worksheet(rows)})
    sheet = read_sheet(path, required=["Tên", "Nữ làm chủ"], flags=["nữ làm chủ"])
    assert next(sheet.rows) == (2, {"Tên": "a", "Nữ làm chủ": True})
    with pytest.raises(ExcelError) as refused:
        next(sheet.rows)
    assert str(refused.value) == (
        "Cell A3 of sheet “Sheet1” holds the yes/no value FALSE, but column “Tên” takes text or a number: type the "
        "value again."
    )
    # Callers that name no yes/no column get the bools, shown as Excel shows them.
    assert list(read_sheet(path, required=["Tên"]).rows) == [
        (2, {"Tên": "a", "Nữ làm chủ": True}),
        (3, {"Tên": False, "Nữ làm chủ": False}),
    ]
    assert (cell_text(True), cell_text(False)) == ("TRUE", "FALSE")


# ---- one read of several sheets, and a wait that shows life -----------------------------------------------------


def test_read_book_reads_several_sheets_at_once_and_an_optional_one_may_be_missing():
    wb = Workbook()
    wb.active.title = "Một"
    wb.active.append(["Tên"])
    wb.active.append(["a"])
    wb.create_sheet("Hai").append(["Mã"])
    book = read_book(saved(wb), ["Một", "Hai", "Ba"], optional=["Ba"])
    assert sorted(book) == ["Hai", "Một"]
    assert list(sheet_of(book["Một"], required=["Tên"]).rows) == [(2, {"Tên": "a"})]
    with pytest.raises(ExcelError) as refused:
        read_book(saved(wb), ["Một", "Ba"])
    assert str(refused.value) == "The workbook has no sheet “Ba”."


def test_a_read_calls_back_before_and_after_and_set_by_waiting(tmp_path):
    path = package(
        tmp_path / "a.xlsx", {"xl/worksheets/sheet1.xml": worksheet(f'<row r="1">{inline("A1", "a")}</row>')}
    )
    calls: list[str] = []
    read_workbook(path, [None], on_wait=lambda: calls.append("beat"), every=3600)
    assert calls == ["beat", "beat"]
    with waiting(lambda: calls.append("job")):
        read_workbook(path, [None], every=3600)
    assert calls == ["beat", "beat", "job", "job"]


class Stop(Exception):
    pass


def test_a_callback_that_raises_while_the_child_works_stops_it_and_leaves_no_process(tmp_path):
    path = package(
        tmp_path / "a.xlsx", {"xl/worksheets/sheet1.xml": worksheet(f'<row r="1">{inline("A1", "a")}</row>')}
    )
    calls: list[int] = []

    def on_wait() -> None:
        calls.append(len(calls))
        if len(calls) == 2:  # the first call is before the child starts, the second while it works
            raise Stop

    before = _children()  # other tests' servers and browsers may run beside us
    with pytest.raises(Stop):
        read_workbook(path, [None], on_wait=on_wait, every=0)
    assert calls == [0, 1]
    assert _children() - before == set()


def _children() -> set[str]:
    """The pids of this process's children not yet waited for (Linux)."""
    pids: set[str] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        pids.update((task / "children").read_text().split())
    return pids
