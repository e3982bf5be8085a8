"""The outlet form shows a stored position to six decimals (a tenth of a metre), not the float's noise, and keeps
what was typed when the form comes back."""

from django.urls import reverse

from ocop.conftest import client_for
from ocop.outlets.models import Outlet
from ocop.outlets.tests.conftest import register


def test_the_edit_form_shows_the_position_without_float_noise(outlet_scene):
    commerce = outlet_scene.users["commerce"]
    outlet = register(commerce, latitude="20.974400000000003", longitude="105.85199999999999")
    assert Outlet.objects.values_list("latitude", "longitude").get(pk=outlet.pk) == (
        20.974400000000003,
        105.85199999999999,
    )
    page = client_for(commerce).get(reverse("backoffice:outlet_edit", args=[outlet.pk])).content.decode()
    assert 'name="latitude" value="20.9744"' in page and 'name="longitude" value="105.852"' in page
    assert "105.85199999999999" not in page and "20.974400000000003" not in page
    refused = client_for(commerce).post(
        reverse("backoffice:outlet_edit", args=[outlet.pk]), {"latitude": "20.97440001", "longitude": "abc"}
    )
    assert refused.status_code == 400
    assert 'value="20.97440001"' in refused.content.decode()  # as typed
