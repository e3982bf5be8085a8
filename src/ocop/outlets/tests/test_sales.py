import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.core.excel import write_workbook
from ocop.outlets import sales, stock
from ocop.outlets.models import SalesRecord
from ocop.outlets.sales import COLUMNS, Entry
from ocop.outlets.tests.conftest import certify
from ocop.registry.imports import run_import
from ocop.testing import commune, make_producer, make_product

HEADERS = [t for _n, t in COLUMNS]


@pytest.fixture
def shelf(shop, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    return stock.add_stock(by=shop.operator, outlet=shop.outlet, product=shop.product, since=dt.date(2026, 9, 15))


def test_a_months_sales_are_recorded_and_credited_to_the_producer(shop, shelf):
    count = sales.record_sales(
        by=shop.operator, outlet=shop.outlet, month=dt.date(2026, 10, 1),
        entries=[Entry(shop.product.pk, "12,5", "1.250.000 ₫")],
    )  # fmt: skip
    assert count == 1
    record = SalesRecord.objects.get()
    assert (record.month, str(record.quantity), record.revenue, record.producer_id) == (
        dt.date(2026, 10, 1), "12.50", 1_250_000, shop.product.producer_id,
    )  # fmt: skip
    sales.record_sales(
        by=shop.operator,
        outlet=shop.outlet,
        month=dt.date(2026, 10, 1),
        entries=[Entry(shop.product.pk, "10", "900000")],
    )
    assert SalesRecord.objects.get().revenue == 900_000  # a correction replaces the month's figure


UNKNOWN = "Không có sản phẩm mã “{code}”, hoặc sản phẩm không bày bán tại Điểm OCOP Bát Tràng."


@pytest.fixture
def second(shop, shelf):
    """A second certified product on the shelf since 15/09/2026, for the good row beside a bad one."""
    other = make_product(producer=shop.product.producer, name="Ấm chén men rạn")
    certify(shop.coordinator, other)
    stock.add_stock(by=shop.operator, outlet=shop.outlet, product=other, since=dt.date(2026, 9, 15))
    return other


@pytest.mark.parametrize(
    ("month", "entry", "errors"),
    [
        (dt.date(2026, 10, 1), ("PK", "-3", "100000"), {"quantity-1": ["Số lượng không được âm."]}),
        (dt.date(2026, 10, 1), ("PK", "3", "-100000"), {"revenue-1": ["Doanh thu không được âm."]}),
        (dt.date(2026, 10, 1), ("PK", "ba", "100000"), {"quantity-1": ["Số lượng phải là số."]}),
        (
            dt.date(2026, 8, 1),
            ("PK", "3", "100000"),
            {  # on the shelf only from 15 September
                "product-1": ["Điểm OCOP Bát Tràng không bày bán “Bình gốm men lam” trong tháng 08/2026."],
                "product-2": ["Điểm OCOP Bát Tràng không bày bán “Ấm chén men rạn” trong tháng 08/2026."],
            },
        ),
        # Never on this shelf and outside the operator's registry scope: not named, as if it did not exist.
        (dt.date(2026, 10, 1), ("PLAIN", "3", "100000"), {"product-1": [UNKNOWN.format(code="{plain}")]}),
        (dt.date(2026, 10, 1), ("999999", "3", "100000"), {"product-1": [UNKNOWN.format(code="999999")]}),
        (dt.date(2026, 10, 1), ("²", "3", "100000"), {"product-1": [UNKNOWN.format(code="²")]}),
        (
            dt.date(2026, 10, 1),
            ("99999999999999999999", "3", "100000"),
            {"product-1": [UNKNOWN.format(code="99999999999999999999")]},
        ),
        (dt.date(2026, 12, 1), ("PK", "3", "100000"), {"month": ["Tháng 12/2026 chưa bắt đầu."]}),
    ],
)
def test_bad_sales_rows_are_refused_and_nothing_is_written(shop, second, month, entry, errors):
    product = {"PK": shop.product.pk, "PLAIN": shop.plain.pk}.get(entry[0], entry[0])
    errors = {k: [m.replace("{plain}", str(shop.plain.pk)) for m in v] for k, v in errors.items()}
    good = Entry(second.pk, "1", "1000", row=2)
    with pytest.raises(ValidationError) as caught:
        sales.record_sales(
            by=shop.operator, outlet=shop.outlet, month=month, entries=[Entry(product, entry[1], entry[2], row=1), good]
        )
    assert caught.value.message_dict == errors
    assert SalesRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("quantity", "revenue", "errors"),
    [
        ("NaN", "1", {"quantity-1": ["Số lượng phải là số."]}),
        ("Infinity", "1", {"quantity-1": ["Số lượng phải là số."]}),
        ("sNaN", "1", {"quantity-1": ["Số lượng phải là số."]}),
        ("١٢", "1", {"quantity-1": ["Số lượng phải là số."]}),
        ("1e308", "1", {"quantity-1": ["Số lượng phải nhỏ hơn 10.000.000.000."]}),
        (1e308, "1", {"quantity-1": ["Số lượng phải nhỏ hơn 10.000.000.000."]}),
        ("123456789012345678901234567890", "1", {"quantity-1": ["Số lượng phải nhỏ hơn 10.000.000.000."]}),
        ("99999999999999999999.99", "1", {"quantity-1": ["Số lượng phải nhỏ hơn 10.000.000.000."]}),
        ("9999999999.999", "1", {"quantity-1": ["Số lượng phải nhỏ hơn 10.000.000.000."]}),  # rounds up to 10^10
        ("1", "99999999999999999999999999", {"revenue-1": ["Doanh thu phải nhỏ hơn 1.000.000.000.000 đồng."]}),
        ("1", "9223372036854775807", {"revenue-1": ["Doanh thu phải nhỏ hơn 1.000.000.000.000 đồng."]}),
        ("1", "1.000.000.000.000", {"revenue-1": ["Doanh thu phải nhỏ hơn 1.000.000.000.000 đồng."]}),
        ("1", 1e20, {"revenue-1": ["Doanh thu phải nhỏ hơn 1.000.000.000.000 đồng."]}),
        ("1", "٣٠٠", {"revenue-1": ["Doanh thu phải là số đồng nguyên, ví dụ 1.250.000."]}),
        ("1", "²", {"revenue-1": ["Doanh thu phải là số đồng nguyên, ví dụ 1.250.000."]}),
        ("1", 2400000.5, {"revenue-1": ["Doanh thu phải là số đồng nguyên, ví dụ 1.250.000."]}),
        ("1", float("inf"), {"revenue-1": ["Doanh thu phải là số đồng nguyên, ví dụ 1.250.000."]}),
    ],
)
def test_numbers_a_sales_row_cannot_store_are_refused_by_column(shop, shelf, quantity, revenue, errors):
    with pytest.raises(ValidationError) as caught:
        sales.record_sales(
            by=shop.operator, outlet=shop.outlet, month=dt.date(2026, 10, 1),
            entries=[Entry(shop.product.pk, quantity, revenue, row=1)],
        )  # fmt: skip
    assert caught.value.message_dict == errors
    assert SalesRecord.objects.count() == 0


