"""The plan's indicators, each computed from the records of a province's year (optionally one commune), with the
records behind the number. Each is counted as the records stood at the end of the year (or today, during it):
certificates valid on that day by their own history (`certificates.asof`), outlets still recognised then, results
recorded by then. A later revocation, supersession or recognition never changes a past year's progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.certificates import asof
from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate
from ocop.core.collation import vi
from ocop.core.text import place_sort_key
from ocop.evaluation.models import Result
from ocop.outlets.enums import OutletKind
from ocop.outlets.models import Outlet
from ocop.outlets.queries import recognised_on_q
from ocop.promotion.enums import EventKind
from ocop.promotion.models import Attendee, Event, Training
from ocop.supervision.enums import InspectionState
from ocop.supervision.models import Inspection


@dataclass(frozen=True)
class Scope:
    province_id: int
    year: int
    commune_id: int | None = None

    @property
    def day(self) -> dt.date:
        """The day the year's records are read on: its last, or today while it runs."""
        return min(dt.date(self.year, 12, 31), timezone.localdate())


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any  # a lazy translation
    kind: str  # what the records are: certificate, result, outlet, event
    records: Callable[[Scope], QuerySet[Any]]
    count_field: str = "pk"  # counted distinct (products, not certificates)


def _certificates(s: Scope) -> QuerySet[Certificate]:
    """Certificates issued in the year and still valid at its end (by their own history)."""
    qs = Certificate.objects.filter(province_id=s.province_id, issued_on__year=s.year)
    return asof.valid_on(s.day, qs.filter(commune_id=s.commune_id) if s.commune_id else qs)


def _rated(s: Scope) -> QuerySet[Certificate]:
    return _certificates(s).filter(stars__gte=3).select_related("product")


def _potential_five(s: Scope) -> QuerySet[Certificate]:
    """ "4 sao, tiềm năng 5 sao": counted apart from 4 and 5 stars, as provinces publish it."""
    return _certificates(s).filter(potential_five=True).select_related("product")


def _five_stars(s: Scope) -> QuerySet[Certificate]:
    return _certificates(s).filter(stars=5).select_related("product")


def _due(s: Scope) -> QuerySet[Certificate]:
    """Certificates whose 36 months end in the year: the products due for re-recognition (a certificate replaced by
    a newer one, or revoked, by the year's end is not due)."""
    day = s.day
    replaced = (
        Q(status=Status.REVOKED, status_since__lte=day)
        | Q(status=Status.SUPERSEDED, superseded_by__issued_on__lte=day)
        | Q(status=Status.SUPERSEDED, superseded_by__isnull=True, status_since__lte=day)
    )
    qs = (
        Certificate.objects.filter(province_id=s.province_id, valid_until__year=s.year)
        .exclude(replaced)
        .select_related("product")
    )
    return qs.filter(commune_id=s.commune_id) if s.commune_id else qs


def _renewed(s: Scope) -> QuerySet[Certificate]:
    """Certificates of the year for products that held an earlier one: re-recognitions done."""
    earlier = Certificate.objects.filter(product_id=OuterRef("product_id"), issued_on__lt=OuterRef("issued_on"))
    return _certificates(s).filter(Exists(earlier)).select_related("product")


def _referred(s: Scope) -> QuerySet[Result]:
    qs = Result.objects.filter(
        referral=True,
        published=True,
        dossier__round__province_id=s.province_id,
        dossier__round__year=s.year,
        created_at__lt=asof.day_end(s.day),
    ).select_related("dossier__product")
    return qs.filter(dossier__product__commune_id=s.commune_id) if s.commune_id else qs


def _outlets(kind: str) -> Callable[[Scope], QuerySet[Outlet]]:
    def records(s: Scope) -> QuerySet[Outlet]:
        kinds = (OutletKind.SALES_POINT, OutletKind.OTHER) if kind == OutletKind.SALES_POINT else (kind,)
        # Recognised in the year and still recognised at its end (one suspended or closed later counts).
        qs = Outlet.objects.filter(
            recognised_on_q(s.day), province_id=s.province_id, kind__in=kinds, decision_date__year=s.year
        )
        return qs.filter(commune_id=s.commune_id) if s.commune_id else qs

    return records


