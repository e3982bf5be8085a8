"""The province's dashboard (and each commune's): totals by stars, group and producer type, expiring certificates,
outlets and their OCOP share, sales by month, open findings, a map of communes and the league table of communes
against their targets. Every chart has its numbers in a table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.backoffice.views.common import Request, int_or_none
from ocop.places.models import Commune, Province
from ocop.planning.indicators import league
from ocop.planning.models import Plan
from ocop.reporting import charts, stats

READERS = (Role.PROVINCE_COORDINATOR, Role.COMMERCE_OFFICER, Role.INSPECTOR)


def statistics_scope(request: Request) -> stats.Scope:
    """The province the user reads (admins: ?tinh=<code>, Hà Nội by default) and, with ?xa=<id>, one commune.
    A commune officer reads their own commune only."""
    scope = scope_of(request.user)
    commune_id = int_or_none(request.GET.get("xa"))
    today = timezone.localdate()
    provinces = sorted(scope.provinces_for(*READERS))
    if scope.is_admin:
        province = Province.objects.filter(code=request.GET.get("tinh") or "01").first()
        province_id = province.pk if province else 0
    elif provinces:
        province_id = provinces[0]
    elif scope.communes:
        commune_id = commune_id if commune_id in scope.communes else min(scope.communes)
        province_id = Commune.objects.get(pk=commune_id).province_id
    else:
        raise PermissionDenied
    if commune_id and not Commune.objects.filter(pk=commune_id, province_id=province_id).exists():
        commune_id = None
    return stats.Scope(province_id, commune_id, today)


def dashboard_figures(s: stats.Scope) -> dict[str, object]:
    """Every figure of the dashboard (the yearly workbook's totals are checked against these)."""
    stars = stats.by_stars(s)
    return {
        "stars": stars,
        "total": sum(stars.values()),
        "groups": stats.by_group(s),
        "producers": stats.producers_by_kind(s),
        "expiring": stats.expiring(s),
        "outlets": stats.outlets(s),
        "sales": stats.sales_by_month(s),
        "open_findings": stats.open_findings(s),
        "inspections": stats.inspections_done(s, s.today.year),
    }


@login_required
def statistics(request: Request) -> HttpResponse:
    s = statistics_scope(request)
    figures = dashboard_figures(s)
    communes = stats.by_commune(s)
    plan = Plan.objects.filter(province_id=s.province_id, year__lte=s.today.year).order_by("-year").first()
    stars = figures["stars"]
    groups = figures["groups"]
    sales = figures["sales"]
    chart = {
        "stars": charts.bar(_("OCOP products by stars"), [f"{k}★" for k in stars], list(stars.values())),  # type: ignore[attr-defined]
        "groups": charts.horizontal(_("OCOP products by group"), [g for g, _n in groups], [n for _g, n in groups]),  # type: ignore[attr-defined]
        "sales": charts.line(
            _("Sales at outlets by month (million ₫)"),
            [m.strftime("%m/%Y") for m, _r, _q in sales],  # type: ignore[attr-defined]
            [round(r / 1_000_000) for _m, r, _q in sales],  # type: ignore[attr-defined]
        ),
        "map": charts.commune_map(_("OCOP products by commune"), communes) if not s.commune_id else "",
    }
    return render(
        request,
        "backoffice/statistics.html",
        {
            **figures,
            "scope": s,
            "province": Province.objects.get(pk=s.province_id),
            "commune": Commune.objects.get(pk=s.commune_id) if s.commune_id else None,
            "communes": communes,
            "chart": chart,
            "plan": plan,
            "league": league(plan) if plan and not s.commune_id else [],
        },
    )
