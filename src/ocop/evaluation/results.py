"""Reading the council's results: the path to the next star, the lists for decisions, the minutes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from ocop.core.pdf import render_pdf
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.models import Council, Dossier, Result, Round, ScoreEntry, SpreadClosure
from ocop.evaluation.rules import STARS
from ocop.evaluation.scoring import excluded_members, latest_sheets


@dataclass
class PathLine:
    code: str
    text: str
    part: str
    mean: Decimal
    maximum: int
    mandatory_from: int | None
    failed: bool  # a mandatory line the council found not met
    comments: list[str] = field(default_factory=list)

    @property
    def gain(self) -> Decimal:
        return Decimal(self.maximum) - self.mean


@dataclass
class Path:
    result: Result
    next_star: int | None
    points_needed: Decimal  # to the next star's threshold; 0 when only a mandatory line stands in the way
    lines: list[PathLine]


def path_to_next_star(dossier: Dossier) -> Path:
    """Per criterion line: mean points awarded against the maximum and the members' comments. Lines that
    capped the stars come first, then the lines with the most points still to win."""
    result = dossier.result
    version = dossier.round.criteria_version
    thresholds = version.thresholds
    next_star = result.stars + 1 if result.stars < max(STARS) else None
    needed = Decimal(0)
    if next_star is not None and result.stars_by_score < next_star:
        needed = max(Decimal(0), thresholds[next_star] - result.mean)
    failed = {code for code, _stars in result.caps}
    comments: dict[str, list[str]] = {}
    final = {s.pk for s in latest_sheets(dossier, list(result.council.members.all())).values()}
    closure = SpreadClosure.objects.filter(dossier=dossier).first()
    if closure is not None and closure.sheet_id is not None:
        final.discard(closure.sheet_id)  # an excluded sheet's comments are not the council's
    for entry in ScoreEntry.objects.filter(sheet_id__in=final).exclude(comment="").select_related("line"):
        comments.setdefault(entry.line.code, []).append(entry.comment)
    spec = sheet_spec(dossier.criteria_set)
    part_of = spec.part_of()
    lines = [
        PathLine(
            code=line.code,
            text=line.text,
            part=part_of[line.code],
            mean=Decimal(result.line_means.get(line.code, "0")),
            maximum=line.max_points,
            mandatory_from=line.mandatory_from,
            failed=line.code in failed,
            comments=comments.get(line.code, []),
        )
        for line in spec.lines()
    ]
    lines.sort(key=lambda p: (not p.failed, -p.gain, p.code))
    return Path(result=result, next_star=next_star, points_needed=needed, lines=lines)


def recognition_list(round_: Round) -> list[Result]:
    """Products proposed for the province's recognition decision: 3 and 4 stars (5-star candidates are
    referred to the central round and listed by `referral_list`)."""
    return list(
        Result.objects.filter(dossier__round=round_, stars__in=(3, 4))
        .select_related("dossier__product__producer", "dossier__product__commune", "dossier__criteria_set")
        .order_by("-stars", "-mean", "dossier__product__name")
    )


def referral_list(round_: Round) -> list[Result]:
    return list(
        Result.objects.filter(dossier__round=round_, referral=True)
        .select_related("dossier__product__producer", "dossier__product__commune", "dossier__criteria_set")
        .prefetch_related("dossier__evidence__document")
        .order_by("-mean", "dossier__product__name")
    )


def minutes_context(council: Council) -> dict[str, Any]:
    members = list(council.members.select_related("user"))
    rows = []
    for result in (
        Result.objects.filter(council=council)
        .select_related("dossier__product__producer", "dossier__criteria_set")
        .order_by("dossier__product__name")
    ):
        excluded = excluded_members(council, result.dossier)
        rows.append(
            {
                "result": result,
                "excluded": [m for m in members if m.pk in excluded],
            }
        )
    closures = list(
        SpreadClosure.objects.filter(council=council, dossier__result__isnull=False)
        .select_related("dossier__product", "sheet__member__user", "by")
        .order_by("dossier__product__name", "id")
    )
    return {
        "council": council,
        "round": council.round,
        "closures": closures,
        "present": [m for m in members if m.present],
        "absent": [m for m in members if not m.present],
        "chair": next((m for m in members if m.role == "chair"), None),
        "secretary": next((m for m in members if m.role == "secretary"), None),
        "rows": rows,
        "printed": timezone.localtime(),
    }


def minutes_pdf(council: Council) -> bytes:
    """The meeting minutes (biên bản) as a PDF in Vietnamese."""
    return render_pdf(render_to_string("evaluation/minutes.html", minutes_context(council)))
