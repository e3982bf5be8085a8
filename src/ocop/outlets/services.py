"""Outlets: register, assess, recognise, suspend, close. Each service: one transaction, one audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.core.text import fold
from ocop.core.uploads import DOCUMENT_TYPES, IMAGE_TYPES, check_upload
from ocop.outlets import access, queries, rules
from ocop.outlets.enums import AssessmentState, FileKind, ItemKind, LocationType, OutletKind, OutletStatus
from ocop.outlets.models import Assessment, AssessmentLine, Checklist, Operator, OperatorMember, Outlet, OutletFile
from ocop.outlets.signals import outlets_changed, stock_changed
from ocop.places.models import Commune, Province
from ocop.registry.validators import normalize_phone, validate_phone

OUTLET_FIELDS = (
    "kind", "name", "commune", "address", "latitude", "longitude", "approximate", "location_type", "floor_area",
    "opening_hours", "contact_name", "phone", "email", "website",
)  # fmt: skip
KIND_PREFIX = {OutletKind.SALES_POINT: "DB", OutletKind.DESIGN_CENTRE: "TT", OutletKind.OTHER: "KH"}


def _number(value: Any, field: str, *, label: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        raise ValidationError({field: [_("%(label)s must be a number.") % {"label": label}]}) from None


def _check(outlet: Outlet) -> None:
    """Validate and fill what follows from the fields (hours, position, search text); raise naming the field."""
    errors: dict[str, list[str]] = {}
    for name in ("name", "address", "opening_hours", "contact_name", "phone", "email", "website"):
        setattr(outlet, name, (getattr(outlet, name) or "").strip())
    if not outlet.name:
        errors["name"] = [_("Give the outlet's name.")]
    if outlet.kind not in OutletKind.values:
        errors["kind"] = [_("Choose the kind of outlet.")]
    if outlet.location_type not in LocationType.values:
        errors["location_type"] = [_("Choose where the outlet stands.")]
    commune: Commune | None = outlet.commune if outlet.commune_id else None
    if commune is None:
        errors["commune"] = [_("Choose the commune.")]
    elif commune.province_id != outlet.province_id:
        errors["commune"] = [
            _("%(commune)s is not a commune of %(province)s.")
            % {"commune": commune.name, "province": outlet.province.name}
        ]
    if outlet.phone:
        outlet.phone = normalize_phone(outlet.phone)
        try:
            validate_phone(outlet.phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if outlet.floor_area is not None and outlet.floor_area < 0:
        errors["floor_area"] = [_("The floor area cannot be negative.")]
    try:
        outlet.hours = rules.week_text(rules.parse_hours(outlet.opening_hours))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    lat, lon = outlet.latitude, outlet.longitude
    if (lat is None) != (lon is None):
        errors["latitude"] = [_("Give both latitude and longitude, or neither.")]
    elif lat is not None and lon is not None and not rules.inside_vietnam(lat, lon):
        errors["latitude"] = [_("The position %(lat)s, %(lon)s is outside Viet Nam.") % {"lat": lat, "lon": lon}]
    if errors:
        raise ValidationError(errors)
    assert commune is not None
    if lat is None or lon is None:
        if commune.latitude is None or commune.longitude is None:
            raise ValidationError({"latitude": [_("The commune has no known centre: give the position.")]})
        outlet.latitude, outlet.longitude, outlet.approximate = commune.latitude, commune.longitude, True
    outlet.search_text = fold(f"{outlet.name} {outlet.address} {commune.name}")[:600]


def _operator_named(name: str) -> Operator:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"operator_name": [_("Give the operator's name.")]})
    found = Operator.objects.filter(name__iexact=name).first()
    return found or Operator.objects.create(name=name)


@transaction.atomic
def register_outlet(*, by: Any, province: Province, operator: Operator | str, **fields: Any) -> Outlet:
    """A proposed outlet (recognition comes after an assessment), run by a known operator or one named here (found
    by its name, or recorded). Side effects: the operator recorded; audit entry."""
    access.require(access.can_manage(by, province.pk))
    if isinstance(operator, str):
        operator = _operator_named(operator)
    for key in ("latitude", "longitude"):
        fields[key] = _number(fields.get(key), key, label=_("Latitude") if key == "latitude" else _("Longitude"))
    fields["floor_area"] = _decimal(fields.get("floor_area"), "floor_area")
    outlet = Outlet(province=province, operator=operator, **{k: v for k, v in fields.items() if k in OUTLET_FIELDS})
    _check(outlet)
    outlet.save()
    outlet.code = f"{province.code}-{KIND_PREFIX[OutletKind(outlet.kind)]}-{outlet.pk:05d}"
    outlet.map_feature = queries.map_feature(outlet)
    outlet.save(update_fields=["code", "map_feature"])
    audit.record(actor=by, action=AuditAction.CREATE, obj=outlet, changes=audit.snapshot(outlet, OUTLET_FIELDS))
    _outlet_changed(outlet)
    return outlet


def _outlet_changed(outlet: Outlet) -> None:
    ids = [outlet.pk]
    transaction.on_commit(lambda: outlets_changed.send(sender=Outlet, outlet_ids=ids))


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: [_("Write a number, e.g. 120 or 85,5.")]}) from None


@transaction.atomic
def update_outlet(*, by: Any, outlet: Outlet, **fields: Any) -> Outlet:
    """Change the outlet's details (the operator or the office). Side effects: audit entry with old and new."""
    access.require(access.can_operate(by, outlet))
    before = audit.snapshot(outlet, OUTLET_FIELDS)
    moved = "latitude" in fields or "longitude" in fields
    for key in ("latitude", "longitude"):
        if key in fields:
            fields[key] = _number(fields[key], key, label=_("Latitude") if key == "latitude" else _("Longitude"))
    if "floor_area" in fields:
        fields["floor_area"] = _decimal(fields["floor_area"], "floor_area")
    for key, value in fields.items():
        if key in OUTLET_FIELDS:
            setattr(outlet, key, value)
    if moved and fields.get("latitude") is not None:
        outlet.approximate = False
    _check(outlet)
    outlet.save()
    audit.record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=outlet,
        changes=audit.diff(before, audit.snapshot(outlet, OUTLET_FIELDS)),
    )
    _outlet_changed(outlet)
    return outlet


