"""Inspection plans, inspections, findings and sanctions. Every write checks the gateway (supervision.access),
refuses bad input under its field with nothing written, and leaves an audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Role, RoleAssignment, Target, User
from ocop.accounts.services import notify, office_of
from ocop.certificates import services as certificate_services
from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate, ConsumerReport
from ocop.certificates.reports import mark_handled
from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.core.uploads import IMAGE_TYPES, check_upload
from ocop.outlets.models import Outlet
from ocop.places.issuers import issuer_snapshot
from ocop.places.models import Province
from ocop.registry.models import Producer, Product
from ocop.supervision import access
from ocop.supervision.enums import (
    CheckArea,
    CheckResult,
    FindingState,
    InspectionState,
    RiskReason,
    SanctionKind,
    Severity,
)
from ocop.supervision.models import CheckLine, Finding, Inspection, InspectionPhoto, InspectionPlan, Sanction
from ocop.supervision.signals import inspections_changed

Errors = dict[str, list[str]]


def _changed(province_id: int) -> None:
    transaction.on_commit(lambda: inspections_changed.send(sender=Inspection, province_id=province_id))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _check_days(first: dt.date | None, last: dt.date | None, errors: Errors) -> None:
    if first is None:
        errors.setdefault("starts_on", [_("Enter the first day.")])
    if last is None:
        errors.setdefault("ends_on", [_("Enter the last day.")])
    if first and last and last < first:
        errors["ends_on"] = [_("The last day cannot come before the first day.")]


@transaction.atomic
def create_plan(
    *, by: Any, province: Province, title: str, starts_on: dt.date | None, ends_on: dt.date | None,
    team: str = "", note: str = "",
) -> InspectionPlan:  # fmt: skip
    access.require(access.can_plan(by, province.pk))
    errors: Errors = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("Enter the plan's title.")]
    elif len(title) > InspectionPlan._meta.get_field("title").max_length:  # type: ignore[operator]
        errors["title"] = [_("The title is too long (at most 300 characters).")]
    _check_days(starts_on, ends_on, errors)
    _raise(errors)
    plan = InspectionPlan.objects.create(  # type: ignore[misc]
        province=province, title=title, starts_on=starts_on, ends_on=ends_on, team=team.strip(),
        note=note.strip(),
    )  # fmt: skip
    audit.record(actor=by, action=AuditAction.CREATE, obj=plan, changes={"title": [None, plan.title]})
    return plan


def _inspector_ok(user: User, province: Province, commune_id: int | None) -> bool:
    roles = RoleAssignment.objects.filter(user=user)
    if roles.filter(role__in=access.INSPECTORS, province=province).exists() or user.is_superuser:
        return True
    return commune_id is not None and roles.filter(role=Role.COMMUNE_OFFICER, commune_id=commune_id).exists()


@transaction.atomic
def schedule(
    *,
    by: Any,
    province: Province,
    planned_on: dt.date | None,
    producer: Producer | None = None,
    product: Product | None = None,
    outlet: Outlet | None = None,
    plan: InspectionPlan | None = None,
    inspector: User | None = None,
    report: ConsumerReport | None = None,
    reasons: Iterable[str] = (),
) -> Inspection:
    """Put an inspection of a producer (optionally one product) or of an outlet on the calendar. From a consumer's
    report, the report is marked handled. Side effects: audit entry; the inspector's in-app notice."""
    access.require(access.can_plan(by, province.pk))
    errors: Errors = {}
    if product is not None:
        producer = producer or product.producer
        if product.producer_id != producer.pk:
            errors["product"] = [_("This product belongs to another producer.")]
    if (producer is None) == (outlet is None):
        errors["subject"] = [_("Choose one producer or one outlet to inspect.")]
    subject = producer or outlet
    commune = getattr(subject, "commune", None)
    if commune is not None and commune.province_id != province.pk:
        errors["subject"] = [_("This producer or outlet is in another province.")]
    if planned_on is None:
        errors["planned_on"] = [_("Enter the day of the inspection.")]
    elif plan is not None and not plan.starts_on <= planned_on <= plan.ends_on:
        errors["planned_on"] = [_("The day must fall within the plan (%(first)s–%(last)s).") % {
            "first": plan.starts_on.strftime("%d/%m/%Y"), "last": plan.ends_on.strftime("%d/%m/%Y")}]  # fmt: skip
    if plan is not None and plan.province_id != province.pk:
        errors["plan"] = [_("This plan belongs to another province.")]
    if inspector is not None and not _inspector_ok(inspector, province, getattr(commune, "pk", None)):
        errors["inspector"] = [_("This person is not an inspector of the province or an officer of the commune.")]
    if report is not None and (report.certificate is None or report.certificate.province_id != province.pk):
        errors["report"] = [_("This consumer report is not about a certificate of the province.")]
    reasons = list(dict.fromkeys(reasons))  # each once, in the order given
    if any(reason not in RiskReason.values for reason in reasons):
        errors["reasons"] = [_("Why chosen: choose from the list.")]
    _raise(errors)
    inspection = Inspection.objects.create(  # type: ignore[misc]
        province=province, plan=plan, producer=producer, product=product, outlet=outlet, inspector=inspector,
        planned_on=planned_on, report=report, reasons=",".join(reasons),
    )  # fmt: skip
    if report is not None and not report.handled:
        mark_handled(by=by, report=report)
    if inspector is not None:
        notify(
            [inspector], key=f"inspection:{inspection.pk}", title=_("Inspection on %(day)s: %(subject)s") % {
                "day": planned_on.strftime("%d/%m/%Y"), "subject": subject},  # type: ignore[union-attr]
            target=Target.INSPECTION, target_id=inspection.pk,
        )  # fmt: skip
    audit.record(actor=by, action=AuditAction.CREATE, obj=inspection, changes={"subject": [None, str(subject)]})
    return inspection


