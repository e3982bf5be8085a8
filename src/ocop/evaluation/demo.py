"""The evaluation part of `ocop demo`, placed relative to `today`: Hà Nội's round of last year, scored and published
(one result capped by a mandatory line, one referred to the ministry), and this year's round open for submissions
with a dossier waiting at every step: a draft and a returned dossier of the demo producer, dossiers for the commune
to check and propose, for the advisory team to review, for the council to score (some members have scored, the
others not), a result to publish and a spread to resolve. The ministry's central round of each year is built after
the province's (`central_demo`), so each receives its own year's referrals. Built through the real services; a round
that already exists for its year is left as it is, so running the demo again (on any day) adds nothing."""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction

from ocop.accounts.models import Role, User
from ocop.accounts.services import create_user, grant_role, system_user
from ocop.core.pdf import tiny_pdf
from ocop.evaluation import demo_dates as dates
from ocop.evaluation import dossiers as flow
from ocop.evaluation import scoring
from ocop.evaluation.catalogue import load_reference_criteria
from ocop.evaluation.enums import DossierState, MemberRole, RoundLevel
from ocop.evaluation.enums import DossierState as S
from ocop.evaluation.models import Council, CriteriaVersion, Dossier, Round
from ocop.places.models import Commune, Province
from ocop.registry import services
from ocop.registry.enums import DocumentKind, ProductStatus
from ocop.registry.models import Document, Product

COUNCIL = [
    ("council", MemberRole.CHAIR, "Phó Chủ tịch UBND thành phố"),
    ("council2", MemberRole.VICE_CHAIR, "Sở Nông nghiệp và Môi trường"),
    ("council3", MemberRole.MEMBER, "Sở Công Thương"),
    ("council4", MemberRole.MEMBER, "Sở Khoa học và Công nghệ"),
    ("council5", MemberRole.MEMBER, "Sở Y tế"),
    ("council6", MemberRole.MEMBER, "Sở Văn hoá và Thể thao"),
    ("council7", MemberRole.MEMBER, "Liên minh Hợp tác xã thành phố"),
    ("coordinator", MemberRole.SECRETARY, "Văn phòng Điều phối Chương trình OCOP thành phố"),
]
EXTRA_MEMBERS = [
    ("council2", "Đỗ Văn Phó"),
    ("council3", "Ngô Thị Công"),
    ("council4", "Bùi Văn Khoa"),
    ("council5", "Đinh Thị Y"),
    ("council6", "Lý Văn Văn Hoá"),
    ("council7", "Mai Thị Hợp Tác"),
]
# Option index per line of the demo sheet at its best (100 points, which no demo dossier reaches).
BEST = {
    "A1.1": 2, "A1.2": 2, "A1.3": 3, "A1.4": 3, "A1.5": 3, "A2.1": 3, "A2.2": 4, "A2.3": 3, "A2.4": 2,
    "A3.1": 2, "A3.2": 2, "A3.3": 2, "A3.4": 2, "A3.5": 3, "B4.1": 3, "B4.2": 3, "B4.3": 4, "B5.1": 4,
    "B5.2": 3, "B5.3": 1, "C6.1": 3, "C6.2": 2, "C6.3": 3, "C7.1": 3, "C7.2": 3, "C7.3": 2, "C7.4": 3,
    "C7.5": 3, "C8": 3,
}  # fmt: skip
# A 5-star sheet as councils give them (93 points): the best on most lines, not all.
FIVE_STARS = {**BEST, "C8": 2, "B4.3": 3, "A1.3": 2, "C6.3": 2}
FOUR_STARS = {**BEST, "C8": 0, "B4.1": 0, "B4.3": 1, "C6.1": 2, "A1.3": 1}  # 82 points
THREE_STARS = {**FOUR_STARS, "C7.5": 0, "A2.3": 0, "B4.2": 1, "B5.1": 1, "C6.3": 1, "A1.4": 0, "C7.2": 1}  # 62
COMMENTS = {"C8": "Chưa có đơn hàng xuất khẩu; nên tìm hiểu thị trường khu vực.", "B4.1": "Mới bán trong xã."}
# Last year's round: (state reached, how the council scores it). The demo producer's product comes first: its 4-star
# result shows the path to the next star.
LAST_YEAR = [("published", "four"), ("published", "three"), ("published", "capped"), ("published", "five")]
# This year's first round, closed in the autumn: (state reached, how the council scored it). Its first results were
# published (the 4 stars are in the city's decision, the 5 stars received by the ministry), then a second 5-star
# result (the ministry has yet to receive it). The last dossier's members differed; scored again after their second
# look a week ago, its result waits for the office to publish it (a further decision will follow). The meeting is
# closed.
FIRST_ROUND = [("published", "five"), ("published", "four"), ("published", "five"), ("scored", "three")]
# This year's second round, open for submissions: (state reached, how it is scored, where the product comes from).
# "own": the demo producer's; "commune": the demo commune officer's communes; the "partial" dossiers are scored by
# some members only (who: SCORED_BY); the spread waits for the members' second look.
SECOND_ROUND = [
    ("returned", None, "own"),
    ("draft", None, "own"),
    ("submitted", None, "commune"),
    ("submitted", None, "commune"),
    ("commune_checked", None, "commune"),
    ("proposed", None, ""),
    ("under_review", None, ""),
    ("ready", "partial", ""),
    ("ready", "partial", ""),
    ("spread", "spread", ""),
]
# Who has scored each "partial" dossier: every member, the chair among them, still has at least one to score.
SCORED_BY = [("council2", "council3", "council4"), ("council5", "council6", "council7")]
DEMO_COMMUNES = ("Bát Tràng", "Ba Vì")  # the demo commune officer's


