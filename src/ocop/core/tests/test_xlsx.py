"""Reading hostile and odd workbooks: refused with a message, in a child process, never taking the caller down.

Messages are checked in English (translation.override) so the tests hold before and after the Vietnamese
catalogue gets the new strings.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from ocop.core.excel import ExcelError, read_sheet
from ocop.core.xlsx import check_upload, read_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XFD_MESSAGE = (
    "Sheet “Sheet1” holds data in cell XFD1048576, beyond the 200 columns an import may have: delete what lies "
    "outside the table and save the file again."
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def build(
    path: Path,
    rows_xml: str,
    *,
    dimension: str = "A1",
    merged: tuple[str, ...] = (),
    shared_strings: Iterable[bytes] | None = None,
) -> str:
    """A minimal workbook written by hand, so a test can say exactly which cells the sheet holds."""
    merges = f'<mergeCells count="{len(merged)}">{"".join(f"<mergeCell ref={chr(34)}{m}{chr(34)}/>" for m in merged)}</mergeCells>'
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{rows_xml}</sheetData>{merges if merged else ''}</worksheet>"
    )
    rels = '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared_strings is not None:
        rels += '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            with zf.open("xl/sharedStrings.xml", "w") as part:
                for chunk in shared_strings:
                    part.write(chunk)
    return str(path)


def saved(wb: Workbook) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def ole(names: list[str]) -> bytes:
    """An OLE2 compound file whose directory, two sectors chained through the FAT, lists `names`."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1E] = (0x3E).to_bytes(2, "little") + (3).to_bytes(2, "little") + b"\xfe\xff"
    header[0x1E:0x22] = (9).to_bytes(2, "little") + (6).to_bytes(2, "little")
    header[0x2C:0x34] = (1).to_bytes(4, "little") + (1).to_bytes(4, "little")  # one FAT sector; directory at 1
    header[0x4C:0x200] = (0).to_bytes(4, "little") + b"\xff" * (512 - 0x50)  # the FAT is sector 0
    fat = [0xFFFFFFFD, 2, 0xFFFFFFFE] + [0xFFFFFFFF] * 125  # directory: sector 1, then 2
    entries = b""
    for name in names:
        encoded = name.encode("utf-16-le")
        entries += (encoded + b"\0" * (64 - len(encoded))) + (len(encoded) + 2).to_bytes(2, "little")
        entries += bytes([2]) + b"\0" * 61
    entries = entries.ljust(1024, b"\0")
    return bytes(header) + b"".join(n.to_bytes(4, "little") for n in fat) + entries


ENCRYPTED = ole(["Root Entry", "EncryptionInfo", "\x06DataSpaces", "DataSpaceMap", "EncryptedPackage"])
OLD_XLS = ole(["Root Entry", "Workbook", "\x05SummaryInformation"])
CSV = "Tên sản phẩm;Mã\nChè;1\n".encode()
RANDOM = random.Random(7).randbytes(6000)  # noqa: S311  # reproducible junk, not security

MESSAGES = {
    "encrypted": "The file is password-protected: open it in Excel, remove the password (File › Info › Protect Workbook) and save it again as .xlsx.",
    "xls": "The file is an old Excel 97–2003 workbook (.xls): open it in Excel and save it as .xlsx.",
    "csv": "The file is text (a CSV file?), not an Excel workbook: open it in Excel and save it as .xlsx.",
    "random": "The file is not an Excel workbook (.xlsx).",
}


def test_a_value_at_xfd1048576_is_refused_without_reading_the_sheet(tmp_path):
    alone = build(tmp_path / "xfd.xlsx", f'<row r="1048576">{inline("XFD1048576", "x")}</row>', dimension="XFD1048576")
    with pytest.raises(ExcelError) as refused:
        read_workbook(alone, [None])
    assert str(refused.value) == XFD_MESSAGE

    # A1 and XFD1048576: calamine alone would ask for 512 GiB and abort the process.
    both = build(
        tmp_path / "a1xfd.xlsx",
        f'<row r="1">{inline("A1", "a")}</row><row r="1048576">{inline("XFD1048576", "x")}</row>',
        dimension="A1:XFD1048576",
    )
    with pytest.raises(ExcelError) as refused:
        read_workbook(both, [None])
    assert str(refused.value) == XFD_MESSAGE
    with open(both, "rb") as fh, pytest.raises(ExcelError) as refused:
        read_sheet(fh, required=["a"])
    assert str(refused.value) == XFD_MESSAGE
    # Still here, and still reading.
    ok = build(tmp_path / "ok.xlsx", f'<row r="1">{inline("A1", "a")}</row>')
    assert read_workbook(ok, [None])[None].rows == [["a"]]


