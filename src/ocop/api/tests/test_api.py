import json

import pytest
from django.db import connection

from ocop.conftest import client_for
from ocop.registry.models import Producer, Product
from ocop.testing import make_producer, make_product

EMPTY = {"count": 0, "next": None, "previous": None, "items": []}


def test_openapi_document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert {
        "/api/v1/provinces",
        "/api/v1/provinces/{code}/communes",
        "/api/v1/producers",
        "/api/v1/producers/{producer_id}",
        "/api/v1/products",
        "/api/v1/products/{product_id}",
    } <= paths


def test_provinces_and_communes_are_public(client, db):
    provinces = client.get("/api/v1/provinces").json()
    assert len(provinces) == 34
    assert provinces[0] == {"code": "91", "name": "Tỉnh An Giang"}  # in Vietnamese order of the short names
    communes = client.get("/api/v1/provinces/01/communes").json()
    assert len(communes) == 126
    assert {"code": "00097", "name": "Phường Hồng Hà", "kind": "phuong"} in communes
    assert client.get("/api/v1/provinces/99/communes").status_code == 404


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_registry_needs_login(client, db):
    response = client.get("/api/v1/products")
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Hãy đăng nhập, hoặc gửi mã truy cập API: Authorization: Bearer <mã>.", "code": "unauthorized"},
    )
    assert response["WWW-Authenticate"] == "Bearer"


def test_product_list_filters_search_and_pages(world):
    producer = make_producer(name="HTX Chè Tân Cương", commune_name="Ba Vì")
    make_product(producer=producer, name="Chè Thái Nguyên", set_code="1-12")
    make_product(producer=producer, name="Đường phèn", set_code="1-11")
    client = client_for(world.users["coordinator"])
    body = client.get("/api/v1/products", {"q": "che thai nguyen"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["name"], item["producer_name"], item["group_code"], item["province_code"]) == (
        "Chè Thái Nguyên",
        "HTX Chè Tân Cương",
        "1",
        "01",
    )
    assert client.get("/api/v1/products", {"q": "duong"}).json()["count"] == 1
    assert client.get("/api/v1/products", {"commune": producer.commune.code}).json()["count"] == 2
    assert client.get("/api/v1/products", {"province": "31"}).json() == EMPTY
    assert client.get("/api/v1/products", {"page": 2}).json()["items"] == []
    bad = client.get("/api/v1/products", {"page": "x"})
    assert bad.status_code == 422
    assert bad.json() == {"detail": [{"field": "page", "message": "Hãy nhập một số nguyên."}], "code": "invalid"}


def test_outsider_sees_nothing_and_cannot_write(world):
    charlie = client_for(world.users["charlie"])
    assert charlie.get("/api/v1/producers").json() == EMPTY
    assert charlie.get(f"/api/v1/producers/{world.producer.pk}").status_code == 404
    assert charlie.get(f"/api/v1/products/{world.product.pk}").status_code == 404
    response = charlie.patch(
        f"/api/v1/producers/{world.producer.pk}", json.dumps({"name": "Đổi"}), content_type="application/json"
    )
    assert response.status_code == 404
    response = charlie.post(
        "/api/v1/producers",
        json.dumps(
            {
                "kind": "cooperative",
                "name": "HTX X",
                "identifier": "0102020202",
                "commune_code": world.producer.commune.code,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Producer.objects.filter(identifier="0102020202").exists()


def test_read_only_role_gets_403_on_write(world):
    commerce = client_for(world.users["commerce"])
    response = commerce.patch(
        f"/api/v1/products/{world.product.pk}", json.dumps({"name": "Đổi"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không có quyền thực hiện thao tác này.", "code": "forbidden"}


def test_create_and_update_with_vietnamese_errors(world):
    client = client_for(world.users["commune"])
    payload = {
        "kind": "enterprise",
        "name": "Công ty Gốm",
        "identifier": "123",
        "commune_code": world.producer.commune.code,
    }
    response = client.post("/api/v1/producers", json.dumps(payload), content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "field": "identifier",
                "message": "Mã số thuế “123” phải có 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh.",
            }
        ],
        "code": "invalid",
    }
    response = client.post("/api/v1/producers", json.dumps({"name": "x"}), content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"kind", "commune_code"}
    assert response.json()["detail"][0]["message"] == "Trường này là bắt buộc."
    response = client.post(
        "/api/v1/producers", json.dumps({**payload, "commune_code": "99999"}), content_type="application/json"
    )
    assert response.json() == {
        "detail": [{"field": "commune_code", "message": "Mã xã/phường “99999” không có trong danh mục."}],
        "code": "invalid",
    }
    response = client.post("/api/v1/producers", "{not json", content_type="application/json")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Nội dung yêu cầu không phải là JSON hợp lệ.", "code": "bad_request"},
    )

    payload["identifier"] = "0106060606"
    response = client.post("/api/v1/producers", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    producer_id = response.json()["id"]
    assert response.json()["commune_code"] == world.producer.commune.code
    product = {
        "producer_id": producer_id,
        "name": "Bình gốm",
        "product_set_code": "4-02",
        "commune_code": world.producer.commune.code,
        "packs": [{"name": "Hộp", "size": "1 chiếc", "gtin": "8934588012228"}],
    }
    response = client.post("/api/v1/products", json.dumps(product), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["packs"] == [{"name": "Hộp", "size": "1 chiếc", "gtin": "8934588012228"}]
    assert response.json()["possible_duplicates"] == []
    product_id = response.json()["id"]
    again = client.post("/api/v1/products", json.dumps({**product, "packs": []}), content_type="application/json")
    assert again.status_code == 201
    assert again.json()["possible_duplicates"] == [
        {"id": product_id, "name": "Bình gốm", "producer_name": "Công ty Gốm", "score": 100}
    ]
    response = client.patch(
        f"/api/v1/products/{product_id}",
        json.dumps({"status": "paused", "name": "Bình gốm men rạn"}),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["status"], response.json()["name"]) == (
        200,
        "paused",
        "Bình gốm men rạn",
    )
    response = client.patch(
        f"/api/v1/products/{product_id}", json.dumps({"name": None}), content_type="application/json"
    )
    assert response.status_code == 422
    assert Product.objects.get(pk=product_id).name == "Bình gốm men rạn"


# PostgreSQL: two more for the products, the SET and RESET around the page's rows (core.search.joins_as_written).
PLANNED = 2 if connection.vendor == "postgresql" else 0


@pytest.mark.parametrize(("path", "expected"), [("/api/v1/producers", 6), ("/api/v1/products", 7 + PLANNED)])
def test_api_list_query_count_is_flat(world, path, expected, django_assert_num_queries):
    client = client_for(world.users["coordinator"])
    client.get(path)
    with django_assert_num_queries(expected):
        client.get(path)
    for _ in range(2):
        make_product(producer=make_producer(), packs=[{"name": "Hộp", "size": "", "gtin": ""}])
    with django_assert_num_queries(expected):
        client.get(path)
