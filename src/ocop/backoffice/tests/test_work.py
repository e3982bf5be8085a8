"""The work queue ("Việc cần làm"): each role finds exactly the items waiting for it, oldest first, one link each."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ocop.accounts.models import Role
from ocop.backoffice.work import WorkItem, menu_counts, work_for
from ocop.evaluation import dossiers as flow
from ocop.evaluation import scoring
from ocop.evaluation.demo import FOUR_STARS
from ocop.evaluation.tests.conftest import COMMUNE_LINES, council_of, scene  # noqa: F401
from ocop.supervision.tests.conftest import office, team  # noqa: F401
from ocop.testing import make_user

DAY = dt.datetime(2025, 10, 1, 9, tzinfo=dt.UTC)


def _kinds(user) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(item.kind, item.title) for item in work_for(user)]


def test_each_step_of_the_flow_waits_for_the_next_actor_and_leaves_the_previous_one(scene, time_machine):  # noqa: F811
    time_machine.move_to(DAY)
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    assert work_for(make_fresh(scene.commune)) == []
    flow.submit_dossier(by=scene.owner, dossier=dossier)
    url = reverse("backoffice:dossier_detail", args=[dossier.pk])
    assert work_for(make_fresh(scene.commune)) == [
        WorkItem("dossier_check", "Kiểm tra hồ sơ: Bánh cốm", url, dt.date(2025, 10, 1), menu="dossiers")
    ]
    assert menu_counts(make_fresh(scene.commune))["dossiers"] == 1  # beside "notifications", the unread notices
    assert work_for(make_fresh(scene.coordinator)) == [] and work_for(make_fresh(scene.owner)) == []

    time_machine.move_to(DAY + dt.timedelta(days=2))
    flow.return_dossier(by=scene.commune, dossier=dossier, items=[{"item": "Ảnh sản phẩm", "reason": "Thiếu ảnh"}])
    assert work_for(make_fresh(scene.commune)) == []
    assert _kinds(make_fresh(scene.owner)) == [("dossier_returned", "Bổ sung hồ sơ bị trả lại: Bánh cốm")]

    flow.submit_dossier(by=scene.owner, dossier=dossier)
    flow.check_dossier(by=scene.commune, dossier=dossier, assessment=COMMUNE_LINES, note="Đạt")
    assert _kinds(make_fresh(scene.commune)) == [("dossier_check", "Đề nghị lên tỉnh: Bánh cốm")]
    flow.propose_dossier(by=scene.commune, dossier=dossier)
    assert work_for(make_fresh(scene.commune)) == [] and work_for(make_fresh(scene.owner)) == []
    (item,) = work_for(make_fresh(scene.coordinator))
    assert (item.kind, item.title, item.url, item.detail) == (
        "dossier_review", "Thẩm định hồ sơ: Bánh cốm", url, "Xã đã đề nghị lên tỉnh"
    )  # fmt: skip
    assert work_for(make_fresh(scene.charlie)) == []  # another province's coordinator

    flow.start_review(by=scene.coordinator, dossier=dossier)
    flow.record_review(by=scene.coordinator, dossier=dossier, visited_on=dt.date(2025, 10, 2), visit_record="Đạt")
    flow.mark_ready(by=scene.coordinator, dossier=dossier)
    council_of(scene, present=7)
    assert work_for(make_fresh(scene.coordinator)) == []
    score = reverse("backoffice:score_page", args=[dossier.pk])
    assert work_for(make_fresh(scene.members[0])) == [
        WorkItem(
            "dossier_score",
            "Chấm điểm hồ sơ: Bánh cốm",
            score,
            dt.date(2025, 10, 3),
            "0/7 thành viên đã chấm",
            "dossiers",
        )
    ]
    for member in scene.members[:3]:
        scoring.submit_sheet(by=member, dossier=dossier, choices=FOUR_STARS)
    assert work_for(make_fresh(scene.members[0])) == []
    assert [i.detail for i in work_for(make_fresh(scene.members[3]))] == ["3/7 thành viên đã chấm"]
    for member in scene.members[3:]:
        scoring.submit_sheet(by=member, dossier=dossier, choices=FOUR_STARS)
    assert work_for(make_fresh(scene.members[6])) == []

    (item,) = work_for(make_fresh(scene.coordinator))
    assert (item.kind, item.url, item.detail, item.menu) == (
        "result_publish", reverse("backoffice:round_detail", args=[scene.round.pk]), "1 kết quả", "rounds"
    )  # fmt: skip
    council = scoring.council_for(dossier)
    scoring.publish_results(by=scene.coordinator, council=council)
    assert _kinds(make_fresh(scene.coordinator)) == [
        ("decision_draft", "Dự thảo quyết định công nhận: đợt 1/2025, Thành phố Hà Nội")
    ]
    assert [(i.kind, i.title, i.detail) for i in work_for(make_fresh(scene.owner))] == [
        ("result_new", "Kết quả mới: Bánh cốm", "4 sao")
    ]
    time_machine.move_to(DAY + dt.timedelta(days=40))
    assert work_for(make_fresh(scene.owner)) == []  # a result is news for 30 days


def make_fresh(user):  # type: ignore[no-untyped-def]
    """The same account as a new request sees it (the scope and counts are kept per request on the user)."""
    return type(user).objects.get(pk=user.pk)


def test_a_user_without_a_role_has_nothing_to_do(db):
    user = make_user(None)
    assert work_for(user) == [] and menu_counts(user) == {}
    assert work_for(make_user(Role.INSPECTOR)) == []


def test_a_revoked_certificate_is_one_task_for_the_operator_and_concerns_the_producer(
    outlet_scene, django_capture_on_commit_callbacks
):
    """One product to take off an outlet with five shelf lines is one task: in the operator's queue, on the outlet
    list ("1 product", not one per shelf line), on the producer's dashboard; the month's sales are due as well."""
    from ocop.certificates import services as certificates
    from ocop.conftest import client_for
    from ocop.outlets import services as outlets
    from ocop.outlets import stock
    from ocop.outlets.tests.conftest import recognised

    world = outlet_scene
    (outlet,) = recognised(world)
    for label in ("Mật ong", "Chè", "Miến"):
        stock.add_stock(by=world.users["commerce"], outlet=outlet, label=label, since=dt.date(2026, 9, 1))
    operator = world.users["outlet"]
    outlets.add_operator_member(by=world.users["commerce"], operator=outlet.operator, user=operator)
    with django_capture_on_commit_callbacks(execute=True):
        certificates.revoke(
            by=world.users["coordinator"], certificate=world.cert, decision_number="1/QĐ",
            revoked_on=dt.date(2026, 11, 28), reason="Vi phạm",
        )  # fmt: skip
    detail = reverse("backoffice:outlet_detail", args=[outlet.pk])
    sales = reverse("backoffice:outlet_sales", args=[outlet.pk]) + "?month=10/2026"
    assert [(i.kind, i.title, i.url, i.since, i.detail, i.menu) for i in work_for(make_fresh(operator))] == [
        ("sales_report", "Báo cáo doanh số tháng 10/2026: Điểm OCOP 1", sales, dt.date(2026, 11, 1), "", "outlets"),
        ("shelf_clear", f"Rút khỏi quầy OCOP: {world.product.name}", detail, dt.date(2026, 11, 29), "Điểm OCOP 1",
         "outlets"),
    ]  # fmt: skip
    assert menu_counts(make_fresh(operator))["outlets"] == 2

    page = client_for(world.users["commerce"]).get(reverse("backoffice:outlet_list"))
    assert [o.open_tasks for o in page.context["page"]] == [1]
    assert "1 sản phẩm cần rút khỏi quầy" in page.content.decode()
    owner = client_for(world.users["producer"]).get(reverse("backoffice:dashboard"))
    assert owner.context["counts"]["removals"] == 1
    assert client_for(operator).get(reverse("backoffice:dashboard")).context["counts"]["removals"] == 1


def test_a_producer_counts_only_its_own_products_to_take_off_a_shelf(outlet_scene, django_capture_on_commit_callbacks):
    """Another producer's product revoked on the same shelf is the operator's task and that producer's, never the
    first producer's: its dashboard says 0, then 1 once its own product is revoked."""
    from ocop.certificates import services as certificates
    from ocop.conftest import client_for
    from ocop.outlets import stock
    from ocop.outlets.tests.conftest import certify, recognised
    from ocop.testing import make_producer, make_product

    world = outlet_scene
    (outlet,) = recognised(world)
    other = make_product(producer=make_producer(name="HTX Chè Ba Vì"), name="Chè búp Ba Vì")
    other_cert = certify(world.users["coordinator"], other)
    stock.add_stock(by=world.users["commerce"], outlet=outlet, product=other, since=dt.date(2026, 9, 1))
    owner = client_for(world.users["producer"])

    def revoke(cert):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            certificates.revoke(by=world.users["coordinator"], certificate=cert, decision_number="2/QĐ",
                                revoked_on=dt.date(2026, 11, 28), reason="Vi phạm")  # fmt: skip

    revoke(other_cert)
    assert list(outlet.removal_tasks.filter(done_at__isnull=True).values_list("product__name", flat=True)) == [
        "Chè búp Ba Vì"
    ]
    assert owner.get(reverse("backoffice:dashboard")).context["counts"]["removals"] == 0
    revoke(world.cert)
    assert owner.get(reverse("backoffice:dashboard")).context["counts"]["removals"] == 1


