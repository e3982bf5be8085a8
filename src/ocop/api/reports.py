"""The periodic report, as the back office makes it: start a run (the task worker builds the workbook), poll it,
download the workbook. Who may: the province's offices (OCOP office, commerce officers, inspectors) for the province
or any of its communes, a commune officer for their own commune (ocop.reporting.access); a run of another province
or commune is not found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status

from ocop.api.auth import api_auth
from ocop.api.enums import ReportState
from ocop.api.errors import ApiRouter
from ocop.api.params import Code, PathId
from ocop.places.models import Commune, Province
from ocop.reporting import access, jobs
from ocop.reporting.models import ReportRun, RunState

router = ApiRouter(tags=["reports"], auth=api_auth)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportIn(Schema):
    starts_on: dt.date = Field(description="the period's first day")
    ends_on: dt.date = Field(description="the period's last day")
    province: Code | None = Field(
        None, description="province code; by default the province you report on (an administrator: the default one)"
    )
    commune: Code | None = Field(
        None, description="limit the report to this commune (a commune officer: their own, the default)"
    )
    legacy: bool = Field(False, description="add the former districts' sheet (periods before July 2025)")


class ReportRunOut(Schema):
    id: int
    state: ReportState
    done: int = Field(description="steps done")
    total: int = Field(description="steps in all")
    percent: int = Field(description="progress, 0 to 100")
    province_code: str
    commune_code: str | None
    starts_on: dt.date
    ends_on: dt.date
    legacy: bool
    created_at: dt.datetime
    poll_url: str = Field(description="this run's address: ask it again until its state is done or failed")
    workbook_url: str | None = Field(description="the workbook's address once the state is done; else null")


def _out(request: HttpRequest, run: ReportRun) -> dict[str, Any]:
    done = run.state == RunState.DONE and bool(run.file)
    return {
        "id": run.pk,
        "state": run.state,
        "done": run.done,
        "total": run.total,
        "percent": run.percent,
        "province_code": run.province.code,
        "commune_code": run.commune.code if run.commune else None,
        "starts_on": run.starts_on,
        "ends_on": run.ends_on,
        "legacy": run.legacy,
        "created_at": run.created_at,
        "poll_url": request.build_absolute_uri(reverse("api:get_periodic_report", args=[run.pk])),
        "workbook_url": request.build_absolute_uri(reverse("api:download_periodic_report", args=[run.pk]))
        if done
        else None,
    }


def _unit(request: HttpRequest, payload: ReportIn) -> tuple[Province, Commune | None]:
    """The province and commune asked for, as the back office's report form settles them."""
    if payload.province:
        province = Province.objects.filter(code=payload.province).first()
        if province is None:
            raise ValidationError({"province": [_("Unknown province code “%(code)s”.") % {"code": payload.province}]})
    else:
        province = Province.objects.get(pk=access.statistics_scope(request.user).province_id)
    if payload.commune:
        commune = Commune.objects.filter(code=payload.commune).first()
        if commune is None:
            raise ValidationError({"commune": [_("Unknown commune code “%(code)s”.") % {"code": payload.commune}]})
        return province, commune
    if access.reads_province(request.user, province.pk):
        return province, None
    return province, access.report_communes(request.user, province.pk).first()


@router.post(
    "/reports/periodic",
    response={202: ReportRunOut},
    summary="Start a periodic report (the workbook is made in the background)",
)
def start_periodic_report(request: HttpRequest, payload: ReportIn) -> Status[dict[str, Any]]:
    province, commune = _unit(request, payload)
    run = jobs.start_report(
        by=request.user,
        province=province,
        commune=commune,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        legacy=payload.legacy,
    )
    return Status(202, _out(request, access.get_run_for_user(request.user, run.pk)))


@router.get("/reports/periodic/{run_id}", response=ReportRunOut, summary="A periodic report's progress")
def get_periodic_report(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    return _out(request, access.get_run_for_user(request.user, run_id))


@router.get(
    "/reports/periodic/{run_id}/workbook",
    response={200: None},
    summary="A periodic report's workbook (xlsx), once done",
    openapi_extra={
        "responses": {
            200: {"description": "the workbook", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}
        }
    },
)
def download_periodic_report(request: HttpRequest, run_id: PathId) -> FileResponse:
    run = access.get_run_for_user(request.user, run_id)
    if run.state != RunState.DONE or not run.file:
        raise Http404
    return FileResponse(run.file.open("rb"), as_attachment=True, filename=run.download_name, content_type=XLSX)
