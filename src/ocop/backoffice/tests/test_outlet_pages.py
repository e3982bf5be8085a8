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
from ocop.outlets.tests.conftest import certify, recognised, register
from ocop.promotion import services as promotion
from ocop.testing import make_producer, make_product, province


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        ("backoffice:outlet_list", {}, 6),
        ("backoffice:sales_list", {}, 8),
        ("backoffice:event_list", {}, 10),
        ("outlet_map", {}, 6),
        ("api:outlets", {}, 1),
    ],
)
def test_query_counts_are_flat(outlet_scene, name, kwargs, expected):
    recognised(outlet_scene)
    event = promotion.create_event(
        by=outlet_scene.users["commerce"], province=province(), kind="fair", name="Hội chợ", organiser="Sở",
        starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 2), place="Hà Nội",
    )  # fmt: skip
    promotion.allocate_booth(by=outlet_scene.users["commerce"], event=event, producer=outlet_scene.producer)
    client = client_for(outlet_scene.users["coordinator"])
    url = reverse(name, kwargs=kwargs)
    client.get(url)
    assert _count(client, url) == expected
    for outlet in recognised(outlet_scene, 2, name="Điểm khác"):
        services.add_operator_member(
            by=outlet_scene.users["commerce"], operator=outlet.operator, user=outlet_scene.users["outlet"]
        )
    assert _count(client, url) == expected


def test_an_outlet_page_counts_flat(outlet_scene):
    (outlet,) = recognised(outlet_scene)
    client = client_for(outlet_scene.users["coordinator"])
    for url in (reverse("backoffice:outlet_detail", args=[outlet.pk]), reverse("outlet_page", args=[outlet.code])):
        client.get(url)
        before = _count(client, url)
        other = make_product(producer=outlet_scene.producer, name="Chén gốm")
        certify(outlet_scene.users["coordinator"], other)
        stock.add_stock(by=outlet_scene.users["commerce"], outlet=outlet, product=other)
        assert _count(client, url) == before
        StockItem.objects.filter(product=other).delete()


def test_registering_an_outlet_outside_viet_nam_is_refused_on_the_page(outlet_scene):
    client = client_for(outlet_scene.users["commerce"])
    response = client.post(
        reverse("backoffice:outlet_create"),
        {
            "operator_name": "HTX Mới",
            "kind": "sales_point",
            "name": "Điểm mới",
            "location_type": "retail",
            "commune": outlet_scene.product.commune_id,
            "latitude": "48.85",
            "longitude": "2.35",
        },
    )
    assert response.status_code == 400
    assert "Vị trí 48.85, 2.35 nằm ngoài lãnh thổ Việt Nam." in response.content.decode()
    assert not Outlet.objects.exists()


def test_an_uncertified_product_is_refused_on_the_shelf_page(outlet_scene):
    (outlet,) = recognised(outlet_scene)
    plain = make_product(producer=outlet_scene.producer, name="Bát chưa chứng nhận")
    response = client_for(outlet_scene.users["commerce"]).post(
        reverse("backoffice:stock_add", args=[outlet.pk]), {"product": plain.pk}
    )
    assert response.status_code == 400
    assert "“Bát chưa chứng nhận” hôm nay không có giấy chứng nhận OCOP còn hiệu lực" in response.content.decode()
    assert not StockItem.objects.filter(product=plain).exists()


def test_negative_sales_are_refused_on_the_page_and_keep_what_was_typed(outlet_scene):
    (outlet,) = recognised(outlet_scene)
    pid = outlet_scene.product.pk
    response = client_for(outlet_scene.users["commerce"]).post(
        reverse("backoffice:outlet_sales", args=[outlet.pk]),
        {"month": "10/2026", f"quantity-{pid}": "-4", f"revenue-{pid}": "400000"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Số lượng không được âm." in page and 'value="-4"' in page
    assert not SalesRecord.objects.exists()


def test_a_booth_for_a_producer_without_a_valid_certificate_is_refused(outlet_scene):
    event = promotion.create_event(
        by=outlet_scene.users["commerce"], province=province(), kind="fair", name="Hội chợ", organiser="Sở",
        starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 2), place="Hà Nội",
    )  # fmt: skip
    newcomer = make_producer(name="HTX Chưa Có Sao")
    response = client_for(outlet_scene.users["commerce"]).post(
        reverse("backoffice:booth_add", args=[event.pk]), {"producer": newcomer.pk, "ocop": "on"}
    )
    assert response.status_code == 400
    assert "HTX Chưa Có Sao không có sản phẩm nào có giấy chứng nhận OCOP còn hiệu lực" in response.content.decode()
    assert not event.booths.exists()


def test_reversed_event_dates_are_refused_under_the_field(outlet_scene):
    response = client_for(outlet_scene.users["commerce"]).post(
        reverse("backoffice:event_create"),
        {
            "kind": "fair",
            "name": "Hội chợ",
            "organiser": "Sở",
            "starts_on": "2026-10-05",
            "ends_on": "2026-10-01",
            "place": "Hà Nội",
        },
    )
    assert response.status_code == 400
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()


def test_the_geojson_api_filters_like_the_map(outlet_scene):
    first, second = recognised(outlet_scene, 2)
    services.update_outlet(
        by=outlet_scene.users["commerce"], outlet=second, opening_hours="T2-T6 8:00-9:00", kind="other"
    )
    client = client_for(None)
    data = json.loads(client.get(reverse("api:outlets")).content)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == [first.code, second.code]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [105.913, 20.975]}
    assert "url" not in feature["properties"]  # the page makes the link from the code (no URL in the domain)
    assert (feature["properties"]["open"], feature["properties"]["kind"]) == (True, "sales_point")  # 16:00 in Hà Nội

    def codes(query):
        features = json.loads(client.get(reverse("api:outlets") + query).content)["features"]
        return [f["properties"]["code"] for f in features]

    assert codes("?open_now=true") == [first.code]
    assert codes("?kind=other") == [second.code]
    assert codes(f"?product={outlet_scene.product.pk}") == [first.code, second.code]
    assert codes(f"?commune={first.commune.code}") == [first.code, second.code]
    assert codes("?commune=99999") == []
    assert codes("?product_name=chè búp") == codes("?product_name=che bup") == [first.code, second.code]
    assert codes("?product_name=mat ong") == []
    assert client.get(reverse("api:outlets") + "?kind=moon").status_code == 422


