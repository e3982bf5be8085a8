"""The evaluation part of `ocop demo`: Hà Nội's 2025 provincial round, a council of seven, dossiers in every
state, some scored (one with a spread to resolve, one capped by a mandatory line). Built through the real
services; skipped when the round already exists."""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction

from ocop.accounts.models import Role, User
from ocop.accounts.services import create_user, grant_role, system_user
from ocop.core.pdf import tiny_pdf
from ocop.evaluation import dossiers as flow
from ocop.evaluation import scoring
from ocop.evaluation.catalogue import load_reference_criteria
from ocop.evaluation.enums import DossierState, MemberRole
from ocop.evaluation.models import CriteriaVersion, Dossier, Round
from ocop.places.models import Province
from ocop.registry import services
from ocop.registry.enums import DocumentKind
from ocop.registry.models import Document, Product

COUNCIL = [
    ("council", MemberRole.CHAIR, "Phó Chủ tịch UBND thành phố"),
    ("council2", MemberRole.VICE_CHAIR, "Sở Nông nghiệp và Môi trường"),
    ("council3", MemberRole.MEMBER, "Sở Công Thương"),
    ("council4", MemberRole.MEMBER, "Sở Khoa học và Công nghệ"),
    ("council5", MemberRole.MEMBER, "Sở Y tế"),
    ("council6", MemberRole.MEMBER, "Sở Văn hoá và Thể thao"),
    ("council7", MemberRole.MEMBER, "Liên minh Hợp tác xã thành phố"),
    ("commerce", MemberRole.SECRETARY, "Văn phòng Điều phối nông thôn mới"),
]
EXTRA_MEMBERS = [
    ("council2", "Đỗ Văn Phó"),
    ("council3", "Ngô Thị Công"),
    ("council4", "Bùi Văn Khoa"),
    ("council5", "Đinh Thị Y"),
    ("council6", "Lý Văn Văn Hoá"),
    ("council7", "Mai Thị Hợp Tác"),
]
# Option index per line of the demo sheet at its best (100 points).
BEST = {
    "A1.1": 2, "A1.2": 2, "A1.3": 3, "A1.4": 3, "A1.5": 3, "A2.1": 3, "A2.2": 4, "A2.3": 3, "A2.4": 2,
    "A3.1": 2, "A3.2": 2, "A3.3": 2, "A3.4": 2, "A3.5": 3, "B4.1": 3, "B4.2": 3, "B4.3": 4, "B5.1": 4,
    "B5.2": 3, "B5.3": 1, "C6.1": 3, "C6.2": 2, "C6.3": 3, "C7.1": 3, "C7.2": 3, "C7.3": 2, "C7.4": 3,
    "C7.5": 3, "C8": 3,
}  # fmt: skip
FOUR_STARS = {**BEST, "C8": 0, "B4.1": 0, "B4.3": 1, "C6.1": 2, "A1.3": 1}  # 82 points
THREE_STARS = {**FOUR_STARS, "C7.5": 0, "A2.3": 0, "B4.2": 1, "B5.1": 1, "C6.3": 1, "A1.4": 0, "C7.2": 1}  # 62
COMMENTS = {"C8": "Chưa có đơn hàng xuất khẩu; nên tìm hiểu thị trường khu vực.", "B4.1": "Mới bán trong xã."}
# The dossiers, in the order they are built: (state reached, how the council scores it).
PLAN = [
    ("published", "four"),  # the demo producer's product: its path to the next star
    ("draft", None),
    ("submitted", None),
    ("commune_checked", None),
    ("proposed", None),
    ("returned", None),
    ("under_review", None),
    ("ready", None),
    ("ready", None),
    ("published", "three"),
    ("published", "capped"),
    ("published", "five"),
    ("spread", "spread"),
]


def _member_users(actor: User, hanoi: Province) -> dict[str, User]:
    from ocop.registry.demo import DEMO_PASSWORD

    for username, full_name in EXTRA_MEMBERS:
        if not User.objects.filter(username=username).exists():
            user = create_user(username=username, password=DEMO_PASSWORD, full_name=full_name, by=actor)
            grant_role(user=user, role=Role.COUNCIL_MEMBER, province=hanoi, by=actor)
    return {u.username: u for u in User.objects.filter(username__in=[c[0] for c in COUNCIL])}


def _quality_declaration(product: Product, actor: User, today: dt.date) -> None:
    number = f"{product.pk:04d}/TCCS"
    if Document.objects.filter(producer=product.producer, number=number).exists():
        return
    services.add_document(
        producer=product.producer,
        by=actor,
        upload=io.BytesIO(tiny_pdf(["Ban tu cong bo san pham", product.name])),
        original_name="tu-cong-bo.pdf",
        kind=DocumentKind.QUALITY_DECLARATION,
        product=product,
        number=number,
        issuer=product.producer.name,
        issued_on=today - dt.timedelta(days=300),
    )


