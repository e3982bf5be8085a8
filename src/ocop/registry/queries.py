"""Read paths shared by the back office, the API and the benchmarks."""

from __future__ import annotations

from django.db.models import QuerySet

from ocop.core.search import search
from ocop.registry.models import Product


def product_listing(qs: QuerySet[Product], q: str | None = None) -> QuerySet[Product]:
    """Products for a list page, ranked when `q` is given.

    Related rows are prefetched, not joined: the ranked sort then handles narrow product rows only, which
    keeps searches with thousands of matches fast; the cost is a few constant small queries per page.
    """
    qs = qs.prefetch_related("producer", "product_set__group", "commune__province", "packs")
    return search(qs, q)
