"""Councils and online scoring: set-up, conflicts, the meeting, members' sheets and the council's result.

Sheets are append-only: a submitted revision is never changed; a spread review opens a new revision
for each member concerned, up to the council's number of spread reviews; then (and at once when one sheet
alone disqualifies the product) the chair decides, see `spread`. Submissions lock the dossier row, so
simultaneous submissions are applied one after another and exactly one of them produces the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.evaluation import access, central, notices
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.dossiers import _move
from ocop.evaluation.enums import DossierState, MemberRole, RoundLevel, SheetState
from ocop.evaluation.models import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    CouncilRules,
    CriterionLine,
    CriterionOption,
    Dossier,
    Result,
    Round,
    ScoreEntry,
    ScoreSheet,
)
from ocop.evaluation.rules import (
    SheetScore,
    SheetSpec,
    check_spread,
    council_outcome,
    lines_that_differ,
    quorum_met,
    score_sheet,
)
from ocop.places.issuers import issuer_snapshot
from ocop.registry.models import Producer, ProducerMember

S = DossierState


@transaction.atomic
def set_up_council(
    *,
    by: Any,
    round_: Round,
    name: str,
    members: list[tuple[Any, MemberRole, str]],
    decision: str = "",
    decision_date: dt.date | None = None,
    meeting_place: str = "",
) -> Council:
    """A council for a round, with its members (user, role, agency) and the province's rules copied onto it; the
    founding decision (number and date) and the meeting's place are printed in the minutes."""
    access.require(access.can_manage_round(by, round_))
    if decision_date is not None and decision_date > timezone.localdate():
        raise ValidationError({"decision_date": [_("The founding decision cannot be dated in the future.")]})
    if decision.strip() and decision_date is None:
        raise ValidationError({"decision_date": [_("Enter the date of the founding decision.")]})
    chairs = [m for m in members if m[1] == MemberRole.CHAIR]
    if len(chairs) != 1:
        raise ValidationError({"members": [_("A council has exactly one chair.")]})
    if len({m[0].pk for m in members}) != len(members):
        raise ValidationError({"members": [_("A person can hold only one seat on a council.")]})
    rules = CouncilRules.objects.filter(province_id=round_.province_id).first() or CouncilRules()
    council = Council.objects.create(
        round=round_,
        name=name.strip(),
        decision=decision.strip(),
        decision_date=decision_date,
        meeting_place=meeting_place.strip(),
        **{field: getattr(rules, field) for field in CouncilRules.RULES},
    )
    CouncilMember.objects.bulk_create(
        CouncilMember(council=council, user=user, role=role, agency=agency) for user, role, agency in members
    )
    audit.record(actor=by, action=AuditAction.CREATE, obj=council, changes={"members": [None, len(members)]})
    notices.council_set_up(council=council)
    return council


@transaction.atomic
def declare_conflict(*, by: Any, member: CouncilMember, producer: Producer, note: str = "") -> ConflictDeclaration:
    """A member (or the office for them) declares a link to a producer; the member will not score its dossiers."""
    if by != member.user:
        access.require(access.can_manage_round(by, member.council.round))
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        member=member, producer=producer, defaults={"note": note.strip()}
    )
    audit.record(
        actor=by, action=AuditAction.CHANGE, obj=member.council, changes={"conflict": [None, f"{member} – {producer}"]}
    )
    return declaration


def declare_own_conflict(*, by: Any, dossier: Dossier, note: str) -> ConflictDeclaration:
    """A member declares, from a dossier's score page, a link to its producer: allowed to a member of the round's
    council (anyone else is refused)."""
    seat = access.seat_of(by, council_for(dossier))
    access.require(seat is not None)
    assert seat is not None
    return declare_conflict(by=by, member=seat, producer=dossier.product.producer, note=note)