def test_revoking_removes_the_outlet_from_where_to_buy_everywhere_at_once(
    outlet_scene, django_capture_on_commit_callbacks
):
    (outlet,) = recognised(outlet_scene)
    client = client_for(None)
    product_page = reverse("catalogue_product", args=[outlet_scene.product.pk])
    assert outlet.name in client.get(product_page).content.decode()
    page = client.get(reverse("verify", args=[outlet_scene.cert.code])).content.decode()
    assert "Nơi mua: 1 điểm bán OCOP" in page
    assert f"/diem-ban/?san-pham={outlet_scene.product.pk}" in page
    with django_capture_on_commit_callbacks(execute=True):
        certificates.revoke(
            by=outlet_scene.users["coordinator"], certificate=outlet_scene.cert, decision_number="5/QĐ",
            revoked_on=dt.date(2026, 11, 28), reason="Vi phạm",
        )  # fmt: skip
    assert outlet.name not in client.get(product_page).content.decode()
    assert "Nơi mua" not in client.get(reverse("verify", args=[outlet_scene.cert.code])).content.decode()
    assert (
        "Hôm nay không có sản phẩm OCOP nào ở đây."
        in client.get(reverse("outlet_page", args=[outlet.code])).content.decode()
    )
    assert (
        outlet.name not in client.get(reverse("outlet_map") + f"?san-pham={outlet_scene.product.pk}").content.decode()
    )


def test_unknown_public_outlet_codes_are_404(outlet_scene):
    (outlet,) = recognised(outlet_scene)
    client = client_for(None)
    assert client.get(reverse("outlet_page", args=["01-DB-99999"])).status_code == 404
    services.close_outlet(by=outlet_scene.users["commerce"], outlet=outlet, reason="Đóng")
    assert client.get(reverse("outlet_page", args=[outlet.code])).status_code == 404
    assert client.get(reverse("outlet_map") + "?san-pham=abc").status_code == 200


def test_ids_past_999_are_written_plainly_in_the_assessment_and_shelf_forms(outlet_scene):
    """Vietnamese writes 1.234 for a thousand and more: an id in a field name or value must stay 1234."""
    import re

    from ocop.outlets.models import ChecklistItem
    from ocop.registry.models import Product

    for item in ChecklistItem.objects.order_by("-pk"):
        ChecklistItem.objects.filter(pk=item.pk).update(id=item.pk + 5000)
    fresh = make_product(producer=outlet_scene.producer, name="Bình gốm men rạn")
    Product.objects.filter(pk=fresh.pk).update(id=7777)
    certify(outlet_scene.users["coordinator"], Product.objects.get(pk=7777))
    client = client_for(outlet_scene.users["commerce"])
    outlet = register(outlet_scene.users["commerce"])
    client.post(reverse("backoffice:assessment_start", args=[outlet.pk]))
    assessment = outlet.assessments.get()
    page = client.get(reverse("backoffice:assessment_detail", args=[outlet.pk, assessment.pk])).content.decode()
    assert re.findall(r'name="(?:met|points|note)-\d{1,3}(?:\.\d{3})+"', page) == []
    item = assessment.lines.get(item__code="1.2").item_id
    client.post(reverse("backoffice:assessment_detail", args=[outlet.pk, assessment.pk]), {f"met-{item}": "yes"})
    assert assessment.lines.get(item_id=item).met is True
    found = client.get(reverse("backoffice:outlet_detail", args=[outlet.pk]) + "?find=men ran").content.decode()
    assert 'name="product" value="7777"' in found


def test_the_map_finds_outlets_by_a_products_name_without_marks(outlet_scene):
    (outlet,) = recognised(outlet_scene)
    client = client_for(None)
    assert outlet.name in client.get(reverse("outlet_map") + "?sp=che bup").content.decode()
    page = client.get(reverse("outlet_map") + "?sp=mật ong").content.decode()
    assert outlet.name not in page and "Không có điểm bán nào phù hợp." in page
    assert "product_name=m%E1%BA%ADt+ong" in page  # the map's GeoJSON asks for the same
