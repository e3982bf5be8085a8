"""The figures of the dashboards and of the periodic workbook, computed from the records for a province (or one of
its communes) as of a day: one query per figure, so both read the same numbers; the stars, groups, communes and
expiring certificates are sums of one pass over the day's certificates (`certified`), which a page reads once. Sales
come from the outlets' monthly sums that the sales services keep with the rows (`outlets.sales_months`).

Every figure is the state at the end of the scope's day, from the records' own dates and history: certificates
valid that day by their history (`certificates.asof`), outlets recognised by then and not suspended or closed by
then, shelves as they stood, findings open that day, producers and products registered by then. A later
certificate, revocation or outlet never changes an earlier period's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates import asof, standing
from ocop.certificates.models import Certificate, Standing
from ocop.core.collation import vi
from ocop.outlets.enums import OutletKind
from ocop.outlets.models import Outlet, SalesMonth
from ocop.outlets.queries import recognised_on_q
from ocop.places.models import Commune, Province
from ocop.registry.enums import ProducerKind
from ocop.registry.models import Producer, Product, ProductGroup
from ocop.supervision.enums import FindingState, InspectionState
from ocop.supervision.models import Finding, Inspection, Sanction

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
    national: bool = False  # the whole country (province_id: the central level's row, which keys its snapshot)

    def where(self, commune_field: str = "commune", province_field: str | None = None) -> Q:
        if self.national:
            return Q()
        if self.commune_id:
            return Q(**{f"{commune_field}_id": self.commune_id})
        return Q(**{province_field or "province_id": self.province_id})


def ocop_certificates(s: Scope) -> QuerySet[Any]:
    """The certificates that make products OCOP products on the day: valid that day by their own history, in the
    province (the ministry's 5-star certificates count in their product's province) or in the commune they were
    issued for. Today's are read from the rows kept for the day (`certificates.standing`: the same certificates, with
    the same lookups: stars, commune, product, producer), any other day's from the history."""
    where = s.where(province_field="province_id")
    kept = standing.on(s.today)
    return kept.filter(where) if kept is not None else asof.valid_on(s.today, Certificate.objects.filter(where))


def _group_field(qs: QuerySet[Any]) -> str:
    """The product's group of a day's certificate: kept on today's rows, else read from its product."""
    return "group_id" if qs.model is Standing else "product__group_id"


# A product holds at most one certificate valid on a day (certificates.asof), so its certificates count products.
PRODUCTS = Count("pk")
LEVEL_Q: dict[int | str, Q] = {
    3: Q(stars=3, potential_five=False),
    4: Q(stars=4, potential_five=False),
    POTENTIAL: Q(potential_five=True),
    5: Q(stars=5, potential_five=False),
}


def level(stars: int | None, potential: bool) -> int | str:
    """The column of a star breakdown: "potential 5★" is a category of its own, never among 4 or 5 stars."""
    return POTENTIAL if potential else stars or 0


@dataclass(frozen=True)
class Certified:
    """The day's OCOP products counted in one pass over its certificates, by stars and potential 5★, product group
    (its id), commune, and whether the certificate ends within OCOP_EXPIRY_WARN_DAYS: the star, group, commune and
    expiry figures are sums of these rows (a page reads them once, not once a figure)."""

    # stars, potential, group, commune (None on the whole country's), products, ending
    rows: list[tuple[int, bool, int | None, int | None, int, int]]

    def total(self, key: Any) -> dict[Any, int]:
        sums: dict[Any, int] = {}
        for row in self.rows:
            sums[key(row)] = sums.get(key(row), 0) + row[4]
        return sums


def certified(s: Scope) -> Certified:
    warn = s.today + dt.timedelta(days=settings.OCOP_EXPIRY_WARN_DAYS)
    # Grouped by the group's id (its name and position are read by `by_group`, from a handful of rows): the rows
    # sorted for the grouping are narrower, which took a third off on both databases (PostgreSQL sorted them on disk
    # with the two text columns). Read in the grouped query instead, they were grouped by too, and twice as slow.
    # Counted with COUNT(*) and a SUM, never COUNT(a column): SQLite then reads today's rows from their index alone
    # (29 -> 11 ms for Hà Nội's 72,747).
    # The whole country's are not counted by commune (its dashboard has no commune map): 3,321 communes made some
    # 15,000 rows to read back instead of a few dozen.
    day = ocop_certificates(s)
    keys = ("stars", "potential_five", _group_field(day), *(() if s.national else ("commune_id",)))
    rows = (
        day.values_list(*keys)
        .annotate(n=Count("*"), ending=Sum(Case(When(valid_until__lte=warn, then=1), default=0)))
        .order_by()
    )
    if s.national:
        return Certified([(stars, potential, group, None, n, ending) for stars, potential, group, n, ending in rows])
    return Certified(list(rows))


