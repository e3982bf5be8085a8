"""Each outlet's monthly sales sums, which the dashboards read: kept by the sales services with the rows (the form's
service and the import; the API's PUT in api/tests/test_api_sales.py), equal to the sum of the rows after every
correction, counted again from the rows by the migration and `--repair`, and checked by `ocop verify_sales`."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ocop.core.excel import write_workbook
from ocop.outlets import sales, sales_months, stock
from ocop.outlets.models import SalesMonth, SalesRecord
from ocop.outlets.sales import COLUMNS, Entry
from ocop.outlets.tests.conftest import certify
from ocop.registry.imports import run_import
from ocop.testing import make_product


@pytest.fixture
def shelf(shop, time_machine):
    """Two certified products on the shop's shelf since 15/09/2026; today is 29/11/2026."""
    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    other = make_product(producer=shop.product.producer, name="Ấm chén men rạn")
    certify(shop.coordinator, other)
    for product in (shop.product, other):
        stock.add_stock(by=shop.operator, outlet=shop.outlet, product=product, since=dt.date(2026, 9, 15))
    return other


def _months(outlet):
    return list(
        SalesMonth.objects.filter(outlet=outlet).order_by("month").values_list("month", "rows", "quantity", "revenue")
    )


def test_the_form_s_service_keeps_the_month_s_sums_through_corrections(shop, shelf):
    october, november = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
    sales.record_sales(by=shop.operator, outlet=shop.outlet, month=october,
                       entries=[Entry(shop.product.pk, "12,5", "1.250.000"), Entry(shelf.pk, "3", "300.000")])  # fmt: skip
    assert _months(shop.outlet) == [(october, 2, Decimal("15.50"), 1_550_000)]
    sales.record_sales(by=shop.officer, outlet=shop.outlet, month=october,
                       entries=[Entry(shop.product.pk, "10", "900.000")])  # fmt: skip
    sales.record_sales(by=shop.operator, outlet=shop.outlet, month=november,
                       entries=[Entry(shelf.pk, "0,25", "40.000")])  # fmt: skip
    assert _months(shop.outlet) == [
        (october, 2, Decimal("13.00"), 1_200_000),  # the correction replaced the product's row, and the sum
        (november, 1, Decimal("0.25"), 40_000),
    ]
    assert sales_months.mismatches() == []


def test_a_refused_month_leaves_the_sums_as_they_were(shop, shelf):
    sales.record_sales(by=shop.operator, outlet=shop.outlet, month=dt.date(2026, 10, 1),
                       entries=[Entry(shop.product.pk, "2", "200.000")])  # fmt: skip
    with pytest.raises(Exception, match="quantity"):
        sales.record_sales(by=shop.operator, outlet=shop.outlet, month=dt.date(2026, 10, 1),
                           entries=[Entry(shelf.pk, "5", "1"), Entry(shop.product.pk, "-1", "1")])  # fmt: skip
    assert _months(shop.outlet) == [(dt.date(2026, 10, 1), 1, Decimal("2.00"), 200_000)]


def test_the_sales_import_keeps_the_sums(shop, shelf):
    rows = [
        [shop.outlet.code, "10/2026", str(shop.product.pk), "", "40", "2.400.000"],
        [shop.outlet.code, "10/2026", str(shelf.pk), "", "2", "90.000"],
        [shop.outlet.code, "11/2026", str(shop.product.pk), "", "5", "300.000"],
    ]
    sheet = io.BytesIO(write_workbook(title="x", headers=[t for _n, t in COLUMNS], rows=rows))
    report = run_import("sales", sheet, user=shop.operator, commit=True)
    assert (report.errors, report.created, report.committed) == ([], 3, True)
    assert _months(shop.outlet) == [
        (dt.date(2026, 10, 1), 2, Decimal("42.00"), 2_490_000),
        (dt.date(2026, 11, 1), 1, Decimal("5.00"), 300_000),
    ]