def excluded_members(council: Council, dossier: Dossier) -> dict[int, str]:
    """Members who may not score the dossier, with the reason: a declared link, working for the producer,
    or having reviewed the dossier in the advisory team."""
    reasons: dict[int, str] = {}
    producer_id = dossier.product.producer_id
    declared = set(
        ConflictDeclaration.objects.filter(member__council=council, producer_id=producer_id).values_list(
            "member_id", flat=True
        )
    )
    staff = set(ProducerMember.objects.filter(producer_id=producer_id).values_list("user_id", flat=True))
    for member in council.members.all():
        if member.pk in declared:
            reasons[member.pk] = _("declared a link to the producer")
        elif member.user_id in staff:
            reasons[member.pk] = _("works for the producer")
        elif dossier.reviewed_by_id is not None and member.user_id == dossier.reviewed_by_id:
            reasons[member.pk] = _("reviewed the dossier in the advisory team")
    return reasons


@dataclass
class Standing:
    """Who scores a dossier at this meeting, and whether there is a quorum."""

    scorers: list[CouncilMember]  # present, scoring, not excluded
    eligible: int  # scoring members not excluded
    excluded: dict[int, str]
    quorum: bool


def standing(council: Council, dossier: Dossier) -> Standing:
    excluded = excluded_members(council, dossier)
    eligible = [m for m in council.members.all() if m.scores and m.pk not in excluded]
    scorers = [m for m in eligible if m.present]
    chair = next((m for m in council.members.all() if m.role == MemberRole.CHAIR), None)
    # An excluded chair cannot be required: the vice-chair presides for that dossier.
    chair_required = council.quorum_needs_chair and chair is not None and chair.pk not in excluded
    met = quorum_met(
        eligible=len(eligible),
        present=len(scorers),
        ratio=council.quorum,
        chair_required=chair_required,
        chair_present=chair is not None and chair.present,
    )
    return Standing(scorers=scorers, eligible=len(eligible), excluded=excluded, quorum=met)


@transaction.atomic
def open_meeting(
    *, by: Any, council: Council, present: list[CouncilMember], on: Any = None, start: dt.time | None = None
) -> Council:
    """Open the council's meeting with the members present (attendance decides the quorum), at `start` (now if not
    given); taking attendance again while the meeting is open keeps the day and the hour it opened at unless a new
    hour is given."""
    access.require(access.can_manage_round(by, council.round))
    if council.meeting_closed:
        raise ValidationError(_("The meeting is closed."))
    present_ids = {m.pk for m in present}
    for member in council.members.all():
        member.present = member.pk in present_ids
        member.save(update_fields=["present", "updated_at"])
    if not council.meeting_open or council.meeting_date is None:
        council.meeting_date = on or timezone.localdate()
    if start is not None or not council.meeting_open or council.meeting_start is None:
        council.meeting_start = start or _minute(timezone.localtime().time())
    council.meeting_open = True
    if not council.issuer:  # the body, place and signer the minutes keep, as they were when the meeting opened
        council.issuer = issuer_snapshot(council.round.province)
    council.save(update_fields=["meeting_open", "meeting_date", "meeting_start", "issuer", "updated_at"])
    audit.record(actor=by, action=AuditAction.CHANGE, obj=council, changes={"present": [None, len(present_ids)]})
    return council


@transaction.atomic
def close_meeting(*, by: Any, council: Council, end: dt.time | None = None) -> Council:
    """Close the meeting at `end`, which cannot be before the hour it opened at; not given, the present hour if the
    meeting opened today (closed on a later day without an hour, the minutes show none)."""
    access.require(access.can_manage_round(by, council.round))
    if end is None and council.meeting_date == timezone.localdate():
        end = _minute(timezone.localtime().time())
    if end is not None and council.meeting_start is not None and end < council.meeting_start:
        raise ValidationError(
            {
                "meeting_end": [
                    _("The meeting cannot end before it started (%(start)s).")
                    % {"start": council.meeting_start.strftime("%H:%M")}
                ]
            }
        )
    council.meeting_open, council.meeting_closed, council.meeting_end = False, True, end
    if not council.issuer:  # a meeting opened before the snapshot was kept
        council.issuer = issuer_snapshot(council.round.province)
    council.save(update_fields=["meeting_open", "meeting_closed", "meeting_end", "issuer", "updated_at"])
    audit.record(actor=by, action=AuditAction.CHANGE, obj=council, changes={"meeting_closed": [False, True]})
    return council


