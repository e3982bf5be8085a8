"""The central part of `ocop demo`: the ministry (user `ministry`) holds a central round each year. Last year's
received Hà Nội's 5-star referral, its council of five scored it and the result is published (the ministry's
decision and certificate follow in the certificates demo); this year's has received one of Hà Nội's two referrals,
which waits for the council to score it, and the ministry has the other to receive. Built through the real services
(`build_evaluation_demo` calls `build_central_round` after each year's provincial round); a year's central round
that exists is left as it is."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ocop.accounts.models import Role, User
from ocop.accounts.services import create_user, grant_role, system_user
from ocop.evaluation import central, scoring
from ocop.evaluation import demo_dates as dates
from ocop.evaluation.demo import FIVE_STARS
from ocop.evaluation.enums import DossierState as S
from ocop.evaluation.enums import MemberRole, RoundLevel
from ocop.evaluation.models import CriteriaVersion, Dossier, Round
from ocop.places.queries import central_level

MINISTRY_USERS = [
    # The ministry's OCOP office keeps the council's record, as the province's does (its secretary).
    (
        "ministry",
        "Trần Thanh Nam",
        Role.PROVINCE_COORDINATOR,
        MemberRole.SECRETARY,
        "Văn phòng Điều phối NTM Trung ương",
    ),
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


def build_central_round(*, year: int, today: dt.date, score: str) -> int:
    """The ministry's round of `year` takes in the pending referrals; `score`: "all" (scored and published, a
    council meeting of December) or "none" (they wait for the council). Returns the number of referrals received
    (0 when the round already exists)."""
    body = central_level()
    users = ministry_users()
    if Round.objects.filter(province=body, level=RoundLevel.CENTRAL, year=year).exists():
        return 0
    ministry = users["ministry"]
    meets = min(dt.date(year, 12, 5), today) if score == "all" else today - dt.timedelta(days=1)
    round_ = central.open_round(by=ministry, year=year, criteria_version=CriteriaVersion.objects.get(code="DEMO-148"))
    council = scoring.set_up_council(
        by=ministry, round_=round_,
        name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp Trung ương năm {year}",
        decision=f"{180 + year % 100}/QĐ-BNNMT", decision_date=meets - dt.timedelta(days=30),
        meeting_place="Phòng họp số 1, Bộ Nông nghiệp và Môi trường, số 2 Ngọc Hà, Hà Nội",
        members=[(users[u], seat, agency) for u, _n, _r, seat, agency in MINISTRY_USERS if seat is not None],
    )  # fmt: skip
    received, _skipped = central.receive_referrals(by=ministry, round_=round_)
    scoring.open_meeting(
        by=ministry, council=council, present=list(council.members.all()), on=meets, start=dates.MEETING_HOURS[0]
    )
    for dossier in received if score == "all" else []:
        for username, *_rest in MINISTRY_USERS[1:]:
            scoring.save_sheet(by=users[username], dossier=dossier, choices=FIVE_STARS)
            scoring.submit_sheet(by=users[username], dossier=dossier)
    if score == "all":
        scoring.publish_results(by=ministry, council=council)
        scoring.close_meeting(by=ministry, council=council, end=dates.MEETING_HOURS[1])
    for dossier in received:  # received a week before the meeting; scored there, published three days later
        dates.date_steps(dossier, {S.READY: meets - dt.timedelta(days=7)})
        if score == "all":
            dates.date_scoring(dossier, meets, published=meets + dt.timedelta(days=3))
    return len(received)


@transaction.atomic
def build_central_demo(*, today: dt.date) -> int:
    """Last year's and this year's central rounds, if the provincial demo has not built them already. Returns the
    number of referrals received now."""
    return build_central_round(year=today.year - 1, today=today, score="all") + build_central_round(
        year=today.year, today=today, score="none"
    )


def central_dossiers() -> int:
    """How many referrals the ministry's rounds hold (for the demo's summary line)."""
    return Dossier.objects.filter(round__level=RoundLevel.CENTRAL).count()