def _load(shop, shelf):
    """Rows written as a bulk load writes them, without the services (and so without their sums)."""
    SalesRecord.objects.bulk_create(
        SalesRecord(outlet=shop.outlet, month=month, product=product, producer_id=product.producer_id,
                    quantity=quantity, revenue=revenue)
        for month, product, quantity, revenue in [
            (dt.date(2026, 9, 1), shop.product, Decimal("1.5"), 100_000),
            (dt.date(2026, 9, 1), shelf, Decimal(4), 400_000),
            (dt.date(2026, 10, 1), shelf, Decimal(7), 700_000),
        ]
    )  # fmt: skip


def test_rebuild_counts_every_month_from_the_rows(shop, shelf):
    _load(shop, shelf)
    assert sales_months.rebuild() == 2
    assert _months(shop.outlet) == [
        (dt.date(2026, 9, 1), 2, Decimal("5.50"), 500_000),
        (dt.date(2026, 10, 1), 1, Decimal("7.00"), 700_000),
    ]
    assert sales_months.mismatches() == []


def test_verify_sales_names_each_month_that_differs_and_repairs(shop, shelf, capsys):
    _load(shop, shelf)
    sales_months.rebuild()
    call_command("verify_sales")
    assert capsys.readouterr().out == (
        "Tổng doanh số theo tháng khớp với tổng các dòng doanh số: 2 tháng của các điểm bán.\n"
    )
    SalesRecord.objects.filter(month=dt.date(2026, 10, 1)).update(revenue=650_000)  # written past the services
    SalesRecord.objects.filter(month=dt.date(2026, 9, 1)).delete()
    with pytest.raises(CommandError) as caught:
        call_command("verify_sales")
    assert str(caught.value) == (
        "2 tháng của điểm bán lệch với tổng các dòng doanh số; chạy `ocop verify_sales --repair` để tính lại."
    )
    code = shop.outlet.code
    assert capsys.readouterr().err.splitlines() == [
        f"{code} tháng 09/2026: tổng đang lưu: 2 dòng, số lượng 5,50, doanh thu 500.000 ₫; tổng các dòng: không có.",
        f"{code} tháng 10/2026: tổng đang lưu: 1 dòng, số lượng 7,00, doanh thu 700.000 ₫; tổng các dòng: 1 dòng, "
        "số lượng 7,00, doanh thu 650.000 ₫.",
    ]
    call_command("verify_sales", "--repair")
    assert capsys.readouterr().out == (
        "2 tháng bị lệch; đã tính lại tổng theo tháng của mọi điểm bán từ các dòng doanh số: 1 tháng.\n"
    )
    assert _months(shop.outlet) == [(dt.date(2026, 10, 1), 1, Decimal("7.00"), 650_000)]
    call_command("verify_sales")
    assert sales_months.mismatches() == []


def test_verify_sales_names_a_month_kept_under_another_province(shop, shelf, capsys):
    """The dashboards read a province's months by the province kept with them: one edited past the services is
    found and put back by --repair."""
    from ocop.places.models import Province

    _load(shop, shelf)
    sales_months.rebuild()
    other = Province.objects.exclude(pk=shop.outlet.province_id).order_by("code").first()
    SalesMonth.objects.filter(month=dt.date(2026, 10, 1)).update(province=other)  # written past the services
    with pytest.raises(CommandError) as caught:
        call_command("verify_sales")
    assert str(caught.value) == (
        "1 tháng của điểm bán đang được lưu dưới một tỉnh khác với tỉnh của điểm bán; chạy `ocop verify_sales "
        "--repair` để tính lại."
    )
    assert capsys.readouterr().err.splitlines() == [
        f"{shop.outlet.code} tháng 10/2026: tổng đang lưu: 1 dòng, số lượng 7,00, doanh thu 700.000 ₫; tổng các "
        "dòng: 1 dòng, số lượng 7,00, doanh thu 700.000 ₫. Tổng này đang được lưu dưới một tỉnh khác với tỉnh của "
        "điểm bán.",
    ]
    call_command("verify_sales", "--repair")
    assert set(SalesMonth.objects.values_list("province_id", flat=True)) == {shop.outlet.province_id}
    assert sales_months.mismatches() == []