def test_the_largest_numbers_the_columns_hold_are_stored_and_read_back(shop, shelf):
    sales.record_sales(
        by=shop.operator, outlet=shop.outlet, month=dt.date(2026, 10, 1),
        entries=[Entry(shop.product.pk, "9999999999.994", "999.999.999.999 ₫", row=1)],
    )  # fmt: skip
    record = SalesRecord.objects.get()
    assert (str(record.quantity), record.revenue) == ("9999999999.99", 999_999_999_999)
    sales.record_sales(
        by=shop.operator, outlet=shop.outlet, month=dt.date(2026, 10, 1),
        entries=[Entry(shop.product.pk, "-0", "-0", row=1)],
    )  # fmt: skip
    record.refresh_from_db()
    assert (str(record.quantity), record.revenue) == ("0.00", 0)


def test_the_same_product_twice_is_refused_however_its_code_is_written(shop, shelf):
    with pytest.raises(ValidationError) as caught:
        sales.record_sales(
            by=shop.operator, outlet=shop.outlet, month=dt.date(2026, 10, 1),
            entries=[Entry(shop.product.pk, "1", "1", row=1), Entry(f"0{shop.product.pk}", "2", "2", row=2)],
        )  # fmt: skip
    assert caught.value.message_dict == {
        "product-2": [f"Sản phẩm {shop.product.pk} xuất hiện hai lần cho cùng điểm bán và tháng."]
    }


def test_the_office_is_told_the_name_of_a_product_it_may_see(shop, shelf):
    with pytest.raises(ValidationError) as caught:
        sales.record_sales(
            by=shop.officer, outlet=shop.outlet, month=dt.date(2026, 10, 1),
            entries=[Entry(shop.plain.pk, "1", "1", row=1)],
        )  # fmt: skip
    assert caught.value.message_dict == {
        "product-1": ["Điểm OCOP Bát Tràng không bày bán “Đĩa gốm chưa chứng nhận” trong tháng 10/2026."]
    }


