"""Periodic reports: the office picks a period (and a commune), the workbook is made on the task worker while the
page shows its progress, then it is downloaded."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import scope_of
from ocop.backoffice.views.common import Request, id_of, posted_date
from ocop.backoffice.views.statistics import READERS, statistics_scope
from ocop.places.models import Commune, Province
from ocop.reporting import jobs
from ocop.reporting.models import ReportRun, RunState


@login_required
@require_POST
def report_start(request: Request) -> HttpResponse:
    s = statistics_scope(request)
    errors: dict[str, list[str]] = {}
    starts_on = posted_date(request, "starts_on", _("From"), errors)
    ends_on = posted_date(request, "ends_on", _("To"), errors)
    commune = Commune.objects.filter(pk=id_of(request.POST.get("commune"))).first()
    if s.commune_id and (commune is None or commune.pk != s.commune_id) and not _province_reader(request, s):
        commune = Commune.objects.get(pk=s.commune_id)  # a commune officer reports on their commune only
    if errors:  # each already names its field
        return render(
            request, "backoffice/report_refused.html", {"errors": [m for ms in errors.values() for m in ms]}, status=400
        )
    try:
        run = jobs.start_report(
            by=request.user, province=Province.objects.get(pk=s.province_id), starts_on=starts_on, ends_on=ends_on,
            commune=commune, legacy=request.POST.get("legacy") == "1",
        )  # fmt: skip
    except ValidationError as exc:
        labels = {"starts_on": _("From"), "ends_on": _("To"), "commune": _("Commune")}
        named = [
            f"{labels[field]}: {message}" if field in labels else message
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        return render(request, "backoffice/report_refused.html", {"errors": named}, status=400)
    return redirect("backoffice:periodic_report", pk=run.pk)


def _province_reader(request: Request, s: object) -> bool:
    scope = scope_of(request.user)
    return scope.is_admin or s.province_id in scope.provinces_for(*READERS)  # type: ignore[attr-defined]


def _run_for(request: Request, pk: int) -> ReportRun:
    run = ReportRun.objects.select_related("province", "commune").filter(pk=pk).first()
    if run is None:
        raise Http404
    scope = scope_of(request.user)
    if not (scope.is_admin or run.province_id in scope.provinces_for(*READERS) or run.commune_id in scope.communes):
        raise Http404
    return run


@login_required
def report_run(request: Request, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
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
    run = _run_for(request, pk)
    if run.state != RunState.DONE or not run.file:
        raise Http404
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=(run.file.name or "").rsplit("/", 1)[-1])