@transaction.atomic
def add_operator_member(*, by: Any, operator: Operator, user: Any) -> None:
    """Let an outlet-operator account act for the operator. Side effects: audit entry."""
    provinces = set(operator.outlets.values_list("province_id", flat=True))
    access.require(bool(provinces) and all(access.can_manage(by, p) for p in provinces))
    OperatorMember.objects.get_or_create(operator=operator, user=user)
    audit.record(actor=by, action=AuditAction.CHANGE, obj=operator, changes={"members": [None, user.username]})


@transaction.atomic
def add_file(
    *,
    by: Any,
    outlet: Outlet,
    kind: FileKind,
    upload: IO[bytes],
    caption: str = "",
    assessment: Assessment | None = None,
) -> OutletFile:
    """A photo of the outlet (JPEG, PNG) or an assessment's evidence (also PDF), checked by decoding its content and,
    for an image, stored re-encoded (ocop.core.uploads). Side effects: file written; audit entry."""
    if kind == FileKind.EVIDENCE:
        access.require(access.can_manage(by, outlet.province_id))
    else:
        access.require(access.can_operate(by, outlet))
    evidence = kind == FileKind.EVIDENCE
    if evidence:
        checked = check_upload(upload, allowed=DOCUMENT_TYPES, name="evidence", label=_("evidence"))
    else:
        checked = check_upload(upload, allowed=IMAGE_TYPES, name="image", label=_("photo"))
    stored = OutletFile(outlet=outlet, assessment=assessment, kind=kind, content_type=checked.content_type)
    stored.caption = caption.strip()
    stored.file.save(f"{kind}.{checked.extension}", checked.file(), save=False)
    stored.save()
    audit.record(actor=by, action=AuditAction.CHANGE, obj=outlet, changes={kind: [None, stored.file.name]})
    return stored


# ---- assessment and recognition ------------------------------------------------------------------


