"""The central part of `ocop demo`: the ministry (user `ministry`) holds this year's central round, receives Hà Nội's
5-star referral, and its council of five scores it and publishes the result; the ministry's decision and
certificate follow in the certificates demo. Built through the real services; skipped when the round exists."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ocop.accounts.models import Role, User
from ocop.accounts.services import create_user, grant_role, system_user
from ocop.evaluation import central, scoring
from ocop.evaluation.demo import BEST
from ocop.evaluation.enums import MemberRole, RoundLevel
from ocop.evaluation.models import CriteriaVersion, Round
from ocop.places.queries import central_level

MINISTRY_USERS = [
    ("ministry", "Trần Thanh Nam", Role.PROVINCE_COORDINATOR, None, ""),
    ("tw1", "Hoàng Văn Trung", Role.COUNCIL_MEMBER, MemberRole.CHAIR, "Bộ Nông nghiệp và Môi trường"),
    ("tw2", "Nguyễn Thị Ương", Role.COUNCIL_MEMBER, MemberRole.VICE_CHAIR, "Văn phòng Điều phối NTM Trung ương"),
    ("tw3", "Lê Văn Chất", Role.COUNCIL_MEMBER, MemberRole.MEMBER, "Bộ Công Thương"),
    ("tw4", "Phạm Thị Lượng", Role.COUNCIL_MEMBER, MemberRole.MEMBER, "Bộ Khoa học và Công nghệ"),
    ("tw5", "Vũ Văn Thị", Role.COUNCIL_MEMBER, MemberRole.MEMBER, "Bộ Y tế"),
]


def ministry_users() -> dict[str, User]:
    from ocop.registry.demo import DEMO_PASSWORD

    body = central_level()
    actor = system_user()
    for username, full_name, role, _seat, _agency in MINISTRY_USERS:
        if not User.objects.filter(username=username).exists():
            user = create_user(username=username, password=DEMO_PASSWORD, full_name=full_name, by=actor)
            grant_role(user=user, role=role, province=body, by=actor)
    return {u.username: u for u in User.objects.filter(username__in=[u[0] for u in MINISTRY_USERS])}


@transaction.atomic
def build_central_demo(*, today: dt.date) -> int:
    """Returns the number of referrals the central round received (0 when it already exists)."""
    body = central_level()
    users = ministry_users()
    if Round.objects.filter(province=body, level=RoundLevel.CENTRAL).exists():
        return 0
    ministry = users["ministry"]
    round_ = central.open_round(
        by=ministry, year=today.year, criteria_version=CriteriaVersion.objects.get(code="DEMO-148")
    )
    council = scoring.set_up_council(
        by=ministry, round_=round_,
        name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp Trung ương năm {today.year}",
        decision="Quyết định số 210/QĐ-BNNMT",
        members=[(users[u], seat, agency) for u, _n, _r, seat, agency in MINISTRY_USERS if seat is not None],
    )  # fmt: skip
    received, _skipped = central.receive_referrals(by=ministry, round_=round_)
    scoring.open_meeting(by=ministry, council=council, present=list(council.members.all()), on=today)
    for dossier in received:
        for username, *_rest in MINISTRY_USERS[1:]:
            scoring.save_sheet(by=users[username], dossier=dossier, choices=BEST)
            scoring.submit_sheet(by=users[username], dossier=dossier)
    scoring.publish_results(by=ministry, council=council)
    return len(received)