def _candidates(today: dt.date) -> list[Product]:
    """Products whose producers hold a valid food-safety certificate, the demo producer's first."""
    demo_producer = User.objects.get(username="producer").producer_links.first()
    later = today + dt.timedelta(days=60)
    safe = Document.objects.filter(kind=DocumentKind.FOOD_SAFETY, expires_on__gt=later)
    tested = Document.objects.filter(kind=DocumentKind.TEST_REPORT, product__isnull=False, expires_on__gt=later)
    products = list(
        Product.objects.filter(pk__in=tested.values("product_id"), producer_id__in=safe.values("producer_id"))
        .exclude(dossiers__isnull=False)
        .select_related("producer", "commune")
        .order_by("producer_id", "id")
    )
    own = [p for p in products if demo_producer and p.producer_id == demo_producer.producer_id][:1]
    seen = {p.producer_id for p in own}
    others = []
    for product in products:
        if product.producer_id not in seen:
            seen.add(product.producer_id)
            others.append(product)
    return own + others


def _choices(kind: str, index: int) -> dict[str, int]:
    if kind == "four":
        return FOUR_STARS
    if kind == "three":
        return THREE_STARS
    if kind == "capped":
        return {**FOUR_STARS, "C7.1": 0} if index < 4 else FOUR_STARS
    if kind == "spread":
        return {**FOUR_STARS, "B4.2": 0, "B4.3": 0, "C7.5": 0, "C6.3": 0} if index == 6 else FOUR_STARS  # 68 vs 82
    return BEST  # five


@transaction.atomic
def build_evaluation_demo(*, today: dt.date) -> int:
    """Returns the number of dossiers made (0 when the demo round is already there)."""
    load_reference_criteria()
    hanoi = Province.objects.get(code="01")
    if Round.objects.filter(province=hanoi, year=2025, number=1).exists():
        return 0
    actor = system_user()
    users = _member_users(actor, hanoi)
    coordinator = User.objects.get(username="coordinator")
    round_ = flow.create_round(
        by=coordinator,
        province=hanoi,
        year=2025,
        number=1,
        criteria_version=CriteriaVersion.objects.get(code="DEMO-148"),
    )
    council = scoring.set_up_council(
        by=coordinator,
        round_=round_,
        name="Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội năm 2025",
        decision="Quyết định số 123/QĐ-UBND",
        members=[(users[u], role, agency) for u, role, agency in COUNCIL],
    )
    scoring.open_meeting(by=coordinator, council=council, present=list(council.members.all()), on=today)
    scorers = [users[u] for u, role, _a in COUNCIL if role != MemberRole.SECRETARY]
    products = _candidates(today)
    made = 0
    for (target, scored), product in zip(PLAN, products, strict=False):
        _quality_declaration(product, actor, today)
        dossier = _walk(product=product, round_=round_, target=target, actor=actor, coordinator=coordinator)
        made += 1
        if scored:
            for i, user in enumerate(scorers):
                scoring.save_sheet(
                    by=user, dossier=dossier, choices=_choices(scored, i), comments=COMMENTS if i == 0 else None
                )
                scoring.submit_sheet(by=user, dossier=dossier)
    scoring.publish_results(by=coordinator, council=council)
    # The round's deadlines are in the past: set once the dossiers have been walked through them.
    flow.set_round_dates(
        by=coordinator,
        round_=round_,
        submission_deadline=dt.date(2025, 9, 30),
        proposal_deadline=dt.date(2025, 10, 31),
        council_date=dt.date(2025, 11, 20),
    )
    return made


def _walk(*, product: Product, round_: Round, target: str, actor: User, coordinator: User) -> Dossier:
    dossier = flow.start_dossier(by=actor, round_=round_, product=product)
    flow.update_summary(by=actor, dossier=dossier, summary=f"{product.name}: sản xuất ổn định, có nhãn mác đầy đủ.")
    if target == "draft":
        return dossier
    flow.submit_dossier(by=actor, dossier=dossier)
    if target == "submitted":
        return dossier
    if target == "returned":
        flow.return_dossier(
            by=actor,
            dossier=dossier,
            items=[{"item": "Nhãn sản phẩm", "reason": "Thiếu hạn sử dụng và địa chỉ cơ sở sản xuất"}],
        )
        return dossier
    flow.check_dossier(by=actor, dossier=dossier, assessment={"A1.1": 2, "A2.1": 3, "A3.2": 2, "B5.2": 3}, note="Đạt")
    order = ["commune_checked", "proposed", "under_review", "ready"]
    goal = "ready" if target in ("published", "spread") else target
    for step in order[1 : order.index(goal) + 1]:
        if step == "proposed":
            flow.propose_dossier(by=actor, dossier=dossier)
        elif step == "under_review":
            flow.start_review(by=coordinator, dossier=dossier)
            flow.record_review(
                by=coordinator,
                dossier=dossier,
                visited_on=dt.date(2025, 11, 5),
                visit_record="Cơ sở sản xuất sạch sẽ, quy trình rõ ràng.",
                comments="Nên bổ sung câu chuyện sản phẩm trên nhãn.",
            )
        else:
            flow.mark_ready(by=coordinator, dossier=dossier)
    assert dossier.state == (DossierState.READY if target in ("published", "spread") else target)
    return dossier
