"""Read paths shared by the back office, the API and the benchmarks."""

from __future__ import annotations

from django.db.models import QuerySet

from ocop.core.search import RankedSearch
from ocop.registry.models import Product

PRODUCT_RELATED = ("producer", "product_set", "group", "province", "commune", "legacy_district")


def product_rows(qs: QuerySet[Product]) -> QuerySet[Product]:
    """Products with what a list row or the API shows of them."""
    return qs.select_related(*PRODUCT_RELATED).prefetch_related("packs")


def product_listing(qs: QuerySet[Product], q: str | None = None) -> RankedSearch[Product]:
    """Products for a list page or an API page: ranked when `q` is given, fetched a page at a time."""
    return RankedSearch(qs, q, select=PRODUCT_RELATED, prefetch=("packs",))
