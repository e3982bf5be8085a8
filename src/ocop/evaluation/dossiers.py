"""Rounds and the dossier flow since July 2025: producer → commune → province advisory team → council.

Each step is one service: keyword-only, atomic, permitted to one role, recorded on the dossier's
timeline (`Transition`) and in the audit trail. A step out of order is refused with a ValidationError.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.evaluation import access, notices
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.enums import DossierKind, DossierState, RoundLevel
from ocop.evaluation.models import (
    AdvisoryReview,
    ChecklistItem,
    CommuneAssessment,
    CriteriaSet,
    CriteriaVersion,
    CriterionLine,
    Dossier,
    DossierEvidence,
    Round,
    Transition,
)
from ocop.places.models import Province
from ocop.registry.enums import DocumentState
from ocop.registry.models import Document, Product

S = DossierState
# The steps of the flow: (from, to) pairs a service may take.
STEPS = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED),
    "check": ({S.SUBMITTED}, S.COMMUNE_CHECKED),
    "return": ({S.SUBMITTED, S.COMMUNE_CHECKED, S.UNDER_REVIEW}, S.RETURNED),
    "propose": ({S.COMMUNE_CHECKED}, S.PROPOSED),
    "review": ({S.PROPOSED}, S.UNDER_REVIEW),
    "ready": ({S.UNDER_REVIEW}, S.READY),
}
EDITABLE = {S.DRAFT, S.RETURNED}


def _step(dossier: Dossier, step: str) -> DossierState:
    sources, target = STEPS[step]
    if dossier.state not in sources:
        raise ValidationError(
            _("A dossier that is “%(state)s” cannot be moved to “%(target)s”.")
            % {"state": DossierState(dossier.state).label, "target": target.label}
        )
    return target


def _move(
    dossier: Dossier, *, to: DossierState, by: Any, note: str = "", items: list[dict[str, str]] | None = None
) -> None:
    before = dossier.state
    dossier.state = to
    dossier.save(update_fields=["state", "updated_at", *(["reviewed_by_id"] if to == S.UNDER_REVIEW else [])])
    Transition.objects.create(
        dossier=dossier,
        actor=by,
        actor_name=audit.actor_name(by),
        from_state=before,
        to_state=to,
        note=note,
        items=items or [],
    )
    audit.record(actor=by, action=AuditAction.CHANGE, obj=dossier, changes={"state": [before, to]})


def _locked(dossier: Dossier) -> Dossier:
    """Re-read the dossier under a row lock, so two steps on it never interleave (PostgreSQL)."""
    fresh = Dossier.objects.select_for_update().get(pk=dossier.pk)
    dossier.state = fresh.state
    return dossier


# ---- rounds -------------------------------------------------------------------------------------


@transaction.atomic
def create_round(
    *,
    by: Any,
    province: Province,
    year: int,
    number: int,
    criteria_version: CriteriaVersion,
    level: RoundLevel = RoundLevel.PROVINCE,
    submission_deadline: dt.date | None = None,
    proposal_deadline: dt.date | None = None,
    council_date: dt.date | None = None,
) -> Round:
    """Open an evaluation round. Side effects: audit entry."""
    access.require(access.can_create_round(by, province.pk))
    _check_dates(submission_deadline, proposal_deadline, council_date)
    # The central level holds the central round only; a province never does.
    level = RoundLevel.CENTRAL if province.central else level
    if level == RoundLevel.CENTRAL and not province.central:
        raise ValidationError({"level": [_("Only the ministry holds the central round.")]})
    if Round.objects.filter(province=province, year=year, number=number, level=level).exists():
        raise ValidationError({"number": [_("This round already exists.")]})
    round_ = Round.objects.create(
        province=province,
        year=year,
        number=number,
        level=level,
        criteria_version=criteria_version,
        submission_deadline=submission_deadline,
        proposal_deadline=proposal_deadline,
        council_date=council_date,
    )
    audit.record(
        actor=by, action=AuditAction.CREATE, obj=round_, changes={"year": [None, year], "number": [None, number]}
    )
    return round_


def _check_dates(submission: dt.date | None, proposal: dt.date | None, council: dt.date | None) -> None:
    errors = {}
    if submission and proposal and proposal < submission:
        errors["proposal_deadline"] = [_("Communes cannot be asked to propose before the dossiers are due.")]
    earlier = proposal or submission
    if council and earlier and council < earlier:
        errors["council_date"] = [_("The council cannot meet before the dossiers reach the province.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_round_dates(
    *,
    by: Any,
    round_: Round,
    submission_deadline: dt.date | None,
    proposal_deadline: dt.date | None,
    council_date: dt.date | None,
) -> Round:
    """The office sets or extends a round's deadlines. Side effects: audit entry with the old and new dates."""
    access.require(access.can_manage_round(by, round_))
    _check_dates(submission_deadline, proposal_deadline, council_date)
    new = {
        "submission_deadline": submission_deadline, "proposal_deadline": proposal_deadline,
        "council_date": council_date,
    }  # fmt: skip
    changes = {k: [str(getattr(round_, k) or ""), str(v or "")] for k, v in new.items() if getattr(round_, k) != v}
    for key, value in new.items():
        setattr(round_, key, value)
    round_.save(update_fields=[*new, "updated_at"])
    if changes:
        audit.record(actor=by, action=AuditAction.CHANGE, obj=round_, changes=changes)
    return round_


