"""The back office's webhook pages: each user's own subscriptions, the secret shown once, the deliveries with their
outcome, and a delivery sent again from its page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from ocop.accounts.models import Role
from ocop.certificates import services as certificates
from ocop.conftest import client_for
from ocop.testing import make_user, run_queued_tasks
from ocop.webhooks import services
from ocop.webhooks.models import Delivery, Subscription
from ocop.webhooks.tests.conftest import SEND, issue, office, receiver  # noqa: F401  # the fixtures

NOW = dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)
LIST = reverse("backoffice:webhook_list")
NEW = reverse("backoffice:webhook_create")


@pytest.fixture
def scene(office, receiver, time_machine):  # noqa: F811
    time_machine.move_to(NOW, tick=False)
    office.cert = issue(office)
    office.client = client_for(office.coordinator)
    return office


def subscribe(scene, receiver, name="Sàn TMĐT", events=("certificate.suspended",)):  # noqa: F811
    return services.create_subscription(by=scene.coordinator, name=name, url=receiver.url, events=list(events))


def test_a_subscription_made_its_secret_shown_once(scene, receiver):  # noqa: F811
    assert scene.client.get(NEW).status_code == 200
    answer = scene.client.post(NEW, {"name": "Sàn TMĐT", "url": receiver.url,
                                     "events": ["certificate.suspended", "certificate.revoked"], "active": "on"})  # fmt: skip
    assert answer.status_code == 201
    sub = Subscription.objects.get()
    assert (sub.owner, sub.events, sub.active) == (
        scene.coordinator,
        ["certificate.suspended", "certificate.revoked"],
        True,
    )
    assert f'<code id="webhook-secret">{sub.secret}</code>' in answer.content.decode()
    assert "no-cache" in answer["Cache-Control"]
    detail = scene.client.get(reverse("backoffice:webhook_detail", args=[sub.pk])).content.decode()
    assert sub.secret not in detail and receiver.url.replace("&", "&amp;") in detail
    rotated = scene.client.post(reverse("backoffice:webhook_rotate", args=[sub.pk]))
    old = sub.secret
    sub.refresh_from_db()
    assert sub.secret != old and f'<code id="webhook-secret">{sub.secret}</code>' in rotated.content.decode()
    scene.client.post(reverse("backoffice:webhook_toggle", args=[sub.pk]))
    sub.refresh_from_db()
    assert not sub.active
    edit = reverse("backoffice:webhook_edit", args=[sub.pk])
    assert scene.client.get(edit).status_code == 200
    saved = scene.client.post(edit, {"name": "Sàn B", "url": receiver.url, "events": ["certificate.issued"],
                                     "active": "on"})  # fmt: skip
    assert saved.status_code == 302
    sub.refresh_from_db()
    assert (sub.name, sub.events, sub.active) == ("Sàn B", ["certificate.issued"], True)
    assert scene.client.post(reverse("backoffice:webhook_delete", args=[sub.pk])).status_code == 302
    assert Subscription.objects.count() == 0


def test_bad_input_is_refused_naming_the_field(scene, settings):
    settings.OCOP_WEBHOOKS_ALLOW_PRIVATE = False
    cases = {
        "http://93.184.216.34/": "Địa chỉ nhận (URL): địa chỉ phải bắt đầu bằng https://.",
        "https://127.0.0.1:8000/hook": "Địa chỉ nhận (URL): 127.0.0.1 thuộc mạng nội bộ, loopback hoặc link-local; "
        "webhook chỉ gửi tới địa chỉ công khai trên Internet.",
    }
    for url, message in cases.items():
        answer = scene.client.post(NEW, {"name": "Sàn", "url": url, "events": ["certificate.issued"]})
        assert answer.status_code == 400
        assert answer.context["form"].errors == {"url": [message]}, url
    answer = scene.client.post(NEW, {"name": "", "url": "https://93.184.216.34/"})
    assert answer.status_code == 400
    assert set(answer.context["form"].errors) == {"name", "events"}
    assert answer.context["form"].errors["events"][0].startswith("Sự kiện: ")
    assert Subscription.objects.count() == 0


def test_who_may_subscribe_and_the_outsider_sees_nothing(scene, receiver):  # noqa: F811
    assert client_for(make_user(Role.PRODUCER)).get(NEW).status_code == 403
    sub = subscribe(scene, receiver)
    charlie = client_for(scene.charlie)
    assert "Sàn TMĐT" not in charlie.get(LIST).content.decode()
    assert charlie.get(reverse("backoffice:webhook_detail", args=[sub.pk])).status_code == 404
    assert charlie.get(reverse("backoffice:webhook_edit", args=[sub.pk])).status_code == 404
    for name in ("webhook_toggle", "webhook_rotate", "webhook_delete"):
        assert charlie.post(reverse(f"backoffice:{name}", args=[sub.pk])).status_code == 404, name
    sub.refresh_from_db()
    assert sub.active


def test_a_delivery_is_shown_and_sent_again(scene, receiver, django_capture_on_commit_callbacks):  # noqa: F811
    sub = subscribe(scene, receiver)
    receiver.codes = [503]
    with django_capture_on_commit_callbacks(execute=True):
        certificates.suspend(by=scene.coordinator, certificate=scene.cert, reason="Vi phạm")
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks(SEND)
    delivery = Delivery.objects.get()
    page = scene.client.get(reverse("backoffice:webhook_detail", args=[sub.pk]))
    row = page.content.decode().split(f'id="delivery-{delivery.pk}"')[1].split("</tr>")[0]
    assert "certificate.suspended" in row and "gửi lỗi, sẽ thử lại" in row and "<td>503</td>" in row
    assert "lần gửi tiếp theo 02/03/2026 09:31:00" in row
    resend = reverse("backoffice:delivery_resend", args=[sub.pk, delivery.pk])
    assert client_for(scene.charlie).post(resend).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert scene.client.post(resend).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert run_queued_tasks(SEND) == 1  # the re-send (the back-off task, due at 09:31, will find it delivered)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 2, 200)
    assert len(receiver.received) == 2


def test_the_list_query_count(scene, receiver, django_assert_num_queries):  # noqa: F811
    subscribe(scene, receiver, "Sàn 1")
    scene.client.get(LIST)
    with django_assert_num_queries(6):  # session, user; the count, the page; roles (menu, may subscribe), work counts
        page = scene.client.get(LIST)
    assert page.context["page"].paginator.count == 1
    subscribe(scene, receiver, "Sàn 2")
    subscribe(scene, receiver, "Sàn 3")
    with django_assert_num_queries(6):
        page = scene.client.get(LIST)
    assert page.context["page"].paginator.count == 3


def test_the_deliveries_query_count(
    scene,
    receiver,  # noqa: F811
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    sub = subscribe(scene, receiver, events=("certificate.suspended", "certificate.lifted"))
    url = reverse("backoffice:webhook_detail", args=[sub.pk])
    with django_capture_on_commit_callbacks(execute=True):
        certificates.suspend(by=scene.coordinator, certificate=scene.cert, reason="Vi phạm")
    scene.client.get(url)
    with django_assert_num_queries(7):  # session, user; the subscription, the count, the page; roles, work counts
        assert scene.client.get(url).context["page"].paginator.count == 1
    with django_capture_on_commit_callbacks(execute=True):
        certificates.lift(by=scene.coordinator, certificate=scene.cert)
    with django_capture_on_commit_callbacks(execute=True):
        certificates.suspend(by=scene.coordinator, certificate=scene.cert, reason="Lại vi phạm")
    with django_assert_num_queries(7):
        assert scene.client.get(url).context["page"].paginator.count == 3


def test_the_pages_words_and_their_guards(scene, receiver, django_capture_on_commit_callbacks):  # noqa: F811
    """Found by an integrator: the events named as the certificate page names them (đình chỉ, gỡ đình chỉ), a
    delivered delivery said so plainly, a secret with its Copy button, and the two buttons that break a receiver (a
    new secret, removing the subscription) asking first; the deliveries table scrolls in its own box on a phone."""
    form = scene.client.get(NEW).content.decode()
    assert "giấy chứng nhận bị đình chỉ</label>" in form and "giấy chứng nhận được gỡ đình chỉ</label>" in form
    made = scene.client.post(
        NEW, {"name": "Sàn TMĐT", "url": receiver.url, "events": ["certificate.suspended"], "active": "on"}
    ).content.decode()
    assert (
        '<p class="copy-field"><code id="webhook-secret">' in made
        and '<button type="button" data-copy="webhook-secret" data-copied="Đã sao chép" hidden>Sao chép</button>'
        in made
    )
    sub = Subscription.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        certificates.suspend(by=scene.coordinator, certificate=scene.cert, reason="Vi phạm")
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_tasks(SEND)
    delivery = Delivery.objects.get()
    page = scene.client.get(reverse("backoffice:webhook_detail", args=[sub.pk])).content.decode()
    row = page.split(f'id="delivery-{delivery.pk}"')[1].split("</tr>")[0]
    assert "<td>đã gửi thành công</td>" in row and "đã gửi thành công 02/03/2026 09:30:00" in row
    # The events by name, with the code the bodies carry.
    assert (
        '<ul class="plain" id="webhook-events"><li>giấy chứng nhận bị đình chỉ <code>certificate.suspended</code></li>'
        "</ul>"
    ) in page
    listing = scene.client.get(LIST).content.decode()
    assert f"<td><code>{escape(receiver.url)}</code></td><td>giấy chứng nhận bị đình chỉ</td>" in listing
    assert '<div class="scroll"><table class="table" id="deliveries">' in page
    assert (
        'data-confirm="Tạo khóa ký mới? Khóa hiện tại thôi dùng được ngay cho các lần gửi tiếp theo: hãy đưa khóa mới '
        'cho hệ thống nhận.">Tạo khóa ký mới</button>'
    ) in page
    assert (
        'data-confirm="Bỏ đăng ký này? Sẽ không gửi gì tới địa chỉ này nữa, và các lần gửi của nó cũng bị xóa theo.">'
        "Bỏ</button>"
    ) in page
