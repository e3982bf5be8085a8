"""The dashboard's charts read true: the sales line starts its axis at zero, and the products-by-commune map draws
the communes on the province's outline with circles whose area is proportional to the count."""

import base64
import math
import re
import xml.etree.ElementTree as ET

from ocop.places.models import Commune
from ocop.reporting import charts, snapshots, stats
from ocop.reporting.stats import CommuneRow
from ocop.testing import province

SVG = "{http://www.w3.org/2000/svg}"


def _svg(uri: str) -> ET.Element:
    assert uri.startswith("data:image/svg+xml;base64,")
    return ET.fromstring(base64.b64decode(uri.split(",", 1)[1]))  # noqa: S314 -- our own chart, not untrusted input


def test_the_sales_line_starts_its_axis_at_zero_however_high_the_months_are():
    svg = _svg(charts.line("Doanh số", ["09/2026", "10/2026", "11/2026"], [452, 470, 461]))
    axis = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "axis y always_show")
    marks = [(float(t.text), float(t.get("y"))) for t in axis.iter(f"{SVG}text")]
    assert [v for v, _y in marks] == [0, 100, 200, 300, 400, 500]
    assert max(marks, key=lambda m: m[1])[0] == 0  # the zero line is the lowest one drawn


def _commune(code: str, name: str, lon: float, lat: float) -> Commune:
    return Commune(code=code, name=name, short_name=name, longitude=lon, latitude=lat)


def test_the_commune_map_sizes_circles_by_area_on_the_provinces_outline():
    rows = [
        CommuneRow(_commune("1", "Xã Bát Tràng", 105.91, 20.98), 9),
        CommuneRow(_commune("2", "Xã Ba Vì", 105.42, 21.20), 4),
        CommuneRow(_commune("3", "Xã Sóc Sơn", 105.85, 21.25), 1),
        CommuneRow(_commune("4", "Xã Mỹ Đức", 105.73, 20.70), 0),
    ]
    svg = _svg(charts.commune_map("Sản phẩm OCOP theo xã", rows, "01"))
    circles = {
        c.find(f"{SVG}title").text: float(c.get("r"))
        for c in svg.iter(f"{SVG}circle")
        if c.find(f"{SVG}title") is not None
    }
    assert circles == {"Xã Bát Tràng: 9": 22.0, "Xã Ba Vì: 4": 14.67, "Xã Sóc Sơn: 1": 7.33}
    for name, r in circles.items():  # area ∝ count: r / √count is the same for every commune
        assert math.isclose(r / math.sqrt(int(name.rsplit(": ", 1)[1])), 22 / 3, abs_tol=0.01)
    assert [c.get("r") for c in svg.iter(f"{SVG}circle") if c.get("data-count") == "0"] == ["1.5"]
    # Beneath them, the province's outline from the public map's provinces.geojson (no tile, nothing fetched).
    outlines = [p for p in svg.iter(f"{SVG}path") if p.get("fill") == charts.PROVINCE]
    assert len(outlines) == 1 and outlines[0].get("d").startswith("M")
    for c in svg.iter(f"{SVG}circle"):
        assert 0 <= float(c.get("cx")) <= 640 and 0 <= float(c.get("cy")) <= 480
    assert svg.find(f"{SVG}title").text == "Sản phẩm OCOP theo xã"


def test_the_dashboard_map_holds_the_scenes_communes(scene):
    s = stats.Scope(province().pk, None, scene.certs["binh"].issued_on.replace(year=2026, month=11, day=29))
    data = snapshots.compute(s)
    svg = _svg(data["charts"]["vi"]["map"])
    counted = {c.find(f"{SVG}title").text for c in svg.iter(f"{SVG}circle") if c.get("data-count") not in (None, "0")}
    expected = {f"{name}: {n}" for _pk, name, n in data["communes"] if n}
    assert counted == expected and len(expected) == 2
    assert re.search(
        r'<text[^>]*class="major">0</text>', base64.b64decode(data["charts"]["vi"]["sales"].split(",")[1]).decode()
    )


def _x_labels(uri: str) -> list[str]:
    axis = next(g for g in _svg(uri).iter(f"{SVG}g") if (g.get("class") or "").startswith("axis x"))
    return [t.text for t in axis.iter(f"{SVG}text")]


def test_the_sales_lines_month_labels_are_written_whole():
    """pygal cut "12/2025" to "12/2…" under twelve months: the chart writes "12/25", never truncated."""
    months = ["12/25", "01/26", "02/26", "03/26", "04/26", "05/26", "06/26", "07/26", "08/26", "09/26", "10/26",
              "11/26"]  # fmt: skip
    assert _x_labels(charts.line("Doanh số", months, [5] * 12)) == months
    # More than twelve months: every second one is written, whole.
    two_years = [f"{m:02d}/{y}" for y in (25, 26) for m in range(1, 13)]
    assert _x_labels(charts.line("Doanh số", two_years, [5] * 24)) == two_years[::2]


def test_the_dashboards_sales_chart_has_short_month_labels_and_its_table_the_whole_year(scene):
    data = snapshots.compute(stats.Scope(province().pk, None, scene.certs["binh"].issued_on.replace(year=2026, month=11,
                                                                                                     day=29)))  # fmt: skip
    assert _x_labels(data["charts"]["vi"]["sales"]) == ["09/26", "10/26"]
    assert [label for label, _r, _q in data["sales"]] == ["09/2026", "10/2026"]


def _title(uri: str) -> str:
    return next(t.text for t in _svg(uri).iter(f"{SVG}text") if (t.get("class") or "").startswith("title"))


def test_the_charts_speak_the_pages_language(scene):
    """The snapshot keeps the charts drawn in Vietnamese; a page in English draws its own from the same figures, the
    map's communes read again: the same circles, English words."""
    from django.utils import translation

    s = stats.Scope(province().pk, None, scene.certs["binh"].issued_on.replace(year=2026, month=11, day=29))
    data = snapshots.compute(s)
    assert list(data["charts"]) == ["vi"]
    with translation.override("vi"):
        assert snapshots.drawn(data, s) is data["charts"]["vi"]
    with translation.override("en"):
        english = snapshots.drawn(data, s)
    titles = {k: _title(english[k]) for k in ("stars", "groups", "sales")}
    assert titles == {"stars": "OCOP products by stars", "groups": "OCOP products by group",
                      "sales": "Sales at outlets by month (million ₫)"}  # fmt: skip
    assert _title(data["charts"]["vi"]["stars"]) == "Sản phẩm OCOP theo hạng sao"
    assert _svg(english["map"]).find(f"{SVG}title").text == "OCOP products by commune"

    def circles(uri: str) -> set[tuple[str | None, str | None]]:
        return {(c.get("data-count"), c.get("r")) for c in _svg(uri).iter(f"{SVG}circle")}

    assert circles(english["map"]) == circles(data["charts"]["vi"]["map"])
    assert _x_labels(english["sales"]) == _x_labels(data["charts"]["vi"]["sales"]) == ["09/26", "10/26"]


def test_a_chart_without_figures_says_so_in_the_pages_language():
    from django.utils import translation

    for language, text in (("vi", "Chưa có số liệu"), ("en", "No data")):
        with translation.override(language):
            svg = base64.b64decode(charts.line("x", [], []).split(",")[1]).decode()
        assert text in svg and ("No data" not in svg or language == "en")
