from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ocop.backoffice.forms import ImportForm
from ocop.backoffice.views.common import Request, xlsx_response
from ocop.registry.exports import template_workbook
from ocop.registry.imports import IMPORTERS, OTHER_IMPORTS, ImportReport, can_import
from ocop.registry.jobs import commit_import, start_import
from ocop.registry.models import ImportJob, ImportStatus

TITLES = {"producers": gettext_lazy("Import producers"), "products": gettext_lazy("Import products")}
DONE_URLS = {"producers": "backoffice:producer_list", "products": "backoffice:product_list"}


def _title(kind: str) -> Any:
    return OTHER_IMPORTS[kind].title if kind in OTHER_IMPORTS else TITLES.get(kind, "")


def _check_kind(request: Request, kind: str) -> None:
    if kind not in IMPORTERS and kind not in OTHER_IMPORTS:
        raise Http404
    if not can_import(request.user, kind):
        raise PermissionDenied


@login_required
def import_start(request: Request, kind: str) -> HttpResponse:
    _check_kind(request, kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_import(kind=kind, upload=upload, original_name=upload.name, by=request.user)
        return redirect("backoffice:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user, kind=kind)[:10]
    return render(
        request,
        "backoffice/imports/start.html",
        {"form": form, "kind": kind, "title": _title(kind), "jobs": jobs},
        status=400 if form.errors else 200,
    )


@login_required
def import_template(request: Request, kind: str) -> HttpResponse:
    if kind in OTHER_IMPORTS:
        return xlsx_response(OTHER_IMPORTS[kind].template(), f"mau-{kind}.xlsx")
    if kind not in IMPORTERS:
        raise Http404
    return xlsx_response(template_workbook(kind), f"mau-{kind}.xlsx")


def _job(request: Request, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk, created_by=request.user).first()
    if job is None:
        raise Http404
    return job


@login_required
def import_job(request: Request, pk: int) -> HttpResponse:
    job = _job(request, pk)
    report = ImportReport.from_dict(job.report) if job.report else None
    running = job.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.SAVING)
    done_url = OTHER_IMPORTS[job.kind].done_url if job.kind in OTHER_IMPORTS else DONE_URLS.get(job.kind, "")
    context = {"job": job, "report": report, "running": running, "title": _title(job.kind), "done_url": done_url}
    if request.htmx and running:
        return render(request, "backoffice/imports/_progress.html", context)
    if request.htmx:
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    # A checked file with bad rows is refused input: say so in the status too.
    status = 422 if report is not None and report.errors and not report.committed else 200
    return render(request, "backoffice/imports/job.html", context, status=status)


@login_required
@require_POST
def import_commit(request: Request, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.status != ImportStatus.CHECKED:
        messages.error(request, _("This import cannot be saved now."))
        return redirect("backoffice:import_job", pk=job.pk)
    report = ImportReport.from_dict(job.report)
    choices: dict[int, int] = {}
    for choice in report.choices:
        value = request.POST.get(f"choice-{choice.row}", "")
        valid = {str(c[0]) for c in choice.candidates}
        if value in valid:
            choices[choice.row] = int(value)
    missing = [c.row for c in report.choices if c.row not in choices]
    if report.errors or missing:
        if missing:
            messages.error(
                request,
                _("Choose today's commune for row(s) %(rows)s.") % {"rows": ", ".join(str(r) for r in missing)},
            )
        return redirect("backoffice:import_job", pk=job.pk)
    commit_import(job=job, choices=choices)
    return redirect("backoffice:import_job", pk=job.pk)
