"""Supervision: inspection plans with risk-based picks, the phone checklist, findings and their follow-up, sanctions,
and the consumers' reports that become inspections."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import scope_of
from ocop.backoffice.supervision_forms import (
    FixForm,
    InspectionPhotoForm,
    PlanForm,
    RecordForm,
    SanctionForm,
    ScheduleForm,
)
from ocop.backoffice.views.common import Request, paginate, query_without_page, run_form
from ocop.certificates import access as certificate_access
from ocop.core.collation import vi
from ocop.core.uploads import file_response
from ocop.places.models import Province
from ocop.supervision import access, risk, services
from ocop.supervision.enums import CheckArea, CheckResult, FindingState, InspectionState, SanctionKind, Severity
from ocop.supervision.models import Finding, Inspection
from ocop.supervision.record import record_pdf


def _province(request: Request) -> Province | None:
    """The province whose inspections the user plans (the first, if several)."""
    ids = sorted(access.planning_provinces(request.user))
    if not ids and scope_of(request.user).is_admin:
        return Province.objects.filter(code=request.GET.get("tinh") or "01").first()
    return Province.objects.filter(pk=ids[0]).first() if ids else None


def _list(request: Request, form: forms.BaseForm | None = None) -> HttpResponse:
    user = request.user
    qs = access.inspections_visible_to(user).select_related("producer", "product", "outlet", "inspector", "plan")
    state = request.GET.get("state")
    if state in InspectionState.values:
        qs = qs.filter(state=state)
    province = _province(request)
    today = timezone.localdate()
    return render(
        request,
        "backoffice/supervision/list.html",
        {
            "page": paginate(request, qs.order_by("state", "-planned_on", "-id")),
            "query": query_without_page(request),
            "states": InspectionState.choices,
            "province": province,
            "plans": access.plans_visible_to(user).order_by("-starts_on")[:10],
            "picks": risk.picks(province.pk, today) if province else [],
            "inspectors": access.inspectors_of(province).filter(roles__role__in=access.INSPECTORS) if province else [],
            "outlets": access.inspectable_outlets(user).filter(province=province).order_by(vi("name"), "pk")
            if province
            else [],
            # The schedule form's picker: producers in Vietnamese order, each with its commune (names repeat).
            "producers": access.inspectable_producers(user)
            .filter(province=province)
            .select_related("commune")
            .only("name", "commune__name")
            .order_by(vi("name"), "pk")
            if province
            else [],
            "open_findings": Finding.objects.filter(
                inspection__in=access.inspections_visible_to(user), state=FindingState.OPEN
            ).count(),
            "form": form,
            "errors": _errors(form),
            "today": today,
        },
        status=400 if form is not None else 200,
    )


def _errors(form: forms.BaseForm | None) -> dict[str, list[str]]:
    """The refused form's messages by field ("general" for the form as a whole), for the page to place."""
    if form is None:
        return {}
    return {("general" if key == "__all__" else key): [str(e) for e in errors] for key, errors in form.errors.items()}


@login_required
def inspection_list(request: Request) -> HttpResponse:
    return _list(request)


def _planned_province(request: Request) -> Province:
    province = _province(request)
    if province is None:  # nowhere to plan in: the services would refuse it too
        raise PermissionDenied
    return province


@login_required
@require_POST
def plan_create(request: Request) -> HttpResponse:
    province = _planned_province(request)
    form = PlanForm(request.POST)
    done = run_form(form, lambda d: services.create_plan(by=request.user, province=province, **d))
    if not done.ok or done.value is None:
        return _list(request, form)
    messages.success(request, _("Inspection plan “%(title)s” created.") % {"title": done.value.title})
    return redirect("backoffice:inspection_list")


@login_required
@require_POST
def inspection_schedule(request: Request) -> HttpResponse:
    province = _planned_province(request)
    user = request.user
    form = ScheduleForm(
        request.POST, producers=access.inspectable_producers(user), products=access.inspectable_products(user),
        outlets=access.inspectable_outlets(user), inspectors=access.inspectors_of(province),
        plans=access.plans_visible_to(user), reports=certificate_access.reports_visible_to(user),
    )  # fmt: skip
    done = run_form(form, lambda d: services.schedule(
        by=user, province=province, planned_on=d["planned_on"], producer=d["producer"], product=d["product"],
        outlet=d["outlet"], plan=d["plan"], inspector=d["inspector"], report=d["report"], reasons=d["reason"],
    ))  # fmt: skip
    if not done.ok or done.value is None:
        return _list(request, form)
    messages.success(
        request, _("Inspection scheduled for %(day)s.") % {"day": done.value.planned_on.strftime("%d/%m/%Y")}
    )
    return redirect("backoffice:inspection_detail", pk=done.value.pk)


CHECK_FIELDS = ("result", "note", "finding", "severity", "fix_by")


