"""Role × action over the webhook subscriptions (webhooks.access): the offices, system administrators and sales
point operators subscribe, producers and council members may not; a subscription and its deliveries are its owner's
alone (everyone else, the outsider charlie too, gets a 404), with no login a 401."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ocop.conftest import ROLES, Once, World, client_for
from ocop.testing import province
from ocop.webhooks import events, services
from ocop.webhooks.enums import EventType
from ocop.webhooks.models import Delivery, Event, Subscription

URL = "https://93.184.216.34/hook"  # a public address, given as such (nothing resolved, nothing sent)


@dataclass
class Hooks:
    w: World
    sub: Any  # the coordinator's subscription
    delivery: Any  # one of its deliveries


@pytest.fixture(scope="module")
def hooks_once(once: Once, world_once: World) -> Hooks:
    with once.building(at=dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)):
        sub = services.create_subscription(
            by=world_once.users["coordinator"], name="Sàn TMĐT", url=URL, events=[EventType.CERTIFICATE_ISSUED]
        )
        events.record([Event(type=EventType.CERTIFICATE_ISSUED, subject_id=1, province_id=province().pk, data={})])
        return Hooks(world_once, sub, Delivery.objects.get(subscription=sub))


@pytest.fixture
def hooks(hooks_once: Hooks, fresh: Callable[[Hooks], Hooks]) -> Hooks:
    """Built once for the module; each case has its own copy, in a savepoint (conftest.Once)."""
    return fresh(hooks_once)


SIGNED_IN = [401, 200, 200, 200, 200, 200, 200, 200, 200]  # each lists their own
SUBSCRIBE = [401, 201, 201, 201, 403, 403, 201, 201, 201]
OWNER = [401, 200, 404, 404, 404, 404, 404, 404, 404]

CASES = [
    ("get", lambda h: "/api/v1/webhooks", None, SIGNED_IN),
    ("post", lambda h: "/api/v1/webhooks", lambda h: {"name": "Siêu thị", "url": URL, "events": ["certificate.revoked"]},
     SUBSCRIBE),
    ("get", lambda h: f"/api/v1/webhooks/{h.sub.pk}", None, OWNER),
    ("patch", lambda h: f"/api/v1/webhooks/{h.sub.pk}", lambda h: {"name": "Sàn B"}, OWNER),
    ("delete", lambda h: f"/api/v1/webhooks/{h.sub.pk}", None, [204 if c == 200 else c for c in OWNER]),
    ("post", lambda h: f"/api/v1/webhooks/{h.sub.pk}/secret", None, OWNER),
    ("get", lambda h: f"/api/v1/webhooks/{h.sub.pk}/deliveries", None, OWNER),
    ("post", lambda h: f"/api/v1/webhooks/{h.sub.pk}/deliveries/{h.delivery.pk}/redeliver", None,
     [202 if c == 200 else c for c in OWNER]),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "body", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_api_role_matrix_webhooks(hooks, role, method, url, body, expected):
    client = client_for(hooks.w.users[role])
    kwargs = {"data": json.dumps(body(hooks)), "content_type": "application/json"} if body else {}
    before = list(Subscription.objects.values_list("pk", "name", "secret", "active").order_by("pk"))
    response = getattr(client, method)(url(hooks), **kwargs)
    assert response.status_code == expected[ROLES.index(role)], response.content[:300]
    after = list(Subscription.objects.values_list("pk", "name", "secret", "active").order_by("pk"))
    if response.status_code >= 400:  # a refusal writes nothing
        assert after == before
        assert Delivery.objects.get(pk=hooks.delivery.pk).status == hooks.delivery.status
