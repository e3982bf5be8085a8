"""No cell of a file the project writes turns into a formula in a spreadsheet program (issue 15, item 6): the
open-data CSV quotes such text with an apostrophe, the xlsx exports store it as text."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.core.excel import csv_cell, write_workbook
from ocop.reporting.opendata import read, write_register
from ocop.testing import make_product

NAMES = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "Chè = trà"]  # names are stripped: no tab or CR


def test_product_names_that_start_like_formulas_are_text_in_the_open_data_csv(office, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    for name in NAMES:
        issue(office, product=make_product(producer=office.producer, name=name))
    write_register()
    rows = list(csv.reader(io.StringIO(read("certificates.csv").decode("utf-8-sig"), newline="")))
    assert (rows[0][3], rows[0][4]) == ("product_name", "product_name_today")
    assert [row[3] for row in rows[1:]] == [
        "'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2", "'@SUM(A1)", "Chè = trà",
    ]  # fmt: skip
    # the other columns are as they were: dates, stars and a producer's plain name are not touched
    assert rows[1][6:16] == [
        "HTX Gốm Bát Tràng", "HTX Gốm Bát Tràng", "01", "Thành phố Hà Nội", rows[1][10], "Xã Bát Tràng", "4",
        "2025-11-20", "2028-11-20", "valid",
    ]  # fmt: skip
    # the JSON keeps the names as typed
    import json

    items = json.loads(read("certificates.json"))["items"]
    assert [item["product_name"] for item in items] == NAMES


@pytest.mark.parametrize(
    ("value", "written"),
    [('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'), ("+1", "'+1"), ("-2", "'-2"),
     ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), (" =x", " =x"), ("", ""), (-2, -2), (None, None)],
)  # fmt: skip
def test_one_csv_helper_quotes_exactly_the_formula_starts(value, written):
    assert csv_cell(value) == written


def test_the_workbook_writer_stores_formula_like_text_as_text():
    texts = [*NAMES[:4], "\tTab", "\rCR", NAMES[4]]
    data = write_workbook(title="Sản phẩm", headers=["Tên", "Số"], rows=[[text, 1] for text in texts])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = [sheet.cell(row=row, column=1) for row in range(2, 2 + len(texts))]
    assert [c.data_type for c in cells] == ["s"] * len(texts)
    # The values as a spreadsheet reads them: the control character is stored escaped (_x000D_, the format's rule),
    # which calamine (our importer) decodes as Excel does and openpyxl does not.
    read = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert [row[0] for row in read[1:]] == texts
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False]
    assert sheet.cell(row=2, column=2).data_type == "n"
