"""The map's tile server settings: OCOP_MAP_TILES_URL is a Leaflet URL template and needs OCOP_MAP_ATTRIBUTION, or the
application refuses to start naming the variable; once set, only the map pages (the locator and the home page's small
map) carry the tiles to the browser and allow the tile host for images in their Content-Security-Policy."""

from __future__ import annotations

import pytest

from ocop.core.env import BadEnvironment, envtiles, tile_origin
from ocop.core.tests.test_production_settings import documented_environment, ocop

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_CREDIT = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
URL_EXPECTED = (
    "expected an https:// (or http://) Leaflet URL template with {z}, {x} and {y}, such as "
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png (the host may begin with {s}. for subdomains a, b, c)."
)


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        (OSM, "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://bando.tinh.gov.vn:8080/tiles/{z}/{x}/{-y}.png?v=2", "http://bando.tinh.gov.vn:8080"),
        ("ftp://tile.example.org/{z}/{x}/{y}.png", None),
        ("https://tile.example.org/{z}/{y}.png", None),
        ("tile.example.org/{z}/{x}/{y}.png", None),
        ("https://tile.example.org", None),
        ("https://{z}.example.org/{z}/{x}/{y}.png", None),
        ("https://a{s}.example.org/{z}/{x}/{y}.png", None),
        ("https://*/{z}/{x}/{y}.png", None),
        ("https://x.org; script-src *;/{z}/{x}/{y}.png", None),
    ],
)
def test_the_origin_of_a_tile_template(template, origin):
    assert tile_origin(template) == origin


def test_the_settings_read_a_tile_server_with_its_attribution(monkeypatch):
    assert envtiles("X_TILES", "X_CREDIT") == ("", "")  # unset: no tile server, nothing fetched
    monkeypatch.setenv("X_TILES", f" {OSM} ")
    monkeypatch.setenv("X_CREDIT", OSM_CREDIT)
    assert envtiles("X_TILES", "X_CREDIT") == (OSM, OSM_CREDIT)


def test_a_tile_server_without_attribution_is_refused_naming_the_variable(monkeypatch):
    monkeypatch.setenv("X_TILES", OSM)
    monkeypatch.setenv("X_CREDIT", "  ")
    with pytest.raises(BadEnvironment) as raised:
        envtiles("X_TILES", "X_CREDIT")
    assert (raised.value.name, raised.value.value) == ("X_CREDIT", None)
    assert str(raised.value).startswith(
        "Environment variable X_CREDIT is not set: expected the attribution the tile server's terms require"
    )
    assert str(raised.value).endswith("since X_TILES is set: the map shows it beneath the tiles.")


def test_a_url_that_is_no_tile_template_is_refused(monkeypatch):
    monkeypatch.setenv("X_TILES", "https://tile.openstreetmap.org/")
    monkeypatch.setenv("X_CREDIT", OSM_CREDIT)
    with pytest.raises(BadEnvironment) as raised:
        envtiles("X_TILES", "X_CREDIT")
    assert str(raised.value) == f"Bad environment variable X_TILES='https://tile.openstreetmap.org/': {URL_EXPECTED}"


def test_start_up_refuses_a_tile_server_without_attribution(tmp_path):
    env = {**documented_environment(tmp_path), "OCOP_MAP_TILES_URL": OSM}
    result = ocop(env, "check")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "Environment variable OCOP_MAP_ATTRIBUTION is not set: expected the attribution the tile server's terms "
        'require (text or HTML, e.g. \'&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
        "contributors'), since OCOP_MAP_TILES_URL is set: the map shows it beneath the tiles.\n"
    )
    result = ocop({**env, "OCOP_MAP_ATTRIBUTION": OSM_CREDIT, "OCOP_MAP_MAX_ZOOM": "23"}, "check")
    assert (result.returncode, result.stderr) == (
        1, "Bad environment variable OCOP_MAP_MAX_ZOOM='23': expected a zoom level from 1 to 22 (19: street level).\n"
    )  # fmt: skip
    shown = ocop(
        {**env, "OCOP_MAP_ATTRIBUTION": OSM_CREDIT},
        "shell", "--no-imports", "-c",
        "from django.conf import settings as s; print(s.OCOP_MAP_TILES_URL, s.OCOP_MAP_MAX_ZOOM, s.OCOP_MAP_ATTRIBUTION)",
    )  # fmt: skip
    assert (shown.returncode, shown.stdout) == (0, f"{OSM} 19 {OSM_CREDIT}\n")


def test_only_the_map_pages_carry_the_tiles_and_allow_their_host(db, client, settings):
    for path in ("/diem-ban/", "/"):
        page = client.get(path)
        assert page.status_code == 200
        assert "img-src 'self' data:;" in page["Content-Security-Policy"]
        assert "data-tiles" not in page.content.decode()
    settings.OCOP_MAP_TILES_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    settings.OCOP_MAP_ATTRIBUTION = '&copy; <a href="https://tile.example.org/">Bản đồ</a>'
    settings.OCOP_MAP_MAX_ZOOM = 18
    for path in ("/diem-ban/", "/"):
        page = client.get(path)
        assert "img-src 'self' data: https://*.tile.example.org;" in page["Content-Security-Policy"]
        assert (
            ' data-tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png" data-attribution="&amp;copy; &lt;a '
            'href=&quot;https://tile.example.org/&quot;&gt;Bản đồ&lt;/a&gt;" data-max-zoom="18" role="region"'
        ) in page.content.decode()
    other = client.get("/san-pham/")
    assert "img-src 'self' data:;" in other["Content-Security-Policy"]
    assert "tile.example.org" not in other["Content-Security-Policy"]