def _member_users(actor: User, hanoi: Province) -> dict[str, User]:
    from ocop.registry.demo import DEMO_PASSWORD

    for username, full_name in EXTRA_MEMBERS:
        if not User.objects.filter(username=username).exists():
            user = create_user(username=username, password=DEMO_PASSWORD, full_name=full_name, by=actor)
            grant_role(user=user, role=Role.COUNCIL_MEMBER, province=hanoi, by=actor)
    return {u.username: u for u in User.objects.filter(username__in=[c[0] for c in COUNCIL])}


def _evidence(product: Product, actor: User, today: dt.date) -> None:
    """The product's own documents a dossier needs: its quality declaration and a recent test report."""
    for kind, number, issuer, title, days in (
        (DocumentKind.QUALITY_DECLARATION, f"{product.pk:04d}/TCCS", product.producer.name,
         "Ban tu cong bo san pham", None),
        (DocumentKind.TEST_REPORT, f"KN-{product.pk:04d}", "Trung tâm Kiểm nghiệm", "Phieu ket qua kiem nghiem", 365),
    ):  # fmt: skip
        if Document.objects.filter(producer=product.producer, product=product, kind=kind).exists():
            continue
        issued = today - dt.timedelta(days=300 if days is None else 120)
        services.add_document(
            producer=product.producer, by=actor, upload=io.BytesIO(tiny_pdf([title, product.name])),
            original_name=f"{kind.value}.pdf", kind=kind, product=product, number=number, issuer=issuer,
            issued_on=issued, expires_on=issued + dt.timedelta(days=days) if days else None,
        )  # fmt: skip


class _Pool:
    """Products that may enter a round: active, no dossier yet, of a producer holding a food-safety certificate
    valid for the coming months; one product per producer, except the demo producer's own and the commune's."""

    def __init__(self, today: dt.date) -> None:
        link = User.objects.get(username="producer").producer_links.first()
        self.own_producer = link.producer_id if link else None
        safe = Document.objects.filter(kind=DocumentKind.FOOD_SAFETY, expires_on__gt=today + dt.timedelta(days=60))
        self.products = list(
            Product.objects.filter(
                producer_id__in=safe.values("producer_id"), status=ProductStatus.ACTIVE, dossiers__isnull=True
            )
            .select_related("producer", "commune")
            .order_by("producer_id", "id")
        )
        self.used_producers: set[int] = set()
        self.communes = set(
            Commune.objects.filter(province__code="01", short_name__in=DEMO_COMMUNES).values_list("pk", flat=True)
        )

    def take(self, where: str) -> Product | None:
        for product in self.products:
            if where == "own":
                fits = product.producer_id == self.own_producer
            else:
                fits = product.producer_id != self.own_producer
                if where == "commune":  # a producer of the commune may send two products
                    fits = fits and product.commune_id in self.communes
                else:
                    fits = fits and product.producer_id not in self.used_producers
            if fits:
                self.products.remove(product)
                self.used_producers.add(product.producer_id)
                return product
        return None


def _choices(kind: str, index: int) -> dict[str, int]:
    if kind == "three":
        return THREE_STARS
    if kind == "capped":
        return {**FOUR_STARS, "C7.1": 0} if index < 4 else FOUR_STARS
    if kind == "spread":
        return {**FOUR_STARS, "B4.2": 0, "B4.3": 0, "C7.5": 0, "C6.3": 0} if index == 6 else FOUR_STARS  # 68 vs 82
    if kind == "five":
        return FIVE_STARS
    return FOUR_STARS  # four, partial


def _score(dossier: Dossier, users: list[User], kind: str) -> None:
    for i, user in enumerate(users):
        scoring.save_sheet(by=user, dossier=dossier, choices=_choices(kind, i), comments=COMMENTS if i == 0 else None)
        scoring.submit_sheet(by=user, dossier=dossier)


