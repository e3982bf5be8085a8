"""Online scoring (a tablet page per member and dossier) and the producer's path to the next star."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.views.common import Request, id_of, int_or_none, prefixed
from ocop.backoffice.views.spread import spread_context
from ocop.evaluation import access, scoring, spread
from ocop.evaluation import dossiers as flow
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.enums import DossierKind, DossierState, SheetState
from ocop.evaluation.models import Dossier
from ocop.evaluation.results import path_to_next_star
from ocop.evaluation.rules import PARTS, score_sheet


def _choices(request: Request) -> tuple[dict[str, int], dict[str, str]]:
    choices = {
        code: value for code, raw in prefixed(request, "line_").items() if (value := int_or_none(raw)) is not None
    }
    return choices, prefixed(request, "comment_")


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
    choices, comments = _choices(request)
    status = 200
    error = ""
    try:
        scoring.save_sheet(by=request.user, dossier=dossier, choices=choices, comments=comments)
    except ValidationError as exc:
        error, status = " ".join(exc.messages), 400
    context = _context(request, dossier)
    context["error"] = error
    if request.htmx:
        return render(request, "backoffice/evaluation/_totals.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Scores saved."))
    return redirect("backoffice:score_page", pk=pk)


@login_required
@require_POST
def score_submit(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    choices, comments = _choices(request)
    try:
        if choices:
            scoring.save_sheet(by=request.user, dossier=dossier, choices=choices, comments=comments)
        scoring.submit_sheet(by=request.user, dossier=dossier, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("backoffice:score_page", pk=pk)
    messages.success(request, _("Your score sheet is submitted."))
    return redirect("backoffice:score_page", pk=pk)


@login_required
def path_page(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    result = getattr(dossier, "result", None)
    if result is None or not (result.published or access.can_manage_round(request.user, dossier.round)):
        raise Http404
    path = path_to_next_star(dossier)
    rounds = (
        access.rounds_visible_to(request.user)
        .filter(closed=False, province_id=dossier.round.province_id)
        .exclude(dossiers__product=dossier.product)
    )
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
    )


@login_required
@require_POST
def upgrade_start(request: Request, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk)
    round_ = access.rounds_visible_to(request.user).filter(pk=id_of(request.POST.get("round")), closed=False).first()
    if round_ is None:
        messages.error(request, _("Choose an open round."))
        return redirect("backoffice:path_page", pk=pk)
    try:
        new = flow.start_dossier(by=request.user, round_=round_, product=dossier.product, kind=DossierKind.UPGRADE)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("backoffice:path_page", pk=pk)
    messages.success(request, _("Upgrade dossier started from the last one."))
    return redirect("backoffice:dossier_detail", pk=new.pk)


@login_required
@require_POST
def conflict_declare(request: Request, pk: int) -> HttpResponse:
    """A member declares a link to the dossier's producer: they will not score its dossiers."""
    dossier = access.get_dossier_for_user(request.user, pk)
    seat = access.seat_of(request.user, scoring.council_for(dossier))
    if seat is None:
        raise PermissionDenied
    scoring.declare_conflict(
        by=request.user, member=seat, producer=dossier.product.producer, note=request.POST.get("note", "")[:255]
    )
    messages.success(request, _("Your link to the producer is recorded: you will not score its dossiers."))
    return redirect("backoffice:score_page", pk=pk)
