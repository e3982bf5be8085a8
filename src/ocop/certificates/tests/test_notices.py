import datetime as dt
import io

from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from ocop.accounts.links import link_to
from ocop.accounts.models import Notification, Role
from ocop.accounts.services import system_user
from ocop.certificates import notices
from ocop.certificates.enums import Status
from ocop.certificates.models import DocumentNotice, ExpiryNotice
from ocop.certificates.notices import run_watch, send_expiry_notices
from ocop.certificates.queries import scan_row
from ocop.certificates.tests.conftest import issue
from ocop.registry import services as registry_services
from ocop.testing import NOTICE_EMAILS, make_document, make_product, make_user, run_queued_tasks


def test_producers_and_communes_hear_of_a_coming_expiry_once(
    office, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    owner = make_user(Role.PRODUCER, username="chuthe")
    owner.email = "chuthe@example.vn"
    owner.save()
    registry_services.link_producer_account(producer=office.producer, user=owner, by=system_user())
    officer = make_user(Role.COMMUNE_OFFICER, username="canboxa", communes=("Bát Tràng",))
    officer.email = "xa@example.vn"
    officer.save()
    soon = issue(office, on=dt.date(2023, 4, 1))  # ends 1/4/2026: 81 days left
    issue(office, product=make_product(producer=office.producer), on=dt.date(2023, 5, 1))  # 111 days left
    with django_capture_on_commit_callbacks(execute=True):
        assert send_expiry_notices() == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["chuthe@example.vn", "xa@example.vn"], "Giấy chứng nhận OCOP 01-2023-00001 hết hạn ngày 01/04/2026")
    ]
    assert "Bình gốm men lam" in mailoutbox[0].body
    assert ExpiryNotice.objects.get().certificate == soon
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_expiring")
    assert len(mailoutbox) == 1  # once per certificate


def _watch(capture) -> tuple[int, int]:
    with capture(execute=True):
        result = run_watch()
    return result.certificates, result.documents


def test_the_watch_notices_at_90_60_and_30_days_once_each_with_the_written_notice(
    office, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    owner = make_user(Role.PRODUCER, username="chuthe")
    owner.email = "chuthe@example.vn"
    owner.save()
    registry_services.link_producer_account(producer=office.producer, user=owner, by=system_user())
    time_machine.move_to(dt.datetime(2023, 4, 1, 9, tzinfo=dt.UTC))
    cert = issue(office, on=dt.date(2023, 4, 1))  # valid until 1/4/2026
    seen = []
    for day, stage in ((dt.date(2025, 12, 31), None), (dt.date(2026, 1, 1), 90), (dt.date(2026, 1, 31), 60),
                       (dt.date(2026, 2, 20), None), (dt.date(2026, 3, 2), 30), (dt.date(2026, 4, 2), None)):  # fmt: skip
        time_machine.move_to(dt.datetime.combine(day, dt.time(1), tzinfo=dt.UTC))
        assert _watch(django_capture_on_commit_callbacks) == ((1, 0) if stage else (0, 0))
        assert _watch(django_capture_on_commit_callbacks) == (0, 0)  # a second run the same day sends nothing
        seen.append(sorted(ExpiryNotice.objects.values_list("days_before", flat=True)))
    assert seen[-1] == [30, 60, 90]
    assert [len(m.attachments) for m in mailoutbox] == [0, 1, 0]
    assert [m.to for m in mailoutbox] == [["chuthe@example.vn"]] * 3
    notes = (
        Notification.objects.filter(user=owner, kind="expiry")
        .order_by("created_at")
        .values_list("key", "title", "target", "target_id")
    )
    url = reverse("backoffice:dossier_start", args=[cert.product_id]) + "?kind=rerecognition"
    title = f"Giấy chứng nhận OCOP {cert.number} hết hạn ngày 01/04/2026"
    assert list(notes) == [(f"expiry:{cert.pk}:{d}", title, "rerecognition", cert.product_id) for d in (90, 60, 30)]
    assert link_to("rerecognition", cert.product_id) == url
    assert mailoutbox[0].body.endswith("\n\nhttp://127.0.0.1:8000" + url)  # the e-mail's link to the dossier
    assert mailoutbox[1].body.startswith(
        f"Giấy chứng nhận OCOP {cert.number} của sản phẩm Bình gốm men lam (4 sao) hết hạn ngày 01/04/2026, còn "
        "60 ngày."
    )
    name, data, mime = mailoutbox[1].attachments[0]
    assert (name, mime) == (f"thong-bao-{cert.number}.pdf", "application/pdf")
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "THÔNG BÁO" in text
    assert f"Số giấy chứng nhận {cert.number}" in text
    assert "sẽ hết hiệu lực sau 60 ngày" in text
    assert "Hiệu lực đến hết ngày 01/04/2026" in text
    assert ExpiryNotice.objects.get(days_before=60).pdf.read() == data
    time_machine.move_to(dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC))
    assert scan_row(cert.code)["status"] == Status.EXPIRED  # expired on the day, without anyone acting


def test_a_certificate_first_seen_late_gets_one_notice_with_the_written_notice(
    office, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 3, 12, 9, tzinfo=dt.UTC))
    issue(office, on=dt.date(2023, 4, 1))  # 20 days left
    assert _watch(django_capture_on_commit_callbacks) == (1, 0)
    notice = ExpiryNotice.objects.get()
    assert (notice.days_before, bool(notice.pdf)) == (30, True)
    assert mailoutbox == []  # nobody with an e-mail address: the in-app notice and the PDF stay


def test_vault_documents_about_to_lapse_are_noticed_once_per_window(
    office, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    owner = make_user(Role.PRODUCER, username="chuthe")
    registry_services.link_producer_account(producer=office.producer, user=owner, by=system_user())
    office.producer.email = "htx@example.vn"
    office.producer.save()
    doc = make_document(producer=office.producer, number="12/ATTP", expires_on=dt.date(2026, 3, 27))
    make_document(producer=office.producer, number="13/ATTP", expires_on=dt.date(2026, 9, 1))  # too far
    assert _watch(django_capture_on_commit_callbacks) == (0, 1)
    assert _watch(django_capture_on_commit_callbacks) == (0, 0)
    assert list(DocumentNotice.objects.values_list("document_id", "days_before")) == [(doc.pk, 30)]
    note = Notification.objects.get(user=owner)
    assert note.title == f"“{doc}” của HTX Gốm Bát Tràng hết hạn ngày 27/03/2026"
    assert (note.kind, mailoutbox) == ("document_expiry", [])  # the task worker sends the e-mail
    assert run_queued_tasks(NOTICE_EMAILS) == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [(["htx@example.vn"], note.title)]
    assert f"http://127.0.0.1:8000/bo/documents/{doc.pk}/" in mailoutbox[0].body


def test_a_refusing_mail_server_keeps_the_notices(
    office, time_machine, caplog, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(notices, "get_connection", RefusingBackend)  # the mail server is the outside world
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    office.producer.email = "htx@example.vn"
    office.producer.save()
    issue(office, on=dt.date(2023, 4, 1))
    assert _watch(django_capture_on_commit_callbacks) == (1, 0)
    assert ExpiryNotice.objects.count() == 1
    assert "expiry notices: 1 e-mails not sent" in caplog.text


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server refuses")
