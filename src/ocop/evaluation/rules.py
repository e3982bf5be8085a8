"""The scoring rules of an OCOP evaluation, as pure functions over plain data.

Nothing here touches the database: the catalogue import validates workbooks with these types before
anything is written, and the council's results are computed with them from stored score sheets.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

PARTS = ("A", "B", "C")
STARS = (2, 3, 4, 5)


@dataclass(frozen=True)
class OptionSpec:
    label: str
    points: int
    case: str = ""  # lines with alternative cases: the member picks one option from any case
    disqualifies: bool = False  # choosing it disqualifies the product on that member's sheet
    skips: tuple[str, ...] = ()  # stop rule: these lines are not scored when this option is chosen


@dataclass(frozen=True)
class LineSpec:
    code: str
    text: str
    options: tuple[OptionSpec, ...]
    commune_assessed: bool = False
    mandatory_from: int | None = None  # failing the line caps the result below this many stars
    mandatory_min: int = 1  # a member finds the line met with an option worth at least this
    requires: str = ""  # scored only when this line scored more than zero (e.g. story lines)

    @property
    def max_points(self) -> int:
        return max((o.points for o in self.options), default=0)


@dataclass(frozen=True)
class GroupSpec:
    part: str
    name: str
    lines: tuple[LineSpec, ...]
    max_points: int | None = None


@dataclass(frozen=True)
class SheetSpec:
    code: str
    name: str
    group_code: str = ""
    group_name: str = ""
    groups: tuple[GroupSpec, ...] = ()

    def lines(self) -> list[LineSpec]:
        return [line for group in self.groups for line in group.lines]

    def part_of(self) -> dict[str, str]:
        return {line.code: group.part for group in self.groups for line in group.lines}


@dataclass(frozen=True)
class VersionSpec:
    code: str
    name: str
    parts: Mapping[str, int]  # "A" → 40 ...
    thresholds: Mapping[int, Decimal]  # stars → lowest mean (2 → 30, 3 → 50, 4 → 70, 5 → 90)
    decision: str = ""
    provenance: str = "official"
    note: str = ""
    in_force_from: Any = None
    in_force_until: Any = None
    sheets: tuple[SheetSpec, ...] = ()


@dataclass(frozen=True)
class Problem:
    where: str  # "sheet 1-06, line 1.1" or "version"
    message: str


def validate_version(spec: VersionSpec) -> list[Problem]:
    """Everything wrong with a criteria version and its sheets; empty when it can be saved."""
    problems: list[Problem] = []
    where = _("version %(code)s") % {"code": spec.code}
    if sorted(spec.parts) != list(PARTS):
        problems.append(Problem(where, _("The parts must be A, B and C.")))
    elif sum(spec.parts.values()) != 100:
        problems.append(
            Problem(where, _("Parts A, B and C add up to %(total)s, not 100.") % {"total": sum(spec.parts.values())})
        )
    levels = [spec.thresholds.get(s) for s in STARS]
    if any(v is None for v in levels) or not all(
        Decimal(0) < a < b <= Decimal(100)  # type: ignore[operator]
        for a, b in itertools.pairwise(levels)
    ):
        problems.append(Problem(where, _("Star thresholds must rise from 2 to 5 stars, between 0 and 100.")))
    for sheet in spec.sheets:
        problems += validate_sheet(sheet, spec.parts)
    return problems


def validate_sheet(sheet: SheetSpec, parts: Mapping[str, int]) -> list[Problem]:
    problems: list[Problem] = []
    where = _("sheet %(code)s") % {"code": sheet.code}
    codes = [line.code for line in sheet.lines()]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(Problem(where, _("Line %(code)s appears twice.") % {"code": code}))
    known = set(codes)
    for group in sheet.groups:
        if group.part not in PARTS:
            problems.append(Problem(where, _("Unknown part “%(part)s”.") % {"part": group.part}))
        total = sum(line.max_points for line in group.lines)
        if group.max_points is not None and total != group.max_points:
            problems.append(
                Problem(
                    where,
                    _("Group “%(group)s” is worth %(max)s, but its lines reach %(total)s.")
                    % {"group": group.name, "max": group.max_points, "total": total},
                )
            )
        for line in group.lines:
            problems += _line_problems(where, line, known)
    for part in PARTS:
        reach = sum(line.max_points for g in sheet.groups if g.part == part for line in g.lines)
        if part in parts and reach != parts[part]:
            problems.append(
                Problem(
                    where,
                    _("Part %(part)s must reach exactly %(max)s points; its best options reach %(reach)s.")
                    % {"part": part, "max": parts[part], "reach": reach},
                )
            )
    return problems


def _line_problems(where: str, line: LineSpec, known: set[str]) -> list[Problem]:
    problems = []
    at = f"{where}, {_('line')} {line.code}"
    if not line.options:
        problems.append(Problem(at, _("A line needs at least one option.")))
    if any(o.points < 0 for o in line.options):
        problems.append(Problem(at, _("Points cannot be negative.")))
    if line.mandatory_from is not None and line.mandatory_from not in STARS:
        problems.append(Problem(at, _("“Mandatory from” must be 2, 3, 4 or 5 stars.")))
    if line.requires and (line.requires not in known or line.requires == line.code):
        problems.append(
            Problem(at, _("It depends on line %(code)s, which is not on this sheet.") % {"code": line.requires})
        )
    for option in line.options:
        for code in option.skips:
            if code not in known or code == line.code:
                problems.append(
                    Problem(at, _("An option skips line %(code)s, which is not on this sheet.") % {"code": code})
                )
    return problems


# ---- one member's sheet -------------------------------------------------------------------------


@dataclass
class SheetScore:
    """One member's sheet, totalled: points per line and per part, after stop and disqualification rules."""

    line_points: dict[str, int] = field(default_factory=dict)
    parts: dict[str, int] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    disqualified_by: str = ""

    @property
    def total(self) -> int:
        return 0 if self.disqualified_by else sum(self.parts.values())