def by_stars(s: Scope, counted: Certified | None = None) -> dict[int | str, int]:
    """OCOP products by stars, the province's "potential 5-star" recognitions apart (as reports count them)."""
    sums = (counted or certified(s)).total(lambda r: level(r[0], r[1]))
    return {k: sums.get(k, 0) for k in LEVELS}


def by_group(s: Scope, counted: Certified | None = None) -> list[tuple[str, int]]:
    """OCOP products by product group, in the groups' order (a product without a group last)."""
    sums = (counted or certified(s)).total(lambda r: r[2])
    groups: dict[int | None, tuple[int, str]] = {pk: (position, name) for pk, position, name in
              ProductGroup.objects.filter(pk__in=[pk for pk in sums if pk is not None])
              .values_list("pk", "position", "name")}  # fmt: skip
    known: dict[int | None, int] = {}  # a group gone between the two reads counts as undetermined, never a crash
    for pk, n in sums.items():
        key = pk if pk in groups else None
        known[key] = known.get(key, 0) + n
    ordered = sorted(known.items(), key=lambda item: (item[0] is None, *groups.get(item[0], (0, ""))))
    return [(groups[pk][1] if pk is not None else str(_("group not determined")), n) for pk, n in ordered]


@dataclass(frozen=True)
class ProducerRow:
    kind: str
    label: Any
    producers: int
    women_led: int
    ethnic_minority: int


def producers_by_kind(s: Scope) -> list[ProducerRow]:
    """Producers holding at least one OCOP product on the day (the holders named on the certificates), by type, with
    women-led and ethnic-minority ones."""
    qs = Producer.objects.filter(pk__in=ocop_certificates(s).values("producer_id"))
    rows = {
        kind: (n, w, e)
        for kind, n, w, e in qs.values_list("kind")
        .annotate(n=Count("pk"), w=Count("pk", filter=Q(women_led=True)), e=Count("pk", filter=Q(ethnic_minority=True)))
        .order_by()
    }
    return [ProducerRow(k, ProducerKind(k).label, *rows.get(k, (0, 0, 0))) for k in ProducerKind.values]


def expiring(s: Scope, counted: Certified | None = None) -> int:
    """Certificates valid on the day that end within the next OCOP_EXPIRY_WARN_DAYS (90) days."""
    return sum(r[5] for r in (counted or certified(s)).rows)


@dataclass(frozen=True)
class Registered:
    producers: int
    products: int


def registered(s: Scope) -> Registered:
    """Producers and products registered by the day: entered by then, or holding a certificate issued by then (a
    record entered from a recognition list is entered years after its certificate)."""
    end = asof.day_end(s.today)
    certified = Certificate.objects.filter(Q() if s.national else Q(province_id=s.province_id), issued_on__lte=s.today)

    producers = Producer.objects.filter(s.where())
    products = Product.objects.filter(s.where())
    if s.today >= timezone.localdate():
        # Today, every record there is was entered by now: two counts from the scope's index alone (reports bench:
        # 15 -> 4 ms), without testing each record against the certificates.
        return Registered(producers.count(), products.count())
    producers = producers.filter(Q(created_at__lt=end) | Q(pk__in=certified.values("producer_id")))
    products = products.filter(Q(created_at__lt=end) | Q(pk__in=certified.values("product_id")))
    if s.national:
        return Registered(producers.count(), products.count())

    def counted(qs: QuerySet[Any]) -> Subquery:
        return Subquery(qs.order_by().values("province_id").annotate(n=Count("pk")).values("n")[:1])

    row = (
        Province.objects.filter(pk=s.province_id)
        .annotate(n_producers=counted(producers), n_products=counted(products))
        .values_list("n_producers", "n_products")
        .first()
    )
    return Registered(*(n or 0 for n in (row or (0, 0))))


@dataclass(frozen=True)
class OutletRow:
    kind: str
    label: Any
    outlets: int
    mean_share: float | None  # mean OCOP share of the shelves, in %


def recognised_outlets(s: Scope) -> QuerySet[Outlet]:
    """Outlets recognised on the day (by a decision dated by then, not suspended or closed by then)."""
    return Outlet.objects.filter(s.where(province_field="province_id"), recognised_on_q(s.today))


def with_shelf(qs: QuerySet[Outlet, Any], day: dt.date) -> QuerySet[Outlet, Any]:
    """Annotate `lines` (on the shelf on the day) and `ocop_lines` (of them, products holding a certificate valid
    that day, whatever their province)."""
    shelf = Q(stock__added_on__lte=day) & (Q(stock__removed_on__isnull=True) | Q(stock__removed_on__gt=day))
    kept = standing.on(day)
    ocop = Q(stock__product_id__in=(kept if kept is not None else asof.valid_on(day)).values("product_id"))
    return qs.annotate(lines=Count("stock", filter=shelf), ocop_lines=Count("stock", filter=shelf & ocop))


