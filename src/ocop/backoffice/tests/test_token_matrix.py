"""Role × action for the API token pages: every signed-in user lists and makes their own tokens (the menu offers the
page to some roles only, the page itself is open to all); a token is its owner's alone (here Hà Nội's
coordinator): every other role, the administrator and the outsider charlie included, finds no such token (404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.accounts.models import ApiToken, TokenScope
from ocop.accounts.services import create_api_token
from ocop.conftest import ROLES, Once, World, check_role_case

L = "login"


@dataclass
class Tk:
    w: World
    token: ApiToken


@pytest.fixture(scope="module")
def tk_once(once: Once, world_once: World) -> Tk:
    world = world_once
    with once.building(at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        made = create_api_token(user=world.users["coordinator"], name="Cổng tỉnh", scope=TokenScope.READ, days=30)
        return Tk(world, made.token)


@pytest.fixture
def tk(tk_once: Tk, fresh: Callable[[Tk], Tk]) -> Tk:
    return fresh(tk_once)


GET, POST = "get", "post"
ALL = [L, 200, 200, 200, 200, 200, 200, 200, 200]
OWNER_READ = [L, 200, 404, 404, 404, 404, 404, 404, 404]
OWNER_WRITE = [L, 302, 404, 404, 404, 404, 404, 404, 404]
NEW = {"name": "Chuỗi siêu thị X", "scope": "write", "days": "365"}

Case = tuple[str, Callable[[Tk], dict[str, Any]], str, Callable[[Tk], dict[str, Any]] | None, list[Any], Any]
CASES: list[Case] = [
    ("token_list", lambda t: {}, GET, None, ALL, None),
    # The answer to a new token is the page showing its text once (200), not a redirect: the owner is checked below.
    ("token_list", lambda t: {}, POST, lambda t: NEW, ALL, None),
    ("token_revoke", lambda t: {"pk": t.token.pk}, GET, None, OWNER_READ, None),
    (
        "token_revoke",
        lambda t: {"pk": t.token.pk},
        POST,
        None,
        OWNER_WRITE,
        lambda t: ApiToken.objects.get(pk=t.token.pk).revoked_at is not None,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_token_role_matrix(tk, role, name, kwargs, method, data, expected, effect):
    check_role_case(tk, tk.w.users[role], role, name, kwargs, method, data, expected, effect)


@pytest.mark.parametrize("role", ["coordinator", "producer", "admin", "charlie"])
def test_a_new_token_belongs_to_whoever_made_it(tk, role):
    from django.urls import reverse

    from ocop.conftest import client_for

    user = tk.w.users[role]
    assert client_for(user).post(reverse("backoffice:token_list"), NEW).status_code == 200
    assert list(ApiToken.objects.filter(name="Chuỗi siêu thị X").values_list("user", flat=True)) == [user.pk]
