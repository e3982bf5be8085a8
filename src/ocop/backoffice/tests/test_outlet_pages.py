"""Outlet and trade-promotion pages: bad input answered with a Vietnamese message and a 4xx, nothing written; query
counts flat at 1 and 3 outlets; the public locator, the where-to-buy links and the GeoJSON API."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.certificates import services as certificates
from ocop.conftest import client_for
from ocop.outlets import services, stock
from ocop.outlets.models import Outlet, SalesRecord, StockItem
from ocop.outlets.tests.conftest import certify, pass_assessment, register
from ocop.promotion import services as promotion
from ocop.public.scanpage import stockists
from ocop.testing import make_producer, make_product, province


@pytest.fixture
def scene(world, time_machine):
    from ocop.outlets.checklists import load_checklists

    time_machine.move_to(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
    load_checklists()
    cert = certify(world.users["coordinator"], world.product)
    world.cert = cert
    return world


def recognised(world, n=1, name="Điểm OCOP"):
    commerce = world.users["commerce"]
    made = []
    for i in range(n):
        outlet = register(commerce, name=f"{name} {i + 1}", opening_hours="Hằng ngày 8:00-21:00")
        pass_assessment(commerce, outlet)
        services.recognise(by=commerce, outlet=outlet, number=f"{i}/QĐ", signed_on=dt.date(2026, 11, 1))
        stock.add_stock(by=commerce, outlet=outlet, product=world.product, since=dt.date(2026, 9, 1))
        stock.add_stock(by=commerce, outlet=outlet, label="Rau", since=dt.date(2026, 9, 1))
        made.append(outlet)
    return made


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        ("backoffice:outlet_list", {}, 5),
        ("backoffice:sales_list", {}, 7),
        ("backoffice:event_list", {}, 9),
        ("outlet_map", {}, 4),
        ("api:outlets", {}, 1),
    ],
)
def test_query_counts_are_flat(scene, name, kwargs, expected):
    (first,) = recognised(scene)
    event = promotion.create_event(
        by=scene.users["commerce"], province=province(), kind="fair", name="Hội chợ", organiser="Sở",
        starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 2), place="Hà Nội",
    )  # fmt: skip
    promotion.allocate_booth(by=scene.users["commerce"], event=event, producer=scene.producer)
    client = client_for(scene.users["coordinator"])
    url = reverse(name, kwargs=kwargs)
    client.get(url)
    assert _count(client, url) == expected
    for outlet in recognised(scene, 2, name="Điểm khác"):
        services.add_operator_member(by=scene.users["commerce"], operator=outlet.operator, user=scene.users["outlet"])
    assert _count(client, url) == expected


def test_an_outlet_page_counts_flat(scene):
    (outlet,) = recognised(scene)
    client = client_for(scene.users["coordinator"])
    for url in (reverse("backoffice:outlet_detail", args=[outlet.pk]), reverse("outlet_page", args=[outlet.code])):
        client.get(url)
        before = _count(client, url)
        other = make_product(producer=scene.producer, name="Chén gốm")
        certify(scene.users["coordinator"], other)
        stock.add_stock(by=scene.users["commerce"], outlet=outlet, product=other)
        assert _count(client, url) == before
        StockItem.objects.filter(product=other).delete()


def test_registering_an_outlet_outside_viet_nam_is_refused_on_the_page(scene):
    client = client_for(scene.users["commerce"])
    response = client.post(
        reverse("backoffice:outlet_create"),
        {"operator_name": "HTX Mới", "kind": "sales_point", "name": "Điểm mới", "location_type": "retail",
         "commune": scene.product.commune_id, "latitude": "48.85", "longitude": "2.35"},  # fmt: skip
    )
    assert response.status_code == 400
    assert "Vị trí 48.85, 2.35 nằm ngoài lãnh thổ Việt Nam." in response.content.decode()
    assert not Outlet.objects.exists()


def test_an_uncertified_product_is_refused_on_the_shelf_page(scene):
    (outlet,) = recognised(scene)
    plain = make_product(producer=scene.producer, name="Bát chưa chứng nhận")
    response = client_for(scene.users["commerce"]).post(reverse("backoffice:stock_add", args=[outlet.pk]), {"product": plain.pk})
    assert response.status_code == 400
    assert "“Bát chưa chứng nhận” hôm nay không có giấy chứng nhận OCOP còn hiệu lực" in response.content.decode()
    assert not StockItem.objects.filter(product=plain).exists()


def test_negative_sales_are_refused_on_the_page_and_keep_what_was_typed(scene):
    (outlet,) = recognised(scene)
    pid = scene.product.pk
    response = client_for(scene.users["commerce"]).post(
        reverse("backoffice:outlet_sales", args=[outlet.pk]), {"month": "10/2026", f"quantity-{pid}": "-4", f"revenue-{pid}": "400000"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Số lượng không được âm." in page and 'value="-4"' in page
    assert not SalesRecord.objects.exists()


def test_a_booth_for_a_producer_without_a_valid_certificate_is_refused(scene):
    event = promotion.create_event(
        by=scene.users["commerce"], province=province(), kind="fair", name="Hội chợ", organiser="Sở",
        starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 2), place="Hà Nội",
    )  # fmt: skip
    newcomer = make_producer(name="HTX Chưa Có Sao")
    response = client_for(scene.users["commerce"]).post(
        reverse("backoffice:booth_add", args=[event.pk]), {"producer": newcomer.pk, "ocop": "on"}
    )
    assert response.status_code == 400
    assert "HTX Chưa Có Sao không có sản phẩm nào có giấy chứng nhận OCOP còn hiệu lực" in response.content.decode()
    assert not event.booths.exists()


def test_reversed_event_dates_are_refused_under_the_field(scene):
    response = client_for(scene.users["commerce"]).post(
        reverse("backoffice:event_create"),
        {"kind": "fair", "name": "Hội chợ", "organiser": "Sở", "starts_on": "2026-10-05", "ends_on": "2026-10-01", "place": "Hà Nội"},
    )
    assert response.status_code == 400
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()


def test_the_geojson_api_filters_like_the_map(scene):
    first, second = recognised(scene, 2)
    services.update_outlet(by=scene.users["commerce"], outlet=second, opening_hours="T2-T6 8:00-9:00", kind="other")
    client = client_for(None)
    data = json.loads(client.get(reverse("api:outlets")).content)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == [first.code, second.code]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [105.913, 20.975]}
    assert feature["properties"]["url"] == f"/diem-ban/{first.code}/"
    assert (feature["properties"]["open"], feature["properties"]["kind"]) == (True, "sales_point")  # 16:00 in Hà Nội
    codes = lambda query: [f["properties"]["code"] for f in json.loads(client.get(reverse("api:outlets") + query).content)["features"]]  # noqa: E731
    assert codes("?open_now=true") == [first.code]
    assert codes("?kind=other") == [second.code]
    assert codes(f"?product={scene.product.pk}") == [first.code, second.code]
    assert codes(f"?commune={first.commune.code}") == [first.code, second.code]
    assert codes("?commune=99999") == []
    assert client.get(reverse("api:outlets") + "?kind=moon").status_code == 422


def test_revoking_removes_the_outlet_from_where_to_buy_everywhere_at_once(scene, django_capture_on_commit_callbacks):
    (outlet,) = recognised(scene)
    client = client_for(None)
    product_page = reverse("catalogue_product", args=[scene.product.pk])
    assert outlet.name in client.get(product_page).content.decode()
    page = client.get(reverse("verify", args=[scene.cert.code])).content.decode()
    assert "Nơi mua: 1 điểm bán OCOP" in page
    assert f"/diem-ban/?san-pham={scene.product.pk}" in page
    with django_capture_on_commit_callbacks(execute=True):
        certificates.revoke(
            by=scene.users["coordinator"], certificate=scene.cert, decision_number="5/QĐ",
            revoked_on=dt.date(2026, 11, 28), reason="Vi phạm",
        )  # fmt: skip
    assert outlet.name not in client.get(product_page).content.decode()
    assert "Nơi mua" not in client.get(reverse("verify", args=[scene.cert.code])).content.decode()
    assert "Hôm nay không có sản phẩm OCOP nào ở đây." in client.get(reverse("outlet_page", args=[outlet.code])).content.decode()
    assert outlet.name not in client.get(reverse("outlet_map") + f"?san-pham={scene.product.pk}").content.decode()


def test_the_stored_qr_page_follows_the_shelf(scene, django_capture_on_commit_callbacks, settings):
    from pathlib import Path

    from ocop.certificates.queries import scan_rows
    from ocop.certificates.models import Certificate

    (outlet,) = recognised(scene)
    day = dt.date(2026, 11, 29)
    rows = scan_rows(Certificate.objects.filter(pk=scene.cert.pk), day)
    assert stockists(rows, day) == {scene.product.pk: 1}
    stored = Path(settings.OCOP_PAGE_CACHE_DIR) / "v" / day.isoformat() / f"{scene.cert.code}.html"
    item = StockItem.objects.get(outlet=outlet, product=scene.product)
    with django_capture_on_commit_callbacks(execute=True):
        stock.remove_stock(by=scene.users["commerce"], item=item)
    assert stored.exists() and "Nơi mua" not in stored.read_text(encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        stock.add_stock(by=scene.users["commerce"], outlet=outlet, product=scene.product)
    assert "Nơi mua: 1 điểm bán OCOP" in stored.read_text(encoding="utf-8")


def test_unknown_public_outlet_codes_are_404(scene):
    (outlet,) = recognised(scene)
    client = client_for(None)
    assert client.get(reverse("outlet_page", args=["01-DB-99999"])).status_code == 404
    services.close_outlet(by=scene.users["commerce"], outlet=outlet, reason="Đóng")
    assert client.get(reverse("outlet_page", args=[outlet.code])).status_code == 404
    assert client.get(reverse("outlet_map") + "?san-pham=abc").status_code == 200