def test_only_the_operator_and_the_office_enter_sales(shop, shelf):
    with pytest.raises(PermissionDenied):
        sales.record_sales(by=shop.charlie, outlet=shop.outlet, month=dt.date(2026, 10, 1), entries=[])


def workbook(rows):
    return io.BytesIO(write_workbook(title="x", headers=HEADERS, rows=rows))


def test_sales_import_from_the_prefilled_sheet(shop, shelf):
    sheet = sales.outlet_sheet(shop.outlet, dt.date(2026, 10, 1))
    from ocop.core.excel import read_sheet

    rows = [r for _n, r in read_sheet(io.BytesIO(sheet), required=HEADERS).rows]
    assert rows == [
        {"Mã điểm bán": shop.outlet.code, "Tháng (MM/YYYY)": "10/2026", "Mã sản phẩm": str(shop.product.pk),
         "Tên sản phẩm": "Bình gốm men lam", "Số lượng": None, "Doanh thu (₫)": None}
    ]  # fmt: skip
    filled = workbook([[shop.outlet.code, "10/2026", str(shop.product.pk), "", "40", "2.400.000"],
                       [shop.outlet.code.lower(), "11/2026", shop.product.pk, "", 5, 300000]])  # fmt: skip
    report = run_import("sales", filled, user=shop.operator, commit=True)
    assert (report.errors, report.created, report.committed) == ([], 2, True)
    assert sorted(SalesRecord.objects.values_list("month", "revenue")) == [
        (dt.date(2026, 10, 1), 2_400_000), (dt.date(2026, 11, 1), 300_000),
    ]  # fmt: skip


def test_a_sales_workbook_with_a_bad_row_writes_nothing_and_names_each_row(shop, shelf):
    filled = workbook([
        [shop.outlet.code, "10/2026", str(shop.product.pk), "", "40", "2400000"],
        [shop.outlet.code, "13/2026", str(shop.product.pk), "", "1", "1"],
        ["01-DB-99999", "10/2026", str(shop.product.pk), "", "1", "1"],
        [shop.outlet.code, "10/2026", str(shop.product.pk), "", "-1", "1"],
        [shop.outlet.code, "10/2026", str(shop.plain.pk), "", "1", "1"],
    ])  # fmt: skip
    report = run_import("sales", filled, user=shop.operator, commit=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "Tháng (MM/YYYY)", "Ghi tháng dạng MM/YYYY, ví dụ 03/2026."),
        (4, "Mã điểm bán", "Không có điểm bán mã “01-DB-99999”, hoặc không thuộc quyền của bạn."),
        (5, "Mã sản phẩm", f"Sản phẩm {shop.product.pk} xuất hiện hai lần cho cùng điểm bán và tháng."),
        (5, "Số lượng", "Số lượng không được âm."),
        (6, "Mã sản phẩm", UNKNOWN.format(code=shop.plain.pk)),
    ]
    assert (report.committed, SalesRecord.objects.count()) == (False, 0)


def test_a_sales_import_never_names_a_product_the_operator_may_not_see(shop, shelf):
    hidden = make_product(
        producer=make_producer(name="HTX Hải Phòng", commune=commune("Lê Chân", "31")), name="Nước mắm chưa công bố"
    )
    filled = workbook([[shop.outlet.code, "10/2026", str(hidden.pk), "", "1", "1"],
                       [shop.outlet.code, "10/2026", "⁵", "", "1", "1"]])  # fmt: skip
    report = run_import("sales", filled, user=shop.operator, commit=False)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Mã sản phẩm", UNKNOWN.format(code=hidden.pk)),
        (3, "Mã sản phẩm", UNKNOWN.format(code="⁵")),
    ]


