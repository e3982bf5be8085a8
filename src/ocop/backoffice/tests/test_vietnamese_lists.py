"""The lists people scan by name are in Vietnamese order: producers, products, provinces and communes in pickers, the
public filters and the places API."""

from django.urls import reverse

from ocop.conftest import client_for
from ocop.testing import make_producer, make_product

NAMES = ["Ấp Mới", "Đồng Tâm", "An Phú", "Dê Núi Ba Vì", "Bánh Tẻ", "Ăn Ngon"]
ORDER = ["An Phú", "Ăn Ngon", "Ấp Mới", "Bánh Tẻ", "Dê Núi Ba Vì", "Đồng Tâm"]


def test_producers_and_products_lists_in_vietnamese_order(world):
    names = set()
    for name in NAMES:
        producer = make_producer(name=name)
        make_product(producer=producer, name=name)
        names.add(name)
    client = client_for(world.users["coordinator"])
    listed = [p.name for p in client.get(reverse("backoffice:producer_list")).context["page"] if p.name in names]
    assert listed == ORDER
    listed = [p.name for p in client.get(reverse("backoffice:product_list")).context["page"] if p.name in names]
    assert listed == ORDER


def test_commune_pickers_and_filters_ignore_the_xa_phuong_prefix(world):
    client = client_for(world.users["coordinator"])
    communes = list(client.get(reverse("backoffice:producer_list")).context["communes"])
    shorts = [c.short_name for c in communes]
    assert shorts.index("An Khánh") < shorts.index("Ba Đình") < shorts.index("Đa Phúc") < shorts.index("Gia Lâm")
    assert shorts.index("Dương Nội") < shorts.index("Đa Phúc")  # d before đ, whatever the "Phường"/"Xã" in front
    form = client.get(reverse("backoffice:producer_create")).context["form"]
    picked = [c.short_name for c in form.fields["commune"].queryset]
    assert picked.index("Dương Nội") < picked.index("Đa Phúc") < picked.index("Gia Lâm")


def test_public_filters_and_the_places_api_in_vietnamese_order(world, client):
    provinces = [p.short_name for p in client.get(reverse("catalogue")).context["provinces"]]
    assert provinces.index("Hà Nội") < provinces.index("Huế")
    assert (
        provinces.index("Cà Mau")
        < provinces.index("Đà Nẵng")
        < provinces.index("Đồng Nai")
        < provinces.index("Gia Lai")
    )
    api = [p["name"] for p in client.get("/api/v1/provinces").json()]
    assert api.index("Thành phố Hà Nội") < api.index("Thành phố Huế") < api.index("Tỉnh Hưng Yên")
    communes = [c["name"] for c in client.get("/api/v1/provinces/01/communes").json()]
    assert communes.index("Phường Dương Nội") < communes.index("Xã Đa Phúc") < communes.index("Xã Gia Lâm")
