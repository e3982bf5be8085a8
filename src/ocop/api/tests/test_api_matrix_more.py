"""Role × action over the certificate, transparency and evaluation endpoints, with the outsider (charlie) refused:
the register, keys, JWS and log are public; criteria are for any signed-in user; rounds and dossiers follow the
evaluation gateway; only a seated council member scores."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.accounts.models import Role
from ocop.conftest import ROLES, Once, World, client_for
from ocop.evaluation import dossiers as flow
from ocop.evaluation import scoring
from ocop.evaluation.enums import MemberRole
from ocop.evaluation.models import CriteriaVersion, Dossier, Round
from ocop.outlets.tests.conftest import certify
from ocop.registry.enums import DocumentKind
from ocop.testing import make_document, make_product, make_user, province


@dataclass
class Api:
    w: World
    cert: Any  # a certificate of another product of the world's producer
    version: CriteriaVersion
    set_code: str
    round: Round
    ready: Dossier  # the world's product, before the council, whose meeting is open
    published: Dossier  # the certified product's dossier, its result published


@pytest.fixture(scope="module")
def api_once(once: Once, world_once: World) -> Api:
    world = world_once
    with once.building(at=dt.datetime(2025, 11, 25, 9, tzinfo=dt.UTC)):
        coordinator, commune = world.users["coordinator"], world.users["commune"]
        for kind in (DocumentKind.BUSINESS_REGISTRATION, DocumentKind.QUALITY_DECLARATION, DocumentKind.TEST_REPORT):
            make_document(producer=world.producer, kind=kind)
        version = CriteriaVersion.objects.get(code="DEMO-148")
        round_ = flow.create_round(by=coordinator, province=province(), year=2025, number=1, criteria_version=version)
        others = [make_user(Role.COUNCIL_MEMBER) for _ in range(2)]
        council = scoring.set_up_council(
            by=coordinator, round_=round_, name="Hội đồng",
            members=[(world.users["council"], MemberRole.CHAIR, "")] + [(u, MemberRole.MEMBER, "") for u in others],
        )  # fmt: skip
        scoring.open_meeting(by=coordinator, council=council, present=list(council.members.all()))
        dossier = flow.start_dossier(by=coordinator, round_=round_, product=world.product)
        flow.submit_dossier(by=coordinator, dossier=dossier)
        flow.check_dossier(by=commune, dossier=dossier, assessment={"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3})
        flow.propose_dossier(by=commune, dossier=dossier)
        flow.start_review(by=coordinator, dossier=dossier)
        flow.record_review(by=coordinator, dossier=dossier, visited_on=dt.date(2025, 9, 1))
        flow.mark_ready(by=coordinator, dossier=dossier)
        cert = certify(coordinator, make_product(producer=world.producer))  # its council result joins the round
        published = cert.item.result.dossier
        assert published.round_id == round_.pk
        return Api(world, cert, version, dossier.criteria_set.code, round_, dossier, published)


@pytest.fixture
def api(api_once: Api, fresh: Callable[[Api], Api]) -> Api:
    """Built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(api_once)


PUBLIC = [200] * 9
SIGNED_IN = [401, 200, 200, 200, 200, 200, 200, 200, 200]
DOSSIER = [401, 200, 200, 200, 200, 200, 404, 200, 404]  # a dossier the council scores: who reads it
SEAT = [401, 403, 403, 403, 200, 403, 404, 403, 404]  # only a seated member scores

CASES = [
    ("get", lambda a: "/api/v1/certificates?status=current", None, PUBLIC),
    ("get", lambda a: f"/api/v1/certificates/{a.cert.code}", None, PUBLIC),
    ("get", lambda a: "/api/v1/keys", None, PUBLIC),
    ("get", lambda a: f"/api/v1/certificates/{a.cert.code}/jws", None, PUBLIC),  # its signed statement, as open
    ("get", lambda a: "/api/v1/transparency-log?after=0&limit=10", None, PUBLIC),
    ("get", lambda a: "/api/v1/transparency-log/checkpoints", None, PUBLIC),
    ("get", lambda a: "/api/v1/criteria", None, PUBLIC),  # the criteria are public reference data
    ("get", lambda a: f"/api/v1/criteria/{a.version.pk}/sets", None, PUBLIC),
    ("get", lambda a: f"/api/v1/criteria/{a.version.pk}/sets/{a.set_code}", None, PUBLIC),
    ("get", lambda a: "/api/v1/rounds", None, SIGNED_IN),
    ("get", lambda a: f"/api/v1/dossiers?round={a.round.pk}", None, SIGNED_IN),
    ("get", lambda a: f"/api/v1/dossiers/{a.ready.pk}", None, DOSSIER),
    ("get", lambda a: f"/api/v1/dossiers/{a.published.pk}/result", None, DOSSIER),
    # Before the council has scored: no result, for everyone.
    ("get", lambda a: f"/api/v1/dossiers/{a.ready.pk}/result", None, [401, 404, 404, 404, 404, 404, 404, 404, 404]),
    (
        "post",
        lambda a: f"/api/v1/dossiers/{a.ready.pk}/score",
        lambda a: {"choices": {"A1.1": 1}, "comments": {"A1.1": "Tốt"}},
        SEAT,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "body", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_api_role_matrix_more(api, role, method, url, body, expected):
    from ocop.evaluation.models import ScoreSheet

    client = client_for(api.w.users[role])
    kwargs = {"data": json.dumps(body(api)), "content_type": "application/json"} if body else {}
    response = getattr(client, method)(url(api), **kwargs)
    want = expected[ROLES.index(role)]
    assert response.status_code == want, response.content[:300]
    if method == "post":  # the score sheet is saved exactly when the answer says so
        assert ScoreSheet.objects.filter(dossier=api.ready).exists() is (want == 200)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_the_dossiers_it_reads(api, role):
    response = client_for(api.w.users[role]).get(f"/api/v1/dossiers?round={api.round.pk}")
    want = {"anon": None, "outlet": [], "charlie": []}.get(role, sorted([api.ready.pk, api.published.pk]))
    if want is None:
        assert response.status_code == 401
    else:
        assert sorted(d["id"] for d in response.json()["items"]) == want
