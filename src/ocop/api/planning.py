"""Yearly OCOP plans in the API: the plans, and each plan's progress against its targets, counted from the records
exactly as the back office counts them (ocop.planning.indicators: `plan_rows`, `count`), never typed in.

Who reads what is the planning gateway's rule (ocop.planning.access): the province's OCOP office and commerce
officers read their province's plans whole (`/plans`, `/plans/{id}`); a commune officer reads only the targets set
for their own communes (`/plan-targets`), never the whole plan (their `/plans` is empty, a plan's page a 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Schema

from ocop.api.auth import api_auth
from ocop.api.enums import PlanIndicator
from ocop.api.errors import ApiRouter
from ocop.api.pagination import Page, PageQuery, paginate
from ocop.api.params import Code, PathId
from ocop.planning import access
from ocop.planning.indicators import INDICATORS, Row, Scope, count, plan_rows
from ocop.planning.models import Plan, Target

router = ApiRouter(tags=["planning"], auth=api_auth)


class PlanPlaceOut(Schema):
    code: str = Field(description="the administrative unit's code (province: 2 digits, commune: 5)")
    name: str


class PlanOut(Schema):
    id: int
    province: PlanPlaceOut = Field(description="the province whose plan it is")
    year: int
    title: str
    number: str = Field(description="the plan's document number, e.g. 35/KH-UBND")
    signed_on: dt.date = Field(description="the plan's date")
    issuing_body: str = Field(description="who issued the plan, e.g. the province People's Committee")


class PlanPage(Page[PlanOut]): ...


class CommuneProgressOut(Schema):
    commune: PlanPlaceOut
    goal: int = Field(description="the commune's own target for the indicator")
    achieved: int = Field(description="counted from the commune's records of the plan's year")


class IndicatorProgressOut(Schema):
    indicator: PlanIndicator
    label: str = Field(description="the indicator's name, in the request's language")
    goal: int | None = Field(description="the province's target for the indicator; null when the plan sets none")
    achieved: int = Field(description="counted from the province's records of the plan's year")
    percent: int | None = Field(description="achieved as a whole percentage of the goal; null without a goal")
    communes: list[CommuneProgressOut] = Field(description="the communes with a target of their own, and theirs")


class PlanDetailOut(PlanOut):
    note: str
    as_of: dt.date = Field(
        description="the day the records are counted as they stood: the year's last day, or today while it runs"
    )
    progress: list[IndicatorProgressOut] = Field(description="every indicator, in the back office's order")


class PlanFilters(PageQuery):
    year: int | None = Field(None, ge=2018, le=2100, description="the plan's year")
    province: Code | None = Field(None, description="province code, e.g. 01 for Hà Nội")


def _place(unit: Any) -> dict[str, str]:
    return {"code": unit.code, "name": unit.name}


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "province": _place(plan.province),
        "year": plan.year,
        "title": plan.title,
        "number": plan.number,
        "signed_on": plan.signed_on,
        "issuing_body": plan.issuing_body,
    }


def _progress(row: Row) -> dict[str, Any]:
    return {
        "indicator": row.indicator.code,
        "label": str(row.indicator.label),
        "goal": row.target,
        "achieved": row.done,
        "percent": row.percent,
        "communes": [
            {"commune": _place(commune), "goal": goal, "achieved": done} for commune, goal, done in row.communes
        ],
    }


@router.get("/plans", response=PlanPage, summary="Yearly OCOP plans read whole (the province's offices)")
def list_plans(request: HttpRequest, filters: Query[PlanFilters]) -> dict[str, Any]:
    qs: QuerySet[Plan] = access.plans_visible_to(request.user).select_related("province")
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.province:
        qs = qs.filter(province__code=filters.province)
    return paginate(request, qs.order_by("province__code", "-year", "id"), filters, _plan)


@router.get(
    "/plans/{plan_id}",
    response=PlanDetailOut,
    summary="A plan with every indicator's target and what the records count, for the province and its communes",
)
def get_plan(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    plan = access.get_plan_for_user(request.user, plan_id)
    return {
        **_plan(plan),
        "note": plan.note,
        "as_of": Scope(plan.province_id, plan.year).day,
        "progress": [_progress(row) for row in plan_rows(plan)],
    }


class PlanTargetOut(Schema):
    id: int
    plan_id: int
    year: int = Field(description="the plan's year")
    province: PlanPlaceOut
    commune: PlanPlaceOut | None = Field(description="the commune the target is set for; null: the whole province")
    indicator: PlanIndicator
    label: str = Field(description="the indicator's name, in the request's language")
    goal: int = Field(description="the target")
    achieved: int = Field(description="counted from the records of the plan's year, for the target's unit")
    as_of: dt.date = Field(description="the day the records are counted as they stood")


class PlanTargetPage(Page[PlanTargetOut]): ...


class PlanTargetFilters(PageQuery):
    year: int | None = Field(None, ge=2018, le=2100, description="the plan's year")
    province: Code | None = Field(None, description="province code, e.g. 01 for Hà Nội")
    commune: Code | None = Field(None, description="commune code: the targets set for that commune")
    indicator: PlanIndicator | None = None


def _target(t: Target) -> dict[str, Any]:
    indicator = INDICATORS[t.indicator]
    scope = Scope(t.plan.province_id, t.plan.year, t.commune_id)
    return {
        "id": t.pk,
        "plan_id": t.plan_id,
        "year": t.plan.year,
        "province": _place(t.plan.province),
        "commune": _place(t.commune) if t.commune else None,
        "indicator": t.indicator,
        "label": str(indicator.label),
        "goal": t.value,
        "achieved": count(indicator, scope),
        "as_of": scope.day,
    }


@router.get(
    "/plan-targets",
    response=PlanTargetPage,
    summary="The targets the user reads, each with what the records count: a commune officer's, their communes'",
)
def list_plan_targets(request: HttpRequest, filters: Query[PlanTargetFilters]) -> dict[str, Any]:
    qs = access.targets_visible_to(request.user).filter(indicator__in=list(INDICATORS))
    if filters.year is not None:
        qs = qs.filter(plan__year=filters.year)
    if filters.province:
        qs = qs.filter(plan__province__code=filters.province)
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.indicator:
        qs = qs.filter(indicator=filters.indicator.value)
    # The province's own target first (no commune), on both databases (they place nulls differently).
    order = ("-plan__year", "plan__province__code", "indicator", F("commune__code").asc(nulls_first=True), "id")
    return paginate(request, qs.select_related("plan__province", "commune").order_by(*order), filters, _target)
