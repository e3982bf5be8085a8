"""A user's in-app notices (dossier steps, results, certificates, expiries, inspections, findings, sanctions): newest
first, the unread ones marked. Reading the page changes nothing (a link checker or a browser's prefetch must not
clear them): a notice is marked read when the user opens it (a POST that redirects to its page) or by the button
"mark all as read". Below them, which kinds also come by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.models import Notification
from ocop.accounts.services import email_kinds_off, mark_read, set_email_kinds_off
from ocop.backoffice.links import url_of
from ocop.backoffice.notice_forms import EmailKindsForm
from ocop.backoffice.views.common import Request, paginate, run_form
from ocop.backoffice.work import menu_counts


@login_required
def notification_list(request: Request) -> HttpResponse:
    if request.method == "POST" and "read_all" in request.POST:
        mark_read(request.user)
        messages.success(request, _("All notifications marked as read."))
        return redirect("backoffice:notification_list")
    off = email_kinds_off(request.user)
    form = EmailKindsForm(request.POST if request.method == "POST" else None, off=off, user=request.user)
    outcome = run_form(form, lambda _data: set_email_kinds_off(user=request.user, kinds=form.kinds_off()))
    if outcome.ok:
        messages.success(request, _("E-mail settings saved."))
        return redirect("backoffice:notification_list")
    page = paginate(request, Notification.objects.filter(user=request.user))
    unread = {n.pk for n in page if n.read_at is None}
    for n in page:
        n.link = url_of(n.target, n.target_id)
    return render(
        request,
        "backoffice/notifications.html",
        {
            "page": page,
            "unread": unread,
            "any_unread": bool(menu_counts(request.user).get("notifications")),  # the menu's count, one query
            "form": form,
            "has_email": bool(request.user.email),
        },
    )


@login_required
@require_POST
def notification_open(request: Request, pk: int) -> HttpResponse:
    """Mark one of the user's notices read and go to its page (the list if it has none)."""
    notice = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(request.user, [notice.pk])
    return redirect(url_of(notice.target, notice.target_id) or "backoffice:notification_list")
