"""Role × action for the issuing body's settings: only a province's coordinator sets its own (charlie, another
province's coordinator, sets his); the other roles are refused."""

from __future__ import annotations

from typing import Any

import pytest

from ocop.conftest import ROLES, World, check_role_case
from ocop.places.demo import DEMO_BODIES
from ocop.places.models import IssuingBody

L = "login"
GET, POST = "get", "post"

VALUES = DEMO_BODIES["01"]  # Hà Nội's issuing body, as the demo sets it

CASES: list[tuple[str, Any, str, Any, list[Any], Any]] = [
    ("issuing_body", lambda w: {}, GET, None, [L, 200, 403, 403, 403, 403, 403, 403, 200], None),
    (
        "issuing_body",
        lambda w: {},
        POST,
        lambda w: VALUES,
        [L, 302, 403, 403, 403, 403, 403, 403, 302],  # charlie sets his own province's
        lambda w: IssuingBody.objects.filter(signer_name="Nguyễn Mạnh Quyền").exists(),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_issuing_body_role_matrix(world: World, role, name, kwargs, method, data, expected, effect):
    check_role_case(world, world.users[role], role, name, kwargs, method, data, expected, effect)
