import io

from openpyxl import load_workbook

from ocop.core.excel import read_sheet, write_workbook


def test_formula_like_cells_are_written_as_text():
    data = write_workbook(title="T", headers=["a", "b"], rows=[["=1+1", "+84912"], ["@SUM(A1)", "-3"], ["ok", 5]])
    ws = load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["a", "b"],
        ["=1+1", "+84912"],
        ["@SUM(A1)", "-3"],
        ["ok", 5],
    ]
    assert ws["A2"].data_type == "s"
    assert ws["A3"].data_type == "s"
    assert ws["B3"].data_type == "s"
    assert ws["B4"].data_type == "n"


def test_a_text_longer_than_a_cell_holds_is_cut_with_a_mark():
    long = "Mô tả " * 8_000  # 48,000 characters: a cell holds 32,767
    data = write_workbook(title="T", headers=["a", "b"], rows=[[long, "x" * 32_767]])
    ws = load_workbook(io.BytesIO(data)).active
    cut, whole = ws["A2"].value, ws["B2"].value
    assert (len(cut), cut[-11:], cut[:-11]) == (32_767, "… [cắt bớt]", long[: 32_767 - 11])
    assert whole == "x" * 32_767  # one that fits is written whole


def test_read_sheet_numbers_rows_from_two_and_skips_empty_rows():
    data = write_workbook(title="T", headers=["x", "y"], rows=[[" a ", None], [None, None], ["b", 2]])
    sheet = read_sheet(io.BytesIO(data), required=["x"])
    assert list(sheet.rows) == [(2, {"x": "a", "y": None}), (4, {"x": "b", "y": 2})]


def test_read_sheet_reads_a_path_and_leaves_no_copy_of_a_stream(tmp_path, monkeypatch):
    import tempfile

    data = write_workbook(title="T", headers=["Tên", "Ghi chú"], rows=[["a", "b"]])
    path = tmp_path / "a.xlsx"
    path.write_bytes(data)
    assert list(read_sheet(str(path), required=["tên"], columns=["tên"]).rows) == [(2, {"tên": "a"})]
    # The stream's copy goes to a temporary folder of this test's own (the shared /tmp also holds the copies of a
    # suite running beside this one, on the other database).
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    made: list[str] = []
    original = tempfile.NamedTemporaryFile

    def watched(*args, **kwargs):
        handle = original(*args, **kwargs)
        made.append(handle.name)
        return handle

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", watched)
    assert list(read_sheet(io.BytesIO(data), required=["Tên"]).rows) == [(2, {"Tên": "a", "Ghi chú": "b"})]
    assert [name.rsplit("/", 1)[0] for name in made] == [str(spool)]  # a copy was made there...
    assert list(spool.iterdir()) == []  # ...and is gone