def _minute(moment: dt.time) -> dt.time:
    return moment.replace(second=0, microsecond=0)


def council_for(dossier: Dossier) -> Council:
    council = Council.objects.filter(round_id=dossier.round_id).order_by("id").first()
    if council is None:
        raise ValidationError(_("No council has been set up for this round."))
    return council


def _seat(by: Any, council: Council, dossier: Dossier) -> CouncilMember:
    seat = access.seat_of(by, council)
    access.require(seat is not None and seat.scores)
    assert seat is not None
    if seat.pk in excluded_members(council, dossier):
        raise ValidationError(_("You may not score this dossier: you are excluded for a conflict of interest."))
    if not council.meeting_open or council.meeting_closed:
        raise ValidationError(_("Scoring happens only while the council's meeting is open."))
    if not seat.present:
        raise ValidationError(_("You are not recorded as present at this meeting."))
    return seat


def current_sheet(dossier: Dossier, seat: CouncilMember) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(dossier=dossier, member=seat).order_by("-revision").first()


def _entries(
    sheet: SheetSpec, dossier: Dossier, choices: dict[str, int]
) -> list[tuple[CriterionLine, CriterionOption]]:
    lines = {line.code: line for line in CriterionLine.objects.filter(group__criteria_set_id=dossier.criteria_set_id)}
    options: dict[int, list[CriterionOption]] = {}
    for option in CriterionOption.objects.filter(line__in=lines.values()).order_by("position"):
        options.setdefault(option.line_id, []).append(option)
    errors: dict[str, list[str]] = {}
    chosen = []
    for code, index in choices.items():
        line = lines.get(code)
        if line is None:
            errors[code] = [_("Criterion %(code)s is not on this score sheet.") % {"code": code}]
            continue
        available = options.get(line.pk, [])
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(available):
            errors[code] = [_("That is not one of the options of criterion %(code)s.") % {"code": code}]
            continue
        chosen.append((line, available[index]))
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def save_sheet(
    *, by: Any, dossier: Dossier, choices: dict[str, int], comments: dict[str, str] | None = None
) -> ScoreSheet:
    """Autosave a member's draft sheet (the open revision; a first draft if there is none)."""
    dossier = Dossier.objects.select_for_update().select_related("product").get(pk=dossier.pk)
    council = council_for(dossier)
    seat = _seat(by, council, dossier)
    if dossier.state != S.READY:
        raise ValidationError(_("This dossier is not open for scoring."))
    chosen = _entries(sheet_spec(dossier.criteria_set), dossier, choices)
    current = current_sheet(dossier, seat)
    if current is not None and current.state == SheetState.SUBMITTED:
        raise ValidationError(_("You have already submitted your sheet for this dossier."))
    sheet = current or ScoreSheet.objects.create(dossier=dossier, member=seat, revision=1)
    comments = comments or {}
    existing = {e.line_id: e for e in sheet.entries.all()} if current else {}
    new, changed = [], []
    for line, option in chosen:
        comment = comments[line.code].strip() if line.code in comments else None  # None: keep what was written
        entry = existing.get(line.pk)
        if entry is None:
            new.append(ScoreEntry(sheet=sheet, line=line, option=option, comment=comment or ""))
        elif entry.option_id != option.pk or (comment is not None and comment != entry.comment):
            entry.option = option
            entry.comment = entry.comment if comment is None else comment
            changed.append(entry)
    ScoreEntry.objects.bulk_create(new)
    ScoreEntry.objects.bulk_update(changed, ["option", "comment"])
    sheet.save(update_fields=["saved_at"])
    return sheet


