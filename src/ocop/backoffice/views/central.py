"""The central round in the back office: the ministry receives the provinces' referrals; a province follows its own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.forms import ConfirmForm
from ocop.backoffice.views.common import Request, form_messages, run_form
from ocop.backoffice.views.rounds import package_response, round_detail
from ocop.certificates import queries
from ocop.certificates.models import Certificate
from ocop.evaluation import access, central


@login_required
def referrals(request: Request) -> HttpResponse:
    """Products referred for 5 stars and where each stands at the central level."""
    if not access.can_follow_referrals(request.user):
        raise PermissionDenied
    rows = central.referral_progress(request.user)
    results = [r.central_result.pk for r in rows if r.central_result is not None]
    certificates = {
        c.item.result_id: c
        for c in queries.with_status(Certificate.objects.filter(item__result_id__in=results)).select_related("item")
    }
    for row in rows:
        row.certificate = certificates.get(row.central_result.pk) if row.central_result else None  # type: ignore[attr-defined]
    return render(request, "backoffice/evaluation/referrals.html", {"rows": rows})


@login_required
def province_package(request: Request, pk: int) -> HttpResponse:
    """For a central dossier: the package its province sent (summary, minutes, evidence), to whoever reads it."""
    dossier = access.get_dossier_for_user(request.user, pk)
    access.require(access.can_read_referral_package(request.user, dossier))
    result = central.referred_result(dossier)
    if result is None:
        raise Http404
    return package_response(result)


@login_required
@require_POST
def round_receive(request: Request, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk)
    form = ConfirmForm(request.POST)
    outcome = run_form(form, lambda _d: central.receive_referrals(by=request.user, round_=round_))
    if not outcome.ok or outcome.value is None:
        form_messages(request, form)
        return round_detail(request, pk, status=400)
    received, skipped = outcome.value
    if received:
        messages.success(request, _("Referrals received: %(n)s.") % {"n": len(received)})
    elif not skipped:
        messages.info(request, _("No referral waits to be received."))
    if skipped:
        messages.error(request, _(
            "The round's criteria version has no product set for: %(products)s. Choose the version the provinces "
            "scored on."
        ) % {"products": ", ".join(skipped)})  # fmt: skip
    return redirect("backoffice:round_detail", pk=pk)