def test_the_inspector_finds_inspections_due_within_a_week_and_findings_past_their_deadline(team, time_machine):  # noqa: F811
    from ocop.supervision.tests.conftest import inspected, planned

    soon = planned(team, planned_on=dt.date(2026, 3, 9))  # in a week: due
    planned(team, planned_on=dt.date(2026, 3, 10))  # in eight days: not yet
    assert [(i.kind, i.title, i.url, i.since, i.detail, i.menu) for i in work_for(make_fresh(team.inspector))] == [
        ("inspection_due", "Thực hiện kiểm tra: HTX Gốm Bát Tràng",
         reverse("backoffice:inspection_detail", args=[soon.pk]), dt.date(2026, 3, 9), "dự kiến ngày 09/03/2026",
         "inspections"),
    ]  # fmt: skip
    assert work_for(make_fresh(team.stranger)) == []  # another province's inspector
    done = inspected(team, raw_materials="Không rõ nguồn gốc nguyên liệu")  # fix by 01/04/2026
    time_machine.move_to(dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC))
    items = [(i.kind, i.url, i.since, i.detail) for i in work_for(make_fresh(team.inspector))]
    assert items == [
        ("inspection_due", reverse("backoffice:inspection_detail", args=[soon.pk]), dt.date(2026, 3, 9),
         "dự kiến ngày 09/03/2026"),
        ("inspection_due", items[1][1], dt.date(2026, 3, 10), "dự kiến ngày 10/03/2026"),
        ("finding_overdue", reverse("backoffice:inspection_detail", args=[done.pk]), dt.date(2026, 4, 1),
         "hạn khắc phục 01/04/2026"),
    ]  # fmt: skip
    assert menu_counts(make_fresh(team.inspector))["inspections"] == 3


