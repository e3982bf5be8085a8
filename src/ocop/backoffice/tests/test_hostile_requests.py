"""Hostile requests to the pages get a 4xx or a clean answer, never a 500 (on SQLite and PostgreSQL alike): ids of
19 digits and more match no URL (`<id:...>`, ocop.core.converters), and control characters in query values are
scrubbed by ocop.core.middleware before any list filter reads them."""

import pytest
from django.urls import reverse

from ocop.conftest import client_for
from ocop.core.converters import MAX_ID

HUGE = "9" * 19
ALSO_HUGE = "18446744073709551616"  # 2**64


def _url_with(name, kwargs, value):
    """The URL `name` with each id replaced by `value` (reverse with MAX_ID, then swap the text)."""
    url = reverse(name, kwargs=dict.fromkeys(kwargs, MAX_ID))
    return url.replace(str(MAX_ID), value)


@pytest.mark.parametrize(
    ("name", "kwargs", "user"),
    [
        ("backoffice:producer_detail", ("pk",), "coordinator"),
        ("backoffice:product_edit", ("pk",), "coordinator"),
        ("backoffice:photo_file", ("pk", "photo_pk"), "coordinator"),
        ("backoffice:document_file", ("pk",), "producer"),
        ("backoffice:dossier_detail", ("pk",), "coordinator"),
        ("catalogue_product", ("pk",), "anon"),
        ("catalogue_photo", ("pk", "photo_pk"), "anon"),
    ],
)
def test_an_id_of_19_digits_or_more_is_a_404(world, name, kwargs, user):
    client = client_for(world.users[user])
    for value in (HUGE, ALSO_HUGE):
        response = client.get(_url_with(name, kwargs, value))
        assert response.status_code == 404, (name, value)
        assert response.templates[0].name == "errors/error.html"
    # The longest id the converter takes is still a URL: the view answers (no such record), not the resolver.
    assert client.get(_url_with(name, kwargs, str(MAX_ID))).status_code == 404


def test_the_converter_keeps_names_and_kwargs(world):
    url = reverse("backoffice:photo_file", kwargs={"pk": world.product.pk, "photo_pk": world.photo.pk})
    assert url == f"/bo/products/{world.product.pk}/photos/{world.photo.pk}/"
    response = client_for(world.users["coordinator"]).get(url)
    assert response.status_code == 200
    assert response.resolver_match.kwargs == {"pk": world.product.pk, "photo_pk": world.photo.pk}


def _rows(response):
    page = response.context["page"]
    return [getattr(row, "pk", row) for row in page.object_list]


@pytest.mark.parametrize(
    ("name", "user", "hostile", "clean"),
    [
        ("backoffice:document_list", "coordinator", {"q": "ATTP\x00", "kind": "\x00"}, {"q": "ATTP", "kind": ""}),
        (
            "backoffice:product_list",
            "coordinator",
            {"q": "\x00Thử\u202eNghiệm", "status": "active\x07"},
            {"q": "Thử Nghiệm", "status": "active"},
        ),
        ("backoffice:producer_list", "coordinator", {"q": "Thử\x00Nghiệm", "kind": "\x1b"}, {"q": "Thử Nghiệm"}),
        ("backoffice:certificate_list", "coordinator", {"q": "\x00", "status": "valid\x00"}, {"status": "valid"}),
        ("backoffice:outlet_list", "coordinator", {"q": "\x00", "status": "\x00", "kind": "\x00"}, {}),
        ("catalogue", "anon", {"q": "\x00", "province": "01\x00", "group": "\x00"}, {"province": "01"}),
        ("outlet_map", "anon", {"sp": "\x00", "xa": "\x00", "loai": "\x00"}, {}),
    ],
)
def test_a_control_character_in_a_list_filter_is_scrubbed(world, name, user, hostile, clean):
    client = client_for(world.users[user])
    response = client.get(reverse(name), hostile)
    assert response.status_code == 200
    assert _rows(response) == _rows(client.get(reverse(name), clean))
    assert "\x00" not in response.content.decode()


def test_the_scrubbed_filter_still_finds(world):
    client = client_for(world.users["coordinator"])
    documents = client.get(reverse("backoffice:document_list"), {"q": "ATTP\x00"})
    assert _rows(documents) == [world.document.pk]
    products = client.get(reverse("backoffice:product_list"), {"q": f"{world.product.name}\x00"})
    assert _rows(products) == [world.product.pk]


@pytest.mark.parametrize("url", ["/diem-ban/%00/", "/v/%00", "/v/AB%07CD/report", "/bo/imports/%00/"])
def test_a_control_character_in_a_path_is_a_404(world, url):
    response = client_for(world.users["coordinator"]).get(url)
    assert response.status_code == 404
    assert response.templates[0].name == "errors/error.html"


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999", "-9223372036854775809"])
def test_a_public_filter_id_past_the_database_integer_is_ignored(world, value):
    response = client_for(None).get(reverse("catalogue"), {"commune": value})
    assert response.status_code == 200
    assert _rows(response) == _rows(client_for(None).get(reverse("catalogue")))
