"""A workbook as core.excel writes it, opened and printed by LibreOffice (see office.py: a vi-VN profile), and its
styling as openpyxl reads it back."""

import datetime as dt
import io
import textwrap
from typing import Any

from django.utils import translation
from openpyxl import load_workbook

from ocop.core.excel import Kind, TitleBlock, read_sheet, write_sheets
from ocop.core.tests.office import assert_readable, open_in_libreoffice
from ocop.core.xlsxstyle import (
    LINE_HEIGHT,
    MAX_ROW_HEIGHT,
    MAX_WIDTH,
    MIN_WIDTH,
    SAMPLE_ROWS,
    WRAP_FILL,
    row_height,
    wrapped_lines,
)

LONG_NAME = (
    "Hợp tác xã Nông nghiệp và Dịch vụ Chè Ba Trại: chè búp sao tay đặc sản vùng đồi Ba Vì, thành phố Hà Nội, "
    "đóng hộp quà tặng"
)
HEADERS = ["Mã sản phẩm", "Tên sản phẩm", "Ngày cấp", "Doanh thu", "Lượt khách", "Tỷ lệ"]
KINDS = [Kind.ID, None, None, Kind.MONEY, None, Kind.PERCENT]
ROWS = [
    [1234, LONG_NAME, dt.date(2026, 12, 4), 201_234_567, 12_500, 0.125],
    [56, '=HYPERLINK("http://x")', dt.date(2026, 1, 9), 0, 7, 1],
]
BLOCK = TitleBlock(issuer="Ủy ban nhân dân Thành phố Hà Nội", name="Báo cáo kết quả thực hiện Chương trình OCOP",
                   period="01/01/2026 – 31/12/2026", made_on=dt.date(2026, 12, 4))  # fmt: skip


def stored(characters: int) -> float:
    """A column `characters` wide as the file stores it: Excel's own rule, which XlsxWriter follows (7 pixels a
    digit of the default font, plus 5 pixels of padding, in 256ths of a character); Excel shows it as `characters`."""
    return int((characters * 7 + 5) / 7 * 256) / 256


def _book() -> bytes:
    with translation.override("vi"):
        return write_sheets([("Cấp mới", HEADERS, ROWS, KINDS), ("Tổng hợp", ["Chỉ tiêu", "Giá trị"], [["Sản phẩm", 3]])],
                            block=BLOCK)  # fmt: skip


