"""Online scoring (a tablet page per member and dossier) and the producer's path to the next star."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.evaluation_forms import ConflictForm, ScoreSheetForm, UpgradeForm
from ocop.backoffice.views.common import Request, form_messages, run_form
from ocop.backoffice.views.spread import spread_context
from ocop.evaluation import access, scoring, spread
from ocop.evaluation import dossiers as flow
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.enums import DossierKind, DossierState, SheetState
from ocop.evaluation.models import Dossier
from ocop.evaluation.results import path_to_next_star
from ocop.evaluation.rules import PARTS, score_sheet


def _sheet_form(request: Request, dossier: Dossier) -> ScoreSheetForm:
    return ScoreSheetForm(request.POST, sheet=sheet_spec(dossier.criteria_set))


def _refusals(form: ScoreSheetForm) -> list[str]:
    """A refused sheet's messages, each naming its line or field."""
    return [str(message) for errors in form.errors.values() for message in errors]


def _posted_context(request: Request, dossier: Dossier) -> dict[str, object]:
    """The score page's context after a post; a round without a council has no score page (404)."""
    try:
        return _context(request, dossier)
    except ValidationError:
        raise Http404 from None


def _context(request: Request, dossier: Dossier) -> dict[str, object]:
    council = scoring.council_for(dossier)
    seat = access.seat_of(request.user, council)
    if seat is None or not seat.scores:
        raise PermissionDenied
    sheet = sheet_spec(dossier.criteria_set)
    current = scoring.current_sheet(dossier, seat)
    chosen = scoring.choices_of(current) if current else {}
    comments = {e.line.code: e.comment for e in current.entries.select_related("line")} if current else {}
    score = score_sheet(sheet, chosen)
    submitted = current is not None and current.state == SheetState.SUBMITTED
    standing = scoring.standing(council, dossier)
    latest = scoring.latest_sheets(dossier, standing.scorers)
    return {
        "dossier": dossier,
        "council": council,
        "seat": seat,
        "groups": [
            (group, [(line, chosen.get(line.code), comments.get(line.code, "")) for line in group.lines])
            for group in sheet.groups
        ],
        "score": score,
        "parts": [(p, score.parts.get(p, 0), dossier.round.criteria_version.parts[p]) for p in PARTS],
        "current": current,
        "submitted": submitted,
        "excluded": standing.excluded.get(seat.pk),
        "standing": standing,
        # Others' scores stay hidden until this member has submitted.
        "progress": sum(1 for s in latest.values() if s.state == SheetState.SUBMITTED) if submitted else None,
        "review": scoring.review_status(dossier) if submitted or (current and current.revision > 1) else None,
        "evidence": dossier.evidence.select_related("document", "line"),
        "revising": current is not None and current.revision > 1 and not submitted,
    }


@login_required
def score_page(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    if dossier.state not in (DossierState.READY, DossierState.SCORED, DossierState.PUBLISHED):
        raise Http404
    try:
        context = _context(request, dossier)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("backoffice:dossier_detail", pk=pk)
    context.update(spread_context(request, dossier, spread.spread_state(dossier, context["council"])))  # type: ignore[arg-type]
    return render(request, "backoffice/evaluation/score.html", context)


@login_required
@require_POST
def score_save(request: Request, pk: int) -> HttpResponse:
    """Autosave (htmx, on every change) and the "save" button: the answer is the running totals."""
    dossier = access.get_dossier_for_user(request.user, pk)
    form = _sheet_form(request, dossier)
    saved = run_form(
        form,
        lambda _d: scoring.save_sheet(
            by=request.user, dossier=dossier, choices=form.choices(), comments=form.comments()
        ),
    ).ok
    context = _posted_context(request, dossier)
    context["error"] = " ".join(_refusals(form))
    if request.htmx:
        return render(request, "backoffice/evaluation/_totals.html", context, status=200 if saved else 400)
    if saved:
        messages.success(request, _("Scores saved."))
        return redirect("backoffice:score_page", pk=pk)
    return _refused(request, dossier, form)


def _refused(request: Request, dossier: Dossier, form: forms.BaseForm) -> HttpResponse:
    """The score page again (400), with the refusals at the top, each naming its line or field."""
    form_messages(request, form)
    context = _posted_context(request, dossier)
    context.update(spread_context(request, dossier, spread.spread_state(dossier, context["council"])))  # type: ignore[arg-type]
    return render(request, "backoffice/evaluation/score.html", context, status=400)


def _submit(by: Any, dossier: Dossier, form: ScoreSheetForm) -> Any:
    if form.choices():
        scoring.save_sheet(by=by, dossier=dossier, choices=form.choices(), comments=form.comments())
    return scoring.submit_sheet(by=by, dossier=dossier, reason=form.cleaned_data["reason"])


@login_required
@require_POST
def score_submit(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    form = _sheet_form(request, dossier)
    if not run_form(form, lambda _d: _submit(request.user, dossier, form)).ok:
        return _refused(request, dossier, form)
    messages.success(request, _("Your score sheet is submitted."))
    return redirect("backoffice:score_page", pk=pk)


@login_required
def path_page(request: Request, pk: int, status: int = 200) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    result = getattr(dossier, "result", None)
    if result is None or not (result.published or access.can_manage_round(request.user, dossier.round)):
        raise Http404
    path = path_to_next_star(dossier)
    rounds = _upgrade_rounds(request, dossier)
    return render(
        request,
        "backoffice/evaluation/path.html",
        {
            "dossier": dossier,
            "path": path,
            "rounds": rounds,
            "can_start": access.can_draft(request.user, dossier),
            "hundred": Decimal(100),
        },
        status=status,
    )


def _upgrade_rounds(request: Request, dossier: Dossier) -> Any:
    return access.open_rounds_for(request.user, dossier.round.province_id).exclude(dossiers__product=dossier.product)


@login_required
@require_POST
def upgrade_start(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    form = UpgradeForm(request.POST, rounds=_upgrade_rounds(request, dossier))
    outcome = run_form(
        form,
        lambda data: flow.start_dossier(
            by=request.user, round_=data["round"], product=dossier.product, kind=DossierKind.UPGRADE
        ),
    )
    if not outcome.ok or outcome.value is None:
        form_messages(request, form)
        return path_page(request, pk, status=400)
    messages.success(request, _("Upgrade dossier started from the last one."))
    return redirect("backoffice:dossier_detail", pk=outcome.value.pk)


@login_required
@require_POST
def conflict_declare(request: Request, pk: int) -> HttpResponse:
    """A member declares a link to the dossier's producer: they will not score its dossiers."""
    dossier = access.get_dossier_for_user(request.user, pk)
    form = ConflictForm(request.POST)
    if not run_form(
        form, lambda data: scoring.declare_own_conflict(by=request.user, dossier=dossier, note=data["note"])
    ).ok:
        return _refused(request, dossier, form)
    messages.success(request, _("Your link to the producer is recorded: you will not score its dossiers."))
    return redirect("backoffice:score_page", pk=pk)