def test_a_sales_import_refuses_numbers_the_columns_cannot_hold_before_saving(shop, shelf):
    filled = workbook([
        [shop.outlet.code, "11/2026", str(shop.product.pk), "", "1", "99999999999999999999.99"],
        [shop.outlet.code, "10/2026", str(shop.product.pk), "", "99999999999999999999.99", "1"],
        [shop.outlet.code, "09/2026", str(shop.product.pk), "", "NaN", "1"],
        [shop.outlet.code, "12/9999", str(shop.product.pk), "", "1", "1"],
        [shop.outlet.code, "01/0001", str(shop.product.pk), "", "1", "1"],
    ])  # fmt: skip
    report = run_import("sales", filled, user=shop.operator, commit=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Doanh thu (₫)", "Doanh thu phải nhỏ hơn 1.000.000.000.000 đồng."),
        (3, "Số lượng", "Số lượng phải nhỏ hơn 10.000.000.000."),
        (4, "Số lượng", "Số lượng phải là số."),
        (5, "Tháng (MM/YYYY)", "Ghi tháng dạng MM/YYYY, ví dụ 03/2026."),
        (6, "Tháng (MM/YYYY)", "Ghi tháng dạng MM/YYYY, ví dụ 03/2026."),
    ]
    assert (report.committed, SalesRecord.objects.count()) == (False, 0)


def test_another_provinces_officer_cannot_import_into_this_outlet(shop, shelf):
    filled = workbook([[shop.outlet.code, "10/2026", str(shop.product.pk), "", "40", "2400000"]])
    report = run_import("sales", filled, user=shop.charlie, commit=True)
    assert [e.message for e in report.errors] == [
        f"Không có điểm bán mã “{shop.outlet.code}”, hoặc không thuộc quyền của bạn."
    ]


def test_a_past_months_sheet_lists_what_was_on_the_shelf_and_imports_unchanged(shop, shelf, second):
    from openpyxl import load_workbook

    from ocop.core.xlsxstyle import MONEY_FORMAT, NUMBER_FORMAT

    late = make_product(producer=shop.product.producer, name="Chén trà mới")
    certify(shop.coordinator, late)
    stock.add_stock(by=shop.operator, outlet=shop.outlet, product=late, since=dt.date(2026, 11, 10))
    sales.record_sales(by=shop.operator, outlet=shop.outlet, month=dt.date(2026, 10, 1),
                       entries=[Entry(shop.product.pk, "40", "2400000")])  # fmt: skip
    sheet = sales.outlet_sheet(shop.outlet, dt.date(2026, 10, 1))
    wb = load_workbook(io.BytesIO(sheet))
    assert wb.sheetnames == ["Doanh số"]
    ws = wb.active
    header = next(r for r in range(1, 21) if ws.cell(row=r, column=1).value == "Mã điểm bán")
    assert [c.value for c in ws[header]] == HEADERS == ["Mã điểm bán", "Tháng (MM/YYYY)", "Mã sản phẩm",
                                                         "Tên sản phẩm", "Số lượng", "Doanh thu (₫)"]  # fmt: skip
    listed = {ws.cell(row=r, column=4).value: r for r in range(header + 1, ws.max_row + 1)}
    # "Chén trà mới" came on the shelf in November: not on October's sheet (the import would refuse it).
    assert sorted(listed) == ["Bình gốm men lam", "Ấm chén men rạn"]
    sold, blank = listed["Bình gốm men lam"], listed["Ấm chén men rạn"]
    assert [ws.cell(row=sold, column=c).value for c in (5, 6)] == [40, 2_400_000]
    # The blank cells are formatted for the figures typed in later, as the filled ones.
    assert [(ws.cell(row=blank, column=c).value, ws.cell(row=blank, column=c).number_format) for c in (5, 6)] == [
        (None, NUMBER_FORMAT), (None, MONEY_FORMAT)
    ]  # fmt: skip
    # Imported as downloaded: the blank row (nothing sold) skipped silently, the filled one unchanged.
    report = sales.run_sales_import(io.BytesIO(sheet), user=shop.operator, commit=True)
    assert (report.errors, report.total, report.unchanged, report.created, report.committed) == ([], 1, 1, 0, True)


def test_a_sheet_with_the_former_revenue_heading_still_imports(shop, shelf):
    old = [*HEADERS[:-1], sales.OLD_REVENUE]
    filled = io.BytesIO(write_workbook(title="Doanh so", headers=old,
                                       rows=[[shop.outlet.code, "10/2026", str(shop.product.pk), "", 5, 300000]]))  # fmt: skip
    report = sales.run_sales_import(filled, user=shop.operator, commit=True)
    assert (report.errors, report.created) == ([], 1)
    assert SalesRecord.objects.get().revenue == 300_000
    missing = io.BytesIO(write_workbook(title="x", headers=HEADERS[:-1],
                                        rows=[[shop.outlet.code, "10/2026", str(shop.product.pk), "", 5]]))  # fmt: skip
    report = sales.run_sales_import(missing, user=shop.operator, commit=False)
    assert [e.message for e in report.errors] == ["Thiếu cột: Doanh thu (₫)."]
