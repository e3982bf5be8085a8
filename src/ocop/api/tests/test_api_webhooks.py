"""Webhook subscriptions in the API, with a token as a system calls them: owner-only, checked like the back office's
form, deliveries listed and sent again."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ocop.accounts.models import Role, TokenScope
from ocop.accounts.services import create_api_token
from ocop.certificates import services as certificates
from ocop.conftest import client_for
from ocop.testing import make_user, run_queued_tasks
from ocop.webhooks import services
from ocop.webhooks.models import Delivery, Subscription
from ocop.webhooks.tests.conftest import SEND, issue, office, receiver  # noqa: F401  # the fixtures

NOW = dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)
NOT_FOUND = {"detail": "Không tìm thấy.", "code": "not_found"}


class Caller:
    def __init__(self, user):
        self.token = create_api_token(user=user, name="Hệ thống", scope=TokenScope.WRITE).text
        self.client = client_for(None)

    def __call__(self, method, url, body=None):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        if body is None:
            return getattr(self.client, method)(url, **extra)
        return getattr(self.client, method)(url, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def scene(office, receiver, time_machine):  # noqa: F811
    time_machine.move_to(NOW, tick=False)
    office.cert = issue(office)
    office.api = Caller(office.coordinator)
    return office


def test_a_system_subscribes_and_reads_its_subscription(scene, receiver):  # noqa: F811
    made = scene.api("post", "/api/v1/webhooks", {
        "name": "Sàn TMĐT", "url": receiver.url, "events": ["certificate.revoked", "certificate.suspended"]})  # fmt: skip
    assert made.status_code == 201
    sub = Subscription.objects.get()
    assert made.json() == {
        "id": sub.pk, "name": "Sàn TMĐT", "url": receiver.url,
        "events": ["certificate.suspended", "certificate.revoked"], "active": True,
        "created_at": "2026-03-02T02:30:00Z", "updated_at": "2026-03-02T02:30:00Z", "secret": sub.secret,
    }  # fmt: skip
    read = scene.api("get", f"/api/v1/webhooks/{sub.pk}").json()
    assert "secret" not in read and read["events"] == ["certificate.suspended", "certificate.revoked"]
    emptied = scene.api("patch", f"/api/v1/webhooks/{sub.pk}", {"events": []})
    assert (emptied.status_code, emptied.json()) == (422, {
        "detail": [{"field": "events", "message": "Sự kiện: hãy chọn ít nhất một sự kiện."}], "code": "invalid"})  # fmt: skip
    assert Subscription.objects.get().events == ["certificate.suspended", "certificate.revoked"]  # unchanged
    changed = scene.api("patch", f"/api/v1/webhooks/{sub.pk}", {"active": False, "name": "Sàn B"}).json()
    assert (changed["active"], changed["name"], changed["url"]) == (False, "Sàn B", receiver.url)
    rotated = scene.api("post", f"/api/v1/webhooks/{sub.pk}/secret").json()
    sub.refresh_from_db()
    assert rotated["secret"] == sub.secret and sub.secret != made.json()["secret"]
    assert scene.api("delete", f"/api/v1/webhooks/{sub.pk}").status_code == 204
    assert Subscription.objects.count() == 0


def test_bad_input_is_refused_naming_the_field_and_writes_nothing(scene, settings):
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = False
    refused = scene.api("post", "/api/v1/webhooks", {
        "name": "Sàn", "url": "https://192.168.1.10/hook", "events": ["certificate.issued"]})  # fmt: skip
    assert (refused.status_code, refused.json()) == (422, {"detail": [{"field": "url", "message": (
        "Địa chỉ nhận (URL): 192.168.1.10 thuộc mạng nội bộ, loopback hoặc link-local; webhook chỉ gửi tới địa chỉ "
        "công khai trên Internet.")}], "code": "invalid"})  # fmt: skip
    unknown = scene.api("post", "/api/v1/webhooks", {"name": "Sàn", "url": "https://93.184.216.34/", "events": ["x"]})
    assert (unknown.status_code, unknown.json()["detail"][0]["field"]) == (422, "events.0")
    none = {"detail": [{"field": "events", "message": "Sự kiện: hãy chọn ít nhất một sự kiện."}], "code": "invalid"}
    empty = scene.api("post", "/api/v1/webhooks", {"name": "Sàn", "url": "https://93.184.216.34/", "events": []})
    assert (empty.status_code, empty.json()) == (422, none)
    assert Subscription.objects.count() == 0


def test_who_may_subscribe_and_the_outsider_sees_nothing(scene, receiver):  # noqa: F811
    producer = Caller(make_user(Role.PRODUCER))
    body = {"name": "x", "url": receiver.url, "events": ["certificate.issued"]}
    assert producer("post", "/api/v1/webhooks", body).status_code == 403
    sub = services.create_subscription(
        by=scene.coordinator, name="Sàn", url=receiver.url, events=["certificate.issued"]
    )
    charlie = Caller(scene.charlie)  # another province's coordinator: may subscribe, but not to this one
    assert charlie("get", "/api/v1/webhooks").json()["count"] == 0
    for method, url, data in [
        ("get", f"/api/v1/webhooks/{sub.pk}", None),
        ("patch", f"/api/v1/webhooks/{sub.pk}", {"active": False}),
        ("delete", f"/api/v1/webhooks/{sub.pk}", None),
        ("post", f"/api/v1/webhooks/{sub.pk}/secret", None),
        ("get", f"/api/v1/webhooks/{sub.pk}/deliveries", None),
    ]:
        answer = charlie(method, url, data)
        assert (answer.status_code, answer.json()) == (404, NOT_FOUND), (method, url)
    sub.refresh_from_db()
    assert sub.active


def test_deliveries_are_listed_and_sent_again(scene, receiver, django_capture_on_commit_callbacks):  # noqa: F811
    sub = services.create_subscription(by=scene.coordinator, name="Sàn", url=receiver.url,
                                       events=["certificate.suspended"])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        certificates.suspend(by=scene.coordinator, certificate=scene.cert, reason="Vi phạm")
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks(SEND)
    delivery = Delivery.objects.get()
    page = scene.api("get", f"/api/v1/webhooks/{sub.pk}/deliveries").json()
    item = page["items"][0]
    assert (page["count"], item["id"], item["event"], item["status"], item["attempts"], item["response_status"]) == (
        1,
        delivery.pk,
        "certificate.suspended",
        "delivered",
        1,
        200,
    )
    assert item["payload"] == json.loads(receiver.received[0].body)
    assert scene.api("get", f"/api/v1/webhooks/{sub.pk}/deliveries?status=failed").json()["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        again = scene.api("post", f"/api/v1/webhooks/{sub.pk}/deliveries/{delivery.pk}/redeliver")
    assert (again.status_code, again.json()["status"]) == (202, "pending")
    with django_capture_on_commit_callbacks(execute=True):
        assert run_queued_tasks(SEND) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("delivered", 2, 2)
    charlie = Caller(scene.charlie)
    other = services.create_subscription(by=scene.charlie, name="HP", url=receiver.url, events=["certificate.issued"])
    wrong = charlie("post", f"/api/v1/webhooks/{other.pk}/deliveries/{delivery.pk}/redeliver")
    assert (wrong.status_code, wrong.json()) == (404, NOT_FOUND)


def test_subscription_list_query_count(scene, receiver, django_assert_num_queries):  # noqa: F811
    def add(n):
        services.create_subscription(by=scene.coordinator, name=f"Sàn {n}", url=receiver.url,
                                     events=["certificate.issued"])  # fmt: skip

    add(1)
    scene.api("get", "/api/v1/webhooks")
    with django_assert_num_queries(3):  # the token with its user; the count, the page
        assert scene.api("get", "/api/v1/webhooks").json()["count"] == 1
    add(2)
    add(3)
    with django_assert_num_queries(3):
        assert scene.api("get", "/api/v1/webhooks").json()["count"] == 3


def test_delivery_list_query_count(scene, receiver, django_assert_num_queries, django_capture_on_commit_callbacks):  # noqa: F811
    sub = services.create_subscription(by=scene.coordinator, name="Sàn", url=receiver.url,
                                       events=["certificate.suspended", "certificate.lifted"])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        certificates.suspend(by=scene.coordinator, certificate=scene.cert, reason="Vi phạm")
    url = f"/api/v1/webhooks/{sub.pk}/deliveries"
    scene.api("get", url)
    with django_assert_num_queries(4):  # the token with its user; the subscription, the count, the page with events
        assert scene.api("get", url).json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        certificates.lift(by=scene.coordinator, certificate=scene.cert)
    with django_capture_on_commit_callbacks(execute=True):
        certificates.suspend(by=scene.coordinator, certificate=scene.cert, reason="Lại vi phạm")
    with django_assert_num_queries(4):
        assert scene.api("get", url).json()["count"] == 3
