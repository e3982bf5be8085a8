"""Read paths shared by the back office, the API and the benchmarks."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ocop.core.search import RankedSearch
from ocop.registry.models import Product, ProductPack

PRODUCT_RELATED = ("producer", "product_set", "group", "province", "commune", "legacy_district")
# What a list row, the API's product and a decision's matches show of the related rows (the product's own columns all
# come): fewer columns to plan on PostgreSQL (a seven-table join with every column took longer to plan than to run)
# and to convert into instances on both databases. Any other related column still loads, one query per row.
PRODUCT_LIST_FIELDS = (
    *(f.name for f in Product._meta.concrete_fields),
    "producer__name",
    "product_set__code",
    "product_set__name",
    "product_set__group",
    "group__code",
    "group__name",
    "province__code",
    "province__name",
    "commune__code",
    "commune__name",
    "legacy_district__code",
    "legacy_district__name",
)
# Packs by product id: the model's ordering ("product", "id") would join the products again to sort by their name.
PACKS = Prefetch("packs", queryset=ProductPack.objects.order_by("product_id", "id"))


def product_rows(qs: QuerySet[Product]) -> QuerySet[Product]:
    """Products with what a list row or the API shows of them."""
    return qs.select_related(*PRODUCT_RELATED).prefetch_related("packs")


def product_listing(qs: QuerySet[Product], q: str | None = None) -> RankedSearch[Product]:
    """Products for a list page or an API page: ranked when `q` is given, fetched a page at a time."""
    return RankedSearch(
        qs, q, select=PRODUCT_RELATED, prefetch=(PACKS,), only=PRODUCT_LIST_FIELDS, fixed_join_order=True
    )
