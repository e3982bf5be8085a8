"""Deliveries end to end: a certificate suspended through its service, the real task worker's run, and a local HTTP
server (the receiver) that checks what arrives."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from ocop.certificates import services as certificates
from ocop.core import jobs
from ocop.testing import province, run_queued_tasks
from ocop.webhooks import services
from ocop.webhooks.delivery import BACKOFF
from ocop.webhooks.models import Delivery, Event
from ocop.webhooks.tests.conftest import SEND, issue

NOW = dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)  # 09:30 in Hà Nội


@pytest.fixture
def scene(office, receiver, time_machine):
    time_machine.move_to(NOW, tick=False)
    cert = issue(office)
    sub = services.create_subscription(
        by=office.coordinator, name="Sàn TMĐT", url=receiver.url, events=["certificate.suspended", "certificate.lifted"]
    )
    return office, cert, sub


def suspend(office, cert, capture) -> None:
    with capture(execute=True):
        certificates.suspend(by=office.coordinator, certificate=cert, reason="Vi phạm nhãn mác")


def run(capture) -> int:
    with capture(execute=True):
        return run_queued_tasks(SEND)


def verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """A receiver's check."""
    timestamp = headers["X-OCOP-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-OCOP-Signature"], f"v1={expected}")


def documented_check() -> Any:
    """The receiver's check as docs/api.md ("Webhooks") shows it, run as written."""
    text = (Path(__file__).resolve().parents[4] / "docs" / "api.md").read_text(encoding="utf-8")
    start = text.index("```python\nimport hashlib, hmac, time")
    code = text[start + len("```python\n") : text.index("```", start + 3)]
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102  # our own documentation
    return namespace["verified"]


def test_a_suspension_reaches_the_receiver_once_signed(scene, receiver, django_capture_on_commit_callbacks):
    office, cert, sub = scene
    suspend(office, cert, django_capture_on_commit_callbacks)
    assert receiver.received == []  # nothing is sent inside the request: the worker sends
    assert run(django_capture_on_commit_callbacks) == 1
    assert len(receiver.received) == 1
    got = receiver.received[0]
    event = Event.objects.get()
    delivery = Delivery.objects.get()
    assert got.path == "/hooks/ocop?x=1"
    assert got.json() == {
        "id": str(event.uuid),
        "type": "certificate.suspended",
        "created_at": "2026-03-02T02:30:00+00:00",
        "data": {
            "certificate": {
                "id": cert.pk, "number": "01-2025-00001", "code": cert.code, "status": "suspended", "stars": 4,
                "issued_on": "2025-11-20", "valid_until": "2028-11-20", "status_since": "2026-03-02",
                "reason": "Vi phạm nhãn mác", "superseded_by": None,
            },
            "product": {"id": office.product.pk, "name": "Bình gốm men lam"},
            "producer": {"id": office.producer.pk, "name": "HTX Gốm Bát Tràng"},
            "province": {"code": "01", "name": province("01").name},
        },
    }  # fmt: skip
    assert got.body == json.dumps(got.json(), ensure_ascii=False, separators=(",", ":")).encode()
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-OCOP-Event"] == "certificate.suspended"
    assert got.headers["X-OCOP-Delivery"] == str(delivery.pk)
    assert got.headers["X-OCOP-Timestamp"] == str(int(NOW.timestamp()))
    assert verifies(sub.secret, got.headers, got.body)
    assert not verifies("whsec_other", got.headers, got.body)
    assert documented_check()(sub.secret, got.headers, got.body)
    assert not documented_check()(sub.secret, got.headers, got.body + b" ")
    assert (delivery.status, delivery.attempts, delivery.response_status, delivery.response_excerpt) == (
        "delivered",
        1,
        200,
        '{"ok":true}',
    )
    assert (delivery.delivered_at, delivery.next_attempt_at, delivery.lease_owner) == (NOW, None, "")
    assert run(django_capture_on_commit_callbacks) == 0  # nothing more to send
    assert len(receiver.received) == 1


def test_a_failing_endpoint_is_retried_at_the_back_off_times_then_given_up(
    scene, receiver, time_machine, django_capture_on_commit_callbacks
):
    office, cert, sub = scene
    receiver.codes = [500]
    suspend(office, cert, django_capture_on_commit_callbacks)
    assert run(django_capture_on_commit_callbacks) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, 500)
    assert delivery.response_excerpt == "x" * 2048  # a bounded excerpt of the body
    assert delivery.next_attempt_at == NOW + dt.timedelta(minutes=1)
    queued = DBTaskResult.objects.filter(task_path=SEND, status="READY").get()
    assert queued.run_after == NOW + dt.timedelta(minutes=1)
    assert run(django_capture_on_commit_callbacks) == 0  # not due yet
    time_machine.move_to(NOW + dt.timedelta(minutes=1), tick=False)
    assert run(django_capture_on_commit_callbacks) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
    assert delivery.delivered_at == NOW + dt.timedelta(minutes=1)
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert first.body == second.body  # the same event, signed again with its own time
    assert second.headers["X-OCOP-Timestamp"] == str(int(NOW.timestamp()) + 60)
    assert verifies(sub.secret, second.headers, second.body)