def choices_of(sheet: ScoreSheet) -> dict[str, int]:
    """A stored sheet's choices as line code → option index."""
    positions: dict[int, list[int]] = {}
    for option in CriterionOption.objects.filter(line__group__criteria_set_id=sheet.dossier.criteria_set_id).order_by(
        "line_id", "position"
    ):
        positions.setdefault(option.line_id, []).append(option.pk)
    return {e.line.code: positions[e.line_id].index(e.option_id) for e in sheet.entries.select_related("line")}


@transaction.atomic
def submit_sheet(*, by: Any, dossier: Dossier, choices: dict[str, int] | None = None, reason: str = "") -> ScoreSheet:
    """Submit a member's sheet (saving `choices` first). When every present eligible member has submitted,
    the council's result is computed, or, if totals are too far apart, a review is opened for the members
    concerned. Side effects: the sheet's total, possibly new draft revisions, the result, audit entries."""
    if choices:
        save_sheet(by=by, dossier=dossier, choices=choices)
    dossier = Dossier.objects.select_for_update().select_related("product", "criteria_set").get(pk=dossier.pk)
    council = council_for(dossier)
    seat = _seat(by, council, dossier)
    if dossier.state != S.READY:
        raise ValidationError(_("This dossier is not open for scoring."))
    sheet = current_sheet(dossier, seat)
    if sheet is None:
        raise ValidationError(_("Choose an option on each criterion first."))
    if sheet.state == SheetState.SUBMITTED:
        raise ValidationError(_("You have already submitted your sheet for this dossier."))
    if sheet.revision > 1 and not (reason or sheet.reason).strip():
        raise ValidationError({"reason": [_("Say why you revise your scores.")]})
    spec = sheet_spec(dossier.criteria_set)
    score = score_sheet(spec, choices_of(sheet))
    if score.missing:
        raise ValidationError(
            {"choices": [_("Choose an option on criteria %(codes)s.") % {"codes": ", ".join(score.missing)}]}
        )
    sheet.state = SheetState.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.total = Decimal(score.total)
    sheet.reason = (reason or sheet.reason).strip()
    sheet.save(update_fields=["state", "submitted_at", "total", "reason", "saved_at"])
    audit.record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=dossier,
        changes={"score_sheet": [None, f"{seat} r{sheet.revision}: {score.total}"]},
    )
    _conclude(by=by, dossier=dossier, council=council, spec=spec)
    return sheet


def latest_sheets(dossier: Dossier, members: list[CouncilMember]) -> dict[int, ScoreSheet]:
    latest: dict[int, ScoreSheet] = {}
    for sheet in ScoreSheet.objects.filter(dossier=dossier, member__in=members).order_by("member_id", "revision"):
        latest[sheet.member_id] = sheet
    return latest


def spread_rounds_used(dossier: Dossier) -> int:
    """How many spread reviews the council has held on the dossier (each opened new revisions)."""
    return ScoreSheet.objects.filter(dossier=dossier).aggregate(n=Max("review_round"))["n"] or 0


def presiding_member(
    council: Council, dossier: Dossier, excluded: dict[int, str] | None = None
) -> CouncilMember | None:
    """Who presides over the dossier: the chair, or, when the chair is absent or excluded from it, the first
    vice-chair present and not excluded."""
    excluded = excluded_members(council, dossier) if excluded is None else excluded
    rank = {MemberRole.CHAIR: 0, MemberRole.VICE_CHAIR: 1}
    candidates = [m for m in council.members.all() if m.role in rank and m.present and m.pk not in excluded]
    return min(candidates, key=lambda m: (rank[MemberRole(m.role)], m.pk), default=None)


