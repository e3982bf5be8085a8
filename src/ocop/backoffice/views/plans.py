"""Yearly plans and targets: the OCOP office sets them; progress comes from the records, one click from each number.
The province's offices read the plans whole; a commune officer reads the targets of their own communes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import scope_of
from ocop.backoffice.plan_forms import PlanForm, TargetForm
from ocop.backoffice.views.common import Request, form_messages, paginate, run_form
from ocop.core.cells import whole_digits
from ocop.core.collation import vi
from ocop.places.models import Province
from ocop.planning import access, services
from ocop.planning.indicators import INDICATORS, Indicator, Scope, count, plan_rows
from ocop.planning.models import Target

RECORD_PAGES = {
    "certificate": "backoffice:certificate_detail",
    "outlet": "backoffice:outlet_detail",
    "event": "backoffice:event_detail",
    "training": "backoffice:training_detail",
    "inspection": "backoffice:inspection_detail",
}


def _home(request: Request) -> Province | None:
    managed = access.managed_provinces(request.user)
    if scope_of(request.user).is_admin and not managed:
        return Province.objects.filter(code=settings.OCOP_DEFAULT_PROVINCE).first()
    return Province.objects.filter(pk__in=managed).order_by("code").first()


def _commune_targets(request: Request) -> list[tuple[Target, Indicator, int]]:
    """A commune officer's part of the plans: each target of their communes, with what is done."""
    targets = access.commune_targets_visible_to(request.user).select_related("plan", "commune")
    rows: list[tuple[Target, Indicator, int]] = []
    for t in targets.order_by("-plan__year", vi("commune__short_name"), "commune_id", "indicator"):
        indicator = INDICATORS.get(t.indicator)
        if indicator is not None:
            rows.append((t, indicator, count(indicator, Scope(t.plan.province_id, t.plan.year, t.commune_id))))
    return rows


def _plan_list(request: Request, form: PlanForm | None = None) -> HttpResponse:
    """The plans of the years side by side: each indicator's target and what is done."""
    plans = list(access.plans_visible_to(request.user).select_related("province").order_by("province__code", "year"))
    table = []
    progress = {plan.pk: {row.indicator.code: row for row in plan_rows(plan)} for plan in plans}
    for code, indicator in INDICATORS.items():
        table.append((indicator, [progress[plan.pk][code] for plan in plans]))
    errors = form.errors if form is not None else {}
    return render(
        request,
        "backoffice/plans/list.html",
        {
            "plans": plans,
            "table": table,
            "commune_targets": _commune_targets(request),
            "province": _home(request),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def plan_list(request: Request) -> HttpResponse:
    return _plan_list(request)


@login_required
@require_POST
def plan_create(request: Request) -> HttpResponse:
    province = _home(request)
    if province is None:
        raise PermissionDenied
    form = PlanForm(request.POST)
    done = run_form(form, lambda data: services.create_plan(by=request.user, province=province, **data))
    if not done.ok or done.value is None:
        return _plan_list(request, form)
    messages.success(request, _("Plan “%(title)s” recorded: set its targets.") % {"title": done.value.title})
    return redirect("backoffice:plan_detail", pk=done.value.pk)


@login_required
def plan_detail(request: Request, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    return render(
        request,
        "backoffice/plans/detail.html",
        {
            "plan": plan,
            "rows": plan_rows(plan),
            "day": Scope(plan.province_id, plan.year).day,  # the records are read as they stood that day
            "indicators": [(code, i.label) for code, i in INDICATORS.items()],
            "communes": access.target_communes(plan),
            "can_manage": access.can_manage(request.user, plan.province_id),
        },
    )


@login_required
@require_POST
def target_set(request: Request, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    form = TargetForm(request.POST, communes=access.target_communes(plan))
    if not run_form(form, lambda data: services.set_target(by=request.user, plan=plan, **data)).ok:
        form_messages(request, form)
        return render(request, "backoffice/plans/refused.html", {"plan": plan}, status=400)
    messages.success(request, _("Target saved."))
    return redirect("backoffice:plan_detail", pk=plan.pk)


@login_required
def indicator_records(request: Request, pk: int, code: str) -> HttpResponse:
    """The records behind a number of the plan (and of one commune with ?commune=)."""
    plan = access.get_plan_for_user(request.user, pk)
    indicator = INDICATORS.get(code)
    if indicator is None:
        raise Http404
    number = whole_digits(request.GET.get("commune", ""))
    commune = access.target_communes(plan).filter(pk=number).first() if number is not None else None
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