def test_the_sheet_is_styled_for_reading_and_printing():
    ws = load_workbook(io.BytesIO(_book()))["Cấp mới"]
    assert [ws.cell(row=r, column=1).value for r in range(1, 7)] == [
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Báo cáo kết quả thực hiện Chương trình OCOP",
        "Kỳ báo cáo: 01/01/2026 – 31/12/2026", "Ngày lập: 04/12/2026", None, "Mã sản phẩm",
    ]  # fmt: skip
    assert (ws["A1"].font.b, ws["A2"].font.b, ws["A2"].font.sz, ws["A3"].font.b) == (True, True, 14, False)
    assert (ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows) == ("A7", "A6:F8", "$6:$6")
    setup = ws.page_setup
    # One page wide (1 is the format's default, which XlsxWriter leaves out), as many pages high as it takes.
    assert (setup.orientation, setup.paperSize, setup.fitToWidth or 1, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert [ws.cell(row=7, column=c).number_format for c in range(1, 7)] == [
        "0", "General", "dd/mm/yyyy", '#,##0" ₫"', "#,##0", "0.0%"
    ]  # fmt: skip
    # A date cell (read back as a naive datetime: Excel has no time zones), the amount a number.
    assert (ws["C7"].value.date(), ws["C7"].data_type, ws["D7"].value, ws["D7"].data_type) == (
        dt.date(2026, 12, 4), "d", 201_234_567, "n"
    )  # fmt: skip
    assert all(ws.cell(row=6, column=c).font.b and ws.cell(row=6, column=c).alignment.wrap_text for c in range(1, 7))
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEF"]
    # The header's length, the longest text (up to 60: longer wraps), "04/12/2026", "201,234,567 ₫", "12,500", at least 8.
    assert widths == [stored(w) for w in (13, MAX_WIDTH, 12, 15, 12, MIN_WIDTH)]
    assert (ws["B7"].alignment.wrap_text, bool(ws["C7"].alignment.wrap_text)) == (True, False)  # past 60: wraps
    # Text a spreadsheet would run stays text, quoted, as before the styling.
    assert (ws["B8"].value, ws["B8"].data_type, ws["B8"].quotePrefix) == ('=HYPERLINK("http://x")', "s", True)


def test_libreoffice_shows_every_value_whole_and_prints_a4_landscape(tmp_path):
    printed = open_in_libreoffice(_book(), tmp_path)
    assert printed.csv["Cấp mới"].splitlines() == [
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI,,,,,",
        "Báo cáo kết quả thực hiện Chương trình OCOP,,,,,",
        "Kỳ báo cáo: 01/01/2026 – 31/12/2026,,,,,",
        "Ngày lập: 04/12/2026,,,,,",
        ",,,,,",
        "Mã sản phẩm,Tên sản phẩm,Ngày cấp,Doanh thu,Lượt khách,Tỷ lệ",
        f'1234,"{LONG_NAME}",04/12/2026,201.234.567 ₫,12.500,"12,5%"',
        '56,"=HYPERLINK(""http://x"")",09/01/2026,0 ₫,7,"100,0%"',
    ]
    assert printed.csv["Tổng hợp"].splitlines()[5:] == ["Chỉ tiêu,Giá trị", "Sản phẩm,3"]
    assert_readable(printed)
    text = printed.pdf_text
    for shown in ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Ngày lập: 04/12/2026", "04/12/2026", "201.234.567 ₫", "12.500",
                  LONG_NAME, "Sản phẩm 3"):  # fmt: skip
        assert shown in text, shown
    assert len(printed.pdf.pages) == 2  # a page a sheet: fitted to the width, the long name wrapped


def test_widths_come_from_the_first_rows_and_every_row_is_written():
    many = ([n, "x" * (70 if n > SAMPLE_ROWS else 10)] for n in range(1, SAMPLE_ROWS + 501))
    ws = load_workbook(io.BytesIO(write_sheets([("Dài", ["Số", "Ghi chú"], many)])))["Dài"]
    assert (ws.column_dimensions["B"].width, ws.max_row) == (
        stored(12),
        SAMPLE_ROWS + 501,
    )  # no title: the header is row 1


def test_a_narrow_table_is_widened_to_hold_its_title():
    ws = load_workbook(
        io.BytesIO(write_sheets([("Tổng hợp", ["Chỉ tiêu", "Giá trị"], [["Sản phẩm", 3]])], block=BLOCK))
    )
    widths = [ws.active.column_dimensions[letter].width for letter in "AB"]
    # 10 and 9 by their text; the first widened so that "Báo cáo kết quả thực hiện Chương trình OCOP" (43 characters)
    # fits above the table.
    assert widths == [stored(36), stored(9)]


def test_the_title_block_does_not_hide_the_header_from_an_import():
    rows = read_sheet(io.BytesIO(_book()), required=["Tên sản phẩm", "Doanh thu"], name="Cấp mới").rows
    assert [(n, r["Tên sản phẩm"], r["Doanh thu"]) for n, r in rows] == [
        (7, LONG_NAME, 201_234_567), (8, '=HYPERLINK("http://x")', 0)
    ]  # fmt: skip


# A product's description of 400 characters, then the next product: the description's row is as high as its wrapped
# lines, so on paper its last words come above the next name, not over it.
DESCRIPTION = ("Chè búp được hái tay vào sáng sớm, sao trên chảo gang bằng lửa củi theo cách truyền thống của vùng đồi "
               "Ba Vì; " * 4)[:391] + " CUỐICÙNG"  # fmt: skip
NEXT = "Thường Tín ZZZ"


def _described() -> bytes:
    rows = [["Chè Ba Vì", DESCRIPTION, 3], [NEXT, "Gốm men lam", 4]]
    with translation.override("vi"):
        return write_sheets([("Sản phẩm", ["Tên sản phẩm", "Mô tả", "Hạng sao"], rows)], block=BLOCK)