def _past(deadline: dt.date | None) -> bool:
    return deadline is not None and timezone.localdate() > deadline


# ---- drafting -----------------------------------------------------------------------------------


def criteria_set_for(round_: Round, product: Product) -> CriteriaSet | None:
    return round_.criteria_version.sets.filter(product_set_id=product.product_set_id).first()


def required_items(dossier: Dossier) -> list[ChecklistItem]:
    """The checklist items a complete dossier needs (the version's, and those of its product set)."""
    items = ChecklistItem.objects.filter(version_id=dossier.round.criteria_version_id, required=True).exclude(kind="")
    return [i for i in items if i.criteria_set_id in (None, dossier.criteria_set_id)]


def missing_items(dossier: Dossier, today: dt.date | None = None) -> list[ChecklistItem]:
    """Required items with no attached document of their kind that is still valid."""
    today = today or timezone.localdate()
    kinds = {
        e.document.kind
        for e in dossier.evidence.select_related("document")
        if e.document.state(today) != DocumentState.EXPIRED
    }
    return [item for item in required_items(dossier) if item.kind not in kinds]


@transaction.atomic
def start_dossier(
    *,
    by: Any,
    round_: Round,
    product: Product,
    kind: DossierKind = DossierKind.NEW,
    criteria_set: CriteriaSet | None = None,
) -> Dossier:
    """Start a dossier, pre-filled: re-recognition and upgrade dossiers copy the product's last dossier (its
    self-assessment and evidence); every dossier picks up the vault's valid documents of the kinds the
    checklist asks for. Side effects: evidence rows, timeline entry, audit entry."""
    access.require(access.can_draft(by, Dossier(round=round_, product=product)))
    if round_.level == RoundLevel.CENTRAL:
        raise ValidationError(_("The central round takes only the provinces' referrals."))
    if round_.closed:
        raise ValidationError(_("This round is closed."))
    if product.commune_id is None or product.product_set_id is None:
        # Records entered from incomplete lists: the commune checks the dossier, and the set chooses the score sheet.
        raise ValidationError(
            _("Complete the product first (its commune and product set): %(missing)s.")
            % {"missing": ", ".join(str(f.label) for f in product.data_flags)}
        )
    criteria_set = criteria_set or criteria_set_for(round_, product)
    if criteria_set is None or criteria_set.version_id != round_.criteria_version_id:
        raise ValidationError({"criteria_set": [_("Choose a product set of this round's criteria.")]})
    if not CriterionLine.objects.filter(group__criteria_set=criteria_set).exists():
        raise ValidationError({"criteria_set": [_("This product set has no score sheet loaded yet.")]})
    if Dossier.objects.filter(round=round_, product=product).exists():
        raise ValidationError(_("This product already has a dossier in this round."))
    previous = Dossier.objects.filter(product=product).order_by("-created_at", "-id").first()
    if kind != DossierKind.NEW and previous is None:
        raise ValidationError({"kind": [_("A re-recognition or upgrade needs an earlier dossier of the product.")]})
    dossier = Dossier(
        round=round_,
        product=product,
        criteria_set=criteria_set,
        kind=kind,
        previous=previous if kind != DossierKind.NEW else None,
        summary=previous.summary if previous is not None and kind != DossierKind.NEW else "",
    )
    dossier.save()
    _prefill(dossier)
    Transition.objects.create(dossier=dossier, actor=by, actor_name=audit.actor_name(by), to_state=S.DRAFT)
    audit.record(actor=by, action=AuditAction.CREATE, obj=dossier, changes={"kind": [None, kind]})
    return dossier


