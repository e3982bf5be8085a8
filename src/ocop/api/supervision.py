"""Supervision in the API: inspections with their checklist, findings and sanctions, and the consumers' reports from
the scan page.

Who reads what is the back office's rule, from the same gateways:
- inspections (ocop.supervision.access.inspections_visible_to): the province's inspectors, OCOP office and commerce
  officers, the province's; a commune officer, those of their communes' producers and outlets; a producer or an
  outlet operator, their own once inspected (with the findings to fix);
- consumers' reports (ocop.certificates.access.reports_visible_to): the province's readers, the reports on their
  province's certificates and those of an unknown code (a suspected fake concerns every province); anyone else (a
  producer, an outlet operator, a commune officer) gets an empty list, as in the back office, and a 404 for one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from ninja import Field, Query, Schema

from ocop.accounts.permissions import visible_or_404
from ocop.api.auth import api_auth
from ocop.api.enums import (
    CheckArea,
    CheckResult,
    ConsumerReportKind,
    FindingState,
    InspectionState,
    RiskReason,
    SanctionKind,
    Severity,
)
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import Id, PathId
from ocop.certificates import access as certificate_access
from ocop.certificates.models import ConsumerReport
from ocop.supervision import access
from ocop.supervision.models import Inspection

router = ApiRouter(tags=["supervision"], auth=api_auth)


class SubjectOut(Schema):
    id: int
    name: str


class InspectionPlanRefOut(Schema):
    id: int
    title: str


class InspectionOut(Schema):
    id: int
    state: InspectionState
    planned_on: dt.date = Field(description="the day it was planned for")
    done_on: dt.date | None = Field(description="the day it was done; null while planned")
    province: str = Field(description="the code of the province that runs it")
    producer: SubjectOut | None = Field(description="the producer inspected (about one product, or all)")
    product: SubjectOut | None = Field(description="the product inspected, when it is about one")
    outlet: SubjectOut | None = Field(description="the outlet inspected")
    inspector: str | None = Field(description="the inspector's name")
    plan: InspectionPlanRefOut | None = Field(description="the inspection plan it belongs to")
    findings: int = Field(description="how many findings it recorded")


class InspectionPage(Page[InspectionOut]): ...


class CheckOut(Schema):
    area: CheckArea
    result: CheckResult
    note: str


class FindingOut(Schema):
    id: int
    area: CheckArea
    description: str
    severity: Severity
    fix_by: dt.date = Field(description="the day the fix is due")
    state: FindingState
    fixed_on: dt.date | None
    follow_up: str


class SanctionOut(Schema):
    id: int
    kind: SanctionKind
    finding_id: int | None = Field(description="the finding it follows, if one")
    certificate: str | None = Field(description="the number of the certificate it acts on, if one")
    reason: str
    decided_on: dt.date


class InspectionDetailOut(InspectionOut):
    summary: str
    reasons: list[RiskReason] = Field(description="why the subject was chosen, when picked by risk")
    consumer_report_id: int | None = Field(description="the consumer's report it was opened from, if one")
    checks: list[CheckOut] = Field(description="the checklist as recorded (empty while planned)")
    finding_list: list[FindingOut] = Field(description="its findings, by the day the fix is due")
    sanctions: list[SanctionOut] = Field(description="the sanctions imposed after it, the latest first")


class InspectionFilters(PageQuery):
    state: InspectionState | None = None
    year: int | None = Field(None, ge=2018, le=2100, description="the year it was done in (or is planned for)")
    producer: Id | None = Field(None, description="a producer's id")
    product: Id | None = Field(None, description="a product's id")
    outlet: Id | None = Field(None, description="an outlet's id")


def _subject(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _inspection(i: Inspection) -> dict[str, Any]:
    return {
        "id": i.pk,
        "state": i.state,
        "planned_on": i.planned_on,
        "done_on": i.done_on,
        "province": i.province.code,
        "producer": _subject(i.producer),
        "product": _subject(i.product),
        "outlet": _subject(i.outlet),
        "inspector": i.inspector.get_full_name() if i.inspector else None,
        "plan": {"id": i.plan.pk, "title": i.plan.title} if i.plan else None,
        "findings": i.finding_count,  # type: ignore[attr-defined]
    }


def _visible(request: HttpRequest) -> Any:
    return (
        access.inspections_visible_to(request.user)
        .select_related("province", "producer", "product", "outlet", "inspector", "plan")
        .annotate(finding_count=Count("findings"))
    )


@router.get("/inspections", response=InspectionPage, summary="Inspections (post-certification supervision)")
def list_inspections(request: HttpRequest, filters: Query[InspectionFilters]) -> dict[str, Any]:
    qs = _visible(request)
    if filters.state:
        qs = qs.filter(state=filters.state.value)
    if filters.year is not None:
        qs = qs.filter(Q(done_on__year=filters.year) | Q(done_on__isnull=True, planned_on__year=filters.year))
    for name in ("producer", "product", "outlet"):
        if (value := getattr(filters, name)) is not None:
            qs = qs.filter(**{f"{name}_id": value})
    return paginate(request, qs.order_by("-planned_on", "-id"), filters, _inspection)


@router.get(
    "/inspections/{inspection_id}",
    response=InspectionDetailOut,
    summary="An inspection with its checklist, findings and sanctions",
)
def get_inspection(request: HttpRequest, inspection_id: PathId) -> dict[str, Any]:
    i = access.get_inspection_for_user(request.user, inspection_id)
    findings = list(i.findings.order_by("fix_by", "id"))
    i.finding_count = len(findings)  # type: ignore[attr-defined]
    reasons = {r.value for r in RiskReason}
    return {
        **_inspection(i),
        "summary": i.summary,
        "reasons": [r for r in i.reasons.split(",") if r in reasons],
        "consumer_report_id": i.report_id,
        "checks": [{"area": c.area, "result": c.result, "note": c.note} for c in i.checks.order_by("id")],
        "finding_list": [
            {
                "id": f.pk,
                "area": f.area,
                "description": f.description,
                "severity": f.severity,
                "fix_by": f.fix_by,
                "state": f.state,
                "fixed_on": f.fixed_on,
                "follow_up": f.follow_up,
            }
            for f in findings
        ],
        "sanctions": [
            {
                "id": s.pk,
                "kind": s.kind,
                "finding_id": s.finding_id,
                "certificate": s.certificate.number if s.certificate else None,
                "reason": s.reason,
                "decided_on": s.decided_on,
            }
            for s in i.sanctions.select_related("certificate").order_by("-decided_on", "-id")
        ],
    }


class ReportCertificateOut(Schema):
    number: str
    code: str = Field(description="the code behind its QR")
    product: str = Field(description="the product's name today")


class ConsumerReportOut(Schema):
    id: int
    received_at: dt.datetime
    code: str = Field(description="the code the consumer scanned or typed")
    certificate: ReportCertificateOut | None = Field(description="the certificate of that code; null: no such code")
    kind: ConsumerReportKind
    message: str = Field(description="what the consumer saw")
    place: str = Field(description="where the consumer saw it")
    contact: str = Field(description="the consumer's phone or e-mail, if given")
    handled: bool
    inspection_ids: list[int] = Field(description="the inspections opened from it (those the user reads)")


class ConsumerReportPage(Page[ConsumerReportOut]): ...


class ConsumerReportFilters(PageQuery):
    handled: bool | None = Field(None, description="false: those still to handle; default: all")
    kind: ConsumerReportKind | None = None


def _report(r: ConsumerReport) -> dict[str, Any]:
    c = r.certificate
    return {
        "id": r.pk,
        "received_at": r.created_at,
        "code": r.code,
        "certificate": {"number": c.number, "code": c.code, "product": c.product.name} if c else None,
        "kind": r.kind,
        "message": r.message,
        "place": r.place,
        "contact": r.contact,
        "handled": r.handled,
        "inspection_ids": [i.pk for i in r.inspections.all()],
    }


def _reports(request: HttpRequest) -> Any:
    inspections = access.inspections_visible_to(request.user).order_by("id").only("id", "report_id")
    return (
        certificate_access.reports_visible_to(request.user)
        .select_related("certificate__product")
        .prefetch_related(Prefetch("inspections", queryset=inspections))
    )


@router.get(
    "/consumer-reports",
    response=ConsumerReportPage,
    summary="Consumers' reports from the scan page (suspected fakes, expired labels), for supervision",
)
def list_consumer_reports(request: HttpRequest, filters: Query[ConsumerReportFilters]) -> dict[str, Any]:
    qs = _reports(request)
    if filters.handled is not None:
        qs = qs.filter(handled=filters.handled)
    if filters.kind:
        qs = qs.filter(kind=filters.kind.value)
    return paginate(request, qs.order_by("-created_at", "-id"), filters, _report)


@router.get("/consumer-reports/{report_id}", response=ConsumerReportOut, summary="A consumer's report")
def get_consumer_report(request: HttpRequest, report_id: PathId) -> dict[str, Any]:
    return _report(visible_or_404(_reports(request), report_id))  # the gateway's reports, as the list reads them
