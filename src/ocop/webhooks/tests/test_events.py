"""Which events happen (from the lower apps' signals and the daily sweep) and who receives them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from ocop.accounts.models import Role
from ocop.certificates import services as certificates
from ocop.outlets import services as outlets
from ocop.outlets.tests.conftest import pass_assessment, register
from ocop.registry import services as registry
from ocop.testing import make_product, make_user, ministry_user
from ocop.webhooks import events, services
from ocop.webhooks.models import Delivery, Event
from ocop.webhooks.tests.conftest import issue

NOW = dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)
ALL = ["certificate.issued", "certificate.suspended", "certificate.lifted", "certificate.revoked",
       "certificate.superseded", "certificate.expiring", "product.renamed", "outlet.recognised", "outlet.withdrawn"]  # fmt: skip


@pytest.fixture
def subscribers(office, receiver, time_machine):
    """Subscriptions to every event: Hà Nội's coordinator, Hải Phòng's (the outsider), the ministry, a sales point
    operator (a shop chain), a commune officer of Bát Tràng and one of another commune."""
    time_machine.move_to(NOW, tick=False)
    users = {
        "hanoi": office.coordinator,
        "haiphong": office.charlie,
        "ministry": ministry_user(),
        "chain": make_user(Role.OUTLET_OPERATOR, username="chain"),
        "batrang": make_user(Role.COMMUNE_OFFICER, username="batrang", communes=("Bát Tràng",)),
        "other_commune": make_user(Role.COMMUNE_OFFICER, username="giadinh", communes=("Gia Lâm",)),
    }
    for name, user in users.items():
        services.create_subscription(by=user, name=name, url=receiver.url, events=ALL)
    return users


def received() -> list[tuple[str, str]]:
    return sorted(Delivery.objects.values_list("subscription__name", "event__type"))


def test_who_may_subscribe(office, receiver):
    for user in (make_user(Role.PRODUCER), make_user(Role.COUNCIL_MEMBER), make_user(None)):
        with pytest.raises(PermissionDenied):
            services.create_subscription(by=user, name="x", url=receiver.url, events=["certificate.issued"])
    assert services.create_subscription(
        by=make_user(Role.INSPECTOR), name="x", url=receiver.url, events=["certificate.issued"]
    ).events == ["certificate.issued"]


def test_the_scope_of_a_suspension(subscribers, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cert = issue(office)
    assert received() == [("batrang", "certificate.issued"), ("chain", "certificate.issued"),
                          ("hanoi", "certificate.issued"), ("ministry", "certificate.issued")]  # fmt: skip
    Delivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):  # each service commits on its own
        certificates.suspend(by=office.coordinator, certificate=cert, reason="Vi phạm")
    with django_capture_on_commit_callbacks(execute=True):
        certificates.lift(by=office.coordinator, certificate=cert)
    with django_capture_on_commit_callbacks(execute=True):
        certificates.revoke(by=office.coordinator, certificate=cert, decision_number="9/QĐ",
                            revoked_on=dt.date(2026, 3, 1), reason="Gian lận")  # fmt: skip
    types = ["certificate.lifted", "certificate.revoked", "certificate.suspended"]
    assert received() == [(who, t) for who in ("batrang", "chain", "hanoi", "ministry") for t in types]
    assert list(Event.objects.order_by("id").values_list("type", "data__certificate__status")) == [
        ("certificate.issued", "valid"), ("certificate.suspended", "suspended"), ("certificate.lifted", "valid"),
        ("certificate.revoked", "revoked"),
    ]  # fmt: skip


def test_a_new_decision_supersedes_the_old_certificate(subscribers, office, django_capture_on_commit_callbacks):
    old = issue(office, on=dt.date(2025, 11, 20))  # not announced (nothing committed in this test yet)
    with django_capture_on_commit_callbacks(execute=True):
        new = issue(office, on=dt.date(2026, 2, 1), number="77/QĐ-UBND")
    told = list(Event.objects.order_by("type").values_list("type", "subject_id", "data__certificate__superseded_by"))
    assert told == [("certificate.issued", new.pk, None), ("certificate.superseded", old.pk, new.number)]


def test_a_product_renamed(subscribers, office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registry.update_product(product=office.product, by=office.coordinator, name="Bình gốm men lam cổ")
    event = Event.objects.get()
    assert (event.type, event.data["product"]) == ("product.renamed", {"id": office.product.pk,
                                                                       "name": "Bình gốm men lam cổ"})  # fmt: skip
    assert sorted({n for n, _t in received()}) == ["batrang", "chain", "hanoi", "ministry"]


def test_a_sales_point_recognised_then_withdrawn_once_each(subscribers, office, django_capture_on_commit_callbacks):
    from ocop.outlets.checklists import load_checklists

    load_checklists()
    commerce = make_user(Role.COMMERCE_OFFICER, username="commerce")
    with django_capture_on_commit_callbacks(execute=True):
        outlet = register(commerce)
        pass_assessment(commerce, outlet)
    assert Event.objects.count() == 0  # registered, assessed: not recognised yet
    with django_capture_on_commit_callbacks(execute=True):
        outlets.recognise(by=commerce, outlet=outlet, number="5/QĐ", signed_on=dt.date(2026, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        outlets.update_outlet(by=commerce, outlet=outlet, phone="0912345678")  # a change, not news
    with django_capture_on_commit_callbacks(execute=True):
        outlets.suspend_outlet(by=commerce, outlet=outlet, reason="Bán hàng không rõ nguồn gốc")
    with django_capture_on_commit_callbacks(execute=True):
        outlets.close_outlet(by=commerce, outlet=outlet, reason="Đóng cửa")  # withdrawn already
    assert list(Event.objects.order_by("id").values_list("type", "data__outlet__status")) == [
        ("outlet.recognised", "recognised"), ("outlet.withdrawn", "suspended")]  # fmt: skip
    assert sorted({n for n, _t in received()}) == ["batrang", "chain", "hanoi", "ministry"]


def test_the_30_days_notice_is_sent_once_per_certificate(subscribers, office, time_machine):
    cert = issue(office)  # valid until 20/11/2028
    other = issue(office, product=make_product(producer=office.producer), on=dt.date(2025, 12, 20))
    time_machine.move_to(dt.datetime(2028, 10, 20, 17, 1, tzinfo=dt.UTC), tick=False)  # 21/10 00:01 in Hà Nội
    assert events.sweep_expiring() == 1
    event = Event.objects.get()
    assert (event.type, event.subject_id, event.key, event.data["days_left"]) == (
        "certificate.expiring",
        cert.pk,
        f"certificate.expiring:{cert.pk}",
        30,
    )
    assert events.sweep_expiring() == 0  # never twice
    call_command("webhooks_sweep", stdout=__import__("io").StringIO())
    assert Event.objects.count() == 1
    time_machine.move_to(dt.datetime(2028, 11, 19, 17, 1, tzinfo=dt.UTC), tick=False)
    assert events.sweep_expiring() == 1  # the other one, now 30 days from its end
    assert sorted(Event.objects.values_list("subject_id", flat=True)) == sorted([cert.pk, other.pk])
    assert Delivery.objects.filter(subscription__name="haiphong").count() == 0
    assert Delivery.objects.filter(subscription__name="chain").count() == 2


def test_the_sweep_runs_at_each_midnight_on_the_worker(subscribers, time_machine, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from ocop.testing import run_queued_tasks

    with django_capture_on_commit_callbacks(execute=True):
        services.create_subscription(by=subscribers["hanoi"], name="b", url="http://127.0.0.1:9/", events=ALL)
    queued = DBTaskResult.objects.filter(task_path=events.SWEEP_TASK, status="READY")
    assert list(queued.values_list("run_after", flat=True)) == [dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)]
    assert run_queued_tasks(events.SWEEP_TASK) == 0  # not midnight yet
    time_machine.move_to(dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_queued_tasks(events.SWEEP_TASK) == 1  # midnight: the sweep runs and queues the next one
    assert list(queued.values_list("run_after", flat=True)) == [dt.datetime(2026, 3, 3, 17, 0, tzinfo=dt.UTC)]


def test_bad_subscriptions_are_refused_naming_the_field(office, settings):
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = False
    cases = {
        "http://93.184.216.34/hook": "Địa chỉ nhận (URL): địa chỉ phải bắt đầu bằng https://.",
        "https://127.0.0.1/hook": "Địa chỉ nhận (URL): 127.0.0.1 thuộc mạng nội bộ, loopback hoặc link-local; "
        "webhook chỉ gửi tới địa chỉ công khai trên Internet.",
        "https://10.1.2.3/": "Địa chỉ nhận (URL): 10.1.2.3 thuộc mạng nội bộ, loopback hoặc link-local; "
        "webhook chỉ gửi tới địa chỉ công khai trên Internet.",
        "https://169.254.169.254/latest/meta-data": "Địa chỉ nhận (URL): 169.254.169.254 thuộc mạng nội bộ, loopback "
        "hoặc link-local; webhook chỉ gửi tới địa chỉ công khai trên Internet.",
        "https://[::1]:8443/": "Địa chỉ nhận (URL): ::1 thuộc mạng nội bộ, loopback hoặc link-local; webhook chỉ gửi "
        "tới địa chỉ công khai trên Internet.",
        "https://user:pw@93.184.216.34/": "Địa chỉ nhận (URL): hãy nhập một địa chỉ bắt đầu bằng https://, không kèm "
        "tên người dùng hay phần sau dấu #.",
        "ftp://93.184.216.34/": "Địa chỉ nhận (URL): địa chỉ phải bắt đầu bằng https://.",
        "": "Địa chỉ nhận (URL): hãy nhập một địa chỉ bắt đầu bằng https://.",
    }
    for url, message in cases.items():
        with pytest.raises(ValidationError) as refused:
            services.create_subscription(by=office.coordinator, name="Sàn", url=url, events=["certificate.issued"])
        assert refused.value.message_dict == {"url": [message]}, url
    with pytest.raises(ValidationError) as refused:
        services.create_subscription(by=office.coordinator, name=" ", url="https://93.184.216.34/", events=[])
    assert refused.value.message_dict == {
        "name": ["Tên: hãy đặt tên cho đăng ký."], "events": ["Sự kiện: hãy chọn ít nhất một sự kiện."]}  # fmt: skip
    from ocop.webhooks.models import Subscription

    assert Subscription.objects.count() == 0
    sub = services.create_subscription(
        by=office.coordinator, name="Sàn", url="https://93.184.216.34/hook", events=["certificate.revoked"]
    )
    assert (sub.url, sub.secret[:6], len(sub.secret)) == ("https://93.184.216.34/hook", "whsec_", 49)
