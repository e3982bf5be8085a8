"""Charts drawn on the server with pygal, as SVG images (no script, nothing fetched): each page shows its numbers in a
table beside the chart, for screen readers and for copying."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence
from functools import cache
from html import escape
from typing import Any

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from ocop.places.shapes import ARCHIPELAGOS, SHAPES_FILE
from ocop.reporting.stats import CommuneRow

STYLE = Style(
    background="white", plot_background="white", foreground="#1d2a22", foreground_strong="#1d2a22",
    foreground_subtle="#d7e0da", colors=("#1f6f43", "#a86400", "#3b6ea8", "#a3261b", "#6b4fa0"),
    font_family="sans-serif", label_font_size=13, major_label_font_size=13, value_font_size=12, title_font_size=16,
)  # fmt: skip
OPTIONS: dict[str, Any] = {
    "style": STYLE, "js": [], "disable_xml_declaration": True, "width": 640, "height": 320, "show_legend": False,
    "print_values": True, "margin": 12,
}  # fmt: skip


def _options() -> dict[str, Any]:
    """OPTIONS, and what a chart without figures says, in the active language (pygal's own is English)."""
    return OPTIONS | {"no_data_text": str(_("No data"))}


def _uri(chart: Any) -> str:
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _step(top: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most about eight marks up to `top`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if top / (step * factor) <= 8:
                return step * factor
        step *= 10


def _whole(values: Sequence[int | float | None]) -> dict[str, Any]:
    """Axis marks on whole numbers (counts have no 0.2)."""
    top = max([int(v or 0) for v in values] + [1])
    step = max(1, -(-top // 8))
    return {"y_labels": list(range(0, top + step, step))}


def bar(title: str, labels: Sequence[str], values: Sequence[int | float | None]) -> str:
    chart = pygal.Bar(title=title, **(_options() | _whole(values)))
    chart.x_labels = [str(label) for label in labels]
    chart.add(title, list(values))
    return _uri(chart)


def horizontal(title: str, labels: Sequence[str], values: Sequence[int]) -> str:
    options = _options() | _whole(values) | {"height": max(200, 36 * len(labels) + 60)}
    chart = pygal.HorizontalBar(title=title, **options)
    chart.x_labels = [str(label) for label in reversed(labels)]  # pygal draws from the bottom: keep the table's order
    chart.add(title, list(reversed(values)))
    return _uri(chart)


MONTHS_SHOWN = 12  # month labels ("12/25") that fit side by side under the 640 px line; more are thinned out


def line(title: str, labels: Sequence[str], values: Sequence[int]) -> str:
    """A line from zero: an axis that starts near the smallest value makes a small swing look large. Its labels are
    short ("12/25", not "12/2025", which pygal cut to "12/2…") and never truncated; past twelve, every second (or
    third...) one is written."""
    top = max([int(v or 0) for v in values] + [1])
    step = _step(top)
    every = -(-len(labels) // MONTHS_SHOWN)
    options = {"print_values": False, "show_dots": True, "fill": True, "include_x_axis": True,
               "range": (0, -(-top // step) * step), "y_labels": list(range(0, top + step, step)),
               "truncate_label": -1, "x_labels_major_every": every, "show_minor_x_labels": every == 1}  # fmt: skip
    chart = pygal.Line(title=title, **(_options() | options))
    chart.x_labels = [str(label) for label in labels]
    chart.add(title, list(values))
    return _uri(chart)


MAP_WIDTH, MAP_HEIGHT, MAP_PAD = 640, 480, 24
LARGEST = 22.0  # px: the radius of the commune with the most products; the others scale by area
LAND, PROVINCE, LINE, DOT = "#eef2ef", "#e4efe8", "#6b8f78", "#1f6f43"


@cache
def _provinces() -> list[dict[str, Any]]:
    """The provinces' outlines that the public sales-point map draws beneath its pins (our own file, offline)."""
    return json.loads(SHAPES_FILE.read_text(encoding="utf-8"))["features"]  # type: ignore[no-any-return]


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def radius(count: int, largest: int) -> float:
    """A circle's radius for `count` products, its area proportional to the count."""
    return round(LARGEST * math.sqrt(count / largest), 2) if count and largest else 0.0


def commune_map(title: str, rows: Sequence[CommuneRow], province_code: str) -> str:
    """The communes on the province's outline (the sales-point map's background), each a circle whose area is
    proportional to its OCOP products; communes without any are small grey dots. The numbers are in the page's
    table."""
    placed = [r for r in rows if r.commune.latitude is not None and r.commune.longitude is not None]
    # The frame holds the mainland communes; an archipelago's zone would shrink the province to a speck.
    framed = [r for r in placed if r.commune.code not in ARCHIPELAGOS] or placed
    if not framed:
        return ""
    lons = [float(r.commune.longitude) for r in framed]  # type: ignore[arg-type]
    lats = [float(r.commune.latitude) for r in framed]  # type: ignore[arg-type]
    west, east, south, north = min(lons) - 0.05, max(lons) + 0.05, min(lats) - 0.05, max(lats) + 0.05
    squeeze = math.cos(math.radians((south + north) / 2))  # a degree of longitude is shorter than one of latitude
    scale = min((MAP_WIDTH - 2 * MAP_PAD) / ((east - west) * squeeze), (MAP_HEIGHT - 2 * MAP_PAD) / (north - south))
    left = (MAP_WIDTH - (east - west) * squeeze * scale) / 2
    top = (MAP_HEIGHT - (north - south) * scale) / 2

    def xy(lon: float, lat: float) -> str:
        return f"{left + (lon - west) * squeeze * scale:.1f},{top + (north - lat) * scale:.1f}"

    shapes = []
    for feature in _provinces():
        rings = _rings(feature["geometry"])
        points = [p for ring in rings for p in ring]
        if max(p[0] for p in points) < west or min(p[0] for p in points) > east:
            continue
        if max(p[1] for p in points) < south or min(p[1] for p in points) > north:
            continue
        d = " ".join("M" + " L".join(xy(lon, lat) for lon, lat in ring) + " Z" for ring in rings)
        own = feature["properties"]["code"] == province_code
        shapes.append(f'<path d="{d}" fill="{PROVINCE if own else LAND}" stroke="{LINE}" '
                      f'stroke-width="{1.5 if own else 0.7}"/>')  # fmt: skip
    largest = max([r.products for r in placed] + [0])
    circles = []
    for r in sorted(placed, key=lambda r: -r.products):  # the small ones on top, to stay visible
        at = xy(float(r.commune.longitude), float(r.commune.latitude)).split(",")  # type: ignore[arg-type]
        label = escape(f"{r.commune.name}: {r.products}")
        if r.products:
            circles.append(
                f'<circle cx="{at[0]}" cy="{at[1]}" r="{radius(r.products, largest)}" data-count="{r.products}" '
                f'fill="{DOT}" fill-opacity="0.55" stroke="{DOT}"><title>{label}</title></circle>'
            )
        else:
            circles.append(f'<circle cx="{at[0]}" cy="{at[1]}" r="1.5" data-count="0" fill="#8a968f"/>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" width="{MAP_WIDTH}" '
        f'height="{MAP_HEIGHT}" role="img" font-family="sans-serif"><title>{escape(title)}</title>'
        f'<rect width="{MAP_WIDTH}" height="{MAP_HEIGHT}" fill="#cfe3ef"/>{"".join(shapes)}{"".join(circles)}'
        f"{_legend(largest)}</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _legend(largest: int) -> str:
    """Two reference circles (the largest count and about half of it) in the lower left corner."""
    if not largest:
        return ""
    marks = sorted({largest, max(1, largest // 2)})
    x, parts = 12.0, []
    for n in marks:
        r = radius(n, largest)
        parts.append(f'<circle cx="{x + r:.1f}" cy="{MAP_HEIGHT - 12 - r:.1f}" r="{r}" fill="{DOT}" '
                     f'fill-opacity="0.55" stroke="{DOT}"/><text x="{x + 2 * r + 4:.1f}" y="{MAP_HEIGHT - 14}" '
                     f'font-size="13" fill="#1d2a22">{n}</text>')  # fmt: skip
        x += 2 * r + 30
    box = (
        f'<rect x="4" y="{MAP_HEIGHT - 20 - 2 * LARGEST}" width="{x - 10:.1f}" height="{16 + 2 * LARGEST}" rx="4" '
        'fill="white" fill-opacity="0.85"/>'
    )
    return f'<g class="legend">{box}{"".join(parts)}</g>'
