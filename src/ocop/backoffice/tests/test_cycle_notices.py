"""A whole cycle through the services, producer → commune → advisory team → council → publication → decision →
certificate → suspension and revocation, with the daily watch's deadline reminder: exactly who is told what (kind,
user), once each even when a step runs again, and the e-mails the task worker sends (all but the kind a user switched
off). It lives at the top layer because the outlet stocking the product hears of it too."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ocop.accounts.models import Notification
from ocop.accounts.services import set_email_kinds_off
from ocop.certificates import jobs
from ocop.certificates import services as certificates
from ocop.certificates.notices import run_watch
from ocop.evaluation import dossiers as flow
from ocop.evaluation import notices, scoring
from ocop.evaluation.demo import FOUR_STARS
from ocop.evaluation.enums import MemberRole
from ocop.evaluation.tests.conftest import COMMUNE_LINES, scene  # noqa: F401  # the fixture
from ocop.outlets import services as outlets
from ocop.outlets import stock
from ocop.outlets.checklists import load_checklists
from ocop.outlets.tests.conftest import pass_assessment, register
from ocop.testing import NOTICE_EMAILS, make_user, run_queued_tasks, signing_keys

TZ = dt.timezone(dt.timedelta(hours=7))


def _at(day: dt.date, time_machine) -> None:
    time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=TZ))


def _told() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("user__username", "kind"))


def test_a_whole_cycle_tells_each_actor_once_in_app_and_by_email(  # one story, told in order
    scene,  # noqa: F811
    time_machine,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    from ocop.accounts.models import Role

    signing_keys("01")  # Hà Nội's key, made as an administrator does before its first decision
    capture = django_capture_on_commit_callbacks
    secretary = make_user(Role.COUNCIL_MEMBER, username="secretary")
    officer = make_user(Role.COMMERCE_OFFICER, username="commerce")
    operator = make_user(Role.OUTLET_OPERATOR, username="outlet")
    for user in (scene.owner, scene.commune, scene.coordinator, scene.members[0], secretary, operator):
        user.email = f"{user.username}@example.vn"
        user.save()
    set_email_kinds_off(user=scene.commune, kinds=["submitted"])  # the commune reads new dossiers in the app only

    # A draft dossier three days before the round's submission deadline: the daily watch reminds the producer once.
    _at(dt.date(2025, 9, 1), time_machine)
    flow.set_round_dates(by=scene.coordinator, round_=scene.round, submission_deadline=dt.date(2025, 9, 10),
                         proposal_deadline=dt.date(2025, 9, 20), council_date=dt.date(2025, 9, 25))  # fmt: skip
    dossier = flow.start_dossier(by=scene.owner, round_=scene.round, product=scene.product)
    _at(dt.date(2025, 9, 6), time_machine)
    assert run_watch().reminders == 0  # four days before: not yet
    _at(dt.date(2025, 9, 7), time_machine)
    with capture(execute=True):
        assert run_watch().reminders == 1
        assert run_watch().reminders == 0  # the watch runs twice: one reminder
    reminder = Notification.objects.get(kind="deadline_reminder")
    assert (reminder.user, reminder.key) == (scene.owner, f"deadline:{dossier.pk}:2025-09-10")
    assert reminder.title == "Hạn nộp hồ sơ sản phẩm Bánh cốm: chậm nhất ngày 10/09/2025"
    assert reminder.body.startswith("Hồ sơ đợt 1/2025 phải nộp về xã chậm nhất ngày 10/09/2025 (còn 3 ngày).")

    # Producer → commune → back to the producer with the reason → commune again → province.
    _at(dt.date(2025, 9, 8), time_machine)
    with capture(execute=True):
        flow.submit_dossier(by=scene.owner, dossier=dossier)
        notices.dossier_submitted(dossier=dossier, by=scene.owner)  # the same step told again: nothing new
        flow.return_dossier(by=scene.commune, dossier=dossier,
                            items=[{"item": "Nhãn", "reason": "Thiếu hạn sử dụng"}], note="Bổ sung trong tuần")  # fmt: skip
        flow.submit_dossier(by=scene.owner, dossier=dossier)  # a second submission: the commune checks again
        flow.check_dossier(by=scene.commune, dossier=dossier, assessment=COMMUNE_LINES, note="Đạt")
        flow.propose_dossier(by=scene.commune, dossier=dossier)
        flow.start_review(by=scene.coordinator, dossier=dossier)
        for _twice in range(2):
            flow.record_review(by=scene.coordinator, dossier=dossier, visited_on=dt.date(2025, 9, 8))
    returned = Notification.objects.get(kind="returned")
    assert (returned.user, returned.target, returned.target_id) == (scene.owner, "dossier", dossier.pk)
    assert returned.title == "Hồ sơ sản phẩm Bánh cốm bị trả lại: đề nghị bổ sung và nộp lại"
    assert returned.body.endswith("Nội dung cần bổ sung:\n- Nhãn: Thiếu hạn sử dụng\nGhi chú: Bổ sung trong tuần")
    proposed = Notification.objects.get(kind="proposed", user=scene.owner)
    assert (proposed.title, proposed.target, proposed.target_id) == (
        "Hồ sơ sản phẩm Bánh cốm đã được xã đề xuất lên tỉnh", "dossier", dossier.pk)  # fmt: skip
    assert sorted(Notification.objects.filter(kind="submitted").values_list("key", flat=True)) == [
        f"submitted:{dossier.pk}:1",
        f"submitted:{dossier.pk}:2",
    ]

    # The council: its members hear of the dossier; when every sheet is in, the office and the secretary do.
    roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR] + [MemberRole.MEMBER] * 5
    council = scoring.set_up_council(
        by=scene.coordinator, round_=scene.round, name="Hội đồng OCOP thành phố Hà Nội 2025",
        members=[*((u, r, "Sở Nông nghiệp và Môi trường") for u, r in zip(scene.members, roles, strict=True)),
                 (secretary, MemberRole.SECRETARY, "Chi cục Phát triển nông thôn")],
    )  # fmt: skip
    with capture(execute=True):
        flow.mark_ready(by=scene.coordinator, dossier=dossier)
        scoring.open_meeting(by=scene.coordinator, council=council, present=list(council.members.all()))
        for member in scene.members:
            scoring.submit_sheet(by=member, dossier=dossier, choices=FOUR_STARS)
        assert scoring.publish_results(by=scene.coordinator, council=council) == 1
        assert scoring.publish_results(by=scene.coordinator, council=council) == 0  # published once
    sent = Notification.objects.get(kind="sent_to_council", user=scene.owner)
    assert sent.title == "Hồ sơ sản phẩm Bánh cốm đã được chuyển hội đồng đánh giá"
    assert sent.body.endswith("Chủ thể sẽ được thông báo khi kết quả được công bố.")
    published = Notification.objects.get(kind="result_published")
    assert (published.user, published.target, published.target_id) == (scene.owner, "star_path", dossier.pk)
    assert published.title == "Bánh cốm: công bố kết quả đạt OCOP 4 sao"
    assert published.body.startswith("Hội đồng chấm sản phẩm Bánh cốm đạt 82,00 điểm: 4 sao.\nĐể đạt 5 sao: cần thêm ")
    assert "Các tiêu chí có thể cải thiện nhiều điểm nhất: C8 " in published.body

    # The decision, the certificate's PDF (made on the worker), then a suspension and a revocation.
    load_checklists()
    outlet = register(officer)
    outlets.add_operator_member(by=officer, operator=outlet.operator, user=operator)
    pass_assessment(officer, outlet)
    outlets.recognise(by=officer, outlet=outlet, number="12/QĐ-SCT", signed_on=dt.date(2025, 9, 8))
    with capture(execute=True):
        decision = certificates.draft_from_round(by=scene.coordinator, round_=scene.round)
        (cert,) = certificates.issue_decision(by=scene.coordinator, decision=decision, number="125/QĐ-UBND",
                                              signed_on=dt.date(2025, 9, 8))  # fmt: skip
        stock.add_stock(by=operator, outlet=outlet, product=scene.product)
    for _twice in range(2):  # a second batch makes no PDF and tells no one again
        with capture(execute=True):
            jobs.start_pdf_batch(by=scene.coordinator, decision=decision)
        with capture(execute=True):  # the batch's task is queued once the request's transaction commits
            assert run_queued_tasks("ocop.certificates.jobs.make_pdfs") == 1
    with capture(execute=True):  # each step commits before the next, as each request does
        certificates.suspend(by=scene.coordinator, certificate=cert, reason="Kiểm tra nhãn")
    with capture(execute=True):
        certificates.lift(by=scene.coordinator, certificate=cert)
    with capture(execute=True):
        certificates.revoke(by=scene.coordinator, certificate=cert, decision_number="99/QĐ-UBND",
                            revoked_on=dt.date(2025, 9, 8), reason="Vi phạm ghi nhãn")  # fmt: skip
    ready = Notification.objects.get(kind="certificate_ready")
    assert (ready.user, ready.target, ready.target_id) == (scene.owner, "certificate_pdf", cert.pk)
    assert ready.title == f"Giấy chứng nhận OCOP số {cert.number} của sản phẩm Bánh cốm đã sẵn sàng"

    members = [(f"member{i}", "sent_to_council") for i in range(7)]
    assert _told() == sorted([
        ("communeofficer", "decision_issued"),
        ("communeofficer", "revoked"),
        ("communeofficer", "submitted"),
        ("communeofficer", "submitted"),
        ("communeofficer", "suspended"),
        ("coordinator", "proposed"),
        ("coordinator", "scoring_complete"),
        *members,
        ("outlet", "removal_task"),  # suspended: off the shelf
        ("outlet", "removal_task"),  # lifted, then revoked: off the shelf again
        ("owner", "certificate_ready"),
        ("owner", "deadline_reminder"),
        ("owner", "decision_issued"),
        ("owner", "proposed"),
        ("owner", "result_published"),
        ("owner", "returned"),
        ("owner", "revoked"),
        ("owner", "sent_to_council"),
        ("owner", "suspended"),
        ("secretary", "scoring_complete"),
        ("secretary", "sent_to_council"),
    ])  # fmt: skip

    # The e-mails: none until the worker runs; then one per notice of each user with an address, but the commune's
    # "submitted" notices, a kind it switched off.
    assert mailoutbox == []
    run_queued_tasks(NOTICE_EMAILS)
    emailed = sorted((m.to[0], m.subject) for m in mailoutbox)
    expected = sorted(
        (n.user.email, n.title)
        for n in Notification.objects.select_related("user")
        if n.user.email and (n.user, n.kind) != (scene.commune, "submitted")
    )
    assert emailed == expected
    assert len(emailed) == 19  # owner 9, commune 3 of 5, coordinator 2, secretary 2, outlet 2, chair 1
    assert [m.to for m in mailoutbox if "Hồ sơ sản phẩm Bánh cốm đã nộp" in m.subject] == []
    pdf_mail = next(m for m in mailoutbox if m.subject == ready.title)
    pdf_url = reverse("backoffice:certificate_pdf", args=[cert.pk])
    assert f"Xem trên OCOP Hub: http://127.0.0.1:8000{pdf_url}" in pdf_mail.body
    assert f"http://127.0.0.1:8000{reverse('backoffice:notification_list')}" in pdf_mail.body