@dataclass(frozen=True)
class FindingInput:
    description: str
    severity: str
    fix_by: dt.date | None


@transaction.atomic
def record(
    *,
    by: Any,
    inspection: Inspection,
    done_on: dt.date | None,
    checks: Mapping[str, tuple[str, str]],
    findings: Mapping[str, FindingInput],
    summary: str = "",
) -> Inspection:
    """Record what the inspection found: a result for every check of the list, and for each check not in order a
    finding with its severity and the day it must be fixed by. Side effects: the producer's in-app notice of the
    findings; audit entry."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    access.require(access.can_record(by, inspection))
    errors: Errors = {}
    today = timezone.localdate()
    if inspection.state == InspectionState.DONE:
        errors["__all__"] = [_("This inspection is already recorded.")]
    if done_on is None:
        errors["done_on"] = [_("Enter the day of the inspection.")]
    elif done_on > today:
        errors["done_on"] = [_("The inspection day cannot be in the future.")]
    note_limit = CheckLine._meta.get_field("note").max_length
    for area in CheckArea:
        if len(checks.get(area, ("", ""))[1].strip()) > note_limit:  # type: ignore[operator]
            errors[f"note_{area}"] = [_("%(check)s: the note is too long (at most 500 characters).") % {
                "check": area.label}]  # fmt: skip
    for area in CheckArea:  # each missing result named at its own check, where the form shows it
        if checks.get(area, ("", ""))[0] not in CheckResult.values:
            errors[f"result_{area}"] = [_("%(check)s: choose in order, not in order or does not apply.") % {
                "check": area.label}]  # fmt: skip
    for area in CheckArea:
        if checks.get(area, ("", ""))[0] != CheckResult.FINDING:
            continue
        f = findings.get(area)  # each part of the finding refused at its own field
        if f is None or not f.description.strip():
            errors[f"finding_{area}"] = [_("%(check)s: describe what is not in order.") % {"check": area.label}]
        if f is None or f.severity not in Severity.values:
            errors[f"severity_{area}"] = [_("%(check)s: choose the severity.") % {"check": area.label}]
        if f is None or f.fix_by is None or (done_on is not None and f.fix_by < done_on):
            errors[f"fix_by_{area}"] = [_("%(check)s: give a deadline to fix, on or after the inspection day.") % {
                "check": area.label}]  # fmt: skip
    _raise(errors)
    CheckLine.objects.bulk_create(
        [CheckLine(inspection=inspection, area=a, result=checks[a][0], note=checks[a][1].strip()) for a in CheckArea]
    )
    made = [
        Finding.objects.create(  # type: ignore[misc]
            inspection=inspection,
            area=a,
            description=findings[a].description.strip(),
            severity=findings[a].severity,
            fix_by=findings[a].fix_by,
        )
        for a in CheckArea
        if checks[a][0] == CheckResult.FINDING
    ]
    inspection.state, inspection.done_on, inspection.summary = InspectionState.DONE, done_on, summary.strip()
    inspection.issuer = issuer_snapshot(inspection.province)  # the record keeps the body, place and signer of today
    if inspection.inspector_id is None and isinstance(by, User):
        inspection.inspector = by
    inspection.save()
    if made and inspection.producer_id:
        members = User.objects.filter(producer_links__producer_id=inspection.producer_id, is_active=True)
        notify(
            members, key=f"findings:{inspection.pk}",
            title=_("Inspection of %(day)s: %(count)s findings to fix") % {
                "day": done_on.strftime("%d/%m/%Y"), "count": len(made)},  # type: ignore[union-attr]
            body="\n".join(f"{f.get_area_display()}: {f.description} ({f.fix_by:%d/%m/%Y})" for f in made),
            target=Target.INSPECTION, target_id=inspection.pk,
        )  # fmt: skip
    audit.record(actor=by, action=AuditAction.CHANGE, obj=inspection, changes={
        "state": [InspectionState.PLANNED, InspectionState.DONE], "findings": [None, len(made)]})  # fmt: skip
    _changed(inspection.province_id)
    return inspection


@transaction.atomic
def fix_finding(*, by: Any, finding: Finding, fixed_on: dt.date | None, note: str = "") -> Finding:
    """The follow-up: the fix was seen (on a visit or from the producer's evidence)."""
    finding = Finding.objects.select_for_update().select_related("inspection").get(pk=finding.pk)
    access.require(access.can_record(by, finding.inspection))
    errors: Errors = {}
    if finding.state != FindingState.OPEN:
        errors["__all__"] = [_("This finding is no longer open.")]
    if fixed_on is None:
        errors["fixed_on"] = [_("Enter the day the fix was seen.")]
    elif fixed_on > timezone.localdate() or fixed_on < finding.inspection.done_on:  # type: ignore[operator]
        errors["fixed_on"] = [_("The day must fall between the inspection and today.")]
    _raise(errors)
    finding.state, finding.fixed_on, finding.follow_up = FindingState.FIXED, fixed_on, note.strip()
    finding.save()
    audit.record(actor=by, action=AuditAction.CHANGE, obj=finding.inspection, changes={
        f"finding {finding.pk}": [FindingState.OPEN, FindingState.FIXED]})  # fmt: skip
    _changed(finding.inspection.province_id)
    return finding


def _certificate_errors(by: Any, inspection: Inspection, kind: str, certificate: Certificate | None) -> list[str]:
    if certificate is None:
        return [] if kind == SanctionKind.WARNING else [_("Choose the certificate the sanction applies to.")]
    if not access.sanction_certificates(by, inspection).filter(pk=certificate.pk).exists():
        return [_("This certificate is not one of the inspected product's, producer's or outlet's.")]
    if certificate.status in (Status.REVOKED, Status.SUPERSEDED):
        return [_("Certificate %(number)s is already %(status)s: no sanction can apply to it.") % {
            "number": certificate.number, "status": Status(certificate.status).label}]  # fmt: skip
    return []


@transaction.atomic
def impose(
    *,
    by: Any,
    inspection: Inspection,
    kind: str,
    certificate: Certificate | None,
    reason: str,
    finding: Finding | None = None,
) -> Sanction:
    """A warning, a suspension of the certificate (through the certificate services, so the QR page, catalogue,
    shelves and open data follow at once), or a proposal to revoke sent to the province's OCOP office."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    access.require(access.can_plan(by, inspection.province_id))
    errors: Errors = {}
    if inspection.state != InspectionState.DONE:
        errors["__all__"] = [_("Record the inspection before deciding a sanction.")]
    if kind not in SanctionKind.values:
        errors["kind"] = [_("Choose the sanction.")]
    elif cert_errors := _certificate_errors(by, inspection, kind, certificate):
        errors["certificate"] = cert_errors
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the sanction.")]
    if finding is not None and finding.inspection_id != inspection.pk:
        errors["finding"] = [_("This finding belongs to another inspection.")]
    _raise(errors)
    if kind == SanctionKind.SUSPENSION:
        try:
            certificate_services.suspend(by=by, certificate=certificate, reason=reason)  # type: ignore[arg-type]
        except ValidationError as exc:
            raise ValidationError({"certificate": exc.messages}) from exc
    sanction = Sanction.objects.create(
        inspection=inspection, finding=finding, kind=kind, certificate=certificate, reason=reason.strip(),
        decided_on=timezone.localdate(), decided_by=by,
    )  # fmt: skip
    if finding is not None:
        Finding.objects.filter(pk=finding.pk).update(state=FindingState.ESCALATED)
    _tell(sanction, inspection)
    audit.record(actor=by, action=AuditAction.CREATE, obj=inspection, changes={"sanction": [None, kind]})
    _changed(inspection.province_id)
    return sanction


def _tell(sanction: Sanction, inspection: Inspection) -> None:
    """The producer hears of every sanction; the office of a proposal to revoke (it decides)."""
    cert = sanction.certificate
    title = _("%(kind)s after the inspection of %(day)s") % {
        "kind": SanctionKind(sanction.kind).label.capitalize(), "day": inspection.done_on.strftime("%d/%m/%Y")}  # type: ignore[union-attr]  # fmt: skip
    if cert is not None:
        title += f" ({cert.number})"
    if inspection.producer_id:
        members = User.objects.filter(producer_links__producer_id=inspection.producer_id, is_active=True)
        notify(members, key=f"sanction:{sanction.pk}", title=title, body=sanction.reason,
               target=Target.INSPECTION, target_id=inspection.pk)  # fmt: skip
    if sanction.kind == SanctionKind.REVOCATION_PROPOSAL and cert is not None:
        notify(office_of(inspection.province_id), key=f"sanction:{sanction.pk}", title=title, body=sanction.reason,
               target=Target.CERTIFICATE, target_id=cert.pk)  # fmt: skip


@transaction.atomic
def add_photo(*, by: Any, inspection: Inspection, upload: IO[bytes], caption: str = "") -> InspectionPhoto:
    access.require(access.can_record(by, inspection))
    checked = check_upload(upload, allowed=IMAGE_TYPES, name="photo", label=_("photo"))  # decoded, re-encoded
    caption = caption.strip()
    if len(caption) > InspectionPhoto._meta.get_field("caption").max_length:  # type: ignore[operator]
        raise ValidationError({"caption": [_("The caption is too long (at most 200 characters).")]})
    photo = InspectionPhoto(inspection=inspection, content_type=checked.content_type, caption=caption)
    photo.file.save(f"photo.{checked.extension}", checked.file(), save=False)
    photo.save()
    audit.record(actor=by, action=AuditAction.CHANGE, obj=inspection, changes={"photos": [None, photo.file.name]})
    return photo
