"""Webhook subscriptions in the API: a system registers an https:// endpoint and the events it wants; each delivery
(a signed JSON body, docs/api.md "Webhooks") and its outcome can be read and sent again.

A user sees and changes only their own subscriptions (ocop.webhooks.access); who may subscribe and which events
each owner receives is the gateway's rule. The signing secret is in the answer of the creation and of a rotation
only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from ocop.api.auth import api_auth
from ocop.api.enums import DeliveryStatus, WebhookEvent
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import PathId
from ocop.api.text import Text
from ocop.webhooks import access, services
from ocop.webhooks.models import URL_MAX, Delivery, Subscription
from ocop.webhooks.services import NAME_MAX

router = ApiRouter(tags=["webhooks"], auth=api_auth)


class SubscriptionOut(Schema):
    id: int
    name: str
    url: str = Field(description="the endpoint the deliveries are POSTed to")
    events: list[WebhookEvent]
    active: bool = Field(description="false: it receives nothing until turned on again")
    created_at: dt.datetime
    updated_at: dt.datetime


class SubscriptionWithSecret(SubscriptionOut):
    secret: str = Field(description="the key of the bodies' HMAC signature; shown here only")


class SubscriptionPage(Page[SubscriptionOut]): ...


class SubscriptionIn(Schema):
    name: Text = Field(max_length=NAME_MAX)
    url: Text = Field(max_length=URL_MAX, description="https:// on a public address")
    events: list[WebhookEvent] = Field(min_length=1, max_length=len(WebhookEvent))
    active: bool = True


class SubscriptionPatch(Schema):
    name: Text | None = Field(None, max_length=NAME_MAX)
    url: Text | None = Field(None, max_length=URL_MAX)
    events: list[WebhookEvent] | None = Field(None, min_length=1, max_length=len(WebhookEvent))
    active: bool | None = None


class DeliveryOut(Schema):
    id: int = Field(description="the X-OCOP-Delivery header's value")
    event_id: str = Field(description="the body's `id`: the same for every subscription receiving the event")
    event: WebhookEvent
    status: DeliveryStatus
    attempts: int
    next_attempt_at: dt.datetime | None = Field(description="when it is tried again (failed or pending)")
    last_attempt_at: dt.datetime | None
    response_status: int | None = Field(description="the HTTP status of the last answer; null if none came")
    response_excerpt: str = Field(description="the first 2,048 characters of the last answer's body")
    last_error: str = Field(description="why the last attempt got no answer (refused address, timeout, ...)")
    delivered_at: dt.datetime | None
    created_at: dt.datetime
    payload: dict[str, Any] = Field(description="the body sent: {id, type, created_at, data}")


class DeliveryPage(Page[DeliveryOut]): ...


class DeliveryFilters(PageQuery):
    status: DeliveryStatus | None = None


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """The body's fields as the service takes them: the events by their names."""
    if data.get("events") is not None:
        data["events"] = [WebhookEvent(e).value for e in data["events"]]
    return data


def _subscription(sub: Subscription) -> dict[str, Any]:
    return {
        "id": sub.pk, "name": sub.name, "url": sub.url, "events": sub.events, "active": sub.active,
        "created_at": sub.created_at, "updated_at": sub.updated_at,
    }  # fmt: skip


def _delivery(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk, "event_id": str(d.event.uuid), "event": d.event.type, "status": d.status, "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at, "last_attempt_at": d.last_attempt_at,
        "response_status": d.response_status, "response_excerpt": d.response_excerpt, "last_error": d.last_error,
        "delivered_at": d.delivered_at, "created_at": d.created_at, "payload": d.event.body(),
    }  # fmt: skip


@router.get("/webhooks", response=SubscriptionPage, summary="Your webhook subscriptions")
def list_webhooks(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    rows = access.subscriptions_of(request.user).order_by("name", "id")
    return paginate(request, rows, filters, _subscription)


@router.post("/webhooks", response={201: SubscriptionWithSecret}, summary="Subscribe an endpoint to events")
def create_webhook(request: HttpRequest, payload: SubscriptionIn) -> Any:
    sub = services.create_subscription(by=request.user, **_values(payload.dict()))
    return Status(201, {**_subscription(sub), "secret": sub.secret})


@router.get("/webhooks/{webhook_id}", response=SubscriptionOut, summary="One of your webhook subscriptions")
def get_webhook(request: HttpRequest, webhook_id: PathId) -> dict[str, Any]:
    return _subscription(access.get_subscription_for_user(request.user, webhook_id))


@router.patch("/webhooks/{webhook_id}", response=SubscriptionOut, summary="Change a subscription (what is given)")
def update_webhook(request: HttpRequest, webhook_id: PathId, payload: SubscriptionPatch) -> dict[str, Any]:
    sub = access.get_subscription_for_user(request.user, webhook_id)
    changes = _values(payload.dict(exclude_unset=True))
    return _subscription(services.update_subscription(by=request.user, subscription=sub, **changes))


@router.delete("/webhooks/{webhook_id}", response={204: None}, summary="Remove a subscription and its deliveries")
def delete_webhook(request: HttpRequest, webhook_id: PathId) -> Any:
    sub = access.get_subscription_for_user(request.user, webhook_id)
    services.delete_subscription(by=request.user, subscription=sub)
    return Status(204, None)


@router.post("/webhooks/{webhook_id}/secret", response=SubscriptionWithSecret, summary="A new signing secret")
def rotate_webhook_secret(request: HttpRequest, webhook_id: PathId) -> dict[str, Any]:
    sub = services.rotate_secret(
        by=request.user, subscription=access.get_subscription_for_user(request.user, webhook_id)
    )
    return {**_subscription(sub), "secret": sub.secret}


@router.get("/webhooks/{webhook_id}/deliveries", response=DeliveryPage, summary="A subscription's deliveries")
def list_deliveries(request: HttpRequest, webhook_id: PathId, filters: Query[DeliveryFilters]) -> dict[str, Any]:
    rows = access.deliveries_of(access.get_subscription_for_user(request.user, webhook_id))
    if filters.status is not None:
        rows = rows.filter(status=filters.status.value)
    return paginate(request, rows, filters, _delivery)


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    response={202: DeliveryOut},
    summary="Send a delivery again now (a new attempt)",
)
def redeliver(request: HttpRequest, webhook_id: PathId, delivery_id: PathId) -> Any:
    delivery = access.get_delivery_for_user(request.user, webhook_id, delivery_id)
    return Status(202, _delivery(services.redeliver(by=request.user, delivery=delivery)))