def _council(round_: Round, coordinator: User, users: dict[str, User], number: str, meets: dt.date) -> Council:
    council = scoring.set_up_council(
        by=coordinator,
        round_=round_,
        name=f"Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội năm {round_.year}",
        decision=f"{number}/QĐ-UBND",
        decision_date=meets - dt.timedelta(days=21),  # founded three weeks before it met
        meeting_place="Phòng họp số 2, Sở Nông nghiệp và Môi trường thành phố Hà Nội",
        members=[(users[u], role, agency) for u, role, agency in COUNCIL],
    )
    scoring.open_meeting(
        by=coordinator, council=council, present=list(council.members.all()), on=meets, start=dates.MEETING_HOURS[0]
    )
    return council


@transaction.atomic
def build_evaluation_demo(*, today: dt.date) -> int:
    """Last year's and this year's rounds of Hà Nội, with the ministry's central rounds after each. Returns the
    number of dossiers made (0 when both rounds are already there)."""
    from ocop.evaluation.central_demo import build_central_round

    load_reference_criteria()
    hanoi = Province.objects.get(code="01")
    actor = system_user()
    users = _member_users(actor, hanoi)
    coordinator = User.objects.get(username="coordinator")
    version = CriteriaVersion.objects.get(code="DEMO-148")
    made = 0
    last = today.year - 1
    if not _exists(hanoi, last):
        made += _last_year(today, last, hanoi, version, actor, coordinator, users)
        build_central_round(year=last, today=today, score="all")
    if not _exists(hanoi, today.year):  # both rounds of this year
        made += _this_year(today, hanoi, version, actor, coordinator, users)
    return made


def _exists(hanoi: Province, year: int) -> bool:
    return Round.objects.filter(province=hanoi, year=year, level=RoundLevel.PROVINCE).exists()


def _last_year(
    today: dt.date, year: int, hanoi: Province, version: CriteriaVersion, actor: User, coordinator: User,
    users: dict[str, User],
) -> int:  # fmt: skip
    round_ = flow.create_round(by=coordinator, province=hanoi, year=year, number=1, criteria_version=version)
    council = _council(round_, coordinator, users, f"{1500 + year % 100 * 7}", dt.date(year, 10, 15))
    scorers = [users[u] for u, role, _a in COUNCIL if role != MemberRole.SECRETARY]
    pool = _Pool(today)
    made = 0
    walked = []
    for n, (target, scored) in enumerate(LAST_YEAR):
        product = pool.take("own" if made == 0 else "")
        if product is None:
            continue
        _evidence(product, actor, today)
        days = dates.closed_schedule(dt.date(year, 7, 10 + 3 * n), dt.date(year, 8, 20 + 2 * n), dt.date(year, 10, 1))
        dossier = _walk(product=product, round_=round_, target=target, actor=actor, coordinator=coordinator, days=days)
        made += 1
        _score(dossier, scorers, scored)
        walked.append(dossier)
    scoring.publish_results(by=coordinator, council=council)
    scoring.close_meeting(by=coordinator, council=council, end=dates.MEETING_HOURS[1])
    for dossier in walked:  # scored at the meeting, published four days later
        dates.date_scoring(dossier, dt.date(year, 10, 15), published=dt.date(year, 10, 19))
    # The round's deadlines are in the past: set once the dossiers have been walked through them.
    flow.set_round_dates(
        by=coordinator, round_=round_, submission_deadline=dt.date(year, 7, 31),
        proposal_deadline=dt.date(year, 8, 31), council_date=dt.date(year, 10, 15),
    )  # fmt: skip
    return made


