"""A user's in-app notices (dossier steps, results, certificates, expiries, inspections, findings, sanctions): newest
first; opening the page marks the ones shown as read. Below them, which kinds also come by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ocop.accounts.models import Notification
from ocop.accounts.services import email_kinds_off, mark_read, set_email_kinds_off
from ocop.backoffice.links import url_of
from ocop.backoffice.notice_forms import EmailKindsForm
from ocop.backoffice.views.common import Request, paginate, run_form


@login_required
def notification_list(request: Request) -> HttpResponse:
    off = email_kinds_off(request.user)
    form = EmailKindsForm(request.POST if request.method == "POST" else None, off=off)
    outcome = run_form(form, lambda _data: set_email_kinds_off(user=request.user, kinds=form.kinds_off()))
    if outcome.ok:
        messages.success(request, _("E-mail settings saved."))
        return redirect("backoffice:notification_list")
    page = paginate(request, Notification.objects.filter(user=request.user))
    unread = {n.pk for n in page if n.read_at is None}
    for n in page:
        n.link = url_of(n.target, n.target_id)
    mark_read(request.user, unread)
    return render(
        request,
        "backoffice/notifications.html",
        {"page": page, "unread": unread, "form": form, "has_email": bool(request.user.email)},
    )
