"""The dashboard's figures, computed once per scope, day and generation and kept as a snapshot: a page load reads one
row. Any change that moves a figure bumps the generation (handlers.py) and queues a recount in the background, so the
next load is served from a fresh snapshot; a load that finds none computes it itself. Dates enter the key, so
expiries at midnight count without anyone acting.

The day is today's, or a past year's last day: the dashboard of a past year is its figures as they stood at the
year's end (`stats`), kept like today's and past the daily purge. The past moves only when a record is entered or
corrected with an earlier date; such a change bumps the generation like any other, and the year's snapshot is
recounted when it is next opened (the background recount keeps to today's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ocop.places.models import Commune, Province
from ocop.planning.indicators import league
from ocop.planning.models import Plan
from ocop.reporting import charts, stats
from ocop.reporting.models import Generation, Snapshot


def generation() -> int:
    return Generation.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def bump() -> None:
    if not Generation.objects.filter(pk=1).update(value=F("value") + 1):
        Generation.objects.get_or_create(pk=1, defaults={"value": 1})


def _key(s: stats.Scope) -> str:
    # The national dashboard is keyed by the central level's row: that level holds no products or outlets of its own,
    # so its row has no other dashboard (access.statistics_scope makes every scope of it national).
    return f"{s.province_id}:{s.commune_id or '-'}:{s.today.isoformat()}"


def national(central_id: int, today: dt.date) -> stats.Scope:
    """The whole country's scope on the day. Its figures are counted like a province's without the province filter,
    not summed from the provinces' snapshots: one pass of each query stays as fast as a large province's recount
    (summing would recount all 34 provinces' snapshots on a first load) and stays true by construction (the same
    queries; distinct producers holding products in two provinces counted once; the mean shelf shares are means over
    all outlets, which sums of the provinces' means are not)."""
    return stats.Scope(central_id, None, today, national=True)


def compute(s: stats.Scope) -> dict[str, Any]:
    """Every figure of the dashboard as plain data (the labels are looked up when the page is drawn)."""
    counted = stats.certified(s)  # one pass over the day's certificates for the stars, groups, communes, expiring
    stars = stats.by_stars(s, counted)
    groups = stats.by_group(s, counted)
    sales = stats.sales_by_month(s)
    communes = [] if s.national else stats.by_commune(s, None if s.commune_id else counted)
    plan = (
        None
        if s.national
        else Plan.objects.filter(province_id=s.province_id, year__lte=s.today.year).order_by("-year").first()
    )
    months = [m.strftime("%m/%Y") for m, _r, _q in sales]
    registered = stats.registered(s)
    data: dict[str, Any] = {
        "stars": [[k, v] for k, v in stars.items()],
        "total": sum(stars.values()),
        "registered": [registered.producers, registered.products],
        "groups": [[g, n] for g, n in groups],
        "producers": [[r.kind, r.producers, r.women_led, r.ethnic_minority] for r in stats.producers_by_kind(s)],
        "expiring": stats.expiring(s, counted),
        "outlets": [[r.kind, r.outlets, r.mean_share] for r in stats.outlets(s)],
        "sales": [[label, r, q] for label, (_m, r, q) in zip(months, sales, strict=True)],
        "open_findings": stats.open_findings(s),
        "inspections": stats.inspections_done(s, s.today.year),
        "communes": [[r.commune.pk, r.commune.name, r.products] for r in communes],
        "plan": plan.number if plan else "",
        "league": [
            [row.commune.name, row.percent, [[i.code, target, done] for i, target, done in row.lines]]
            for row in (league(plan) if plan and not s.commune_id else [])
        ],
        "provinces": [list(row) for row in stats.by_province(s)] if s.national else [],
    }
    with translation.override(DRAWN_IN):
        data["charts"] = {DRAWN_IN: draw(data, s, communes)}
    return data


# The charts are drawn into the snapshot in the interface's first language; another is drawn when a page asks for it.
DRAWN_IN = "vi"


def draw(data: dict[str, Any], s: stats.Scope, communes: list[stats.CommuneRow] | None = None) -> dict[str, str]:
    """The dashboard's charts in the active language, from its figures (`compute`'s); the map's communes are read
    again when not given."""
    stars, groups, sales = data["stars"], data["groups"], data["sales"]
    shown = "" if s.commune_id or s.national or not data["communes"] else _("OCOP products by commune")
    if shown and communes is None:
        counts = {pk: n for pk, _name, n in data["communes"]}
        places = Commune.objects.filter(pk__in=counts).select_related("province").order_by("code")
        communes = [stats.CommuneRow(c, counts[c.pk]) for c in places]
    return {
        "stars": charts.bar(
            _("OCOP products by stars"), [stats.star_label(k) for k, _n in stars], [n for _k, n in stars]
        ),
        "groups": charts.horizontal(_("OCOP products by group"), [g for g, _n in groups], [n for _g, n in groups]),
        "sales": charts.line(
            _("Sales at outlets by month (million ₫)"),
            [f"{label[:3]}{label[-2:]}" for label, _r, _q in sales],  # "12/25" fits under its point; the table: 12/2025
            [round(r / 1_000_000) for _label, r, _q in sales],
        ),
        "map": charts.commune_map(shown, communes, communes[0].commune.province.code) if shown and communes else "",
    }


def drawn(data: dict[str, Any], s: stats.Scope) -> dict[str, str]:
    """The charts in the page's language: the snapshot's, or drawn now for another language."""
    kept: dict[str, dict[str, str]] = data.get("charts") or {}
    return kept.get(translation.get_language() or DRAWN_IN) or draw(data, s)


def figures(s: stats.Scope) -> dict[str, Any]:
    """The scope's figures on its day: from the snapshot of the current generation, else computed and kept."""
    current = generation()
    key = _key(s)
    data = Snapshot.objects.filter(key=key, generation=current).values_list("data", flat=True).first()
    if data is None:
        data = compute(s)
        Snapshot.objects.update_or_create(key=key, defaults={"generation": current, "data": data})
    return data  # type: ignore[no-any-return]


def refresh(today: dt.date | None = None) -> int:
    """Recompute today's snapshots that are behind the current generation (the pages people opened today).
    Returns how many. A past year's snapshot behind it is recounted when next opened. Other days' snapshots are
    purged after two days; past years' ends are kept."""
    today = today or timezone.localdate()
    current = generation()
    stale = Snapshot.objects.filter(key__endswith=f":{today.isoformat()}", generation__lt=current)
    done = 0
    central = Province.objects.filter(central=True).values_list("pk", flat=True).first()
    for key in stale.values_list("key", flat=True)[:50]:
        province, commune, _day = key.split(":")
        s = stats.Scope(
            int(province), None if commune == "-" else int(commune), today, national=int(province) == central
        )
        Snapshot.objects.filter(key=key).update(generation=current, data=compute(s))
        done += 1
    old = Snapshot.objects.filter(computed_at__lt=timezone.now() - dt.timedelta(days=2))
    old.exclude(key__endswith="-12-31").delete()
    return done


@task()
def refresh_snapshots() -> None:
    refresh()


def _queue_refresh() -> None:
    """Queue a recount unless one is queued and not yet started (it will read the newest generation when it runs):
    a burst of changes, a demo's or an import's hundreds, shares one."""
    from django_tasks_db.models import DBTaskResult

    if not DBTaskResult.objects.filter(task_path=refresh_snapshots.module_path, status="READY").exists():
        refresh_snapshots.enqueue()


def changed() -> None:
    """Called by the handlers after a change that moves figures: a new generation, and a recount queued."""
    bump()
    transaction.on_commit(_queue_refresh)
