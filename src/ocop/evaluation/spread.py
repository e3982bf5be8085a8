"""A spread review that ends.

When the members' totals for a dossier are too far apart, the members concerned re-score (`scoring._conclude`),
up to the council's number of spread reviews (`RuleFields.spread_rounds`, default 2). Then the member presiding
over the dossier closes the review, one of two ways:

- `accept_totals`: the totals stand as they are, with a recorded explanation; the result is the mean of every sheet;
- `exclude_sheet`: one member's sheet is set aside, with a recorded reason; the result is the mean of the others,
  as long as the quorum's number of sheets remains.

A sheet that disqualifies the product when the others do not sends nobody back: the presiding member may exclude
it at once, or accept the totals once the council's spread reviews have been held. Both ways are recorded
(`SpreadClosure`), audited and printed in the minutes; the office is notified.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.core import audit
from ocop.core.models import AuditAction
from ocop.evaluation import access, notices
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.enums import ClosureKind, DossierState, SheetState
from ocop.evaluation.models import Council, CouncilMember, Dossier, Result, ScoreSheet, SpreadClosure
from ocop.evaluation.rules import SheetScore, SpreadCheck, check_spread, score_sheet
from ocop.evaluation.scoring import (
    _record_result,
    choices_of,
    council_for,
    latest_sheets,
    presiding_member,
    spread_rounds_used,
    standing,
)


@dataclass
class SpreadState:
    """Where a dossier's spread review stands, for the scoring page and the closing services."""

    council: Council
    rounds_used: int
    rounds_allowed: int
    presiding: CouncilMember | None
    sheets: dict[int, ScoreSheet]  # member id → current sheet, once every present scorer has submitted
    scores: dict[int, SheetScore]
    check: SpreadCheck | None  # None until every present scorer's current sheet is submitted
    needed: int  # the fewest sheets a result may rest on (the quorum)
    closure: SpreadClosure | None
    has_result: bool

    @property
    def awaiting_chair(self) -> bool:
        """Every sheet is in, they still differ (or one alone disqualifies), and no further review will open."""
        if self.check is None or self.check.clear or self.closure is not None or self.has_result:
            return False
        return not (self.check.review and self.rounds_used < self.rounds_allowed)

    @property
    def rounds_done(self) -> bool:
        return self.rounds_used >= self.rounds_allowed

    @property
    def can_accept(self) -> bool:
        return self.awaiting_chair and self.rounds_done

    @property
    def excludable(self) -> list[ScoreSheet]:
        """The sheets the presiding member may exclude now: any, once the reviews are held; before, only a sheet
        that disqualifies the product on its own."""
        if not self.awaiting_chair or len(self.sheets) <= self.needed:
            return []
        allowed = set(self.sheets) if self.rounds_done else set(self.check.disqualifying)  # type: ignore[union-attr]
        return [sheet for member_id, sheet in sorted(self.sheets.items()) if member_id in allowed]


def spread_state(dossier: Dossier, council: Council | None = None) -> SpreadState:
    council = council or council_for(dossier)
    state = standing(council, dossier)
    latest = latest_sheets(dossier, state.scorers)
    complete = (
        dossier.state == DossierState.READY
        and state.quorum
        and len(latest) == len(state.scorers)
        and all(s.state == SheetState.SUBMITTED for s in latest.values())
    )
    scores: dict[int, SheetScore] = {}
    if complete:
        spec = sheet_spec(dossier.criteria_set)
        scores = {member_id: score_sheet(spec, choices_of(sheet)) for member_id, sheet in latest.items()}
    needed = (council.quorum * state.eligible).to_integral_value(rounding=ROUND_CEILING)
    return SpreadState(
        council=council,
        rounds_used=spread_rounds_used(dossier),
        rounds_allowed=council.spread_rounds,
        presiding=presiding_member(council, dossier, state.excluded),
        sheets=latest if complete else {},
        scores=scores,
        check=check_spread(scores, council.max_spread) if complete else None,
        needed=max(1, int(needed)),
        closure=SpreadClosure.objects.filter(dossier=dossier).select_related("sheet__member__user", "by").first(),
        has_result=Result.objects.filter(dossier=dossier).exists(),
    )


def _locked(dossier: Dossier) -> Dossier:
    # The same row lock as a submission takes: a closing and a last submission never interleave.
    return (
        Dossier.objects.select_for_update()
        .select_related("product", "criteria_set", "round__criteria_version")
        .get(pk=dossier.pk)
    )


def _allowed(by: Any, dossier: Dossier) -> tuple[Dossier, SpreadState]:
    dossier = _locked(dossier)
    council = council_for(dossier)
    state = spread_state(dossier, council)
    if not access.can_close_spread_review(by, council, state.presiding):
        raise PermissionDenied(
            _("Only the chair presiding over the council, or the OCOP office, closes a spread review.")
        )
    return dossier, state