def _prefill(dossier: Dossier) -> None:
    today = timezone.localdate()
    lines = {line.code: line for line in CriterionLine.objects.filter(group__criteria_set=dossier.criteria_set)}
    wanted: list[tuple[Document, CriterionLine | None]] = []
    if dossier.previous is not None:
        for e in dossier.previous.evidence.select_related("document", "line"):
            if e.document.state(today) != DocumentState.EXPIRED:
                wanted.append((e.document, lines.get(e.line.code) if e.line else None))
    kinds = {i.kind for i in required_items(dossier)}
    vault = Document.objects.filter(producer_id=dossier.product.producer_id, kind__in=kinds)
    for document in vault.order_by("-issued_on", "-id"):
        if document.state(today) != DocumentState.EXPIRED and (document.product_id in (None, dossier.product_id)):
            wanted.append((document, None))
    seen = set()
    rows = []
    for document, line in wanted:
        key = (document.pk, line.pk if line else None)
        if key not in seen:
            seen.add(key)
            rows.append(DossierEvidence(dossier=dossier, document=document, line=line))
    DossierEvidence.objects.bulk_create(rows)


def _editable(dossier: Dossier, by: Any) -> None:
    access.require(access.can_draft(by, dossier))
    if dossier.state not in EDITABLE:
        raise ValidationError(_("Only a draft or returned dossier can be changed."))


@transaction.atomic
def attach_evidence(
    *, by: Any, dossier: Dossier, document: Document, line: CriterionLine | None = None
) -> DossierEvidence:
    """Attach a vault document (of the dossier's producer) to the dossier, for one criterion line or in general."""
    _editable(_locked(dossier), by)
    if document.producer_id != dossier.product.producer_id:
        raise ValidationError({"document": [_("The document belongs to another producer.")]})
    if line is not None and line.group.criteria_set_id != dossier.criteria_set_id:
        raise ValidationError({"line": [_("The criterion is not on this dossier's score sheet.")]})
    evidence, created = DossierEvidence.objects.get_or_create(dossier=dossier, document=document, line=line)
    if created:
        audit.record(
            actor=by,
            action=AuditAction.CHANGE,
            obj=dossier,
            changes={"evidence": [None, f"{document} ({line.code if line else '—'})"]},
        )
    return evidence


@transaction.atomic
def detach_evidence(*, by: Any, evidence: DossierEvidence) -> None:
    dossier = evidence.dossier
    _editable(_locked(dossier), by)
    audit.record(actor=by, action=AuditAction.CHANGE, obj=dossier, changes={"evidence": [str(evidence.document), None]})
    evidence.delete()


@transaction.atomic
def update_summary(*, by: Any, dossier: Dossier, summary: str) -> Dossier:
    _editable(_locked(dossier), by)
    before = dossier.summary
    dossier.summary = summary.strip()
    dossier.save(update_fields=["summary", "updated_at"])
    audit.record(actor=by, action=AuditAction.CHANGE, obj=dossier, changes={"summary": [before, dossier.summary]})
    return dossier


# ---- the flow -----------------------------------------------------------------------------------


@transaction.atomic
def submit_dossier(*, by: Any, dossier: Dossier) -> Dossier:
    """Producer (or a commune officer for it) submits to the commune. Refused while required documents are missing."""
    access.require(access.can_draft(by, dossier))
    to = _step(_locked(dossier), "submit")
    # The deadline is for first submissions; a dossier returned for fixes may come back after it.
    if dossier.state == S.DRAFT and _past(dossier.round.submission_deadline):
        raise ValidationError(
            {
                "round": [
                    _("Dossiers for this round were due at the commune by %(date)s. Ask the OCOP office to extend it.")
                    % {"date": dossier.round.submission_deadline.strftime("%d/%m/%Y")}  # type: ignore[union-attr]
                ]
            }
        )
    missing = missing_items(dossier)
    if missing:
        raise ValidationError(
            {"evidence": [_("Missing documents: %(items)s.") % {"items": "; ".join(i.name for i in missing)}]}
        )
    _move(dossier, to=to, by=by)
    notices.dossier_submitted(dossier=dossier, by=by)
    return dossier


