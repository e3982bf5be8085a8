import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.accounts.models import Notification
from ocop.certificates import services as certificates
from ocop.outlets import queries, services, stock
from ocop.outlets.models import RemovalTask, StockItem
from ocop.outlets.tests.conftest import certify, pass_assessment
from ocop.registry.models import ProductPack
from ocop.testing import NOTICE_EMAILS, make_product, run_queued_tasks


@pytest.fixture
def stocked(shop):
    pass_assessment(shop.officer, shop.outlet)
    services.recognise(by=shop.officer, outlet=shop.outlet, number="12/QĐ-SCT", signed_on=dt.date(2026, 11, 1))
    item = stock.add_stock(by=shop.operator, outlet=shop.outlet, product=shop.product, packs=[shop.pack])
    stock.add_stock(by=shop.operator, outlet=shop.outlet, label="Rau an toàn")
    return item


def stocking(product_id):
    return [r["code"] for r in queries.locate(queries.Locator(product_id=product_id))]


def test_the_operator_stocks_certified_products_and_the_share_is_computed(shop, stocked):
    assert [p.pk for p in stocked.packs.all()] == [shop.pack.pk]
    assert queries.share_of(shop.outlet) == Decimal("50.0")
    assert stocking(shop.product.pk) == [shop.outlet.code]
    assert queries.stockist_counts([shop.product.pk]) == {shop.product.pk: 1}


def test_a_product_without_a_valid_certificate_cannot_be_stocked_as_ocop_goods(shop):
    before = StockItem.objects.count()
    with pytest.raises(ValidationError) as caught:
        stock.add_stock(by=shop.operator, outlet=shop.outlet, product=shop.plain)
    assert caught.value.message_dict == {
        "product": [
            "“Đĩa gốm chưa chứng nhận” hôm nay không có giấy chứng nhận OCOP còn hiệu lực, không được bày bán như hàng OCOP."
        ]
    }
    assert StockItem.objects.count() == before


def test_an_expired_product_cannot_be_added(shop, time_machine):
    time_machine.move_to(dt.datetime(2028, 11, 21, 9, tzinfo=dt.UTC))  # the day after the last valid day
    with pytest.raises(ValidationError) as caught:
        stock.add_stock(by=shop.operator, outlet=shop.outlet, product=shop.product)
    assert list(caught.value.message_dict) == ["product"]


def test_the_same_product_twice_and_strangers_packs_are_refused(shop, stocked):
    with pytest.raises(ValidationError) as caught:
        stock.add_stock(by=shop.operator, outlet=shop.outlet, product=shop.product)
    assert caught.value.message_dict == {"product": ["“Bình gốm men lam” đã có trên quầy của điểm bán này."]}
    other = make_product(producer=shop.product.producer, name="Chén gốm")
    certify(shop.coordinator, other)
    stranger = ProductPack.objects.create(product=shop.plain, name="Hộp")
    with pytest.raises(ValidationError) as caught:
        stock.add_stock(by=shop.operator, outlet=shop.outlet, product=other, packs=[stranger])
    assert caught.value.message_dict == {"packs": ["Chỉ chọn quy cách đóng gói của sản phẩm này."]}
    with pytest.raises(PermissionDenied):
        stock.add_stock(by=shop.charlie, outlet=shop.outlet, product=other)


def test_revoking_a_certificate_puts_a_removal_task_on_every_shelf_at_once(
    shop, stocked, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificates.revoke(
            by=shop.coordinator, certificate=shop.certificate, decision_number="99/QĐ-UBND",
            revoked_on=dt.date(2026, 11, 28), reason="Vi phạm ghi nhãn",
        )  # fmt: skip
    task = RemovalTask.objects.get()
    assert (task.outlet_id, task.stock_id, task.reason, task.certificate_id, task.done_at) == (
        shop.outlet.pk, stocked.pk, "revoked", shop.certificate.pk, None,
    )  # fmt: skip
    assert stocking(shop.product.pk) == []
    assert queries.share_of(shop.outlet) == Decimal("0.0")
    assert (Notification.objects.get(user=shop.operator).kind, mailoutbox) == ("removal_task", [])
    assert run_queued_tasks(NOTICE_EMAILS) == 1  # the notice's e-mail, sent by the task worker
    assert [m.to for m in mailoutbox] == [["outlet@example.vn"]]
    assert mailoutbox[0].subject == "OCOP Hub: rút sản phẩm khỏi quầy OCOP (Điểm OCOP Bát Tràng)"
    assert "- Bình gốm men lam: giấy chứng nhận bị thu hồi" in mailoutbox[0].body
    stock.remove_stock(by=shop.operator, item=stocked, reason="Đã rút")
    task.refresh_from_db()
    assert (task.outcome, task.done_by) == ("removed", shop.operator)


def test_a_lifted_suspension_closes_the_task_and_the_product_is_back(shop, stocked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificates.suspend(by=shop.coordinator, certificate=shop.certificate, reason="Kiểm tra nhãn")
    assert RemovalTask.objects.get().reason == "suspended"
    assert stocking(shop.product.pk) == []
    with django_capture_on_commit_callbacks(execute=True):
        certificates.lift(by=shop.coordinator, certificate=shop.certificate, note="Đã khắc phục")
    assert RemovalTask.objects.get().outcome == "reinstated"
    assert stocking(shop.product.pk) == [shop.outlet.code]


def test_expiry_needs_no_event_the_daily_sweep_raises_the_task_once(
    shop, stocked, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    time_machine.move_to(dt.datetime(2028, 11, 20, 9, tzinfo=dt.UTC))  # the last valid day
    assert stock.sweep() == 0
    assert stocking(shop.product.pk) == [shop.outlet.code]
    time_machine.move_to(dt.datetime(2028, 11, 21, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    assert stocking(shop.product.pk) == []  # the map stops listing it at midnight, before any task runs
    with django_capture_on_commit_callbacks(execute=True):
        assert stock.sweep() == 1
        assert stock.sweep() == 0
    assert RemovalTask.objects.get().reason == "expired"
    assert run_queued_tasks(NOTICE_EMAILS) == 1
    assert len(mailoutbox) == 1


def test_a_refusing_mail_server_does_not_undo_the_revocation_or_the_task(
    shop, stocked, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    import smtplib
    from types import SimpleNamespace

    from ocop.accounts import mail

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection refused")

    # the mail server is the outside world
    monkeypatch.setattr(mail, "mailers", SimpleNamespace(default=SimpleNamespace(send_messages=refuse)))
    with django_capture_on_commit_callbacks(execute=True):
        certificates.suspend(by=shop.coordinator, certificate=shop.certificate, reason="Kiểm tra nhãn")
    with pytest.raises(AssertionError, match="SMTPServerDisconnected"):
        run_queued_tasks(NOTICE_EMAILS)  # the e-mail task fails, visibly, and can be run again
    assert RemovalTask.objects.get().reason == "suspended"
    assert Notification.objects.filter(user=shop.operator, kind="removal_task").count() == 1
    assert "notice e-mails (removal_task) not sent to 1 address(es)" in caplog.text
