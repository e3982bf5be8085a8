"""What a recognition list can get wrong: each mistake is named in Vietnamese at its row and column (or, for the file,
what the file is), and nothing is written by a dry run, or by an all-or-nothing save with a wrong row."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from ocop.accounts.models import Role
from ocop.certificates.models import Certificate, Decision
from ocop.core.tests.test_xlsx import ole
from ocop.registry.imports import run_import
from ocop.registry.models import Producer, Product
from ocop.testing import make_user

from .test_history import HEAD, TODAY

GOOD = [1, "Chè búp Ba Vì", "HTX Chè Ba Trại", "xã Ba Trại, huyện Ba Vì", "1-12", "4 sao", "5087/QĐ-UBND",
        "12/11/2019", 2019, "Thành phố", ""]  # fmt: skip


def workbook(rows, head=HEAD, merge=None):
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def nothing_written():
    return (Producer.objects.count(), Product.objects.count(), Decision.objects.count(), Certificate.objects.count())


@pytest.fixture
def office(db, time_machine):
    time_machine.move_to(TODAY, tick=False)
    return make_user(Role.PROVINCE_COORDINATOR)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (io.BytesIO(b"%PDF-1.4 a report"), "Tệp không phải là sổ tính Excel (.xlsx)."),
        (io.BytesIO(ole(["EncryptedInfo", "EncryptedPackage"])), "Tệp đang được đặt mật khẩu: hãy mở tệp bằng Excel"),
        (io.BytesIO(ole(["Workbook"])), "Tệp là sổ tính Excel 97–2003 định dạng cũ (.xls)"),
        (io.BytesIO("STT,Tên sản phẩm\n1,Chè\n".encode()), "Tệp là tệp văn bản (có thể là tệp CSV)"),
    ],
)
def test_what_is_not_a_workbook_is_named_and_nothing_is_written(office, data, message):
    before = nothing_written()
    report = run_import("history", data, user=office, commit=True)
    assert (report.file_error.startswith(message), report.committed) == (True, False)
    assert report.summary() == "rows: 0 read, 0 created, 0 updated, 0 unchanged, 0 parked, 0 errors"  # no row read
    assert nothing_written() == before


def test_merged_and_repeated_headings_are_refused_by_name(office):
    merged = workbook([GOOD], merge="B1:C1")
    assert run_import("history", merged, user=office, commit=True).file_error == (
        "Các ô tiêu đề B1:C1 đang được gộp: mỗi cột cần có tiêu đề riêng."
    )
    twice = workbook([[*GOOD, "x"]], head=[*HEAD, "Hạng sao"])
    assert run_import("history", twice, user=office, commit=True).file_error == (
        "Tiêu đề cột “Hạng sao” xuất hiện hai lần, ở cột F và cột L: chỉ giữ lại một cột."
    )
    assert nothing_written() == (0, 0, 0, 0)


def test_dates_and_stars_as_people_write_them_and_what_is_wrong(office):
    rows = [
        GOOD,  # a date typed as text, "4 sao"
        [2, "Miến dong", "HTX Miến Vân Hòa", "xã Vân Hòa, huyện Ba Vì", "1-06", "4*", "4110/QĐ-UBND",
         dt.datetime(2022, 10, 5), None, "", ""],  # noqa: DTZ001  # an Excel date, "4*"
        [3, "Mật ong", "HTX Ong Ba Vì", "xã Vân Hòa, huyện Ba Vì", "1-04", "3", "4110/QĐ-UBND", 44839, None, "", ""],
        [4, "Giò chả", "HTX Ước Lễ", "xã Tân Ước, huyện Thanh Oai", "1-08", "4 sao", "77/QĐ-UBND", "01/01/2027",
         None, "", ""],  # a decision of the future
        [5, "Nón lá", "HTX Chuông", "xã Phương Trung, huyện Thanh Oai", "4-02", "bốn sao", "77/QĐ-UBND",
         "12/11/2024", 2024, "", ""],
        [6, "Lụa", "HTX Vạn Phúc", "P. Vạn Phúc, Q. Hà Đông", "Lụa tơ tằm", "4 sao", "77/QĐ-UBND", "31/02/2024",
         None, "", ""],
        [7, "Trà", "HTX Trà", "xã Vân Hòa, huyện Ba Vì", "1-13", "4 sao", "78/QĐ-UBND", "", 2021, "Trung ương", ""],
    ]  # fmt: skip
    report = run_import("history", workbook(rows), user=office, commit=True)
    assert not report.committed and nothing_written() == (0, 0, 0, 0)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (5, "Ngày quyết định", "Ngày quyết định 01/01/2027 ở tương lai."),
        (6, "Hạng sao", "“bốn sao” không phải hạng sao: hãy ghi 3, 4, 5 hoặc “tiềm năng 5 sao” (cũng có thể ghi 3 sao, "
                        "4*, 5★)."),
        (7, "Ngày quyết định", "“31/02/2024” không phải là ngày có thật."),
        (7, "Nhóm sản phẩm", "Bộ sản phẩm hoặc nhóm sản phẩm “Lụa tơ tằm” không có trong danh mục."),
        (8, "Hạng sao", "Cấp Bộ chỉ công nhận sản phẩm 5 sao."),
    ]  # fmt: skip
    assert [(r.row, r.action) for r in report.rows[:3]] == [(2, "create"), (3, "create"), (4, "create")]
    report = run_import("history", workbook(rows[:3]), user=office, commit=True)
    assert report.committed
    dates = dict(Certificate.objects.values_list("product__name", "issued_on"))
    assert dates == {"Chè búp Ba Vì": dt.date(2019, 11, 12), "Miến dong": dt.date(2022, 10, 5),
                     "Mật ong": dt.date(2022, 10, 5)}  # fmt: skip
    assert dict(Certificate.objects.values_list("product__name", "stars")) == {
        "Chè búp Ba Vì": 4, "Miến dong": 4, "Mật ong": 3
    }  # fmt: skip
