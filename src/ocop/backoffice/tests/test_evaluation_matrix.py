"""Role × action for every evaluation page: each role, and the outsider charlie (another province's coordinator)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.accounts.models import Role
from ocop.conftest import ROLES, Once, World, check_role_case
from ocop.evaluation import dossiers as flow
from ocop.evaluation import scoring
from ocop.evaluation.demo import BEST
from ocop.evaluation.enums import DossierKind, MemberRole
from ocop.evaluation.models import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    CriteriaVersion,
    Dossier,
    DossierEvidence,
    Round,
    ScoreSheet,
    SpreadClosure,
)
from ocop.registry.enums import DocumentKind
from ocop.testing import make_document, make_product, make_user, province

L = "login"
ASSESSMENT = {"line_A1.1": "2", "line_A2.1": "3", "line_A3.2": "2", "line_B5.2": "3"}


STEPS = ["draft", "submitted", "checked", "proposed", "review", "ready", "published"]


@dataclass
class Ev:
    """The evaluation scene; each dossier is walked to its state only when a case asks for it."""

    w: World
    round: Round
    spare_round: Round
    council: Council
    scorers: list[Any]
    story: Any
    made: dict[str, Dossier]

    def d(self, name: str) -> Dossier:
        if name not in self.made:
            self.made[name] = self._walk(STEPS.index(name))
        return self.made[name]

    def _walk(self, level: int) -> Dossier:
        coordinator, commune = self.w.users["coordinator"], self.w.users["commune"]
        product = (
            self.w.product
            if not Dossier.objects.filter(product=self.w.product).exists()
            else make_product(producer=self.w.producer)
        )
        dossier = flow.start_dossier(by=coordinator, round_=self.round, product=product)
        steps = [
            lambda: flow.submit_dossier(by=coordinator, dossier=dossier),
            lambda: flow.check_dossier(
                by=commune, dossier=dossier, assessment={"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3}
            ),
            lambda: flow.propose_dossier(by=commune, dossier=dossier),
            lambda: (
                flow.start_review(by=coordinator, dossier=dossier),
                flow.record_review(by=coordinator, dossier=dossier, visited_on=dt.date(2025, 9, 1)),
            ),
            lambda: flow.mark_ready(by=coordinator, dossier=dossier),
            lambda: (
                [scoring.submit_sheet(by=u, dossier=dossier, choices=BEST) for u in self.scorers],
                scoring.publish_results(by=coordinator, council=self.council),
            ),
        ]
        for step in steps[:level]:
            step()
        return dossier


@pytest.fixture(scope="module")
def ev_once(once: Once, world_once: World) -> Ev:
    world = world_once
    with once.building():
        coordinator = world.users["coordinator"]
        for kind in (DocumentKind.BUSINESS_REGISTRATION, DocumentKind.QUALITY_DECLARATION, DocumentKind.TEST_REPORT):
            make_document(producer=world.producer, kind=kind)
        version = CriteriaVersion.objects.get(code="DEMO-148")
        round_ = flow.create_round(by=coordinator, province=province(), year=2025, number=1, criteria_version=version)
        spare = flow.create_round(by=coordinator, province=province(), year=2026, number=1, criteria_version=version)
        others = [make_user(Role.COUNCIL_MEMBER) for _ in range(2)]
        council = scoring.set_up_council(
            by=coordinator,
            round_=round_,
            name="Hội đồng",
            members=[(world.users["council"], MemberRole.CHAIR, "")] + [(u, MemberRole.MEMBER, "") for u in others],
        )
        scoring.open_meeting(by=coordinator, council=council, present=list(council.members.all()))
        story = make_document(producer=world.producer, kind=DocumentKind.PRODUCT_STORY)
        return Ev(world, round_, spare, council, [world.users["council"], *others], story, {})


@pytest.fixture
def ev(ev_once: Ev, fresh: Callable[[Ev], Ev]) -> Ev:
    """Built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(ev_once)


def _dossier(name: str) -> Callable[[Ev], dict[str, Any]]:
    return lambda e: {"pk": e.d(name).pk}


def _state(name: str, state: str) -> Callable[[Ev], bool]:
    return lambda e: Dossier.objects.get(pk=e.d(name).pk).state == state