def outlets(s: Scope) -> list[OutletRow]:
    """Recognised outlets by kind, with the mean OCOP share of the shelves of those that hold any: each outlet's shelf
    counted in one grouped query (by its id and kind alone: Django grouped by all 30 columns, twice as slow), summed
    by kind in the database around it, so 5,000 outlets come back as three rows."""
    shelves = with_shelf(recognised_outlets(s).values("pk", "kind"), s.today)
    per_outlet = shelves.values("kind", "lines", "ocop_lines")  # type: ignore[misc]  # the annotations
    sql, params = per_outlet.query.sql_with_params()
    with connections[per_outlet.db].cursor() as cursor:
        cursor.execute(
            "SELECT kind, COUNT(*), SUM(CASE WHEN lines > 0 THEN 100.0 * ocop_lines / lines END), "
            f"COUNT(CASE WHEN lines > 0 THEN 1 END) FROM ({sql}) shelves GROUP BY kind",
            params,
        )
        rows = {kind: (n, shares, shelved) for kind, n, shares, shelved in cursor.fetchall()}
    result = []
    for kind in OutletKind.values:
        n, shares, shelved = rows.get(kind, (0, None, 0))
        mean = round(float(shares) / shelved, 1) if shelved else None
        result.append(OutletRow(kind, OutletKind(kind).label, n, mean))
    return result


def sales_by_month(s: Scope, months: int = 12) -> list[tuple[dt.date, int, int]]:
    """(month, revenue ₫, quantity) for the last `months` months up to the day's month: the outlets' monthly sums,
    which the sales services keep with the rows (`outlets.sales_months`), of the outlets in the scope now."""
    first = (s.today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    where = s.where("outlet__commune")  # a province's from the months' own province and its index
    rows = (
        SalesMonth.objects.filter(where, month__gte=first, month__lte=s.today)
        .values_list("month")
        .annotate(revenue=Sum("revenue"), quantity=Sum("quantity"))
        .order_by("month")
    )
    return [(m, int(r or 0), int(q or 0)) for m, r, q in rows]


def open_findings(s: Scope) -> int:
    """Findings open on the day: found by then, and not fixed or escalated to a sanction by then."""
    where = (
        Q(inspection__producer__commune_id=s.commune_id) | Q(inspection__outlet__commune_id=s.commune_id)
        if s.commune_id
        else s.where(province_field="inspection__province_id")
    )
    sanctioned = Sanction.objects.filter(finding_id=OuterRef("pk"), decided_on__lte=s.today)
    still_open = (
        Q(state=FindingState.OPEN)
        | Q(state=FindingState.FIXED, fixed_on__gt=s.today)
        | (Q(state=FindingState.ESCALATED) & ~Exists(sanctioned))
    )
    return Finding.objects.filter(where, still_open, inspection__done_on__lte=s.today).count()


def inspections_done(s: Scope, year: int) -> int:
    where = Q(producer__commune_id=s.commune_id) | Q(outlet__commune_id=s.commune_id) if s.commune_id else s.where()
    return Inspection.objects.filter(
        where, state=InspectionState.DONE, done_on__year=year, done_on__lte=s.today
    ).count()


@dataclass(frozen=True)
class CommuneRow:
    commune: Commune
    products: int


def by_commune(s: Scope, counted: Certified | None = None) -> list[CommuneRow]:
    """OCOP products per commune of the province (communes without any included, for the map). `counted`: the
    province's, never one commune's."""
    counts = (counted or certified(Scope(s.province_id, None, s.today))).total(lambda r: r[3])
    communes = (
        Commune.objects.filter(province_id=s.province_id)
        .select_related("province")  # the map draws the province's outline by its code
        .only("code", "name", "short_name", "latitude", "longitude", "province__code")
        .order_by(vi("short_name"), "pk")  # Vietnamese order ("Cầu Giấy" before "Chương Mỹ"), as the places lists
    )
    return [CommuneRow(c, counts.get(c.pk, 0)) for c in communes]


def by_province(s: Scope) -> list[tuple[str, str, int]]:
    """(code, name, OCOP products) of every province on the day, for the national dashboard: one grouped pass (the
    ministry's 5-star certificates count in their product's province, as on the provinces' dashboards)."""
    counts = dict(ocop_certificates(s).values_list("province_id").annotate(n=PRODUCTS).order_by())
    provinces = (
        Province.objects.filter(central=False).order_by(vi("short_name"), "pk").values_list("pk", "code", "name")
    )
    return [(code, name, counts.get(pk, 0)) for pk, code, name in provinces]