def test_after_the_last_back_off_the_delivery_is_given_up_and_a_resend_is_a_new_attempt(
    scene, receiver, time_machine, django_capture_on_commit_callbacks
):
    office, cert, _sub = scene
    receiver.codes = [500] * 6
    suspend(office, cert, django_capture_on_commit_callbacks)
    at = NOW
    expected = [NOW + dt.timedelta(minutes=1), None]
    for number, wait in enumerate([*BACKOFF, None], start=1):
        assert run(django_capture_on_commit_callbacks) == 1
        delivery = Delivery.objects.get()
        assert delivery.attempts == number
        if wait is None:
            assert (delivery.status, delivery.next_attempt_at) == ("given_up", None)
        else:
            assert (delivery.status, delivery.next_attempt_at) == ("failed", at + wait)
            at += wait
            time_machine.move_to(at, tick=False)
    assert [w.total_seconds() for w in BACKOFF] == [60, 300, 1800, 7200, 43200]
    assert expected[0] == NOW + BACKOFF[0]
    assert len(receiver.received) == 6
    assert DBTaskResult.objects.filter(task_path=SEND, status="READY").count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.redeliver(by=office.coordinator, delivery=delivery)
    assert run(django_capture_on_commit_callbacks) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 7, 200)
    assert len(receiver.received) == 7


def test_a_worker_that_dies_mid_send_leaves_the_delivery_to_the_next_worker(
    scene, receiver, django_capture_on_commit_callbacks
):
    office, cert, _sub = scene
    suspend(office, cert, django_capture_on_commit_callbacks)
    DBTaskResult.objects.filter(task_path=SEND).delete()  # the task the dead worker had taken
    delivery = Delivery.objects.get()
    dead = f"{socket.gethostname()}:{2**22 + 7}"  # no such pid: the worker is gone
    Delivery.objects.filter(pk=delivery.pk).update(lease_owner=dead, heartbeat_at=NOW, attempts=1)
    assert run(django_capture_on_commit_callbacks) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.reap_all() == 1  # what `ocop worker` does when it starts
    delivery.refresh_from_db()
    assert (delivery.status, delivery.lease_owner, delivery.next_attempt_at) == ("failed", "", NOW)
    assert delivery.last_error == "Tiến trình chạy nền dừng giữa lần gửi."
    assert run(django_capture_on_commit_callbacks) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.received) == 1


def test_a_private_address_is_refused_at_send_time_when_not_allowed(
    scene, receiver, settings, django_capture_on_commit_callbacks
):
    office, cert, _sub = scene
    suspend(office, cert, django_capture_on_commit_callbacks)
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = False
    assert run(django_capture_on_commit_callbacks) == 1
    delivery = Delivery.objects.get()
    assert receiver.received == []
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, None)
    assert delivery.last_error == "Địa chỉ nhận (URL): địa chỉ phải bắt đầu bằng https://."


def test_a_deactivated_subscription_gets_nothing(scene, receiver, django_capture_on_commit_callbacks):
    office, cert, sub = scene
    services.update_subscription(by=office.coordinator, subscription=sub, active=False)
    suspend(office, cert, django_capture_on_commit_callbacks)
    assert Delivery.objects.count() == 0
    assert run(django_capture_on_commit_callbacks) == 0


def test_what_waited_while_the_subscription_was_off_is_sent_when_it_is_on_again(
    scene, receiver, django_capture_on_commit_callbacks
):
    office, cert, sub = scene
    suspend(office, cert, django_capture_on_commit_callbacks)
    services.update_subscription(by=office.coordinator, subscription=sub, active=False)
    assert run(django_capture_on_commit_callbacks) == 1  # the task finds the subscription off: nothing is sent
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, receiver.received) == ("pending", 0, [])
    with pytest.raises(ValidationError) as refused:
        services.redeliver(by=office.coordinator, delivery=delivery)
    assert refused.value.messages == ["Đăng ký đang tắt: hãy bật lên để gửi các lần gửi của nó."]
    with django_capture_on_commit_callbacks(execute=True):
        services.update_subscription(by=office.coordinator, subscription=sub, active=True)
    assert run(django_capture_on_commit_callbacks) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("delivered", 1, 1)
