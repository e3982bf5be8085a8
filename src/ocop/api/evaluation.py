"""Evaluation in the API: criteria versions and sheets, rounds, dossiers, results, and the scoring endpoint."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema

from ocop.api import caching
from ocop.api.auth import api_auth
from ocop.api.caching import cached
from ocop.api.enums import DossierKind, DossierState, Part, Provenance, RoundLevel, SheetState
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import Id, PathCode, PathId
from ocop.api.text import LongText
from ocop.evaluation import access, scoring
from ocop.evaluation.catalogue import sheet_spec
from ocop.evaluation.models import CriteriaSet, CriteriaVersion, Dossier, Result
from ocop.evaluation.rules import OptionSpec

router = ApiRouter(tags=["evaluation"], auth=api_auth)


class VersionOut(Schema):
    id: int
    code: str
    name: str
    decision: str
    provenance: Provenance
    parts: dict[str, int]
    thresholds: dict[int, Decimal]
    in_force_from: Any = None
    in_force_until: Any = None


class SetOut(Schema):
    code: str
    name: str
    group_code: str
    group_name: str
    has_sheet: bool


class OptionOut(Schema):
    index: int
    label: str
    points: int
    case: str
    disqualifies: bool
    skips: list[str]


class LineOut(Schema):
    code: str
    text: str
    commune_assessed: bool
    mandatory_from: int | None
    requires: str
    options: list[OptionOut]


class GroupOut(Schema):
    part: Part
    name: str
    max_points: int | None
    lines: list[LineOut]


class SheetOut(Schema):
    code: str
    name: str
    groups: list[GroupOut]


class RoundOut(Schema):
    id: int
    year: int
    number: int
    level: RoundLevel
    province_code: str = Field(alias="province.code")
    criteria_version: str = Field(alias="criteria_version.code")
    submission_deadline: Any = None
    closed: bool


class DossierOut(Schema):
    id: int
    round_id: int
    product_id: int
    product_name: str = Field(alias="product.name")
    producer_name: str = Field(alias="product.producer.name")
    product_set: str = Field(alias="criteria_set.code")
    kind: DossierKind
    state: DossierState


class RoundPage(Page[RoundOut]): ...


class DossierPage(Page[DossierOut]): ...


class DossierFilters(PageQuery):
    round: Id | None = None
    state: DossierState | None = None


class ResultOut(Schema):
    dossier_id: int
    mean: Decimal
    part_a: Decimal
    part_b: Decimal
    part_c: Decimal
    stars_by_score: int
    stars: int
    caps: list[list[Any]]
    referral: bool
    scorers: int
    published: bool


class ScoreIn(Schema):
    choices: dict[str, int] = Field(description="criterion code → index of the chosen option (from 0)")
    comments: dict[str, LongText] = {}
    submit: bool = False
    reason: LongText = Field("", max_length=2000)


class ScoreOut(Schema):
    revision: int
    state: SheetState
    total: Decimal | None
    dossier_state: DossierState


# The criteria are public reference data (the decisions' text): open to everyone, a few versions of a few dozen
# product sets each, served whole and cached (ocop.api.caching).


@router.get(
    "/criteria",
    response={200: list[VersionOut], 304: None},
    summary="Criteria versions, the latest in force first",
    auth=None,
)
@cached(caching.REFERENCE)
def list_versions(request: HttpRequest) -> list[dict[str, Any]]:
    fields = ("id", "code", "name", "decision", "provenance", "in_force_from", "in_force_until")
    versions = list(CriteriaVersion.objects.order_by("-in_force_from", "code", "id"))
    caching.modified(request, *(v.updated_at for v in versions))
    return [{**{f: getattr(v, f) for f in fields}, "parts": v.parts, "thresholds": v.thresholds} for v in versions]


@router.get(
    "/criteria/{version_id}/sets",
    response={200: list[SetOut], 304: None},
    summary="Product sets of a criteria version",
    auth=None,
)
@cached(caching.REFERENCE)
def list_sets(request: HttpRequest, version_id: PathId) -> list[dict[str, Any]]:
    version = CriteriaVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise Http404
    sets = CriteriaSet.objects.filter(version=version).order_by("position", "code", "id")
    stamps = sets.aggregate(Max("updated_at"), Max("groups__updated_at")).values()
    caching.modified(request, version.updated_at, *stamps)
    with_sheet = set(sets.filter(groups__isnull=False).values_list("pk", flat=True))
    return [
        {
            "code": s.code,
            "name": s.name,
            "group_code": s.group_code,
            "group_name": s.group_name,
            "has_sheet": s.pk in with_sheet,
        }
        for s in sets
    ]


@router.get(
    "/criteria/{version_id}/sets/{set_code}",
    response={200: SheetOut, 304: None},
    summary="The score sheet of a product set",
    auth=None,
)
@cached(caching.REFERENCE)
def get_sheet(request: HttpRequest, version_id: PathId, set_code: PathCode) -> dict[str, Any]:
    criteria_set = CriteriaSet.objects.filter(version_id=version_id, code=set_code).first()
    if criteria_set is None:
        raise Http404
    parts = ("updated_at", "groups__updated_at", "groups__lines__updated_at", "groups__lines__options__updated_at")
    stamps = CriteriaSet.objects.filter(pk=criteria_set.pk).aggregate(*(Max(p) for p in parts)).values()
    caching.modified(request, *stamps)
    sheet = sheet_spec(criteria_set)
    return {
        "code": sheet.code,
        "name": sheet.name,
        "groups": [
            {
                "part": g.part,
                "name": g.name,
                "max_points": g.max_points,
                "lines": [
                    {
                        "code": line.code,
                        "text": line.text,
                        "commune_assessed": line.commune_assessed,
                        "mandatory_from": line.mandatory_from,
                        "requires": line.requires,
                        "options": [_option(i, o) for i, o in enumerate(line.options)],
                    }
                    for line in g.lines
                ],
            }
            for g in sheet.groups
        ],
    }


def _option(index: int, option: OptionSpec) -> dict[str, Any]:
    return {
        "index": index,
        "label": option.label,
        "points": option.points,
        "case": option.case,
        "disqualifies": option.disqualifies,
        "skips": list(option.skips),
    }


@router.get("/rounds", response=RoundPage, summary="Evaluation rounds visible to you, the latest first")
def list_rounds(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    qs = access.rounds_visible_to(request.user).select_related("province", "criteria_version")
    return paginate(request, qs.order_by("-year", "-number", "id"), filters)


@router.get("/dossiers", response=DossierPage, summary="Dossiers visible to you")
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters]) -> dict[str, Any]:
    qs = access.dossiers_visible_to(request.user).select_related("product__producer", "criteria_set")
    if filters.round:
        qs = qs.filter(round_id=filters.round)
    if filters.state:
        qs = qs.filter(state=filters.state.value)
    return paginate(request, qs.order_by("-created_at", "-id"), filters)


@router.get("/dossiers/{dossier_id}", response=DossierOut, summary="One dossier")
def get_dossier(request: HttpRequest, dossier_id: PathId) -> Dossier:
    return access.get_dossier_for_user(request.user, dossier_id)


@router.get("/dossiers/{dossier_id}/result", response=ResultOut, summary="The council's result (once published)")
def get_result(request: HttpRequest, dossier_id: PathId) -> Result:
    dossier = access.get_dossier_for_user(request.user, dossier_id)
    result = Result.objects.filter(dossier=dossier).first()
    if result is None or not (result.published or access.can_manage_round(request.user, dossier.round)):
        raise Http404
    return result


@router.post("/dossiers/{dossier_id}/score", response=ScoreOut, summary="Save (or submit) your score sheet")
def score(request: HttpRequest, dossier_id: PathId, payload: ScoreIn) -> dict[str, Any]:
    """The same rules as the score page: a council member with a seat, not excluded, while the meeting is open."""
    dossier = access.get_dossier_for_user(request.user, dossier_id)
    sheet = scoring.save_sheet(by=request.user, dossier=dossier, choices=payload.choices, comments=payload.comments)
    if payload.submit:
        sheet = scoring.submit_sheet(by=request.user, dossier=dossier, reason=payload.reason)
    dossier.refresh_from_db(fields=["state"])
    sheet.refresh_from_db()
    return {"revision": sheet.revision, "state": sheet.state, "total": sheet.total, "dossier_state": dossier.state}
