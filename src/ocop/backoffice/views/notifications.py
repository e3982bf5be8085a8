"""A user's in-app notices (expiries, inspections, findings, sanctions): newest first; opening the page marks the
ones shown as read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from ocop.accounts.models import Notification
from ocop.accounts.services import mark_read
from ocop.backoffice.links import url_of
from ocop.backoffice.views.common import Request, paginate


@login_required
def notification_list(request: Request) -> HttpResponse:
    page = paginate(request, Notification.objects.filter(user=request.user))
    unread = {n.pk for n in page if n.read_at is None}
    for n in page:
        n.link = url_of(n.target, n.target_id)
    mark_read(request.user, unread)  # type: ignore[arg-type]
    return render(request, "backoffice/notifications.html", {"page": page, "unread": unread})
