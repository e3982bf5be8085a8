"""Reading outlets: the OCOP share of an assortment, what is on a shelf today, and the public locator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate
from ocop.certificates.queries import status_q
from ocop.core.collation import vi
from ocop.core.phones import phone_display, tel_uri
from ocop.core.text import fold
from ocop.outlets import rules
from ocop.outlets.enums import OutletKind, OutletStatus
from ocop.outlets.models import Outlet, StockItem
from ocop.places.models import Commune, Province
from ocop.registry.models import Product


def valid_line_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """Shelf lines that are OCOP goods today: on the shelf, and their product's certificate valid today."""
    return Q(**{f"{prefix}removed_on__isnull": True}) & status_q("current", today, prefix=f"{prefix}product__ocop_")


def recognised_on_q(day: dt.date) -> Q:
    """Outlets recognised on `day`: by a decision dated by then (a recognised outlet recorded without one, since its
    status), and not suspended or closed by then (as their status stands; an outlet suspended and reinstated since
    counts from its decision)."""
    return Q(status=OutletStatus.RECOGNISED) & (
        Q(decision_date__lte=day) | Q(decision_date__isnull=True, status_since__lte=day)
    ) | Q(status__in=(OutletStatus.SUSPENDED, OutletStatus.CLOSED), status_since__gt=day, decision_date__lte=day)


def with_share(qs: QuerySet[Outlet], today: dt.date | None = None) -> QuerySet[Outlet]:
    """Annotate `lines` (on the shelf) and `ocop_lines` (OCOP goods valid today)."""
    return qs.annotate(
        lines=Count("stock", filter=Q(stock__removed_on__isnull=True), distinct=True),
        ocop_lines=Count("stock", filter=valid_line_q(today, "stock__"), distinct=True),
    )


def share_of(outlet: Outlet, today: dt.date | None = None) -> Decimal | None:
    counts = StockItem.objects.filter(outlet=outlet, removed_on__isnull=True).aggregate(
        lines=Count("id"), ocop=Count("id", filter=valid_line_q(today))
    )
    return rules.ocop_share(counts["ocop"], counts["lines"])


def shelf(outlet: Outlet, today: dt.date | None = None) -> list[StockItem]:
    """The lines on the shelf, each with `ocop_today` (its product is an OCOP product today)."""
    today = today or timezone.localdate()
    current = set(
        Product.objects.filter(status_q("current", today, prefix="ocop_"), stocked_at__outlet=outlet).values_list(
            "pk", flat=True
        )
    )
    items = list(
        StockItem.objects.filter(outlet=outlet, removed_on__isnull=True)
        .select_related("product__producer")
        .prefetch_related("packs")
        .order_by("product__name", "label")
    )
    for item in items:
        item.ocop_today = item.product_id in current  # type: ignore[attr-defined]
    return items


def ocop_shelf(outlet: Outlet, *, lapsed: bool = False, today: dt.date | None = None) -> QuerySet[StockItem]:
    """The certified products on the outlet's shelf, as its public page lists them: those whose certificate is valid
    today, by stars then name; with `lapsed` (what the outlet's keepers see), also those whose certificate has
    stopped being valid, still to be taken off. Each line carries `certificate_code`, its product's latest
    certificate's code (the product's `ocop_*` fields copy that certificate's status, stars and last day)."""
    latest = (
        Certificate.objects.filter(product_id=OuterRef("product_id"))
        .exclude(status=Status.SUPERSEDED)
        .order_by("-issued_on", "-pk")
    )
    lines = StockItem.objects.filter(outlet=outlet, product__isnull=False, removed_on__isnull=True)
    if not lapsed:
        lines = lines.filter(valid_line_q(today))
    return (
        lines.select_related("product__producer")
        .annotate(certificate_code=Subquery(latest.values("code")[:1]))
        .order_by(F("product__ocop_stars").desc(nulls_last=True), vi("product__name"), "pk")
    )


def stockists(product_id: int, today: dt.date | None = None) -> QuerySet[Outlet]:
    """Recognised outlets with this product on their OCOP shelf today (none when its certificate is not valid)."""
    lines = StockItem.objects.filter(valid_line_q(today), product_id=product_id).values("outlet_id")
    return Outlet.objects.filter(status=OutletStatus.RECOGNISED, pk__in=lines)


def stockist_counts(product_ids: list[int], today: dt.date | None = None) -> dict[int, int]:
    """How many recognised outlets have each product on their OCOP shelf today."""
    rows = (
        StockItem.objects.filter(
            valid_line_q(today), product_id__in=product_ids, outlet__status=OutletStatus.RECOGNISED
        )
        .values("product_id")
        .annotate(n=Count("outlet_id", distinct=True))
    )
    return {r["product_id"]: r["n"] for r in rows}


