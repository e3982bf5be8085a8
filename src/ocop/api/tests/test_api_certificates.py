import datetime as dt

from ocop.certificates.signing import published_keys
from ocop.certificates.tests.conftest import issue, office  # noqa: F401


def test_the_certificate_endpoints_are_open_and_documented(office, client, time_machine):  # noqa: F811
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    cert = issue(office)
    body = client.get(f"/api/v1/certificates/{cert.code}").json()  # no login
    assert {k: body[k] for k in ("number", "status", "ocop", "stars", "product", "producer", "packs")} == {
        "number": "01-2025-00001", "status": "valid", "ocop": True, "stars": 4, "product": "Bình gốm men lam",
        "producer": "HTX Gốm Bát Tràng", "packs": ["Hộp 1 bình", "Bộ 2 bình"],
    }  # fmt: skip
    assert body["url"] == f"http://testserver/v/{cert.code}"
    keys = client.get("/api/v1/keys").json()
    assert [(k["province"], k["key_id"], k["active"]) for k in keys] == [("01", cert.key_id, True)]
    assert {k["key_id"]: k["public_key"] for k in keys} == published_keys()
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/certificates",
        "/api/v1/certificates/{code}",
        "/api/v1/keys",
        "/api/v1/transparency-log",
    } <= paths
    assert client.get("/api/v1/certificates?page=0").status_code == 422
    assert client.get("/api/v1/transparency-log?limit=0").status_code == 422
