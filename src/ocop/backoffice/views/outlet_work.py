"""Outlet assessments against their checklist, and monthly sales (on a page, or from a prefilled workbook)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.views.common import Request, paginate, posted_date, prefixed, report_errors, xlsx_response
from ocop.core.cells import whole_digits
from ocop.outlets import access, sales, services
from ocop.outlets.enums import AssessmentState, FileKind
from ocop.outlets.models import Assessment, SalesRecord, StockItem
from ocop.outlets.rules import month_end


def _assessment(request: Request, pk: int, assessment_pk: int) -> Assessment:
    outlet = access.get_outlet_for_user(request.user, pk)
    assessment = (
        Assessment.objects.filter(outlet=outlet, pk=assessment_pk)
        .select_related("checklist", "outlet__province")
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


@login_required
@require_POST
def assessment_start(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    try:
        assessment = services.start_assessment(by=request.user, outlet=outlet)
    except ValidationError as exc:
        report_errors(request, exc)
        return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)
    return redirect("backoffice:assessment_detail", pk=outlet.pk, assessment_pk=assessment.pk)


@login_required
def assessment_detail(request: Request, pk: int, assessment_pk: int) -> HttpResponse:
    assessment = _assessment(request, pk, assessment_pk)
    outlet = assessment.outlet
    can_edit = access.can_manage(request.user, outlet.province_id) and assessment.state == AssessmentState.DRAFT
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        access.require(can_edit)
        met, points, notes = prefixed(request, "met-"), prefixed(request, "points-"), prefixed(request, "note-")
        answers = {
            number: {"met": met.get(key), "points": points.get(key), "note": notes.get(key)}
            for key in {*met, *points, *notes}
            if (number := whole_digits(key)) is not None
        }
        assessed_on = posted_date(request, "assessed_on", _("Assessment date"), errors)
        try:
            if errors:
                raise ValidationError(errors)
            services.save_assessment(
                by=request.user,
                assessment=assessment,
                answers=answers,
                assessed_on=assessed_on,
                team=request.POST.get("team", ""),
                note=request.POST.get("note", ""),
            )
            if upload := request.FILES.get("evidence"):
                services.add_file(
                    by=request.user,
                    outlet=outlet,
                    kind=FileKind.EVIDENCE,
                    upload=upload,
                    caption=request.POST.get("evidence_caption", ""),
                    assessment=assessment,
                )
            if request.POST.get("finalise"):
                verdict = services.finalise_assessment(by=request.user, assessment=assessment)
                if verdict.passed:
                    messages.success(
                        request, _("Assessment final: passed with %(total)s points.") % {"total": verdict.total}
                    )
                else:
                    messages.warning(request, _("Assessment final: not passed."))
            else:
                messages.success(request, _("Assessment saved."))
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            report_errors(request, exc)
        else:
            return redirect("backoffice:assessment_detail", pk=outlet.pk, assessment_pk=assessment.pk)
    lines = list(assessment.lines.select_related("item").order_by("item__position"))
    return render(
        request,
        "backoffice/outlets/assessment.html",
        {
            "outlet": outlet,
            "assessment": assessment,
            "lines": lines,
            "files": assessment.files.all(),
            "can_edit": can_edit,
            "errors": errors,
            "pass_mark": services.rules.pass_mark(assessment.checklist.code, assessment.checklist.pass_mark),
        },
        status=400 if errors else 200,
    )


def _month(value: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        return sales.parse_month(value) if value else today.replace(day=1)
    except ValidationError:
        return today.replace(day=1)


@login_required
def outlet_sales(request: Request, pk: int) -> HttpResponse:
    """A month's sales of the outlet: one row per product on the shelf that month."""
    outlet = access.get_outlet_for_user(request.user, pk)
    can_operate = access.can_operate(request.user, outlet)
    month = _month(request.GET.get("month") or request.POST.get("month"))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        access.require(can_operate)
        quantities, revenues = prefixed(request, "quantity-"), prefixed(request, "revenue-")
        entries = [
            sales.Entry(product_id=key, quantity=quantities[key], revenue=revenues.get(key, ""), row=number)
            for key in quantities
            if (number := sales.product_number(key)) is not None
            and (quantities[key].strip() or revenues.get(key, "").strip())
        ]
        try:
            count = sales.record_sales(by=request.user, outlet=outlet, month=month, entries=entries)
        except ValidationError as exc:
            errors = exc.message_dict
            report_errors(request, exc)
        else:
            messages.success(
                request,
                _("%(count)s rows recorded for %(month)s.") % {"count": count, "month": month.strftime("%m/%Y")},
            )
            return redirect(f"{request.path}?month={month:%m/%Y}")
    recorded = {r.product_id: r for r in SalesRecord.objects.filter(outlet=outlet, month=month)}
    items = (
        StockItem.objects.filter(outlet=outlet, product__isnull=False, added_on__lte=month_end(month))
        .exclude(removed_on__lt=month)
        .select_related("product__producer")
        .order_by("product__name")
    )
    rows = []
    for item in items:
        record, key = recorded.get(item.product_id), str(item.product_id)  # type: ignore[arg-type]
        rows.append(
            {
                "item": item,
                "quantity": request.POST.get(f"quantity-{key}", "") if errors else (record.quantity if record else ""),
                "revenue": request.POST.get(f"revenue-{key}", "") if errors else (record.revenue if record else ""),
                "error": errors.get(f"product-{key}", [])
                + errors.get(f"quantity-{key}", [])
                + errors.get(f"revenue-{key}", []),
            }
        )
    return render(
        request,
        "backoffice/outlets/sales.html",
        {
            "outlet": outlet,
            "month": month,
            "rows": rows,
            "total": sum((r.revenue for r in recorded.values()), 0),
            "can_operate": can_operate,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def outlet_sales_sheet(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    access.require(access.can_operate(request.user, outlet))
    month = _month(request.GET.get("month"))
    return xlsx_response(sales.outlet_sheet(outlet, month), f"doanh-so-{outlet.code}-{month:%Y-%m}.xlsx")


@login_required
def sales_list(request: Request) -> HttpResponse:
    """Sales by outlet, product and producer over the months, for everyone who can see the outlets (producers see
    what outlets sold of their products)."""
    outlets = access.outlets_visible_to(request.user)
    records = SalesRecord.objects.filter(outlet__in=outlets)
    scope = access.scope_of(request.user)
    if not (scope.is_admin or access.can_manage_any(request.user) or scope.communes) and "producer" in scope.roles:
        records = records.filter(producer__members__user=request.user)
    year = request.GET.get("year", "")
    number = whole_digits(year, limit=4)
    if number is not None and number >= 1:  # a year lookup needs a date: years 1 to 9999
        records = records.filter(month__year=number)
    by_outlet = (
        records.values("outlet_id", "outlet__name", "outlet__code")
        .annotate(revenue=Sum("revenue"), rows=Count("id"))
        .order_by("-revenue", "outlet__name")
    )
    by_product = (
        records.values("product_id", "product__name", "producer__name")
        .annotate(revenue=Sum("revenue"), quantity=Sum("quantity"), outlets=Count("outlet", distinct=True))
        .order_by("-revenue", "product__name")
    )
    by_month = records.values("month").annotate(revenue=Sum("revenue")).order_by("month")
    return render(
        request,
        "backoffice/outlets/sales_list.html",
        {
            "by_outlet": paginate(request, list(by_outlet)),
            "by_product": list(by_product[:50]),
            "by_month": list(by_month),
            "total": records.aggregate(total=Sum("revenue"))["total"] or 0,
            "year": year,
            "can_import": sales.can_import_sales(request.user),
        },
    )
