"""Closing a spread review: the presiding member's two forms, on the scoring page and on a page of their own
(which the OCOP office reaches from the dossier, and where a refused form comes back with its errors)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.council_forms import AcceptTotalsForm, ExcludeSheetForm
from ocop.backoffice.views.common import Request, run_form
from ocop.evaluation import access, scoring, spread
from ocop.evaluation.enums import DossierState
from ocop.evaluation.models import Dossier


def spread_context(
    request: Request,
    dossier: Dossier,
    state: spread.SpreadState,
    accept: AcceptTotalsForm | None = None,
    exclude: ExcludeSheetForm | None = None,
) -> dict[str, Any]:
    """What the spread-review panel shows: the reviews held and, to whoever may close it, the sheets and forms."""
    can_close = access.can_close_spread_review(request.user, state.council, state.presiding)
    return {
        "spread": state,
        "can_close": can_close,
        "totals": [(sheet, state.scores[m]) for m, sheet in sorted(state.sheets.items())] if can_close else [],
        "accept_form": accept or AcceptTotalsForm(),
        "exclude_form": exclude or ExcludeSheetForm(dossier=dossier, excludable=state.excludable, scores=state.scores),
    }


def _dossier(request: Request, pk: int) -> tuple[Dossier, spread.SpreadState]:
    dossier = access.get_dossier_for_user(request.user, pk)
    if dossier.state not in (DossierState.READY, DossierState.SCORED, DossierState.PUBLISHED):
        raise Http404
    try:
        state = spread.spread_state(dossier)
    except ValidationError:  # no council for the round yet
        raise Http404 from None
    if not access.can_close_spread_review(request.user, state.council, state.presiding):
        raise PermissionDenied
    return dossier, state


def _page(request: Request, dossier: Dossier, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "backoffice/evaluation/spread.html", {"dossier": dossier, **context}, status=status)


@login_required
def spread_page(request: Request, pk: int) -> HttpResponse:
    dossier, state = _dossier(request, pk)
    return _page(request, dossier, spread_context(request, dossier, state))


def _done(request: Request, dossier: Dossier, message: str) -> HttpResponse:
    messages.success(request, message)
    seat = access.seat_of(request.user, scoring.council_for(dossier))
    if seat is not None and seat.scores:
        return redirect("backoffice:score_page", pk=dossier.pk)
    return redirect("backoffice:dossier_detail", pk=dossier.pk)


def _refused(request: Request, dossier: Dossier, state: spread.SpreadState, **forms: Any) -> HttpResponse:
    return _page(request, dossier, spread_context(request, dossier, state, **forms), status=400)


@login_required
@require_POST
def spread_accept(request: Request, pk: int) -> HttpResponse:
    dossier, state = _dossier(request, pk)
    form = AcceptTotalsForm(request.POST)
    if run_form(
        form, lambda data: spread.accept_totals(by=request.user, dossier=dossier, explanation=data["explanation"])
    ).ok:
        return _done(request, dossier, _("Spread review closed: the totals are accepted as they stand."))
    return _refused(request, dossier, state, accept=form)


@login_required
@require_POST
def spread_exclude(request: Request, pk: int) -> HttpResponse:
    dossier, state = _dossier(request, pk)
    form = ExcludeSheetForm(request.POST, dossier=dossier, excludable=state.excludable, scores=state.scores)
    if run_form(
        form,
        lambda data: spread.exclude_sheet(by=request.user, dossier=dossier, sheet=data["sheet"], reason=data["reason"]),
    ).ok:
        return _done(request, dossier, _("Spread review closed: the sheet is excluded and the result computed."))
    return _refused(request, dossier, state, exclude=form)
