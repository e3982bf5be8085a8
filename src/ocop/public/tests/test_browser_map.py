"""The public sales-point map in a real Chromium: with no tile server (the default) it draws our own outline and asks
nothing of any other host, and a shop zoomed in on still shows its pin, name and address on the background; with
OCOP_MAP_TILES_URL set, the tile server's tiles (answered here by the test, standing in for the outside world) are
drawn beneath the outline with their attribution, and the page's Content-Security-Policy allows that host for images.
The archipelago labels sit over Hoàng Sa and Trường Sa at every zoom, and on a phone the map comes within the first
screen, above the list."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from playwright.sync_api import Page, Route, expect

from ocop.accounts.models import Role
from ocop.outlets import services
from ocop.outlets.checklists import load_checklists
from ocop.outlets.tests.conftest import pass_assessment, register
from ocop.testing import PNG_BYTES, make_user
from ocop.testing_axe import serious_violations

pytestmark = pytest.mark.browser

SHOP = (20.975, 105.913)  # Điểm OCOP Bát Tràng (register()'s position), latitude and longitude
HOANG_SA, TRUONG_SA = (16.568, 112.135), (9.71, 114.45)  # the special zones' centres
TILES = "https://tiles.example.test/{z}/{x}/{y}.png"
TILE = re.compile(r"^https://tiles\.example\.test/(\d+)/(\d+)/(\d+)\.png$")


@pytest.fixture
def shop(reference_data):
    load_checklists()
    commerce = make_user(Role.COMMERCE_OFFICER, username="commerce")
    outlet = register(commerce)
    pass_assessment(commerce, outlet)
    return services.recognise(by=commerce, outlet=outlet, number="412/QĐ-SCT", signed_on=dt.date(2026, 11, 1))


def requests_of(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    return seen


def open_map(page: Page, live_server) -> dict[str, str]:
    response = page.goto(f"{live_server.url}/diem-ban/")
    assert response is not None
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    expect(page.locator("#map")).to_have_attribute("data-outline", "34")
    return response.headers


def zoom(page: Page, lat: float, lng: float, z: float) -> None:
    page.evaluate("([lat, lng, z]) => document.getElementById('map').leafletMap.setView([lat, lng], z, {animate: false})",
                  [lat, lng, z])  # fmt: skip


def tile_of(lat: float, lng: float, z: int) -> tuple[int, int, int]:
    """The slippy-map tile (z, x, y) holding the point (OpenStreetMap's numbering, as Leaflet asks for it)."""
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int((lng + 180) / 360 * n), int(y)


def test_without_a_tile_server_the_map_draws_our_outline_and_asks_no_other_host(page: Page, live_server, shop):
    seen = requests_of(page)
    headers = open_map(page, live_server)
    assert "img-src 'self' data:;" in headers["content-security-policy"]
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(page.locator(".leaflet-tile")).to_have_count(0)
    expect(page.locator(".leaflet-control-attribution")).to_have_count(0)
    expect(page.locator("#map canvas")).to_have_count(1)  # the provinces outline
    assert [url for url in seen if not url.startswith((live_server.url, "data:"))] == []
    assert serious_violations(page) == []
    # Zoomed in on the shop as far as the map goes (18): the background colour, the province's fill, the pin with
    # its name and address; no grey, and still nothing fetched from elsewhere.
    zoom(page, *SHOP, 18)
    assert page.evaluate("document.getElementById('map').leafletMap.getZoom()") == 18
    label = page.locator(".shop-label")
    expect(label).to_be_visible()
    expect(label).to_have_text("Điểm OCOP Bát TràngSố 5 đường Giang Cao, Xã Bát Tràng")
    assert page.locator("#map").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(207, 227, 239)"
    x, y = page.evaluate(
        "([lat, lng]) => { const p = document.getElementById('map').leafletMap.latLngToContainerPoint([lat, lng]);"
        " return [p.x, p.y]; }", list(SHOP),
    )  # fmt: skip
    # The canvas under the pin holds the province's fill (#e4efe8), drawn, not empty.
    pixel = page.evaluate(
        "([x, y]) => { const c = document.querySelector('#map canvas'); const r = c.getBoundingClientRect();"
        " const m = document.getElementById('map').getBoundingClientRect(); const s = c.width / r.width;"
        " return Array.from(c.getContext('2d').getImageData((m.left + x - r.left + 30) * s, (m.top + y - r.top + 30)"
        " * s, 1, 1).data); }", [x, y],
    )  # fmt: skip
    assert pixel == [0xE4, 0xEF, 0xE8, 255]
    zoom(page, *SHOP, 9)
    expect(label).to_be_hidden()  # names only from street zoom on
    assert [url for url in seen if not url.startswith((live_server.url, "data:"))] == []


def test_with_a_tile_server_its_tiles_are_drawn_beneath_with_their_attribution(page: Page, live_server, shop, settings):
    settings.OCOP_MAP_TILES_URL = TILES
    settings.OCOP_MAP_ATTRIBUTION = '&copy; <a href="https://tiles.example.test/terms">Bản đồ Thử nghiệm</a>'
    settings.OCOP_MAP_MAX_ZOOM = 19
    tiles: list[tuple[int, int, int]] = []
    referers: set[str | None] = set()

    def answer(route: Route) -> None:  # the outside world: a tile server answering every tile with a small PNG
        match = TILE.match(route.request.url)
        assert match is not None, route.request.url
        tiles.append((int(match[1]), int(match[2]), int(match[3])))
        referers.add(route.request.headers.get("referer"))
        route.fulfill(status=200, content_type="image/png", body=PNG_BYTES)

    page.route("https://tiles.example.test/**", answer)
    seen = requests_of(page)
    headers = open_map(page, live_server)
    assert "img-src 'self' data: https://tiles.example.test;" in headers["content-security-policy"]
    # One shop: the map fits it at zoom 15, and the tile holding it is among those asked for.
    assert page.evaluate("document.getElementById('map').leafletMap.getZoom()") == 15
    expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
    assert page.locator(".leaflet-tile-loaded").count() > 0
    assert tile_of(*SHOP, 15) in tiles
    assert {z for z, _x, _y in tiles} <= {9, 15}  # the first view (9), then the shop's
    assert referers == {f"{live_server.url}/"}  # the site's origin, as tile servers ask; not the page's address
    expect(page.locator(".leaflet-control-attribution")).to_be_visible()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("© Bản đồ Thử nghiệm")
    expect(page.get_by_role("link", name="Bản đồ Thử nghiệm")).to_have_attribute(
        "href", "https://tiles.example.test/terms"
    )
    assert serious_violations(page) == []
    # Street level on the shop: tiles of zoom 19, the greatest the setting allows.
    zoom(page, *SHOP, 19)
    expect(page.locator(".shop-label")).to_be_visible()
    street_tile = "https://tiles.example.test/{}/{}/{}.png".format(*tile_of(*SHOP, 19))
    expect(page.locator(f'.leaflet-tile-loaded[src="{street_tile}"]')).to_have_count(1)
    assert page.evaluate("document.getElementById('map').leafletMap.getMaxZoom()") == 19
    assert [u for u in seen if not u.startswith((live_server.url, "data:", "https://tiles.example.test/"))] == []


def test_on_a_phone_the_map_is_in_the_first_screen_above_the_list(page: Page, live_server, shop):
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, live_server)
    box = page.locator("#map").bounding_box()
    listing = page.locator("#outlet-list").bounding_box()
    assert box is not None and listing is not None
    assert box["y"] < 844 * 0.5  # its top well within the first screen
    assert box["height"] >= 844 * 0.4
    assert box["y"] + box["height"] <= 844  # the whole map in the first screen
    assert listing["y"] >= box["y"] + box["height"]  # the list below it
    # The one shop is fitted at zoom 15: its name and address show whole, inside the narrow map, above the pin.
    label = page.locator(".shop-label")
    expect(label).to_be_visible()
    shown = label.bounding_box()
    assert shown is not None
    assert box["x"] <= shown["x"] and shown["x"] + shown["width"] <= box["x"] + box["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert serious_violations(page) == []


@pytest.mark.parametrize(("centre", "z"), [((13.5, 110.0), 5), ((16.5, 111.5), 7), ((10.5, 113.5), 7.5)])
def test_the_archipelago_labels_sit_over_the_archipelagos_at_every_zoom(page: Page, live_server, shop, centre, z):
    open_map(page, live_server)
    zoom(page, *centre, z)
    for name, (lat, lng) in (("Quần đảo Hoàng Sa (Việt Nam)", HOANG_SA), ("Quần đảo Trường Sa (Việt Nam)", TRUONG_SA)):
        label = page.locator(".archipelago", has_text=name)
        expected = page.evaluate(
            "([lat, lng]) => { const m = document.getElementById('map'); const p = m.leafletMap"
            ".latLngToContainerPoint([lat, lng]); const r = m.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
            [lat, lng],
        )  # fmt: skip
        box = label.bounding_box()
        assert box is not None
        # The label's centre on the archipelago's, within 2 px (the old label, on the middle of the province's bounds,
        # was 47 px off at zoom 5 and hundreds at 7).
        assert abs(box["x"] + box["width"] / 2 - expected[0]) <= 2, (name, box, expected)
        assert abs(box["y"] + box["height"] / 2 - expected[1]) <= 2, (name, box, expected)


def label_fits(page: Page, selector: str) -> dict[str, object]:
    """What decides whether a label looks as site.css says (leaflet.css, loaded after it, styles every tooltip)."""
    return page.locator(selector).evaluate(
        "e => { const s = getComputedStyle(e); return {whiteSpace: s.whiteSpace, background: s.backgroundColor,"
        " shadow: s.boxShadow, overflows: e.scrollWidth > e.clientWidth}; }"
    )


@pytest.mark.parametrize("address", ["/diem-ban/", "/"])
def test_the_labels_keep_our_look_over_leaflets_tooltips(page: Page, live_server, shop, address):
    """Leaflet's tooltip box (white, shadowed, nowrap) does not win over our labels, on the map page and on the home
    page (which adds leaflet.css when its map comes into view): the archipelagos' names are bare text on the sea, and a
    shop's name and address wrap inside its label (the address spilled 47 px out of it)."""
    page.goto(f"{live_server.url}{address}")
    page.locator("#map").scroll_into_view_if_needed()
    expect(page.locator("#map")).to_have_attribute("data-ready", "1")
    expect(page.locator("#map")).to_have_attribute("data-outline", "34")
    zoom(page, *HOANG_SA, 6)
    archipelago = label_fits(page, ".archipelago >> nth=0")
    assert archipelago == {
        "whiteSpace": "normal",
        "background": "rgba(0, 0, 0, 0)",
        "shadow": "none",
        "overflows": False,
    }
    zoom(page, *SHOP, 16)
    expect(page.locator(".shop-label")).to_be_visible()
    shop_label = label_fits(page, ".shop-label")
    assert shop_label == {
        "whiteSpace": "normal", "background": "rgb(255, 255, 255)", "shadow": "rgba(0, 0, 0, 0.4) 0px 1px 3px 0px",
        "overflows": False,
    }  # fmt: skip
    # Two lines, the name above the address, none of it past the box.
    assert page.locator(".shop-label").evaluate("e => e.scrollWidth <= e.clientWidth && e.clientWidth <= 224")


def test_on_a_phone_the_archipelago_labels_stay_whole_inside_the_map(page: Page, live_server, shop):
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, live_server)
    zoom(page, 13.5, 110.0, 5)
    box = page.locator("#map").bounding_box()
    assert box is not None
    for name in ("Quần đảo Hoàng Sa (Việt Nam)", "Quần đảo Trường Sa (Việt Nam)"):
        label = page.locator(".archipelago", has_text=name).bounding_box()
        assert label is not None
        # Trường Sa's, on one line, ended 20 px past the map's right edge ("…Trường Sa (Việt Na").
        assert box["x"] <= label["x"] and label["x"] + label["width"] <= box["x"] + box["width"], (name, label, box)
        assert box["y"] <= label["y"] and label["y"] + label["height"] <= box["y"] + box["height"], (name, label, box)


