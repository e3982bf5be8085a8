"""Our own outline of the 34 provinces, drawn from the communes' centre points (no boundary data is downloaded).

Each commune's centre owns the land nearer to it than to any other centre (a Voronoi cell); the land is the union of
discs around the centres, closed so that neighbouring discs join; a province is the union of its communes' cells.
The two archipelagos are drawn as areas around their special zones' centres and belong to their provinces (Hoàng Sa
to Đà Nẵng, Trường Sa to Khánh Hòa), because they are Vietnamese territory. The result is coarse on purpose: it is a
backdrop for the outlet map, not a survey. shapely is needed only to rebuild it (`ocop build_province_shapes`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SHAPES_FILE = Path(__file__).resolve().parent.parent / "static" / "ocop" / "provinces.geojson"
# Archipelago areas: special zone (commune) code → (label, radius in degrees around its centre).
ARCHIPELAGOS = {
    "20333": ("Quần đảo Hoàng Sa (Việt Nam)", 0.75),
    "22736": ("Quần đảo Trường Sa (Việt Nam)", 1.4),
}
DISC = 0.16  # degrees: discs this wide join communes up to about 35 km apart into one land mass
SHRINK = 0.09  # then the land is pulled back so the coast lies about 8 km beyond the outermost centres
TOLERANCE = 0.012  # simplification, in degrees (about 1.3 km)
DIGITS = 3


def build_shapes() -> dict[str, Any]:
    """The provinces as a GeoJSON FeatureCollection (properties: code, name, archipelagos: each a name and the
    [longitude, latitude] its label sits on)."""
    import shapely
    from shapely.geometry import MultiPoint, Point, Polygon, mapping

    from ocop.places.models import Commune, Province

    rows = list(
        Commune.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .exclude(code__in=ARCHIPELAGOS)
        .values_list("province__code", "longitude", "latitude")
    )
    points = [Point(lon, lat) for _code, lon, lat in rows]
    land = shapely.union_all([p.buffer(DISC, quad_segs=4) for p in points]).buffer(-SHRINK, quad_segs=4)
    # Sparse highlands leave gaps between discs: the land has no holes.
    land = shapely.union_all([Polygon(part.exterior) for part in getattr(land, "geoms", [land])])
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=land.envelope.buffer(1))
    # voronoi_polygons returns cells in no guaranteed order: match each cell to the centre inside it.
    tree = shapely.STRtree(points)
    owner: dict[str, list[Any]] = {}
    for cell in cells.geoms:
        for index in tree.query(cell, predicate="contains"):
            owner.setdefault(rows[int(index)][0], []).append(cell)
    provinces = {p.code: p for p in Province.objects.filter(central=False)}
    codes = sorted(owner)
    shapes = [shapely.union_all(owner[code]).intersection(land) for code in codes]
    shapes = list(shapely.coverage_simplify(shapes, TOLERANCE))
    # Each archipelago's label is placed on its special zone's centre (not on the middle of the province's bounds, which
    # lies in the sea between the mainland and the islands).
    extras: dict[str, list[dict[str, Any]]] = {}
    for commune in Commune.objects.filter(code__in=ARCHIPELAGOS).select_related("province"):
        label, radius = ARCHIPELAGOS[commune.code]
        area = Point(commune.longitude, commune.latitude).buffer(radius, quad_segs=6)
        index = codes.index(commune.province.code)
        shapes[index] = shapes[index].union(area)
        at = _rounded([commune.longitude, commune.latitude])
        extras.setdefault(commune.province.code, []).append({"name": label, "at": at})
    features = []
    for code, shape in zip(codes, shapes, strict=True):
        geometry = mapping(shapely.set_precision(shape, 10**-DIGITS))
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": provinces[code].name, "archipelagos": extras.get(code, [])},
                "geometry": _rounded(geometry),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DIGITS)
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def write_shapes(path: Path = SHAPES_FILE) -> int:
    data = build_shapes()
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return len(text.encode())