@transaction.atomic
def check_dossier(*, by: Any, dossier: Dossier, assessment: dict[str, int], note: str = "") -> Dossier:
    """The commune checks the form and records its assessment of the local criteria (option per commune line).

    Side effects: the commune assessment, a timeline entry, an audit entry."""
    access.require(access.can_act_for_commune(by, dossier))
    to = _step(_locked(dossier), "check")
    sheet = sheet_spec(dossier.criteria_set)
    errors = {}
    for line in sheet.lines():
        if not line.commune_assessed:
            continue
        index = assessment.get(line.code)
        if index is None or not 0 <= index < len(line.options):
            errors[line.code] = [_("Choose one of the options of criterion %(code)s.") % {"code": line.code}]
    unknown = set(assessment) - {line.code for line in sheet.lines() if line.commune_assessed}
    for code in sorted(unknown):
        errors[code] = [_("Criterion %(code)s is not assessed by the commune.") % {"code": code}]
    if errors:
        raise ValidationError(errors)
    CommuneAssessment.objects.update_or_create(
        dossier=dossier, defaults={"points": assessment, "note": note.strip(), "assessed_by": by}
    )
    _move(dossier, to=to, by=by, note=note.strip())
    return dossier


@transaction.atomic
def return_dossier(*, by: Any, dossier: Dossier, items: list[dict[str, str]], note: str = "") -> Dossier:
    """Send a dossier back to the producer with a reason per item: the commune before it proposes the dossier,
    the advisory team during its review."""
    _locked(dossier)
    if dossier.state == S.UNDER_REVIEW:
        access.require(access.can_manage_round(by, dossier.round))
    else:
        access.require(access.can_act_for_commune(by, dossier))
    to = _step(dossier, "return")
    items = [
        {"item": str(i.get("item", "")).strip(), "reason": str(i.get("reason", "")).strip()}
        for i in items
        if str(i.get("reason", "")).strip()
    ]
    if not items:
        raise ValidationError({"items": [_("Give at least one item to fix, with its reason.")]})
    _move(dossier, to=to, by=by, note=note.strip(), items=items)
    notices.dossier_returned(dossier=dossier, by=by, items=items, note=note.strip())
    return dossier


@transaction.atomic
def propose_dossier(*, by: Any, dossier: Dossier) -> Dossier:
    """The commune proposes the checked dossier to the province."""
    access.require(access.can_act_for_commune(by, dossier))
    to = _step(_locked(dossier), "propose")
    again = dossier.transitions.filter(to_state=S.PROPOSED).exists()  # returned once, now proposed again
    if not again and _past(dossier.round.proposal_deadline):
        raise ValidationError(
            {
                "round": [
                    _("Communes had to propose dossiers for this round by %(date)s. Ask the OCOP office to extend it.")
                    % {"date": dossier.round.proposal_deadline.strftime("%d/%m/%Y")}  # type: ignore[union-attr]
                ]
            }
        )
    _move(dossier, to=to, by=by)
    notices.dossier_proposed(dossier=dossier, by=by)
    return dossier


@transaction.atomic
def start_review(*, by: Any, dossier: Dossier) -> Dossier:
    """The province's advisory team takes the dossier up; the reviewer will not score it in the council."""
    access.require(access.can_manage_round(by, dossier.round))
    to = _step(_locked(dossier), "review")
    dossier.reviewed_by_id = by.pk
    _move(dossier, to=to, by=by)
    return dossier


@transaction.atomic
def record_review(
    *, by: Any, dossier: Dossier, visited_on: dt.date | None, visit_record: str = "", comments: str = ""
) -> AdvisoryReview:
    """The advisory team's site visit and comments (while the dossier is under review)."""
    access.require(access.can_manage_round(by, dossier.round))
    if _locked(dossier).state != S.UNDER_REVIEW:
        raise ValidationError(_("The dossier is not under review."))
    if visited_on is not None and visited_on > timezone.localdate():
        raise ValidationError({"visited_on": [_("The site visit cannot be in the future.")]})
    review, _created = AdvisoryReview.objects.update_or_create(
        dossier=dossier,
        defaults={
            "reviewer": by,
            "visited_on": visited_on,
            "visit_record": visit_record.strip(),
            "comments": comments.strip(),
        },
    )
    audit.record(actor=by, action=AuditAction.CHANGE, obj=dossier, changes={"site_visit": [None, str(visited_on)]})
    return review


@transaction.atomic
def mark_ready(*, by: Any, dossier: Dossier) -> Dossier:
    """The advisory team hands the dossier to the council; it needs a recorded site visit."""
    access.require(access.can_manage_round(by, dossier.round))
    to = _step(_locked(dossier), "ready")
    review = AdvisoryReview.objects.filter(dossier=dossier).first()
    if review is None or review.visited_on is None:
        raise ValidationError(_("Record the site visit before handing the dossier to the council."))
    _move(dossier, to=to, by=by)
    notices.dossier_ready(dossier=dossier)
    return dossier
