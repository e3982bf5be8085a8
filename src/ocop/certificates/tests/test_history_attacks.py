"""A list claims to be history; it never rewrites what OCOP Hub itself decided: a decision made here (issued or a
draft) takes no rows from a list, and a product's certificate issued here is neither replaced nor shadowed by one."""

import datetime as dt

import pytest

from ocop.certificates import services
from ocop.certificates.enums import IssuingLevel
from ocop.certificates.models import Certificate, Decision, DecisionItem
from ocop.registry.imports import run_import
from ocop.registry.models import ImportMode
from ocop.testing import province

from .conftest import issue
from .test_history import TODAY
from .test_history_bad_input import workbook


@pytest.fixture
def now(time_machine):
    time_machine.move_to(TODAY, tick=False)


def row(number, date, product="Bình gốm men lam", stars="4 sao"):
    return [1, product, "HTX Gốm Bát Tràng", "xã Bát Tràng, TP Hà Nội", "4-02", stars, number, date,
            int(date[-4:]), "Thành phố", ""]  # fmt: skip


def test_a_decision_made_here_takes_no_rows_from_a_list(office, now):
    cert = issue(office, on=dt.date(2025, 11, 20), number="6215/QĐ-UBND")
    draft = services.draft_decision(by=office.coordinator, province=province(), level=IssuingLevel.PROVINCE)
    Decision.objects.filter(pk=draft.pk).update(number="99/QĐ-UBND", year=2024)  # a draft that already has a number
    rows = [
        row("6215/QĐ-UBND", "20/11/2025", product="Chén gốm men rạn", stars="3 sao"),
        row("99/QĐ-UBND", "01/03/2024", product="Đĩa gốm vẽ tay", stars="3 sao"),
    ]
    report = run_import("history", workbook(rows), user=office.coordinator, commit=True, mode=ImportMode.PARK)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Số quyết định", "Quyết định 6215/QĐ-UBND năm 2025 là quyết định ban hành trên OCOP Hub: các sản phẩm "
                             "được công nhận ghi theo chính quyết định đó, không nhập từ danh sách."),
        (3, "Số quyết định", "Quyết định 99/QĐ-UBND năm 2024 là quyết định ban hành trên OCOP Hub: các sản phẩm "
                             "được công nhận ghi theo chính quyết định đó, không nhập từ danh sách."),
    ]  # fmt: skip
    assert report.summary() == "rows: 2 read, 0 created, 0 updated, 0 unchanged, 2 parked, 2 errors"
    assert DecisionItem.objects.filter(decision=cert.decision).count() == 1
    assert DecisionItem.objects.filter(decision=draft).count() == 0
    assert Certificate.objects.count() == 1


def test_a_list_never_replaces_a_certificate_issued_here(office, now):
    cert = issue(office, on=dt.date(2025, 11, 20))
    report = run_import(
        "history", workbook([row("7777/QĐ-UBND", "03/12/2026", stars="3 sao")]), user=office.coordinator,
        commit=True, mode=ImportMode.PARK,
    )  # fmt: skip
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Ngày quyết định", f"Vào ngày này sản phẩm đang có giấy chứng nhận {cert.number} cấp trên OCOP Hub: "
                               "danh sách không thay thế giấy đó."),
    ]  # fmt: skip
    cert.refresh_from_db()
    assert (cert.status, cert.superseded_by_id, Certificate.objects.count()) == ("valid", None, 1)
    # Before it, the product's history is history: entered, and it does not touch the certificate issued here.
    earlier = run_import(
        "history", workbook([row("1100/QĐ-UBND", "01/06/2023", stars="3 sao")]), user=office.coordinator,
        commit=True, mode=ImportMode.PARK,
    )  # fmt: skip
    assert earlier.summary() == "rows: 1 read, 1 created, 0 updated, 0 unchanged, 0 parked, 0 errors"
    listed = Certificate.objects.get(series="LS")
    cert.refresh_from_db()
    assert (listed.product_id, listed.status, listed.superseded_by_id) == (cert.product_id, "superseded", cert.pk)
    assert (cert.status, cert.superseded_by_id) == ("valid", None)


@pytest.mark.parametrize(
    ("value", "read"),
    [("tiềm năng 5 sao", (4, True)), ("4 sao (tiềm năng 5 sao)", (4, True)), ("TN 5 sao", (4, True)),
     ("tiềm năng 5 sao 3", None), ("tiềm năng 4 sao", None)],
)  # fmt: skip
def test_potential_five_stars_is_read_only_as_written(value, read):
    from ocop.certificates.history import parse_stars
    from ocop.core.cells import CellError

    if read is None:
        with pytest.raises(CellError, match="tiềm năng 5 sao"):
            parse_stars(value)
    else:
        assert parse_stars(value) == read