@dataclass(frozen=True)
class Locator:
    """The public map's filters (each optional)."""

    province_id: int | None = None
    kind: str = ""
    commune_id: int | None = None
    product_id: int | None = None
    open_now: bool = False
    product_words: str = ""  # folded: outlets with any product whose name has these words, valid today


def resolve(
    *,
    kind: str = "",
    province: str = "",
    commune: str = "",
    product: int | None = None,
    open_now: bool = False,
    product_name: str = "",
) -> Locator | None:
    """Filters given by administrative codes, as a Locator; None when a code names no unit (nothing can match).
    `product_name` finds products by name without marks ("mat ong" finds "Mật ong")."""
    province_id = commune_id = None
    if province:
        province_id = Province.objects.filter(code=province).values_list("pk", flat=True).first()
        if province_id is None:
            return None
    if commune:
        commune_id = Commune.objects.filter(code=commune).values_list("pk", flat=True).first()
        if commune_id is None:
            return None
    kind = kind if kind in OutletKind.values else ""
    return Locator(province_id, kind, commune_id, product, open_now, fold(product_name)[:100])


LOCATOR_FIELDS = (
    "id", "code", "name", "kind", "latitude", "longitude", "approximate", "address", "commune__name",
    "opening_hours", "hours",
)  # fmt: skip


MAP_FIELDS = ("map_feature", "hours")


def _located(f: Locator, now: dt.datetime, fields: tuple[str, ...] = LOCATOR_FIELDS) -> list[tuple[Any, ...]]:
    qs = Outlet.objects.filter(status=OutletStatus.RECOGNISED)
    if f.province_id:
        qs = qs.filter(province_id=f.province_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.commune_id:
        qs = qs.filter(commune_id=f.commune_id)
    if f.product_id or f.product_words:
        lines = StockItem.objects.filter(valid_line_q(now.date()))
        if f.product_id:
            lines = lines.filter(product_id=f.product_id)
        if f.product_words:
            lines = lines.filter(product__search_text__contains=f.product_words)
        qs = qs.filter(pk__in=lines.values("outlet_id"))
    rows = list(qs.order_by("name", "id").values_list(*fields))
    if f.open_now:
        rows = [r for r in rows if rules.is_open(r[-1], now)]
    return rows


def locate(f: Locator, *, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Recognised outlets matching the filters, as plain rows (with `open` now), ordered by name."""
    now = timezone.localtime(now)
    rows = []
    for r in _located(f, now):
        row = dict(zip(LOCATOR_FIELDS, r, strict=True))
        row["open"] = rules.is_open(row.pop("hours"), now)
        rows.append(row)
    return rows


def map_feature(outlet: Outlet) -> str:
    """The outlet's GeoJSON feature as stored with it, up to `"open":`, which each request completes (`true}}` or
    `false}}`): the public map downloads every outlet at once, and joining stored text is what keeps it fast. Lean on
    purpose: coordinates to about a metre, kind labels and the outlet page's address live in the page (the code makes
    the link). Kept by the services on every change."""
    commune = outlet.commune.name
    feature = {
        "type": "Feature",
        "id": outlet.pk,
        "geometry": {"type": "Point", "coordinates": [round(outlet.longitude, 5), round(outlet.latitude, 5)]},
        "properties": {
            "code": outlet.code,
            "name": outlet.name,
            "kind": outlet.kind,
            "address": f"{outlet.address}, {commune}" if outlet.address else commune,
            "hours": outlet.opening_hours,
            "approximate": outlet.approximate,
        },
    }
    if tel := tel_uri(outlet.phone):  # the popup's tap-to-call number
        properties: dict[str, Any] = feature["properties"]  # type: ignore[assignment]
        properties.update(phone=phone_display(outlet.phone), tel=tel)
    return orjson.dumps(feature).decode()[:-2] + ',"open":'


EMPTY = b'{"type":"FeatureCollection","features":[]}'


def locate_geojson(f: Locator | None, *, now: dt.datetime | None = None) -> bytes:
    """The outlets as a GeoJSON FeatureCollection: each stored feature, told whether it is open now."""
    if f is None:
        return EMPTY
    now = timezone.localtime(now)
    parts = [
        feature + ("true}}" if rules.is_open(week, now) else "false}}")
        for feature, week in _located(f, now, MAP_FIELDS)
    ]
    return ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()
