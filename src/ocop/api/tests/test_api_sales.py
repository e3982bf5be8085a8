"""An outlet's monthly sales in the API: read as the back office's sales page shows them, reported a month at a time
through the sales service (the sales form's and the import's rules), a bad body refused naming the field and
writing nothing."""

from __future__ import annotations

import datetime as dt
import json

from ocop.accounts.models import TokenScope
from ocop.accounts.services import create_api_token
from ocop.api.tests.shop_scene import shop, shop_once  # noqa: F401  # the fixtures
from ocop.conftest import client_for
from ocop.outlets import stock
from ocop.outlets.models import SalesMonth, SalesRecord
from ocop.outlets.sales import Entry, record_sales
from ocop.outlets.tests.conftest import certify
from ocop.testing import make_producer, make_product


def _put(client, url, body, **extra):
    return client.put(url, json.dumps(body), content_type="application/json", **extra)


def _line(product, quantity, revenue):
    return {
        "product_id": product.pk,
        "product": product.name,
        "producer": product.producer.name,
        "quantity": quantity,
        "revenue": revenue,
    }


def _rows(outlet):
    return sorted(SalesRecord.objects.filter(outlet=outlet).values_list("month", "product_id", "quantity", "revenue"))


def test_the_outlet_s_months_newest_first(shop):  # noqa: F811
    url = f"/api/v1/outlets/{shop.outlet.code}/sales"
    got = client_for(shop.w.users["outlet"]).get(url).json()
    assert got == {
        "count": 2,
        "next": None,
        "previous": None,
        "items": [
            {"year": 2026, "month": 11, "revenue": 2_400_000, "lines": [_line(shop.w.product, "20.00", 2_400_000)]},
            {
                "year": 2026,
                "month": 10,
                "revenue": 1_650_000,
                "lines": [_line(shop.w.product, "12.00", 1_440_000), _line(shop.lapsed, "3.50", 210_000)],
            },
        ],
    }
    assert client_for(shop.w.users["commerce"]).get(url + "?year=2025").json()["count"] == 0
    assert client_for(shop.w.users["charlie"]).get(url).status_code == 404


def test_a_producer_reads_its_own_products_lines_only(shop):  # noqa: F811
    other = make_product(producer=make_producer(name="HTX Gốm Kim Lan"), name="Bình gốm Kim Lan")
    certify(shop.w.users["coordinator"], other, on=dt.date(2026, 6, 1), stars=3)
    stock.add_stock(by=shop.w.users["commerce"], outlet=shop.outlet, product=other, since=dt.date(2026, 11, 2))
    record_sales(by=shop.w.users["commerce"], outlet=shop.outlet, month=dt.date(2026, 11, 1),
                 entries=[Entry(other.pk, "4", "800.000")])  # fmt: skip
    url = f"/api/v1/outlets/{shop.outlet.code}/sales?year=2026&page_size=1"
    officer = client_for(shop.w.users["commerce"]).get(url).json()
    assert officer["items"][0]["lines"] == [_line(other, "4.00", 800_000), _line(shop.w.product, "20.00", 2_400_000)]
    assert officer["next"] == f"http://testserver/api/v1/outlets/{shop.outlet.code}/sales?year=2026&page_size=1&page=2"
    mine = client_for(shop.w.users["producer"]).get(url).json()
    assert mine["items"] == [
        {"year": 2026, "month": 11, "revenue": 2_400_000, "lines": [_line(shop.w.product, "20.00", 2_400_000)]}
    ]


def test_sales_in_pages_of_months(shop, django_assert_num_queries):  # noqa: F811
    client = client_for(shop.w.users["outlet"])
    url = f"/api/v1/outlets/{shop.outlet.code}/sales?year=2026"
    SalesRecord.objects.filter(month=dt.date(2026, 10, 1)).delete()
    with django_assert_num_queries(8):  # session, user, roles; the outlet, its operator; count, months, lines
        assert client.get(url).json()["count"] == 1
    record_sales(by=shop.w.users["commerce"], outlet=shop.outlet, month=dt.date(2026, 10, 1),
                 entries=[Entry(shop.w.product.pk, "1", "120.000")])  # fmt: skip
    record_sales(by=shop.w.users["commerce"], outlet=shop.outlet, month=dt.date(2026, 12, 1),
                 entries=[Entry(shop.w.product.pk, "2", "240.000")])  # fmt: skip
    with django_assert_num_queries(8):
        got = client.get(url).json()
    assert [(m["month"], m["revenue"]) for m in got["items"]] == [(12, 240_000), (11, 2_400_000), (10, 120_000)]


