"""The review queue: parked import rows, each with what was wrong, its cells and a form to fix it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.forms import ParkedRowForm
from ocop.backoffice.views.common import Request, int_or_none, paginate, query_without_page
from ocop.registry import access
from ocop.registry.imports import can_import, importer_class
from ocop.registry.models import ParkedRow, ParkState
from ocop.registry.parking import dismiss_parked_row, fix_parked_row, get_parked_row_for_user, parked_rows_visible_to

RESULT_URLS = {"producer": "backoffice:producer_detail", "product": "backoffice:product_detail"}


@login_required
def parked_list(request: Request) -> HttpResponse:
    state = request.GET.get("state") or ParkState.OPEN
    qs = parked_rows_visible_to(request.user).filter(state=state).select_related("province", "commune", "job")
    if job := int_or_none(request.GET.get("job")):
        qs = qs.filter(job_id=job)
    if kind := request.GET.get("kind"):
        qs = qs.filter(kind=kind)
    context = {
        "page": paginate(request, qs.order_by("-created_at", "row")),
        "state": state,
        "query": query_without_page(request),
        "states": ParkState.choices,
    }
    return render(request, "backoffice/parked/list.html", context)


def _form(request: Request, row: ParkedRow) -> ParkedRowForm:
    importer = importer_class(row.kind)
    columns = [title for _name, title in importer.columns]
    candidates = list(row.candidates.order_by("name").values_list("id", "name", "code"))
    allowed = access.communes_for_new_records(request.user)
    if row.province_id:
        allowed = allowed.filter(province_id=row.province_id)
    others = [
        (c.pk, f"{c.name} ({c.code})") for c in allowed.order_by("name") if c.pk not in {x[0] for x in candidates}
    ]
    communes = [(pk, f"{name} ({code})") for pk, name, code in candidates] + others
    similar = _similar(row)
    wants_commune = row.reason in ("place", "incomplete") or row.commune_id is None
    return ParkedRowForm(
        request.POST or None,
        columns=columns,
        cells=row.cells,
        communes=communes if wants_commune and importer.result_kind in ("producer", "product", "certificate") else [],
        similar=similar,
    )


def _similar(row: ParkedRow) -> list[list[object]]:
    if row.job is None or not row.job.report:
        return []
    for result in row.job.report.get("rows", []):
        if result.get("row") == row.row:
            return list(result.get("similar") or [])
    return []


@login_required
def parked_detail(request: Request, pk: int) -> HttpResponse:
    row = get_parked_row_for_user(request.user, pk)
    can_fix = row.state == ParkState.OPEN and can_import(request.user, row.kind)
    form = _form(request, row)
    problems = row.problems
    if request.method == "POST":
        if not can_fix:
            raise PermissionDenied
        if form.is_valid():
            report = fix_parked_row(
                by=request.user,
                parked=row,
                cells=form.cells(),
                commune_id=form.cleaned_data.get("commune"),
                same=form.cleaned_data.get("same") or "",
            )
            if report.committed:
                messages.success(request, _("Row %(row)s saved.") % {"row": row.row})
                return redirect(_next(row))
            problems = [{"column": e.column, "message": e.message} for e in report.errors]
            if not problems and report.rows:
                reason = report.rows[0].reason
                problems = [{"column": "", "message": _waiting(reason)}]
    return render(
        request,
        "backoffice/parked/detail.html",
        {"row": row, "form": form, "problems": problems, "can_fix": can_fix, "result_url": _result_url(row)},
        status=422 if request.method == "POST" else 200,
    )


def _waiting(reason: str) -> str:
    if reason == "similar":
        return _("It looks like an existing record: say whether it is a new one or which one it is.")
    if reason == "place":
        return _("Choose the commune it belongs to today.")
    return _("The row is still incomplete.")


def _next(row: ParkedRow) -> str:
    url = _result_url(row)
    return url or reverse("backoffice:parked_list")


def _result_url(row: ParkedRow) -> str:
    name = RESULT_URLS.get(row.result_kind)
    return reverse(name, args=[row.result_id]) if name and row.result_id else ""


@login_required
@require_POST
def parked_dismiss(request: Request, pk: int) -> HttpResponse:
    row = get_parked_row_for_user(request.user, pk)
    if not can_import(request.user, row.kind):
        raise PermissionDenied
    reason = (request.POST.get("reason") or "").strip()
    if not reason or len(reason) > 300:
        messages.error(request, _("Say in at most 300 characters why the row is dismissed."))
        return redirect("backoffice:parked_detail", pk=row.pk)
    dismiss_parked_row(by=request.user, parked=row, reason=reason)
    messages.success(request, _("Row %(row)s dismissed.") % {"row": row.row})
    return redirect("backoffice:parked_list")
