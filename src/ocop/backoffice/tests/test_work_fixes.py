"""Issue 16's tester's defects in the work queue, the menu and the notices: a grouped source counts once; a re-score
says so; the central level's own menu and home; the unread notices' spoken badge; reading the notices page changes
nothing; dates worded by kind; the homes without registry figures; the e-mail settings by role, without colons."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ocop.accounts.models import Notification, Role
from ocop.backoffice.menu import menu_for
from ocop.backoffice.notice_forms import kinds_for
from ocop.backoffice.work import WorkItem, menu_counts, work_for, work_total
from ocop.conftest import client_for
from ocop.evaluation.models import ScoreSheet
from ocop.evaluation.tests.conftest import council_of, ready_dossier, scene  # noqa: F401
from ocop.evaluation.tests.test_spread import _sheets as sheets_of
from ocop.evaluation.tests.test_spread import all_submit
from ocop.registry.importing import Plan
from ocop.registry.parking import park_rows
from ocop.testing import make_user, ministry_user


def fresh(user):  # type: ignore[no-untyped-def]
    return type(user).objects.get(pk=user.pk)


def test_parked_rows_are_one_item_in_the_total_the_heading_and_the_menu(world):
    coordinator = world.users["coordinator"]
    park_rows(
        kind="producers",
        plans=[Plan(row=n, action="review", cells={"Tên chủ thể": f"HTX Chờ {n}"}, reason="similar",
                    province_id=world.producer.province_id, commune_id=world.producer.commune_id) for n in (3, 4)],
        by=coordinator,
    )  # fmt: skip
    user = fresh(coordinator)
    assert [i.title for i in work_for(user)] == ["Xem xét 3 dòng nhập đang chờ xử lý"]
    assert work_total(user) == 1 and menu_counts(user) == {"producers": 1}
    page = client_for(coordinator).get(reverse("backoffice:dashboard"))
    assert page.context["more_work"] == 0
    html = page.content.decode()
    assert 'Việc cần làm <span class="menu-count">1</span>' in html and "việc khác" not in html


def test_a_member_asked_to_score_again_reads_a_re_score(scene):  # noqa: F811
    dossier = ready_dossier(scene)
    council_of(scene)
    all_submit(scene, dossier, sheets_of(scene))  # the totals are too far apart: a spread review reopens sheets
    again = ScoreSheet.objects.filter(dossier=dossier, revision=2).select_related("member__user")
    assert again.exists()
    (item,) = work_for(fresh(again[0].member.user))
    assert (item.kind, item.title, item.detail) == (
        "dossier_score", f"Chấm lại hồ sơ: {dossier.product.name}", "chênh lệch điểm, lần chấm thứ 2"
    )  # fmt: skip


def test_dates_are_worded_by_kind(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC))
    since = WorkItem("x", "X", "/", dt.date(2026, 11, 30))
    assert since.when == "từ 30/11/2026"
    due = dt.date(2026, 12, 8)
    assert WorkItem("x", "X", "/", due, due=due).when == "còn 4 ngày"
    assert WorkItem("x", "X", "/", due, due=dt.date(2026, 12, 4)).when == "đến hạn hôm nay"
    assert WorkItem("x", "X", "/", due, due=dt.date(2026, 12, 1)).when == "quá hạn 3 ngày"


def test_the_ministry_has_its_own_menu_and_home_and_every_link_answers(world):
    ministry = ministry_user()
    client = client_for(ministry)
    page = client.get(reverse("backoffice:dashboard"))
    links = page.context["back_office_menu"]
    assert [link.key for link in links] == ["dashboard", "dossiers", "rounds", "criteria", "certificates",
                                            "issuing_body", "notifications", "api_tokens", "webhooks"]  # fmt: skip
    for link in links:
        assert client.get(link.url).status_code == 200, link.url
    html = page.content.decode()
    for absent in ('data-count="producers"', "Đăng ký sản phẩm", "Đăng ký chủ thể", 'id="overview"'):
        assert absent not in html, absent
    assert '<span class="badge">Cán bộ điều phối OCOP cấp tỉnh · Bộ Nông nghiệp và Môi trường</span>' in html
    # A member of the ministry's council: the central level's entries it reaches, each answering.
    from ocop.accounts.services import grant_role
    from ocop.places.queries import central_level

    member = make_user(None, username="tw9")
    grant_role(user=member, role=Role.COUNCIL_MEMBER, province=central_level())
    member_client = client_for(member)
    links = member_client.get(reverse("backoffice:dashboard")).context["back_office_menu"]
    assert [link.key for link in links] == ["dashboard", "dossiers", "rounds", "criteria", "notifications"]
    assert [member_client.get(link.url).status_code for link in links] == [200] * 5
    # A province coordinator keeps the whole menu.
    assert len(menu_for(world.users["coordinator"])) == 16


def test_homes_without_figures_open_on_the_work_then_the_role(world):
    for user in (world.users["council"], make_user(Role.INSPECTOR, username="inspector")):
        html = client_for(user).get(reverse("backoffice:dashboard")).content.decode()
        assert 'id="overview"' not in html and "Tổng quan</h2>" not in html
        assert html.index("Việc cần làm</h1>") < html.index('<p class="roles">') < html.index('id="work-empty"')
    coordinator = client_for(world.users["coordinator"]).get(reverse("backoffice:dashboard")).content.decode()
    assert '<h2 id="overview">Tổng quan</h2>' in coordinator


def test_the_notices_page_marks_read_only_on_request_and_the_badge_speaks_of_notices(world):
    user = world.users["producer"]
    for n in range(2):
        Notification.objects.create(user=user, key=f"x:{n}", title=f"Thông báo {n}", target="document",
                                    target_id=world.document.pk)  # fmt: skip
    client = client_for(user)
    url = reverse("backoffice:notification_list")
    page = client.get(url).content.decode()
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 2  # a GET changes nothing
    assert page.count('<li class="unread">') == 2 and 'name="read_all"' in page
    assert '<span class="visually-hidden">(2 thông báo chưa đọc)</span>' in page
    first = Notification.objects.get(key="x:0")
    opened = client.post(reverse("backoffice:notification_open", args=[first.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("backoffice:document_detail",
                                                                     args=[world.document.pk])  # fmt: skip
    assert list(Notification.objects.filter(user=user, read_at__isnull=True).values_list("key", flat=True)) == ["x:1"]
    assert client.post(url, {"read_all": "1"})["Location"] == url
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    page = client.get(url).content.decode()
    assert '<li class="unread">' not in page and 'name="read_all"' not in page
    assert f'<a href="{reverse("backoffice:document_detail", args=[world.document.pk])}">Thông báo 0</a>' in page


def test_email_settings_offer_the_kinds_of_the_roles_without_colons(world):
    producer = world.users["producer"]
    assert [k.value for k in kinds_for(producer)] == [
        "returned", "result_published", "decision_issued", "certificate_ready", "suspended", "revoked",
        "deadline_reminder", "expiry", "document_expiry", "removal_task", "rename", "inspection", "findings",
        "sanction", "other",
    ]  # fmt: skip
    assert [k.value for k in kinds_for(world.users["council"])] == [
        "sent_to_council", "scoring_complete", "spread_review", "other"
    ]  # fmt: skip
    assert len(kinds_for(world.users["admin"])) == len(kinds_for(make_user(None))) == 21
    page = client_for(producer).get(reverse("backoffice:notification_list")).content.decode()
    assert '<label for="id_email-returned">Hồ sơ bị trả lại để bổ sung</label>' in page
    assert "email-spread_review" not in page and "email-central_round" not in page
    # A kind not offered keeps its setting when the others are saved.
    from ocop.accounts.services import email_kinds_off, set_email_kinds_off

    set_email_kinds_off(user=producer, kinds=["spread_review"])
    client_for(producer).post(reverse("backoffice:notification_list"), {"email-returned": "on"})
    off = email_kinds_off(producer)
    assert "spread_review" in off and "returned" not in off and "other" in off
