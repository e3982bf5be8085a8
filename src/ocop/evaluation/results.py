"""Reading the council's results: the path to the next star, the lists for decisions, the minutes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ocop.core.pdf import render_pdf
from ocop.core.text import blank_number, place_date
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.enums import MemberRole, SheetState
from ocop.evaluation.models import (
    Council,
    CouncilMember,
    Dossier,
    Result,
    Round,
    ScoreEntry,
    ScoreSheet,
    SpreadClosure,
)
from ocop.evaluation.rules import STARS
from ocop.evaluation.scoring import excluded_members, latest_sheets
from ocop.places.issuers import Heading, Sign, kept_issuer


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


# A member's title in the minutes, as councils write it. The minutes are an administrative document in Vietnamese
# (Decree 30/2020/NĐ-CP), whatever the language of the page they are downloaded from.
MINUTES_ROLES = {
    MemberRole.CHAIR: "Chủ tịch",
    MemberRole.VICE_CHAIR: "Phó Chủ tịch",
    MemberRole.MEMBER: "Ủy viên",
    MemberRole.SECRETARY: "Thư ký",
}
_DECISION_PREFIX = re.compile(r"^\s*(quyết định\s*(số)?|qđ\s*(số)?|số)[\s:]*", re.IGNORECASE)


@dataclass
class Seat:
    """A member as the minutes list them."""

    name: str
    title: str  # Chủ tịch, Phó Chủ tịch, Ủy viên, Thư ký
    agency: str
    scored: bool  # submitted at least one sheet


def decision_number(council: Council) -> str:
    """The number of the council's founding decision ("1675/QĐ-UBND"), without a "Quyết định số" typed before it."""
    return _DECISION_PREFIX.sub("", council.decision).strip()


def attendance(
    council: Council, members: list[CouncilMember], excluded: list[set[int]]
) -> tuple[list[Seat], list[Seat]]:
    """The members present and absent, chair first. Present means recorded present in the attendance taken when the
    meeting opened (what the quorum counted and what lets a member score) and, for a member who scores, once the
    council has results, having submitted a sheet for at least one dossier he was not excluded from: a member ticked
    present who scored none of the dossiers open to him did not take part, and is listed absent. The secretary does
    not score: the attendance alone says. `excluded`: for each dossier with a result, the members excluded from it."""
    scored = set(
        ScoreSheet.objects.filter(member__council=council, state=SheetState.SUBMITTED).values_list(
            "member_id", flat=True
        )
    )
    order = list(MINUTES_ROLES)
    present: list[Seat] = []
    absent: list[Seat] = []
    for member in sorted(members, key=lambda m: (order.index(MemberRole(m.role)), m.pk)):
        could_score = any(member.pk not in out for out in excluded)
        took_part = member.present and (not member.scores or member.pk in scored or not could_score)
        seat = Seat(str(member), MINUTES_ROLES[MemberRole(member.role)], member.agency, member.pk in scored)
        (present if took_part else absent).append(seat)
    return present, absent


def minutes_context(council: Council) -> dict[str, Any]:
    """What the minutes print: the council's founding decision, the meeting's place, day and hours, the members
    present and absent, the results and the spread reviews, and who signs (the chair for the council, and the
    secretary)."""
    members = list(council.members.select_related("user"))
    rows: list[dict[str, Any]] = []
    excluded_by_row: list[set[int]] = []  # for each result, the members excluded from its dossier
    for result in (
        Result.objects.filter(council=council)
        .select_related("dossier__product__producer", "dossier__criteria_set")
        .order_by("dossier__product__name")
    ):
        excluded = excluded_members(council, result.dossier)
        excluded_by_row.append(set(excluded))
        # The secretary does not score: never excluded. Each exclusion with its own reason, in Vietnamese (the
        # minutes render under the Vietnamese translation).
        rows.append(
            {
                "result": result,
                "excluded": [(str(m), str(excluded[m.pk])) for m in members if m.scores and m.pk in excluded],
            }
        )
    closures = list(
        SpreadClosure.objects.filter(council=council, dossier__result__isnull=False)
        .select_related("dossier__product", "sheet__member__user", "by")
        .order_by("dossier__product__name", "id")
    )
    present, absent = attendance(council, members, excluded_by_row)
    chair = next((m for m in members if m.role == MemberRole.CHAIR), None)
    secretary = next((m for m in members if m.role == MemberRole.SECRETARY), None)
    issuer = kept_issuer(council.issuer, council.round.province)  # as when the meeting was held
    return {
        "council": council,
        "round": council.round,
        "issuer": issuer,
        # The council issues its minutes, under the body that founded it.
        "heading": Heading(parent=issuer.name, name="Hội đồng đánh giá, phân hạng sản phẩm OCOP"),
        "number_line": blank_number("BB-HĐ"),
        "place_date": place_date(issuer.place, council.meeting_date or timezone.localdate()),
        "decision_number": decision_number(council),
        "seats": len(members),
        "chair_sign": Sign("TM. HỘI ĐỒNG", "CHỦ TỊCH", str(chair or "")),
        "secretary_sign": Sign("", "THƯ KÝ", str(secretary or "")),
        "closures": closures,
        "present": present,
        "absent": absent,
        "chair": chair,
        "secretary": secretary,
        "rows": rows,
        "printed": timezone.localtime(),
    }


def minutes_pdf(council: Council) -> bytes:
    """The meeting minutes (biên bản) as a PDF: an administrative document, in Vietnamese whatever the page's
    language."""
    with translation.override("vi"):
        return render_pdf(render_to_string("evaluation/minutes.html", minutes_context(council)))