def score_sheet(sheet: SheetSpec, choices: Mapping[str, int]) -> SheetScore:
    """Total one member's choices (line code → index of the chosen option in the line's options).

    Lines skipped by a stop rule, and lines whose prerequisite line scored nothing, count zero and
    need no choice; a disqualifying option makes the whole sheet worth zero.
    """
    result = SheetScore(parts=dict.fromkeys(PARTS, 0))
    part_of = sheet.part_of()
    for line in sheet.lines():
        if line.code in result.skipped or (line.requires and result.line_points.get(line.requires, 0) <= 0):
            result.skipped.add(line.code)
            result.line_points[line.code] = 0
            continue
        index = choices.get(line.code)
        if index is None or not 0 <= index < len(line.options):
            result.missing.append(line.code)
            result.line_points[line.code] = 0
            continue
        option = line.options[index]
        result.line_points[line.code] = option.points
        result.parts[part_of[line.code]] += option.points
        result.skipped.update(option.skips)
        if option.disqualifies and not result.disqualified_by:
            result.disqualified_by = line.code
    return result


# ---- the council's result -----------------------------------------------------------------------


def round_mean(value: Decimal, rounding: str) -> Decimal:
    if rounding == "whole":
        return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if rounding == "one":
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value


def stars_for(mean: Decimal, thresholds: Mapping[int, Decimal]) -> int:
    """1 to 5 stars from the mean total: the highest level whose threshold the mean reaches."""
    stars = 1
    for level in STARS:
        if mean >= Decimal(thresholds[level]):
            stars = level
    return stars


@dataclass
class CouncilOutcome:
    mean: Decimal
    part_means: dict[str, Decimal]
    line_means: dict[str, Decimal]
    stars_by_score: int
    stars: int
    caps: list[tuple[str, int]]  # (line code, stars the line required) for every failed mandatory line
    referral: bool
    spread: Decimal
    spread_exceeded: bool