def _this_year(
    today: dt.date, hanoi: Province, version: CriteriaVersion, actor: User, coordinator: User, users: dict[str, User]
) -> int:
    from ocop.evaluation.central_demo import build_central_round

    scorers = [users[u] for u, role, _a in COUNCIL if role != MemberRole.SECRETARY]
    pool = _Pool(today)
    # The first round: dossiers due 100 days ago, its council met 45 days ago.
    first = flow.create_round(by=coordinator, province=hanoi, year=today.year, number=1, criteria_version=version)
    council = _council(first, coordinator, users, f"{1500 + today.year % 100 * 7}", today - dt.timedelta(days=45))
    dossiers = []
    for n, (target, _scored) in enumerate(FIRST_ROUND):
        product = pool.take("")
        if product is not None:
            _evidence(product, actor, today)
            days = dates.closed_schedule(ago(today, 110 - 2 * n), ago(today, 85 - n), ago(today, 55))
            dossiers.append(_walk(product=product, round_=first, target=target, actor=actor, coordinator=coordinator,
                                  days=days))  # fmt: skip
    for n, (dossier, (_target, scored)) in enumerate(zip(dossiers, FIRST_ROUND, strict=False)):
        _score(dossier, scorers, scored)
        if n in (1, 2):
            scoring.publish_results(by=coordinator, council=council)
        if n == 1:  # the ministry received the first 5-star referral, not the second
            build_central_round(year=today.year, today=today, score="none")
    scoring.close_meeting(by=coordinator, council=council, end=dates.MEETING_HOURS[1])
    for n, dossier in enumerate(dossiers):  # scored at the meeting; the second 5 stars published a week later
        if n < 3:
            dates.date_scoring(dossier, ago(today, 45), published=ago(today, 40 if n < 2 else 33))
        else:
            dates.date_scoring(dossier, ago(today, 7))
    flow.set_round_dates(
        by=coordinator, round_=first, submission_deadline=today - dt.timedelta(days=100),
        proposal_deadline=today - dt.timedelta(days=80), council_date=today - dt.timedelta(days=45),
    )  # fmt: skip
    # The second round, open for submissions until 20 days from today.
    second = flow.create_round(
        by=coordinator, province=hanoi, year=today.year, number=2, criteria_version=version,
        submission_deadline=today + dt.timedelta(days=20), proposal_deadline=today + dt.timedelta(days=35),
        council_date=today + dt.timedelta(days=50),
    )  # fmt: skip
    _council(second, coordinator, users, f"{1600 + today.year % 100 * 7}", today - dt.timedelta(days=3))
    made, partial = len(dossiers), 0
    for n, (target, how, where) in enumerate(SECOND_ROUND):
        product = pool.take(where)
        if product is None:
            continue
        _evidence(product, actor, today)
        # The steps of the last few days: the returned dossier 12 days ago, the last ones ready 3 days ago.
        end = ago(today, max(12 - n, 3))
        dossier = _walk(product=product, round_=second, target=target, actor=actor, coordinator=coordinator,
                        days=dates.schedule(end, "ready" if how else target))  # fmt: skip
        made += 1
        if how == "partial":
            _score(dossier, [users[u] for u in SCORED_BY[partial % len(SCORED_BY)]], how)
            partial += 1
        elif how:
            _score(dossier, scorers, how)
        if how:
            dates.date_scoring(dossier, ago(today, 2 if how == "partial" else 1))
    return made


def ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


def _people(product: Product, actor: User) -> tuple[User, User]:
    """Who takes the producer's steps (its account, if it has one) and the commune's (the commune's officer); the
    system account for a producer with no account or a commune with no officer in the demo."""
    producer = User.objects.filter(producer_links__producer_id=product.producer_id).order_by("id").first()
    officers = User.objects.filter(roles__role=Role.COMMUNE_OFFICER, roles__commune=product.commune)
    commune = officers.order_by("id").first() if product.commune_id else None
    return producer or actor, commune or actor


def _walk(
    *, product: Product, round_: Round, target: str, actor: User, coordinator: User, days: dict[str, dt.date]
) -> Dossier:
    """The dossier walked to `target` by those who take each step, each step then dated by `days`."""
    dossier = _steps(product=product, round_=round_, target=target, actor=actor, coordinator=coordinator, days=days)
    dates.date_steps(dossier, days)
    return dossier


def _steps(
    *, product: Product, round_: Round, target: str, actor: User, coordinator: User, days: dict[str, dt.date]
) -> Dossier:
    producer, commune = _people(product, actor)
    dossier = flow.start_dossier(by=producer, round_=round_, product=product)
    flow.update_summary(by=producer, dossier=dossier, summary=f"{product.name}: sản xuất ổn định, có nhãn mác đầy đủ.")
    if target == "draft":
        return dossier
    flow.submit_dossier(by=producer, dossier=dossier)
    if target == "submitted":
        return dossier
    if target == "returned":
        flow.return_dossier(
            by=commune,
            dossier=dossier,
            items=[{"item": "Nhãn sản phẩm", "reason": "Thiếu hạn sử dụng và địa chỉ cơ sở sản xuất"}],
        )
        return dossier
    flow.check_dossier(by=commune, dossier=dossier, assessment={"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3}, note="Đạt")
    order = ["commune_checked", "proposed", "under_review", "ready"]
    goal = "ready" if target in ("published", "spread", "scored") else target
    for step in order[1 : order.index(goal) + 1]:
        if step == "proposed":
            flow.propose_dossier(by=commune, dossier=dossier)
        elif step == "under_review":
            flow.start_review(by=coordinator, dossier=dossier)
            flow.record_review(
                by=coordinator,
                dossier=dossier,
                visited_on=days[S.UNDER_REVIEW] + dt.timedelta(days=2),
                visit_record="Cơ sở sản xuất sạch sẽ, quy trình rõ ràng.",
                comments="Nên bổ sung câu chuyện sản phẩm trên nhãn.",
            )
        else:
            flow.mark_ready(by=coordinator, dossier=dossier)
    assert dossier.state == (DossierState.READY if goal == "ready" else target)
    return dossier
