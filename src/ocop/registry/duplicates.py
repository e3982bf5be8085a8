"""Possible duplicates: records with very similar folded names (the same producer's products, a commune's producers).

One scorer for the product form's warning and for every created import row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from rapidfuzz import fuzz, process

from ocop.core.text import fold
from ocop.registry.models import Product

THRESHOLD = 85


@dataclass(frozen=True)
class Similar:
    product: Product
    score: int


def similar_names(target: str, pool: Iterable[tuple[Any, str, str]], limit: int = 5) -> list[tuple[Any, str, int]]:
    """Up to `limit` (id, label, score) of `pool` ((id, label, folded key) triples) whose key looks like the folded
    `target` (token order ignored), best first."""
    if not target:
        return []
    items = list(pool)
    found = process.extract(
        target, [key for _pk, _label, key in items], scorer=fuzz.token_sort_ratio, score_cutoff=THRESHOLD, limit=None
    )
    ranked = sorted(((items[i][0], items[i][1], int(score)) for _key, score, i in found), key=lambda s: (-s[2], s[1]))
    return ranked[:limit]


def similar_products(
    candidates: QuerySet[Product],
    *,
    name: str,
    producer_id: int | None,
    commune_id: int | None,
    exclude_pk: int | None = None,
) -> list[Similar]:
    """Up to 5 products from `candidates` (already scoped to the user) that look like `name`."""
    scope = Q(pk__in=[])
    if producer_id:
        scope |= Q(producer_id=producer_id)
    if commune_id:
        scope |= Q(commune_id=commune_id)
    qs = candidates.filter(scope).select_related("producer")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    products = {p.pk: p for p in qs.only("id", "name", "producer__name", "commune_id")}
    ranked = similar_names(fold(name), ((p.pk, p.name, fold(p.name)) for p in products.values()))
    return [Similar(product=products[pk], score=score) for pk, _label, score in ranked]