def map_top(page: Page) -> float:
    return page.locator("#map").evaluate("e => e.getBoundingClientRect().top")


def test_on_a_phone_a_shop_tapped_in_the_list_is_shown_on_the_map_scrolled_back_into_view(
    page: Page, live_server, shop
):
    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, live_server)
    zoom(page, *SHOP, 9)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert map_top(page) < 0  # the list below the map, the map scrolled out of the top
    page.locator("#outlet-list li small").first.click()
    expect(page.locator(".leaflet-popup")).to_be_visible()
    expect(page.locator(".leaflet-popup")).to_contain_text("Điểm OCOP Bát Tràng")
    assert 0 <= map_top(page) < 844


def test_a_phone_held_sideways_shows_the_map_in_the_first_screen(page: Page, live_server, shop):
    page.set_viewport_size({"width": 844, "height": 390})
    open_map(page, live_server)
    box = page.locator("#map").bounding_box()
    listing = page.locator("#outlet-list").bounding_box()
    assert box is not None and listing is not None
    assert box["y"] < 390 * 0.5, box  # was 447: below the first screen, under the filters and the introduction
    assert listing["y"] >= box["y"] + box["height"]  # the list below it


@pytest.mark.parametrize("size", [(390, 844), (844, 390), (1280, 800)])
def test_the_open_now_checkbox_sits_before_its_text(page: Page, live_server, shop, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_map(page, live_server)
    checkbox = page.locator("input[name=mo-cua]")
    tick = checkbox.bounding_box()
    words = checkbox.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e.parentElement); r.setStartAfter(e);"
        " const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, height: b.height, text: r.toString().trim()}; }"
    )
    assert tick is not None
    assert words["text"] == "Đang mở cửa"
    assert tick["x"] + tick["width"] <= words["x"]  # before its text
    assert tick["y"] < words["y"] + words["height"] and words["y"] < tick["y"] + tick["height"]  # on its line
