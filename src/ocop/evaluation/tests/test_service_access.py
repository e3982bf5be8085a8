"""Every evaluation service that writes checks the gateway itself: called directly (no view in front) by an
outsider (another province's coordinator, a producer, a commune officer elsewhere), it is refused with
PermissionDenied and nothing is written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from ocop.accounts.models import Role
from ocop.core.models import AuditEntry
from ocop.evaluation import central, scoring, spread
from ocop.evaluation import dossiers as flow
from ocop.evaluation.catalogue import catalogue_of, save_catalogue
from ocop.evaluation.enums import DossierKind, MemberRole
from ocop.evaluation.models import (
    AdvisoryReview,
    CommuneAssessment,
    ConflictDeclaration,
    Council,
    CriteriaVersion,
    Dossier,
    DossierEvidence,
    Result,
    Round,
    ScoreEntry,
    ScoreSheet,
    SpreadClosure,
    Transition,
)
from ocop.evaluation.tests.conftest import BEST, COMMUNE_LINES, council_of, ready_dossier
from ocop.registry.enums import DocumentKind
from ocop.testing import make_document, make_user, province

MODELS = (
    Round, Dossier, DossierEvidence, Transition, CommuneAssessment, AdvisoryReview, Council, ConflictDeclaration,
    ScoreSheet, ScoreEntry, Result, SpreadClosure, CriteriaVersion, AuditEntry,
)  # fmt: skip


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _refused(call) -> None:  # type: ignore[no-untyped-def]
    before = _counts()
    with pytest.raises(PermissionDenied):
        call()
    assert _counts() == before


@pytest.fixture
def outsiders(scene):  # type: ignore[no-untyped-def]
    other_producer = make_user(Role.PRODUCER, username="otherproducer")
    elsewhere = make_user(Role.COMMUNE_OFFICER, username="elsewhere", communes=("Phù Đổng",))
    return {"charlie": scene.charlie, "producer": other_producer, "commune elsewhere": elsewhere}


@pytest.mark.parametrize("who", ["charlie", "producer", "commune elsewhere"])
def test_the_drafting_and_the_flow_refuse_an_outsider(scene, outsiders, who):
    by = outsiders[who]
    version = scene.round.criteria_version
    _refused(lambda: flow.create_round(by=by, province=province("01"), year=2027, number=1, criteria_version=version))
    _refused(lambda: flow.set_round_dates(
        by=by, round_=scene.round, submission_deadline=dt.date(2025, 12, 1), proposal_deadline=None, council_date=None
    ))  # fmt: skip
    _refused(lambda: flow.start_dossier(by=by, round_=scene.round, product=scene.product))
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    story = make_document(producer=scene.producer, kind=DocumentKind.PRODUCT_STORY)
    _refused(lambda: flow.attach_evidence(by=by, dossier=dossier, document=story))
    _refused(lambda: flow.detach_evidence(by=by, evidence=dossier.evidence.first()))
    _refused(lambda: flow.update_summary(by=by, dossier=dossier, summary="Của người ngoài"))
    _refused(lambda: flow.submit_dossier(by=by, dossier=dossier))
    flow.submit_dossier(by=scene.owner, dossier=dossier)
    _refused(lambda: flow.check_dossier(by=by, dossier=dossier, assessment=COMMUNE_LINES))
    _refused(lambda: flow.return_dossier(by=by, dossier=dossier, items=[{"item": "Nhãn", "reason": "Thiếu"}]))
    flow.check_dossier(by=scene.commune, dossier=dossier, assessment=COMMUNE_LINES)
    _refused(lambda: flow.propose_dossier(by=by, dossier=dossier))
    flow.propose_dossier(by=scene.commune, dossier=dossier)
    _refused(lambda: flow.start_review(by=by, dossier=dossier))
    flow.start_review(by=scene.coordinator, dossier=dossier)
    _refused(lambda: flow.record_review(by=by, dossier=dossier, visited_on=dt.date(2025, 9, 1)))
    flow.record_review(by=scene.coordinator, dossier=dossier, visited_on=dt.date(2025, 9, 1))
    _refused(lambda: flow.mark_ready(by=by, dossier=dossier))
    assert Dossier.objects.get(pk=dossier.pk).state == "under_review"


@pytest.mark.parametrize("who", ["charlie", "producer"])
def test_the_council_and_its_scoring_refuse_an_outsider(scene, outsiders, who):
    by = outsiders[who]
    dossier = ready_dossier(scene)
    members = [(u, MemberRole.CHAIR if i == 0 else MemberRole.MEMBER, "") for i, u in enumerate(scene.members)]
    _refused(lambda: scoring.set_up_council(by=by, round_=scene.round, name="Hội đồng", members=members))
    council = council_of(scene)
    seat = council.members.order_by("id").first()
    _refused(lambda: scoring.open_meeting(by=by, council=council, present=[]))
    _refused(lambda: scoring.declare_conflict(by=by, member=seat, producer=scene.producer, note="Người ngoài"))
    _refused(lambda: scoring.declare_own_conflict(by=by, dossier=dossier, note="Người ngoài"))
    _refused(lambda: scoring.save_sheet(by=by, dossier=dossier, choices={"A1.1": 0}))
    _refused(lambda: scoring.submit_sheet(by=by, dossier=dossier, choices=BEST))
    _refused(lambda: spread.accept_totals(by=by, dossier=dossier, explanation="Thống nhất"))
    _refused(lambda: spread.exclude_sheet(by=by, dossier=dossier, sheet=None, reason="Lệch"))
    for member in scene.members:
        scoring.submit_sheet(by=member, dossier=dossier, choices=BEST)
    _refused(lambda: scoring.publish_results(by=by, council=council))
    _refused(lambda: scoring.close_meeting(by=by, council=council))
    assert not Result.objects.get(dossier=dossier).published


def test_an_upgrade_and_the_central_round_refuse_an_outsider(scene):
    _refused(lambda: flow.start_dossier(
        by=scene.charlie, round_=scene.round, product=scene.product, kind=DossierKind.UPGRADE
    ))  # fmt: skip
    _refused(lambda: central.receive_referrals(by=scene.charlie, round_=scene.round))
    _refused(lambda: central.open_round(by=scene.coordinator, year=2026, criteria_version=scene.round.criteria_version))


def test_only_an_administrator_saves_a_criteria_version(scene):
    catalogue = catalogue_of(CriteriaVersion.objects.get(code="DEMO-148"))
    for user in (scene.coordinator, scene.owner):
        _refused(lambda user=user: save_catalogue(catalogue=catalogue, by=user, replace=True))
    admin = make_user(Role.SYSTEM_ADMIN, username="sysadmin")
    version, created = save_catalogue(catalogue=catalogue, by=admin)
    assert (version.code, created) == ("DEMO-148", False)  # the same version: left as it is
