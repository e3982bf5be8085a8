"""The central round in the back office: the ministry receives the provinces' referrals; a province follows its own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.views.common import Request, report_errors
from ocop.evaluation import access, central
from ocop.evaluation.models import Round


@login_required
def referrals(request: Request) -> HttpResponse:
    """Products referred for 5 stars and where each stands at the central level."""
    if not access.can_follow_referrals(request.user):
        raise PermissionDenied
    rows = central.referral_progress(request.user)
    return render(request, "backoffice/evaluation/referrals.html", {"rows": rows})


@login_required
@require_POST
def round_receive(request: Request, pk: int) -> HttpResponse:
    round_ = access.rounds_visible_to(request.user).filter(pk=pk).first()
    if round_ is None or not access.can_manage_round(request.user, round_):
        raise PermissionDenied
    try:
        received = central.receive_referrals(by=request.user, round_=Round.objects.get(pk=round_.pk))
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, _("Referrals received: %(n)s.") % {"n": len(received)})
    return redirect("backoffice:round_detail", pk=pk)
