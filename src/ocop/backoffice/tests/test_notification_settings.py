"""The notifications page's e-mail settings: one checkbox per kind of notice, through a form; a cleared box stops that
kind's e-mails (the in-app notice stays), and the task worker leaves that user out."""

from django.urls import reverse

from ocop.accounts.models import EmailOptOut, NoticeKind, Notification, Role, Target, kind_of
from ocop.accounts.services import notify
from ocop.backoffice.links import url_of
from ocop.backoffice.notice_forms import EmailKindsForm, kinds_for
from ocop.conftest import client_for
from ocop.testing import NOTICE_EMAILS, make_user, run_queued_tasks


def _ticked(page: str) -> set[str]:
    return {k for k in NoticeKind.values if f'name="email-{k}" id="id_email-{k}" checked' in page}


def test_every_kind_has_a_checkbox_and_a_cleared_one_switches_its_email_off(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user(Role.PRODUCER, username="chuthe")
    user.email = "chuthe@example.vn"
    user.save()
    client = client_for(user)
    url = reverse("backoffice:notification_list")
    page = client.get(url).content.decode()
    offered = {k.value for k in kinds_for(user)}  # an account without a role yet: every kind
    assert _ticked(page) == offered == set(NoticeKind.values)
    assert "Nhận thư điện tử khi có" in page and "Hồ sơ bị trả lại để bổ sung" in page
    kept = {k: "on" for k in offered if k not in ("returned", "deadline_reminder")}
    response = client.post(url, {f"email-{k}": v for k, v in kept.items()})
    assert response.status_code == 302 and response["Location"] == url
    assert sorted(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True)) == [
        "deadline_reminder",
        "returned",
    ]
    assert _ticked(client.get(url).content.decode()) == offered - {"returned", "deadline_reminder"}
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], key="returned:1:1", title="Hồ sơ bị trả lại", target="dossier", target_id=1)
        notify([user], key="submitted:1:1", title="Hồ sơ đã nộp", target="dossier", target_id=1)
    assert run_queued_tasks(NOTICE_EMAILS) == 2
    assert [m.subject for m in mailoutbox] == ["Hồ sơ đã nộp"]  # the returned one stays in the app only
    assert list(Notification.objects.filter(user=user).values_list("kind", flat=True).order_by("id")) == [
        "returned",
        "submitted",
    ]
    client.post(url, {f"email-{k}": "on" for k in NoticeKind.values})  # all back on
    assert not EmailOptOut.objects.filter(user=user).exists()


def test_the_form_names_kinds_only_from_the_enumeration():
    form = EmailKindsForm({"email-returned": "on", "email-nonsense": "on"}, off=set())
    assert form.is_valid()
    assert form.kinds_off() == set(NoticeKind.values) - {"returned"}


def test_every_notice_target_leads_to_a_page_and_every_key_names_its_kind():
    assert {t: bool(url_of(t, 7)) for t in Target.values} == dict.fromkeys(Target.values, True)
    assert [url_of(t, 7) for t in ("star_path", "certificate_pdf", "outlet", "notifications")] == [
        "/bo/dossiers/7/path/",
        "/bo/certificates/7/certificate.pdf",
        "/bo/outlets/7/",
        "/bo/notifications/",
    ]
    keys = ["submitted:1:2", "spread-chair:1:2", "document:3:30", "removal:4:5", "deadline:1:2025-09-10", "x:1"]
    assert [kind_of(k) for k in keys] == [
        "submitted",
        "spread_review",
        "document_expiry",
        "removal_task",
        "deadline_reminder",
        "other",
    ]
