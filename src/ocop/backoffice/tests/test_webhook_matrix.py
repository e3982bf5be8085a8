"""Role × action for the webhook pages: the offices and sales point operators may subscribe; a subscription and its
deliveries are its owner's alone (here Hà Nội's coordinator): every other role, the administrator and the outsider
charlie included, finds no such page (404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.conftest import ROLES, Once, World, check_role_case
from ocop.testing import province
from ocop.webhooks import events, services
from ocop.webhooks.models import Delivery, Event, Subscription

L = "login"
URL = "https://93.184.216.34/hook"  # a public address (no name to resolve)


@dataclass
class Wh:
    w: World
    subscription: Subscription
    delivery: Delivery


@pytest.fixture(scope="module")
def wh_once(once: Once, world_once: World) -> Wh:
    world = world_once
    with once.building(at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        sub = services.create_subscription(
            by=world.users["coordinator"], name="Sàn TMĐT", url=URL, events=["certificate.suspended"]
        )
        events.record([Event(type="certificate.suspended", subject_id=1, province=province(), data={})])
        delivery = Delivery.objects.get(subscription=sub)
        Delivery.objects.filter(pk=delivery.pk).update(status="delivered", attempts=1)
        return Wh(world, sub, delivery)


@pytest.fixture
def wh(wh_once: Wh, fresh: Callable[[Wh], Wh]) -> Wh:
    return fresh(wh_once)


GET, POST = "get", "post"
ALL = [L, 200, 200, 200, 200, 200, 200, 200, 200]
SUBSCRIBERS = [L, 200, 200, 200, 403, 403, 200, 200, 200]  # not council members nor producers
OWNER_READ = [L, 200, 404, 404, 404, 404, 404, 404, 404]
OWNER_WRITE = [L, 302, 404, 404, 404, 404, 404, 404, 404]
SUB = lambda p: {"pk": p.subscription.pk}  # noqa: E731
NEW = {"name": "Sàn mới", "url": URL, "events": ["certificate.revoked"], "active": "on"}

Case = tuple[str, Callable[[Wh], dict[str, Any]], str, Callable[[Wh], dict[str, Any]] | None, list[Any], Any]
CASES: list[Case] = [
    ("webhook_list", lambda p: {}, GET, None, ALL, None),
    ("webhook_create", lambda p: {}, GET, None, SUBSCRIBERS, None),
    # The answer to a new subscription is its secret's page (201), not a redirect: the effect is checked below.
    ("webhook_create", lambda p: {}, POST, lambda p: NEW, [L, 201, 201, 201, 403, 403, 201, 201, 201], None),
    ("webhook_detail", SUB, GET, None, OWNER_READ, None),
    ("webhook_edit", SUB, GET, None, OWNER_READ, None),
    (
        "webhook_edit",
        SUB,
        POST,
        lambda p: {**NEW, "name": "Sàn đổi tên"},
        OWNER_WRITE,
        lambda p: Subscription.objects.filter(name="Sàn đổi tên").exists(),
    ),
    (
        "webhook_toggle",
        SUB,
        POST,
        None,
        OWNER_WRITE,
        lambda p: not Subscription.objects.get(pk=p.subscription.pk).active,
    ),
    ("webhook_rotate", SUB, POST, None, OWNER_READ, None),  # the new secret's page
    (
        "webhook_delete",
        SUB,
        POST,
        None,
        OWNER_WRITE,
        lambda p: not Subscription.objects.filter(pk=p.subscription.pk).exists(),
    ),
    (
        "delivery_resend",
        lambda p: {"pk": p.subscription.pk, "delivery_pk": p.delivery.pk},
        POST,
        None,
        OWNER_WRITE,
        lambda p: Delivery.objects.get(pk=p.delivery.pk).status == "pending",
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected", "effect"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)],
)
def test_webhook_role_matrix(wh, role, name, kwargs, method, data, expected, effect):
    check_role_case(wh, wh.w.users[role], role, name, kwargs, method, data, expected, effect)


@pytest.mark.parametrize("role", ["coordinator", "commune", "outlet", "charlie"])
def test_a_new_subscription_belongs_to_whoever_made_it(wh, role):
    from django.urls import reverse

    from ocop.conftest import client_for

    user = wh.w.users[role]
    assert client_for(user).post(reverse("backoffice:webhook_create"), NEW).status_code == 201
    assert list(Subscription.objects.filter(name="Sàn mới").values_list("owner", flat=True)) == [user.pk]
