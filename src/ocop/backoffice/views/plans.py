"""Yearly plans and targets: the OCOP office sets them; progress comes from the records, one click from each number."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.backoffice.views.common import Request, id_of, int_or_none, paginate, posted_date, report_errors
from ocop.places.models import Commune, Province
from ocop.planning import services
from ocop.planning.indicators import INDICATORS, Scope, count, plan_rows
from ocop.planning.models import Plan

READERS = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER)
RECORD_PAGES = {
    "certificate": "backoffice:certificate_detail",
    "outlet": "backoffice:outlet_detail",
    "event": "backoffice:event_detail",
    "training": "backoffice:training_detail",
    "inspection": "backoffice:inspection_detail",
}


def _plans(request: Request) -> QuerySet[Plan]:
    """The province's offices read its plans; commune officers read their province's (their communes' targets)."""
    scope = scope_of(request.user)
    if scope.is_admin:
        return Plan.objects.all()
    provinces = set(scope.provinces_for(*READERS))
    if scope.communes:
        provinces |= set(Commune.objects.filter(pk__in=scope.communes).values_list("province_id", flat=True))
    return Plan.objects.filter(province_id__in=provinces)


def _plan(request: Request, pk: int) -> Plan:
    plan = _plans(request).select_related("province").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def _home(request: Request) -> Province | None:
    scope = scope_of(request.user)
    managed = scope.provinces_for(Role.PROVINCE_COORDINATOR)
    if scope.is_admin and not managed:
        return Province.objects.filter(code=settings.OCOP_DEFAULT_PROVINCE).first()
    return Province.objects.filter(pk__in=managed).order_by("code").first()


@login_required
def plan_list(request: Request, errors: dict[str, list[str]] | None = None) -> HttpResponse:
    """The plans of the years side by side: each indicator's target and what is done."""
    plans = list(_plans(request).select_related("province").order_by("province__code", "year"))
    table = []
    progress = {plan.pk: {row.indicator.code: row for row in plan_rows(plan)} for plan in plans}
    for code, indicator in INDICATORS.items():
        table.append((indicator, [progress[plan.pk][code] for plan in plans]))
    return render(
        request,
        "backoffice/plans/list.html",
        {"plans": plans, "table": table, "province": _home(request), "errors": errors or {}},
        status=400 if errors else 200,
    )


@login_required
@require_POST
def plan_create(request: Request) -> HttpResponse:
    province = _home(request)
    if province is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    signed_on = posted_date(request, "signed_on", _("Date"), errors)
    try:
        if errors:
            raise ValidationError(errors)
        plan = services.create_plan(
            by=request.user,
            province=province,
            year=int_or_none(request.POST.get("year")),
            title=request.POST.get("title", ""),
            number=request.POST.get("number", ""),
            signed_on=signed_on,
            issuing_body=request.POST.get("issuing_body", ""),
        )
    except ValidationError as exc:
        return plan_list(request, errors=exc.message_dict)
    messages.success(request, _("Plan “%(title)s” recorded: set its targets.") % {"title": plan.title})
    return redirect("backoffice:plan_detail", pk=plan.pk)


@login_required
def plan_detail(request: Request, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return render(
        request,
        "backoffice/plans/detail.html",
        {
            "plan": plan,
            "rows": plan_rows(plan),
            "day": Scope(plan.province_id, plan.year).day,  # the records are read as they stood that day
            "indicators": [(code, i.label) for code, i in INDICATORS.items()],
            "communes": Commune.objects.filter(province=plan.province_id).order_by("name"),
            "can_manage": services.can_manage(request.user, plan.province_id),
        },
    )


@login_required
@require_POST
def target_set(request: Request, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    commune = None
    if request.POST.get("commune"):
        commune = Commune.objects.filter(pk=id_of(request.POST.get("commune"))).first()
    try:
        services.set_target(
            by=request.user, plan=plan, indicator=request.POST.get("indicator", ""), value=request.POST.get("value"),
            commune=commune,
        )  # fmt: skip
    except ValidationError as exc:
        report_errors(request, exc)
        return render(request, "backoffice/plans/refused.html", {"plan": plan}, status=400)
    messages.success(request, _("Target saved."))
    return redirect("backoffice:plan_detail", pk=plan.pk)


@login_required
def indicator_records(request: Request, pk: int, code: str) -> HttpResponse:
    """The records behind a number of the plan (and of one commune with ?commune=)."""
    plan = _plan(request, pk)
    indicator = INDICATORS.get(code)
    if indicator is None:
        raise Http404
    commune = Commune.objects.filter(pk=id_of(request.GET.get("commune")), province=plan.province_id).first()
    scope = Scope(plan.province_id, plan.year, commune.pk if commune else None)
    return render(
        request,
        "backoffice/plans/records.html",
        {
            "plan": plan,
            "indicator": indicator,
            "commune": commune,
            "total": count(indicator, scope),
            "day": scope.day,
            "page": paginate(request, indicator.records(scope).order_by("pk")),
            "record_page": RECORD_PAGES.get(indicator.kind, ""),
        },
    )
