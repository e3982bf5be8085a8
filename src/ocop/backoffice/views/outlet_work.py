"""Outlet assessments against their checklist, and monthly sales (on a page, or from a prefilled workbook)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.forms import ConfirmForm
from ocop.backoffice.outlet_forms import SalesForm, SalesMonthForm, assessment_form
from ocop.backoffice.views.common import Request, form_messages, paginate, run_form, xlsx_response
from ocop.core.cells import whole_digits
from ocop.outlets import access, sales, services
from ocop.outlets.enums import AssessmentState, FileKind
from ocop.outlets.models import Assessment, SalesRecord, StockItem
from ocop.outlets.rules import month_end


@login_required
@require_POST
def assessment_start(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    form = ConfirmForm(request.POST)
    done = run_form(form, lambda data: services.start_assessment(by=request.user, outlet=outlet))
    if not done.ok or done.value is None:
        form_messages(request, form)
        return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)
    return redirect("backoffice:assessment_detail", pk=outlet.pk, assessment_pk=done.value.pk)


def _save_assessment(request: Request, assessment: Assessment, data: dict[str, Any], answers: Any) -> None:
    """The answers with their evidence (both or neither), then the verdict when asked: answers saved stay saved when
    the verdict is refused (an item unanswered)."""
    with transaction.atomic():
        services.save_assessment(
            by=request.user, assessment=assessment, answers=answers, assessed_on=data["assessed_on"],
            team=data["team"], note=data["note"],
        )  # fmt: skip
        if data["evidence"]:
            services.add_file(
                by=request.user, outlet=assessment.outlet, kind=FileKind.EVIDENCE, upload=data["evidence"],
                caption=data["evidence_caption"], assessment=assessment,
            )  # fmt: skip
    if not data["finalise"]:
        messages.success(request, _("Assessment saved."))
        return
    verdict = services.finalise_assessment(by=request.user, assessment=assessment)
    if verdict.passed:
        messages.success(
            request, _("Assessment final: passed with %(total)s points.") % {"total": number_format(verdict.total)}
        )
    else:
        messages.warning(request, _("Assessment final: not passed."))


@login_required
def assessment_detail(request: Request, pk: int, assessment_pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    assessment = access.get_assessment(outlet, assessment_pk)
    form = assessment_form(assessment, request.POST or None, request.FILES or None)
    if run_form(form, lambda data: _save_assessment(request, assessment, data, form.answers())).ok:
        return redirect("backoffice:assessment_detail", pk=outlet.pk, assessment_pk=assessment.pk)
    if form.errors:
        form_messages(request, form)
    return render(
        request,
        "backoffice/outlets/assessment.html",
        {
            "outlet": outlet,
            "assessment": assessment,
            "lines": form.lines,
            "files": assessment.files.all(),
            "can_edit": access.can_manage(request.user, outlet.province_id)
            and assessment.state == AssessmentState.DRAFT,
            "errors": form.errors,
            "pass_mark": services.rules.pass_mark(assessment.checklist.code, assessment.checklist.pass_mark),
        },
        status=400 if form.errors else 200,
    )


def _month(request: Request) -> tuple[dt.date, list[str]]:
    """The month asked for in ?month= (this month when absent), or this month and the refusal naming the field."""
    form = SalesMonthForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["month"] or timezone.localdate().replace(day=1), []
    return timezone.localdate().replace(day=1), [str(e) for e in form.errors["month"]]


@login_required
def outlet_sales(request: Request, pk: int) -> HttpResponse:
    """A month's sales of the outlet: one row per product on the shelf that month; a producer who is not the
    outlet's operator or officer reads only its own products' rows, without the outlet's total."""
    outlet = access.get_outlet_for_user(request.user, pk)
    shown = sales.producers_shown(request.user, outlet)
    ever = list(StockItem.objects.filter(outlet=outlet, product__isnull=False).values_list("product_id", flat=True))
    form = SalesForm(request.POST or None, product_ids=sorted({p for p in ever if p is not None}))
    done = run_form(
        form,
        lambda data: sales.record_sales(by=request.user, outlet=outlet, month=data["month"], entries=form.entries()),
    )
    month, refused = _month(request)
    if form.is_bound and "month" in form.cleaned_data:
        month = form.cleaned_data["month"]
    if done.ok:
        messages.success(
            request, _("%(count)s rows recorded for %(month)s.") % {"count": done.value, "month": f"{month:%m/%Y}"}
        )
        return redirect(f"{request.path}?month={month:%m/%Y}")
    for message in [*refused, *form.errors.get("month", []), *form.non_field_errors()]:  # a row's on its row
        messages.error(request, message)
    recorded_rows = SalesRecord.objects.filter(outlet=outlet, month=month)
    items = (
        StockItem.objects.filter(outlet=outlet, product__isnull=False, added_on__lte=month_end(month))
        .exclude(removed_on__lt=month)
        .select_related("product__producer")
        .order_by("product__name")
    )
    if shown is not None:  # a competitor's figures are not this producer's to read
        recorded_rows = recorded_rows.filter(producer_id__in=shown)
        items = items.filter(product__producer_id__in=shown)
    recorded = {r.product_id: r for r in recorded_rows}
    rows: list[dict[str, Any]] = []
    for item in items:
        record, key = recorded.get(item.product_id), str(item.product_id)  # type: ignore[arg-type]
        rows.append(
            {
                "item": item,
                "quantity": form.data.get(f"quantity-{key}", "")
                if form.errors
                else (record.quantity if record else ""),
                "revenue": form.data.get(f"revenue-{key}", "") if form.errors else (record.revenue if record else ""),
                "error": form.errors.get(f"quantity-{key}", []) + form.errors.get(f"revenue-{key}", []),
            }
        )
    return render(
        request,
        "backoffice/outlets/sales.html",
        {
            "outlet": outlet,
            "month": month,
            "rows": rows,
            "total": sum((r.revenue for r in recorded.values()), 0) if shown is None else None,
            "can_operate": access.can_operate(request.user, outlet),
        },
        status=400 if form.errors or refused else 200,
    )


@login_required
def outlet_sales_sheet(request: Request, pk: int) -> HttpResponse:
    outlet = access.get_outlet_for_user(request.user, pk)
    access.require(access.can_operate(request.user, outlet))
    month, refused = _month(request)
    if refused:
        for message in refused:
            messages.error(request, message)
        return render(request, "backoffice/outlets/refused.html", {"outlet": outlet}, status=400)
    return xlsx_response(sales.outlet_sheet(outlet, month), f"doanh-so-{outlet.code}-{month:%Y-%m}.xlsx")


@login_required
def sales_list(request: Request) -> HttpResponse:
    """Sales by outlet, product and producer over the months, for everyone who can see the outlets (producers see
    what outlets sold of their products)."""
    records = sales.records_visible_to(request.user)  # a producer: its own products' rows only
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
