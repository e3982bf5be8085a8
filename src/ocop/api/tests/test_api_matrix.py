"""Role × action over every API endpoint, with the outsider (charlie) refused."""

import json
from collections.abc import Callable

import pytest

from ocop.conftest import ROLES, World, client_for

LIST = [401, 200, 200, 200, 200, 200, 200, 200, 200]
PUBLIC = [200] * 9
READ = [401, 200, 200, 200, 200, 200, 404, 200, 404]
WRITE = [401, 200, 403, 200, 403, 200, 404, 200, 404]


@pytest.fixture
def world(world_once: World, fresh: Callable[[World], World]) -> World:
    """The world is built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(world_once)


CASES = [
    ("get", lambda w: "/api/v1/provinces", None, PUBLIC),
    ("get", lambda w: "/api/v1/provinces/01/communes", None, PUBLIC),
    ("get", lambda w: "/api/v1/outlets?province=01&open_now=true", None, PUBLIC),
    ("get", lambda w: "/api/v1/producers", None, LIST),
    ("get", lambda w: "/api/v1/products", None, LIST),
    ("get", lambda w: f"/api/v1/producers/{w.producer.pk}", None, READ),
    ("get", lambda w: f"/api/v1/products/{w.product.pk}", None, READ),
    ("patch", lambda w: f"/api/v1/producers/{w.producer.pk}", lambda w: {"legal_representative": "Bà Lan"}, WRITE),
    ("patch", lambda w: f"/api/v1/products/{w.product.pk}", lambda w: {"description": "Mới"}, WRITE),
    (
        "post",
        lambda w: "/api/v1/producers",
        lambda w: {
            "kind": "cooperative",
            "name": "HTX Mới",
            "identifier": "0103030303",
            "commune_code": w.producer.commune.code,
        },
        [401, 201, 403, 201, 403, 403, 403, 201, 403],
    ),
    (
        "post",
        lambda w: "/api/v1/products",
        lambda w: {
            "producer_id": w.producer.pk,
            "name": "Sản phẩm mới",
            "product_set_code": "1-12",
            "commune_code": w.producer.commune.code,
        },
        [401, 201, 403, 201, 403, 201, 422, 201, 422],
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "body", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_api_role_matrix(world, role, method, url, body, expected):
    client = client_for(world.users[role])
    kwargs = {"data": json.dumps(body(world)), "content_type": "application/json"} if body else {}
    response = getattr(client, method)(url(world), **kwargs)
    assert response.status_code == expected[ROLES.index(role)]
