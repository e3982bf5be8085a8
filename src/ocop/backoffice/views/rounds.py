"""Rounds and councils: the OCOP office's pages (set-up, attendance, results, minutes)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.models import Role, User
from ocop.accounts.permissions import scope_of
from ocop.backoffice.views.common import Request, id_of, int_or_none, posted_date
from ocop.evaluation import access, package, scoring
from ocop.evaluation import dossiers as flow
from ocop.evaluation.central import pending_referrals
from ocop.evaluation.enums import MemberRole, RoundLevel
from ocop.evaluation.models import Council, CriteriaVersion, Result, Round
from ocop.evaluation.results import minutes_pdf, recognition_list, referral_list
from ocop.places.models import Province

COUNCIL_ROWS = 11


def _round_for(user: User, pk: int) -> Round:
    round_ = access.rounds_visible_to(user).select_related("province", "criteria_version").filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


DATE_FIELDS = ("submission_deadline", "proposal_deadline", "council_date")


def _dates(request: Request, errors: dict[str, list[str]]) -> dict[str, dt.date | None]:
    """The round's posted dates; a malformed one is reported under its field, not dropped."""
    return {
        name: posted_date(request, name, capfirst(getattr(Round._meta.get_field(name), "verbose_name", name)), errors)
        for name in DATE_FIELDS
    }


def _error_dict(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@login_required
def round_list(request: Request) -> HttpResponse:
    scope = scope_of(request.user)
    provinces = (
        Province.objects.all()
        if scope.is_admin
        else Province.objects.filter(pk__in=scope.provinces_for(Role.PROVINCE_COORDINATOR))
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        province = provinces.filter(pk=id_of(request.POST.get("province"))).first()
        version = CriteriaVersion.objects.filter(pk=id_of(request.POST.get("criteria_version"))).first()
        year, number = int_or_none(request.POST.get("year")), int_or_none(request.POST.get("number"))
        if province is None:
            raise PermissionDenied
        if version is None:
            errors["criteria_version"] = [_("Choose a criteria version.")]
        if year is None or not 2019 <= year <= 2100:
            errors["year"] = [_("Enter a year between 2019 and 2100.")]
        if number is None or not 1 <= number <= 20:
            errors["number"] = [_("Enter a round number from 1 to 20.")]
        level = request.POST.get("level") or RoundLevel.PROVINCE
        if level not in RoundLevel.values:
            errors["level"] = [_("Choose a level.")]
        dates = _dates(request, errors)
        if not errors:
            try:
                round_ = flow.create_round(
                    by=request.user,
                    province=province,
                    year=year,  # type: ignore[arg-type]
                    number=number,  # type: ignore[arg-type]
                    level=RoundLevel(level),
                    criteria_version=version,  # type: ignore[arg-type]
                    **dates,
                )
            except ValidationError as exc:
                errors = _error_dict(exc)
            else:
                messages.success(request, _("Round opened."))
                return redirect("backoffice:round_detail", pk=round_.pk)
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
            "provinces": provinces,
            "versions": CriteriaVersion.objects.all(),
            "levels": RoundLevel.choices,
            "can_follow_referrals": access.can_follow_referrals(request.user),
            "errors": errors,
            "values": request.POST,
        },
        status=400 if errors else 200,
    )


@login_required
def round_detail(request: Request, pk: int, status: int = 200) -> HttpResponse:
    round_ = _round_for(request.user, pk)
    dossiers = (
        access.dossiers_visible_to(request.user)
        .filter(round=round_)
        .select_related("product__producer", "product__province", "criteria_set", "result")
        .order_by("product__name")
    )
    council = Council.objects.filter(round=round_).prefetch_related("members__user").first()
    can_manage = access.can_manage_round(request.user, round_)
    candidates = (
        User.objects.filter(roles__province=round_.province, is_active=True).distinct().order_by("full_name")
        if can_manage
        else User.objects.none()
    )
    return render(
        request,
        "backoffice/evaluation/round.html",
        {
            "round": round_,
            "dossiers": dossiers,
            "council": council,
            "members": list(council.members.all()) if council else [],
            "can_manage": can_manage,
            "candidates": candidates,
            "roles": MemberRole.choices,
            "rows": range(COUNCIL_ROWS),
            "recognition": recognition_list(round_) if can_manage else [],
            "referral": referral_list(round_) if can_manage else [],
            "pending": pending_referrals().count() if can_manage and round_.level == RoundLevel.CENTRAL else 0,
        },
        status=status,
    )