def _conclude(*, by: Any, dossier: Dossier, council: Council, spec: SheetSpec) -> None:
    state = standing(council, dossier)
    latest = latest_sheets(dossier, state.scorers)
    if not state.quorum or len(latest) < len(state.scorers):
        return
    if any(s.state != SheetState.SUBMITTED for s in latest.values()):
        return
    scores = {member_id: score_sheet(spec, choices_of(sheet)) for member_id, sheet in latest.items()}
    check = check_spread(scores, council.max_spread)
    if check.clear:
        _record_result(dossier=dossier, council=council, spec=spec, scores=list(scores.values()), by=by)
        return
    held = spread_rounds_used(dossier)
    if check.review and held < council.spread_rounds:
        # A sheet that disqualifies the product alone is not sent back: the chair decides on it.
        for member_id in sorted(check.review):
            old = latest[member_id]
            new = ScoreSheet.objects.create(
                dossier=dossier, member_id=member_id, revision=old.revision + 1, review_round=held + 1
            )
            ScoreEntry.objects.bulk_create(
                ScoreEntry(sheet=new, line_id=e.line_id, option_id=e.option_id, comment=e.comment)
                for e in old.entries.all()
            )
        members = [m for m in state.scorers if m.pk in check.review]
        audit.record(
            actor=by,
            action=AuditAction.CHANGE,
            obj=dossier,
            changes={"spread_review": [held, held + 1], "members": [None, sorted(str(m) for m in members)]},
        )
        notices.spread_round_opened(dossier=dossier, members=members, number=held + 1, of=council.spread_rounds)
        return
    presiding = presiding_member(council, dossier, state.excluded)
    audit.record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=dossier,
        changes={"spread_review_awaits_chair": [None, held]},
    )
    notices.chair_decides(dossier=dossier, presiding=presiding, rounds=held)


def _record_result(*, dossier: Dossier, council: Council, spec: SheetSpec, scores: list[SheetScore], by: Any) -> None:
    version = dossier.round.criteria_version
    outcome = council_outcome(
        spec, scores, thresholds=version.thresholds, max_spread=council.max_spread, rounding=council.rounding
    )
    result = Result.objects.create(
        dossier=dossier,
        council=council,
        mean=outcome.mean,
        part_a=outcome.part_means["A"],
        part_b=outcome.part_means["B"],
        part_c=outcome.part_means["C"],
        line_means={code: str(value) for code, value in outcome.line_means.items()},
        stars_by_score=outcome.stars_by_score,
        stars=outcome.stars,
        caps=[list(c) for c in outcome.caps],
        referral=outcome.referral and dossier.round.level != RoundLevel.CENTRAL,  # the central round decides 5 stars
        scorers=len(scores),
    )
    _move(
        dossier,
        to=S.SCORED,
        by=by,
        note=_("Mean %(mean)s, %(stars)s stars.") % {"mean": number_format(outcome.mean, 2), "stars": outcome.stars},
    )
    notices.scoring_complete(dossier=dossier, result=result)


def review_status(dossier: Dossier) -> dict[str, Any]:
    """For the meeting page: who must revise, and the lines on which the members' points differ most."""
    council = council_for(dossier)
    state = standing(council, dossier)
    latest = latest_sheets(dossier, state.scorers)
    spec = sheet_spec(dossier.criteria_set)
    submitted = {
        m: score_sheet(spec, choices_of(s))
        for m, s in latest.items()
        if s.state == SheetState.SUBMITTED or s.revision > 1
    }
    pending = [m for m, s in latest.items() if s.state == SheetState.DRAFT and s.revision > 1]
    return {"pending": pending, "lines": lines_that_differ(submitted)}


@transaction.atomic
def publish_results(*, by: Any, council: Council) -> int:
    """Publish the council's results: producers see them and their path to the next star."""
    access.require(access.can_manage_round(by, council.round))
    published = []
    for result in Result.objects.filter(council=council, published=False).select_related("dossier__round"):
        result.published = True
        result.save(update_fields=["published", "updated_at"])
        _move(result.dossier, to=S.PUBLISHED, by=by)
        published.append(result)
    central.tell_of_published(published)
    notices.results_published(results=published)
    return len(published)