def checklist_for(kind: str) -> Checklist | None:
    """The checklist in force for a kind of outlet (other outlets are assessed as sales points)."""
    kind = OutletKind.SALES_POINT if kind == OutletKind.OTHER else kind
    return Checklist.objects.filter(kind=kind).order_by("-in_force_from", "-id").first()


@transaction.atomic
def start_assessment(*, by: Any, outlet: Outlet, checklist: Checklist | None = None) -> Assessment:
    """A draft assessment with every line; measured lines (area, share, location) are pre-answered from the records
    and the officer confirms them. Side effects: audit entry."""
    access.require(access.can_manage(by, outlet.province_id))
    checklist = checklist or checklist_for(outlet.kind)
    if checklist is None:
        raise ValidationError(_("No checklist is loaded for this kind of outlet (run `ocop load_checklists`)."))
    assessment = Assessment.objects.create(outlet=outlet, checklist=checklist, assessor=by)
    share = queries.share_of(outlet)
    lines = []
    for item in checklist.items.all():
        met = None
        least = rules.minimum(checklist.code, item.code, item.minimum)
        if item.measure == "floor_area" and outlet.floor_area is not None and least is not None:
            met = outlet.floor_area >= least
        elif item.measure == "ocop_share" and share is not None and least is not None:
            met = share >= least
        elif item.measure == "location":
            met = outlet.location_type != LocationType.OTHER
        lines.append(AssessmentLine(assessment=assessment, item=item, met=met))
    AssessmentLine.objects.bulk_create(lines)
    audit.record(actor=by, action=AuditAction.CREATE, obj=assessment, changes={"checklist": [None, checklist.code]})
    return assessment


@transaction.atomic
def save_assessment(
    *,
    by: Any,
    assessment: Assessment,
    answers: dict[int, dict[str, Any]],
    assessed_on: dt.date | None = None,
    team: str = "",
    note: str = "",
) -> Assessment:
    """Record answers (item id → met, points, note) on a draft. Side effects: audit entry."""
    access.require(access.can_manage(by, assessment.outlet.province_id))
    if assessment.state != AssessmentState.DRAFT:
        raise ValidationError(_("This assessment is final and can no longer change."))
    errors: dict[str, list[str]] = {}
    lines = list(assessment.lines.select_related("item"))
    for line in lines:
        answer = answers.get(line.item_id)
        if answer is None:
            continue
        line.note = str(answer.get("note") or "").strip()
        if line.item.kind == ItemKind.SCORE:
            points = answer.get("points")
            try:
                value = _decimal(points, f"points-{line.item_id}")
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
            if value is not None and not (0 <= value <= line.item.points):
                errors[f"points-{line.item_id}"] = [
                    _("Item %(code)s: give 0 to %(max)s points.") % {"code": line.item.code, "max": line.item.points}
                ]
                continue
            line.points = value
        else:
            met = answer.get("met")
            line.met = None if met in (None, "") else met in (True, "yes", "1", "true", "on")
    if errors:
        raise ValidationError(errors)
    AssessmentLine.objects.bulk_update(lines, ["met", "points", "note"])
    assessment.assessed_on = assessed_on or assessment.assessed_on
    assessment.team = team.strip()
    assessment.note = note.strip()
    _score(assessment, lines)
    assessment.save()
    audit.record(actor=by, action=AuditAction.CHANGE, obj=assessment, changes={"total": [None, str(assessment.total)]})
    return assessment


def _score(assessment: Assessment, lines: list[AssessmentLine]) -> rules.Verdict:
    checklist = assessment.checklist
    verdict = rules.verdict(
        (
            rules.Line(l.item.code, l.item.kind, l.item.points, l.item.mandatory, l.met, l.points)
            for l in lines  # noqa: E741
        ),
        rules.pass_mark(checklist.code, checklist.pass_mark),
    )
    assessment.total, assessment.passed = verdict.total, verdict.passed
    return verdict


