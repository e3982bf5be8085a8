"""Supervision: inspection plans with risk-based picks, the phone checklist, findings and their follow-up, sanctions,
and the consumers' reports that become inspections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.models import User
from ocop.accounts.permissions import scope_of
from ocop.backoffice.views.common import Request, id_of, paginate, posted_date, query_without_page
from ocop.certificates import access as certificate_access
from ocop.certificates.models import Certificate
from ocop.core.uploads import file_response
from ocop.outlets.models import Outlet
from ocop.places.models import Province
from ocop.registry.models import Producer, Product
from ocop.supervision import access, risk, services
from ocop.supervision.enums import CheckArea, CheckResult, FindingState, InspectionState, SanctionKind, Severity
from ocop.supervision.models import Finding, InspectionPhoto


def _province(request: Request) -> Province | None:
    """The province whose inspections the user plans (the first, if several)."""
    ids = sorted(access.planning_provinces(request.user))
    if not ids and scope_of(request.user).is_admin:
        return Province.objects.filter(code=request.GET.get("tinh") or "01").first()
    return Province.objects.filter(pk=ids[0]).first() if ids else None


def _inspectors(province: Province) -> list[User]:
    return list(
        User.objects.filter(roles__role__in=access.INSPECTORS, roles__province=province, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


def _list(request: Request, errors: dict[str, list[str]]) -> HttpResponse:
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
            "inspectors": _inspectors(province) if province else [],
            "outlets": Outlet.objects.filter(province=province).order_by("name") if province else [],
            "open_findings": Finding.objects.filter(
                inspection__in=access.inspections_visible_to(user), state=FindingState.OPEN
            ).count(),
            "errors": errors,
            "today": today,
        },
        status=400 if errors else 200,
    )


@login_required
def inspection_list(request: Request) -> HttpResponse:
    return _list(request, {})


@login_required
@require_POST
def plan_create(request: Request) -> HttpResponse:
    province = _province(request)
    if province is None:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    starts_on = posted_date(request, "starts_on", _("First day"), errors)
    ends_on = posted_date(request, "ends_on", _("Last day"), errors)
    try:
        if errors:
            raise ValidationError(errors)
        plan = services.create_plan(
            by=request.user, province=province, title=request.POST.get("title", ""), starts_on=starts_on,
            ends_on=ends_on, team=request.POST.get("team", ""), note=request.POST.get("note", ""),
        )  # fmt: skip
    except ValidationError as exc:
        return _list(request, exc.message_dict)
    messages.success(request, _("Inspection plan “%(title)s” created.") % {"title": plan.title})
    return redirect("backoffice:inspection_list")


@login_required
@require_POST
def inspection_schedule(request: Request) -> HttpResponse:
    province = _province(request)
    if province is None:
        raise PermissionDenied
    post = request.POST
    errors: dict[str, list[str]] = {}
    planned_on = posted_date(request, "planned_on", _("Day"), errors)
    report = certificate_access.reports_visible_to(request.user).filter(pk=id_of(post.get("report"))).first()
    product = Product.objects.filter(pk=id_of(post.get("product"))).select_related("producer").first()
    producer = Producer.objects.filter(pk=id_of(post.get("producer"))).first()
    if post.get("producer") and producer is None:
        errors["subject"] = [_("Producer: no producer has the number “%(value)s”.") % {"value": post["producer"][:20]}]
    try:
        if errors:
            raise ValidationError(errors)
        inspection = services.schedule(
            by=request.user, province=province, planned_on=planned_on, producer=producer, product=product,
            outlet=Outlet.objects.filter(pk=id_of(post.get("outlet"))).first(),
            plan=access.plans_visible_to(request.user).filter(pk=id_of(post.get("plan"))).first(),
            inspector=User.objects.filter(pk=id_of(post.get("inspector"))).first(), report=report,
            reasons=post.getlist("reason"),
        )  # fmt: skip
    except ValidationError as exc:
        return _list(request, exc.message_dict)
    messages.success(
        request, _("Inspection scheduled for %(day)s.") % {"day": inspection.planned_on.strftime("%d/%m/%Y")}
    )
    return redirect("backoffice:inspection_detail", pk=inspection.pk)


def _posted(request: Request, area: CheckArea, line: object) -> dict[str, object]:
    """One check of the form, with what was typed when the form comes back refused."""
    post = request.POST
    names = ("result", "note", "finding", "severity", "fix_by")
    return {"area": area, "line": line} | {n: post.get(f"{n}_{area}", "") for n in names}


def _detail(request: Request, pk: int, errors: dict[str, list[str]]) -> HttpResponse:
    errors = {("general" if key == "__all__" else key): value for key, value in errors.items()}
    inspection = access.get_inspection_for_user(request.user, pk)
    certificates = Certificate.objects.none()
    if inspection.producer_id:
        certificates = Certificate.objects.filter(producer_id=inspection.producer_id).select_related("product")
        if inspection.product_id:
            certificates = certificates.filter(product_id=inspection.product_id)
    checks = {c.area: c for c in inspection.checks.all()}
    return render(
        request,
        "backoffice/supervision/detail.html",
        {
            "inspection": inspection,
            "areas": [_posted(request, area, checks.get(area)) for area in CheckArea],
            "results": CheckResult.choices,
            "severities": Severity.choices,
            "findings": inspection.findings.all(),
            "sanctions": inspection.sanctions.select_related("certificate", "decided_by"),
            "photos": inspection.photos.all(),
            "certificates": certificates.order_by("-issued_on"),
            "sanction_kinds": SanctionKind.choices,
            "can_record": access.can_record(request.user, inspection),
            "can_sanction": access.can_plan(request.user, inspection.province_id),
            "errors": errors,
            "today": timezone.localdate(),
        },
        status=400 if errors else 200,
    )


@login_required
def inspection_detail(request: Request, pk: int) -> HttpResponse:
    return _detail(request, pk, {})


@login_required
@require_POST
def inspection_record(request: Request, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    errors: dict[str, list[str]] = {}
    done_on = posted_date(request, "done_on", _("Inspection day"), errors)
    post = request.POST
    checks: dict[str, tuple[str, str]] = {
        area: (post.get(f"result_{area}", ""), post.get(f"note_{area}", "")) for area in CheckArea
    }
    findings = {}
    for area in CheckArea:
        fix_by = posted_date(request, f"fix_by_{area}", _("Fix by"), errors)
        findings[area.value] = services.FindingInput(
            post.get(f"finding_{area}", ""), post.get(f"severity_{area}", ""), fix_by
        )
    try:
        if errors:
            raise ValidationError(errors)
        services.record(
            by=request.user, inspection=inspection, done_on=done_on, checks=checks, findings=findings,
            summary=post.get("summary", ""),
        )  # fmt: skip
        for upload in request.FILES.getlist("photos"):
            services.add_photo(by=request.user, inspection=inspection, upload=upload)
    except ValidationError as exc:
        return _detail(request, pk, exc.message_dict)
    messages.success(request, _("Inspection recorded."))
    return redirect("backoffice:inspection_detail", pk=inspection.pk)


@login_required
@require_POST
def photo_add(request: Request, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise ValidationError({"photo": [_("Choose a photo.")]})
        services.add_photo(
            by=request.user, inspection=inspection, upload=upload, caption=request.POST.get("caption", "")
        )
    except ValidationError as exc:
        return _detail(request, pk, exc.message_dict)
    messages.success(request, _("Photo added."))
    return redirect("backoffice:inspection_detail", pk=inspection.pk)


@login_required
def photo_file(request: Request, pk: int, photo_pk: int) -> FileResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    photo = InspectionPhoto.objects.filter(inspection=inspection, pk=photo_pk).first()
    if photo is None:
        raise Http404
    return file_response(photo.file, content_type=photo.content_type)


@login_required
@require_POST
def finding_fix(request: Request, pk: int, finding_pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    finding = inspection.findings.filter(pk=finding_pk).first()
    if finding is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    fixed_on = posted_date(request, "fixed_on", _("Fixed on"), errors)
    try:
        if errors:
            raise ValidationError(errors)
        services.fix_finding(by=request.user, finding=finding, fixed_on=fixed_on, note=request.POST.get("note", ""))
    except ValidationError as exc:
        return _detail(request, pk, exc.message_dict)
    messages.success(request, _("The fix is recorded."))
    return redirect("backoffice:inspection_detail", pk=inspection.pk)


@login_required
@require_POST
def sanction_add(request: Request, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for_user(request.user, pk)
    post = request.POST
    certificates = Certificate.objects.filter(pk=id_of(post.get("certificate")))
    if inspection.producer_id:
        certificates = certificates.filter(producer_id=inspection.producer_id)
    certificate = certificates.first()
    try:
        sanction = services.impose(
            by=request.user, inspection=inspection, kind=post.get("kind", ""), certificate=certificate,
            reason=post.get("reason", ""), finding=inspection.findings.filter(pk=id_of(post.get("finding"))).first(),
        )  # fmt: skip
    except ValidationError as exc:
        return _detail(request, pk, exc.message_dict)
    messages.success(request, _("Sanction recorded: %(kind)s.") % {"kind": sanction.get_kind_display()})
    return redirect("backoffice:inspection_detail", pk=inspection.pk)