def test_a_certificate_ending_within_90_days_waits_for_its_office_commune_and_producer(team, time_machine):  # noqa: F811
    from ocop.registry.services import link_producer_account

    owner = make_user(Role.PRODUCER, username="chugom")
    link_producer_account(producer=team.office.producer, user=owner, by=team.office.coordinator)
    ends = team.cert.valid_until
    time_machine.move_to(dt.datetime.combine(ends - dt.timedelta(days=91), dt.time(9), tzinfo=dt.UTC))
    assert work_for(make_fresh(owner)) == []
    time_machine.move_to(dt.datetime.combine(ends - dt.timedelta(days=90), dt.time(9), tzinfo=dt.UTC))
    expected = WorkItem(
        "certificate_ending", "Giấy chứng nhận sắp hết hiệu lực: Bình gốm men lam",
        reverse("backoffice:certificate_detail", args=[team.cert.pk]), ends - dt.timedelta(days=90),
        f"hiệu lực đến {ends:%d/%m/%Y}", "certificates", ends,
    )  # fmt: skip
    for user in (owner, team.officer, team.office.coordinator):
        assert [i for i in work_for(make_fresh(user)) if i.kind == "certificate_ending"] == [expected]
    for user in (team.inspector, team.office.charlie):
        assert work_for(make_fresh(user)) == []


def test_the_ministry_receives_referrals_and_decides_the_central_councils_five_stars(db):
    from ocop.evaluation.testing import council_result
    from ocop.testing import make_producer, make_product, ministry_user

    coordinator = make_user(Role.PROVINCE_COORDINATOR, username="dieuphoi")
    five = make_product(producer=make_producer(name="HTX Chè Ba Vì", commune_name="Bát Tràng"), name="Chè búp Ba Vì")
    four = make_product(producer=make_producer(name="HTX Gốm", commune_name="Bát Tràng"), name="Bình gốm")
    referred = council_result(five, 5)  # the province council's 5 stars, referred to the central round
    council_result(four, 4)
    ministry = ministry_user()
    (item,) = work_for(ministry)
    assert (item.kind, item.title, item.url, item.detail, item.menu) == (
        "referral_receive", "Tiếp nhận hồ sơ đề nghị: Chè búp Ba Vì", reverse("backoffice:referrals"),
        "Thành phố Hà Nội", "rounds",
    )  # fmt: skip
    # The province drafts its decision for the 4 stars only; the referral waits for the central council.
    assert [(i.kind, i.detail) for i in work_for(coordinator)] == [("decision_draft", "1 sản phẩm")]
    council_result(five, 5, central=True)  # the central council's result, published
    assert referred.referral
    assert [(i.kind, i.title) for i in work_for(make_fresh(ministry)) if i.kind == "decision_draft"] == [
        ("decision_draft", "Dự thảo quyết định công nhận: đợt 1/2025, Bộ Nông nghiệp và Môi trường")
    ]


def test_the_commerce_officer_assesses_the_proposed_sales_points_of_its_province(outlet_scene):
    from ocop.outlets.tests.conftest import recognised, register

    proposed = register(outlet_scene.users["commerce"], name="Điểm OCOP Gia Lâm")
    recognised(outlet_scene)  # recognised: nothing more to assess
    assert [(i.kind, i.title, i.url, i.since, i.menu) for i in work_for(outlet_scene.users["commerce"])] == [
        ("outlet_assess", "Đánh giá điểm bán được đề xuất: Điểm OCOP Gia Lâm",
         reverse("backoffice:outlet_detail", args=[proposed.pk]), dt.date(2026, 11, 29), "outlets"),
    ]  # fmt: skip
    assert [i.kind for i in work_for(outlet_scene.users["coordinator"])] == ["parked_row"]  # the world's import
