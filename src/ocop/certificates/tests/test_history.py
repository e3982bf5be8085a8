"""A province's published recognition list entered as history: real shapes (a title block, district-only addresses,
no identifiers, a commune merged before 2025, a product recognised twice, a potential 5-star row), saved with the good
rows kept and the rest parked, and a parked row fixed through the review form."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from ocop.accounts.models import Role
from ocop.certificates import log
from ocop.certificates.enums import LogEvent
from ocop.certificates.history import parse_stars
from ocop.certificates.models import Certificate, Decision, LogEntry
from ocop.certificates.queries import scan_row
from ocop.conftest import client_for
from ocop.core.cells import CellError
from ocop.places.models import Commune
from ocop.registry.imports import run_import
from ocop.registry.models import ImportMode, ParkedRow, Producer, Product
from ocop.testing import make_user

TODAY = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
HEAD = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Số quyết định",
        "Ngày quyết định", "Năm", "Cấp công nhận", "Ghi chú"]  # fmt: skip
ROWS = [
    [1, "Chè búp Ba Vì", "HTX Chè Ba Trại", "xã Ba Trại, huyện Ba Vì", "1-12", "3 sao", "5087/QĐ-UBND",
     "12/11/2019", 2019, "Thành phố", ""],
    [2, "Chè búp Ba Vì", "HTX Chè Ba Trại", "xã Ba Trại, huyện Ba Vì", "1-12", "4*", "4110/QĐ-UBND",
     dt.datetime(2022, 10, 5), 2022, "Thành phố", "nâng hạng"],  # noqa: DTZ001  # Excel dates have no zone
    [3, "Rau cải ngọt", "HTX Rau an toàn Gia Lâm", "huyện Gia Lâm", "Thực phẩm", "3★", "1234/QĐ-UBND", None,
     2023, "Huyện", ""],
    [4, "Gốm men lam", "Công ty TNHH Gốm Bát Tràng Xưa", "xã Bát Tràng, huyện Gia Lâm",
     "Thủ công mỹ nghệ, trang trí", "4 sao", "3712/QĐ-UBND", "15/08/2024", 2024, "Tỉnh/Thành phố", ""],
    [5, "Miến dong", "HTX Miến Phú Thị", "xã Phú Thị, huyện Gia Lâm", "1-06", "4 sao", "4110/QĐ-UBND",
     "05/10/2022", 2022, "", ""],
    [6, "Nón lá", "Hộ kinh doanh Nguyễn Thị Lan", "xã Phù Đổng, huyện Gia Lâm", "4-02", "6 sao", "3712/QĐ-UBND",
     "15/08/2024", 2024, "", ""],
    [7, "Bưởi Diễn", "HTX Bưởi Phú Diễn", "P. Phú Diễn, Q. Bắc Từ Liêm", "1-01", "tiềm năng 5 sao",
     "2121/QĐ-UBND", 45463, None, "Thành phố", ""],
    [8, "Bánh chưng", "Cơ sở Bánh chưng Tranh Khúc", "xã Phù Đổng, huyện Gia Lâm", "1-06", "3 sao",
     "9999/QĐ-UBND", "01/01/2027", None, "", ""],
]  # fmt: skip


def published_list() -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN (2019–2024)"])
    ws.append([])
    ws.append(HEAD)
    for row in ROWS:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_stars_as_lists_write_them():
    assert [parse_stars(s) for s in ("3", "4 sao", "4*", "5★", "tiềm năng 5 sao", "4 sao (tiềm năng 5 sao)")] == [
        (3, False), (4, False), (4, False), (5, False), (4, True), (4, True)
    ]  # fmt: skip
    with pytest.raises(CellError, match="6 sao"):
        parse_stars("6 sao")


def test_a_published_list_is_entered_with_the_rest_parked_and_fixed_in_the_review_form(db, time_machine):
    time_machine.move_to(TODAY, tick=False)
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="office")
    report = run_import("history", published_list(), user=coordinator, commit=True, mode=ImportMode.PARK)
    assert report.committed
    assert report.summary() == "rows: 8 read, 5 created, 0 updated, 0 unchanged, 3 parked, 2 errors"
    assert [(r.row, r.action, r.reason) for r in report.rows] == [
        (4, "create", ""), (5, "create", ""), (6, "create", ""), (7, "parked", "place"), (8, "create", ""),
        (9, "parked", "error"), (10, "create", ""), (11, "parked", "error"),
    ]  # fmt: skip
    assert {r.row: r.flags for r in report.rows if r.flags} == {
        4: ["thiếu mã số thuế"],
        5: ["thiếu mã số thuế"],
        6: ["thiếu mã số thuế", "chỉ có huyện cũ", "chưa xác định bộ sản phẩm"],
        8: ["thiếu mã số thuế", "chỉ có huyện cũ"],
        10: ["thiếu mã số thuế"],
    }
    assert [(e.row, e.column) for e in report.errors] == [(9, "Hạng sao"), (11, "Ngày quyết định")]
    assert [(name, rows) for name, _d, rows in report.unknown_places] == [("Phú Thị", [8])]
    assert (Producer.objects.count(), Product.objects.count(), Decision.objects.count()) == (4, 4, 4)

    certs = {c.number: c for c in Certificate.objects.select_related("decision")}
    rows = [(n, c.stars, c.potential_five, c.issued_on, c.valid_until, scan_row(c.code)["status"]) for n, c in
            sorted(certs.items())]  # fmt: skip
    assert rows == [
        ("LS-01-2019-00001", 3, False, dt.date(2019, 11, 12), dt.date(2022, 11, 12), "superseded"),
        ("LS-01-2022-00001", 4, False, dt.date(2022, 10, 5), dt.date(2025, 10, 5), "expired"),
        ("LS-01-2022-00002", 4, False, dt.date(2022, 10, 5), dt.date(2025, 10, 5), "expired"),
        # Only the year: dated at its end, valid from its start (never shown valid past the earliest end it may have).
        ("LS-01-2023-00001", 3, False, dt.date(2023, 12, 31), dt.date(2026, 1, 1), "expired"),
        ("LS-01-2024-00001", 4, True, dt.date(2024, 6, 20), dt.date(2027, 6, 20), "valid"),
    ]
    first, second = certs["LS-01-2019-00001"], certs["LS-01-2022-00001"]
    assert (first.superseded_by_id, first.status_since) == (second.pk, dt.date(2022, 10, 5))
    district = certs["LS-01-2023-00001"].decision
    assert (district.level, district.issuing_body, district.date_approximate, district.historical) == (
        "district", "Ủy ban nhân dân huyện Gia Lâm", True, True
    )  # fmt: skip
    assert all(c.signature == "" and c.claim == "" for c in certs.values())
    chè = Product.objects.get(name="Chè búp Ba Vì")
    assert (chè.ocop_stars, chè.ocop_status, chè.ocop_until) == (4, "valid", dt.date(2025, 10, 5))
    events = list(LogEntry.objects.order_by("seq").values_list("event", flat=True))
    assert events == [LogEvent.IMPORTED] * 5 + [LogEvent.SUPERSEDED]
    assert log.verify() == []

    # The same list again: nothing new, and the parked rows are not queued twice.
    again = run_import("history", published_list(), user=coordinator, commit=True, mode=ImportMode.PARK)
    assert again.summary() == "rows: 8 read, 0 created, 0 updated, 5 unchanged, 3 parked, 2 errors"
    assert (Certificate.objects.count(), ParkedRow.objects.count()) == (5, 3)

    # The row whose former commune was divided: the office chooses today's commune in the review form.
    parked = ParkedRow.objects.get(row=7)
    assert parked.problems == []
    assert sorted(parked.candidates.values_list("name", flat=True)) == [
        "Phường Long Biên",
        "Xã Bát Tràng",
        "Xã Gia Lâm",
    ]
    client = client_for(coordinator)
    page = client.get(reverse("backoffice:parked_detail", args=[parked.pk]))
    assert page.status_code == 200
    fields = {f"c{i}": page.context["form"].fields[f"c{i}"].initial for i in range(len(page.context["form"].columns))}
    bat_trang = Commune.objects.get(province__code="01", name="Xã Bát Tràng")
    response = client.post(reverse("backoffice:parked_detail", args=[parked.pk]), {**fields, "commune": bat_trang.pk})
    assert response.status_code == 302
    parked.refresh_from_db()
    made = Certificate.objects.get(pk=parked.result_id)
    assert (parked.state, made.product.name, made.product.commune, made.number, made.stars) == (
        "resolved", "Gốm men lam", bat_trang, "LS-01-2024-00002", 4
    )  # fmt: skip
    assert Producer.objects.get(name="Công ty TNHH Gốm Bát Tràng Xưa").kind == "enterprise"


def test_the_qr_page_says_the_certificate_came_from_a_list(db, client, time_machine):
    time_machine.move_to(TODAY, tick=False)
    coordinator = make_user(Role.PROVINCE_COORDINATOR)
    run_import("history", published_list(), user=coordinator, commit=True, mode=ImportMode.PARK)
    cert = Certificate.objects.get(number="LS-01-2024-00001")
    body = client.get(reverse("verify", args=[cert.code])).content.decode()
    assert "Nhập từ danh sách công nhận năm 2024" in body
    assert "tiềm năng 5 sao" in body
    approximate = Certificate.objects.get(number="LS-01-2023-00001")
    body = client.get(reverse("verify", args=[approximate.code])).content.decode()
    assert "2023 – 01/01/2026 (ước tính: chỉ biết năm quyết định)" in body


def test_the_command_line_enters_a_list(db, tmp_path, capsys, time_machine):
    time_machine.move_to(TODAY, tick=False)
    make_user(Role.PROVINCE_COORDINATOR, username="office")
    path = tmp_path / "ds.xlsx"
    path.write_bytes(published_list().getvalue())
    with pytest.raises(CommandError):  # all or nothing: the bad rows stop it (nothing is saved in a dry run anyway)
        call_command("import", "history", str(path), "--user", "office")
    assert capsys.readouterr().out.splitlines()[-1] == (
        "rows: 8 read, 5 created, 0 updated, 0 unchanged, 1 parked, 2 errors"
    )
    assert Certificate.objects.count() == 0
    call_command("import", "history", str(path), "--user", "office", "--commit", "--park")
    assert capsys.readouterr().out.splitlines()[-1] == (
        "rows: 8 read, 5 created, 0 updated, 0 unchanged, 3 parked, 2 errors"
    )
    assert Certificate.objects.count() == 5


def test_levels_as_lists_write_them():
    from ocop.certificates.history import parse_level

    assert [parse_level(s) for s in ("Huyện", "UBND huyện Gia Lâm", "Tỉnh/Thành phố", "TP Hà Nội", "Thành phố",
                                     "Trung ương", "Bộ NN&PTNT", "cấp tỉnh", "xã")] == [
        "district", "district", "province", "province", "province", "ministry", "ministry", "province", None
    ]  # fmt: skip
