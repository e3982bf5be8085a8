"""schemathesis against the API in-process (WSGI), as anonymous, a province coordinator and a producer (by their
session cookie), and a coordinator by an API token (the Bearer header alone, read-and-write and read-only): generated
requests (valid and invalid) to every operation, then the stateful phase (sequences following the links it infers),
must meet no server error and no answer that the OpenAPI document does not declare (status, content type, schema).
Bounded and derandomised: the same requests on every run, a few minutes at most on one core."""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from ocop.accounts.models import ApiToken, TokenScope
from ocop.accounts.services import create_api_token
from ocop.conftest import client_for

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SETTINGS = hypothesis.settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
)
STATEFUL = hypothesis.settings(SETTINGS, max_examples=10, stateful_step_count=6)
# The identity's session cookie is fixed by each test (below), so schemathesis does not generate it: an "invalid"
# request without the cookie would be sent with it after all and then rightly accepted.
CONFIG = {"generation": {"mode": "all", "deterministic": True, "max-examples": 8, "with-security-parameters": False}}


def _credentials(user: Any) -> dict[str, Any]:
    """The session cookie of `user` and a CSRF token (cookie and header), as a browser would send them."""
    if user is None:
        return {"cookies": {}, "headers": {}}
    token = get_random_string(32)
    session = client_for(user).cookies["sessionid"].value
    return {"cookies": {"sessionid": session, "csrftoken": token}, "headers": {"X-CSRFToken": token}}


def _bearer(user: Any, scope: TokenScope) -> dict[str, Any]:
    """A personal API token of `user` in the Authorization header, and no cookie: how another system calls."""
    text = create_api_token(user=user, name="schemathesis", scope=scope).text
    return {"cookies": {}, "headers": {"Authorization": f"Bearer {text}"}}


@pytest.fixture
def api_schema(world):
    # Django's WSGI handler closes the database connection after each response; the test's transaction lives on
    # it. As Django's test client does, keep it open while the requests run in-process.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.json", get_wsgi_application(), config=schemathesis.Config.from_dict(CONFIG)
        )
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def coordinator(world):
    return _credentials(world.users["coordinator"])


@pytest.fixture
def producer(world):
    return _credentials(world.users["producer"])


def _fuzz(schema: Any, credentials: dict[str, Any]) -> None:
    """Every operation, with valid and with invalid data; every failure is collected, then reported together."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @SETTINGS
            # The identity's cookies are fixed: an invalid request is then invalid in its data, not for a
            # missing session cookie that the request carries after all.
            @hypothesis.given(case=operation.as_strategy(generation_mode=mode, cookies=credentials["cookies"] or None))
            def run(case: Any) -> None:
                case.call_and_validate(headers=credentials["headers"], cookies=credentials["cookies"], checks=CHECKS)

            try:
                run()
            except hypothesis.errors.Unsatisfiable:
                continue  # no invalid request exists (an operation without parameters)
            except (
                AssertionError,
                BaseExceptionGroup,
            ) as exc:  # every failing operation is reported, not the first only
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)


def test_anonymous(api_schema):
    _fuzz(api_schema, _credentials(None))


def test_province_coordinator(api_schema, coordinator):
    _fuzz(api_schema, coordinator)


def test_producer(api_schema, producer):
    _fuzz(api_schema, producer)


def _token_was_accepted() -> bool:
    """The calls were made as the token's user (its last use recorded), not all refused as unauthenticated."""
    return ApiToken.objects.get(name="schemathesis").last_used_at is not None


def test_coordinator_by_token(api_schema, world):
    _fuzz(api_schema, _bearer(world.users["coordinator"], TokenScope.WRITE))
    assert _token_was_accepted()


def test_coordinator_by_read_only_token(api_schema, world):
    _fuzz(api_schema, _bearer(world.users["coordinator"], TokenScope.READ))
    assert _token_was_accepted()


def _stateful(schema: Any, credentials: dict[str, Any]) -> None:
    """Sequences of calls following the links schemathesis infers (an id in a list leads to its record, a created
    record to its reading and its change)."""
    machine = schema.as_state_machine()

    class Machine(machine):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": credentials["headers"], "cookies": credentials["cookies"]}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, headers=credentials["headers"])

    Machine.run(settings=STATEFUL)


def test_stateful_as_coordinator(api_schema, coordinator):
    _stateful(api_schema, coordinator)


def test_stateful_as_producer(api_schema, producer):
    _stateful(api_schema, producer)


def test_stateful_as_coordinator_by_token(api_schema, world):
    _stateful(api_schema, _bearer(world.users["coordinator"], TokenScope.WRITE))
    assert _token_was_accepted()
