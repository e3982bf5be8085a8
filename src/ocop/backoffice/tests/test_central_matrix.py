"""Role × action for the central level: the provinces follow their 5-star referrals, the ministry receives them into
its central round and reads what each province sent. Each role and the outsider charlie; then the ministry's office
(not in ROLES) on the same pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.conftest import ROLES, Once, World, check_role_case
from ocop.evaluation import central
from ocop.evaluation.models import CriteriaVersion, Dossier, Round
from ocop.evaluation.testing import council_result
from ocop.testing import make_product, ministry_user

L = "login"


@dataclass
class Cn:
    w: World
    ministry: Any  # the ministry's OCOP office
    round: Round  # the central round of 2026
    province_round: Round  # Hà Nội's round, where the referrals come from
    received: Dossier  # the world's product, received into the central round
    pending: Any  # another 5-star referral of Hà Nội, not yet received


@pytest.fixture(scope="module")
def cn_once(once: Once, world_once: World) -> Cn:
    world = world_once
    with once.building(at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        referral = council_result(world.product, 5)
        ministry = ministry_user()
        round_ = central.open_round(
            by=ministry, year=2026, criteria_version=CriteriaVersion.objects.get(code="DEMO-148")
        )
        (received,), _skipped = central.receive_referrals(by=ministry, round_=round_)
        pending = make_product(producer=world.producer)
        council_result(pending, 5)
        return Cn(world, ministry, round_, referral.dossier.round, received, pending)


@pytest.fixture
def cn(cn_once: Cn, fresh: Callable[[Cn], Cn]) -> Cn:
    """Built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(cn_once)


GET, POST = "get", "post"

Case = tuple[
    str,
    Callable[[Cn], dict[str, Any]],
    str,
    Callable[[Cn], dict[str, Any]] | None,
    list[Any],
    Callable[[Cn], bool] | None,
]


def _received(c: Cn) -> bool:
    return Dossier.objects.filter(round=c.round, product=c.pending).exists()


CASES: list[Case] = [
    # The province's offices follow their own referrals (charlie, his province's: none here).
    ("referrals", lambda c: {}, GET, None, [L, 200, 200, 403, 403, 403, 403, 200, 200], None),
    # Only the ministry's office receives, into its central round (which no province's user reads).
    (
        "round_receive",
        lambda c: {"pk": c.round.pk},
        POST,
        lambda c: {},
        [L, 404, 404, 404, 404, 404, 404, 302, 404],
        _received,
    ),
    # A province's own round receives nothing: refused to its office, forbidden to the others who read it.
    (
        "round_receive",
        lambda c: {"pk": c.province_round.pk},
        POST,
        lambda c: {},
        [L, 400, 403, 403, 403, 403, 403, 400, 404],
        _received,
    ),
    (
        "province_package",
        lambda c: {"pk": c.received.pk},
        GET,
        None,
        [L, 200, 403, 403, 404, 403, 404, 200, 404],  # as its province-side copy (referral_package)
        None,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_central_role_matrix(cn, role, name, kwargs, method, data, expected, effect):
    check_role_case(cn, cn.w.users[role], role, name, kwargs, method, data, expected, effect)


@pytest.mark.parametrize(
    ("name", "kwargs", "method", "expected", "effect"),
    [
        ("referrals", lambda c: {}, GET, 200, None),
        ("round_receive", lambda c: {"pk": c.round.pk}, POST, 302, _received),
        ("province_package", lambda c: {"pk": c.received.pk}, GET, 200, None),
    ],
)
def test_the_ministry_office(cn, name, kwargs, method, expected, effect):
    # The same check as the matrix's, for a user outside ROLES: every column holds the ministry's answer.
    data: Callable[[Cn], dict[str, Any]] | None = (lambda c: {}) if method == POST else None
    check_role_case(cn, cn.ministry, ROLES[1], name, kwargs, method, data, [expected] * len(ROLES), effect)