def test_a_declared_million_rows_holding_twenty_reads_twenty(tmp_path):
    rows = "".join(f'<row r="{i}">{inline(f"A{i}", f"v{i}")}<c r="B{i}"><v>{i}</v></c></row>' for i in range(1, 21))
    path = build(tmp_path / "million.xlsx", rows, dimension="A1:XFD1048576")
    sheet = read_workbook(path, [None])[None]
    assert (sheet.name, sheet.rows, sheet.merged) == ("Sheet1", [[f"v{i}", i] for i in range(1, 21)], [])


def test_the_extent_counts_values_not_styles_or_formulas_without_one(tmp_path):
    rows = (
        f'<row r="1">{inline("A1", "a")}<c r="XFD1" s="1"/></row>'
        '<row r="1048576"><c r="XFD1048576"><f>1+1</f></c></row>'
        '<row r="2"><c r="C2"><v>2.0</v></c><c r="E2" s="3"/></row>'
    )
    assert read_workbook(build(tmp_path / "s.xlsx", rows), [None])[None].rows == [["a", "", ""], ["", "", 2]]


@pytest.mark.parametrize(
    ("rows", "cell"),
    [
        ('<row r="1"><c r="XFD1"><v>1</v></c><c r="A1"><v>1</v></c></row>', "XFD1"),  # out of order
        ('<row r="3"><c r="GR3"><v>1</v></c><c><v>2</v></c></row>', "GS3"),  # a cell without r follows GR3
        ('<row><c r="A1"><v>1</v></c></row><row><c r="gs2"><v>1</v></c></row>', "GS2"),  # lower case, rows without r
    ],
)
def test_every_cell_holding_a_value_counts_towards_the_columns(tmp_path, rows, cell):
    with pytest.raises(ExcelError) as refused:
        read_workbook(build(tmp_path / "c.xlsx", rows), [None])
    assert str(refused.value) == (
        f"Sheet “Sheet1” holds data in cell {cell}, beyond the 200 columns an import may have: delete what lies "
        "outside the table and save the file again."
    )


def test_more_rows_than_allowed_are_refused(tmp_path, settings):
    far = build(
        tmp_path / "far.xlsx",
        f'<row r="1">{inline("A1", "a")}</row><row r="1048576"><c r="A1048576"><v>1</v></c></row>',
    )
    with pytest.raises(ExcelError) as refused:
        read_workbook(far, [None])
    assert str(refused.value) == (
        "Sheet “Sheet1” has 1,048,576 rows, more than the 100,000 an import may have: split it into several files."
    )
    settings.OCOP_IMPORT_MAX_ROWS = 10
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 12))
    with pytest.raises(ExcelError) as refused:
        read_workbook(build(tmp_path / "eleven.xlsx", rows), [None])
    assert (
        str(refused.value)
        == "Sheet “Sheet1” has 11 rows, more than the 10 an import may have: split it into several files."
    )
    assert len(read_workbook(build(tmp_path / "ten.xlsx", rows.rsplit("<row", 1)[0]), [None])[None].rows) == 10


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s uncompressed size rewritten, in its local header and in the central directory."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = out.find(signature)
        while start != -1:
            if out[start + name_at : start + name_at + len(encoded)] == encoded:
                out[start + size_at : start + size_at + 4] = size.to_bytes(4, "little")
            start = out.find(signature, start + 4)
    return bytes(out)


