"""Which database each kind of request reads from when a replica is configured (ocop.core.dbrouter).

The replica here is a second alias on the test database itself (TEST MIRROR, as settings.py configures it when
DATABASE_REPLICA_URL is set): the rows are the same, and what each alias was asked shows where a request read.
Transactional tests, so that the replica's own connection sees the rows the test wrote."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ocop.accounts.models import Role
from ocop.core.dbrouter import PIN_COOKIE, PRIMARY, REPLICA, ReplicaRouter
from ocop.registry.models import Product
from ocop.testing import make_producer, make_product, make_user


@pytest.fixture(scope="module")
def replica_alias() -> Iterator[None]:
    """The alias, configured before the tests' database set-up (which must know every alias a test may use)."""
    connections.settings[REPLICA] = {**connections[PRIMARY].settings_dict, "TEST": {"MIRROR": PRIMARY}}
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica(replica_alias: None, reference_data: Any) -> None:
    pass


ON_BOTH = pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])


def read_by(client: Client, method: str, path: str, **extra: Any) -> tuple[int, int, int]:
    """(status, queries on the primary, queries on the replica) of one request."""
    with CaptureQueriesContext(connections[PRIMARY]) as primary, CaptureQueriesContext(connections[REPLICA]) as copy:
        response = getattr(client, method)(path, **extra)
    return response.status_code, len(primary), len(copy)


def test_without_a_replica_nothing_changes_and_writes_and_migrations_stay_on_the_primary(db):
    """First in the module: the other tests configure the replica alias for the module."""
    router = ReplicaRouter()
    assert (router.db_for_read(object), router.db_for_write(object)) == (None, PRIMARY)
    assert (router.allow_migrate(PRIMARY, "registry"), router.allow_migrate(REPLICA, "registry")) == (True, False)
    client = Client()
    response = client.post("/v/ZZZZZZZZ/report", data={"kind": "fake"})
    assert (response.status_code, PIN_COOKIE in response.cookies) == (200, False)


@ON_BOTH
def test_public_reads_go_to_the_replica_and_see_the_primarys_rows(replica):
    product = make_product(producer=make_producer(), name="Chè Shan tuyết Bản Liền")
    assert Product.objects.using(REPLICA).get(pk=product.pk).name == "Chè Shan tuyết Bản Liền"
    client = Client()
    for path in (f"/san-pham/{product.pk}/", "/san-pham/", "/v/ZZZZZZZZ", "/api/v1/keys", "/.well-known/jwks.json"):
        status, on_primary, on_replica = read_by(client, "get", path)
        assert (status in (200, 404), on_primary, on_replica > 0) == (True, 0, True), path


@ON_BOTH
def test_a_signed_in_user_and_an_api_token_read_from_the_primary(replica):
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    client = Client()
    client.force_login(coordinator)
    status, _on_primary, on_replica = read_by(client, "get", "/bo/")
    assert (status, on_replica) == (200, 0)
    status, _on_primary, on_replica = read_by(client, "get", "/san-pham/")  # public page, signed-in reader
    assert (status, on_replica) == (200, 0)
    status, _on_primary, on_replica = read_by(Client(), "get", "/api/v1/keys", HTTP_AUTHORIZATION="Bearer x")
    assert on_replica == 0


@ON_BOTH
def test_a_write_pins_the_browser_to_the_primary_for_a_few_seconds(replica, settings):
    client = Client()
    status, _on_primary, on_replica = read_by(client, "post", "/v/ZZZZZZZZ/report", data={"kind": "fake"})
    assert (status, on_replica) == (200, 0)
    pin = client.cookies[PIN_COOKIE]
    assert (pin.value, pin["max-age"], pin["httponly"], pin["samesite"]) == ("1", 10, True, "Lax")
    status, on_primary, on_replica = read_by(client, "get", "/san-pham/")
    assert (status, on_primary > 0, on_replica) == (200, True, 0)
    del client.cookies[PIN_COOKIE]  # the cookie's 10 seconds are over: the browser dropped it
    status, on_primary, on_replica = read_by(client, "get", "/san-pham/")
    assert (status, on_primary, on_replica > 0) == (200, 0, True)
