"""Possible duplicates: products of the same producer or commune with very similar folded names."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from ocop.core.text import fold
from ocop.registry.models import Product

THRESHOLD = 85


@dataclass(frozen=True)
class Similar:
    product: Product
    score: int


def similar_products(
    candidates: QuerySet[Product],
    *,
    name: str,
    producer_id: int | None,
    commune_id: int | None,
    exclude_pk: int | None = None,
) -> list[Similar]:
    """Up to 5 products from `candidates` (already scoped to the user) that look like `name`."""
    target = fold(name)
    if not target:
        return []
    scope = Q(pk__in=[])
    if producer_id:
        scope |= Q(producer_id=producer_id)
    if commune_id:
        scope |= Q(commune_id=commune_id)
    qs = candidates.filter(scope).select_related("producer")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    found = []
    for product in qs.only("id", "name", "producer__name", "commune_id"):
        score = int(fuzz.token_sort_ratio(target, fold(product.name)))
        if score >= THRESHOLD:
            found.append(Similar(product=product, score=score))
    found.sort(key=lambda s: (-s.score, s.product.name))
    return found[:5]