def test_a_zip_bomb_part_is_refused_whatever_size_it_declares(tmp_path, settings):
    settings.OCOP_IMPORT_MAX_PART_BYTES = 10 * 1024 * 1024
    path = tmp_path / "bomb.xlsx"
    spaces = (b" " * (1024 * 1024) for _megabyte in range(150))  # deflates to a few hundred KB
    build(path, f'<row r="1">{inline("A1", "a")}</row>', shared_strings=spaces)
    assert path.stat().st_size < 1024 * 1024
    message = "The workbook is too large once unpacked: its part xl/sharedStrings.xml holds more than 10 MB."
    with pytest.raises(ExcelError) as refused:
        read_workbook(str(path), [None])
    assert str(refused.value) == message
    lying = tmp_path / "lying.xlsx"
    lying.write_bytes(_declare_size(path.read_bytes(), "xl/sharedStrings.xml", 100))
    assert zipfile.ZipFile(lying).getinfo("xl/sharedStrings.xml").file_size == 100
    with pytest.raises(ExcelError) as refused:
        read_workbook(str(lying), [None])
    assert str(refused.value) == message

    settings.OCOP_IMPORT_MAX_PART_BYTES = 1000
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 100))
    with pytest.raises(ExcelError) as refused:
        read_workbook(build(tmp_path / "sheet.xlsx", rows), [None])
    assert str(refused.value) == (
        "The workbook is too large once unpacked: its part xl/worksheets/sheet1.xml holds more than 0 MB."
    )


@pytest.mark.parametrize(
    ("kind", "data"), [("encrypted", ENCRYPTED), ("xls", OLD_XLS), ("csv", CSV), ("random", RANDOM)]
)
def test_files_that_are_not_xlsx_are_named_for_what_they_are(tmp_path, kind, data):
    assert b"\0" in RANDOM[:4096]
    path = tmp_path / "upload.xlsx"
    path.write_bytes(data)
    with pytest.raises(ExcelError) as refused:
        read_workbook(str(path), [None])
    assert str(refused.value) == MESSAGES[kind]
    with pytest.raises(ExcelError) as refused:
        check_upload(SimpleUploadedFile("upload.xlsx", data))
    assert str(refused.value) == MESSAGES[kind]


def test_other_files_and_zips_that_hold_no_workbook(tmp_path):
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<document/>")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    for path, message in [(docx, MESSAGES["random"]), (empty, "The file is empty.")]:
        with pytest.raises(ExcelError) as refused:
            read_workbook(str(path), [None])
        assert str(refused.value) == message
    with pytest.raises(ExcelError) as refused:
        check_upload(SimpleUploadedFile("empty.xlsx", b""))
    assert str(refused.value) == "The file is empty."


def test_check_upload_passes_a_zip_and_leaves_it_at_its_start(tmp_path):
    wb = Workbook()
    wb.active.append(["Tên"])
    upload = SimpleUploadedFile("a.xlsx", saved(wb).getvalue())
    upload.seek(10)
    assert check_upload(upload) is None
    assert upload.tell() == 0
    with pytest.raises(ExcelError) as refused:
        check_upload(io.BytesIO(b"%PDF-1.4 fake"))
    assert str(refused.value) == MESSAGES["random"]


def test_a_sheet_that_is_not_there(tmp_path):
    with pytest.raises(ExcelError) as refused:
        read_workbook(build(tmp_path / "a.xlsx", f'<row r="1">{inline("A1", "a")}</row>'), ["Khác"])
    assert str(refused.value) == "The workbook has no sheet “Khác”."


def test_the_memory_ceiling_kills_the_child_not_the_caller(tmp_path, settings):
    # Two values make an extent of 30,000 rows × 100 columns: within the limits, but calamine allocates every
    # one of the 3 million cells (tens of MB) before it reads a value.
    path = build(
        tmp_path / "wide.xlsx", f'<row r="1">{inline("A1", "a")}</row><row r="30000"><c r="CV30000"><v>1</v></c></row>'
    )
    settings.OCOP_IMPORT_MEMORY_MB = 64
    with pytest.raises(ExcelError) as refused:
        read_workbook(path, [None])
    assert str(refused.value) == (
        "Reading the file needs more memory than allowed (64 MB): delete the empty rows and columns outside the "
        "table, or split the file."
    )
    settings.OCOP_IMPORT_MEMORY_MB = 1024
    rows = read_workbook(path, [None])[None].rows
    assert (len(rows), rows[0][:2], rows[-1][-1], len(rows[-1])) == (30000, ["a", ""], 1, 100)


def test_a_reader_past_its_time_is_stopped(tmp_path, settings):
    settings.OCOP_IMPORT_TIMEOUT_SECONDS = 0.001
    with pytest.raises(ExcelError) as refused:
        read_workbook(build(tmp_path / "a.xlsx", f'<row r="1">{inline("A1", "a")}</row>'), [None])
    assert str(refused.value) == "Reading the file took longer than 0.001 seconds: split it into smaller files."


