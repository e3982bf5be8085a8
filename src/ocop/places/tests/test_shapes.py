import json

from ocop.places.models import Province
from ocop.places.shapes import SHAPES_FILE


def _inside(point, ring):
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _polygons(feature):
    geometry = feature["geometry"]
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def test_the_committed_outline_has_the_34_provinces_and_the_archipelagos_in_theirs(db):
    data = json.loads(SHAPES_FILE.read_text(encoding="utf-8"))
    by_code = {f["properties"]["code"]: f for f in data["features"]}
    assert sorted(by_code) == sorted(Province.objects.filter(central=False).values_list("code", flat=True))
    assert len(by_code) == 34
    hoang_sa, truong_sa, hoan_kiem = (112.135, 16.568), (114.45, 9.71), (105.852, 21.029)
    # Each label sits on its special zone's centre, inside the archipelago's area.
    assert by_code["48"]["properties"]["archipelagos"] == [{"name": "Quần đảo Hoàng Sa (Việt Nam)", "at": [*hoang_sa]}]
    assert by_code["56"]["properties"]["archipelagos"] == [
        {"name": "Quần đảo Trường Sa (Việt Nam)", "at": [*truong_sa]}
    ]
    assert [f["properties"]["archipelagos"] for code, f in by_code.items() if code not in {"48", "56"}] == [[]] * 32
    assert any(_inside(hoang_sa, p[0]) for p in _polygons(by_code["48"]))
    assert any(_inside(truong_sa, p[0]) for p in _polygons(by_code["56"]))
    assert any(_inside(hoan_kiem, p[0]) for p in _polygons(by_code["01"]))
    assert not any(_inside(hoan_kiem, p[0]) for code, f in by_code.items() if code != "01" for p in _polygons(f))
    assert SHAPES_FILE.stat().st_size < 100_000  # a backdrop, light enough for a phone
