"""The province's dashboard (and each commune's): totals by stars, group and producer type, expiring certificates,
outlets and their OCOP share, sales by month, open findings, a map of communes and the league table of communes
against their targets. Every chart has its numbers in a table. With ?nam=<year>, a past year's dashboard: every
figure as it stood at the end of that year."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import Role
from ocop.accounts.permissions import scope_of
from ocop.backoffice.views.common import Request, int_or_none
from ocop.outlets.enums import OutletKind
from ocop.places.models import Commune, Province
from ocop.planning.indicators import INDICATORS
from ocop.registry.enums import ProducerKind
from ocop.reporting import snapshots, stats

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


FIRST_YEAR = 2018  # the programme began in 2018 (Decision 490/QĐ-TTg)


def _year(request: Request, today: dt.date) -> int | str:
    """The year asked for with ?nam= (this year when absent), or the refusal's message naming the field."""
    raw = (request.GET.get("nam") or "").strip()
    if not raw:
        return today.year
    year = int_or_none(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else None
    if year is None or not FIRST_YEAR <= year <= today.year:
        return _("Year: choose a year from %(first)s to %(last)s (“%(value)s” is not one).") % {
            "first": FIRST_YEAR, "last": today.year, "value": raw[:10]}  # fmt: skip
    return year


@login_required
def statistics(request: Request) -> HttpResponse:
    s = statistics_scope(request)
    year = _year(request, s.today)
    if isinstance(year, str):
        return render(request, "backoffice/report_refused.html", {"errors": [year]}, status=400)
    if year < s.today.year:  # a past year: as it stood at the end of its last day
        s = stats.Scope(s.province_id, s.commune_id, dt.date(year, 12, 31))
    data = snapshots.figures(s)
    return render(
        request,
        "backoffice/statistics.html",
        {
            **data,
            "year": year,
            "past": year < timezone.localdate().year,
            "years": list(range(timezone.localdate().year, FIRST_YEAR - 1, -1)),
            "stars": [(k, stats.star_label(k), n) for k, n in data["stars"]],
            "producers": [(ProducerKind(k).label, *counts) for k, *counts in data["producers"]],
            "outlets": [(OutletKind(k).label, n, share) for k, n, share in data["outlets"]],
            "league": [
                (name, percent, [(INDICATORS[code].label, target, done) for code, target, done in lines])
                for name, percent, lines in data["league"]
            ],
            "scope": s,
            "province": Province.objects.get(pk=s.province_id),
            "commune": Commune.objects.get(pk=s.commune_id) if s.commune_id else None,
            "chart": data["charts"],
        },
    )
