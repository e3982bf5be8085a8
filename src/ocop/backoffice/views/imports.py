"""Imports: upload (stored and queued, nothing read in the request), the dry run the worker makes, the person's
decisions, the save, and a job whose worker died offered again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import require
from ocop.backoffice.forms import ConfirmForm, ImportDecisionForm, ImportForm
from ocop.backoffice.links import url_of
from ocop.backoffice.views.common import Request, form_messages, run_form, xlsx_response
from ocop.core import jobs as leases
from ocop.registry import access
from ocop.registry.exports import template_workbook
from ocop.registry.importing import CREATE, ERROR, PARKED, REVIEW, UPDATE, Choices, ImportReport
from ocop.registry.imports import IMPORTERS, OTHER_IMPORTS, can_import
from ocop.registry.jobs import ImportFileGone, TooManyImports, queue_import, rerun_import, start_import
from ocop.registry.models import ImportJob, ImportStatus, ParkReason

TITLES = {"producers": gettext_lazy("Import producers"), "products": gettext_lazy("Import products")}
DONE_URLS = {"producers": "backoffice:producer_list", "products": "backoffice:product_list"}
SHOWN = 200  # rows of each list on the dry-run page; the counts cover them all
REASONS = dict(ParkReason.choices)


def _title(kind: str) -> Any:
    return OTHER_IMPORTS[kind].title if kind in OTHER_IMPORTS else TITLES.get(kind, "")


def _check_kind(request: Request, kind: str) -> None:
    if kind not in IMPORTERS and kind not in OTHER_IMPORTS:
        raise Http404
    require(can_import(request.user, kind))


@login_required
def import_start(request: Request, kind: str) -> HttpResponse:
    _check_kind(request, kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    done = run_form(form, lambda data: _start(request, kind, data["file"]))
    if done.value is not None:
        return redirect("backoffice:import_job", pk=done.value.pk)
    jobs = access.import_jobs_of(request.user).filter(kind=kind)[:10]
    return render(
        request,
        "backoffice/imports/start.html",
        {"form": form, "kind": kind, "title": _title(kind), "jobs": jobs},
        status=400 if form.errors else 200,
    )


def _start(request: Request, kind: str, upload: Any) -> ImportJob:
    try:
        return start_import(kind=kind, upload=upload, original_name=upload.name, by=request.user)
    except TooManyImports as exc:
        raise ValidationError({"file": [str(exc)]}) from None


@login_required
def import_template(request: Request, kind: str) -> HttpResponse:
    if kind in OTHER_IMPORTS:
        return xlsx_response(OTHER_IMPORTS[kind].template(), f"mau-{kind}.xlsx")
    if kind not in IMPORTERS:
        raise Http404
    return xlsx_response(template_workbook(kind), f"mau-{kind}.xlsx")


def _job(request: Request, pk: int) -> ImportJob:
    job = access.get_import_job_for_user(request.user, pk)
    leases.reap(job)  # a job whose worker died shows as failed, with "Run again"
    return job


def _context(job: ImportJob, report: ImportReport | None, form: ImportDecisionForm | None) -> dict[str, Any]:
    rows = report.rows if report else []
    if job.kind in OTHER_IMPORTS:
        done_url = url_of(OTHER_IMPORTS[job.kind].done)
    else:
        done_url = reverse(DONE_URLS[job.kind]) if job.kind in DONE_URLS else ""
    return {
        "job": job,
        "report": report,
        "running": job.running,
        "title": _title(job.kind),
        "done_url": done_url,
        "form": form,
        "errors": report.errors[:SHOWN] if report else [],
        "updates": [r for r in rows if r.action == UPDATE][:SHOWN],
        "reviews": [
            (r, REASONS.get(r.reason, r.reason)) for r in rows if r.action in (REVIEW, PARKED) and r.reason != ERROR
        ][:SHOWN],
        # What a saved row will still lack; a row that changes nothing is no news (its record lacked it already).
        "flagged": [r for r in rows if r.flags and r.action in (CREATE, UPDATE)][:SHOWN],
        "not_saved": job.commit and report is not None and not report.committed and not report.file_error,
        "can_park": job.kind not in OTHER_IMPORTS or OTHER_IMPORTS[job.kind].importer.can_park,
    }


@login_required
def import_job(request: Request, pk: int) -> HttpResponse:
    job = _job(request, pk)
    report = ImportReport.from_dict(job.report) if job.report else None
    if request.htmx and job.running:
        return render(request, "backoffice/imports/_progress.html", {"job": job})
    if request.htmx:
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    form = None
    if job.status == ImportStatus.CHECKED and report is not None and not report.file_error:
        form = ImportDecisionForm(initial={"mode": job.mode, "incomplete": job.incomplete}, report=report)
    context = _context(job, report, form)
    # A refused file, or rows that are wrong, is refused input: say so in the status too.
    refused = job.status == ImportStatus.REFUSED or (report is not None and report.errors and not report.committed)
    return render(request, "backoffice/imports/job.html", context, status=422 if refused else 200)


@login_required
@require_POST
def import_decide(request: Request, pk: int) -> HttpResponse:
    """Save (or check again with) the person's decisions: both go back to the worker."""
    job = _job(request, pk)
    if job.status != ImportStatus.CHECKED or not job.report:
        messages.error(request, _("This import cannot be saved now."))
        return redirect("backoffice:import_job", pk=job.pk)
    report = ImportReport.from_dict(job.report)
    form = ImportDecisionForm(request.POST, report=report)
    done = run_form(form, lambda data: _queue(job, request, form, data))
    if not done.ok and form.errors:
        return render(request, "backoffice/imports/job.html", _context(job, report, form), status=400)
    return redirect("backoffice:import_job", pk=job.pk)


def _queue(job: ImportJob, request: Request, form: ImportDecisionForm, data: dict[str, Any]) -> bool:
    try:
        queue_import(
            job=job,
            by=request.user,
            commit=form.commit(),
            choices=form.choices_made(Choices.from_dict(job.choices)),
            mode=data["mode"],
            incomplete=data["incomplete"],
        )
    except ValueError:  # another request queued it meanwhile (a double click, a second tab)
        messages.error(request, _("This import is already queued: its page shows how it goes."))
        return False
    return True


@login_required
@require_POST
def import_rerun(request: Request, pk: int) -> HttpResponse:
    job = _job(request, pk)
    form = ConfirmForm(request.POST)
    if not run_form(form, lambda _data: _rerun(job, request)).ok:
        form_messages(request, form)
    return redirect("backoffice:import_job", pk=job.pk)


def _rerun(job: ImportJob, request: Request) -> ImportJob:
    """Run a stopped import again; a refusal is the form's error (a message on the import's page)."""
    if not (job.status == ImportStatus.FAILED or job.waiting_too_long) or not job.file:
        raise ValidationError(_("Only a stopped import can be run again."))
    try:
        return rerun_import(job=job, by=request.user)
    except ImportFileGone as exc:
        raise ValidationError(str(exc)) from None
    except ValueError:  # queued again meanwhile by another request
        raise ValidationError(_("This import is already queued: its page shows how it goes.")) from None
