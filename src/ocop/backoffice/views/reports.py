"""Periodic reports: the office picks a period (and a commune), the workbook is made on the task worker while the
page shows its progress, then it is downloaded."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ocop.backoffice.fields import named
from ocop.backoffice.report_forms import ReportForm
from ocop.backoffice.views.common import Request, run_form
from ocop.places.models import Province
from ocop.reporting import access, jobs
from ocop.reporting.models import RunState


@login_required
@require_POST
def report_start(request: Request) -> HttpResponse:
    s = access.statistics_scope(request.user)
    province = Province.objects.get(pk=s.province_id)
    communes = access.report_communes(request.user, province.pk)
    own = None if access.reads_province(request.user, province.pk) else communes.filter(pk=s.commune_id or 0).first()
    form = ReportForm(request.POST, communes=communes, own=own)
    done = run_form(form, lambda data: jobs.start_report(by=request.user, province=province, **data))
    if not done.ok or done.value is None:
        errors = [
            named(str(form.fields[name].label), str(e)) if name in form.fields else str(e)
            for name, messages in form.errors.items()
            for e in messages
        ]
        return render(request, "backoffice/report_refused.html", {"errors": errors}, status=400)
    return redirect("backoffice:periodic_report", pk=done.value.pk)


@login_required
def report_run(request: Request, pk: int) -> HttpResponse:
    run = access.get_run_for_user(request.user, pk)
    running = run.state in (RunState.QUEUED, RunState.RUNNING)
    context = {"run": run, "running": running}
    if request.htmx and running:
        return render(request, "backoffice/_report_progress.html", context)
    if request.htmx:
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    return render(request, "backoffice/report_run.html", context)


@login_required
def report_file(request: Request, pk: int) -> FileResponse:
    run = access.get_run_for_user(request.user, pk)
    if run.state != RunState.DONE or not run.file:
        raise Http404
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.download_name)