def test_headings_are_found_below_a_title_block_and_matched_folded():
    wb = Workbook()
    ws = wb.active
    ws.append(["UBND TỈNH HÀ TĨNH"])
    ws.merge_cells("A1:C1")
    ws.append([])
    nfd = unicodedata.normalize("NFD", "TÊN  SẢN PHẨM ")
    ws.append([nfd, "mã", "Ghi chú", "Hạng"])
    ws.append(["Chè", 12.0, "x", None])
    ws.append([None, None, None, None])
    ws.append(["Mật ong", 13, None, "3 sao"])
    sheet = read_sheet(saved(wb), required=["Tên sản phẩm", "Mã"], columns=["Tên sản phẩm", "Mã", "Hạng"])
    assert sheet.headers == [nfd.strip(), "mã", "Ghi chú", "Hạng"]
    assert list(sheet.rows) == [
        (4, {"Tên sản phẩm": "Chè", "Mã": 12, "Hạng": None}),
        (6, {"Tên sản phẩm": "Mật ong", "Mã": 13, "Hạng": "3 sao"}),
    ]
    # Without `columns`, unknown headings keep their own text (what callers written before it expect).
    sheet = read_sheet(saved(wb), required=["Tên sản phẩm", "Mã"])
    assert next(sheet.rows) == (4, {"Tên sản phẩm": "Chè", "Mã": 12, "Ghi chú": "x", "Hạng": None})


def test_missing_headings_are_named_from_the_likeliest_row():
    wb = Workbook()
    wb.active.append(["Danh sách"])
    wb.active.append(["Tên sản phẩm", "Ghi chú"])
    with pytest.raises(ExcelError) as refused:
        read_sheet(saved(wb), required=["Tên sản phẩm", "Mã", "Hạng"])
    assert str(refused.value) == "Missing column(s): Mã, Hạng (headings read from row 2)."
    with pytest.raises(ExcelError) as refused:
        read_sheet(saved(wb), required=["Mã"])
    assert str(refused.value) == "Missing column(s): Mã."


def test_a_heading_twice_is_refused_with_both_columns():
    wb = Workbook()
    wb.active.append(["Tên", "Mã", "tên ", "Ghi chú", "Ghi chú"])
    with pytest.raises(ExcelError) as refused:
        read_sheet(saved(wb), required=["Tên"])
    assert str(refused.value) == "The heading “Tên” appears twice, in columns A and C: keep only one."
    wb = Workbook()
    wb.active.append(["Tên", "Ghi chú", "Ghi chú"])  # an unknown heading twice is no one's business
    wb.active.append(["a", "b", "c"])
    assert list(read_sheet(saved(wb), required=["Tên"], columns=["Tên"]).rows) == [(2, {"Tên": "a"})]


def test_merged_header_cells_are_refused_by_range():
    wb = Workbook()
    wb.active.append(["Tên", None, None, "Mã"])
    wb.active.merge_cells("A1:C1")
    with pytest.raises(ExcelError) as refused:
        read_sheet(saved(wb), required=["Tên", "Mã"])
    assert str(refused.value) == "Header cells A1:C1 are merged: each column needs its own heading."


def test_the_child_imports_no_django_and_dies_with_its_parent():
    probe = "import sys, ocop.core.xlsxchild, ocop.core.processes; print(sorted(m for m in sys.modules if m.startswith('django')))"
    assert _python(probe, check=True).stdout == "[]\n"
    parent = (
        "import subprocess, sys, os\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import os, time; from ocop.core.processes import die_with_parent;"
        " die_with_parent(os.getppid()); print(os.getpid(), flush=True); time.sleep(60)'], stdout=subprocess.PIPE)\n"
        "print(child.stdout.readline().decode().strip(), flush=True)\n"
        "os._exit(0)\n"
    )
    done = _python(parent, check=True)
    pid = int(done.stdout)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid)


def _python(code: str, *, check: bool) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=check, timeout=60)  # noqa: S603  # our own code


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in state  # a zombie waiting for init to reap it is dead already


def test_die_with_parent_exits_an_orphan():
    # Told a parent pid that is not its parent, the child knows it missed its parent's death and leaves at once.
    code = "import os; from ocop.core.processes import die_with_parent; die_with_parent(os.getppid() + 999999); print('alive')"
    done = _python(code, check=False)
    assert (done.returncode, done.stdout) == (1, "")