def test_a_row_is_as_high_as_its_wrapped_text():
    ws = load_workbook(io.BytesIO(_described()))["Sản phẩm"]
    assert (len(DESCRIPTION), ws.column_dimensions["B"].width) == (400, stored(MAX_WIDTH))
    lines = wrapped_lines(DESCRIPTION, MAX_WIDTH)
    assert lines == len(textwrap.wrap(DESCRIPTION, int((MAX_WIDTH - 2) * WRAP_FILL), break_on_hyphens=False)) == 9
    assert (ws.row_dimensions[7].height, ws.row_dimensions[7].customHeight) == (lines * LINE_HEIGHT, True)
    assert ws.row_dimensions[8].height is None  # one line: the default height
    assert wrapped_lines("một\nhai\n\nbốn", 20) == 4  # each line of the text counts, an empty one too
    assert row_height([None], [MAX_WIDTH]) is None  # not wrapped: one line, cut at the cell's edge
    assert row_height(["x " * 5000], [MAX_WIDTH]) == MAX_ROW_HEIGHT  # wrapped: Excel's most


def lines_on_paper(reader: Any) -> list[tuple[float, str]]:
    """Each run of text on the first page with its height on the page (y from the bottom)."""
    found: list[tuple[float, str]] = []
    reader.pages[0].extract_text(visitor_text=lambda text, cm, tm, *_: found.append((tm[5] * cm[3] + cm[5], text)))
    return [(y, text) for y, text in found if text.strip()]


def test_libreoffice_prints_the_next_row_below_a_long_wrapped_text(tmp_path):
    printed = open_in_libreoffice(_described(), tmp_path)
    runs = lines_on_paper(printed.pdf)
    last = [y for y, text in runs if "CUỐICÙNG" in text]
    name = [y for y, text in runs if NEXT in text]
    assert len(last) == 1 and len(name) == 1, runs
    assert last[0] - name[0] >= LINE_HEIGHT / 2  # the description's last line well above the next product's name
    assert "CUỐICÙNG" in printed.pdf_text and "Gốm men lam" in printed.pdf_text


def test_one_font_no_grid_lines_the_table_framed():
    ws = load_workbook(io.BytesIO(_book()))["Cấp mới"]
    # Title, header and body in the workbook's one font (LibreOffice printed an unnamed bold font in a serif).
    assert {ws[c].font.name for c in ("A1", "A2", "A3", "A6", "B6", "A7", "B7", "C7", "B8")} == {"Calibri"}
    assert not ws.print_options.gridLines  # left out: the format's default, no grid printed
    table = [ws.cell(row=r, column=c) for r in range(6, 9) for c in range(1, 7)]
    assert all(cell.border.left.style == cell.border.right.style == cell.border.top.style == cell.border.bottom.style
               == "thin" for cell in table)  # fmt: skip
    assert all(ws.cell(row=r, column=1).border.left.style is None for r in range(1, 6))  # the title block unframed


def test_a_number_that_is_not_one_and_a_moment_past_the_headers_are_written_as_excel_shows_them():
    from zoneinfo import ZoneInfo

    # A NaN or an infinity stops no workbook: Excel's own error values, the rest of the row and sheet written.
    # A moment in a cell past the headers reads as the installation's clock, as in the table's own columns.
    moment = dt.datetime(2026, 12, 4, 2, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Hà Nội
    rows = [["a", float("nan"), 1, moment, "=1+1"], ["b", float("inf"), 2]]
    ws = load_workbook(io.BytesIO(write_sheets([("Số", ["Tên", "Giá trị", "Số"], rows)])), data_only=True).active
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        ["a", "#NUM!", 1, dt.datetime(2026, 12, 4, 9, 30), "=1+1"],  # noqa: DTZ001  # Excel's wall clock
        ["b", "#DIV/0!", 2, None, None],
    ]
    assert (ws["D2"].number_format, ws["E2"].data_type, ws["E2"].quotePrefix) == ("dd/mm/yyyy hh:mm", "s", True)
