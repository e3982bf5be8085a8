from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.accounts.models import Role
from ocop.accounts.services import system_user
from ocop.evaluation import dossiers as flow
from ocop.evaluation import scoring
from ocop.evaluation.demo import BEST as BEST  # re-exported for the tests of this app
from ocop.evaluation.enums import MemberRole
from ocop.evaluation.models import CriteriaVersion
from ocop.registry import services
from ocop.registry.enums import DocumentKind
from ocop.testing import make_document, make_producer, make_product, make_user, province

REQUIRED = (
    DocumentKind.BUSINESS_REGISTRATION,
    DocumentKind.FOOD_SAFETY,
    DocumentKind.QUALITY_DECLARATION,
    DocumentKind.TEST_REPORT,
)


@dataclass
class Scene:
    round: Any
    product: Any
    producer: Any
    owner: Any
    commune: Any
    coordinator: Any
    charlie: Any
    members: list[Any]


@pytest.fixture
def scene(db) -> Scene:
    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="coordinator")
    producer = make_producer(name="HTX Gạo Nếp Cái Hoa Vàng", commune_name="Bát Tràng")
    product = make_product(producer=producer, name="Bánh cốm", set_code="1-06")
    for kind in REQUIRED:
        make_document(producer=producer, kind=kind, expires_on=dt.date(2030, 1, 1))
    owner = make_user(Role.PRODUCER, username="owner")
    services.link_producer_account(producer=producer, user=owner, by=system_user())
    round_ = flow.create_round(
        by=coordinator,
        province=province("01"),
        year=2025,
        number=1,
        criteria_version=CriteriaVersion.objects.get(code="DEMO-148"),
    )
    members = [make_user(Role.COUNCIL_MEMBER, username=f"member{i}") for i in range(7)]
    return Scene(
        round=round_,
        product=product,
        producer=producer,
        owner=owner,
        commune=make_user(Role.COMMUNE_OFFICER, username="communeofficer", communes=("Bát Tràng",)),
        coordinator=coordinator,
        charlie=make_user(Role.PROVINCE_COORDINATOR, username="charlie", province_code="31"),
        members=members,
    )


COMMUNE_LINES = {"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3}


def ready_dossier(scene: Scene):  # type: ignore[no-untyped-def]
    """A dossier walked through the flow up to the council."""
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    flow.submit_dossier(by=scene.owner, dossier=dossier)
    flow.check_dossier(by=scene.commune, dossier=dossier, assessment=COMMUNE_LINES, note="Đạt")
    flow.propose_dossier(by=scene.commune, dossier=dossier)
    flow.start_review(by=scene.coordinator, dossier=dossier)
    flow.record_review(
        by=scene.coordinator, dossier=dossier, visited_on=dt.date(2025, 9, 1), visit_record="Đã khảo sát"
    )
    flow.mark_ready(by=scene.coordinator, dossier=dossier)
    return dossier


def council_of(scene: Scene, present: int = 7):  # type: ignore[no-untyped-def]
    roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR] + [MemberRole.MEMBER] * (len(scene.members) - 2)
    council = scoring.set_up_council(
        by=scene.coordinator,
        round_=scene.round,
        name="Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội 2025",
        members=[(u, r, "Sở Nông nghiệp và Môi trường") for u, r in zip(scene.members, roles, strict=True)],
    )
    seats = list(council.members.order_by("id"))
    scoring.open_meeting(by=scene.coordinator, council=council, present=seats[:present])
    return council