@transaction.atomic
def finalise_assessment(*, by: Any, assessment: Assessment) -> rules.Verdict:
    """Close the assessment: every line answered; the verdict is kept. Side effects: audit entry."""
    access.require(access.can_manage(by, assessment.outlet.province_id))
    if assessment.state != AssessmentState.DRAFT:
        raise ValidationError(_("This assessment is already final."))
    verdict = _score(assessment, list(assessment.lines.select_related("item")))
    if verdict.unanswered:
        raise ValidationError(_("Answer every item first: %(items)s.") % {"items": ", ".join(verdict.unanswered)})
    assessment.state = AssessmentState.FINAL
    assessment.save()
    audit.record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=assessment,
        changes={"state": [AssessmentState.DRAFT, AssessmentState.FINAL], "passed": [None, verdict.passed]},
    )
    return verdict


def _set_status(
    outlet: Outlet, by: Any, status: OutletStatus, reason: str, extra: dict[str, Any], since: dt.date | None = None
) -> None:
    before = outlet.status
    outlet.status, outlet.status_reason = status, reason.strip()
    outlet.status_since = since or timezone.localdate()
    outlet.save()
    audit.record(actor=by, action=AuditAction.CHANGE, obj=outlet, changes={"status": [before, status], **extra})
    _outlet_changed(outlet)
    # Where-to-buy lists of the products on its shelf change with the outlet's status.
    products = list(
        outlet.stock.filter(removed_on__isnull=True, product__isnull=False).values_list("product_id", flat=True)
    )
    if products:
        transaction.on_commit(lambda: stock_changed.send(sender=Outlet, product_ids=products))


@transaction.atomic
def recognise(*, by: Any, outlet: Outlet, number: str, signed_on: dt.date, body: str = "") -> Outlet:
    """Recognise the outlet by decision: its latest final assessment must pass (every mandatory item, the pass
    mark). Side effects: the outlet appears on the public map; audit entry."""
    access.require(access.can_manage(by, outlet.province_id))
    if outlet.status not in (OutletStatus.PROPOSED, OutletStatus.CLOSED):
        raise ValidationError(_("Only a proposed outlet can be recognised."))
    errors: dict[str, list[str]] = {}
    if not number.strip():
        errors["number"] = [_("Give the decision's number.")]
    if signed_on > timezone.localdate():
        errors["signed_on"] = [_("The decision date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    latest = outlet.assessments.filter(state=AssessmentState.FINAL).order_by("-assessed_on", "-id").first()
    if latest is None:
        raise ValidationError(_("Assess the outlet against its checklist before recognising it."))
    if not latest.passed:
        raise ValidationError(
            _("The latest assessment (%(date)s) did not pass: mandatory items or the pass mark were not met.")
            % {"date": latest.assessed_on.strftime("%d/%m/%Y")}
        )
    outlet.decision_number, outlet.decision_date = number.strip(), signed_on
    outlet.decision_body = body.strip() or f"Ủy ban nhân dân {outlet.province.name}"
    _set_status(
        outlet, by, OutletStatus.RECOGNISED, "", {"decision_number": [None, outlet.decision_number]}, since=signed_on
    )
    return outlet


@transaction.atomic
def suspend_outlet(*, by: Any, outlet: Outlet, reason: str) -> Outlet:
    """Suspend a recognised outlet (it leaves the public map). Side effects: audit entry."""
    access.require(access.can_manage(by, outlet.province_id))
    if outlet.status != OutletStatus.RECOGNISED:
        raise ValidationError(_("Only a recognised outlet can be suspended."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    _set_status(outlet, by, OutletStatus.SUSPENDED, reason, {})
    return outlet


@transaction.atomic
def reinstate_outlet(*, by: Any, outlet: Outlet) -> Outlet:
    access.require(access.can_manage(by, outlet.province_id))
    if outlet.status != OutletStatus.SUSPENDED:
        raise ValidationError(_("Only a suspended outlet can be reinstated."))
    _set_status(outlet, by, OutletStatus.RECOGNISED, "", {})
    return outlet


@transaction.atomic
def close_outlet(*, by: Any, outlet: Outlet, reason: str) -> Outlet:
    """The outlet has closed (or lost its recognition). Side effects: it leaves the map; audit entry."""
    access.require(access.can_manage(by, outlet.province_id))
    if outlet.status == OutletStatus.CLOSED:
        raise ValidationError(_("The outlet is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    _set_status(outlet, by, OutletStatus.CLOSED, reason, {})
    return outlet