@login_required
@require_POST
def round_dates(request: Request, pk: int) -> HttpResponse:
    """Set or extend the round's deadlines; errors are shown by field and nothing changes."""
    round_ = _round_for(request.user, pk)
    if not access.can_manage_round(request.user, round_):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    dates = _dates(request, errors)
    if not errors:
        try:
            flow.set_round_dates(by=request.user, round_=round_, **dates)
        except ValidationError as exc:
            errors = _error_dict(exc)
    for field_errors in errors.values():
        for message in field_errors:
            messages.error(request, message)
    if errors:
        round_.refresh_from_db()
        return round_detail(request, pk, status=400)
    messages.success(request, _("Deadlines saved."))
    return redirect("backoffice:round_detail", pk=pk)


def _managed_council(request: Request, pk: int) -> Council:
    round_ = _round_for(request.user, pk)
    if not access.can_manage_round(request.user, round_):
        raise PermissionDenied
    council = Council.objects.filter(round=round_).first()
    if council is None:
        raise Http404
    return council


@login_required
@require_POST
def council_create(request: Request, pk: int) -> HttpResponse:
    round_ = _round_for(request.user, pk)
    if not access.can_manage_round(request.user, round_):
        raise PermissionDenied
    users = {u.pk: u for u in User.objects.filter(roles__province=round_.province).distinct()}
    members = []
    for i in range(COUNCIL_ROWS):
        user = users.get(int_or_none(request.POST.get(f"user_{i}")) or 0)
        role = request.POST.get(f"role_{i}") or MemberRole.MEMBER
        if user is None or role not in MemberRole.values:
            continue
        members.append((user, MemberRole(role), (request.POST.get(f"agency_{i}") or "").strip()[:255]))
    try:
        scoring.set_up_council(
            by=request.user,
            round_=round_,
            name=(request.POST.get("name") or "").strip() or _("Evaluation council"),
            decision=(request.POST.get("decision") or "")[:120],
            members=members,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("backoffice:round_detail", pk=round_.pk)
    messages.success(request, _("Council set up."))
    return redirect("backoffice:round_detail", pk=round_.pk)


@login_required
@require_POST
def meeting_open(request: Request, pk: int) -> HttpResponse:
    council = _managed_council(request, pk)
    present_ids = {int_or_none(v) for v in request.POST.getlist("present")}
    try:
        scoring.open_meeting(
            by=request.user, council=council, present=[m for m in council.members.all() if m.pk in present_ids]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Meeting opened: members may score."))
    return redirect("backoffice:round_detail", pk=pk)


@login_required
@require_POST
def meeting_close(request: Request, pk: int) -> HttpResponse:
    scoring.close_meeting(by=request.user, council=_managed_council(request, pk))
    messages.success(request, _("Meeting closed."))
    return redirect("backoffice:round_detail", pk=pk)


@login_required
@require_POST
def results_publish(request: Request, pk: int) -> HttpResponse:
    count = scoring.publish_results(by=request.user, council=_managed_council(request, pk))
    messages.success(request, _("%(count)s result(s) published.") % {"count": count})
    return redirect("backoffice:round_detail", pk=pk)


@login_required
def referral_package(request: Request, pk: int, dossier_pk: int) -> HttpResponse:
    """The ZIP a 5-star candidate goes to the central round with (summary, minutes, evidence)."""
    council = _managed_council(request, pk)
    result = (
        Result.objects.filter(council=council, dossier_id=dossier_pk, referral=True)
        .select_related(
            "council__round__province",
            "dossier__round__province",
            "dossier__round__criteria_version",
            "dossier__criteria_set",
            "dossier__product__producer__commune",
            "dossier__product__commune",
        )
        .first()
    )
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
    council = _managed_council(request, pk)
    response = HttpResponse(minutes_pdf(council), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-ban-{council.round.year}-{council.round.number}.pdf"'
    return response
