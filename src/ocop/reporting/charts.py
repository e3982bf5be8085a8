"""Charts drawn on the server with pygal, as SVG images (no script, nothing fetched): each page shows its numbers in a
table beside the chart, for screen readers and for copying."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import pygal
from pygal.style import Style

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


def _uri(chart: Any) -> str:
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _whole(values: Sequence[int | float | None]) -> dict[str, Any]:
    """Axis marks on whole numbers (counts have no 0.2)."""
    top = max([int(v or 0) for v in values] + [1])
    step = max(1, -(-top // 8))
    return {"y_labels": list(range(0, top + step, step))}


def bar(title: str, labels: Sequence[str], values: Sequence[int | float | None]) -> str:
    chart = pygal.Bar(title=title, **(OPTIONS | _whole(values)))
    chart.x_labels = [str(label) for label in labels]
    chart.add(title, list(values))
    return _uri(chart)


def horizontal(title: str, labels: Sequence[str], values: Sequence[int]) -> str:
    options = OPTIONS | _whole(values) | {"height": max(200, 36 * len(labels) + 60)}
    chart = pygal.HorizontalBar(title=title, **options)
    chart.x_labels = [str(label) for label in reversed(labels)]  # pygal draws from the bottom: keep the table's order
    chart.add(title, list(reversed(values)))
    return _uri(chart)


def line(title: str, labels: Sequence[str], values: Sequence[int]) -> str:
    chart = pygal.Line(title=title, **(OPTIONS | {"print_values": False, "show_dots": True, "fill": True}))
    chart.x_labels = [str(label) for label in labels]
    chart.add(title, list(values))
    return _uri(chart)


BUCKETS = ((0, 0, "0"), (1, 2, "1–2"), (3, 5, "3–5"), (6, 10**9, "6+"))


def commune_map(title: str, rows: Sequence[CommuneRow]) -> str:
    """The communes at their centres, coloured by how many OCOP products they have."""
    chart = pygal.XY(
        title=title,
        stroke=False,
        **(
            OPTIONS
            | {
                "show_legend": True,
                "print_values": False,
                "height": 420,
                "show_x_labels": False,
                "show_y_labels": False,
                "dots_size": 4,
                "legend_at_bottom": True,
            }
        ),
    )
    for low, high, label in BUCKETS:
        points = [
            {"value": (r.commune.longitude, r.commune.latitude), "label": f"{r.commune.name}: {r.products}"}
            for r in rows
            if r.commune.latitude is not None and low <= r.products <= high
        ]
        chart.add(label, points)
    return _uri(chart)
