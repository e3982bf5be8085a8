"""A user's webhook subscriptions: the list, a new one (its signing secret shown once, on the page that answers the
form, and again only after a rotation), editing, turning off or on, removing, and each one's deliveries with a
button to send one again. Each user manages only their own (ocop.webhooks.access)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.forms import ConfirmForm
from ocop.backoffice.views.common import Request, form_messages, paginate, run_form
from ocop.backoffice.webhook_forms import SubscriptionForm
from ocop.webhooks import access, services
from ocop.webhooks.enums import DeliveryStatus
from ocop.webhooks.models import Subscription


def _with_secret(request: Request, subscription: Subscription, status: int = 200) -> HttpResponse:
    """The secret is in this answer only: not in a redirect, not kept by a cache."""
    response = render(request, "backoffice/webhooks/secret.html", {"subscription": subscription}, status=status)
    add_never_cache_headers(response)
    return response


@login_required
def webhook_list(request: Request) -> HttpResponse:
    page = paginate(request, access.subscriptions_of(request.user).order_by("name", "id"))
    return render(
        request, "backoffice/webhooks/list.html", {"page": page, "can_subscribe": access.can_subscribe(request.user)}
    )


@login_required
def webhook_create(request: Request) -> HttpResponse:
    if not access.can_subscribe(request.user):
        raise PermissionDenied
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    done = run_form(form, lambda data: services.create_subscription(by=request.user, **data))
    if done.ok and done.value is not None:
        return _with_secret(request, done.value, status=201)
    return render(request, "backoffice/webhooks/form.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
def webhook_edit(request: Request, pk: int) -> HttpResponse:
    subscription = access.get_subscription_for_user(request.user, pk)
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    form.initial_from(subscription)
    done = run_form(form, lambda data: services.update_subscription(by=request.user, subscription=subscription, **data))
    if done.ok:
        messages.success(request, _("Subscription saved."))
        return redirect("backoffice:webhook_detail", pk=subscription.pk)
    context = {"form": form, "subscription": subscription}
    return render(request, "backoffice/webhooks/form.html", context, status=400 if form.is_bound else 200)


@login_required
def webhook_detail(request: Request, pk: int) -> HttpResponse:
    subscription = access.get_subscription_for_user(request.user, pk)
    deliveries = access.deliveries_of(subscription)
    status = request.GET.get("status", "")
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    context: dict[str, Any] = {
        "subscription": subscription,
        "page": paginate(request, deliveries),
        "statuses": DeliveryStatus.choices,
        "status": status,
        "query": f"status={status}" if status in DeliveryStatus.values else "",
    }
    return render(request, "backoffice/webhooks/detail.html", context)


@login_required
@require_POST
def webhook_toggle(request: Request, pk: int) -> HttpResponse:
    subscription = access.get_subscription_for_user(request.user, pk)
    turned = services.update_subscription(by=request.user, subscription=subscription, active=not subscription.active)
    messages.success(request, _("Subscription turned on.") if turned.active else _("Subscription turned off."))
    return redirect("backoffice:webhook_detail", pk=subscription.pk)


@login_required
@require_POST
def webhook_rotate(request: Request, pk: int) -> HttpResponse:
    subscription = access.get_subscription_for_user(request.user, pk)
    return _with_secret(request, services.rotate_secret(by=request.user, subscription=subscription))


@login_required
@require_POST
def webhook_delete(request: Request, pk: int) -> HttpResponse:
    subscription = access.get_subscription_for_user(request.user, pk)
    services.delete_subscription(by=request.user, subscription=subscription)
    messages.success(request, _("Subscription “%(name)s” removed.") % {"name": subscription.name})
    return redirect("backoffice:webhook_list")


@login_required
@require_POST
def delivery_resend(request: Request, pk: int, delivery_pk: int) -> HttpResponse:
    delivery = access.get_delivery_for_user(request.user, pk, delivery_pk)
    form = ConfirmForm(request.POST)
    done = run_form(form, lambda _data: services.redeliver(by=request.user, delivery=delivery))
    if done.ok:
        messages.success(request, _("Delivery %(id)s will be sent again now.") % {"id": delivery.pk})
    else:
        form_messages(request, form)
    return redirect("backoffice:webhook_detail", pk=pk)
