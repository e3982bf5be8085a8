"""Rounds and councils: the OCOP office's pages (set-up, attendance, results, minutes).

Each write is a form (`backoffice.council_forms`) run by `run_form` into its service, which checks who may act."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import visible_or_404
from ocop.backoffice.council_forms import AttendanceForm, CloseMeetingForm, CouncilForm, RoundDatesForm, RoundForm
from ocop.backoffice.forms import ConfirmForm
from ocop.backoffice.views.common import Request, form_messages, run_form
from ocop.evaluation import access, package, scoring
from ocop.evaluation import dossiers as flow
from ocop.evaluation.central import pending_referrals
from ocop.evaluation.enums import RoundLevel
from ocop.evaluation.models import Council, Result, Round
from ocop.evaluation.results import minutes_pdf, recognition_list, referral_list


def _round_form(request: Request) -> RoundForm:
    return RoundForm(
        request.POST if request.method == "POST" else None,
        provinces=access.provinces_for_rounds(request.user),
        versions=access.criteria_versions_visible_to(request.user),
    )


@login_required
def round_list(request: Request) -> HttpResponse:
    form = _round_form(request)
    outcome = run_form(form, lambda data: flow.create_round(by=request.user, **data))
    if outcome.ok and outcome.value is not None:
        messages.success(request, _("Round opened."))
        return redirect("backoffice:round_detail", pk=outcome.value.pk)
    rounds = (
        access.rounds_visible_to(request.user)
        .select_related("province", "criteria_version")
        .annotate(dossier_count=Count("dossiers"))
    )
    return render(
        request,
        "backoffice/evaluation/rounds.html",
        {
            "rounds": rounds,
            "form": form,
            "can_open": form.can_open,
            "can_follow_referrals": access.can_follow_referrals(request.user),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def round_detail(request: Request, pk: int, status: int = 200, council_form: CouncilForm | None = None) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk)
    dossiers = (
        access.dossiers_visible_to(request.user)
        .filter(round=round_)
        .select_related("product__producer", "product__province", "criteria_set", "result")
        .order_by("product__name")
    )
    council = Council.objects.filter(round=round_).prefetch_related("members__user").first()
    can_manage = access.can_manage_round(request.user, round_)
    return render(
        request,
        "backoffice/evaluation/round.html",
        {
            "round": round_,
            "dossiers": dossiers,
            "council": council,
            "members": list(council.members.all()) if council else [],
            "can_manage": can_manage,
            "can_read_minutes": council is not None and access.can_read_minutes(request.user, council),
            "council_form": council_form
            or (
                CouncilForm(
                    candidates=access.council_candidates(round_),
                    initial={"name": _("OCOP evaluation council %(year)s") % {"year": round_.year}},
                )
                if can_manage and council is None
                else None
            ),
            "recognition": recognition_list(round_) if can_manage else [],
            "referral": referral_list(round_) if can_manage else [],
            "pending": pending_referrals().count() if can_manage and round_.level == RoundLevel.CENTRAL else 0,
        },
        status=status,
    )


def _act(
    request: Request, round_: Round, form: forms.BaseForm, action: Callable[[dict[str, Any]], Any], done: Any
) -> HttpResponse:
    """Run a round's form into its service: back to the round with `done`, or the page again (400) with the
    refusals, each naming its field."""
    outcome = run_form(form, action)
    if outcome.ok:
        messages.success(request, done(outcome.value) if callable(done) else done)
        return redirect("backoffice:round_detail", pk=round_.pk)
    form_messages(request, form)
    return round_detail(request, round_.pk, status=400, council_form=form if isinstance(form, CouncilForm) else None)


@login_required
@require_POST
def round_dates(request: Request, pk: int) -> HttpResponse:
    """Set or extend the round's deadlines; errors are shown by field and nothing changes."""
    round_ = access.get_round_for_user(request.user, pk)
    return _act(
        request,
        round_,
        RoundDatesForm(request.POST),
        lambda data: flow.set_round_dates(by=request.user, round_=round_, **data),
        _("Deadlines saved."),
    )


def _council(request: Request, pk: int) -> tuple[Round, Council]:
    round_ = access.get_round_for_user(request.user, pk)
    council = Council.objects.filter(round=round_).first()
    if council is None:
        raise Http404
    return round_, council


@login_required
@require_POST
def council_create(request: Request, pk: int) -> HttpResponse:
    round_ = access.get_round_for_user(request.user, pk)
    form = CouncilForm(request.POST, candidates=access.council_candidates(round_))
    return _act(
        request,
        round_,
        form,
        lambda data: scoring.set_up_council(
            by=request.user,
            round_=round_,
            name=data["name"],
            decision=data["decision"],
            decision_date=data["decision_date"],
            meeting_place=data["meeting_place"],
            members=form.members(),
        ),
        _("Council set up."),
    )


@login_required
@require_POST
def meeting_open(request: Request, pk: int) -> HttpResponse:
    round_, council = _council(request, pk)
    return _act(
        request,
        round_,
        AttendanceForm(request.POST, members=council.members.all()),
        lambda data: scoring.open_meeting(
            by=request.user, council=council, present=list(data["present"]), start=data["meeting_start"]
        ),
        _("Meeting opened: members may score."),
    )


@login_required
@require_POST
def meeting_close(request: Request, pk: int) -> HttpResponse:
    round_, council = _council(request, pk)
    return _act(
        request,
        round_,
        CloseMeetingForm(request.POST),
        lambda data: scoring.close_meeting(by=request.user, council=council, end=data["meeting_end"]),
        _("Meeting closed."),
    )


@login_required
@require_POST
def results_publish(request: Request, pk: int) -> HttpResponse:
    round_, council = _council(request, pk)
    return _act(
        request,
        round_,
        ConfirmForm(request.POST),
        lambda _d: scoring.publish_results(by=request.user, council=council),
        lambda count: _("%(count)s result(s) published.") % {"count": count},
    )


def _managed_council(request: Request, pk: int) -> Council:
    """The council of a round, for the office's downloads (a read: the gateway's rule, no service)."""
    round_, council = _council(request, pk)
    if not access.can_manage_round(request.user, round_):
        raise PermissionDenied
    return council


@login_required
def referral_package(request: Request, pk: int, dossier_pk: int) -> HttpResponse:
    """The ZIP a 5-star candidate goes to the central round with (summary, minutes, evidence)."""
    council = _managed_council(request, pk)
    results = Result.objects.filter(council=council, referral=True).select_related(
        "council__round__province",
        "dossier__round__province",
        "dossier__round__criteria_version",
        "dossier__criteria_set",
        "dossier__product__producer__commune",
        "dossier__product__commune",
    )
    results = results.filter(dossier_id=visible_or_404(access.dossiers_visible_to(request.user), dossier_pk).pk)
    result = results.first()
    if result is None:
        raise Http404
    return package_response(result)


def package_response(result: Result) -> HttpResponse:
    """The 5-star candidate's package as a download (for the province, and for the ministry that received it)."""
    response = HttpResponse(package.referral_package(result), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ho-so-5-sao-{result.dossier_id}.zip"'
    return response


@login_required
def minutes(request: Request, pk: int) -> HttpResponse:
    council = access.council_for_minutes(request.user, pk)
    response = HttpResponse(minutes_pdf(council), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-ban-{council.round.year}-{council.round.number}.pdf"'
    return response
