"""An outlet's monthly sales page (issue 16): a producer whose product is on the shelf reads its own rows only (no
competitor's figures, no outlet total); outsiders get a 404; a bad ?month= is refused with a 400 naming the field."""

import datetime as dt

import pytest
from django.urls import reverse

from ocop.accounts.models import Role
from ocop.conftest import client_for
from ocop.outlets import sales, stock
from ocop.outlets.sales import Entry
from ocop.outlets.tests.conftest import certify, recognised
from ocop.registry import services as registry
from ocop.testing import make_producer, make_product, make_user, system_user


@pytest.fixture
def month_sold(outlet_scene):
    """October 2026 at the outlet: the world's product (12 units, 1.500.000 ₫) and a competitor's tea (Trà hoa vàng) (21 units,
    3.780.000 ₫)."""
    (outlet,) = recognised(outlet_scene)
    rival = make_producer(name="HTX Trà Ba Chẽ")
    tea = make_product(producer=rival, name="Trà hoa vàng Ba Chẽ")
    certify(outlet_scene.users["coordinator"], tea)
    commerce = outlet_scene.users["commerce"]
    stock.add_stock(by=commerce, outlet=outlet, product=tea, since=dt.date(2026, 9, 1))
    sales.record_sales(
        by=commerce, outlet=outlet, month=dt.date(2026, 10, 1),
        entries=[Entry(outlet_scene.product.pk, "12", "1500000"), Entry(tea.pk, "21", "3780000")],
    )  # fmt: skip
    outlet_scene.outlet, outlet_scene.rival, outlet_scene.tea = outlet, rival, tea
    return outlet_scene


def _page(user, outlet, month="10/2026"):
    return client_for(user).get(reverse("backoffice:outlet_sales", args=[outlet.pk]), {"month": month})


def test_a_producer_reads_only_its_own_rows(month_sold):
    scene = month_sold
    assert sales.producers_shown(scene.users["producer"], scene.outlet) == {scene.producer.pk}
    assert sales.producers_shown(scene.users["commerce"], scene.outlet) is None
    response = _page(scene.users["producer"], scene.outlet)
    assert response.status_code == 200
    assert [(r["item"].product.name, r["quantity"], r["revenue"]) for r in response.context["rows"]] == [
        (scene.product.name, 12, 1_500_000)
    ]
    assert response.context["total"] is None
    page = response.content.decode()
    assert "Trà hoa vàng Ba Chẽ" not in page and "3780000" not in page and "5280000" not in page
    assert 'id="sales-total"' not in page
    assert "Chỉ hiển thị doanh số sản phẩm của bạn." in page


def test_the_outlets_officers_read_every_row_and_the_total(month_sold):
    scene = month_sold
    for who in ("commerce", "commune", "admin"):
        response = _page(scene.users[who], scene.outlet)
        assert response.status_code == 200
        rows = [(r["item"].product.name, r["quantity"], r["revenue"]) for r in response.context["rows"]]
        assert sorted(rows) == sorted([(scene.product.name, 12, 1_500_000), ("Trà hoa vàng Ba Chẽ", 21, 3_780_000)])
        assert response.context["total"] == 5_280_000


def test_outsiders_get_a_404(month_sold):
    scene = month_sold
    stranger = make_user(Role.PRODUCER, username="stranger")
    registry.link_producer_account(producer=make_producer(name="HTX Khác"), user=stranger, by=system_user())
    for user in (scene.users["charlie"], stranger):
        assert _page(user, scene.outlet).status_code == 404


@pytest.mark.parametrize("month", ["13/2026", "<script>", "00/2026"])
def test_a_bad_month_is_refused_with_a_400_naming_the_field(month_sold, month):
    scene = month_sold
    response = _page(scene.users["commerce"], scene.outlet, month)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tháng (MM/YYYY): Ghi tháng dạng MM/YYYY, ví dụ 03/2026." in page
    assert "<script>" not in page.split("<main", 1)[-1]
    sheet = client_for(scene.users["commerce"]).get(
        reverse("backoffice:outlet_sales_sheet", args=[scene.outlet.pk]), {"month": month}
    )
    assert sheet.status_code == 400


def test_the_sales_list_follows_the_same_rule(month_sold):
    scene = month_sold

    def products(who):
        response = client_for(scene.users[who]).get(reverse("backoffice:sales_list"))
        assert response.status_code == 200
        return sorted((r["product__name"], r["revenue"]) for r in response.context["by_product"])

    everything = sorted([(scene.product.name, 1_500_000), ("Trà hoa vàng Ba Chẽ", 3_780_000)])
    assert products("producer") == [(scene.product.name, 1_500_000)]
    assert products("commerce") == products("commune") == products("admin") == everything
    assert products("charlie") == []
    assert list(sales.records_visible_to(scene.users["producer"]).values_list("revenue", flat=True)) == [1_500_000]