GET, POST = "get", "post"
ALL = [L, 200, 200, 200, 200, 200, 200, 200, 200]
ROUND_READ = [L, 200, 200, 200, 200, 200, 200, 200, 404]
MANAGE = [L, 302, 403, 403, 403, 403, 403, 302, 404]
EARLY_READ = [L, 200, 200, 200, 404, 200, 404, 200, 404]  # a dossier before the council
LATE_READ = [L, 200, 200, 200, 200, 200, 404, 200, 404]  # a dossier the council scores
DRAFT = [L, 302, 403, 302, 404, 302, 404, 302, 404]
COMMUNE = [L, 403, 403, 302, 404, 403, 404, 302, 404]
REVIEW = [L, 302, 403, 403, 404, 403, 404, 302, 404]
SEAT = [L, 403, 403, 403, 200, 403, 404, 403, 404]
CLOSE_SPREAD = [L, 200, 403, 403, 200, 403, 404, 200, 404]

CASES: list[
    tuple[
        str,
        Callable[[Ev], dict[str, Any]],
        str,
        Callable[[Ev], dict[str, Any]] | None,
        list[Any],
        Callable[[Ev], bool] | None,
    ]
] = [
    ("round_list", lambda e: {}, GET, None, ALL, None),
    ("criteria_list", lambda e: {}, GET, None, ALL, None),
    ("criteria_detail", lambda e: {"pk": e.round.criteria_version_id}, GET, None, ALL, None),
    ("criteria_export", lambda e: {"pk": e.round.criteria_version_id}, GET, None, ALL, None),
    # Criteria versions are national data: any province's coordinator may import one.
    ("import_start", lambda e: {"kind": "criteria"}, GET, None, [L, 200, 403, 403, 403, 403, 403, 200, 200], None),
    ("import_template", lambda e: {"kind": "criteria"}, GET, None, ALL, None),
    (
        "round_list",
        lambda e: {},
        POST,
        lambda e: {
            "province": e.round.province_id,
            "year": "2026",
            "number": "2",
            "level": "province",
            "criteria_version": e.round.criteria_version_id,
        },
        [L, 302, 403, 403, 403, 403, 403, 302, 403],
        lambda e: Round.objects.filter(year=2026, number=2).exists(),
    ),
    ("round_detail", lambda e: {"pk": e.round.pk}, GET, None, ROUND_READ, None),
    (
        "round_dates",
        lambda e: {"pk": e.round.pk},
        POST,
        lambda e: {"submission_deadline": "2025-12-31"},
        MANAGE,
        lambda e: Round.objects.get(pk=e.round.pk).submission_deadline == dt.date(2025, 12, 31),
    ),
    (
        "council_create",
        lambda e: {"pk": e.spare_round.pk},
        POST,
        lambda e: {"name": "Hội đồng 2026", "user_0": e.w.users["council"].pk, "role_0": "chair"},
        MANAGE,
        lambda e: Council.objects.filter(round=e.spare_round).exists(),
    ),
    (
        "meeting_open",
        lambda e: {"pk": e.round.pk},
        POST,
        lambda e: {},  # nobody ticked present
        MANAGE,
        lambda e: not CouncilMember.objects.filter(council__round=e.round, present=True).exists(),
    ),
    (
        "meeting_close",
        lambda e: {"pk": e.round.pk},
        POST,
        lambda e: {},
        MANAGE,
        lambda e: Council.objects.get(round=e.round).meeting_closed,
    ),
    ("results_publish", lambda e: {"pk": e.round.pk}, POST, lambda e: {}, MANAGE, None),
    # The council user is the chair: she signs the minutes (test_minutes_access has the secretary and a member).
    ("minutes", lambda e: {"pk": e.round.pk}, GET, None, [L, 200, 403, 403, 200, 403, 403, 200, 404], None),
    (
        "referral_package",
        lambda e: {"pk": e.round.pk, "dossier_pk": e.d("published").pk},
        GET,
        None,
        [L, 200, 403, 403, 403, 403, 403, 200, 404],
        None,
    ),
    ("dossier_list", lambda e: {}, GET, None, ALL, None),
    (
        "dossier_start",
        lambda e: {"product_pk": e.w.product.pk},
        GET,
        None,
        [L, 200, 200, 200, 200, 200, 404, 200, 404],
        None,
    ),
    (
        "dossier_start",
        lambda e: {"product_pk": e.w.product.pk},
        POST,
        lambda e: {"round": e.spare_round.pk, "kind": "new"},
        [L, 302, 403, 302, 403, 302, 404, 302, 404],  # the commune officer starts one for a producer of its commune
        lambda e: Dossier.objects.filter(round=e.spare_round, product=e.w.product).exists(),
    ),
    ("dossier_detail", _dossier("submitted"), GET, None, EARLY_READ, None),
    ("dossier_detail", _dossier("ready"), GET, None, LATE_READ, None),
    (
        "dossier_step",
        lambda e: {"pk": e.d("draft").pk, "step": "submit"},
        POST,
        lambda e: {},
        DRAFT,
        _state("draft", "submitted"),
    ),
    (
        "dossier_summary",
        _dossier("draft"),
        POST,
        lambda e: {"summary": "Tự đánh giá"},
        DRAFT,
        lambda e: Dossier.objects.get(pk=e.d("draft").pk).summary == "Tự đánh giá",
    ),
    (
        "evidence_add",
        _dossier("draft"),
        POST,
        lambda e: {"document": e.story.pk, "line": ""},
        DRAFT,
        lambda e: DossierEvidence.objects.filter(dossier=e.d("draft"), document=e.story).exists(),
    ),
    (
        "evidence_remove",
        lambda e: {"pk": e.d("draft").pk, "evidence_pk": e.d("draft").evidence.first().pk},
        POST,
        lambda e: {},
        DRAFT,
        lambda e: e.d("draft").evidence.count() == 3,
    ),
    (
        "dossier_check",
        _dossier("submitted"),
        POST,
        lambda e: {**ASSESSMENT, "note": "Đạt"},
        COMMUNE,
        _state("submitted", "commune_checked"),
    ),
    (
        "dossier_return",
        _dossier("submitted"),
        POST,
        lambda e: {"items": "Nhãn: thiếu hạn dùng"},
        COMMUNE,
        _state("submitted", "returned"),
    ),
    (
        "dossier_step",
        lambda e: {"pk": e.d("checked").pk, "step": "propose"},
        POST,
        lambda e: {},
        COMMUNE,
        _state("checked", "proposed"),
    ),
    (
        "dossier_step",
        lambda e: {"pk": e.d("proposed").pk, "step": "review"},
        POST,
        lambda e: {},
        REVIEW,
        _state("proposed", "under_review"),
    ),
    (
        "dossier_site_visit",
        _dossier("review"),
        POST,
        lambda e: {"visited_on": "2025-09-02", "visit_record": "Đã đến cơ sở"},
        REVIEW,
        lambda e: Dossier.objects.get(pk=e.d("review").pk).review.visit_record == "Đã đến cơ sở",
    ),
    (
        "dossier_step",
        lambda e: {"pk": e.d("review").pk, "step": "ready"},
        POST,
        lambda e: {},
        REVIEW,
        _state("review", "ready"),
    ),
    (
        "evidence_file",
        lambda e: {"pk": e.d("ready").pk, "evidence_pk": e.d("ready").evidence.first().pk},
        GET,
        None,
        LATE_READ,
        None,
    ),
    ("score_page", _dossier("ready"), GET, None, SEAT, None),
    (
        "score_save",
        _dossier("ready"),
        POST,
        lambda e: {"line_A1.1": "1", "comment_A1.1": "Tốt"},
        [302 if s == 200 else s for s in SEAT],
        lambda e: ScoreSheet.objects.filter(dossier=e.d("ready")).exists(),
    ),
    (
        "score_submit",
        _dossier("ready"),
        POST,
        lambda e: {f"line_{code}": str(index) for code, index in BEST.items()},
        [302 if s == 200 else s for s in SEAT],
        lambda e: ScoreSheet.objects.filter(dossier=e.d("ready"), state="submitted").exists(),
    ),
    (
        "conflict_declare",
        _dossier("ready"),
        POST,
        lambda e: {"note": "Anh em ruột"},
        [302 if s == 200 else s for s in SEAT],
        lambda e: ConflictDeclaration.objects.filter(producer=e.w.producer, note="Anh em ruột").exists(),
    ),
    # Closing a spread review: the presiding member (the chair here) and the office; refused (400) while there is
    # nothing to close, so the effect never takes place.
    ("spread_page", _dossier("ready"), GET, None, CLOSE_SPREAD, None),
    (
        "spread_accept",
        _dossier("ready"),
        POST,
        lambda e: {"explanation": "Thống nhất"},
        [400 if s == 200 else s for s in CLOSE_SPREAD],
        lambda e: SpreadClosure.objects.exists(),
    ),
    (
        "spread_exclude",
        _dossier("ready"),
        POST,
        lambda e: {"sheet": "", "reason": "Lệch"},
        [400 if s == 200 else s for s in CLOSE_SPREAD],
        lambda e: SpreadClosure.objects.exists(),
    ),
    ("path_page", _dossier("published"), GET, None, LATE_READ, None),
    (
        "upgrade_start",
        _dossier("published"),
        POST,
        lambda e: {"round": e.spare_round.pk},
        [L, 302, 403, 302, 403, 302, 404, 302, 404],
        lambda e: Dossier.objects.filter(round=e.spare_round, kind=DossierKind.UPGRADE).exists(),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_evaluation_role_matrix(ev, role, name, kwargs, method, data, expected, effect):
    check_role_case(ev, ev.w.users[role], role, name, kwargs, method, data, expected, effect)