def _checklist(record: RecordForm, today: Any) -> dict[str, Any]:
    """The checklist as typed, each field with its own messages, and the first refused field (in the page's order)
    to take the focus. After a refusal nothing typed is lost: the inspection day included."""
    refused = record.errors if record.is_bound else {}
    names = ["done_on"] + [f"{n}_{area}" for area in CheckArea for n in CHECK_FIELDS] + ["summary"]
    first = next((name for name in names if name in refused), "")

    def field(name: str) -> dict[str, Any]:
        raw = record[name].value() if record.is_bound else None
        return {"name": name, "value": "" if raw is None else str(raw), "errors": list(refused.get(name, [])),
                "first": name == first}  # fmt: skip

    done_on = field("done_on")
    if not record.is_bound:
        done_on["value"] = today.isoformat()
    areas = [{"area": area} | {n: field(f"{n}_{area}") for n in CHECK_FIELDS} for area in CheckArea]
    return {"done_on": done_on, "areas": areas, "summary": field("summary"),
            "general": list(refused.get("__all__", []))}  # fmt: skip


def _detail(request: Request, inspection: Inspection, form: forms.BaseForm | None = None) -> HttpResponse:
    """The inspection's page; after a refused form, 400: the checklist as typed with each message at its field, or
    another form's messages at the top."""
    record = form if isinstance(form, RecordForm) else RecordForm()
    checks = {c.area: c for c in inspection.checks.all()}
    areas = [{"area": area, "line": checks.get(area)} for area in CheckArea]
    return render(
        request,
        "backoffice/supervision/detail.html",
        {
            "inspection": inspection,
            "areas": areas,
            "results": CheckResult.choices,
            "severities": Severity.choices,
            "findings": inspection.findings.all(),
            "sanctions": inspection.sanctions.select_related("certificate", "decided_by"),
            "photos": inspection.photos.all(),
            "certificates": access.sanction_certificates(request.user, inspection)
            .select_related("product")
            .order_by("-issued_on"),
            "sanction_kinds": SanctionKind.choices,
            "can_record": access.can_record(request.user, inspection),
            "can_sanction": access.can_plan(request.user, inspection.province_id),
            "form": form,
            "errors": {} if isinstance(form, RecordForm) else _errors(form),
            "checklist": _checklist(record, timezone.localdate()),
            "today": timezone.localdate(),
        },
        status=400 if form is not None else 200,
    )


@login_required
def inspection_detail(request: Request, pk: int) -> HttpResponse:
    return _detail(request, access.get_inspection_for_user(request.user, pk))


@login_required
@require_POST
def inspection_record(request: Request, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    form = RecordForm(request.POST)

    def record(d: dict[str, Any]) -> None:
        services.record(by=request.user, inspection=inspection, done_on=d["done_on"], checks=form.checks(),
                        findings=form.findings(), summary=d["summary"])  # fmt: skip
        for upload in request.FILES.getlist("photos"):
            services.add_photo(by=request.user, inspection=inspection, upload=upload)

    if not run_form(form, record).ok:
        return _detail(request, inspection, form)
    messages.success(request, _("Inspection recorded."))
    return redirect("backoffice:inspection_detail", pk=inspection.pk)


@login_required
def inspection_record_pdf(request: Request, pk: int) -> HttpResponse:
    """The inspection record (biên bản kiểm tra) of a recorded inspection, for whoever sees the inspection; a planned
    one has no record yet (404)."""
    inspection = access.get_inspection_for_user(request.user, pk)
    if inspection.state != InspectionState.DONE:
        raise Http404
    response = HttpResponse(record_pdf(inspection), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-ban-kiem-tra-{inspection.pk}.pdf"'
    return response


@login_required
@require_POST
def photo_add(request: Request, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    form = InspectionPhotoForm(request.POST, request.FILES)
    done = run_form(form, lambda d: services.add_photo(
        by=request.user, inspection=inspection, upload=d["photo"], caption=d["caption"]))  # fmt: skip
    if not done.ok:
        return _detail(request, inspection, form)
    messages.success(request, _("Photo added."))
    return redirect("backoffice:inspection_detail", pk=inspection.pk)


@login_required
def photo_file(request: Request, pk: int, photo_pk: int) -> FileResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    photo = access.get_photo(inspection, photo_pk)
    return file_response(photo.file, content_type=photo.content_type)


@login_required
@require_POST
def finding_fix(request: Request, pk: int, finding_pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    finding = access.get_finding(inspection, finding_pk)
    form = FixForm(request.POST)
    if not run_form(form, lambda d: services.fix_finding(by=request.user, finding=finding, **d)).ok:
        return _detail(request, inspection, form)
    messages.success(request, _("The fix is recorded."))
    return redirect("backoffice:inspection_detail", pk=inspection.pk)


@login_required
@require_POST
def sanction_add(request: Request, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    form = SanctionForm(
        request.POST, certificates=access.sanction_certificates(request.user, inspection),
        findings=inspection.findings.all(),
    )  # fmt: skip
    done = run_form(form, lambda d: services.impose(by=request.user, inspection=inspection, **d))
    if not done.ok or done.value is None:
        return _detail(request, inspection, form)
    messages.success(request, _("Sanction recorded: %(kind)s.") % {"kind": done.value.get_kind_display()})
    return redirect("backoffice:inspection_detail", pk=inspection.pk)
