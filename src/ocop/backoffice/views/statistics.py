"""The province's dashboard (and each commune's): totals by stars, group and producer type, expiring certificates,
outlets and their OCOP share, sales by month, open findings, a map of communes and the league table of communes
against their targets. Every chart has its numbers in a table. With ?nam=<year>, a past year's dashboard: every
figure as it stood at the end of that year. The ministry's offices (and administrators, with ?tinh=<the central level's
code>) see the national dashboard: the same figures for the whole country, with the products of each province."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.permissions import scope_of
from ocop.backoffice.views.common import Request
from ocop.core.cells import whole_digits
from ocop.outlets.enums import OutletKind
from ocop.places.models import Commune, Province
from ocop.planning.indicators import INDICATORS
from ocop.registry.enums import ProducerKind
from ocop.reporting import access, snapshots, stats

FIRST_YEAR = 2018  # the programme began in 2018 (Decision 490/QĐ-TTg)


def _year(request: Request, today: dt.date) -> int | str:
    """The year asked for with ?nam= (this year when absent), or the refusal's message naming the field."""
    raw = (request.GET.get("nam") or "").strip()
    if not raw:
        return today.year
    year = whole_digits(raw) if len(raw) == 4 else None
    if year is None or not FIRST_YEAR <= year <= today.year:
        return _("Year: choose a year from %(first)s to %(last)s (“%(value)s” is not one).") % {
            "first": FIRST_YEAR, "last": today.year, "value": raw[:10]}  # fmt: skip
    return year


@login_required
def statistics(request: Request) -> HttpResponse:
    s = access.statistics_scope(request.user, request.GET.get("tinh", ""), request.GET.get("xa", ""))
    year = _year(request, s.today)
    if isinstance(year, str):
        return render(request, "backoffice/report_refused.html", {"errors": [year]}, status=400)
    if year < s.today.year:  # a past year: as it stood at the end of its last day
        s = dataclasses.replace(s, today=dt.date(year, 12, 31))
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
            "nation": Province.objects.filter(central=True).first() if access.reads_nation(request.user) else None,
            "admin": scope_of(request.user).is_admin,
            "province": Province.objects.get(pk=s.province_id),
            "commune": Commune.objects.get(pk=s.commune_id) if s.commune_id else None,
            "chart": snapshots.drawn(data, s),  # in the page's language
        },
    )
