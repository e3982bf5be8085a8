"""The review queue: parked import rows, each with what was wrong, its cells and a form to fix it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import require
from ocop.backoffice.forms import DismissForm, ParkedFilter, ParkedRowForm
from ocop.backoffice.views.common import Request, form_messages, paginate, query_without_page, run_form
from ocop.core.collation import vi
from ocop.registry import access
from ocop.registry.imports import importer_class
from ocop.registry.models import ParkedRow, ParkState
from ocop.registry.parking import (
    can_fix,
    dismiss_parked_row,
    fix_parked_row,
    get_parked_row_for_user,
    parked_rows_visible_to,
)

RESULT_URLS = {"producer": "backoffice:producer_detail", "product": "backoffice:product_detail"}


NAME_COLUMNS = ("name", "product", "producer")  # the columns that name a row's record, in this order


def _label(row: ParkedRow) -> str:
    """What the row is about, from its own cells: "Chè búp Ba Vì — HTX Chè Ba Trại"."""
    try:
        columns = dict(importer_class(row.kind).columns)
    except ValueError:
        return ""
    return " — ".join(row.cells[columns[n]] for n in NAME_COLUMNS if n in columns and row.cells.get(columns[n]))


@login_required
def parked_list(request: Request) -> HttpResponse:
    state = request.GET.get("state") or ParkState.OPEN
    if state not in ParkState.values:
        state = ParkState.OPEN
    qs = parked_rows_visible_to(request.user).filter(state=state).select_related("province", "commune", "job")
    job_id = ParkedFilter(request.GET).values().get("job")
    if job_id:
        qs = qs.filter(job_id=job_id)
    page = paginate(request, qs.order_by("-created_at", "row"))
    for row in page:
        row.label = _label(row)
    # The import the list is narrowed to, named from its own rows (a job of someone else's is never looked up).
    job = next((row.job for row in page if row.job_id == job_id), None) if job_id else None
    context = {
        "page": page,
        "state": state,
        "job": job,
        "query": query_without_page(request),
        "states": ParkState.choices,
    }
    return render(request, "backoffice/parked/list.html", context)


def _form(request: Request, row: ParkedRow) -> ParkedRowForm:
    importer = importer_class(row.kind)
    columns = [title for _name, title in importer.columns]
    candidates = _candidates(row)
    allowed = access.communes_for_new_records(request.user)
    if row.province_id:
        allowed = allowed.filter(province_id=row.province_id)
    others = [
        (c.pk, f"{c.name} ({c.code})")
        for c in allowed.order_by(vi("short_name"))
        if c.pk not in {x[0] for x in candidates}
    ]
    suggested = [(pk, _("%(commune)s — suggested") % {"commune": f"{name} ({code})"}) for pk, name, code in candidates]
    communes = suggested + others
    similar = _similar(row)
    wants_commune = row.reason in ("place", "incomplete") or row.commune_id is None
    return ParkedRowForm(
        request.POST or None,
        columns=columns,
        cells=row.cells,
        communes=communes if wants_commune and importer.result_kind in ("producer", "product", "certificate") else [],
        similar=similar,
    )


def _candidates(row: ParkedRow) -> list[tuple[int, str, str]]:
    return list(row.candidates.order_by(vi("short_name")).values_list("id", "name", "code"))


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
    fixable = row.state == ParkState.OPEN and can_fix(request.user, row)
    form = _form(request, row)
    problems = row.problems
    if request.method == "POST":
        require(fixable)
        done = run_form(
            form,
            lambda data: fix_parked_row(
                by=request.user,
                parked=row,
                cells=form.cells(),
                commune_id=data.get("commune"),
                same=data.get("same") or "",
            ),
        )
        report = done.value
        if report is not None and report.committed:
            messages.success(request, _("Row %(row)s saved.") % {"row": row.row})
            return redirect(_next(row))
        if report is not None:
            problems = [{"column": e.column, "message": e.message} for e in report.errors]
            if not problems and report.rows:
                problems = [{"column": "", "message": _waiting(report.rows[0].reason)}]
    context = {
        "row": row,
        "form": form,
        "problems": problems,
        "can_fix": fixable,
        "result_url": _result_url(row),
        "candidates": [name for _pk, name, _code in _candidates(row)],
        "label": _label(row),
    }
    return render(request, "backoffice/parked/detail.html", context, status=422 if request.method == "POST" else 200)


def _waiting(reason: str) -> str:
    if reason == "similar":
        return _("It looks like an existing record: say whether it is a new one or which one it is.")
    if reason == "place":
        return _("Choose the commune it belongs to today.")
    return _("The row is still incomplete.")


def _list_url(row: ParkedRow) -> str:
    """Back to the queue, on the rows of the same import when the row came from one."""
    url = reverse("backoffice:parked_list")
    return f"{url}?job={row.job_id}" if row.job_id else url


def _next(row: ParkedRow) -> str:
    return _result_url(row) or _list_url(row)


def _result_url(row: ParkedRow) -> str:
    name = RESULT_URLS.get(row.result_kind)
    return reverse(name, args=[row.result_id]) if name and row.result_id else ""


@login_required
@require_POST
def parked_dismiss(request: Request, pk: int) -> HttpResponse:
    row = get_parked_row_for_user(request.user, pk)
    form = DismissForm(request.POST)
    if not run_form(form, lambda data: dismiss_parked_row(by=request.user, parked=row, reason=data["reason"])).ok:
        form_messages(request, form)
        return redirect("backoffice:parked_detail", pk=row.pk)
    messages.success(request, _("Row %(row)s dismissed.") % {"row": row.row})
    return redirect(_list_url(row))