def _mean(values: Sequence[int | Decimal]) -> Decimal:
    return sum((Decimal(v) for v in values), Decimal(0)) / len(values) if values else Decimal(0)


def council_outcome(
    sheet: SheetSpec,
    scores: Sequence[SheetScore],
    *,
    thresholds: Mapping[int, Decimal],
    max_spread: Decimal,
    rounding: str = "none",
) -> CouncilOutcome:
    """The council's result from the members' final sheets: mean, stars, caps and the spread check."""
    totals = [s.total for s in scores]
    mean = round_mean(_mean(totals), rounding)
    line_means = {line.code: _mean([s.line_points.get(line.code, 0) for s in scores]) for line in sheet.lines()}
    by_score = stars_for(mean, thresholds)
    # A mandatory line is met when more than half of the members chose an option worth at least its minimum.
    caps = [
        (line.code, line.mandatory_from)
        for line in sheet.lines()
        if line.mandatory_from is not None
        and 2 * sum(1 for s in scores if s.line_points.get(line.code, 0) >= line.mandatory_min) <= len(scores)
    ]
    stars = min([by_score, *[level - 1 for _code, level in caps]])
    spread = Decimal(max(totals) - min(totals)) if totals else Decimal(0)
    return CouncilOutcome(
        mean=mean,
        part_means={p: _mean([s.parts.get(p, 0) if not s.disqualified_by else 0 for s in scores]) for p in PARTS},
        line_means=line_means,
        stars_by_score=by_score,
        stars=stars,
        caps=caps,
        referral=stars == 5,
        spread=spread,
        spread_exceeded=spread > max_spread,
    )


def members_to_review(totals: Mapping[Any, int], max_spread: Decimal) -> set[Any]:
    """Members whose total is further than the spread rule from another member's total."""
    return {a for a, ta in totals.items() for tb in totals.values() if abs(ta - tb) > max_spread}


@dataclass(frozen=True)
class SpreadCheck:
    """What stands between the members' final sheets and a result."""

    review: frozenset[Any]  # members too far from another member (among sheets that do not disqualify)
    disqualifying: frozenset[Any]  # members whose sheet alone disqualifies the product (not every sheet does)
    spread: Decimal  # the largest gap between any two totals

    @property
    def clear(self) -> bool:
        return not self.review and not self.disqualifying


def check_spread(scores: Mapping[Any, SheetScore], max_spread: Decimal) -> SpreadCheck:
    """The spread rule over the members' sheets. A sheet that disqualifies the product is set apart rather than
    compared (its zero would send every other member back); when every sheet disqualifies, the council agrees."""
    disqualifying = {m for m, s in scores.items() if s.disqualified_by}
    if len(disqualifying) == len(scores):
        disqualifying = set()
    others = {m: s.total for m, s in scores.items() if m not in disqualifying}
    totals = [s.total for s in scores.values()]
    return SpreadCheck(
        review=frozenset(members_to_review(others, max_spread)),
        disqualifying=frozenset(disqualifying),
        spread=Decimal(max(totals) - min(totals)) if totals else Decimal(0),
    )


def lines_that_differ(scores: Mapping[Any, SheetScore], limit: int = 5) -> list[tuple[str, int]]:
    """The lines on which members' points differ most (line code, highest minus lowest), widest first."""
    if not scores:
        return []
    codes = list(next(iter(scores.values())).line_points)
    widths = []
    for code in codes:
        points = [s.line_points.get(code, 0) for s in scores.values()]
        widths.append((code, max(points) - min(points)))
    ranked = sorted((w for w in widths if w[1] > 0), key=lambda w: -w[1])
    return ranked[:limit]


def quorum_met(*, eligible: int, present: int, ratio: Decimal, chair_required: bool, chair_present: bool) -> bool:
    """Enough eligible scoring members present (ratio of those not excluded), with the chair if required."""
    if eligible == 0:
        return False
    return Decimal(present) >= ratio * eligible and (chair_present or not chair_required)
