"""The public sales-point map offers its communes in Vietnamese order of their names (d before đ, the "Xã"/"Phường"
in front ignored)."""

import datetime as dt

from django.urls import reverse

from ocop.outlets import services
from ocop.outlets.tests.conftest import outlet_scene, pass_assessment, register  # noqa: F401
from ocop.testing import commune


def test_the_map_filter_lists_communes_in_vietnamese_order(outlet_scene, client):  # noqa: F811
    commerce = outlet_scene.users["commerce"]
    for i, name in enumerate(["Gia Lâm", "Đa Phúc", "Dương Nội", "Bát Tràng"]):
        outlet = register(commerce, name=f"Điểm OCOP {name}", commune=commune(name))
        pass_assessment(commerce, outlet)
        services.recognise(by=commerce, outlet=outlet, number=f"{i}/QĐ", signed_on=dt.date(2026, 11, 1))
    communes = [c.short_name for c in client.get(reverse("outlet_map")).context["communes"]]
    assert communes == ["Bát Tràng", "Dương Nội", "Đa Phúc", "Gia Lâm"]
