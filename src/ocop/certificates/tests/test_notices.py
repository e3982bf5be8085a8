import datetime as dt

from django.core.management import call_command

from ocop.accounts.models import Role
from ocop.certificates.models import ExpiryNotice
from ocop.certificates.notices import send_expiry_notices
from ocop.certificates.tests.conftest import issue
from ocop.registry import services as registry_services
from ocop.testing import make_product, make_user


def test_producers_and_communes_hear_of_a_coming_expiry_once(
    office, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC))
    owner = make_user(Role.PRODUCER, username="chuthe")
    owner.email = "chuthe@example.vn"
    owner.save()
    registry_services.link_producer_account(producer=office.producer, user=owner, by=None)
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
