"""The public catalogue's reads: certified products, filtered by the copy of their latest certificate on the product
row (no join), searched with the same ranked, diacritic-insensitive search as the back office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ocop.certificates.enums import Status
from ocop.certificates.models import Certificate
from ocop.certificates.queries import status_q
from ocop.certificates.rules import reader_status
from ocop.core.collation import vi
from ocop.core.search import RankedSearch
from ocop.registry.models import Product

# What a catalogue card shows (public/catalogue.html, product_status): the name, stars and status, the producer, the
# place. Fewer joined tables and columns: PostgreSQL plans a narrower join in a fraction of the time.
CATALOGUE_RELATED = ("producer", "province", "commune", "legacy_district")
CATALOGUE_FIELDS = (
    "name", "ocop_status", "ocop_stars", "ocop_until", "producer__name", "province__name", "commune__name",
    "legacy_district__name",
)  # fmt: skip
STATUSES = ("current", "expiring", "expired", "suspended", "revoked", "all")


def status_filter(status: str) -> Q:
    """Products by the status of their latest certificate; "all": every product ever certified."""
    return ~Q(ocop_status="") if status == "all" else status_q(status, prefix="ocop_")


def certified_products(
    *,
    q: str = "",
    status: str = "current",
    stars: int | None = None,
    group: str = "",
    province: str = "",
    commune: int | None = None,
) -> RankedSearch[Product]:
    qs: QuerySet[Product] = Product.objects.filter(status_filter(status))
    if stars:
        qs = qs.filter(ocop_stars=stars)
    if group:
        qs = qs.filter(group__code=group)
    if province:
        qs = qs.filter(province__code=province)
    if commune:
        qs = qs.filter(commune_id=commune)
    return RankedSearch(
        qs.order_by(vi("name"), "id"), q or None, select=CATALOGUE_RELATED, only=CATALOGUE_FIELDS, one_pass=True,
        part_words=True,
    )  # fmt: skip


def product_status(product: Product) -> str:
    return reader_status(
        product.ocop_status, product.ocop_until or dt.date.min, timezone.localdate(), settings.OCOP_EXPIRY_WARN_DAYS
    ).value


def latest_certificates(products: list[Any]) -> dict[int, Certificate]:
    """Each product's latest (not superseded) certificate, for the page's links to /v/<code>: one query."""
    certs = Certificate.objects.filter(product__in=[p.pk for p in products]).exclude(status=Status.SUPERSEDED)
    return {c.product_id: c for c in certs.order_by("issued_on", "id")}


def counts_by_group_and_stars(province: str = "") -> dict[tuple[int | None, int], int]:
    """How many products are OCOP products today, by (group id, stars): one aggregate query (the public home page)."""
    qs = Product.objects.filter(status_filter("current"))
    if province:
        qs = qs.filter(province__code=province)
    rows = qs.order_by().values_list("group_id", "ocop_stars").annotate(n=Count("id"))
    return {(group, stars or 0): n for group, stars, n in rows}