def _refusal(state: SpreadState) -> str | None:
    """Why the review cannot be closed now (None: it can)."""
    council = state.council
    if state.closure is not None or state.has_result:
        return _("This dossier's scoring is already concluded: there is no spread review to close.")
    if not council.meeting_open or council.meeting_closed:
        return _("A spread review is closed at the council's meeting, and the meeting is not open.")
    if state.check is None:
        if not state.rounds_done:
            return _(
                "The spread review cannot be closed yet: %(used)s of the council's %(allowed)s spread reviews have "
                "been held, and the members concerned are re-scoring."
            ) % {"used": state.rounds_used, "allowed": state.rounds_allowed}
        return _("Not every member present has submitted a sheet: the spread review cannot be closed yet.")
    if state.check.clear:
        return _("The members' sheets agree: there is no spread review to close.")
    return None


def _rounds_message(state: SpreadState) -> str:
    return _(
        "Before the council's %(allowed)s spread reviews have been held (%(used)s so far), only a sheet that "
        "disqualifies the product on its own may be excluded; the totals cannot be accepted yet."
    ) % {"used": state.rounds_used, "allowed": state.rounds_allowed}


def _close(
    *, by: Any, dossier: Dossier, state: SpreadState, kind: ClosureKind, reason: str, sheet: ScoreSheet | None
) -> SpreadClosure:
    closure = SpreadClosure.objects.create(
        dossier=dossier,
        council=state.council,
        kind=kind,
        sheet=sheet,
        reason=reason,
        rounds=state.rounds_used,
        spread=state.check.spread if state.check else Decimal(0),
        by=by,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=closure,
        changes={
            "kind": [None, kind.value],
            "sheet": [None, f"{sheet.member} r{sheet.revision}: {sheet.total}" if sheet else None],
            "reason": [None, reason],
            "rounds": [None, state.rounds_used],
        },
    )
    kept = [score for member_id, score in state.scores.items() if sheet is None or member_id != sheet.member_id]
    _record_result(dossier=dossier, council=state.council, spec=sheet_spec(dossier.criteria_set), scores=kept, by=by)
    notices.spread_closed(closure=closure, presiding=state.presiding)
    return closure


@transaction.atomic
def accept_totals(*, by: Any, dossier: Dossier, explanation: str) -> SpreadClosure:
    """Close the dossier's spread review by accepting the members' totals as they stand.

    Allowed to the presiding member (or the office) once the council's spread reviews have been held. Side effects:
    a `SpreadClosure`, the result from every current sheet (the dossier moves to scored), audit entries, notices
    to the office. Nothing is written when it is refused."""
    dossier, state = _allowed(by, dossier)
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError(
            {"explanation": [_("Explanation: say why the council accepts the totals as they stand.")]}
        )
    refusal = _refusal(state)
    if refusal is not None:
        raise ValidationError(refusal)
    if not state.can_accept:
        raise ValidationError(_rounds_message(state))
    return _close(by=by, dossier=dossier, state=state, kind=ClosureKind.ACCEPT, reason=explanation, sheet=None)


@transaction.atomic
def exclude_sheet(*, by: Any, dossier: Dossier, sheet: ScoreSheet | None, reason: str) -> SpreadClosure:
    """Close the dossier's spread review by excluding one member's current sheet.

    Allowed to the presiding member (or the office) once the council's spread reviews have been held, or at once
    for a sheet that disqualifies the product when the others do not; at least the quorum's number of sheets must
    remain. Side effects: a `SpreadClosure`, the result from the other sheets (the dossier moves to scored), audit
    entries, notices to the office. Nothing is written when it is refused."""
    dossier, state = _allowed(by, dossier)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if sheet is None:
        errors["sheet"] = [_("Sheet: choose the member's sheet to exclude.")]
    elif sheet.dossier_id != dossier.pk:
        errors["sheet"] = [_("Sheet: this sheet belongs to another dossier.")]
    if not reason:
        errors["reason"] = [_("Reason: say why this member's sheet is excluded.")]
    if errors:
        raise ValidationError(errors)
    assert sheet is not None
    refusal = _refusal(state)
    if refusal is not None:
        raise ValidationError(refusal)
    current = state.sheets.get(sheet.member_id)
    if current is None or current.pk != sheet.pk:
        raise ValidationError({"sheet": [_("Sheet: only a member's current, submitted sheet can be excluded.")]})
    if not state.awaiting_chair:
        raise ValidationError(_rounds_message(state))
    if not state.rounds_done and sheet.member_id not in state.check.disqualifying:  # type: ignore[union-attr]
        raise ValidationError({"sheet": [_rounds_message(state)]})
    if len(state.sheets) - 1 < state.needed:
        raise ValidationError(
            {
                "sheet": [
                    _(
                        "Sheet: without it %(left)s sheets would remain, and the council's result needs at least "
                        "%(needed)s (its quorum)."
                    )
                    % {"left": len(state.sheets) - 1, "needed": state.needed}
                ]
            }
        )
    return _close(by=by, dossier=dossier, state=state, kind=ClosureKind.EXCLUDE, reason=reason, sheet=sheet)
