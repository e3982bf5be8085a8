"""Hostile input to the API is a 4xx in its one error shape ({"detail", "code"}), never a 500 (on SQLite and
PostgreSQL alike), and the OpenAPI document declares those answers on every operation."""

import json

import pytest
from django.test import Client

from ocop.conftest import client_for
from ocop.core.text import control_character_message


@pytest.fixture
def world(world_once, fresh):
    """The world is built once for the module; each test has its own copy, in a savepoint (conftest.Once)."""
    return fresh(world_once)


HUGE = "99999999999999999999"  # 20 digits: more than a database integer holds
TOO_LARGE = "Giá trị quá lớn: tối đa là {n}."
ID_LIMIT = TOO_LARGE.format(n="999999999999999999")


STATES = (
    "Không thuộc các giá trị cho phép: draft, submitted, commune_checked, proposed, returned, under_review, ready, "
    "scored, published."
)


def _nul(field):
    return control_character_message(field=field, char="U+0000")


@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/api/v1/certificates?page=9223372036854775807", "page", TOO_LARGE.format(n=1000000)),
        ("/api/v1/certificates?page=0", "page", "Giá trị quá nhỏ."),
        ("/api/v1/transparency-log/checkpoints?page=1000001", "page", TOO_LARGE.format(n=1000000)),
        (f"/api/v1/transparency-log?after={HUGE}", "after", ID_LIMIT),
        (f"/api/v1/products?page={HUGE}", "page", TOO_LARGE.format(n=1000000)),
        (f"/api/v1/producers/{HUGE}", "producer_id", ID_LIMIT),
        ("/api/v1/products/0", "product_id", "Giá trị quá nhỏ."),
        (f"/api/v1/criteria/{HUGE}/sets", "version_id", ID_LIMIT),
        (f"/api/v1/dossiers?round={HUGE}", "round", ID_LIMIT),
        (f"/api/v1/outlets?product={HUGE}", "product", ID_LIMIT),
        ("/api/v1/outlets?commune=%00", "commune", _nul("commune")),
        ("/api/v1/outlets?province=01%07", "province", control_character_message(field="province", char="U+0007")),
        ("/api/v1/products?q=ch%C3%A8%00", "q", _nul("q")),
        ("/api/v1/producers?commune=%00", "commune", _nul("commune")),
        ("/api/v1/certificates?province=%00", "province", _nul("province")),
        (
            "/api/v1/transparency-log/checkpoints?body=%E2%80%AE",
            "body",
            control_character_message(field="body", char="U+202E"),
        ),
        ("/api/v1/provinces/%00/communes", "code", _nul("code")),
        ("/api/v1/certificates/AB%00CD", "code", _nul("code")),
        ("/api/v1/criteria/1/sets/1-12%00", "set_code", _nul("set_code")),
        ("/api/v1/provinces/" + "0" * 33 + "/communes", "code", "Tối đa 32 ký tự."),
        ("/api/v1/products?q=" + "a" * 101, "q", "Tối đa 100 ký tự."),
        ("/api/v1/outlets?product_name=" + "b" * 101, "product_name", "Tối đa 100 ký tự."),
        ("/api/v1/dossiers?state=" + "c" * 33, "state", STATES),
    ],
)
def test_out_of_range_and_hostile_values_are_a_422(world, url, field, message):
    response = client_for(world.users["coordinator"]).get(url)
    assert (response.status_code, response["Content-Type"], response.json()) == (
        422,
        "application/json; charset=utf-8",
        {"detail": [{"field": field, "message": message}], "code": "invalid"},
    )


def test_the_largest_values_are_still_answered(world):
    client = client_for(world.users["coordinator"])
    assert client.get("/api/v1/certificates?page=1000000").json() == {
        "count": 0,
        "next": None,
        "previous": "http://testserver/api/v1/certificates?page=1",
        "items": [],
    }
    assert client.get("/api/v1/producers/999999999999999999").status_code == 404
    log = client.get("/api/v1/transparency-log?after=999999999999999999").json()
    assert log["entries"] == []


def test_a_body_id_out_of_range_is_a_422(world):
    client = client_for(world.users["coordinator"])
    body = {"producer_id": int(HUGE), "name": "Chè", "product_set_code": "1-12", "commune_code": "00097"}
    response = client.post("/api/v1/products", json.dumps(body), content_type="application/json")
    assert (response.status_code, response.json()) == (
        422,
        {"detail": [{"field": "producer_id", "message": ID_LIMIT}], "code": "invalid"},
    )


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nope", "/api/v1/producers/1/photos", "/api/v1/%00"])
def test_an_unknown_path_is_a_json_404(db, method, path):
    response = getattr(Client(), method)(path)
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy.", "code": "not_found"})


def test_a_write_without_its_csrf_token_is_a_403_in_the_shape(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    response = client.patch(
        f"/api/v1/producers/{world.producer.pk}", json.dumps({"name": "Đổi"}), content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert "X-CSRFToken" in response.json()["detail"]


ERROR_CODES = {"400", "401", "403", "404", "422"}


def test_every_operation_declares_the_error_responses(db):
    document = Client().get("/api/v1/openapi.json").json()
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail", "code"]
    assert error["properties"]["code"] == {"$ref": "#/components/schemas/ErrorCode"}
    assert document["components"]["schemas"]["ErrorCode"]["enum"] == [
        "bad_request",
        "unauthorized",
        "forbidden",
        "not_found",
        "method_not_allowed",
        "invalid",
        "error",
    ]
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert len(operations) >= 24  # the API only grows
    for path, method, operation in operations:
        responses = operation["responses"]
        assert set(responses) >= ERROR_CODES, (path, method)
        for code in ERROR_CODES:
            schema = responses[code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, method, code)


@pytest.mark.parametrize("method", ["put", "delete", "options", "trace"])
def test_a_method_a_path_does_not_take_answers_in_the_api_shape(world, method):
    response = getattr(client_for(world.users["coordinator"]), method)("/api/v1/provinces")
    assert (response.status_code, response["Content-Type"], response["Allow"]) == (
        405, "application/json; charset=utf-8", "GET"
    )  # fmt: skip
    assert json.loads(response.content) == {
        "detail": "Phương thức không được chấp nhận: hãy dùng GET.",
        "code": "method_not_allowed",
    }
