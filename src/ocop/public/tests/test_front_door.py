"""The public home page, the consumer's front door: the catalogue's search, the province's OCOP products by star and
by group, where to buy, the QR check and the open data; and the outlets' tap-to-call numbers."""

import datetime as dt

import pytest

from ocop.certificates import services
from ocop.certificates.tests.conftest import issue, office  # noqa: F401
from ocop.core.phones import tel_uri
from ocop.testing import make_product


def test_the_home_page_counts_the_provinces_ocop_products_by_star_and_group(
    office,  # noqa: F811
    client,
    time_machine,
    django_assert_num_queries,
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    issue(office)  # Bình gốm men lam, 4★, set 1-12 (group 1, food)
    issue(office, product=make_product(producer=office.producer, name="Chè búp Bát Tràng"), stars=4)
    issue(office, product=make_product(producer=office.producer, name="Gốm men rạn", set_code="4-01"), stars=3)
    gone = issue(office, product=make_product(producer=office.producer, name="Đĩa gốm", set_code="4-01"), stars=3)
    services.suspend(by=office.coordinator, certificate=gone, reason="Nhãn sai")
    make_product(producer=office.producer, name="Bát gốm chưa chứng nhận")
    with django_assert_num_queries(3):  # the province, the counts (one aggregate), the groups
        response = client.get("/")
    assert response.status_code == 200
    assert [(s, n, href) for s, _marks, n, href in response.context["stars"]] == [
        (5, 0, "/san-pham/?province=01&stars=5"),
        (4, 2, "/san-pham/?province=01&stars=4"),
        (3, 1, "/san-pham/?province=01&stars=3"),
    ]
    assert [(g.code, n, href) for g, n, href in response.context["groups"]] == [
        ("1", 2, "/san-pham/?province=01&group=1"),
        ("2", 0, "/san-pham/?province=01&group=2"),
        ("3", 0, "/san-pham/?province=01&group=3"),
        ("4", 1, "/san-pham/?province=01&group=4"),
        ("5", 0, "/san-pham/?province=01&group=5"),
        ("6", 0, "/san-pham/?province=01&group=6"),
    ]
    body = response.content.decode()
    assert "Sản phẩm OCOP Hà Nội" in body
    for address in ('action="/san-pham/"', 'href="/diem-ban/"', 'href="/kiem-tra/"', 'href="/open-data/"',
                    'href="/accounts/login/"'):  # fmt: skip
        assert address in body
    # The box sends the catalogue's own parameter, and a search without marks finds the product.
    assert 'name="q"' in body
    # The box's examples are searches that find products (issue 16: "mật ong" found none in the demo).
    assert 'placeholder="ví dụ: chè búp, gốm Bát Tràng"' in body
    for example in ("chè búp", "gốm Bát Tràng"):
        assert client.get("/san-pham/", {"q": example}).context["rows"], example
    found = client.get("/san-pham/", {"q": "che bup"})
    assert [p.name for p, _c, _s, _m in found.context["rows"]] == ["Chè búp Bát Tràng"]
    # The producer's phone on the product page is a tap-to-call link too.
    type(office.producer).objects.filter(pk=office.producer.pk).update(phone="0912.345.678")
    product = found.context["rows"][0][0]
    page = client.get(f"/san-pham/{product.pk}/").content.decode()
    assert '<a href="tel:+84912345678">0912 345 678</a>' in page  # in groups of digits, however typed


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("0912 345 678", "tel:+84912345678"),
        ("024.3826.1234", "tel:+842438261234"),
        ("(024) 3826-1234", "tel:+842438261234"),
        ("+84 912 345 678", "tel:+84912345678"),
        ("84912345678", "tel:+84912345678"),
        ("0912345678 - 0243826 1234", "tel:+84912345678"),  # two numbers: the first
        ("0912345678 (anh Nam)", "tel:+84912345678"),
        ("1900 1234", "tel:19001234"),  # a hotline has no area code
        ("", ""),
        ("không có", ""),
    ],
)
def test_a_phone_number_becomes_a_tap_to_call_address(phone, uri):
    assert tel_uri(phone) == uri


def test_an_outlets_phone_is_a_tap_to_call_link_on_its_page_and_on_the_map(outlet_scene, client):
    import importlib

    from django.apps import apps

    from ocop.outlets.models import Outlet
    from ocop.outlets.queries import map_feature
    from ocop.outlets.tests.conftest import recognised

    (outlet,) = recognised(outlet_scene)
    Outlet.objects.filter(pk=outlet.pk).update(phone="0243.826.1234")
    outlet.refresh_from_db()
    page = client.get(f"/diem-ban/{outlet.code}/").content.decode()
    assert '<a href="tel:+842438261234" id="outlet-phone">024 3826 1234</a>' in page
    # The map's features stored before phones were in them get them from the migration.
    importlib.import_module("ocop.outlets.migrations.0003_map_feature_phone").add_phone(apps, None)
    (feature,) = client.get("/api/v1/outlets").json()["features"]
    assert (feature["properties"]["phone"], feature["properties"]["tel"]) == ("0243.826.1234", "tel:+842438261234")
    # ... and the number in groups of digits from the next one, as a feature made today has it.
    importlib.import_module("ocop.outlets.migrations.0004_map_feature_phone_grouped").group_phone(apps, None)
    (feature,) = client.get("/api/v1/outlets").json()["features"]
    assert (feature["properties"]["phone"], feature["properties"]["tel"]) == ("024 3826 1234", "tel:+842438261234")
    outlet.refresh_from_db()
    assert outlet.map_feature == map_feature(outlet)  # the same text as a feature made today
    assert feature["properties"]["open"] is True
