"""/open-data/ over HTTP: HEAD answered as GET without the body (link checkers, harvesters), the DCAT catalogue's
validators and 304, and the GeoJSON's coordinates without float noise."""

import datetime as dt
import json

from ocop.outlets.models import Outlet
from ocop.reporting import opendata
from ocop.reporting.tests.conftest import scene  # noqa: F401

SCENE_DAY = dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC)  # 16:00 in Hà Nội


def _build(time_machine):
    time_machine.move_to(SCENE_DAY, tick=False)
    opendata.write_register()


def test_head_answers_like_get_without_the_body(scene, client, time_machine):  # noqa: F811
    _build(time_machine)
    for name in opendata.FILES:
        got, head = client.get(f"/open-data/{name}"), client.head(f"/open-data/{name}")
        size = len(opendata.read(name))
        assert (head.status_code, head["ETag"], head["Last-Modified"], head["Content-Length"], head.content) == (
            200, got["ETag"], got["Last-Modified"], str(size), b"")  # fmt: skip
        assert (got["Content-Length"], head["Content-Type"]) == (str(size), got["Content-Type"])
        again = client.head(f"/open-data/{name}", headers={"If-None-Match": got["ETag"]})
        assert (again.status_code, again.content) == (304, b"")
    for url in ("/open-data/", "/open-data/dcat.json"):
        head = client.head(url)
        assert (head.status_code, head.content) == (200, b"")
    assert client.post("/open-data/certificates.csv").status_code == 405


def test_the_dcat_catalogue_has_validators_and_answers_304(scene, client, time_machine):  # noqa: F811
    _build(time_machine)
    first = client.get("/open-data/dcat.json")
    etag = first["ETag"]
    assert (first.status_code, first["Last-Modified"], etag[0], etag[-1], len(etag)) == (
        200, "Sun, 29 Nov 2026 09:00:00 GMT", '"', '"', 34)  # fmt: skip  # strong: no W/
    assert client.get("/open-data/dcat.json")["ETag"] == etag  # the same files, the same catalogue
    again = client.get("/open-data/dcat.json", headers={"If-None-Match": etag})
    assert (again.status_code, again["ETag"], again.content) == (304, etag, b"")
    since = client.get("/open-data/dcat.json", headers={"If-Modified-Since": "Sun, 29 Nov 2026 09:00:00 GMT"})
    assert since.status_code == 304
    head = client.head("/open-data/dcat.json")
    assert (head.status_code, head["ETag"], head.content) == (200, etag, b"")
    assert client.get("/open-data/dcat.json", headers={"If-None-Match": '"other"'}).status_code == 200
    # new files: a new catalogue (dct:modified), a new validator
    time_machine.move_to(SCENE_DAY + dt.timedelta(minutes=5), tick=False)
    opendata.write_register()
    later = client.get("/open-data/dcat.json", headers={"If-None-Match": etag})
    assert (later.status_code, later["Last-Modified"]) == (200, "Sun, 29 Nov 2026 09:05:00 GMT")
    assert later["ETag"] != etag


def test_the_sales_points_coordinates_are_written_to_six_decimals(scene, client, time_machine):  # noqa: F811
    Outlet.objects.filter(pk=scene.outlet.pk).update(longitude=105.85199999999999, latitude=20.974400000000003)
    _build(time_machine)
    text = opendata.read("sales-points.geojson").decode("utf-8")
    assert '"coordinates":[105.852,20.9744]' in text and "105.85199999999999" not in text
    (feature,) = json.loads(text)["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [105.852, 20.9744]}


def test_the_home_page_card_names_every_open_dataset(db, client):
    body = client.get("/").content.decode()
    assert (
        "<span>Danh sách giấy chứng nhận, danh mục sản phẩm OCOP (CSV và JSON) và các điểm bán (GeoJSON), được tự do "
        "sử dụng lại.</span>" in body
    )