def test_a_chain_reports_a_month_and_reports_it_again(shop):  # noqa: F811
    token = create_api_token(user=shop.w.users["outlet"], name="Chuỗi siêu thị", scope=TokenScope.WRITE).text
    client = client_for(None)
    url = f"/api/v1/outlets/{shop.outlet.code}/sales/2026/12"
    body = {"lines": [{"product_id": shop.w.product.pk, "quantity": 7.5, "revenue": 900_000}]}
    done = _put(client, url, body, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (done.status_code, done.json()) == (
        200,
        {"year": 2026, "month": 12, "revenue": 900_000, "lines": [_line(shop.w.product, "7.50", 900_000)]},
    )
    again = _put(client, url, body, HTTP_AUTHORIZATION=f"Bearer {token}")  # the same report: the same state
    assert (again.status_code, again.json()) == (200, done.json())
    corrected = {"lines": [{"product_id": shop.w.product.pk, "quantity": 8, "revenue": 960_000}]}
    assert _put(client, url, corrected, HTTP_AUTHORIZATION=f"Bearer {token}").json()["revenue"] == 960_000
    december = SalesRecord.objects.get(outlet=shop.outlet, month=dt.date(2026, 12, 1))
    assert (december.quantity, december.revenue, december.entered_by) == (8, 960_000, shop.w.users["outlet"])
    # The outlet's monthly sums, which the dashboards read, were kept by the same service.
    kept = SalesMonth.objects.filter(outlet=shop.outlet, month=dt.date(2026, 12, 1))
    assert list(kept.values_list("rows", "quantity", "revenue")) == [(1, 8, 960_000)]
    reader = create_api_token(user=shop.w.users["outlet"], name="Đọc", scope=TokenScope.READ).text
    refused = _put(client, url, body, HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert SalesRecord.objects.get(pk=december.pk).revenue == 960_000


def test_a_bad_body_names_the_line_and_writes_nothing(shop):  # noqa: F811
    client = client_for(shop.w.users["outlet"])
    url = f"/api/v1/outlets/{shop.outlet.code}/sales/2026/11"
    before = _rows(shop.outlet)
    good = {"product_id": shop.w.product.pk, "quantity": 1, "revenue": 1}
    cases = [
        ({"lines": [good, good, {**good, "quantity": -1}]}, "lines.2.quantity", "Giá trị quá nhỏ."),
        ({"lines": [{**good, "quantity": "5"}]}, "lines.0.quantity", "Giá trị không hợp lệ."),
        ({"lines": [{**good, "revenue": 10**12}]}, "lines.0.revenue", "Giá trị quá lớn: tối đa là 999999999999."),
        ({"lines": [{**good, "revenue": 1.5}]}, "lines.0.revenue", "Hãy nhập một số nguyên."),
        ({"lines": [{"product_id": shop.w.product.pk, "revenue": 1}]}, "lines.0.quantity", "Trường này là bắt buộc."),
        ({"lines": []}, "lines", "Hãy gửi ít nhất một dòng doanh số."),
        ({"lines": [good] * 2001}, "lines", "Tối đa 2000 mục."),
        ({"lines": [good, good]}, "lines.1.product_id", f"Sản phẩm {shop.w.product.pk} xuất hiện hai lần cho cùng điểm bán và tháng."),
        (
            {"lines": [good, {**good, "product_id": shop.w.product.pk + 10_000}]},
            "lines.1.product_id",
            f"Không có sản phẩm mã “{shop.w.product.pk + 10_000}”, hoặc sản phẩm không bày bán tại Điểm OCOP Bát Tràng.",
        ),
    ]  # fmt: skip
    for body, field, message in cases:
        bad = _put(client, url, body)
        assert (bad.status_code, bad.json()) == (
            422,
            {"detail": [{"field": field, "message": message}], "code": "invalid"},
        )
    future = _put(client, f"/api/v1/outlets/{shop.outlet.code}/sales/2027/1", {"lines": [good]})
    assert future.json()["detail"] == [{"field": "month", "message": "Tháng 01/2027 chưa bắt đầu."}]
    assert _put(client, f"/api/v1/outlets/{shop.outlet.code}/sales/2026/13", {"lines": [good]}).status_code == 422
    assert _rows(shop.outlet) == before
