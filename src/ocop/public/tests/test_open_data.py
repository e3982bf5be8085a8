"""/open-data/: the page lists the three datasets; the DCAT catalogue is JSON-LD that rdflib reads into the exact
triples, every address from OCOP_PUBLIC_BASE_URL; the sales points' GeoJSON holds the outlets' coordinates."""

import datetime as dt
import json

from rdflib import DCAT, DCTERMS, RDF, XSD, Graph, Literal, URIRef

from ocop.reporting import opendata
from ocop.reporting.tests.conftest import scene  # noqa: F401

BASE = "https://ocop.example.vn"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
SCENE_DAY = dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC)  # 16:00 in Hà Nội


def _build(time_machine):
    time_machine.move_to(SCENE_DAY, tick=False)  # the scene's clock, stopped: generated_at is exact
    opendata.write_register()


def test_the_dcat_catalogue_parses_into_exact_triples(scene, client, settings, time_machine):  # noqa: F811
    settings.OCOP_PUBLIC_BASE_URL = BASE + "/"
    _build(time_machine)
    response = client.get("/open-data/dcat.json")
    assert (response.status_code, response["Content-Type"]) == (200, "application/ld+json")
    graph = Graph().parse(data=response.content, format="json-ld")
    catalog, page = URIRef(f"{BASE}/open-data/dcat.json"), f"{BASE}/open-data/"
    certificates, products, points, signed = (
        URIRef(f"{page}#{key}") for key in ("certificates", "products", "sales-points", "checkpoints"))  # fmt: skip
    modified = Literal("2026-11-29T16:00:00+07:00", datatype=XSD.dateTime)
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert set(graph.objects(catalog, DCAT.dataset)) == {certificates, products, points, signed}
    for dataset in (certificates, products, points, signed):
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert (dataset, DCTERMS.license, CC_BY) in graph
        assert (dataset, DCTERMS.modified, modified) in graph
        assert (dataset, DCTERMS.issued, Literal("2026-11-29", datatype=XSD.date)) in graph
        assert (dataset, DCAT.landingPage, URIRef(page)) in graph
    csv = URIRef(f"{page}#certificates.csv")
    assert (certificates, DCAT.distribution, csv) in graph
    assert (csv, DCAT.downloadURL, URIRef(f"{BASE}/open-data/certificates.csv")) in graph
    assert (csv, DCTERMS.conformsTo, URIRef(f"{BASE}/open-data/certificates.schema.json")) in graph
    assert (csv, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/text/csv")) in graph
    assert (csv, DCTERMS.license, CC_BY) in graph

    # only the CSV tables conform to the Table Schemas; the schemas and the checkpoints are no distributions of them
    def distributions(dataset):
        return {str(d).removeprefix(page) for d in graph.objects(dataset, DCAT.distribution)}

    assert (distributions(certificates), distributions(products), distributions(points), distributions(signed)) == (
        {"#certificates.csv", "#certificates.json"}, {"#products.csv", "#products.json"}, {"#sales-points.geojson"},
        {"#checkpoints.json"})  # fmt: skip
    assert set(graph.subject_objects(DCTERMS.conformsTo)) == {
        (csv, URIRef(f"{BASE}/open-data/certificates.schema.json")),
        (URIRef(f"{page}#products.csv"), URIRef(f"{BASE}/open-data/products.schema.json")),
    }
    assert set(graph.subject_objects(DCTERMS.relation)) == {(certificates, signed), (signed, certificates)}
    assert (URIRef(f"{page}#checkpoints.json"), DCAT.downloadURL, URIRef(f"{BASE}/open-data/checkpoints.json")) in graph
    geojson = URIRef(f"{page}#sales-points.geojson")
    assert (geojson, DCAT.downloadURL, URIRef(f"{BASE}/open-data/sales-points.geojson")) in graph
    assert (URIRef(f"{page}#products.csv"), DCAT.downloadURL, URIRef(f"{BASE}/open-data/products.csv")) in graph
    assert {str(o) for o in graph.objects(certificates, DCTERMS.title)} == {
        "Danh sách giấy chứng nhận sản phẩm OCOP", "Register of OCOP product certificates"}  # fmt: skip
    # every link is an IRI of the public address: no plain-string link, no local address
    links = [o for o in graph.objects() if isinstance(o, URIRef)]
    assert all("127.0.0.1" not in link for link in links)
    for prop in (DCAT.downloadURL, DCAT.accessURL, DCAT.landingPage, DCTERMS.license, DCTERMS.conformsTo):
        assert all(isinstance(o, URIRef) for o in graph.objects(None, prop))
    assert "127.0.0.1" not in response.content.decode()


def test_the_sales_points_geojson_holds_each_recognised_outlet(scene, client, time_machine):  # noqa: F811
    _build(time_machine)
    response = client.get("/open-data/sales-points.geojson")
    assert (response.status_code, response["Content-Type"]) == (200, "application/geo+json")
    data = json.loads(b"".join(response.streaming_content))
    assert (data["type"], data["generated_at"]) == ("FeatureCollection", "2026-11-29T16:00:00+07:00")
    (feature,) = data["features"]
    outlet = scene.outlet
    assert feature == {
        "type": "Feature", "id": outlet.code, "geometry": {"type": "Point", "coordinates": [105.913, 20.975]},
        "properties": {
            "code": outlet.code, "name": "Điểm OCOP Bát Tràng", "kind": "sales_point",
            "address": "Số 5 đường Giang Cao", "approximate": False, "province_code": "01",
            "province_name": "Thành phố Hà Nội", "commune_code": outlet.commune.code, "commune_name": "Xã Bát Tràng",
            "url": f"http://127.0.0.1:8000/diem-ban/{outlet.code}/",
        },
    }  # fmt: skip


def test_the_page_lists_the_three_datasets_with_their_schemas(scene, client, time_machine):  # noqa: F811
    _build(time_machine)
    body = client.get("/open-data/").content.decode()
    for link in ('id="csv"', 'href="/open-data/certificates.schema.json" id="schema"', 'id="products-csv"',
                 'href="/open-data/products.schema.json"', 'href="/open-data/sales-points.geojson" id="geojson"',
                 'href="/open-data/dcat.json" id="dcat"'):  # fmt: skip
        assert link in body
    assert "Cập nhật lần cuối: 29/11/2026 16:00" in body
    # the scene: four certificates (one revoked), three products in force, one recognised sales point
    assert "4 giấy chứng nhận" in body and "3 sản phẩm" in body and "1 điểm bán" in body
    assert "<code>commune_code</code></td><td>Mã xã/phường/đặc khu" in body
    assert scene.certs["binh"].issued_on == dt.date(2025, 11, 20)
