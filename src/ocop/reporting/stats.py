"""The figures of the dashboards and of the periodic workbook, computed from the records for a province (or one of
its communes) as of a day: one query per figure, so both read the same numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate
from ocop.certificates.queries import status_q
from ocop.outlets.enums import OutletKind, OutletStatus
from ocop.outlets.models import Outlet, SalesRecord
from ocop.outlets.queries import with_share
from ocop.places.models import Commune
from ocop.registry.enums import ProducerKind
from ocop.registry.models import Producer, Product
from ocop.supervision.enums import FindingState, InspectionState
from ocop.supervision.models import Finding, Inspection

STARS = (3, 4, 5)
POTENTIAL = "potential"  # "4 sao, tiềm năng 5 sao": counted on its own, never among 4 or 5 stars
LEVELS: tuple[int | str, ...] = (3, 4, POTENTIAL, 5)


def star_label(level: int | str) -> str:
    return str(_("potential 5★")) if level == POTENTIAL else f"{level}★"


@dataclass(frozen=True)
class Scope:
    province_id: int
    commune_id: int | None = None
    today: dt.date = dt.date.min

    def where(self, commune_field: str = "commune", province_field: str | None = None) -> Q:
        if self.commune_id:
            return Q(**{f"{commune_field}_id": self.commune_id})
        return Q(**{province_field or "province_id": self.province_id})


def ocop_products(s: Scope) -> QuerySet[Product]:
    """Products that are OCOP products on the day (their latest certificate valid or expiring)."""
    return Product.objects.filter(status_q("current", s.today, prefix="ocop_"), s.where())


def by_stars(s: Scope) -> dict[int | str, int]:
    """OCOP products by stars, the province's "potential 5-star" recognitions apart (as reports count them)."""
    counts: dict[int | str, int] = dict.fromkeys(LEVELS, 0)
    rows = ocop_products(s).values_list("ocop_stars", "ocop_potential_five").annotate(n=Count("pk")).order_by()
    for stars, potential, n in rows:
        counts[POTENTIAL if potential else stars] += n
    return counts


def by_group(s: Scope) -> list[tuple[str, int]]:
    rows = (
        ocop_products(s)
        .values_list("group__name", "group__position")
        .annotate(n=Count("pk"))
        .order_by("group__position")
    )
    return [(name or str(_("group not determined")), n) for name, _pos, n in rows]


@dataclass(frozen=True)
class ProducerRow:
    kind: str
    label: Any
    producers: int
    women_led: int
    ethnic_minority: int


def producers_by_kind(s: Scope) -> list[ProducerRow]:
    """Producers holding at least one OCOP product on the day, by type, with women-led and ethnic-minority ones."""
    qs = Producer.objects.filter(pk__in=ocop_products(s).values("producer_id"))
    rows = {
        kind: (n, w, e)
        for kind, n, w, e in qs.values_list("kind")
        .annotate(n=Count("pk"), w=Count("pk", filter=Q(women_led=True)), e=Count("pk", filter=Q(ethnic_minority=True)))
        .order_by()
    }
    return [ProducerRow(k, ProducerKind(k).label, *rows.get(k, (0, 0, 0))) for k in ProducerKind.values]


def expiring(s: Scope) -> int:
    """Certificates ending within the next OCOP_EXPIRY_WARN_DAYS (90) days."""
    warn = s.today + dt.timedelta(days=settings.OCOP_EXPIRY_WARN_DAYS)
    return Certificate.objects.filter(
        s.where(province_field="province_id"), status=Status.VALID, valid_until__gte=s.today, valid_until__lte=warn
    ).count()


@dataclass(frozen=True)
class OutletRow:
    kind: str
    label: Any
    outlets: int
    mean_share: float | None  # mean OCOP share of the shelves, in %


def outlets(s: Scope) -> list[OutletRow]:
    qs = with_share(
        Outlet.objects.filter(s.where(province_field="province_id"), status=OutletStatus.RECOGNISED), s.today
    )
    shares: dict[str, list[float]] = {k: [] for k in OutletKind.values}
    counts = dict.fromkeys(OutletKind.values, 0)
    for kind, lines, ocop in qs.values_list("kind", "lines", "ocop_lines"):  # type: ignore[misc]
        counts[kind] += 1
        if lines:
            shares[kind].append(100 * ocop / lines)
    return [
        OutletRow(k, OutletKind(k).label, counts[k], round(sum(shares[k]) / len(shares[k]), 1) if shares[k] else None)
        for k in OutletKind.values
    ]


def sales_by_month(s: Scope, months: int = 12) -> list[tuple[dt.date, int, int]]:
    """(month, revenue ₫, quantity) for the last `months` months up to the day's month."""
    first = (s.today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    where = Q(outlet__commune_id=s.commune_id) if s.commune_id else Q(outlet__province_id=s.province_id)
    rows = (
        SalesRecord.objects.filter(where, month__gte=first, month__lte=s.today)
        .values_list("month")
        .annotate(revenue=Sum("revenue"), quantity=Sum("quantity"))
        .order_by("month")
    )
    return [(m, int(r or 0), int(q or 0)) for m, r, q in rows]


def open_findings(s: Scope) -> int:
    where = (
        Q(inspection__producer__commune_id=s.commune_id) | Q(inspection__outlet__commune_id=s.commune_id)
        if s.commune_id
        else Q(inspection__province_id=s.province_id)
    )
    return Finding.objects.filter(where, state=FindingState.OPEN).count()


def inspections_done(s: Scope, year: int) -> int:
    where = (
        Q(producer__commune_id=s.commune_id) | Q(outlet__commune_id=s.commune_id)
        if s.commune_id
        else Q(province_id=s.province_id)
    )
    return Inspection.objects.filter(where, state=InspectionState.DONE, done_on__year=year).count()


@dataclass(frozen=True)
class CommuneRow:
    commune: Commune
    products: int


def by_commune(s: Scope) -> list[CommuneRow]:
    """OCOP products per commune of the province (communes without any included, for the map)."""
    counts = dict(ocop_products(Scope(s.province_id, None, s.today)).values_list("commune_id").annotate(n=Count("pk")))
    communes = (
        Commune.objects.filter(province_id=s.province_id)
        .only("name", "short_name", "latitude", "longitude")
        .order_by("name")
    )
    return [CommuneRow(c, counts.get(c.pk, 0)) for c in communes]
