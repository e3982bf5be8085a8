"""/outlets/{code} and /outlets/{code}/shelf: a recognised outlet as its public page shows it, to anyone; a proposed
one to the back office only; the shelf's lapsed lines to the outlet's keepers only."""

from __future__ import annotations

import datetime as dt

from ocop.api.tests.shop_scene import shop, shop_once  # noqa: F401  # the fixtures
from ocop.conftest import client_for
from ocop.outlets import stock
from ocop.outlets.tests.conftest import certify
from ocop.testing import make_product


def test_a_recognised_outlet_is_public(shop):  # noqa: F811
    response = client_for(None).get(f"/api/v1/outlets/{shop.outlet.code.lower()}")  # codes read in any case
    assert response.status_code == 200
    assert response.json() == {
        "code": f"01-DB-{shop.outlet.pk:05d}",  # its id: on PostgreSQL, ids used by earlier tests are not reused
        "name": "Điểm OCOP Bát Tràng",
        "kind": "sales_point",
        "status": "recognised",
        "status_since": "2026-10-01",
        "address": "Số 5 đường Giang Cao",
        "commune_code": "00577",
        "commune": "Xã Bát Tràng",
        "province_code": "01",
        "province": "Thành phố Hà Nội",
        "latitude": 20.975,
        "longitude": 105.913,
        "approximate": False,
        "opening_hours": "T2-T6 8:00-17:00; T7, CN 8:00-12:00",
        "open_now": True,  # Wednesday 9:00
        "phone": "02438740123",
        "website": "https://ocop.example.vn",
        "recognition": {
            "decision_number": "15/QĐ-SCT",
            "decision_date": "2026-10-01",
            "decision_body": "Sở Công Thương Hà Nội",
        },
    }


def test_a_proposed_outlet_is_the_back_office_s(shop):  # noqa: F811
    url = f"/api/v1/outlets/{shop.proposed.code}"
    got = client_for(shop.w.users["commerce"]).get(url).json()
    assert (got["code"], got["kind"], got["status"], got["commune"], got["recognition"]) == (
        f"01-KH-{shop.proposed.pk:05d}",
        "other",
        "proposed",
        "Phường Long Biên",
        None,
    )
    for who in ("anon", "charlie", "producer"):
        answer = client_for(shop.w.users[who]).get(url)
        assert (answer.status_code, answer.json()) == (404, {"detail": "Không tìm thấy.", "code": "not_found"})
        assert client_for(shop.w.users[who]).get(url + "/shelf").status_code == 404
    assert client_for(None).get("/api/v1/outlets/01-XX-99999").status_code == 404


def _line(product, code, status, stars, until, since):
    return {
        "product_id": product.pk,
        "product": product.name,
        "producer": product.producer.name,
        "certificate_code": code,
        "certificate_status": status,
        "stars": stars,
        "valid_until": until,
        "since": since,
    }


def test_the_shelf_lists_today_s_ocop_products_and_its_keepers_also_the_lapsed_ones(shop):  # noqa: F811
    url = f"/api/v1/outlets/{shop.outlet.code}/shelf"
    valid = _line(shop.w.product, shop.cert.code, "valid", 4, "2028-11-20", "2026-10-05")
    lapsed_code = shop.lapsed.certificates.get().code
    lapsed = _line(shop.lapsed, lapsed_code, "suspended", 3, "2028-06-02", "2026-10-06")
    public = {"count": 1, "next": None, "previous": None, "items": [valid]}
    for who in ("anon", "charlie", "producer", "commune"):  # the public page's list (no "Rau sạch": not OCOP)
        assert client_for(shop.w.users[who]).get(url).json() == public
    for who in ("outlet", "commerce", "coordinator"):
        assert client_for(shop.w.users[who]).get(url).json()["items"] == [valid, lapsed]


def test_the_shelf_in_pages_by_stars_then_name(shop, django_assert_num_queries):  # noqa: F811
    commerce = shop.w.users["commerce"]
    url = f"/api/v1/outlets/{shop.outlet.code}/shelf?page_size=2"
    anon = client_for(None)
    with django_assert_num_queries(3):  # the outlet, the count, the page
        assert anon.get(url).json()["count"] == 1
    for name, stars in (("Ấm chén men rạn", 5), ("Bình gốm", 3)):
        product = make_product(producer=shop.w.producer, name=name)
        certify(shop.w.users["coordinator"], product, on=dt.date(2026, 6, 1), stars=stars)
        stock.add_stock(by=commerce, outlet=shop.outlet, product=product)
    with django_assert_num_queries(3):
        first = anon.get(url).json()
    assert (first["count"], [i["product"] for i in first["items"]]) == (3, ["Ấm chén men rạn", shop.w.product.name])
    assert first["next"] == f"http://testserver/api/v1/outlets/{shop.outlet.code}/shelf?page_size=2&page=2"
    second = anon.get(first["next"]).json()
    assert ([i["product"] for i in second["items"]], second["next"]) == (["Bình gốm"], None)


def test_public_answers_are_checked_again_each_time(shop):  # noqa: F811
    anon = client_for(None)
    url = f"/api/v1/outlets/{shop.outlet.code}/shelf"
    first = anon.get(url)
    assert (first["Cache-Control"], "Last-Modified" in first) == ("public, no-cache", False)
    again = anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    stock.remove_stock(by=shop.w.users["commerce"], item=shop.outlet.stock.get(product=shop.w.product))
    changed = anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (changed.status_code, changed.json()["count"]) == (200, 0)
    signed_in = client_for(shop.w.users["commerce"]).get(f"/api/v1/outlets/{shop.outlet.code}")
    assert signed_in["Cache-Control"] == "private, no-cache"
