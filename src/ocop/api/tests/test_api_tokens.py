"""Personal API tokens on the API: `Authorization: Bearer <token>` acts as the token's user on every operation that
needs one, without CSRF; a read-only token cannot write (403); a wrong, expired or revoked token is a 401 that never
falls back to the session; the last use is recorded at most once a minute; the OpenAPI document declares the scheme."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client

from ocop.accounts.models import ApiToken, TokenScope
from ocop.accounts.services import create_api_token, revoke_api_token
from ocop.conftest import client_for
from ocop.registry.models import Product
from ocop.testing import make_producer, make_product

INVALID = {"detail": "Mã truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.", "code": "unauthorized"}
READ_ONLY = {
    "detail": "Mã truy cập API này chỉ được đọc: hãy dùng mã có quyền ghi để thay đổi dữ liệu.",
    "code": "forbidden",
}
T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def bearer(text: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {text}"}


def token_for(user, scope=TokenScope.WRITE, days=None) -> str:
    return create_api_token(user=user, name="Sàn thương mại", scope=scope, days=days).text


def product_body(world) -> dict:
    return {
        "producer_id": world.producer.pk,
        "name": "Bình gốm men lam",
        "product_set_code": "4-02",
        "commune_code": world.producer.commune.code,
        "packs": [],
    }


def test_a_token_reads_and_writes_as_its_user_without_csrf(world):
    text = token_for(world.users["coordinator"])
    client = Client(enforce_csrf_checks=True)  # no cookie at all: the header alone
    listing = client.get("/api/v1/products", headers=bearer(text))
    assert listing.status_code == 200
    assert [item["id"] for item in listing.json()["items"]] == [world.product.pk]
    created = client.post(
        "/api/v1/products", json.dumps(product_body(world)), content_type="application/json", headers=bearer(text)
    )
    assert created.status_code == 201, created.content
    product = Product.objects.get(pk=created.json()["id"])
    assert (product.name, product.producer_id) == ("Bình gốm men lam", world.producer.pk)
    changed = client.patch(
        f"/api/v1/products/{product.pk}", json.dumps({"status": "paused"}), content_type="application/json",
        headers=bearer(text),
    )  # fmt: skip
    assert (changed.status_code, changed.json()["status"]) == (200, "paused")


def test_a_read_only_token_reads_but_may_not_write(world):
    text = token_for(world.users["coordinator"], scope=TokenScope.READ)
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/api/v1/products/{world.product.pk}", headers=bearer(text)).status_code == 200
    before = Product.objects.count()
    for method, path in [
        ("post", "/api/v1/products"),
        ("patch", f"/api/v1/products/{world.product.pk}"),
        ("post", "/api/v1/producers"),
    ]:
        response = getattr(client, method)(
            path, json.dumps(product_body(world)), content_type="application/json", headers=bearer(text)
        )
        assert (response.status_code, response.json()) == (403, READ_ONLY), path
        assert response["WWW-Authenticate"] == 'Bearer error="insufficient_scope", scope="write"'
    assert Product.objects.count() == before
    world.product.refresh_from_db()
    assert world.product.name != "Bình gốm men lam"


def test_a_wrong_expired_or_revoked_token_is_a_401_not_the_session(world, time_machine):
    time_machine.move_to(T0, tick=False)
    user = world.users["coordinator"]
    expiring = token_for(user, days=30)
    revoked = create_api_token(user=user, name="Cũ", scope=TokenScope.WRITE)
    revoke_api_token(token=revoked.token, by=user)
    good = token_for(user)
    prefix = good.split("_")[1]
    session = client_for(user)  # logged in: a bad token must not fall back to the session
    assert session.get("/api/v1/products").status_code == 200
    wrong = [
        "",
        "nonsense",
        f"ocop_{prefix}_{'A' * 43}",  # the right prefix, another secret
        good[:-1],
        good + "x",
        f"ocop_ffffffff_{good.split('_', 2)[2]}",  # unknown prefix
        "ocop_\x00\x00\x00\x00\x00\x00\x00\x00_" + "A" * 43,  # a NUL never reaches the database
        revoked.text,
    ]
    for text in wrong:
        response = session.get("/api/v1/products", headers=bearer(text))
        assert (response.status_code, response.json()) == (401, INVALID), repr(text)
        assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert session.get("/api/v1/products", headers=bearer(expiring)).status_code == 200
    time_machine.move_to(T0 + dt.timedelta(days=30), tick=False)  # its expiry: no longer valid
    response = Client().get("/api/v1/products", headers=bearer(expiring))
    assert (response.status_code, response.json()) == (401, INVALID)
    assert Client().get("/api/v1/products", headers=bearer(good)).status_code == 200
    # An account switched off: its tokens stop at once.
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = Client().get("/api/v1/products", headers=bearer(good))
    assert (response.status_code, response.json()) == (401, INVALID)


def test_no_credentials_is_a_401_that_names_both_ways_in(db):
    response = Client().get("/api/v1/products")
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Hãy đăng nhập, hoặc gửi mã truy cập API: Authorization: Bearer <mã>.", "code": "unauthorized"},
    )
    assert response["WWW-Authenticate"] == "Bearer"


def test_open_operations_answer_with_or_without_a_token(world):
    good = token_for(world.users["producer"], scope=TokenScope.READ)
    answers = [
        Client().get("/api/v1/provinces", headers=headers).status_code
        for headers in ({}, bearer(good), bearer("ocop_wrong"))
    ]
    assert answers == [200, 200, 200]


def test_a_producers_token_sees_only_its_own_products(world):
    other = make_product(producer=make_producer(commune_name="Bát Tràng"), name="Nón lá")
    text = token_for(world.users["producer"], scope=TokenScope.READ)
    client = Client()
    listing = client.get("/api/v1/products", headers=bearer(text)).json()
    assert [item["id"] for item in listing["items"]] == [world.product.pk]
    assert client.get(f"/api/v1/products/{other.pk}", headers=bearer(text)).status_code == 404
    outsider = token_for(world.users["charlie"])
    assert client.get(f"/api/v1/products/{world.product.pk}", headers=bearer(outsider)).status_code == 404
    response = client.patch(
        f"/api/v1/products/{world.product.pk}", json.dumps({"name": "Đổi"}), content_type="application/json",
        headers=bearer(outsider),
    )  # fmt: skip
    assert response.status_code == 404


def test_the_last_use_is_recorded_at_most_once_a_minute(world, time_machine, django_assert_num_queries):
    time_machine.move_to(T0, tick=False)
    new = create_api_token(user=world.users["coordinator"], name="Cổng dữ liệu", scope=TokenScope.READ)
    path = f"/api/v1/producers/{world.producer.pk}"
    client = Client()
    assert new.token.last_used_at is None
    # The token's row with its user (1), its last use (1), the user's roles (1), the producer (1).
    with django_assert_num_queries(4):
        assert client.get(path, headers=bearer(new.text)).status_code == 200
    new.token.refresh_from_db()
    assert new.token.last_used_at == T0
    time_machine.move_to(T0 + dt.timedelta(seconds=59), tick=False)
    with django_assert_num_queries(3):  # within the minute: no write
        assert client.get(path, headers=bearer(new.text)).status_code == 200
    new.token.refresh_from_db()
    assert new.token.last_used_at == T0
    time_machine.move_to(T0 + dt.timedelta(seconds=60), tick=False)
    assert client.get(path, headers=bearer(new.text)).status_code == 200
    new.token.refresh_from_db()
    assert new.token.last_used_at == T0 + dt.timedelta(seconds=60)
    # A refused call records nothing.
    revoke_api_token(token=new.token)
    time_machine.move_to(T0 + dt.timedelta(hours=1), tick=False)
    assert client.get(path, headers=bearer(new.text)).status_code == 401
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at == T0 + dt.timedelta(seconds=60)


def test_the_openapi_document_declares_the_bearer_scheme(db):
    document = Client().get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "ocop_<prefix>_<secret>",
        "description": "A personal API token, made in the back office (API tokens) or with `ocop api_token create`. "
        "It acts with its user's roles; a read-only token may only read (GET).",
    }
    assert schemes["SessionAuth"] == {"type": "apiKey", "in": "cookie", "name": "sessionid"}
    assert document["paths"]["/api/v1/products"]["post"]["security"] == [{"BearerToken": []}, {"SessionAuth": []}]
    assert document["paths"]["/api/v1/dossiers"]["get"]["security"] == [{"BearerToken": []}, {"SessionAuth": []}]
    assert "security" not in document["paths"]["/api/v1/provinces"]["get"]