def _fairs(s: Scope) -> QuerySet[Event]:
    qs = Event.objects.filter(
        province_id=s.province_id, kind__in=(EventKind.FAIR, EventKind.EXHIBITION), starts_on__year=s.year
    )
    return qs.filter(Q(commune_id=s.commune_id)) if s.commune_id else qs


def _inspections(s: Scope) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(
        province_id=s.province_id, state=InspectionState.DONE, done_on__year=s.year, done_on__lte=s.day
    )
    if s.commune_id:
        return qs.filter(Q(producer__commune_id=s.commune_id) | Q(outlet__commune_id=s.commune_id))
    return qs.select_related("producer", "outlet", "product")


def _trainings(s: Scope) -> QuerySet[Training]:
    qs = Training.objects.filter(province_id=s.province_id, starts_on__year=s.year)
    return qs.filter(commune_id=s.commune_id) if s.commune_id else qs


def _trained(s: Scope) -> QuerySet[Attendee]:
    return Attendee.objects.filter(training__in=_trainings(s)).select_related("training")


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator("rated_3_stars", _("Products rated 3 stars or more"), "certificate", _rated, "product_id"),
        Indicator("referred_5_stars", _("Potential 5-star products referred"), "result", _referred),
        Indicator(
            "potential_5_stars",
            _("Products recognised 4 stars, potential 5 stars"),
            "certificate",
            _potential_five,
            "product_id",
        ),
        Indicator("recognised_5_stars", _("5-star products recognised"), "certificate", _five_stars, "product_id"),
        Indicator("sales_points", _("New sales points recognised"), "outlet", _outlets(OutletKind.SALES_POINT)),
        Indicator("design_centres", _("Design centres recognised"), "outlet", _outlets(OutletKind.DESIGN_CENTRE)),
        Indicator("rerecognitions_due", _("Re-recognitions due"), "certificate", _due, "product_id"),
        Indicator("rerecognitions_done", _("Re-recognitions done"), "certificate", _renewed, "product_id"),
        Indicator("inspections_done", _("Inspections done"), "inspection", _inspections),
        Indicator("fairs", _("Fairs and exhibitions held"), "event", _fairs),
        Indicator("trainings_held", _("Trainings held"), "training", _trainings),
        Indicator("people_trained", _("People trained"), "attendee", _trained),
    ]
}


def count(indicator: Indicator, scope: Scope) -> int:
    return indicator.records(scope).values(indicator.count_field).distinct().count()


@dataclass
class Row:
    """One line of a plan's progress: the target and what the records say, for the province and per commune."""

    indicator: Indicator
    target: int | None
    done: int
    communes: list[tuple[Any, int, int]]  # (commune, target, done)

    @property
    def percent(self) -> int | None:
        return round(self.done * 100 / self.target) if self.target else None


def plan_rows(plan: Any) -> list[Row]:
    """Every indicator of the plan's year: the province's target (if any), the number done, and the communes that
    have targets of their own."""
    targets = list(plan.targets.select_related("commune"))
    province = {t.indicator: t.value for t in targets if t.commune_id is None}
    rows = []
    for code, indicator in INDICATORS.items():
        communes = [
            (t.commune, t.value, count(indicator, Scope(plan.province_id, plan.year, t.commune_id)))
            for t in targets
            if t.indicator == code and t.commune_id is not None
        ]
        rows.append(Row(indicator, province.get(code), count(indicator, Scope(plan.province_id, plan.year)), communes))
    return rows


@dataclass
class LeagueRow:
    """A commune against its own targets of the plan: each (indicator, target, done) and the mean completion."""

    commune: Any
    lines: list[tuple[Indicator, int, int]]

    @property
    def percent(self) -> int:
        shares = [min(done / target, 1) for _i, target, done in self.lines if target]
        return round(100 * sum(shares) / len(shares)) if shares else 0


def league(plan: Any) -> list[LeagueRow]:
    """The communes that have targets in the plan, best first (one count per commune target)."""
    rows: dict[int, LeagueRow] = {}
    for t in plan.targets.filter(commune__isnull=False).select_related("commune").order_by(vi("commune__short_name")):
        indicator = INDICATORS.get(t.indicator)
        if indicator is None:
            continue
        done = count(indicator, Scope(plan.province_id, plan.year, t.commune_id))
        rows.setdefault(t.commune_id, LeagueRow(t.commune, [])).lines.append((indicator, t.value, done))
    return sorted(rows.values(), key=lambda r: (-r.percent, place_sort_key(r.commune.short_name)))
